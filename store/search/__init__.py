"""One search interface over two full-text backends (SQLite FTS5, PostgreSQL tsvector).

At a million postings a search page asks four things: a page of postings, their total, the facet counts and how many
other roles are hidden. How each stays cheap:

- a page is first a list of posting ids, read by walking an index of open listings in result order (migration 0011)
  and stopping after the page; the postings of those ids are then loaded;
- the total, the hidden roles and the five column facets come from one grouped query over the search's facet-value
  combinations (the *cube*, below), and the skill and source facets from one query each;
- given a :class:`SearchCache` (the web app passes one), the cube, the counts, the skill and source facets and the
  page (its posting ids, or the :class:`PostingSummary` a result list shows) are cached, stamped with the store's
  version, so a repeated search, or a refinement of it by facet columns, costs lookups. Full postings (the feed) are
  read fresh from the cached ids;
- when that cache holds the process's column index (:class:`store.search.index.SearchIndex`) and the index is
  ready, what is computed is computed from it instead: the total, the hidden roles, every facet and the ids of a page.
  Its answers equal the SQL ones, but for the order of a page by relevance: the index ranks by its own rule (title,
  company, then text hits, weighed by each phrase's rarity, newest first among equals), SQL by the backend's (bm25 on
  SQLite, ts_rank_cd on PostgreSQL), which it uses only while the index loads or without one.

Without a cache every call computes what it answers, with plain count queries.
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from types import ModuleType
from typing import Any, Protocol, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.sql.elements import ColumnElement

from store.models import Posting, PostingSkill, Source
from store.search import postgres_fts, sqlite_fts
from store.search.cache import SearchCache, store_version
from store.search.index import Matches, SearchIndex
from store.search.keywords import KeywordQuery, parse_keywords
from store.search.summaries import PostingSummary, read_summaries

MAX_PER_PAGE = 100


SORTS = ("newest", "relevance", "salary")
POSTED_WITHIN = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}


def posted_since(within: str) -> datetime:
    """The oldest date "posted within" keeps, from the start of the current minute: every count of one search in
    the same minute (the total, the facets, the SQL and the index's) draws the same line."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    return now - POSTED_WITHIN[within]


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
    items: list[Any]  # Posting, or PostingSummary for a summary page
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _backend(session: Session) -> ModuleType:
    return sqlite_fts if session.get_bind().dialect.name == "sqlite" else postgres_fts


def _where(
    filters: PostingFilters,
    keywords: KeywordQuery,
    backend: ModuleType,
    *,
    keyword_ids: ColumnElement[int] = Posting.id,
    skill_ids: ColumnElement[int] = Posting.id,
    required_keywords: bool = True,
) -> list[ColumnElement[bool]]:
    """The search as conditions on postings. ``keyword_ids`` and ``skill_ids`` stand for the posting id in the
    full-text and skill conditions (see ``walk_ids`` of the backends); ``required_keywords=False`` leaves the
    required phrases to a ranking join that keeps only their matches."""
    clauses: list[ColumnElement[bool]] = list(
        backend.keyword_clauses(keywords, keyword_ids, required=required_keywords)
    )
    # One row per listing: a posting that duplicates another board's is shown through that one (store/dedupe.py).
    clauses += backend.open_listing(filters.include_closed)
    if not filters.include_other_roles:
        clauses.append(Posting.is_backend.is_(True))
    if filters.skills_mode == "any" and filters.skills:
        clauses.append(skill_ids.in_(_with_skills(filters.skills)))
    else:
        for skill in filters.skills:
            clauses.append(skill_ids.in_(_with_skills((skill,))))
    if filters.exclude_skills:
        clauses.append(skill_ids.not_in(_with_skills(filters.exclude_skills)))
    if filters.remote:
        clauses.append(Posting.remote == filters.remote)
    if filters.region:
        clauses.append(Posting.remote == "remote")
        clauses.append(_open_to(filters.region))
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
        clauses.append(_newest() >= posted_since(filters.posted_within))
    if filters.company:
        clauses.append(sa.func.lower(Posting.company) == filters.company.lower())
    if filters.exclude_companies:
        clauses.append(sa.func.lower(Posting.company).not_in([c.lower() for c in filters.exclude_companies]))
    if filters.source:
        clauses.append(Posting.source_id.in_(sa.select(Source.id).where(Source.key == filters.source)))
    return clauses


def _open_to(region: str) -> ColumnElement[bool]:
    """A remote job open to the region: its allowed regions name it, or it is not restricted at all."""
    # Regions are stored as a JSON list of canonical names; an empty list means unrestricted.
    regions = sa.cast(Posting.remote_regions, sa.Text)
    quoted = '"' + region.replace("\\", "").replace('"', "") + '"'
    return sa.or_(regions.contains(quoted, autoescape=True), regions.in_(["[]", "null"]))


def _newest() -> ColumnElement[datetime]:
    return sa.func.coalesce(Posting.posted_at, Posting.first_seen_at)


def _pay() -> ColumnElement[float]:
    return sa.func.coalesce(Posting.salary_annual_max, Posting.salary_annual_min)


def _with_skills(skills: tuple[str, ...]) -> sa.Select[tuple[int]]:
    return sa.select(PostingSkill.posting_id).where(PostingSkill.skill.in_(skills))


def _sort(filters: PostingFilters, keywords: KeywordQuery) -> str:
    sort = filters.sort or ("relevance" if keywords.required else "newest")
    return "newest" if sort == "relevance" and not keywords.required else sort


def _normalised(filters: PostingFilters) -> PostingFilters:
    """The search as a cache key: keywords apart (parsed), order and letter case that change nothing folded away."""
    return replace(
        filters,
        q="",
        sort=None,
        skills=tuple(sorted(filters.skills)),
        skills_mode=filters.skills_mode if len(filters.skills) > 1 else "all",
        exclude_skills=tuple(sorted(filters.exclude_skills)),
        seniority=tuple(sorted(filters.seniority)),
        company=filters.company.lower() if filters.company else filters.company,
        exclude_companies=tuple(sorted({c.lower() for c in filters.exclude_companies})),
        currency=filters.currency if filters.min_salary is not None else "USD",
    )


T = TypeVar("T")


class _Memo(Protocol):
    def __call__(self, key: Hashable, compute: Callable[[], T]) -> T: ...


def _memo(session: Session, cache: SearchCache | None) -> _Memo:
    """Look a computation up in the cache (stamped with the store's version), or just run it without a cache."""
    if cache is None:
        # Within one call the same computation may be asked for twice (the counts and the cube they come from).
        local: dict[Hashable, Any] = {}

        def run(key: Hashable, compute: Callable[[], T]) -> T:
            if key not in local:
                local[key] = compute()
            return local[key]  # type: ignore[no-any-return]

        return run
    version = store_version(session)

    def cached(key: Hashable, compute: Callable[[], T]) -> T:
        return cache.get_or_compute(key, version, compute)

    return cached


def _ready_index(session: Session, cache: SearchCache | None) -> SearchIndex | None:
    """The process's column index, when it can answer at the store's current version (a cheap check)."""
    if cache is None or cache.index is None or not cache.index.usable(session, store_version(session)):
        return None
    return cache.index


def _indexed(
    session: Session, keywords: KeywordQuery, cache: SearchCache | None
) -> tuple[SearchIndex, Matches | None] | None:
    """The ready index and the search's full-text matches (each phrase's fetched once per index state): only where
    something is computed, since the matches of a common word take the backend tens or hundreds of milliseconds."""
    index = _ready_index(session, cache)
    if index is None:
        return None
    if not keywords:
        return index, None
    backend = _backend(session)
    return index, index.matches(keywords, lambda phrase, among: backend.match_ids(session, phrase, among))


def search_postings(
    session: Session,
    filters: PostingFilters,
    page: int = 1,
    per_page: int = 20,
    *,
    cache: SearchCache | None = None,
    summary: bool = False,
) -> SearchPage:
    """One page of the search and its total.

    ``summary``: the items are :class:`PostingSummary` (what a result list shows) rather than postings with every
    column. With a ``cache``, the total comes from the search's facet combinations (:func:`facet_counts` shares
    them), and the page (its posting ids, or its summaries) is cached; full postings are always read fresh.
    """
    page = max(1, page)
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    keywords = parse_keywords(filters.q)
    memo = _memo(session, cache)
    if cache is None:
        total = _count(session, filters, keywords)
    elif _ready_index(session, cache) is not None:

        def count() -> int:
            # The index counts a total alone faster than it counts the facets with it.
            indexed = _indexed(session, keywords, cache)
            if indexed is None:  # it went away since (a reload past too many changes)
                return _counts(session, filters, keywords, memo, cache).total
            return indexed[0].count(filters, indexed[1])

        total = memo(("total", keywords, _normalised(filters)), count)
    else:
        total = _counts(session, filters, keywords, memo, cache).total
    if (page - 1) * per_page >= total:
        return SearchPage(total=total, items=[], page=page, per_page=per_page)
    sort = _sort(filters, keywords)
    key = ("page", keywords, _normalised(filters), sort, page, per_page)

    def ids() -> list[int]:
        indexed = _indexed(session, keywords, cache)
        if indexed is not None:
            index, matches = indexed
            return index.page_ids(filters, sort, (page - 1) * per_page, per_page, matches, keywords.required)
        return _page_ids(session, filters, keywords, sort, page, per_page)

    if summary:
        index = _ready_index(session, cache)
        items: list[Any] = list(memo((*key, "summary"), lambda: _summaries(session, ids(), index)))
    else:
        items = _load(session, memo(key, ids))
    return SearchPage(total=total, items=items, page=page, per_page=per_page)


def _count(session: Session, filters: PostingFilters, keywords: KeywordQuery) -> int:
    backend = _backend(session)
    query = sa.select(sa.func.count()).select_from(Posting).where(*_where(filters, keywords, backend))
    return session.scalar(query) or 0


def _page_ids(
    session: Session, filters: PostingFilters, keywords: KeywordQuery, sort: str, page: int, per_page: int
) -> list[int]:
    backend = _backend(session)
    keyword_ids, skill_ids = backend.walk_ids(session, keywords)
    newest = _newest()
    then = (newest.desc(), Posting.id.desc())
    if sort == "relevance":
        where = _where(
            filters,
            keywords,
            backend,
            skill_ids=skill_ids,
            required_keywords=not backend.RANKING_FILTERS,
        )
        query = backend.by_relevance(sa.select(Posting.id).where(*where), keywords, then)
    else:
        where = _where(filters, keywords, backend, keyword_ids=keyword_ids, skill_ids=skill_ids)
        # By salary: postings without one last, whatever the database's NULL ordering.
        order = (_pay().is_(None), _pay().desc(), *then) if sort == "salary" else then
        query = sa.select(Posting.id).where(*where).order_by(*order)
    return list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)))


