"""One search interface over two full-text backends (SQLite FTS5, PostgreSQL tsvector)."""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from store.models import Posting, PostingSkill
from store.search import postgres_fts, sqlite_fts
from store.search.keywords import KeywordQuery, parse_keywords

MAX_PER_PAGE = 100


@dataclass(frozen=True)
class PostingFilters:
    """A search as a person or script asks for it; every field is already validated."""

    q: str = ""
    skills: tuple[str, ...] = ()
    remote: str | None = None
    sector: str | None = None
    include_closed: bool = False
    # Only back-end roles reach results unless asked: ATS boards list every role a company has.
    include_other_roles: bool = False


@dataclass(frozen=True)
class SearchPage:
    total: int
    items: list[Posting]
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _backend(session: Session) -> ModuleType:
    return sqlite_fts if session.get_bind().dialect.name == "sqlite" else postgres_fts


def _where(filters: PostingFilters, keywords: KeywordQuery, backend: ModuleType) -> list[sa.ColumnElement[bool]]:
    clauses: list[sa.ColumnElement[bool]] = list(backend.keyword_clauses(keywords))
    if not filters.include_closed:
        clauses.append(Posting.closed_at.is_(None))
    if not filters.include_other_roles:
        clauses.append(Posting.is_backend.is_(True))
    # One row per listing: a posting that duplicates another board's is shown through that one (store/dedupe.py).
    clauses.append(Posting.duplicate_of.is_(None))
    # All-of: a posting must name every chosen skill.
    for skill in filters.skills:
        clauses.append(Posting.id.in_(sa.select(PostingSkill.posting_id).where(PostingSkill.skill == skill)))
    if filters.remote:
        clauses.append(Posting.remote == filters.remote)
    if filters.sector:
        clauses.append(Posting.sector == filters.sector)
    return clauses


def search_postings(session: Session, filters: PostingFilters, page: int = 1, per_page: int = 20) -> SearchPage:
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    backend = _backend(session)
    keywords = parse_keywords(filters.q)
    where = _where(filters, keywords, backend)

    total = session.scalar(sa.select(sa.func.count()).select_from(Posting).where(*where)) or 0

    newest = sa.func.coalesce(Posting.posted_at, Posting.first_seen_at)
    query = sa.select(Posting).where(*where)
    if keywords.required:
        ranked = backend.ranked_ids(keywords)
        query = query.join(ranked, ranked.c.posting_id == Posting.id).order_by(
            ranked.c.score, newest.desc(), Posting.id.desc()
        )
    else:
        query = query.order_by(newest.desc(), Posting.id.desc())
    query = (
        query.options(selectinload(Posting.skills), selectinload(Posting.source))
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return SearchPage(total=total, items=list(session.scalars(query)), page=page, per_page=per_page)


def count_other_roles(session: Session, filters: PostingFilters) -> int:
    """How many postings match but are hidden for not being back-end roles (shown on request)."""
    if filters.include_other_roles:
        return 0
    keywords = parse_keywords(filters.q)
    where = _where(PostingFilters(**{**filters.__dict__, "include_other_roles": True}), keywords, _backend(session))
    return (
        session.scalar(sa.select(sa.func.count()).select_from(Posting).where(*where, Posting.is_backend.is_(False)))
        or 0
    )


def listing_postings(session: Session, posting: Posting) -> list[Posting]:
    """Every posting of the listing a posting belongs to, itself included, first seen first."""
    head = posting.duplicate_of or posting.id
    return list(
        session.scalars(
            sa.select(Posting)
            .where(sa.or_(Posting.id == head, Posting.duplicate_of == head))
            .options(selectinload(Posting.source))
            .order_by(Posting.id)
        )
    )


__all__ = [
    "MAX_PER_PAGE",
    "KeywordQuery",
    "PostingFilters",
    "SearchPage",
    "count_other_roles",
    "listing_postings",
    "parse_keywords",
    "search_postings",
]
