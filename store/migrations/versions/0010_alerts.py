"""Saved searches and email alerts.

Why: issue 7 lets people get a search's new postings by email, with guarantees that alerts usually lack. So the
schema carries them: ``alert_subscriptions.watermark`` is the highest posting id (ingest order) a search has been
matched against, so late-ingested postings are still new; ``alert_outbox`` is keyed by (subscription, posting), so a
posting reaches a subscriber once; ``alert_digests`` rows are single emails, each a posting-id range of its
subscription's outbox (unique by subscription and start of range, so two cuts never send the same matches), that
senders claim with a conditional UPDATE on ``status``, with a deterministic Message-ID;
``alert_confirmation_requests`` is the double opt-in's throttle per address and per client, in the store so that it
holds across web workers. The outbox is only its key (no timestamp, no foreign keys, WITHOUT ROWID on SQLite): the
matcher writes millions of rows a pass and never updates them.

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-25
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Stamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "alert_subscriptions",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("query", sa.String(4000), nullable=False),
        sa.Column("frequency", sa.String(8), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("pause_reason", sa.Text()),
        sa.Column("link_key", sa.String(32), nullable=False),
        sa.Column("feed_token", sa.String(64), nullable=False),
        sa.Column("watermark", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("digested_upto", sa.BigInteger(), nullable=False, server_default="0"),
        sa.Column("created_at", Stamp, nullable=False),
        sa.Column("confirmed_at", Stamp),
        sa.Column("last_sent_at", Stamp),
        sa.Column("next_digest_at", Stamp),
        sa.CheckConstraint("frequency IN ('instant', 'daily', 'weekly')", name="ck_alert_subscriptions_frequency"),
        sa.CheckConstraint(
            "state IN ('pending', 'active', 'paused', 'unsubscribed')", name="ck_alert_subscriptions_state"
        ),
        sa.UniqueConstraint("feed_token", name="uq_alert_subscriptions_feed_token"),
        # Watermarks move on every pass: room on each page lets PostgreSQL update them in place (HOT).
        postgresql_with={"fillfactor": 70},
    )
    op.create_index("ix_alert_subscriptions_email", "alert_subscriptions", ["email"])
    op.create_table(
        "alert_digests",
        sa.Column("id", BigId, primary_key=True),
        sa.Column(
            "subscription_id",
            BigId,
            sa.ForeignKey(
                "alert_subscriptions.id",
                ondelete="CASCADE",
                name="fk_alert_digests_subscription_id_alert_subscriptions",
            ),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("claimed_by", sa.String(100)),
        sa.Column("claimed_at", Stamp),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("next_attempt_at", Stamp, nullable=False),
        sa.Column("after_posting_id", sa.BigInteger()),
        sa.Column("upto_posting_id", sa.BigInteger()),
        sa.Column("message_id", sa.String(255)),
        sa.Column("sent_at", Stamp),
        sa.Column("last_error", sa.Text()),
        sa.Column("created_at", Stamp, nullable=False),
        sa.CheckConstraint("kind IN ('digest', 'confirm', 'already')", name="ck_alert_digests_kind"),
        sa.CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'failed', 'empty', 'cancelled')", name="ck_alert_digests_status"
        ),
    )
    op.create_index("ix_alert_digests_status_next_attempt_at", "alert_digests", ["status", "next_attempt_at"])
    op.create_index(
        "ix_alert_digests_subscription_id_after_posting_id",
        "alert_digests",
        ["subscription_id", "after_posting_id"],
        unique=True,
    )
    # Only its key, as the matcher writes millions of rows a pass and never updates them: no timestamp, no foreign
    # keys, clustered on the key on SQLite (see store/models/alert.py).
    op.create_table(
        "alert_outbox",
        sa.Column("subscription_id", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.Column("posting_id", sa.BigInteger(), nullable=False, autoincrement=False),
        sa.PrimaryKeyConstraint("subscription_id", "posting_id", name="pk_alert_outbox"),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "alert_confirmation_requests",
        sa.Column("id", BigId, primary_key=True),
        sa.Column("email", sa.String(320), nullable=False),
        sa.Column("client", sa.String(64), nullable=False),
        sa.Column("requested_at", Stamp, nullable=False),
    )
    op.create_index(
        "ix_alert_confirmation_requests_email_requested_at", "alert_confirmation_requests", ["email", "requested_at"]
    )
    op.create_index(
        "ix_alert_confirmation_requests_client_requested_at", "alert_confirmation_requests", ["client", "requested_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_alert_confirmation_requests_client_requested_at", table_name="alert_confirmation_requests")
    op.drop_index("ix_alert_confirmation_requests_email_requested_at", table_name="alert_confirmation_requests")
    op.drop_table("alert_confirmation_requests")
    op.drop_table("alert_outbox")
    op.drop_index("ix_alert_digests_subscription_id_after_posting_id", table_name="alert_digests")
    op.drop_index("ix_alert_digests_status_next_attempt_at", table_name="alert_digests")
    op.drop_table("alert_digests")
    op.drop_index("ix_alert_subscriptions_email", table_name="alert_subscriptions")
    op.drop_table("alert_subscriptions")
