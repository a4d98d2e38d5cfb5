"""The session cookie: HttpOnly and SameSite=Lax always, Secure over HTTPS; a proxy's word counts only if trusted."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from store.db import Database
from tests.web.admin.conftest import MakeApp
from tests.web.admin.helpers import audit_log, sign_in


def _flags(response: TestResponse) -> list[str]:
    [cookie] = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("jobsift_session=")]
    return [part.strip().lower() for part in cookie.split(";")[1:]]


def test_cookie_is_httponly_and_lax_but_not_secure_over_http(client: FlaskClient, ada: int) -> None:
    flags = _flags(sign_in(client))
    assert "httponly" in flags and "samesite=lax" in flags and "path=/" in flags
    assert "secure" not in flags


def test_cookie_is_secure_over_https(app: Flask, ada: int) -> None:
    client = app.test_client()
    flags = _flags(sign_in(client, base_url="https://jobs.example.org"))
    assert "secure" in flags and "httponly" in flags and "samesite=lax" in flags


def test_forwarded_proto_is_ignored_unless_the_proxy_is_trusted(
    app: Flask, make_app: MakeApp, ada: int, db: Database
) -> None:
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.5"}
    untrusted = sign_in(app.test_client(), headers=forwarded)
    assert "secure" not in _flags(untrusted)
    trusted = sign_in(make_app(trusted_proxies=1).test_client(), headers=forwarded)
    assert "secure" in _flags(trusted)
    # The client address (which the throttle counts by) follows the same rule.
    assert [e.client for e in audit_log(db, "login")] == ["127.0.0.1", "203.0.113.5"]


def test_public_pages_set_no_cookie(client: FlaskClient) -> None:
    for path in ("/", "/insights", "/api/v1/postings"):
        assert not client.get(path).headers.getlist("Set-Cookie"), path
