"""The posting title in SQLite's index of filter columns by id, for the search index's load.

The column index of a web process (``store/search/index.py``) keeps each posting's title, as a code, to rank a page by
relevance (a phrase found in the title counts most). It reads every posting in id order; with the title in
``ix_postings_search_by_id`` (migration 0011) that read stays on the index, rather than on the table rows, whose
descriptions make them many times larger (at a million postings: about 8 s more of a 14 s load).

PostgreSQL reads the rows of its table for the load in any case: nothing changes there.

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

_BY_ID = (
    "(id, closed_at, duplicate_of, is_backend, remote, sector, seniority, employment_type, visa_sponsorship, "
    "posted_at, first_seen_at, source_id, remote_regions, salary_currency, salary_annual_max, salary_annual_min, "
    "company{title})"
)


def _rebuild(with_title: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute("DROP INDEX IF EXISTS ix_postings_search_by_id")
    op.execute(
        f"CREATE INDEX ix_postings_search_by_id ON postings {_BY_ID.format(title=', title' if with_title else '')}"
    )
    if op.get_bind().execute(sa.text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first():
        op.execute("ANALYZE ix_postings_search_by_id")


def upgrade() -> None:
    _rebuild(with_title=True)


def downgrade() -> None:
    _rebuild(with_title=False)
