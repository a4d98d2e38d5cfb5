"""PostgreSQL rendering of a keyword query over the stored ``search_vector`` (tsvector, GIN-indexed)."""

from __future__ import annotations

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from store.models import Posting
from store.search.keywords import KeywordQuery

_VECTOR = sa.literal_column("postings.search_vector")
# Ranking reads the vector of each posting the query keeps: the match stays a condition of the query.
RANKING_FILTERS = False
# Memory for the bitmap of one phrase's matches (``match_ids``): exact up to several million postings.
MATCH_WORK_MEM = "64MB"


def _tsquery(phrases: tuple[tuple[str, ...], ...]) -> ColumnElement[object]:
    parts = [sa.func.phraseto_tsquery("english", " ".join(words)) for words in phrases]
    combined = parts[0]
    for part in parts[1:]:
        combined = combined.op("&&")(part)
    return combined


def keyword_clauses(
    query: KeywordQuery, ids: ColumnElement[int] = Posting.id, *, required: bool = True
) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if query.required and required:
        clauses.append(_VECTOR.op("@@")(_tsquery(query.required)))
    for phrase in query.excluded:
        clauses.append(sa.not_(_VECTOR.op("@@")(_tsquery((phrase,)))))
    return clauses


def open_listing(include_closed: bool) -> list[ColumnElement[bool]]:
    clauses = [] if include_closed else [Posting.closed_at.is_(None)]
    return [*clauses, Posting.duplicate_of.is_(None)]


def walk_ids(session: Session, query: KeywordQuery) -> tuple[ColumnElement[int], ColumnElement[int]]:
    # PostgreSQL's planner has real statistics for the full-text and skill conditions: nothing to steer.
    return Posting.id, Posting.id


def by_relevance(
    query: sa.Select[tuple[int]], keywords: KeywordQuery, then: tuple[ColumnElement[object], ...]
) -> sa.Select[tuple[int]]:
    """Order a query of posting ids by ts_rank_cd over the required phrases (best first), then by ``then``."""
    return query.order_by(-sa.func.ts_rank_cd(_VECTOR, _tsquery(keywords.required)), *then)


_STEER = sa.text(
    "SELECT current_setting('enable_seqscan'), current_setting('work_mem'),"
    f" set_config('enable_seqscan', 'off', :local), set_config('work_mem', '{MATCH_WORK_MEM}', :local)"
)
_RESTORE = sa.text("SELECT set_config('enable_seqscan', :seqscan, :local), set_config('work_mem', :work_mem, :local)")


def match_ids(session: Session, phrase: tuple[str, ...], among: np.ndarray | None = None) -> np.ndarray | None:
    """Ids of the postings matching the phrase (of those ``among`` these ids, if given), read as one comma-separated
    string (a row each costs more); None when the phrase is only stop words, which a query combined with others
    ignores (``&&`` of an empty query)."""
    query = _tsquery((phrase,))
    listed = sa.select(sa.func.string_agg(sa.cast(Posting.id, sa.Text), ",")).where(_VECTOR.op("@@")(query))
    if among is not None:
        listed = listed.where(Posting.id == sa.func.any(sa.literal(among.tolist(), ARRAY(sa.BigInteger))))
    # A word most postings have makes the planner scan the table, decompressing every posting's vector to test it:
    # 6.6 s for "engineer" (86% of a million postings). Read through the GIN index instead, with room for an exact
    # bitmap (no recheck of the vectors for a one-word phrase): 1.0 s. For this query only, then as they were.
    # In a transaction the settings end with it (a failed query's rollback undoes them); a session in autocommit
    # (``Database.reads``) has none, so there they are the connection's until set back, whatever the query does.
    local = not session.connection().connection.driver_connection.autocommit  # type: ignore[union-attr]
    before = session.execute(_STEER, {"local": local}).one()
    restore = {"seqscan": before[0], "work_mem": before[1], "local": local}
    try:
        lexemes, found = session.execute(sa.select(sa.func.numnode(query), listed.scalar_subquery())).one()
    except Exception:
        if not local:
            session.execute(_RESTORE, restore)
        raise
    session.execute(_RESTORE, restore)
    if not lexemes:
        return None
    return np.fromstring(found, dtype=np.int64, sep=",") if found else np.zeros(0, dtype=np.int64)
