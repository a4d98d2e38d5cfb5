"""Bad input never gets a 500: odd characters, odd digits and odd sizes in every field of every admin form."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.web.admin.conftest import MakeApp
from tests.web.admin.helpers import csrf, post, sign_in
from web.admin.preview import PreviewResult

ODD = ["a\x00b", "²", "-1", "9" * 40, "x" * 5000, "\u202e😀", "\r\n", "%00", "' OR 1=1 --"]
FIELDS = ["url", "name", "key", "sector", "interval_minutes", "min_interval_minutes", "attribution",
          "republish_jobposting", "terms_url", "kind", "board", "feed_url", "email", "password", "next"]  # fmt: skip
POSTS = [
    "/admin/login",
    "/admin/sources/preview",
    "/admin/sources/save",
    "/admin/sources/acme-board/edit",
    "/admin/sources/acme-board/crawl",
    "/admin/sources/acme-board/pause",
    "/admin/sources/import",
]
GETS = [
    "/admin/sources?state={}",
    "/admin/sources?q={}",
    "/admin/sources?page={}",
    "/admin/audit?action={}",
    "/admin/audit?target={}&page={}",
    "/admin/login?next={}",
    "/admin/sources/new?url={}",
    "/admin/sources/{}",
]
VALID = {"name": "Acme", "interval_minutes": "360", "min_interval_minutes": "60", "url": "https://example.com/feed"}


@pytest.fixture
def odd_client(app: Flask, make_app: MakeApp, ada: int) -> FlaskClient:
    # Previews of odd input must not fetch anything: the fake answers at once.
    client = make_app(preview=lambda kind, url, name: PreviewResult(ok=False, error="not fetched")).test_client()
    sign_in(client)
    return client


@pytest.mark.parametrize("value", ODD)
def test_odd_values_in_every_field_get_an_answer_not_a_crash(odd_client: FlaskClient, value: str) -> None:
    for path in POSTS:
        for field in FIELDS:
            response = post(odd_client, path, {**VALID, field: value})
            assert response.status_code < 500, (path, field, value, response.text[:500])
            if path == "/admin/login" and response.status_code == 302:
                sign_in(odd_client)
    for pattern in GETS:
        response = odd_client.get(pattern.format(value, value))
        assert response.status_code < 500, (pattern, value)


def test_a_field_that_is_not_a_file_is_no_upload(odd_client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    from web.admin import transfer

    # A small limit: werkzeug spools bodies over 500 KB to temporary files, which is not what this is about.
    monkeypatch.setattr(transfer, "MAX_IMPORT_BYTES", 4096)
    response = odd_client.post("/admin/sources/import", data={"csrf_token": csrf(odd_client), "file": "just text"})
    assert response.status_code == 400 and "Choose a file to import." in response.text
    huge = odd_client.post(
        "/admin/sources/import",
        data={"csrf_token": csrf(odd_client), "file": (io.BytesIO(b"#" * 5000), "big.toml")},
        content_type="multipart/form-data",
    )
    assert huge.status_code == 400 and "larger than 4 KB" in huge.text
