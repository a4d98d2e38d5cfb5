from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from sqlalchemy import inspect, text

from store.db import Database
from store.migrate import alembic_config, current_revision, ensure_schema, head_revision, upgrade
from store.models import Posting
from store.queries.postings import upsert_postings
from store.search import PostingFilters, search_postings
from tests.store.helpers import NOW, make_source, record


def test_database_is_at_head_with_its_search_index(db: Database) -> None:
    assert current_revision(db.engine) == head_revision(db.engine)
    names = set(inspect(db.engine).get_table_names())
    assert {"sources", "postings", "posting_skills", "crawl_runs"} <= names
    if db.dialect == "sqlite":
        assert "postings_fts" in names
    else:
        columns = {c["name"] for c in inspect(db.engine).get_columns("postings")}
        assert "search_vector" in columns


def test_ensure_schema_is_idempotent(db: Database) -> None:
    ensure_schema(db.engine)
    ensure_schema(db.engine)
    assert current_revision(db.engine) == head_revision(db.engine)


def test_upgrading_a_populated_sqlite_store_keeps_its_postings_searchable(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(db.engine, "0001")
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO sources (key, name, kind, url, enabled, interval_minutes, terms, created_at,"
                " consecutive_failures) VALUES ('acme', 'Acme', 'greenhouse', 'https://x', 1, 360, '{}',"
                " '2026-11-01 00:00:00', 0)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO postings (source_id, external_id, url, title, title_raw, company, remote, sector,"
                " description_html, description_text, raw, content_hash, first_seen_at, last_seen_at, updated_at)"
                " VALUES (1, 'old', 'https://x/1', 'Elixir Engineer', 'Elixir Engineer', 'Acme', 'remote',"
                " 'Technology', '', 'BEAM services', '{}', 'h', '2026-11-01 00:00:00', '2026-11-01 00:00:00',"
                " '2026-11-01 00:00:00')"
            )
        )
    ensure_schema(db.engine)
    assert current_revision(db.engine) == head_revision(db.engine)
    with db.transaction() as s:
        assert [p.external_id for p in search_postings(s, PostingFilters(q="elixir")).items] == ["old"]
        source = make_source(s, "acme")
        upsert_postings(s, source, [record("new", title="Elixir Platform Engineer")], NOW)
    with db.transaction() as s:
        assert {p.external_id for p in search_postings(s, PostingFilters(q="elixir")).items} == {"old", "new"}
    db.dispose()


def test_large_posting_columns_use_lz4_on_postgresql(postgres_schema_url: str) -> None:
    # PostgreSQL only: SQLite has no per-column compression.
    db = Database(postgres_schema_url)
    with db.engine.connect() as conn:
        methods = dict(
            conn.execute(
                text(
                    "SELECT attname, attcompression FROM pg_attribute WHERE attrelid = 'postings'::regclass"
                    " AND attname IN ('raw', 'description_html', 'description_text', 'description_raw')"
                )
            ).all()
        )
    db.dispose()
    assert methods == dict.fromkeys(("raw", "description_html", "description_text", "description_raw"), "l")


def test_the_search_index_loads_sqlite_postings_from_an_index_not_their_rows(tmp_path: Path) -> None:
    from store.search.index import _columns

    db = Database(f"sqlite:///{tmp_path / 'plan.db'}")
    ensure_schema(db.engine)
    # What the column index reads for every posting (``store/search/index.py`` ``_read_all``), titles included.
    query = sa.select(*_columns("sqlite")).where(Posting.id > 0).order_by(Posting.id).limit(100_000)
    compiled = query.compile(db.engine, compile_kwargs={"literal_binds": True})

    def plan() -> str:
        with db.engine.connect() as conn:
            return " ".join(row[-1] for row in conn.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))

    assert "COVERING INDEX ix_postings_search_by_id" in plan(), plan()
    # Down to 0011, the title is read from the rows again.
    command.downgrade(alembic_config(db.engine), "0011")
    assert "COVERING INDEX" not in plan(), plan()
    db.dispose()
