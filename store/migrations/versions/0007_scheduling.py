"""Scheduling state on sources: when each is due, who holds it, whether it is paused, and its usual size.

Why: the store is the scheduler's source of truth (issue 5). ``next_crawl_at`` says when a source is due; a lease
(``lease_owner`` until ``lease_expires_at``), taken with a conditional UPDATE, makes sure two schedulers started by
mistake never crawl a source twice for one due time; ``paused_at`` / ``pause_reason`` take a failing source out of
rotation until an admin resumes it; ``usual_postings`` and ``shrunk_runs`` let a crawl that suddenly finds far fewer
postings than usual close nothing.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sources", sa.Column("next_crawl_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("sources", sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("sources", sa.Column("pause_reason", sa.Text(), nullable=True))
    op.add_column("sources", sa.Column("lease_owner", sa.String(100), nullable=True))
    op.add_column("sources", sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("sources", sa.Column("usual_postings", sa.Integer(), nullable=True))
    op.add_column("sources", sa.Column("shrunk_runs", sa.Integer(), nullable=False, server_default="0"))
    op.create_index("ix_sources_next_crawl_at", "sources", ["next_crawl_at"])
    op.create_index("ix_crawl_runs_status_started", "crawl_runs", ["status", "started_at"])


def downgrade() -> None:
    op.drop_index("ix_crawl_runs_status_started", table_name="crawl_runs")
    op.drop_index("ix_sources_next_crawl_at", table_name="sources")
    for column in (
        "shrunk_runs", "usual_postings", "lease_expires_at", "lease_owner", "pause_reason", "paused_at",
        "next_crawl_at",
    ):  # fmt: skip
        op.drop_column("sources", column)
