"""Limits: a search that would flood the inbox is refused with how to narrow it; confirmation emails are limited per
address and per client, in the store (so across web workers)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient

from store.db import Database
from store.queries.alerts import Throttle, record_confirmation_request, throttled_until
from tests.alerts.helpers import add_postings, now, python_job, subscribe
from tests.alerts.smtp import Inbox
from web.alerts.searches import FLOOD_LIMIT


@pytest.fixture
def busy_store(db: Database) -> None:
    # 870 Python postings in the last 30 days: about 203 a week, just over the limit of 200.
    add_postings(db, *(python_job(str(i), posted_at=now() - timedelta(hours=i % 700)) for i in range(870)))
    add_postings(db, python_job("go", skills=("Go",)))


def test_a_search_that_would_flood_the_inbox_is_refused(
    busy_store: None, client: FlaskClient, db: Database, inbox: Inbox
) -> None:
    assert FLOOD_LIMIT == 200
    form = client.get("/alerts/new?skill=Python")
    assert form.status_code == 200
    assert "about 203 postings a week, more than the 200 an alert may send" in form.text
    assert "Narrow it: add a skill or a keyword" in form.text
    assert 'name="email"' not in form.text  # no form to submit
    # Posting the form anyway (by hand) is refused the same way.
    answer = subscribe_anyway(client, "skill=Python")
    assert answer.status_code == 400 and "more than the 200" in answer.text
    # Narrowed, it is fine.
    assert "about <strong>0</strong>" in client.get("/alerts/new?skill=Go").text
    assert inbox.messages == []


def subscribe_anyway(client: FlaskClient, query: str) -> object:
    client.get("/alerts/new?skill=Go")  # any form, for the session's CSRF token
    with client.session_transaction() as session:
        token = session["alerts_csrf"]
    return client.post(
        "/alerts/new", data={"csrf_token": token, "search": query, "email": "ada@example.com", "frequency": "daily"}
    )


@pytest.mark.parametrize("query", ["", "all_roles=1", "not_skill=PHP", "posted=7d&closed=1", "q=-php&sort=newest"])
def test_a_search_without_any_filter_is_refused(client: FlaskClient, db: Database, query: str) -> None:
    add_postings(db, python_job("a"))
    form = client.get(f"/alerts/new?{query}")
    assert form.status_code == 200
    assert "An alert needs at least one filter or keyword" in form.text
    assert 'name="email"' not in form.text


def test_confirmation_emails_are_limited_per_address(client: FlaskClient, db: Database, inbox: Inbox) -> None:
    add_postings(db, python_job("a"))
    for query in ("skill=Python", "skill=Django", "remote=remote"):
        assert subscribe(client, query).status_code == 200
    refused = subscribe(client, "remote=hybrid")
    assert refused.status_code == 429
    assert "Too many confirmation emails" in refused.text
    assert 23 * 3600 < int(refused.headers["Retry-After"]) <= 24 * 3600 + 60
    assert len(inbox.messages) == 3
    # Another address is fine.
    assert subscribe(client, "remote=hybrid", email="bo@example.com").status_code == 200


def test_confirmation_emails_are_limited_per_client(client: FlaskClient, db: Database, inbox: Inbox) -> None:
    add_postings(db, python_job("a"))
    for i in range(10):
        assert subscribe(client, "skill=Python", email=f"u{i}@example.com").status_code == 200
    assert subscribe(client, "skill=Python", email="u10@example.com").status_code == 429
    # Another client address is not held back by this one.
    other = {"environ_base": {"REMOTE_ADDR": "192.0.2.7"}}
    assert subscribe(client, "skill=Python", email="u11@example.com", **other).status_code == 200
    assert len(inbox.messages) == 11


def test_the_throttle_lifts_when_its_window_has_passed(db: Database) -> None:
    start = now()
    throttle = Throttle()
    with db.transaction() as s:
        for minutes in (0, 10, 20):
            record_confirmation_request(
                s, email="ada@example.com", client="192.0.2.1", now=start + timedelta(minutes=minutes)
            )
        assert throttled_until(s, email="ADA@example.com", client="192.0.2.9", now=start + timedelta(minutes=30)) == (
            start + throttle.email_window
        )
        assert (
            throttled_until(s, email="ada@example.com", client="x", now=start + timedelta(hours=24, seconds=1)) is None
        )
