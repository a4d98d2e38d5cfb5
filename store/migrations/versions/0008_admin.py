"""Admin accounts, login attempts and the audit log.

Why: issue 8 gives admins a web side to add and tend sources. ``admin_users`` holds each admin's argon2id hash and a
``session_version`` that every session cookie must match, so logging out or changing the password really ends the
sessions issued before (a signed cookie alone can't be revoked). ``admin_login_attempts`` is the login throttle: it
lives in the store, not in a worker's memory, so it holds across gunicorn workers and machines, and it counts
attempts per client address and per attempted e-mail address (known or not, so the throttle tells nothing about which
accounts exist). ``admin_audit`` records who did what to which target, with the before and after values as JSON.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "admin_users",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False, server_default="1"),
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("password_changed_at", Stamp, nullable=False),
        sa.Column("last_login_at", Stamp),
        sa.Column("last_failed_login_at", Stamp),
        sa.UniqueConstraint("email", name="uq_admin_users_email"),
    )
    op.create_table(
        "admin_login_attempts",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("attempted_at", Stamp, nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_admin_login_attempts_client_at", "admin_login_attempts", ["client", "attempted_at"])
    op.create_index("ix_admin_login_attempts_email_at", "admin_login_attempts", ["email", "attempted_at"])
    op.create_table(
        "admin_audit",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("at", Stamp, nullable=False),
        sa.Column(
            "admin_id",
            BigId,
            sa.ForeignKey("admin_users.id", ondelete="SET NULL", name="fk_admin_audit_admin_id_admin_users"),
        ),
        sa.Column("actor", sa.String(320), nullable=False),
        sa.Column("client", sa.String(64)),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("target", sa.String(300)),
        sa.Column("before", Json),
        sa.Column("after", Json),
    )
    op.create_index("ix_admin_audit_at", "admin_audit", ["at"])
    op.create_index("ix_admin_audit_target_at", "admin_audit", ["target", "at"])


def downgrade() -> None:
    op.drop_index("ix_admin_audit_target_at", table_name="admin_audit")
    op.drop_index("ix_admin_audit_at", table_name="admin_audit")
    op.drop_table("admin_audit")
    op.drop_index("ix_admin_login_attempts_email_at", table_name="admin_login_attempts")
    op.drop_index("ix_admin_login_attempts_client_at", table_name="admin_login_attempts")
    op.drop_table("admin_login_attempts")
    op.drop_table("admin_users")
