"""Fields every feed format can carry: validThrough, remote regions, seniority, company URL; HTTP validators.

Why: the remaining feed formats state when applications close (JSON-LD validThrough, Himalayas expiryDate), where a
remote worker may live, and a seniority of their own; keeping them raw beside the normalised fields lets the
classification be re-run. Sources remember the ETag / Last-Modified of their last complete fetch so that an unchanged
feed is answered with 304 and not parsed again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("postings") as batch:
        batch.add_column(sa.Column("valid_through", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("valid_through_raw", sa.String(100)))
        batch.add_column(sa.Column("remote_regions_raw", Json, nullable=False, server_default="[]"))
        batch.add_column(sa.Column("seniority_raw", sa.Text()))
        batch.add_column(sa.Column("company_url", sa.String(2000)))
    with op.batch_alter_table("sources") as batch:
        batch.add_column(sa.Column("http_etag", sa.String(500)))
        batch.add_column(sa.Column("http_last_modified", sa.String(100)))
    op.create_index("ix_postings_valid_through", "postings", ["valid_through"])


def downgrade() -> None:
    op.drop_index("ix_postings_valid_through", table_name="postings")
    with op.batch_alter_table("sources") as batch:
        batch.drop_column("http_last_modified")
        batch.drop_column("http_etag")
    with op.batch_alter_table("postings") as batch:
        for column in ("company_url", "seniority_raw", "remote_regions_raw", "valid_through_raw", "valid_through"):
            batch.drop_column(column)
