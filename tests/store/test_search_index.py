"""The column index answers searches exactly as SQL does, keywords included, and keeps up with the store."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

import pytest

from store.db import Database
from store.queries.postings import close_missing, upsert_postings
from store.search import PostingFilters, SearchCache, SearchIndex, store_version
from tests.store.helpers import NOW, make_source, record
from tests.store.test_search_cache import (
    LEVELS,
    REGIONS,
    REMOTE,
    SEARCHES,
    SECTORS,
    SKILLS,
    VISA,
    _answers,
    varied,  # noqa: F401 (a fixture)
)


def _indexed_cache(index: SearchIndex) -> SearchCache:
    # A fresh result cache each time: every answer is computed, from the index.
    return SearchCache(index=index)


def _random_searches(count: int, seed: int = 11) -> list[PostingFilters]:
    rng = random.Random(seed)
    searches = []
    for _ in range(count):
        filters = PostingFilters(
            q=rng.choice(("", "", "", "payments", "platform -ledger", '"python engineer"', "-identity", "billing")),
            skills=tuple(rng.sample(SKILLS, rng.choice((0, 0, 1, 2)))),
            skills_mode=rng.choice(("all", "any")),
            exclude_skills=tuple(rng.sample(SKILLS, rng.choice((0, 0, 0, 1)))),
            remote=rng.choice((None, None, *REMOTE)),
            region=rng.choice((None, None, None, *(r[0] for r in REGIONS if r), "Mars")),
            sector=rng.choice((None, None, *SECTORS, "Nonexistent")),
            seniority=tuple(rng.sample(LEVELS, rng.choice((0, 0, 1, 2)))),
            employment_type=rng.choice((None, None, "full_time", "contract")),
            visa_sponsorship=rng.choice((None, None, *VISA)),
            min_salary=rng.choice((None, None, 100_000, 150_000)),
            currency=rng.choice(("USD", "USD", "EUR")),
            salary_stated=rng.random() < 0.2,
            posted_within=rng.choice((None, None, "24h", "7d", "30d")),
            company=rng.choice((None, None, None, "acme", "LEDGERLY", "Nobody")),
            exclude_companies=tuple(rng.sample(("Acme", "Bankco", "Nobody"), rng.choice((0, 0, 1)))),
            source=rng.choice((None, None, "board-a", "board-b", "no-such-board")),
            include_closed=rng.random() < 0.2,
            include_other_roles=rng.random() < 0.3,
            sort=rng.choice((None, "newest", "salary", "relevance")),
        )
        searches.append(filters)
    return searches


@pytest.mark.parametrize("filters", SEARCHES + _random_searches(40), ids=range(len(SEARCHES) + 40))
def test_the_index_answers_as_sql_does(varied: Database, filters: PostingFilters) -> None:  # noqa: F811
    index = SearchIndex(background=False)
    expected = _answers(varied, filters, None)
    assert _answers(varied, filters, _indexed_cache(index)) == expected
    assert index.loads == 1  # answered from the index, not from SQL
    with varied.transaction() as s:
        assert index.usable(s, store_version(s))


def _ids(db: Database, filters: PostingFilters, cache: SearchCache) -> tuple[object, ...]:
    return _answers(db, filters, cache)


def test_new_changed_and_closed_postings_show_at_the_next_search(db: Database) -> None:
    index = SearchIndex(background=False)
    with db.transaction() as s:
        source = make_source(s)
        upsert_postings(s, source, [record("a", sector="Technology"), record("b", sector="Technology")], NOW)
    filters = PostingFilters(sector="Technology")
    assert _answers(db, filters, _indexed_cache(index))[0] == 2
    later = NOW + timedelta(hours=1)
    with db.transaction() as s:
        upsert_postings(
            s,
            source,
            [record("a", sector="Healthcare"), record("b", sector="Technology"), record("c", skills=("Go",))],
            later,
        )
    for search in (filters, PostingFilters(), PostingFilters(skills=("Go",)), PostingFilters(sector="Healthcare")):
        assert _answers(db, search, _indexed_cache(index)) == _answers(db, search, None)
    assert _answers(db, filters, _indexed_cache(index))[0] == 2  # b and the new c
    assert index.rows_caught_up == 3
    with db.transaction() as s:
        close_missing(s, source, {"a"}, later + timedelta(hours=1))
    assert _answers(db, PostingFilters(), _indexed_cache(index))[0] == 1
    assert _answers(db, PostingFilters(include_closed=True), _indexed_cache(index))[0] == 3
    # Caught up from the changed rows, never loaded again: b and c (closed) read; a, updated within the overlap
    # but unchanged since it was read, not read again.
    assert index.loads == 1
    assert index.catch_ups == 2
    assert index.rows_caught_up == 3 + 2


def test_a_small_store_is_loaded_by_the_first_search(varied: Database) -> None:  # noqa: F811
    index = SearchIndex()
    assert _answers(varied, PostingFilters(), _indexed_cache(index)) == _answers(varied, PostingFilters(), None)
    assert index.loads == 1
    assert index._loading is None


def test_many_changes_load_everything_again(db: Database) -> None:
    index = SearchIndex(background=False, max_delta=3)
    with db.transaction() as s:
        source = make_source(s)
        upsert_postings(s, source, [record("a")], NOW)
    assert _answers(db, PostingFilters(), _indexed_cache(index))[0] == 1
    with db.transaction() as s:
        upsert_postings(s, source, [record(f"n{i}") for i in range(5)], NOW)
    # Too many for the second segment: SQL answers this search, and the next load takes them all.
    assert _answers(db, PostingFilters(), _indexed_cache(index))[0] == 6
    assert _answers(db, PostingFilters(), _indexed_cache(index))[0] == 6
    assert index.loads == 2


def test_a_loaded_index_is_reloaded_after_rebuild_after(db: Database) -> None:
    now = [0.0]
    index = SearchIndex(background=False, rebuild_after=600, clock=lambda: now[0])
    with db.transaction() as s:
        source = make_source(s)
        upsert_postings(s, source, [record("a"), record("b"), record("c")], NOW)
        close_missing(s, source, {"b", "c"}, NOW + timedelta(hours=1))
        close_missing(s, source, {"b"}, NOW + timedelta(hours=2))
    assert _answers(db, PostingFilters(), _indexed_cache(index))[0] == 1
    # A reopened, unchanged posting moves no part of the store's version: only the reload sees it.
    with db.transaction() as s:
        upsert_postings(s, source, [record("a"), record("b")], NOW + timedelta(hours=3))
    assert _answers(db, PostingFilters(), _indexed_cache(index))[0] == 1
    now[0] += 601
    assert _answers(db, PostingFilters(), _indexed_cache(index))[0] == 2
    assert index.loads == 2


def test_the_first_search_loads_in_the_background_and_sql_answers_meanwhile(varied: Database) -> None:  # noqa: F811
    index = SearchIndex(inline_below=0)
    filters = PostingFilters(remote="remote")
    expected = _answers(varied, filters, None)
    assert _answers(varied, filters, _indexed_cache(index)) == expected
    assert index._loading is not None
    index._loading.join(timeout=30)
    assert index.loads == 1
    with varied.transaction() as s:
        assert index.usable(s, store_version(s))
    assert _answers(varied, replace(filters, sort="salary"), _indexed_cache(index)) == _answers(
        varied, replace(filters, sort="salary"), None
    )


def test_a_failed_background_load_is_retried_after_a_pause(varied: Database) -> None:  # noqa: F811
    now = [0.0]
    index = SearchIndex(inline_below=0, clock=lambda: now[0])
    attempts = []
    real_load = index.load

    def failing_load(engine: object) -> None:
        attempts.append(now[0])
        raise OSError("disk gone")

    index.load = failing_load  # type: ignore[method-assign]
    filters = PostingFilters()
    for _ in range(3):  # SQL answers; one load is tried, not one per search
        assert _answers(varied, filters, _indexed_cache(index)) == _answers(varied, filters, None)
        assert index._loading is not None
        index._loading.join(timeout=30)
    assert attempts == [0.0]
    index.load = real_load  # type: ignore[method-assign]
    now[0] += 31
    _answers(varied, filters, _indexed_cache(index))
    assert index._loading is not None
    index._loading.join(timeout=30)
    assert index.status == "loaded"
