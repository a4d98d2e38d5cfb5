"""Indexes for search at a million postings: result pages, counts and facets without reading posting rows.

Why: the search page lists open listings (not closed, not a duplicate) newest first or by salary, counts them, and
counts facet values over them. A posting row carries kilobytes of description, so every row a query reads is
expensive; on SQLite the columns after the descriptions even sit on overflow pages. These indexes hold every column a
filter, a sort or a facet reads, so those queries touch index entries only:

- ``ix_postings_search_newest``: open listings newest first (``coalesce(posted_at, first_seen_at)``, then id), with the
  filter columns: a result page walks it and stops after one page.
- ``ix_postings_search_salary``: the same, by yearly salary (stated salaries first, highest first).
- SQLite only, which has neither hash aggregation nor INCLUDE columns:
  ``ix_postings_search_facets`` in the order of the facet columns, so that counting every facet value combination
  streams without sorting; ``ix_postings_search_by_id``, the filter columns by id, for the postings a full-text match
  or a skill names (looked up by id without reading their rows).
- ``ix_postings_company_lower``: the company filter (``lower(company)``).
- ``ix_postings_updated_at``: the newest update, part of the cheap "has the store changed" check that keeps cached
  counts fresh (``store/search/cache.py``).

PostgreSQL gets partial indexes (open listings only) with INCLUDE columns, for index-only scans. The indexes are built
as any other; on SQLite, if the database has planner statistics (``sqlite_stat1``), the new indexes are analysed too.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_NEWEST = "coalesce(posted_at, first_seen_at)"
_PAY = "coalesce(salary_annual_max, salary_annual_min)"
# Columns the filters read (skills and keywords are looked up by id).
_FILTERS = (
    "is_backend, remote, sector, seniority, employment_type, visa_sponsorship, source_id, remote_regions, "
    "salary_currency, salary_annual_max, salary_annual_min"
)
_OPEN_LISTINGS = "closed_at IS NULL AND duplicate_of IS NULL"

SQLITE_INDEXES = {
    "ix_postings_search_newest": f"(closed_at, duplicate_of, {_NEWEST} DESC, id DESC, {_FILTERS}, company)",
    "ix_postings_search_salary": (
        f"(closed_at, duplicate_of, ({_PAY} IS NULL), {_PAY} DESC, {_NEWEST} DESC, id DESC, {_FILTERS}, company)"
    ),
    "ix_postings_search_facets": (
        "(closed_at, duplicate_of, is_backend, remote, sector, seniority, employment_type, visa_sponsorship, "
        "posted_at, first_seen_at, source_id, remote_regions, salary_currency, salary_annual_max, salary_annual_min, "
        "company)"
    ),
    "ix_postings_search_by_id": (
        "(id, closed_at, duplicate_of, is_backend, remote, sector, seniority, employment_type, visa_sponsorship, "
        "posted_at, first_seen_at, source_id, remote_regions, salary_currency, salary_annual_max, salary_annual_min, "
        "company)"
    ),
    "ix_postings_company_lower": "(lower(company))",
    "ix_postings_updated_at": "(updated_at)",
}
POSTGRES_INDEXES = {
    "ix_postings_search_newest": (f"(({_NEWEST}) DESC, id DESC) INCLUDE ({_FILTERS}, company) WHERE {_OPEN_LISTINGS}"),
    "ix_postings_search_salary": (
        f"(({_PAY} IS NULL), ({_PAY}) DESC, ({_NEWEST}) DESC, id DESC) INCLUDE ({_FILTERS}, company) "
        f"WHERE {_OPEN_LISTINGS}"
    ),
    "ix_postings_company_lower": "(lower(company))",
    "ix_postings_updated_at": "(updated_at)",
}


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name, definition in (SQLITE_INDEXES if sqlite else POSTGRES_INDEXES).items():
        op.execute(f"CREATE INDEX {name} ON postings {definition}")
    if sqlite and op.get_bind().execute(sa.text("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")).first():
        for name in SQLITE_INDEXES:
            op.execute(f"ANALYZE {name}")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for name in SQLITE_INDEXES if sqlite else POSTGRES_INDEXES:
        op.execute(f"DROP INDEX IF EXISTS {name}")
