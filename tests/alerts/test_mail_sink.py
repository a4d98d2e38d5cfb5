"""Without JOBSIFT_SMTP_URL, mail is saved as .eml files under the data dir, listed at /dev/mail for loopback
clients only (and not at all when a real SMTP server is configured)."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator

import pytest
from flask import Flask

from config.settings import Settings
from store.db import Database
from tests.alerts.helpers import add_postings, python_job, subscribe
from web import create_app


@pytest.fixture
def sink_app(settings: Settings, db: Database) -> Iterator[Flask]:
    assert settings.smtp_url is None
    application = create_app(settings, {"TESTING": True})
    yield application
    application.extensions["jobsift.db"].dispose()


def test_mail_goes_to_eml_files_listed_on_a_loopback_page(settings: Settings, db: Database, sink_app: Flask) -> None:
    add_postings(db, python_job("a"))
    client = sink_app.test_client()
    assert subscribe(client, "skill=Python").status_code == 200
    [saved] = list((settings.data_dir / "mail").glob("*.eml"))
    message = email.message_from_bytes(saved.read_bytes(), policy=email.policy.default)
    assert message["Subject"].startswith("Confirm your jobsift alert")
    index = client.get("/dev/mail")
    assert index.status_code == 200 and "Confirm your jobsift alert" in index.text
    page = client.get(f"/dev/mail/{saved.stem}")
    assert page.status_code == 200 and "/alerts/confirm/" in page.text
    html = client.get(f"/dev/mail/{saved.stem}.html")
    assert html.status_code == 200 and "Confirm this alert" in html.text
    assert "sandbox" in html.headers["Content-Security-Policy"]
    assert client.get("/dev/mail/../../secret_key").status_code == 404
    assert client.get("/dev/mail/0123456789abcdef0123").status_code == 404


def test_the_sink_page_answers_only_loopback(db: Database, sink_app: Flask) -> None:
    client = sink_app.test_client()
    assert client.get("/dev/mail", environ_base={"REMOTE_ADDR": "::1"}).status_code == 200
    for address in ("192.0.2.10", "10.0.0.1", "garbage"):
        assert client.get("/dev/mail", environ_base={"REMOTE_ADDR": address}).status_code == 404


def test_no_sink_page_when_smtp_is_configured(alert_app: Flask) -> None:
    assert alert_app.test_client().get("/dev/mail").status_code == 404
