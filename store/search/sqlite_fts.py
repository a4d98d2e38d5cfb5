"""SQLite FTS5 rendering of a keyword query (external-content table ``postings_fts``, porter stemming), and the hints
SQLite's planner needs to use the search indexes of migration 0011."""

from __future__ import annotations

import json

import numpy as np
import sqlalchemy as sa
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from store.models import Posting
from store.search.keywords import KeywordQuery

_FTS = sa.table("postings_fts", sa.column("rowid"))
# Title hits outrank company, location and body hits.
_WEIGHTS = (10.0, 4.0, 2.0, 1.0)
# The ranking join (below) already keeps only the postings that match the required phrases.
RANKING_FILTERS = True
# Past this many full-text matches, a result page walks the newest-first index and checks each posting against the
# matches; below it, it reads the matches by id and sorts them.
FEW_MATCHES = 20_000
# The same posting id, in an expression no index applies to: a lookup the planner must not drive the query from.
_PROBED_ID = Posting.id + sa.literal_column("0")


def _match_expression(phrases: tuple[tuple[str, ...], ...]) -> str:
    # Words hold only letters and digits (see keywords.py), so wrapping them in quotes is a complete escape.
    return " AND ".join('"' + " ".join(words) + '"' for words in phrases)


def _matching_ids(phrases: tuple[tuple[str, ...], ...]) -> sa.Select[tuple[int]]:
    return sa.select(_FTS.c.rowid).where(sa.literal_column("postings_fts").op("MATCH")(_match_expression(phrases)))


def keyword_clauses(
    query: KeywordQuery, ids: ColumnElement[int] = Posting.id, *, required: bool = True
) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if query.required and required:
        clauses.append(ids.in_(_matching_ids(query.required)))
    for phrase in query.excluded:
        clauses.append(ids.not_in(_matching_ids((phrase,))))
    return clauses


def _likely(clause: ColumnElement[bool]) -> ColumnElement[bool]:
    # Most postings are open and not duplicates. Without this, SQLite's statistics (or its defaults) take
    # ``closed_at IS NULL`` for a rare value and pick the (closed_at, posted_at) index for every search.
    # Untyped: a Boolean-typed function would be rendered as ``likely(...) = 1``, which no index serves.
    return sa.func.likely(clause)  # type: ignore[no-any-return]


def open_listing(include_closed: bool) -> list[ColumnElement[bool]]:
    clauses = [] if include_closed else [_likely(Posting.closed_at.is_(None))]
    return [*clauses, _likely(Posting.duplicate_of.is_(None))]


def walk_ids(session: Session, query: KeywordQuery) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """How a result page reads its postings: the id expressions its keyword and skill conditions use. It walks an
    index in result order and probes each posting against the skill lists and the full-text matches, unless those
    are few: then it reads them by id and sorts them."""
    if query.required:
        capped = _matching_ids(query.required).limit(FEW_MATCHES + 1).subquery()
        if (session.scalar(sa.select(sa.func.count()).select_from(capped)) or 0) <= FEW_MATCHES:
            return Posting.id, _PROBED_ID
    return _PROBED_ID, _PROBED_ID


def by_relevance(
    query: sa.Select[tuple[int]], keywords: KeywordQuery, then: tuple[ColumnElement[object], ...]
) -> sa.Select[tuple[int]]:
    """Order a query of posting ids by bm25 over the required phrases (lower is better), then by ``then``."""
    ranked = ranked_ids(keywords)
    return query.join(ranked, ranked.c.posting_id == Posting.id).order_by(ranked.c.score, *then)


def ranked_ids(query: KeywordQuery) -> sa.Subquery:
    """(posting id, score) for the required phrases; lower score is better, as bm25 gives it."""
    score = sa.func.bm25(sa.literal_column("postings_fts"), *_WEIGHTS)
    return (
        sa.select(_FTS.c.rowid.label("posting_id"), score.label("score"))
        .where(sa.literal_column("postings_fts").op("MATCH")(_match_expression(query.required)))
        .subquery("ranked")
    )


def match_ids(session: Session, phrase: tuple[str, ...], among: np.ndarray | None = None) -> np.ndarray:
    """Ids of the postings matching the phrase (of those ``among`` these ids, if given), read as one comma-separated
    string (a row each costs ten times more). Every phrase has words FTS5 indexes (it has no stop words)."""
    query = sa.select(sa.func.group_concat(_FTS.c.rowid)).where(
        sa.literal_column("postings_fts").op("MATCH")(_match_expression((phrase,)))
    )
    if among is not None:
        listed_ids = sa.select(sa.column("value")).select_from(sa.func.json_each(json.dumps(among.tolist())))
        query = query.where(_FTS.c.rowid.in_(listed_ids))
    listed = session.scalar(query)
    return np.fromstring(listed, dtype=np.int64, sep=",") if listed else np.zeros(0, dtype=np.int64)