def _load(session: Session, ids: list[int]) -> list[Posting]:
    """The postings of these ids, in this order."""
    if not ids:
        return []
    options = (selectinload(Posting.skills), selectinload(Posting.source))
    found = {p.id: p for p in session.scalars(sa.select(Posting).where(Posting.id.in_(ids)).options(*options))}
    return [found[i] for i in ids if i in found]


def _summaries(session: Session, ids: list[int], index: SearchIndex | None = None) -> tuple[PostingSummary, ...]:
    """Summaries of the postings of these ids, in this order; those the ``index`` holds (:meth:`SearchIndex.
    summaries`) are not read again."""
    if not ids:
        return ()
    found = index.summaries(ids) if index is not None else {}
    missing = [posting_id for posting_id in ids if posting_id not in found]
    if missing:
        session.flush()
        found = {**found, **read_summaries(session.connection(), missing)}
    return tuple(found[posting_id] for posting_id in ids if posting_id in found)


# Facets counted for a result set: each is the column's values with how many matching postings have each.
FACETS = ("remote", "sector", "seniority", "employment_type", "visa_sponsorship", "skill", "source")
# The facets the search page shows (the API offers every one).
PAGE_FACETS = ("remote", "sector", "seniority", "employment_type", "visa_sponsorship", "skill")
FACET_LIMIT = 30

