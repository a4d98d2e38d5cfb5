"""The search cache: cached answers equal uncached ones, an ingest shows at once, and entries expire."""

from __future__ import annotations

import random
import threading
import time
from dataclasses import replace
from datetime import timedelta

import pytest

from store.db import Database
from store.queries.postings import close_missing, upsert_postings
from store.search import (
    FACETS,
    PostingFilters,
    PostingSummary,
    SearchCache,
    SearchIndex,
    count_other_roles,
    facet_counts,
    search_postings,
)
from tests.store.helpers import NOW, make_source, record

REMOTE = ("remote", "hybrid", "onsite", "unknown")
SECTORS = ("Technology", "Financial services", "Healthcare", "Education")
LEVELS = ("senior", "mid", "junior", "lead", "unknown")
TYPES = ("full_time", "contract", None)
VISA = ("not_stated", "offered", "not_offered")
SKILLS = ("Python", "Go", "Java", "PostgreSQL", "Kafka", "Django")
REGIONS = ((), ("Europe",), ("US",), ("Europe", "US"))
WORDS = ("payments", "platform", "ledger", "search", "billing", "identity")


def _varied(count: int, seed: int = 7) -> list[object]:
    rng = random.Random(seed)
    records = []
    for i in range(count):
        remote = rng.choice(REMOTE)
        stated = rng.random() < 0.4
        pay = float(rng.randrange(60, 200) * 1000)
        records.append(
            record(
                f"p{i}",
                title=f"{rng.choice(('Backend', 'Platform', 'Python', 'Frontend'))} Engineer {rng.choice(WORDS)}",
                company=rng.choice(("Acme", "Ledgerly", "Shipfast", "Bankco")),
                description_text=f"Work on {rng.choice(WORDS)} and {rng.choice(WORDS)} services.",
                skills=tuple(sorted(rng.sample(SKILLS, rng.randint(0, 3)))),
                remote=remote,
                remote_regions=rng.choice(REGIONS) if remote == "remote" else (),
                sector=rng.choice(SECTORS),
                seniority=rng.choice(LEVELS),
                employment_type=rng.choice(TYPES),
                visa_sponsorship=rng.choice(VISA),
                is_backend=rng.random() < 0.7,
                salary_currency="USD" if stated else None,
                salary_annual_min=pay if stated else None,
                salary_annual_max=pay + 20000 if stated else None,
                posted_at=NOW - timedelta(days=rng.randint(0, 60), hours=rng.randint(0, 23)),
            )
        )
    return records


@pytest.fixture
def varied(db: Database) -> Database:
    records = _varied(80)
    with db.transaction() as s:
        first, second = make_source(s, "board-a"), make_source(s, "board-b", name="Board B")
        upsert_postings(s, first, records[:50], NOW)  # type: ignore[arg-type]
        upsert_postings(s, second, records[50:], NOW)  # type: ignore[arg-type]
        # Some closed, so that include_closed has something to show.
        close_missing(s, first, {f"p{i}" for i in range(50) if i % 6}, NOW)
    return db


SEARCHES = [
    PostingFilters(),
    PostingFilters(remote="remote"),
    PostingFilters(remote="remote", region="Europe"),
    PostingFilters(region="US", sector="Technology"),
    PostingFilters(sector="Healthcare", seniority=("senior", "lead")),
    PostingFilters(employment_type="contract", visa_sponsorship="offered"),
    PostingFilters(include_other_roles=True, remote="hybrid"),
    PostingFilters(include_closed=True, sector="Education"),
    PostingFilters(skills=("Python",), remote="remote"),
    PostingFilters(skills=("Python", "Go"), skills_mode="any", seniority=("mid",)),
    PostingFilters(skills=("Python", "PostgreSQL")),
    PostingFilters(exclude_skills=("Java",), region="Europe"),
    PostingFilters(q="payments", remote="onsite"),
    PostingFilters(q="platform -ledger", sector="Financial services"),
    PostingFilters(q="billing", sort="newest", include_other_roles=True),
    PostingFilters(min_salary=120000, visa_sponsorship="not_stated"),
    PostingFilters(salary_stated=True, sort="salary"),
    PostingFilters(company="ledgerly", remote="unknown"),
    PostingFilters(exclude_companies=("Acme",), seniority=("junior", "unknown")),
    PostingFilters(source="board-b", region="US"),
    PostingFilters(posted_within="30d"),
]


