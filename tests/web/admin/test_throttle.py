"""Failed logins are throttled per account and per client address, in the store (so every web worker sees them)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from store.db import Database
from store.queries.admin import LOGIN_WINDOW, MAX_ACCOUNT_FAILURES, MAX_CLIENT_FAILURES, record_login_attempt
from tests.web.admin.conftest import MakeApp
from tests.web.admin.helpers import ADA, PASSWORD, audit_log, make_admin, sign_in

THROTTLED = "Too many failed sign-ins for this account or from this address."


def test_an_account_is_throttled_after_repeated_failures_even_with_the_right_password(
    client: FlaskClient, ada: int, db: Database
) -> None:
    for _ in range(MAX_ACCOUNT_FAILURES):
        assert sign_in(client, ADA, "wrong password here").status_code == 401
    refused = sign_in(client, ADA, PASSWORD)
    assert refused.status_code == 429
    assert THROTTLED in refused.text and "Try again in 15 minutes." in refused.text
    assert audit_log(db, "login_throttled")
    # The same for an address that has no account: the throttle says nothing about which accounts exist.
    for _ in range(MAX_ACCOUNT_FAILURES):
        sign_in(client, "ghost@example.com", "wrong password here", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    ghost = sign_in(client, "ghost@example.com", "whatever else", environ_base={"REMOTE_ADDR": "10.0.0.9"})
    assert ghost.status_code == 429 and THROTTLED in ghost.text


def test_a_client_is_throttled_across_accounts(client: FlaskClient, db: Database) -> None:
    make_admin(db, "bob@example.com")
    for n in range(MAX_CLIENT_FAILURES):
        assert sign_in(client, f"guess{n}@example.com", "wrong password here").status_code == 401
    refused = sign_in(client, "bob@example.com", PASSWORD)
    assert refused.status_code == 429 and THROTTLED in refused.text
    # Another client may still sign in to that account.
    assert sign_in(client, "bob@example.com", PASSWORD, environ_base={"REMOTE_ADDR": "192.0.2.7"}).status_code == 302


def test_the_throttle_lifts_once_the_failures_leave_the_window(client: FlaskClient, ada: int, db: Database) -> None:
    long_ago = datetime.now(UTC) - LOGIN_WINDOW - timedelta(minutes=1)
    with db.transaction() as s:
        for _ in range(MAX_ACCOUNT_FAILURES):
            record_login_attempt(s, email=ADA, client="127.0.0.1", succeeded=False, now=long_ago)
    assert sign_in(client, ADA, PASSWORD).status_code == 302


def test_the_throttle_holds_across_web_workers(app: Flask, make_app: MakeApp, ada: int) -> None:
    first, second = app.test_client(), make_app().test_client()
    for _ in range(MAX_ACCOUNT_FAILURES):
        sign_in(first, ADA, "wrong password here")
    assert sign_in(second, ADA, PASSWORD).status_code == 429


def test_a_success_resets_the_account_count(client: FlaskClient, ada: int) -> None:
    for _ in range(MAX_ACCOUNT_FAILURES - 1):
        sign_in(client, ADA, "wrong password here")
    assert sign_in(client, ADA, PASSWORD).status_code == 302
    client.post("/admin/logout", data={"csrf_token": _token(client)})
    for _ in range(MAX_ACCOUNT_FAILURES - 1):
        assert sign_in(client, ADA, "wrong password here").status_code == 401
    assert sign_in(client, ADA, PASSWORD).status_code == 302


def _token(client: FlaskClient) -> str:
    with client.session_transaction() as session:
        return str(session["csrf"])


def test_an_ipv6_client_is_counted_by_its_slash_64(client: FlaskClient, db: Database) -> None:
    make_admin(db, "bob@example.com")
    for n in range(MAX_CLIENT_FAILURES):
        # A new address each time, all in one /64.
        sign_in(
            client, f"guess{n}@example.com", "wrong password here", environ_base={"REMOTE_ADDR": f"2001:db8::{n + 1:x}"}
        )
    refused = sign_in(client, "bob@example.com", PASSWORD, environ_base={"REMOTE_ADDR": "2001:db8::ffff"})
    assert refused.status_code == 429
    elsewhere = sign_in(client, "bob@example.com", PASSWORD, environ_base={"REMOTE_ADDR": "2001:db8:0:1::1"})
    assert elsewhere.status_code == 302
