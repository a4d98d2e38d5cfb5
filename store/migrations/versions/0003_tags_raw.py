"""Keep each posting's feed tags, so that reclassification sees every input the crawl's classifier saw.

Why: skills are extracted from the title, the description and the feed's own tags (We Work Remotely's skills, RemoteOK
and Jobicy tags). Without the tags stored, `jobsift reclassify` would derive different skills from the same posting.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("postings") as batch:
        batch.add_column(sa.Column("tags_raw", Json, nullable=False, server_default="[]"))


def downgrade() -> None:
    with op.batch_alter_table("postings") as batch:
        batch.drop_column("tags_raw")