# The facet-value combinations of a search, with how many postings have each: (is_backend, remote, sector,
# seniority, employment_type, visa_sponsorship, postings, postings open to the search's region). One grouped query
# (its GROUP BY in the order of an index on SQLite, so nothing is sorted) answers the total, the hidden roles and the
# five column facets for every choice of those columns, so a cached one serves each refinement of the search.
_CUBE_COLUMNS = (
    Posting.is_backend,
    Posting.remote,
    Posting.sector,
    Posting.seniority,
    Posting.employment_type,
    Posting.visa_sponsorship,
)
_CUBE_FACETS = {"remote": 1, "sector": 2, "seniority": 3, "employment_type": 4, "visa_sponsorship": 5}
Cube = tuple[tuple[Any, ...], ...]


def _without_facet_choices(filters: PostingFilters) -> PostingFilters:
    return replace(
        filters,
        remote=None,
        region=None,
        sector=None,
        seniority=(),
        employment_type=None,
        visa_sponsorship=None,
        include_other_roles=True,
    )


def _cube_key(filters: PostingFilters, keywords: KeywordQuery) -> Hashable:
    # The region stays in the key: the region count of each combination depends on it.
    return ("cube", keywords, replace(_normalised(_without_facet_choices(filters)), region=filters.region))


def _cube(session: Session, filters: PostingFilters, keywords: KeywordQuery) -> Cube:
    backend = _backend(session)
    where = _where(_without_facet_choices(filters), keywords, backend)
    region = (
        sa.func.sum(sa.case((_open_to(filters.region), 1), else_=0)) if filters.region else sa.literal(0, sa.Integer)
    )
    query = sa.select(*_CUBE_COLUMNS, sa.func.count(), region).where(*where).group_by(*_CUBE_COLUMNS)
    rows = session.execute(query)
    # Interned: thousands of combinations share a handful of values (a cache holds many cubes).
    return tuple(
        (bool(row[0]), *(None if v is None else sys.intern(str(v)) for v in row[1:6]), int(row[6]), int(row[7] or 0))
        for row in rows
    )


