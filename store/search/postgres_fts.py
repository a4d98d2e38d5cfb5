"""PostgreSQL rendering of a keyword query over the stored ``search_vector`` (tsvector, GIN-indexed)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from store.models import Posting
from store.search.keywords import KeywordQuery

_VECTOR = sa.literal_column("postings.search_vector")


def _tsquery(phrases: tuple[tuple[str, ...], ...]) -> ColumnElement[object]:
    parts = [sa.func.phraseto_tsquery("english", " ".join(words)) for words in phrases]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined.op("&&")(part)
    return combined


def keyword_clauses(query: KeywordQuery) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if query.required:
        clauses.append(_VECTOR.op("@@")(_tsquery(query.required)))
    for phrase in query.excluded:
        clauses.append(sa.not_(_VECTOR.op("@@")(_tsquery((phrase,)))))
    return clauses


def ranked_ids(query: KeywordQuery) -> sa.Subquery:
    """(posting id, score) for the required phrases; negated so that lower is better, as on SQLite."""
    score = -sa.func.ts_rank_cd(_VECTOR, _tsquery(query.required))
    return (
        sa.select(Posting.id.label("posting_id"), score.label("score"))
        .where(_VECTOR.op("@@")(_tsquery(query.required)))
        .subquery("ranked")
    )