def _answers(db: Database, filters: PostingFilters, cache: SearchCache | None) -> tuple[object, ...]:
    with db.transaction() as s:
        page = search_postings(s, filters, per_page=7, cache=cache)
        second = search_postings(s, filters, page=2, per_page=7, cache=cache)
        return (
            page.total,
            [p.id for p in page.items],
            [p.id for p in second.items],
            facet_counts(s, filters, FACETS, cache=cache),
            count_other_roles(s, filters, cache=cache),
        )


# Each column facet's values, and the search that picks one (the facet ignores its own choice, which it replaces).
_CHOICES = {
    "remote": (REMOTE, lambda f, v: replace(f, remote=v, region=None)),
    "sector": (SECTORS, lambda f, v: replace(f, sector=v)),
    "seniority": (LEVELS, lambda f, v: replace(f, seniority=(v,))),
    "employment_type": (("full_time", "contract"), lambda f, v: replace(f, employment_type=v)),
    "visa_sponsorship": (VISA, lambda f, v: replace(f, visa_sponsorship=v)),
}


def _reference_facets(db: Database, filters: PostingFilters) -> dict[str, list[tuple[str, int]]]:
    """The column facets counted one value at a time, as the total of the search that picks it (plain counts)."""
    facets = {}
    with db.transaction() as s:
        for facet, (values, pick) in _CHOICES.items():
            counts = [(v, search_postings(s, pick(filters, v)).total) for v in values]
            facets[facet] = sorted(((v, n) for v, n in counts if n), key=lambda item: (-item[1], item[0]))
    return facets


@pytest.mark.parametrize("filters", SEARCHES, ids=range(len(SEARCHES)))
def test_facet_counts_match_counting_each_value(varied: Database, filters: PostingFilters) -> None:
    expected = _reference_facets(varied, filters)
    for cache in (None, SearchCache()):
        with varied.transaction() as s:
            counts = facet_counts(s, filters, tuple(_CHOICES), cache=cache)
            assert counts == expected
            hidden = search_postings(s, replace(filters, include_other_roles=True)).total
            shown = search_postings(s, filters).total
            assert count_other_roles(s, filters, cache=cache) == (0 if filters.include_other_roles else hidden - shown)
            assert search_postings(s, filters, cache=cache).total == shown


@pytest.mark.parametrize("filters", SEARCHES, ids=range(len(SEARCHES)))
def test_cached_answers_equal_uncached_ones(varied: Database, filters: PostingFilters) -> None:
    cache = SearchCache()
    uncached = _answers(varied, filters, None)
    assert _answers(varied, filters, cache) == uncached  # computed into the cache
    assert cache.misses > 0
    hits = cache.hits
    assert _answers(varied, filters, cache) == uncached  # answered from it
    assert cache.hits > hits


def test_a_refinement_by_facet_columns_reuses_the_search_cube(varied: Database) -> None:
    cache = SearchCache()
    _answers(varied, PostingFilters(skills=("Python",)), cache)
    cubes = sum(1 for key in cache._entries if isinstance(key, tuple) and key[0] == "cube")
    for refined in (
        PostingFilters(skills=("Python",), remote="remote", region="Europe"),
        PostingFilters(skills=("Python",), sector="Technology", seniority=("senior",)),
    ):
        assert _answers(varied, refined, cache) == _answers(varied, refined, None)
    # The region is part of its cube's key (each combination's count in the region depends on it).
    assert sum(1 for key in cache._entries if isinstance(key, tuple) and key[0] == "cube") == cubes + 1


def test_a_new_posting_shows_at_the_next_search(db: Database) -> None:
    cache = SearchCache()
    with db.transaction() as s:
        source = make_source(s)
        upsert_postings(s, source, [record("a", title="Python Engineer", skills=("Python",), remote="remote")], NOW)
    filters = PostingFilters(q="python", remote="remote")
    before = _answers(db, filters, cache)
    assert before[0] == 1
    with db.transaction() as s:
        upsert_postings(
            s, source, [record("b", title="Python Developer", skills=("Python", "Go"), remote="remote")], NOW
        )
    after = _answers(db, filters, cache)
    assert after == _answers(db, filters, None)
    assert after[0] == 2
    assert dict(after[3]["skill"])["Go"] == 1  # type: ignore[index]


