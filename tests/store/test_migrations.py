from __future__ import annotations

from pathlib import Path

from sqlalchemy import inspect, text

from store.db import Database
from store.migrate import current_revision, ensure_schema, head_revision, upgrade
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
