"""SQLite FTS5 rendering of a keyword query (external-content table ``postings_fts``, porter stemming)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.sql.elements import ColumnElement

from store.models import Posting
from store.search.keywords import KeywordQuery

_FTS = sa.table("postings_fts", sa.column("rowid"))
# Title hits outrank company, location and body hits.
_WEIGHTS = (10.0, 4.0, 2.0, 1.0)


def _match_expression(phrases: tuple[tuple[str, ...], ...]) -> str:
    # Words hold only letters and digits (see keywords.py), so wrapping them in quotes is a complete escape.
    return " AND ".join('"' + " ".join(words) + '"' for words in phrases)


def _matching_ids(phrases: tuple[tuple[str, ...], ...]) -> sa.Select[tuple[int]]:
    return sa.select(_FTS.c.rowid).where(sa.literal_column("postings_fts").op("MATCH")(_match_expression(phrases)))


def keyword_clauses(query: KeywordQuery) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if query.required:
        clauses.append(Posting.id.in_(_matching_ids(query.required)))
    for phrase in query.excluded:
        clauses.append(Posting.id.not_in(_matching_ids((phrase,))))
    return clauses


def ranked_ids(query: KeywordQuery) -> sa.Subquery:
    """(posting id, score) for the required phrases; lower score is better, as bm25 gives it."""
    score = sa.func.bm25(sa.literal_column("postings_fts"), *_WEIGHTS)
    return (
        sa.select(_FTS.c.rowid.label("posting_id"), score.label("score"))
        .where(sa.literal_column("postings_fts").op("MATCH")(_match_expression(query.required)))
        .subquery("ranked")
    )
