from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import event, text

from store.db import Database
from store.queries.postings import close_missing, upsert_postings
from store.search import PostingFilters, search_postings
from tests.store.helpers import NOW, make_source, record


@pytest.fixture
def seeded(db: Database) -> Database:
    postings = [
        record(
            "py",
            title="Senior Python Developer",
            company="Ledgerly",
            description_text="Build payment APIs with Django and PostgreSQL. Event sourcing experience helps.",
            skills=("Python", "Django", "PostgreSQL"),
            remote="remote",
            sector="Financial services",
            posted_at=NOW - timedelta(days=1),
        ),
        record(
            "go",
            title="Backend Engineer (Go)",
            company="Shipfast",
            description_text="Developers here write Go services on Kubernetes; some Python scripting.",
            skills=("Go", "Kubernetes", "Python"),
            remote="hybrid",
            sector="Transportation & logistics",
            posted_at=NOW - timedelta(days=2),
        ),
        record(
            "php",
            title="PHP Laravel Engineer",
            company="Cartwheel",
            description_text="Maintain our Laravel shop. Sourcing of events is not part of this job.",
            skills=("PHP", "Laravel", "MySQL"),
            remote="onsite",
            sector="Retail & e-commerce",
            posted_at=NOW - timedelta(days=3),
        ),
        record(
            "old",
            title="Python Engineer (filled)",
            company="Gone Inc",
            description_text="Python.",
            skills=("Python",),
            remote="remote",
            sector="Technology",
            posted_at=NOW - timedelta(days=30),
        ),
    ]
    with db.transaction() as s:
        source = make_source(s)
        upsert_postings(s, source, postings, NOW)
        close_missing(s, source, {"py", "go", "php"}, NOW)
    return db


def ids(db: Database, **filters: object) -> list[str]:
    with db.transaction() as s:
        page = search_postings(s, PostingFilters(**filters))  # type: ignore[arg-type]
        return [p.external_id for p in page.items]


def test_no_filters_lists_open_postings_newest_first(seeded: Database) -> None:
    assert ids(seeded) == ["py", "go", "php"]


def test_closed_postings_hidden_unless_asked(seeded: Database) -> None:
    assert "old" not in ids(seeded, q="python")
    assert "old" in ids(seeded, q="python", include_closed=True)


def test_keyword_search_stems(seeded: Database) -> None:
    # "developers" in a body and "Developer" in a title both match "developer".
    assert set(ids(seeded, q="developer")) == {"py", "go"}


def test_title_hits_rank_above_body_hits(seeded: Database) -> None:
    assert ids(seeded, q="python") == ["py", "go"]


def test_phrase_and_exclusion(seeded: Database) -> None:
    assert ids(seeded, q='"event sourcing"') == ["py"]
    assert set(ids(seeded, q="sourcing")) == {"py", "php"}
    assert ids(seeded, q="python -kubernetes") == ["py"]
    assert ids(seeded, q="-python") == ["php"]


def test_skills_are_all_of(seeded: Database) -> None:
    assert ids(seeded, skills=("Python",)) == ["py", "go"]
    assert ids(seeded, skills=("Python", "Go")) == ["go"]
    assert ids(seeded, skills=("Python", "PHP")) == []


def test_remote_and_sector_filters(seeded: Database) -> None:
    assert ids(seeded, remote="hybrid") == ["go"]
    assert ids(seeded, sector="Financial services") == ["py"]
    assert ids(seeded, remote="remote", sector="Financial services", q="django") == ["py"]
    assert ids(seeded, remote="onsite", sector="Financial services") == []


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        '"unclosed phrase',
        "AND OR NOT",
        "NEAR(python go)",
        "title:python",
        "python*",
        "^python",
        "C++ && c#",
        "(python",
        "'; DROP TABLE postings; --",
        "python' OR '1'='1",
        "🚀🔥",
        "!!python & | <-> :*",
        "x" * 10_000,
        "python " * 2000,
        "\x00\x01 python",
    ],
)
def test_any_keyword_input_is_answered(seeded: Database, hostile: str) -> None:
    with seeded.transaction() as s:
        page = search_postings(s, PostingFilters(q=hostile))
    assert page.total >= 0
    assert len(page.items) == min(page.total, page.per_page)


def test_pagination_counts_and_slices(seeded: Database) -> None:
    with seeded.transaction() as s:
        first = search_postings(s, PostingFilters(), page=1, per_page=2)
        second = search_postings(s, PostingFilters(), page=2, per_page=2)
        beyond = search_postings(s, PostingFilters(), page=9, per_page=2)
    assert (first.total, first.pages) == (3, 2)
    assert [p.external_id for p in first.items + second.items] == ["py", "go", "php"]
    assert beyond.items == [] and beyond.total == 3


def test_search_index_follows_updates(seeded: Database) -> None:
    with seeded.transaction() as s:
        source = make_source(s)
        upsert_postings(s, source, [record("php", title="Elixir Phoenix Engineer", description_text="BEAM.")], NOW)
    assert ids(seeded, q="laravel") == []
    assert ids(seeded, q="elixir") == ["php"]


def test_postgresql_phrase_matches_steer_the_planner_for_that_query_only(postgres_schema_url: str) -> None:
    from store.search import postgres_fts

    db = Database(postgres_schema_url)  # a schema other tests write to as well: a word of this test's own
    try:
        with db.transaction() as s:
            source = make_source(s, "steer")
            upsert_postings(s, source, [record("a", description_text="Quokkaledger."), record("b")], NOW)
        with db.transaction() as s:
            s.execute(text("SET LOCAL work_mem = '5MB'"))
            ids = postgres_fts.match_ids(s, ("quokkaledger",))
            assert ids is not None and len(ids) == 1
            # What the phrase's query set for itself is undone: later queries of the search plan as before.
            settings = s.execute(text("SELECT current_setting('enable_seqscan'), current_setting('work_mem')")).one()
            assert tuple(settings) == ("on", "5MB")
        # A read session runs in autocommit: the steer holds for the query all the same, and is set back on the
        # connection, which goes back to the pool.
        seen: list[str] = []

        def during(conn: object, cursor: Any, statement: str, *args: object) -> None:
            if "numnode" in statement:
                seen.append(cursor.connection.execute("SHOW enable_seqscan").fetchone()[0])

        event.listen(db.engine, "before_cursor_execute", during)
        with db.reads() as s:
            before = tuple(s.execute(text("SELECT current_setting('enable_seqscan'), current_setting('work_mem')")))
            ids = postgres_fts.match_ids(s, ("quokkaledger",))
            assert ids is not None and len(ids) == 1
            after = tuple(s.execute(text("SELECT current_setting('enable_seqscan'), current_setting('work_mem')")))
            assert after == before
        with db.transaction() as s:
            assert postgres_fts.match_ids(s, ("quokkaledger",)) is not None
        assert seen == ["off", "off"]
    finally:
        db.dispose()
