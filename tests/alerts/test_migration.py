"""Migration 0010 creates the alert tables on both backends, and comes off and back cleanly."""

from __future__ import annotations

from alembic import command
from sqlalchemy import inspect

from store.db import Database
from store.migrate import alembic_config, current_revision, head_revision, upgrade

TABLES = {"alert_subscriptions", "alert_outbox", "alert_digests", "alert_confirmation_requests"}


def test_the_alert_tables_and_their_keys(db: Database) -> None:
    inspector = inspect(db.engine)
    assert set(inspector.get_table_names()) >= TABLES
    assert inspector.get_pk_constraint("alert_outbox")["constrained_columns"] == ["subscription_id", "posting_id"]
    assert {u["name"] for u in inspector.get_unique_constraints("alert_subscriptions")} == {
        "uq_alert_subscriptions_feed_token"
    }


def test_downgrade_and_upgrade_again(db: Database) -> None:
    command.downgrade(alembic_config(db.engine), "0008")
    assert current_revision(db.engine) == "0008"
    assert not TABLES & set(inspect(db.engine).get_table_names())
    upgrade(db.engine)
    assert current_revision(db.engine) == head_revision(db.engine)
    assert set(inspect(db.engine).get_table_names()) >= TABLES