def test_a_changed_or_closed_posting_shows_at_the_next_search(db: Database) -> None:
    cache = SearchCache()
    with db.transaction() as s:
        source = make_source(s)
        upsert_postings(s, source, [record("a", sector="Technology"), record("b", sector="Technology")], NOW)
    filters = PostingFilters(sector="Technology")
    assert _answers(db, filters, cache)[0] == 2
    later = NOW + timedelta(hours=1)
    with db.transaction() as s:
        upsert_postings(s, source, [record("a", sector="Healthcare"), record("b", sector="Technology")], later)
    assert _answers(db, filters, cache) == _answers(db, filters, None)
    assert _answers(db, filters, cache)[0] == 1
    with db.transaction() as s:
        close_missing(s, source, {"a"}, later + timedelta(hours=1))
    assert _answers(db, filters, cache)[0] == 0
    assert _answers(db, PostingFilters(), cache)[0] == 1


def test_what_the_version_does_not_see_expires_with_the_ttl(db: Database) -> None:
    now = [1000.0]
    cache = SearchCache(ttl=60, clock=lambda: now[0])
    with db.transaction() as s:
        source = make_source(s)
        upsert_postings(s, source, [record("a"), record("b"), record("c")], NOW)
        close_missing(s, source, {"b", "c"}, NOW + timedelta(hours=1))
        close_missing(s, source, {"b"}, NOW + timedelta(hours=2))
    assert _answers(db, PostingFilters(), cache)[0] == 1
    # An unchanged posting reopened by a crawl moves neither the newest id, the newest update nor the newest closing.
    with db.transaction() as s:
        upsert_postings(s, source, [record("a"), record("b")], NOW + timedelta(hours=3))
    assert _answers(db, PostingFilters(), None)[0] == 2
    assert _answers(db, PostingFilters(), cache)[0] == 1  # stale, within the TTL
    now[0] += 61
    assert _answers(db, PostingFilters(), cache)[0] == 2


def test_summary_pages_carry_what_a_result_list_shows(db: Database) -> None:
    with db.transaction() as s:
        upsert_postings(
            s, make_source(s), [record("a", description_text="Long text.", skills=("Python", "Django"))], NOW
        )
    # The index holds the summaries of a landing page's first rows, read at its load: they carry the same.
    for cache in (None, SearchCache(), SearchCache(index=SearchIndex(background=False))):
        with db.transaction() as s:
            (summary,) = search_postings(s, PostingFilters(), summary=True, cache=cache).items
            (full,) = search_postings(s, PostingFilters(), cache=cache).items
            assert isinstance(summary, PostingSummary)
            assert [k.skill for k in summary.skills] == [k.skill for k in full.skills] == ["Python", "Django"]
            assert summary.source.key == full.source.key == "acme"
            for name in PostingSummary.__dataclass_fields__:
                if name not in {"skills", "source", "remote_regions"}:
                    assert getattr(summary, name) == getattr(full, name), name
            assert summary.remote_regions == tuple(full.remote_regions)
            assert not hasattr(summary, "description_text") and full.description_text == "Long text."


def test_equivalent_searches_share_entries() -> None:
    from store.search import _normalised

    assert _normalised(PostingFilters(q="x", skills=("Go", "Python"), company="ACME")) == _normalised(
        PostingFilters(q="y", skills=("Python", "Go"), company="acme", sort="salary")
    )
    assert _normalised(PostingFilters(skills=("Go",), skills_mode="any")) == _normalised(PostingFilters(skills=("Go",)))
    assert _normalised(PostingFilters(skills=("Go", "Rust"), skills_mode="any")) != _normalised(
        PostingFilters(skills=("Go", "Rust"))
    )


def test_concurrent_misses_compute_once() -> None:
    cache = SearchCache()
    calls = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.2)
        return 42

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_compute("k", (1,), slow))) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [42] * 6
    assert len(calls) == 1
    assert cache.get_or_compute("k", (2,), lambda: 7) == 7  # another version: computed again


def test_the_cache_is_bounded_by_entries_and_by_rows() -> None:
    cache = SearchCache(max_entries=3)
    for key in "abcd":
        cache.get_or_compute(key, (1,), lambda key=key: key)  # type: ignore[misc]
    assert len(cache) == 3
    assert cache.get_or_compute("a", (1,), lambda: "again") == "again"  # the oldest went first
    rows = SearchCache(max_weight=100)
    for key in "abc":
        rows.get_or_compute(key, (1,), lambda: tuple(range(40)))
    assert len(rows) == 2 and rows.weight == 80
    rows.get_or_compute("big", (1,), lambda: tuple(range(500)))  # larger than the bound: kept alone
    assert len(rows) == 1 and rows.weight == 500
