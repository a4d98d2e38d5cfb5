"""Every admin form carries the session's CSRF token; a POST without it, with a wrong one, or from another site is
refused and changes nothing."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from store.db import Database
from store.queries.sources import get_sources
from tests.web.admin.helpers import csrf, post

ACTIONS = ["crawl", "reset", "pause", "resume", "remove", "edit"]


@pytest.mark.parametrize("action", ACTIONS)
def test_a_post_without_a_valid_token_is_refused(admin_client: FlaskClient, db: Database, action: str) -> None:
    path = f"/admin/sources/acme-board/{action}"
    data = {"name": "Hijacked", "url": "https://evil.example/feed", "interval_minutes": "60"}
    missing = admin_client.post(path, data=data)
    wrong = admin_client.post(path, data={**data, "csrf_token": "x" * 43})
    assert missing.status_code == wrong.status_code == 400
    assert "did not come from this site" in missing.text
    with db.transaction() as s:
        [source] = get_sources(s, ["acme-board"])
        assert source.name == "Acme Board" and source.removed_at is None and source.paused_at is None


def test_a_cross_site_post_is_refused_even_with_a_token(admin_client: FlaskClient, db: Database) -> None:
    response = admin_client.post(
        "/admin/sources/acme-board/remove",
        data={"csrf_token": csrf(admin_client)},
        headers={"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"},
    )
    assert response.status_code == 403
    with db.transaction() as s:
        assert get_sources(s, ["acme-board"])[0].removed_at is None


def test_a_cross_site_post_without_the_cookie_or_token_is_refused(client: FlaskClient, ada: int) -> None:
    # What a browser sends for another site's form: SameSite=Lax keeps the cookie back, and there is no token.
    response = client.post("/admin/sources/acme-board/remove", headers={"Sec-Fetch-Site": "cross-site"})
    assert response.status_code == 403
    assert client.post("/admin/logout").status_code == 400


def test_login_and_logout_need_the_token_too(client: FlaskClient, ada: int) -> None:
    assert client.post("/admin/login", data={"email": "ada@example.com", "password": "x"}).status_code == 400
    assert (
        post(client, "/admin/login", {"email": "ada@example.com", "password": "plum orbit lantern 42"}).status_code
        == 302
    )
    assert client.post("/admin/logout").status_code == 400


def test_every_form_that_posts_carries_the_token(admin_client: FlaskClient) -> None:
    token = csrf(admin_client)
    pages = [
        "/admin/sources",
        "/admin/sources/acme-board",
        "/admin/sources/acme-board/edit",
        "/admin/sources/acme-board/remove",
        "/admin/sources/new",
        "/admin/sources/transfer",
        "/admin/audit",
    ]
    for path in pages:
        html = admin_client.get(path).text
        forms = re.findall(r"<form\b[^>]*>.*?</form>", html, flags=re.S)
        posting = [f for f in forms if 'method="post"' in f]
        assert posting, path
        for form in posting:
            assert f'name="csrf_token" value="{token}"' in form, (path, form[:200])
