"""Classification and dedupe columns on postings (issue 4).

Why: a posting now carries what classification decided beside the raw values it read (allowed remote regions,
seniority, back-end relevance, visa sponsorship, the salary as parsed with its yearly figures) and the evidence for
each decision, so the site can say "why this matched" and reclassification can re-derive all of it. The salary the
feed's structured fields gave moves to ``salary_*_raw``: ``salary_min`` .. ``salary_period`` now hold the parsed
salary, which may come from the salary text or the description. Dedupe keys (a canonical URL and a company + title +
location fingerprint) and ``duplicate_of`` make one job seen on several boards one listing.

Existing rows keep their values and get defaults (back-end, unknown seniority, visa not stated); `jobsift reclassify`
fills them in from the stored raw values.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Money = sa.Numeric(14, 2, asdecimal=False)


def upgrade() -> None:
    # Plain ADD COLUMNs, no batch mode: on SQLite a batch would rebuild the table and lose its full-text triggers.
    columns = [
        sa.Column("remote_regions", Json, nullable=False, server_default="[]"),
        sa.Column("seniority", sa.String(16), nullable=False, server_default="unknown"),
        sa.Column("is_backend", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("visa_sponsorship", sa.String(16), nullable=False, server_default="not_stated"),
        sa.Column("salary_min_raw", Money, nullable=True),
        sa.Column("salary_max_raw", Money, nullable=True),
        sa.Column("salary_currency_raw", sa.String(16), nullable=True),
        sa.Column("salary_period_raw", sa.String(32), nullable=True),
        sa.Column("salary_annual_min", Money, nullable=True),
        sa.Column("salary_annual_max", Money, nullable=True),
        sa.Column("evidence", Json, nullable=False, server_default="{}"),
        sa.Column("canonical_url", sa.String(2000), nullable=True),
        sa.Column("fingerprint", sa.String(64), nullable=True),
    ]
    for column in columns:
        op.add_column("postings", column)
    if op.get_bind().dialect.name == "sqlite":
        # SQLite takes a reference only inline, in the ADD COLUMN itself.
        op.execute("ALTER TABLE postings ADD COLUMN duplicate_of INTEGER REFERENCES postings (id) ON DELETE SET NULL")
    else:
        op.add_column("postings", sa.Column("duplicate_of", BigId, nullable=True))
        op.create_foreign_key(
            "fk_postings_duplicate_of_postings", "postings", "postings", ["duplicate_of"], ["id"], ondelete="SET NULL"
        )
    op.create_index("ix_postings_canonical_url", "postings", ["canonical_url"])
    op.create_index("ix_postings_fingerprint", "postings", ["fingerprint"])
    op.create_index("ix_postings_duplicate_of", "postings", ["duplicate_of"])
    # Until now the salary columns held the feed's structured values: they are the raw values from here on.
    op.execute(
        "UPDATE postings SET salary_min_raw = salary_min, salary_max_raw = salary_max, "
        "salary_currency_raw = salary_currency, salary_period_raw = salary_period"
    )


def downgrade() -> None:
    for index in ("ix_postings_duplicate_of", "ix_postings_fingerprint", "ix_postings_canonical_url"):
        op.drop_index(index, table_name="postings")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_postings_duplicate_of_postings", "postings", type_="foreignkey")
    for column in (
        "duplicate_of", "fingerprint", "canonical_url", "evidence", "salary_annual_max", "salary_annual_min",
        "salary_period_raw", "salary_currency_raw", "salary_max_raw", "salary_min_raw", "visa_sponsorship",
        "is_backend", "seniority", "remote_regions",
    ):  # fmt: skip
        # SQLite 3.35+ drops a column in place (one with a reference is refused; that database stays at 0005).
        op.drop_column("postings", column)
