"""Bulk import and export, in the file format of `jobsift sources import` / `export`."""

from __future__ import annotations

import io

from flask import Flask
from flask.testing import FlaskClient

from store.db import Database
from store.queries.sources import get_sources
from tests.web.admin.conftest import MakeApp
from tests.web.admin.helpers import audit_log, csrf, sign_in

EXTRA = """
[[source]]
key = "lever-acme"
name = "Acme"
kind = "lever"
url = "https://api.lever.co/v0/postings/acme?mode=json"
sector = "Technology"
"""


def upload(client: FlaskClient, content: bytes, filename: str = "sources.toml") -> object:
    return client.post(
        "/admin/sources/import",
        data={"csrf_token": csrf(client), "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def test_export_then_import_round_trips(admin_client: FlaskClient, db: Database) -> None:
    exported = admin_client.get("/admin/sources/export")
    assert exported.status_code == 200
    assert exported.headers["Content-Disposition"].startswith('attachment; filename="jobsift-sources-')
    text = exported.get_data(as_text=True)
    assert 'key = "acme-board"' in text and 'url = "https://example.com/feed"' in text
    # Edit a name, add a source, and bring the file back.
    edited = text.replace('name = "Acme Board"', 'name = "Acme Board (edited)"') + EXTRA
    response = upload(admin_client, edited.encode())
    assert response.status_code == 302  # type: ignore[attr-defined]
    page = admin_client.get("/admin/sources").text
    assert "Imported 2 source(s) from sources.toml: 1 added, 1 updated." in page
    with db.transaction() as s:
        by_key = {x.key: x for x in get_sources(s)}
        assert by_key["acme-board"].name == "Acme Board (edited)"
        assert by_key["lever-acme"].sector == "Technology" and by_key["lever-acme"].terms["min_interval_minutes"] == 60
    [entry] = audit_log(db, "import")
    assert entry.before and entry.before["acme-board"]["name"] == "Acme Board"
    assert entry.after and set(entry.after) == {"acme-board", "lever-acme"}
    again = admin_client.get("/admin/sources/export").get_data(as_text=True)
    assert 'key = "lever-acme"' in again and 'name = "Acme Board (edited)"' in again
    assert audit_log(db, "export")


def test_a_bad_file_is_explained_and_changes_nothing(admin_client: FlaskClient, db: Database) -> None:
    cases = [
        (b"[[source]\nkey = ", "sources.toml: "),
        (b'[[source]]\nkey = "x"\nname = "X"\nkind = "nosuchkind"\nurl = "https://x.example/feed"\n', "unknown kind"),
        (b'[[source]]\nkey = "Bad Key"\nkind = "rss"\nurl = "https://x.example/feed"\n', "key must be lower-case"),
        (b'[[source]]\nkey = "x"\nkind = "rss"\nurl = "ftp://x.example/feed"\n', "needs an https or http feed URL"),
        (b"\xff\xfe\x00binary", "not a text file in UTF-8"),
        (b"# nothing here\n", "the file has no [[source]] entries"),
        (
            b'[[source]]\nkey = "one"\nkind = "lever"\nurl = "https://api.lever.co/v0/postings/a"\n'
            b'[[source]]\nkey = "two"\nkind = "lever"\nurl = "https://api.lever.co/v0/postings/a"\n',
            "polls the feed of source &#39;one&#39;; nothing was imported",
        ),
        (b'[[source]]\nkey = "x"\nkind = "greenhouse"\nurl = "https://example.com/feed"\n', "polls the feed of source"),
    ]
    for content, message in cases:
        response = upload(admin_client, content)
        assert response.status_code == 400, content  # type: ignore[attr-defined]
        assert message in response.get_data(as_text=True), (content, message)  # type: ignore[attr-defined]
    no_file = admin_client.post("/admin/sources/import", data={"csrf_token": csrf(admin_client)})
    assert no_file.status_code == 400 and "Choose a file to import." in no_file.text
    with db.transaction() as s:
        assert [x.key for x in get_sources(s)] == ["acme-board"]
    assert not audit_log(db, "import")


def test_an_import_of_private_addresses_is_refused(app: Flask, make_app: MakeApp, ada: int, db: Database) -> None:
    client = make_app(allow_private_networks=False).test_client()
    sign_in(client)
    response = upload(client, b'[[source]]\nkey = "local"\nkind = "rss"\nurl = "http://127.0.0.1:8123/jobs.rss"\n')
    assert response.status_code == 400  # type: ignore[attr-defined]
    body = response.get_data(as_text=True)  # type: ignore[attr-defined]
    assert "resolves to 127.0.0.1, a private address" in body and "Nothing was imported." in body


def test_the_transfer_page_explains_the_format(admin_client: FlaskClient) -> None:
    page = admin_client.get("/admin/sources/transfer")
    assert page.status_code == 200 and "config/sources.toml" in page.text
    assert '<label for="file">' in page.text and 'enctype="multipart/form-data"' in page.text
