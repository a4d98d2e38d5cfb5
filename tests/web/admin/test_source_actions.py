"""Crawl now, reset errors, pause, resume, edit and remove: each changes the source as it says, answers with a
message, and leaves an audit entry with the values before and after."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from store.db import Database
from store.models import Posting, Source
from store.queries.sources import get_sources
from tests.store.helpers import make_source
from tests.web.admin.conftest import MakeApp
from tests.web.admin.helpers import audit_log, field_errors, post, sign_in


def _source(db: Database, key: str = "acme-board") -> Source:
    with db.transaction() as s:
        return get_sources(s, [key], removed=True)[0]


def _make_failing(db: Database) -> None:
    with db.transaction() as s:
        [source] = get_sources(s, ["acme-board"])
        source.consecutive_failures, source.last_error = 3, "http_500: answered HTTP 500"
        source.last_crawl_at = datetime.now(UTC) - timedelta(minutes=5)
        source.next_crawl_at = datetime.now(UTC) + timedelta(hours=20)  # the failure backoff
        source.paused_at, source.pause_reason = datetime.now(UTC), "paused after 3 failed crawls in a row"


def test_crawl_now_makes_the_source_due_now_and_lifts_its_pause(admin_client: FlaskClient, db: Database) -> None:
    _make_failing(db)
    response = post(admin_client, "/admin/sources/acme-board/crawl", {"next": "/admin/sources?state=paused"})
    assert response.status_code == 302 and response.headers["Location"] == "/admin/sources?state=paused"
    source = _source(db)
    assert source.paused_at is None and source.pause_reason is None and source.enabled
    assert source.next_crawl_at is not None and source.next_crawl_at <= datetime.now(UTC)
    [entry] = audit_log(db, "crawl_now")
    assert entry.actor == "ada@example.com" and entry.target == "source:acme-board"
    assert entry.before is not None and entry.after is not None
    assert entry.before["pause_reason"] == "paused after 3 failed crawls in a row" and entry.after["paused_at"] is None
    page = admin_client.get("/admin/sources?state=paused")
    assert "Acme Board is due now: the scheduler crawls it at its next tick." in page.text


def test_reset_errors_clears_the_count_and_the_backoff(admin_client: FlaskClient, db: Database) -> None:
    _make_failing(db)
    assert post(admin_client, "/admin/sources/acme-board/reset").status_code == 302
    source = _source(db)
    assert source.consecutive_failures == 0 and source.last_error is None
    assert source.next_crawl_at is not None and source.next_crawl_at < datetime.now(UTC) + timedelta(hours=7)
    [entry] = audit_log(db, "reset_errors")
    assert entry.before and entry.before["consecutive_failures"] == 3
    assert entry.after and entry.after["consecutive_failures"] == 0


def test_pause_and_resume(admin_client: FlaskClient, db: Database) -> None:
    assert post(admin_client, "/admin/sources/acme-board/pause").status_code == 302
    paused = _source(db)
    assert paused.paused_at is not None and paused.pause_reason == "paused by ada@example.com"
    assert "paused" in admin_client.get("/admin/sources/acme-board").text
    assert post(admin_client, "/admin/sources/acme-board/resume").status_code == 302
    resumed = _source(db)
    assert resumed.paused_at is None and resumed.enabled and resumed.consecutive_failures == 0
    assert resumed.next_crawl_at is not None and resumed.next_crawl_at <= datetime.now(UTC)
    assert [e.action for e in audit_log(db)][-2:] == ["pause", "resume"]


def test_remove_asks_first_then_closes_the_postings_without_deleting_them(
    admin_client: FlaskClient, db: Database
) -> None:
    confirm = admin_client.get("/admin/sources/acme-board/remove")
    assert confirm.status_code == 200 and "Its 2 open postings will be closed" in confirm.text
    assert _source(db).removed_at is None  # looking is not acting
    response = post(admin_client, "/admin/sources/acme-board/remove")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/sources"
    source = _source(db)
    assert source.removed_at is not None and not source.enabled
    with db.transaction() as s:
        postings = list(s.scalars(select(Posting).where(Posting.source_id == source.id)))
    assert len(postings) == 3 and all(p.closed_at is not None for p in postings)
    [entry] = audit_log(db, "remove")
    assert entry.after and entry.after["postings_closed"] == 2 and entry.before and entry.before["removed_at"] is None
    assert "2 open posting(s) closed" in admin_client.get("/admin/sources").text
    # A removed source takes no more actions.
    again = post(admin_client, "/admin/sources/acme-board/remove")
    assert again.status_code == 302
    assert post(admin_client, "/admin/sources/acme-board/crawl").status_code == 302
    assert _source(db).next_crawl_at is None
    assert "is removed; add its feed again" in admin_client.get("/admin/sources/acme-board").text


def test_edit_saves_every_field_and_records_before_and_after(admin_client: FlaskClient, db: Database) -> None:
    form = admin_client.get("/admin/sources/acme-board/edit")
    assert form.status_code == 200 and 'value="https://example.com/feed"' in form.text
    response = post(
        admin_client,
        "/admin/sources/acme-board/edit",
        {
            "url": "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true",
            "name": "Acme Corp",
            "sector": "Financial services",
            "interval_minutes": "720",
            "min_interval_minutes": "120",
            "attribution": "Jobs via Acme",
            "republish_jobposting": "1",
            "terms_url": "https://acme.example/terms",
        },
    )
    assert response.status_code == 302, field_errors(response.text)
    source = _source(db)
    assert source.name == "Acme Corp" and source.sector == "Financial services" and source.interval_minutes == 720
    assert source.url == "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true"
    assert source.terms == {
        "min_interval_minutes": 120,
        "attribution": "Jobs via Acme",
        "republish_jobposting": True,
        "terms_url": "https://acme.example/terms",
    }
    [entry] = audit_log(db, "edit")
    assert entry.before and entry.after
    assert (entry.before["name"], entry.after["name"]) == ("Acme Board", "Acme Corp")
    assert entry.after["terms"]["attribution"] == "Jobs via Acme"
    audit_page = admin_client.get("/admin/audit?target=source:acme-board").text
    assert "Acme Board" in audit_page and "Acme Corp" in audit_page


def test_edit_explains_every_bad_field(admin_client: FlaskClient, db: Database) -> None:
    with db.transaction() as s:
        make_source(s, "other", url="https://other.example/feed")
    cases = [
        ({"url": "ftp://example.com/feed"}, "The feed URL must be an http or https address."),
        ({"url": "https://other.example/feed"}, "Source 'other' already polls this feed."),
        ({"name": ""}, "Give the source a name"),
        ({"name": "x" * 201}, "at most 200 characters"),
        ({"name": "two\nlines"}, "on one line"),
        ({"sector": "Astrology"}, "Choose a sector from the list"),
        ({"interval_minutes": "soon"}, "The interval must be a whole number of minutes."),
        ({"interval_minutes": "30"}, "can't be below the platform's minimum of 60 minutes"),
        ({"interval_minutes": "99999999"}, "between 1 and 43200 minutes"),
        ({"min_interval_minutes": "-5"}, "The minimum interval must be a whole number of minutes."),
        ({"attribution": "a" * 501}, "at most 500 characters"),
        ({"terms_url": "javascript:alert(1)"}, "The terms URL must be an http or https address"),
    ]
    valid = {"url": "https://example.com/feed", "name": "Acme Board", "interval_minutes": "360",
             "min_interval_minutes": "60"}  # fmt: skip
    for change, message in cases:
        response = post(admin_client, "/admin/sources/acme-board/edit", {**valid, **change})
        assert response.status_code == 400, change
        assert any(message in e for e in field_errors(response.text)), (change, field_errors(response.text))
        assert 'aria-invalid="true"' in response.text and 'role="alert"' in response.text
    assert _source(db).name == "Acme Board" and not audit_log(db, "edit")


def test_edit_refuses_a_private_feed_address(app: Flask, make_app: MakeApp, ada: int) -> None:
    client = make_app(allow_private_networks=False).test_client()
    sign_in(client)
    response = post(
        client,
        "/admin/sources/acme-board/edit",
        {"url": "http://127.0.0.1:8080/feed", "name": "Acme", "interval_minutes": "360", "min_interval_minutes": "60"},
    )
    assert response.status_code == 400
    assert "resolves to 127.0.0.1, a private address" in response.text


def test_unknown_sources_are_not_found(admin_client: FlaskClient) -> None:
    for path in ("/admin/sources/nope", "/admin/sources/nope/edit", "/admin/sources/nope/remove"):
        assert admin_client.get(path).status_code == 404
    assert post(admin_client, "/admin/sources/nope/crawl").status_code == 404