@dataclass(frozen=True)
class _Counts:
    """What a search's cube answers for its facet choices."""

    total: int
    other_roles: int
    facets: dict[str, list[tuple[str, int]]]


# A bit per column facet, set on a combination for each facet choice of the search it misses.
_BITS = {facet: 1 << i for i, facet in enumerate(_CUBE_FACETS)}


def _from_cube(cube: Cube, filters: PostingFilters) -> _Counts:
    """The total, the hidden roles and each column facet (ignoring its own choice), in one pass over the cube."""
    tallies: dict[str, Counter[str]] = {facet: Counter() for facet in _CUBE_FACETS}
    total = other_roles = 0
    seniority = set(filters.seniority)
    for row in cube:
        is_backend, remote, sector, level, employment_type, visa, postings, in_region = row
        missed = 0
        if (filters.remote and remote != filters.remote) or (filters.region and remote != "remote"):
            missed |= _BITS["remote"]
        if filters.sector and sector != filters.sector:
            missed |= _BITS["sector"]
        if seniority and level not in seniority:
            missed |= _BITS["seniority"]
        if filters.employment_type and employment_type != filters.employment_type:
            missed |= _BITS["employment_type"]
        if filters.visa_sponsorship and visa != filters.visa_sponsorship:
            missed |= _BITS["visa_sponsorship"]
        # The region is part of the remote choice: the remote facet, which ignores that choice, counts every posting.
        count = in_region if filters.region else postings
        if not is_backend and not filters.include_other_roles:
            if not missed:
                other_roles += count
            continue
        if not missed:
            total += count
        for facet, value in zip(_CUBE_FACETS, row[1:6], strict=True):
            if value is not None and not missed & ~_BITS[facet]:
                tallies[facet][str(value)] += postings if facet == "remote" else count
    facets = {
        facet: sorted(((v, n) for v, n in tally.items() if n), key=lambda item: (-item[1], item[0]))[:FACET_LIMIT]
        for facet, tally in tallies.items()
    }
    return _Counts(total=total, other_roles=other_roles, facets=facets)


def _counts(
    session: Session, filters: PostingFilters, keywords: KeywordQuery, memo: _Memo, cache: SearchCache | None = None
) -> _Counts:
    """The search's counts from its cube (both cached by ``memo``: the cube for every refinement by facet columns)."""

    def derive() -> _Counts:
        indexed = _indexed(session, keywords, cache)
        if indexed is not None:
            total, other_roles, facets = indexed[0].counts(filters, FACET_LIMIT, indexed[1])
            return _Counts(total=total, other_roles=other_roles, facets=facets)
        return _from_cube(memo(_cube_key(filters, keywords), lambda: _cube(session, filters, keywords)), filters)

    return memo(("counts", keywords, _normalised(filters)), derive)


