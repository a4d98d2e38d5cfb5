"""A login starts a fresh session; logging out (or a new password) really ends it, even for a copied cookie."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient

from store.db import Database
from store.queries.admin import get_admin, set_admin_password
from tests.web.admin.helpers import audit_log, csrf, post, sign_in

COOKIE = "jobsift_session"


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie(COOKIE)
    assert cookie is not None
    return cookie.value


def _replay(app: Flask, value: str, path: str = "/admin/sources") -> int:
    """Another browser presenting a copied session cookie."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, value)
    return thief.get(path).status_code


def test_login_renews_the_session(app: Flask, ada: int) -> None:
    client = app.test_client()
    before_token = csrf(client)
    before_cookie = _cookie(client)
    assert sign_in(client).status_code == 302
    after_cookie = _cookie(client)
    assert after_cookie != before_cookie
    # Nothing of the session before the login survives: not its CSRF token either.
    assert csrf(client) != before_token
    with client.session_transaction() as session:
        assert set(session) == {"admin_id", "admin_version", "signed_in_at", "csrf"}
    # The cookie from before the login signs nobody in.
    assert _replay(app, before_cookie) == 302


def test_logout_ends_the_session_even_for_a_copied_cookie(app: Flask, admin_client: FlaskClient, db: Database) -> None:
    stolen = _cookie(admin_client)
    assert _replay(app, stolen) == 200
    response = post(admin_client, "/admin/logout")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/login"
    assert admin_client.get("/admin/sources").status_code == 302
    # The old cookie is still validly signed, but its session version is gone.
    assert _replay(app, stolen) == 302
    assert [e.action for e in audit_log(db)][-1] == "logout"


def test_a_new_password_ends_every_session(app: Flask, admin_client: FlaskClient, ada: int, db: Database) -> None:
    assert admin_client.get("/admin/sources").status_code == 200
    with db.transaction() as s:
        account = get_admin(s, ada)
        assert account is not None
        set_admin_password(account, "a brand new passphrase", datetime.now(UTC))
    assert admin_client.get("/admin/sources").status_code == 302


def test_a_session_lasts_twelve_hours_at_most(admin_client: FlaskClient) -> None:
    with admin_client.session_transaction() as session:
        session["signed_in_at"] = (datetime.now(UTC) - timedelta(hours=12, minutes=1)).timestamp()
    response = admin_client.get("/admin/sources")
    assert response.status_code == 302 and response.headers["Location"].startswith("/admin/login")


def test_a_deleted_account_is_signed_out(admin_client: FlaskClient, ada: int, db: Database) -> None:
    with db.transaction() as s:
        account = get_admin(s, ada)
        s.delete(account)
    assert admin_client.get("/admin/sources").status_code == 302
