"""A removed source is kept, marked: its postings are closed, never deleted, and stay attributed to it.

Why: `jobsift sources remove` (and the admin's remove button) must not delete postings or crawl history, and a
posting's row refers to its source. A removed source leaves lists, exports and crawls; adding its feed again brings
it back.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("sources", sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("sources", "removed_at")
