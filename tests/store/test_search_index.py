"""The column index answers searches exactly as SQL does, keywords included, and keeps up with the store."""

from __future__ import annotations

import math
import random
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa

from store.db import Database
from store.models import Posting, Source
from store.queries.postings import close_missing, upsert_postings
from store.search import (
    FACETS,
    PostingFilters,
    SearchCache,
    SearchIndex,
    _backend,
    count_other_roles,
    facet_counts,
    search_postings,
    store_version,
)
from store.search.keywords import parse_keywords, stems
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
    _varied,
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


# Stop words: PostgreSQL's full-text query leaves them out ("work on" is "work"; "the" alone matches nothing),
# SQLite's indexes every word; either way the index must answer as the backend's query does.
STOP_WORDS = [
    PostingFilters(q="work on payments", sort="newest"),
    PostingFilters(q="the"),
    PostingFilters(q="billing -the", sort="salary"),
]


def _by_relevance(filters: PostingFilters) -> bool:
    return bool(parse_keywords(filters.q).required) and filters.sort in (None, "relevance")


def _reference_relevance(db: Database, filters: PostingFilters) -> list[list[int]]:
    """Pages 1 and 2 (of 7) by relevance, scored here posting by posting: each required phrase adds its rarity
    (ln(1 + (N - n + 0.5) / (n + 0.5)), n postings of N match it) times 3 when the posting's title has its words,
    2 when its company name does, else 1; equal scores newest first (the order SQL gives by newest)."""
    keywords = parse_keywords(filters.q)
    with db.transaction() as s:
        newest = [p.id for p in search_postings(s, replace(filters, sort="newest"), per_page=100).items]
        everyone = s.scalar(sa.select(sa.func.count()).select_from(Posting)) or 0
        rows = {p.id: p for p in s.scalars(sa.select(Posting).where(Posting.id.in_(newest)))}
        matching = [_backend(s).match_ids(s, phrase) for phrase in keywords.required]
    score = dict.fromkeys(newest, 0.0)
    for phrase, ids in zip(keywords.required, matching, strict=True):
        if ids is None:
            continue
        rarity = math.log(1.0 + (everyone - len(ids) + 0.5) / (len(ids) + 0.5))
        words = set(stems(" ".join(phrase)))
        for posting_id in newest:
            posting = rows[posting_id]
            where = 3.0 if words <= set(stems(posting.title)) else 2.0 if words <= set(stems(posting.company)) else 1.0
            score[posting_id] += rarity * where
    ranked = sorted(newest, key=lambda posting_id: (-score[posting_id], newest.index(posting_id)))
    return [ranked[:7], ranked[7:14]]


def _answers_by_relevance(db: Database, filters: PostingFilters, cache: SearchCache | None) -> tuple[object, ...]:
    """What ``_answers`` gives, with the pages' ids apart: the backend ranks them otherwise without the index."""
    with db.transaction() as s:
        page = search_postings(s, filters, per_page=7, cache=cache)
        second = search_postings(s, filters, page=2, per_page=7, cache=cache)
        return (
            (page.total, facet_counts(s, filters, FACETS, cache=cache), count_other_roles(s, filters, cache=cache)),
            [[p.id for p in page.items], [p.id for p in second.items]],
        )


@pytest.mark.parametrize(
    "filters", SEARCHES + STOP_WORDS + _random_searches(40), ids=range(len(SEARCHES) + len(STOP_WORDS) + 40)
)
def test_the_index_answers_as_sql_does(varied: Database, filters: PostingFilters) -> None:  # noqa: F811
    index = SearchIndex(background=False)
    if _by_relevance(filters):
        counts, pages = _answers_by_relevance(varied, filters, _indexed_cache(index))
        assert counts == _answers_by_relevance(varied, filters, None)[0]
        assert pages == _reference_relevance(varied, filters)
    else:
        expected = _answers(varied, filters, None)
        assert _answers(varied, filters, _indexed_cache(index)) == expected
    assert index.loads == 1  # answered from the index, not from SQL
    with varied.transaction() as s:
        assert index.usable(s, store_version(s))


