"""One-click unsubscribe (RFC 8058): the List-Unsubscribe headers, a GET that only asks, and a cookie-less POST that
unsubscribes, answers 200 without a redirect, and can be repeated."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from config.settings import Settings
from store.db import Database
from tests.alerts.helpers import (
    active_alert,
    add_postings,
    digests_of,
    html_links,
    link,
    now,
    python_job,
    run_pass,
    state_of,
    subscribe,
    unsubscribe_header,
)
from tests.alerts.smtp import Inbox

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def _digest(alert_settings: Settings, db: Database, inbox: Inbox) -> int:
    alert = active_alert(db, "skill=Python")
    add_postings(db, python_job("a"))
    run_pass(alert_settings, db)
    assert len(inbox.messages) == 1
    return alert


def test_every_email_carries_the_one_click_headers(
    alert_settings: Settings, db: Database, inbox: Inbox, client: FlaskClient
) -> None:
    _digest(alert_settings, db, inbox)
    subscribe(client, "remote=remote")  # a confirmation too
    for message in inbox.messages:
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        path = unsubscribe_header(message)
        assert path == link(message, "unsubscribe")  # the header and the visible link are the same
        assert any(u.endswith(path) for u in html_links(message))


def test_get_shows_a_confirmation_and_changes_nothing(
    alert_settings: Settings, db: Database, inbox: Inbox, client: FlaskClient
) -> None:
    alert = _digest(alert_settings, db, inbox)
    page = client.get(unsubscribe_header(inbox.messages[0]))
    assert page.status_code == 200 and "Unsubscribe?" in page.text and 'method="post"' in page.text
    assert state_of(db, alert).state == "active"


def test_a_cookie_less_post_unsubscribes_with_200_and_is_idempotent(
    alert_settings: Settings, db: Database, inbox: Inbox, alert_app: Flask
) -> None:
    alert = _digest(alert_settings, db, inbox)
    path = unsubscribe_header(inbox.messages[0])
    # A mail provider's POST: no cookies, no CSRF token, the RFC 8058 body.
    mail_provider = alert_app.test_client(use_cookies=False)
    for _ in range(3):
        answer = mail_provider.post(path, data=ONE_CLICK)
        assert answer.status_code == 200, answer.text
        assert "Location" not in answer.headers
        assert "You are unsubscribed" in answer.text
        assert "Set-Cookie" not in answer.headers
    assert state_of(db, alert).state == "unsubscribed"
    # Nothing more is sent.
    add_postings(db, python_job("b"))
    run_pass(alert_settings, db, now() + timedelta(days=1))
    assert len(inbox.messages) == 1
    # The page says so, and the manage link has ended with it.
    assert "You are unsubscribed" in mail_provider.get(path).text
    assert mail_provider.get(link(inbox.messages[0], "manage")).status_code == 404


def test_unsubscribing_cancels_a_digest_waiting_to_be_retried(
    alert_settings: Settings, db: Database, inbox: Inbox, alert_app: Flask
) -> None:
    alert = active_alert(db, "skill=Python")
    add_postings(db, python_job("a"))
    inbox.faults = ["451 4.7.1 Greylisted"]
    run_pass(alert_settings, db)
    subscribe(alert_app.test_client(), "skill=Python")  # an "already" email gives us its links
    path = unsubscribe_header(inbox.messages[0])
    assert alert_app.test_client(use_cookies=False).post(path, data=ONE_CLICK).status_code == 200
    run_pass(alert_settings, db, now() + timedelta(hours=1))
    assert [d.status for d in digests_of(db, alert) if d.kind == "digest"] == ["cancelled"]
    assert [m["Subject"] for m in inbox.messages] == ["You already have this jobsift alert"]


def test_unsubscribing_a_pending_alert_ends_it_before_it_starts(
    db: Database, inbox: Inbox, client: FlaskClient, alert_app: Flask
) -> None:
    add_postings(db, python_job("a"))
    subscribe(client, "skill=Python")
    [message] = inbox.messages
    assert alert_app.test_client(use_cookies=False).post(unsubscribe_header(message)).status_code == 200
    # The confirmation link is spent with it.
    assert client.post(link(message, "confirm")).status_code == 404
