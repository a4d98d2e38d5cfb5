"""One search interface over two full-text backends (SQLite FTS5, PostgreSQL tsvector)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from types import ModuleType

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload

from store.models import Posting, PostingSkill, Source
from store.search import postgres_fts, sqlite_fts
from store.search.keywords import KeywordQuery, parse_keywords

MAX_PER_PAGE = 100


SORTS = ("newest", "relevance", "salary")
POSTED_WITHIN = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}


@dataclass(frozen=True)
class PostingFilters:
    """A search as a person or script asks for it; every field is already validated."""

    q: str = ""
    skills: tuple[str, ...] = ()
    # "all": a posting names every chosen skill; "any": at least one.
    skills_mode: str = "all"
    exclude_skills: tuple[str, ...] = ()
    remote: str | None = None
    # A remote job open to this region: its allowed regions include it, or it is not restricted at all.
    region: str | None = None
    sector: str | None = None
    seniority: tuple[str, ...] = ()
    employment_type: str | None = None
    visa_sponsorship: str | None = None
    # Yearly salary of at least this much, in ``currency``; ``salary_stated`` keeps only postings that state one.
    min_salary: int | None = None
    currency: str = "USD"
    salary_stated: bool = False
    posted_within: str | None = None  # a key of POSTED_WITHIN
    company: str | None = None
    exclude_companies: tuple[str, ...] = ()
    source: str | None = None  # a source key
    include_closed: bool = False
    # Only back-end roles reach results unless asked: ATS boards list every role a company has.
    include_other_roles: bool = False
    # One of SORTS; by default relevance when there are keywords, newest otherwise.
    sort: str | None = None


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
    if filters.skills_mode == "any" and filters.skills:
        clauses.append(Posting.id.in_(_with_skills(filters.skills)))
    else:
        for skill in filters.skills:
            clauses.append(Posting.id.in_(_with_skills((skill,))))
    if filters.exclude_skills:
        clauses.append(Posting.id.not_in(_with_skills(filters.exclude_skills)))
    if filters.remote:
        clauses.append(Posting.remote == filters.remote)
    if filters.region:
        # Regions are stored as a JSON list of canonical names; an empty list means unrestricted.
        regions = sa.cast(Posting.remote_regions, sa.Text)
        quoted = '"' + filters.region.replace("\\", "").replace('"', "") + '"'
        clauses.append(Posting.remote == "remote")
        clauses.append(sa.or_(regions.contains(quoted, autoescape=True), regions.in_(["[]", "null"])))
    if filters.sector:
        clauses.append(Posting.sector == filters.sector)
    if filters.seniority:
        clauses.append(Posting.seniority.in_(filters.seniority))
    if filters.employment_type:
        clauses.append(Posting.employment_type == filters.employment_type)
    if filters.visa_sponsorship:
        clauses.append(Posting.visa_sponsorship == filters.visa_sponsorship)
    if filters.salary_stated or filters.min_salary is not None:
        clauses.append(sa.func.coalesce(Posting.salary_annual_max, Posting.salary_annual_min).is_not(None))
    if filters.min_salary is not None:
        clauses.append(Posting.salary_currency == filters.currency)
        clauses.append(sa.func.coalesce(Posting.salary_annual_max, Posting.salary_annual_min) >= filters.min_salary)
    if filters.posted_within:
        since = datetime.now(UTC) - POSTED_WITHIN[filters.posted_within]
        clauses.append(sa.func.coalesce(Posting.posted_at, Posting.first_seen_at) >= since)
    if filters.company:
        clauses.append(sa.func.lower(Posting.company) == filters.company.lower())
    if filters.exclude_companies:
        clauses.append(sa.func.lower(Posting.company).not_in([c.lower() for c in filters.exclude_companies]))
    if filters.source:
        clauses.append(Posting.source_id.in_(sa.select(Source.id).where(Source.key == filters.source)))
    return clauses


def _with_skills(skills: tuple[str, ...]) -> sa.Select[tuple[int]]:
    return sa.select(PostingSkill.posting_id).where(PostingSkill.skill.in_(skills))


def search_postings(session: Session, filters: PostingFilters, page: int = 1, per_page: int = 20) -> SearchPage:
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    backend = _backend(session)
    keywords = parse_keywords(filters.q)
    where = _where(filters, keywords, backend)

    total = session.scalar(sa.select(sa.func.count()).select_from(Posting).where(*where)) or 0

    newest = sa.func.coalesce(Posting.posted_at, Posting.first_seen_at)
    query = sa.select(Posting).where(*where)
    sort = filters.sort or ("relevance" if keywords.required else "newest")
    if sort == "salary":
        pay = sa.func.coalesce(Posting.salary_annual_max, Posting.salary_annual_min)
        # Postings without a salary last, whatever the database's NULL ordering.
        query = query.order_by(pay.is_(None), pay.desc(), newest.desc(), Posting.id.desc())
    elif keywords.required and sort == "relevance":
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


# Facets counted for a result set: each is the column's values with how many matching postings have each.
FACETS = ("remote", "sector", "seniority", "employment_type", "visa_sponsorship", "skill", "source")
_FACET_COLUMNS = {
    "remote": Posting.remote,
    "sector": Posting.sector,
    "seniority": Posting.seniority,
    "employment_type": Posting.employment_type,
    "visa_sponsorship": Posting.visa_sponsorship,
}
# The filter each facet's own choice sets: counting a facet ignores it, so the other values stay visible as choices.
_FACET_FILTER = {
    "remote": {"remote": None, "region": None},
    "sector": {"sector": None},
    "seniority": {"seniority": ()},
    "employment_type": {"employment_type": None},
    "visa_sponsorship": {"visa_sponsorship": None},
    "skill": {},
    "source": {"source": None},
}
FACET_LIMIT = 30


def facet_counts(
    session: Session, filters: PostingFilters, facets: tuple[str, ...] = FACETS
) -> dict[str, list[tuple[str, int]]]:
    """For each facet, its values among the postings the search matches (ignoring the facet's own choice), with
    counts, most frequent first (at most FACET_LIMIT a facet)."""
    backend = _backend(session)
    keywords = parse_keywords(filters.q)
    counts: dict[str, list[tuple[str, int]]] = {}
    for facet in facets:
        scoped = replace(filters, **_FACET_FILTER[facet])
        where = _where(scoped, keywords, backend)
        matching = sa.select(Posting.id).where(*where).subquery()
        if facet == "skill":
            value = PostingSkill.skill
            query = sa.select(value, sa.func.count()).join(matching, matching.c.id == PostingSkill.posting_id)
        elif facet == "source":
            value = Source.key
            query = (
                sa.select(value, sa.func.count())
                .select_from(Posting)
                .join(matching, matching.c.id == Posting.id)
                .join(Source, Source.id == Posting.source_id)
            )
        else:
            value = _FACET_COLUMNS[facet]
            query = sa.select(value, sa.func.count()).join(matching, matching.c.id == Posting.id)
        rows = session.execute(
            query.where(value.is_not(None)).group_by(value).order_by(sa.func.count().desc(), value).limit(FACET_LIMIT)
        )
        counts[facet] = [(str(v), int(n)) for v, n in rows]
    return counts


def count_other_roles(session: Session, filters: PostingFilters) -> int:
    """How many postings match but are hidden for not being back-end roles (shown on request)."""
    if filters.include_other_roles:
        return 0
    keywords = parse_keywords(filters.q)
    where = _where(replace(filters, include_other_roles=True), keywords, _backend(session))
    return (
        session.scalar(sa.select(sa.func.count()).select_from(Posting).where(*where, Posting.is_backend.is_(False)))
        or 0
    )


def similar_postings(session: Session, posting: Posting, limit: int = 5) -> list[Posting]:
    """Open back-end postings that share the most skills with this one (newest first among equals)."""
    skills = [s.skill for s in posting.skills]
    if not skills:
        return []
    shared = sa.func.count().label("shared")
    overlap = (
        sa.select(PostingSkill.posting_id, shared)
        .where(PostingSkill.skill.in_(skills), PostingSkill.posting_id != posting.id)
        .group_by(PostingSkill.posting_id)
        .subquery()
    )
    head = posting.duplicate_of or posting.id
    query = (
        sa.select(Posting)
        .join(overlap, overlap.c.posting_id == Posting.id)
        .where(
            Posting.closed_at.is_(None),
            Posting.is_backend.is_(True),
            Posting.duplicate_of.is_(None),
            Posting.id != head,
        )
        .order_by(overlap.c.shared.desc(), sa.func.coalesce(Posting.posted_at, Posting.first_seen_at).desc())
        .options(selectinload(Posting.skills))
        .limit(limit)
    )
    return list(session.scalars(query))


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
    "FACETS",
    "MAX_PER_PAGE",
    "POSTED_WITHIN",
    "SORTS",
    "KeywordQuery",
    "PostingFilters",
    "SearchPage",
    "count_other_roles",
    "facet_counts",
    "listing_postings",
    "parse_keywords",
    "search_postings",
    "similar_postings",
]