@pytest.mark.parametrize("filters", SEARCHES + _random_searches(40, seed=12), ids=range(len(SEARCHES) + 40))
def test_the_index_answers_as_sql_does_when_a_page_takes_many_chunks(
    varied: Database,  # noqa: F811
    filters: PostingFilters,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # What a million postings take: skills and regions read from packed bits, posting ids through a table, a page
    # (newest or by salary) found over several chunks of the mask, each 4 times the last, and the facet cube's
    # counts of a search with a rare skill read from that skill's rows.
    from store.search import index as module

    monkeypatch.setattr(module, "_TABLE_FROM", 1)
    monkeypatch.setattr(module, "_GATHER_SHARE", 0)
    monkeypatch.setattr(module, "_FIRST_CHUNK", 1)
    monkeypatch.setattr(module, "_CHUNK_PER_WANTED", 0)
    for sort in ("newest", "salary"):
        search = replace(filters, sort=sort)
        assert _answers(varied, search, _indexed_cache(SearchIndex(background=False))) == _answers(varied, search, None)


def _large_index(monkeypatch: pytest.MonkeyPatch, **settings: int) -> SearchIndex:
    """An index that takes every segment for a large one (packed bits, kept counts), with these module settings."""
    from store.search import index as module

    for name, value in {"_TABLE_FROM": 1, **settings}.items():
        monkeypatch.setattr(module, name, value)
    return SearchIndex(background=False)


def _agrees(db: Database, index: SearchIndex, filters: PostingFilters) -> None:
    assert _answers(db, filters, _indexed_cache(index)) == _answers(db, filters, None)


def test_the_skill_counts_kept_per_cell_follow_a_catch_up(
    varied: Database,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A search that narrows only facet columns counts its skill facet from counts kept per cell of the facet cube,
    # and one that narrows one skill besides its cube's counts; a catch-up carries them over, less the rows it marks
    # dead (changed skills, sector, region; closed).
    searches = [
        PostingFilters(),
        PostingFilters(remote="remote", region="Europe"),
        PostingFilters(include_closed=True, include_other_roles=True),
        PostingFilters(sector="Technology", seniority=("senior", "lead")),
        # One skill besides: the facet cube's counts are that skill's column of the same.
        PostingFilters(skills=("Python",), remote="remote", region="Europe"),
        PostingFilters(skills=("Go",), region="US", include_other_roles=True),
        PostingFilters(skills=("Python",), sector="Technology"),
    ]
    index = _large_index(monkeypatch)
    for filters in searches:
        _agrees(varied, index, filters)
    assert any(key[0] == "skill cells" for key in index._state.main._bases)  # type: ignore[union-attr]
    board_a = _varied(80)[:50]
    changed = [
        replace(r, skills=("Go",), sector="Technology", remote="remote", remote_regions=("Europe",))  # type: ignore[type-var]
        for r in board_a[:12]
    ]
    later = NOW + timedelta(hours=1)
    with varied.transaction() as s:
        board = s.scalar(sa.select(Source.id).where(Source.key == "board-a"))
        upsert_postings(s, board, [*changed, *board_a[12:]], later)  # type: ignore[arg-type]
        close_missing(s, board, {r.external_id for r in board_a[:40]}, later)  # type: ignore[attr-defined]
    for filters in searches:
        _agrees(varied, index, filters)
    assert index.loads == 1
    assert index.catch_ups == 1


def test_the_skill_counts_per_cell_kept_are_those_used_last(
    varied: Database,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    index = _large_index(monkeypatch, _SKILL_CELLS_KEPT=2)
    for filters in (
        PostingFilters(),
        PostingFilters(remote="remote", region="Europe"),
        PostingFilters(sector="Technology"),
        PostingFilters(include_closed=True),
    ):
        _agrees(varied, index, filters)
    # Europe's went: the landing page's key was used after it.
    assert index._state.main.skill_cell_keys() == [(False, None), (True, None)]  # type: ignore[union-attr]


def test_the_skill_facet_of_a_search_requiring_a_skill_counts_among_its_rows(
    varied: Database,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Kept for the skills searched last, so many of them; the answers are SQL's whichever is kept.
    index = _large_index(monkeypatch, _AMONG_SHARE=1, _AMONG_KEPT=2)
    for skills in (("Python",), ("Java",), ("Python",), ("Go",), ("Go", "Python")):
        _agrees(varied, index, PostingFilters(skills=skills, remote="remote"))
    # The least recently used goes: Java (Python was used again after it).
    assert set(index._state.main._among) == {"Python", "Go"}  # type: ignore[union-attr]


def test_a_load_makes_the_skill_counts_per_cell_searches_used(
    varied: Database,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Made while loading, not by a search: those of the landing page, and those the state before had made (and
    # the same of a skill's rows).
    index = _large_index(monkeypatch, _AMONG_SHARE=1)
    index.load(varied.engine)
    assert index._state.main.skill_cell_keys() == [(False, None)]  # type: ignore[union-attr]
    loaded = index.nbytes()
    for filters in (
        PostingFilters(region="Europe", remote="remote"),
        PostingFilters(include_closed=True),
        PostingFilters(skills=("Go",), salary_stated=True),
    ):
        _agrees(varied, index, filters)
    assert index.nbytes() > loaded  # what searches made is counted as held
    index.load(varied.engine)
    assert index._state.main.skill_cell_keys() == [(False, None), (False, "Europe"), (True, None)]  # type: ignore[union-attr]
    assert list(index._state.main._among) == ["Go"]  # type: ignore[union-attr]


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


def test_result_pages_take_the_summaries_the_index_holds_until_a_posting_changes(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    import store.search

    index = SearchIndex(background=False)
    with db.transaction() as s:
        source = make_source(s)
        upsert_postings(s, source, [record("a", title="Backend Engineer"), record("b", title="API Engineer")], NOW)
    index.load(db.engine)
    read = store.search.read_summaries

    def unread(*args: object) -> None:
        raise AssertionError("read from the store")

    monkeypatch.setattr(store.search, "read_summaries", unread)
    with db.transaction() as s:
        held = search_postings(s, PostingFilters(), summary=True, cache=_indexed_cache(index)).items
        assert len(held) == 2
        assert {p.id: p for p in held} == read(s.connection(), [p.id for p in held])
    with db.transaction() as s:
        upsert_postings(
            s,
            source,
            [record("a", title="Platform Engineer"), record("b", title="API Engineer")],
            NOW + timedelta(hours=1),
        )
    monkeypatch.setattr(store.search, "read_summaries", read)  # the changed one is read again
    with db.transaction() as s:
        page = search_postings(s, PostingFilters(), summary=True, cache=_indexed_cache(index)).items
        assert sorted(p.title for p in page) == ["API Engineer", "Platform Engineer"]
    assert index.loads == 1


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


def _relevance_ids(db: Database, index: SearchIndex, q: str) -> list[str]:
    with db.transaction() as s:
        page = search_postings(s, PostingFilters(q=q), cache=_indexed_cache(index))
        return [p.external_id for p in page.items]


def test_relevance_ranks_title_then_company_then_text_and_newest_among_equals(db: Database) -> None:
    index = SearchIndex(background=False)
    day = timedelta(days=1)
    with db.transaction() as s:
        source = make_source(s)
        upsert_postings(
            s,
            source,
            [
                record("text", title="Backend Engineer", description_text="Our ledger service.", posted_at=NOW),
                record("title-old", title="Ledger Engineer", posted_at=NOW - 9 * day),
                record("company", company="Ledger Labs", posted_at=NOW - 5 * day),
                # Inflected: the stems match ("ledgers" -> "ledger"), as the full-text search's do.
                record("title-new", title="Senior Ledgers Platform Engineer", posted_at=NOW - 2 * day),
                record("no", title="Frontend Engineer", description_text="Nothing of the kind.", posted_at=NOW),
            ],
            NOW,
        )
    assert _relevance_ids(db, index, "ledger") == ["title-new", "title-old", "company", "text"]
    # Newer postings, caught up into the second segment, rank among the loaded ones by the same rule.
    with db.transaction() as s:
        upsert_postings(
            s,
            source,
            [
                record("title-newest", title="Ledger Developer", posted_at=NOW - day),
                record("text-newest", description_text="A ledger.", posted_at=NOW + day),
            ],
            NOW + day,
        )
    expected = ["title-newest", "title-new", "title-old", "company", "text-newest", "text"]
    assert _relevance_ids(db, index, "ledger") == expected
    assert index.loads == 1 and index.catch_ups == 1


def test_relevance_weighs_a_rare_word_above_a_common_one(db: Database) -> None:
    index = SearchIndex(background=False)
    with db.transaction() as s:
        source = make_source(s)
        common = [record(f"c{i}", description_text="Platform work.") for i in range(8)]
        upsert_postings(
            s,
            source,
            [
                *common,
                # "platform" in the title, "rust" in the text; then the other way round, older.
                record("platform-title", title="Platform Engineer", description_text="Rust.", posted_at=NOW),
                record("rust-title", title="Rust Engineer", description_text="Platform.", posted_at=NOW - timedelta(1)),
            ],
            NOW,
        )
    assert _relevance_ids(db, index, "platform rust") == ["rust-title", "platform-title"]
    # One phrase alone: its rarity is the same for every posting, and the title decides.
    assert _relevance_ids(db, index, "platform")[0] == "platform-title"


def _record_fetches(monkeypatch: pytest.MonkeyPatch, backend: object) -> list[tuple[tuple[str, ...], int | None]]:
    """Each phrase the backend is asked for from now on, with how many ids it is asked about (None: all)."""
    asked: list[tuple[tuple[str, ...], int | None]] = []
    fetch = backend.match_ids  # type: ignore[attr-defined]

    def recording(session, phrase, among=None):  # type: ignore[no-untyped-def]
        asked.append((phrase, None if among is None else len(among)))
        return fetch(session, phrase, among)

    monkeypatch.setattr(backend, "match_ids", recording)
    return asked


def _write(db: Database, source: int, at: datetime, texts: dict[str, str]) -> None:
    """Postings of these external ids and descriptions, as seen at ``at``."""
    with db.transaction() as s:
        upsert_postings(s, source, [record(key, description_text=text) for key, text in texts.items()], at)


def test_kept_matches_are_brought_up_to_date_from_the_changed_postings(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = SearchIndex(background=False)
    with db.transaction() as s:
        source = make_source(s)
        backend = _backend(s)
    texts = {"stays": "Ledger work.", "loses": "Ledger services.", "other": "Billing."}
    _write(db, source, NOW, texts)
    asked = _record_fetches(monkeypatch, backend)
    search = PostingFilters(q="ledger", sort="newest")
    assert sorted(_relevance_ids(db, index, "ledger")) == ["loses", "stays"]
    assert _answers(db, search, _indexed_cache(index)) == _answers(db, search, None)
    assert asked == [(("ledger",), None)]  # fetched whole, once, for both searches
    _write(db, source, NOW + timedelta(hours=1), {"loses": "Payments.", "other": "Billing, ledger.", "new": "Ledger."})
    assert _answers(db, search, _indexed_cache(index)) == _answers(db, search, None)
    assert sorted(_relevance_ids(db, index, "ledger")) == ["new", "other", "stays"]
    # Brought up to date from the postings read again, not fetched whole: the three changed, and "stays", updated
    # within the minute of overlap before the newest update read (see OVERLAP).
    assert asked == [(("ledger",), None), (("ledger",), index.rows_caught_up)] and index.rows_caught_up == 4
    assert index.loads == 1 and index.catch_ups == 1


def test_a_reload_fetches_the_phrases_searched_last_before_it_answers(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [0.0]
    index = SearchIndex(background=False, rebuild_after=600, clock=lambda: now[0])
    with db.transaction() as s:
        source = make_source(s)
        backend = _backend(s)
        upsert_postings(s, source, [record("a", description_text="Ledger."), record("b")], NOW)
    asked = _record_fetches(monkeypatch, backend)
    assert _relevance_ids(db, index, "ledger") == ["a"]
    whole = (("ledger",), None)
    assert asked == [whole]
    with db.transaction() as s:
        upsert_postings(s, source, [record("c", description_text="Ledger too.", posted_at=NOW - timedelta(1))], NOW)
    now[0] = 601.0
    with db.transaction() as s:
        assert index.usable(s, store_version(s))
    assert index.loads == 2
    assert asked == [whole, whole]  # by the load
    assert _relevance_ids(db, index, "ledger") == ["a", "c"]
    assert asked == [whole, whole]  # the search had them
