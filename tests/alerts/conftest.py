"""Alert fixtures: a real SMTP server on loopback, the site configured to send through it, and empty alert tables.

Every test runs on SQLite and on PostgreSQL (through the shared ``settings`` / ``db`` fixtures); the shared
PostgreSQL schema keeps tables between tests, so the alert tables are emptied first.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
from flask import Flask
from flask.testing import FlaskClient

from config.settings import Settings
from store.db import Database
from tests.alerts.helpers import BASE
from tests.alerts.smtp import Inbox, SmtpServer
from web import create_app

ALERT_TABLES = "alert_outbox, alert_digests, alert_confirmation_requests, alert_subscriptions"


@pytest.fixture(autouse=True)
def _empty_alert_tables(db: Database) -> None:
    if db.dialect == "postgresql":
        with db.engine.begin() as conn:
            conn.exec_driver_sql(f"TRUNCATE {ALERT_TABLES} RESTART IDENTITY CASCADE")


@pytest.fixture
def inbox(smtp: SmtpServer) -> Inbox:
    return smtp.inbox


@pytest.fixture
def alert_settings(settings: Settings, smtp: SmtpServer) -> Settings:
    return replace(
        settings, smtp_url=smtp.url, mail_from="jobsift alerts <alerts@jobsift.test>", base_url=BASE, smtp_timeout=5
    )


@pytest.fixture
def alert_app(alert_settings: Settings, db: Database) -> Iterator[Flask]:
    application = create_app(alert_settings, {"TESTING": True})
    yield application
    application.extensions["jobsift.db"].dispose()


@pytest.fixture
def client(alert_app: Flask) -> FlaskClient:
    return alert_app.test_client()
