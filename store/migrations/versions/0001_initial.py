"""Initial schema: sources, postings (+ skills), crawl runs, and full-text search.

Why: the foundation every feature builds on. Full-text search is backend-specific DDL, so it lives here rather than in
the models: an FTS5 external-content table kept in step by triggers on SQLite, a stored generated tsvector with a GIN
index on PostgreSQL. Both index title, company, location and description text with English stemming.

Revision ID: 0001
Revises:
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("key", sa.String(100), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("sector", sa.String(64)),
        sa.Column("interval_minutes", sa.Integer(), nullable=False),
        sa.Column("terms", Json, nullable=False),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("last_crawl_at", Stamp),
        sa.Column("last_success_at", Stamp),
        sa.Column("last_error", sa.Text()),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.UniqueConstraint("key", name="uq_sources_key"),
    )
    op.create_table(
        "postings",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "source_id",
            BigId,
            sa.ForeignKey("sources.id", ondelete="RESTRICT", name="fk_postings_source_id_sources"),
            nullable=False,
        ),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("url", sa.String(2000), nullable=False),
        sa.Column("apply_url", sa.String(2000)),
        sa.Column("title", sa.String(500), nullable=False),
        sa.Column("title_raw", sa.Text(), nullable=False),
        sa.Column("company", sa.String(300), nullable=False),
        sa.Column("company_raw", sa.Text()),
        sa.Column("location", sa.String(500)),
        sa.Column("location_raw", sa.Text()),
        sa.Column("remote", sa.String(16), nullable=False),
        sa.Column("remote_raw", sa.Text()),
        sa.Column("sector", sa.String(64), nullable=False),
        sa.Column("employment_type", sa.String(32)),
        sa.Column("employment_type_raw", sa.Text()),
        sa.Column("salary_min", sa.Numeric(14, 2)),
        sa.Column("salary_max", sa.Numeric(14, 2)),
        sa.Column("salary_currency", sa.String(3)),
        sa.Column("salary_period", sa.String(16)),
        sa.Column("salary_raw", sa.Text()),
        sa.Column("description_html", sa.Text(), nullable=False),
        sa.Column("description_text", sa.Text(), nullable=False),
        sa.Column("description_raw", sa.Text()),
        sa.Column("posted_at", Stamp),
        sa.Column("posted_raw", sa.String(100)),
        sa.Column("raw", Json, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("first_seen_at", Stamp, nullable=False),
        sa.Column("last_seen_at", Stamp, nullable=False),
        sa.Column("updated_at", Stamp, nullable=False),
        sa.Column("closed_at", Stamp),
        sa.UniqueConstraint("source_id", "external_id", name="uq_postings_source_id_external_id"),
    )
    op.create_index("ix_postings_source_id", "postings", ["source_id"])
    op.create_index("ix_postings_open_posted", "postings", ["closed_at", "posted_at"])
    op.create_index("ix_postings_remote", "postings", ["remote"])
    op.create_index("ix_postings_sector", "postings", ["sector"])
    op.create_table(
        "posting_skills",
        sa.Column(
            "posting_id",
            BigId,
            sa.ForeignKey("postings.id", ondelete="CASCADE", name="fk_posting_skills_posting_id_postings"),
            primary_key=True,
        ),
        sa.Column("skill", sa.String(64), primary_key=True),
        sa.Column("position", sa.Integer(), nullable=False),
    )
    op.create_index("ix_posting_skills_skill_posting", "posting_skills", ["skill", "posting_id"])
    op.create_table(
        "crawl_runs",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "source_id",
            BigId,
            sa.ForeignKey("sources.id", ondelete="CASCADE", name="fk_crawl_runs_source_id_sources"),
            nullable=False,
        ),
        sa.Column("started_at", Stamp, nullable=False),
        sa.Column("finished_at", Stamp),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("http_status", sa.Integer()),
        sa.Column("bytes_received", sa.BigInteger(), nullable=False),
        sa.Column("items_seen", sa.Integer(), nullable=False),
        sa.Column("items_dropped", sa.Integer(), nullable=False),
        sa.Column("postings_new", sa.Integer(), nullable=False),
        sa.Column("postings_updated", sa.Integer(), nullable=False),
        sa.Column("postings_unchanged", sa.Integer(), nullable=False),
        sa.Column("postings_closed", sa.Integer(), nullable=False),
        sa.Column("error_kind", sa.String(64)),
        sa.Column("error_message", sa.Text()),
        sa.Column("stats", Json, nullable=False),
    )
    op.create_index("ix_crawl_runs_source_started", "crawl_runs", ["source_id", "started_at"])

    if op.get_bind().dialect.name == "sqlite":
        _create_sqlite_fts()
    else:
        _create_postgres_fts()


def _create_sqlite_fts() -> None:
    op.execute(
        "CREATE VIRTUAL TABLE postings_fts USING fts5("
        "title, company, location, description_text, "
        "content='postings', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')"
    )
    cols = "title, company, location, description_text"
    new = "new.title, new.company, new.location, new.description_text"
    old = "old.title, old.company, old.location, old.description_text"
    op.execute(
        f"CREATE TRIGGER postings_fts_ai AFTER INSERT ON postings BEGIN "
        f"INSERT INTO postings_fts(rowid, {cols}) VALUES (new.id, {new}); END"
    )
    op.execute(
        f"CREATE TRIGGER postings_fts_ad AFTER DELETE ON postings BEGIN "
        f"INSERT INTO postings_fts(postings_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); END"
    )
    # Only re-index when an indexed column changes: lifecycle updates (last_seen_at) are frequent and cheap.
    op.execute(
        f"CREATE TRIGGER postings_fts_au AFTER UPDATE OF {cols} ON postings BEGIN "
        f"INSERT INTO postings_fts(postings_fts, rowid, {cols}) VALUES ('delete', old.id, {old}); "
        f"INSERT INTO postings_fts(rowid, {cols}) VALUES (new.id, {new}); END"
    )


def _create_postgres_fts() -> None:
    op.execute(
        "ALTER TABLE postings ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('english', coalesce(title, '')), 'A') || "
        "setweight(to_tsvector('english', coalesce(company, '')), 'B') || "
        "setweight(to_tsvector('english', coalesce(location, '')), 'C') || "
        "setweight(to_tsvector('english', coalesce(description_text, '')), 'D')) STORED"
    )
    op.execute("CREATE INDEX ix_postings_search_vector ON postings USING gin (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("postings_fts_ai", "postings_fts_ad", "postings_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS postings_fts")
    op.drop_table("crawl_runs")
    op.drop_table("posting_skills")
    op.drop_table("postings")
    op.drop_table("sources")