def _skill_facet(
    session: Session, filters: PostingFilters, keywords: KeywordQuery, cache: SearchCache | None = None
) -> list[tuple[str, int]]:
    indexed = _indexed(session, keywords, cache)
    if indexed is not None:
        return indexed[0].skill_facet(filters, FACET_LIMIT, indexed[1])
    backend = _backend(session)
    matching = sa.select(Posting.id).where(*_where(filters, keywords, backend))
    count = sa.func.count()
    rows = session.execute(
        sa.select(PostingSkill.skill, count)
        .where(PostingSkill.posting_id.in_(matching))
        .group_by(PostingSkill.skill)
        .order_by(count.desc(), PostingSkill.skill)
        .limit(FACET_LIMIT)
    )
    return [(str(v), int(n)) for v, n in rows]


def _source_facet(
    session: Session, filters: PostingFilters, keywords: KeywordQuery, cache: SearchCache | None = None
) -> list[tuple[str, int]]:
    indexed = _indexed(session, keywords, cache)
    if indexed is not None:
        return indexed[0].source_facet(filters, FACET_LIMIT, indexed[1])
    scoped = replace(filters, source=None)
    backend = _backend(session)
    count = sa.func.count().label("postings")
    per_source = (
        sa.select(Posting.source_id, count).where(*_where(scoped, keywords, backend)).group_by(Posting.source_id)
    ).subquery()
    rows = session.execute(
        sa.select(Source.key, per_source.c.postings)
        .join(per_source, per_source.c.source_id == Source.id)
        .order_by(per_source.c.postings.desc(), Source.key)
        .limit(FACET_LIMIT)
    )
    return [(str(v), int(n)) for v, n in rows]


def facet_counts(
    session: Session,
    filters: PostingFilters,
    facets: tuple[str, ...] = FACETS,
    *,
    cache: SearchCache | None = None,
) -> dict[str, list[tuple[str, int]]]:
    """For each facet, its values among the postings the search matches (ignoring the facet's own choice), with
    counts, most frequent first (at most FACET_LIMIT a facet)."""
    keywords = parse_keywords(filters.q)
    memo = _memo(session, cache)
    counts: dict[str, list[tuple[str, int]]] = {}
    for facet in facets:
        # Copies: the cached lists are shared.
        if facet in _CUBE_FACETS:
            counts[facet] = list(_counts(session, filters, keywords, memo, cache).facets[facet])
        elif facet == "skill":
            key = ("skill", keywords, _normalised(filters))
            counts[facet] = list(memo(key, lambda: _skill_facet(session, filters, keywords, cache)))
        elif facet == "source":
            key = ("source", keywords, _normalised(replace(filters, source=None)))
            counts[facet] = list(memo(key, lambda: _source_facet(session, filters, keywords, cache)))
        else:
            raise ValueError(f"unknown facet {facet!r}")
    return counts


def count_other_roles(session: Session, filters: PostingFilters, *, cache: SearchCache | None = None) -> int:
    """How many postings match but are hidden for not being back-end roles (shown on request)."""
    if filters.include_other_roles:
        return 0
    keywords = parse_keywords(filters.q)
    if cache is not None:
        return _counts(session, filters, keywords, _memo(session, cache), cache).other_roles
    backend = _backend(session)
    where = _where(replace(filters, include_other_roles=True), keywords, backend)
    query = sa.select(sa.func.count()).select_from(Posting).where(*where, Posting.is_backend.is_(False))
    return session.scalar(query) or 0


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
    "PAGE_FACETS",
    "POSTED_WITHIN",
    "SORTS",
    "KeywordQuery",
    "PostingFilters",
    "PostingSummary",
    "SearchCache",
    "SearchIndex",
    "SearchPage",
    "count_other_roles",
    "facet_counts",
    "listing_postings",
    "parse_keywords",
    "search_postings",
    "similar_postings",
    "store_version",
]
