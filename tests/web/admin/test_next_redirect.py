"""After signing in, an admin goes back to the page asked for, but never off this site."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.admin.helpers import sign_in

UNSAFE = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "javascript:alert(1)",
    "evil.example",
    "https:evil.example",
    "/admin\r\nLocation: https://evil.example",
    "http:/evil.example",
    " //evil.example",
]


@pytest.mark.parametrize("target", UNSAFE)
def test_an_off_site_next_is_ignored(app: Flask, ada: int, target: str) -> None:
    response = sign_in(app.test_client(), next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/sources"


def test_a_path_on_this_site_is_honoured(client: FlaskClient, ada: int) -> None:
    response = sign_in(client, next="/admin/audit?action=login")
    assert response.headers["Location"] == "/admin/audit?action=login"


def test_the_page_asked_for_is_carried_through_the_login_form(client: FlaskClient, ada: int) -> None:
    asked = client.get("/admin/sources?state=failing")
    assert asked.headers["Location"] == "/admin/login?next=/admin/sources?state%3Dfailing"
    form = client.get(asked.headers["Location"])
    assert 'name="next" value="/admin/sources?state=failing"' in form.text
    assert sign_in(client, next="/admin/sources?state=failing").headers["Location"] == "/admin/sources?state=failing"


def test_an_off_site_next_on_the_login_page_is_dropped(client: FlaskClient) -> None:
    page = client.get("/admin/login?next=https://evil.example/")
    assert "evil.example" not in page.text
