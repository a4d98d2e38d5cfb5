"""A full disk under the SQLite store: nothing crashes, nothing stored is lost or corrupted, every refusal is clear,
and everything catches up once there is room again.

The disk is a real one (a small tmpfs, ``conftest.py``) filled to the last byte, so SQLite meets ENOSPC exactly as on
a full partition: on the WAL, the shared-memory file and the database itself.
"""

from __future__ import annotations

import html
import json
import socket
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select, update

from config.settings import Settings
from config.sources import platform_terms
from crawlers.run import spawn_batch
from jobsift.demo.server import FeedServer, Route
from store.db import Database
from store.models import AlertSubscription, CrawlRun, Posting, Source
from store.queries.sources import upsert_source
from tests.alerts.helpers import ADA, BASE, active_alert, add_postings, python_job, run_pass, subscribe
from tests.alerts.smtp import SmtpServer
from tests.crawlers.scheduling_helpers import Processes, wait_until
from tests.robustness.conftest import Disk
from tests.web.admin.helpers import audit_log, csrf, make_admin
from tests.web.admin.helpers import sign_in as admin_sign_in
from web import create_app

NOW = datetime.now(UTC)
FULL = "database or disk is full"


def _board(prefix: str, count: int) -> bytes:
    """A Greenhouse board answer of ``count`` back-end jobs with descriptions of a few kilobytes."""
    stamp = NOW.replace(microsecond=0).isoformat()
    body = "<h2>What you will do</h2><ul>" + "<li>Build Python services on PostgreSQL and Kafka.</li>" * 40 + "</ul>"
    jobs = [
        {
            "id": number,
            "absolute_url": f"https://example.org/{prefix}/jobs/{number}",
            "title": f"Backend Engineer {prefix}-{number}",
            "company_name": f"{prefix.title()} Ltd",
            "location": {"name": "Remote"},
            "metadata": [],
            "updated_at": stamp,
            "first_published": stamp,
            "content": html.escape(body),
            "departments": [{"id": 1, "name": "Engineering"}],
        }
        for number in range(1, count + 1)
    ]
    return json.dumps({"jobs": jobs, "meta": {"total": count}}).encode()


def _add_source(db: Database, key: str, url: str) -> int:
    with db.transaction() as session:
        return upsert_source(
            session, key=key, name=key, kind="greenhouse", url=url, terms=platform_terms("greenhouse"), now=NOW
        ).id


def _open_postings(db: Database, source_id: int) -> dict[str, str]:
    with db.transaction() as session:
        rows = session.execute(
            select(Posting.external_id, Posting.content_hash).where(
                Posting.source_id == source_id, Posting.closed_at.is_(None)
            )
        )
        return {external_id: digest for external_id, digest in rows}


def _runs(db: Database, source_id: int) -> list[tuple[str, str | None]]:
    with db.transaction() as session:
        rows = session.execute(
            select(CrawlRun.status, CrawlRun.error_kind).where(CrawlRun.source_id == source_id).order_by(CrawlRun.id)
        )
        return [(status, kind) for status, kind in rows]


def _integrity(db: Database) -> str:
    with db.engine.connect() as conn:
        return str(conn.exec_driver_sql("PRAGMA integrity_check").scalar())


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    routes = {"/boards/kept/jobs": Route(_board("kept", 60)), "/boards/new/jobs": Route(_board("new", 150))}
    with FeedServer(routes) as server:
        yield server


def test_a_crawl_on_a_full_disk_stores_nothing_keeps_what_was_stored_and_lands_once_there_is_room(
    settings: Settings, db: Database, disk: Disk, feeds: FeedServer, capfd: pytest.CaptureFixture[str]
) -> None:
    environ = {**settings.child_environ(), "JOBSIFT_ALLOW_PRIVATE_NETWORKS": "1"}
    kept = _add_source(db, "kept", f"{feeds.url}/boards/kept/jobs")
    new = _add_source(db, "new", f"{feeds.url}/boards/new/jobs")
    assert spawn_batch([kept], environ, timeout=120) == 0
    before = _open_postings(db, kept)
    assert len(before) == 60

    disk.fill()
    assert disk.available() == 0
    capfd.readouterr()
    # Both sources in one batch: a re-crawl of the stored board and a first crawl of a new one.
    assert spawn_batch([kept, new], environ, timeout=120) == 0, "the batch process must end normally"
    err = capfd.readouterr().err
    assert f"new: could not store the crawl: {FULL}" in err, err
    assert "Traceback" not in err and "CRITICAL" not in err and "Unhandled" not in err, err

    assert _integrity(db) == "ok"
    assert _open_postings(db, kept) == before, "a failed write must not close, change or lose stored postings"
    assert _open_postings(db, new) == {}
    # Not even the runs could be recorded: the kept source keeps its one successful run and nothing half-written.
    assert _runs(db, kept) == [("success", None)]
    assert _runs(db, new) == []

    disk.free()
    assert spawn_batch([new], environ, timeout=120) == 0
    assert len(_open_postings(db, new)) == 150
    assert _runs(db, new) == [("success", None)]
    assert _open_postings(db, kept) == before
    assert _integrity(db) == "ok"


@pytest.fixture
def client(settings: Settings, smtp: SmtpServer) -> Iterator[FlaskClient]:
    app = create_app(
        replace(settings, smtp_url=smtp.url, mail_from="jobsift <alerts@jobsift.test>", base_url=BASE, smtp_timeout=5),
        {"TESTING": True},
    )
    yield app.test_client()
    app.extensions["jobsift.db"].dispose()


def _api_subscribe(client: FlaskClient) -> Any:
    return client.post("/api/v1/alerts", json={"email": ADA, "frequency": "daily", "search": {"skill": ["Python"]}})


def test_the_site_refuses_writes_on_a_full_disk_with_a_clear_503_and_keeps_serving_reads(
    db: Database, disk: Disk, client: FlaskClient, smtp: SmtpServer
) -> None:
    add_postings(db, python_job("a"), python_job("b"))
    form_page = client.get("/alerts/new?skill=Python")
    assert form_page.status_code == 200
    disk.fill()

    listed = client.get("/api/v1/postings?skill=Python")
    assert listed.status_code == 200 and listed.json["total"] == 2
    assert client.get("/?skill=Python").status_code == 200

    answer = _api_subscribe(client)
    assert answer.status_code == 503, answer.text
    assert answer.json["error"] == "store_unavailable"
    assert "Nothing was changed" in answer.json["message"]
    assert answer.headers["Retry-After"] == "60"
    documented = client.get("/api/openapi.json").json["paths"]["/api/v1/alerts"]["post"]["responses"]["503"]
    assert "store_unavailable" in documented["description"] and "Retry-After" in documented["headers"]

    page = subscribe(client, "skill=Python")
    assert page.status_code == 503
    assert "database is full or not answering right now. Nothing was changed" in unescape(page.text)
    assert "Traceback" not in page.text
    assert smtp.inbox.messages == [], "no confirmation for a subscription that was never saved"

    disk.free()
    assert _api_subscribe(client).status_code == 202
    assert len(smtp.inbox.messages) == 1
    assert _integrity(db) == "ok"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_jobsift_run_on_a_full_disk_stays_up_serves_the_site_and_catches_up(
    settings: Settings, db: Database, disk: Disk, feeds: FeedServer, tmp_path: Path
) -> None:
    kept = _add_source(db, "kept", f"{feeds.url}/boards/kept/jobs")
    port = _free_port()
    site = f"http://127.0.0.1:{port}"
    env = {
        **settings.child_environ(),
        "JOBSIFT_ALLOW_PRIVATE_NETWORKS": "1",
        "JOBSIFT_LOG_LEVEL": "INFO",
        "JOBSIFT_BATCH_TIMEOUT": "120",
    }
    env.pop("JOBSIFT_REDIS_URL", None)
    with Processes(tmp_path) as processes:
        run = processes.jobsift("run", "run", "--port", str(port), "--tick", "0.5", env=env)
        wait_until(lambda: _runs(db, kept) == [("success", None)], 60, "the first crawl")
        # A new source, and the stored one due again, a few seconds from now: by then the disk is full.
        soon = datetime.now(UTC) + timedelta(seconds=3)
        new = _add_source(db, "new", f"{feeds.url}/boards/new/jobs")
        with db.transaction() as session:
            session.execute(update(Source).where(Source.id.in_([kept, new])).values(next_crawl_at=soon))
        before = _open_postings(db, kept)
        disk.fill()

        # The scheduler can't take its leases on the full disk: it says so, once a tick, and lives on.
        wait_until(lambda: f"dispatch tick failed: {FULL}" in processes.log("run"), 30, "a tick on the full disk")
        wait_until(lambda: processes.log("run").count(FULL) >= 3, 30, "more ticks on the full disk")
        assert run.poll() is None, processes.log("run")
        assert _status(f"{site}/?skill=Python") == 200
        assert _status(f"{site}/api/v1/postings") == 200
        assert _integrity(db) == "ok"
        assert _open_postings(db, kept) == before
        assert _open_postings(db, new) == {}

        disk.free()
        wait_until(lambda: len(_open_postings(db, new)) == 150, 60, "the new source's crawl once there is room")
        assert _open_postings(db, kept) == before
        assert processes.stop(run) == 0, processes.log("run")
    log = processes.log("run")
    assert FULL in log, log
    assert "Traceback" not in log, log
    assert _integrity(db) == "ok"


def _mail_files(directory: Path) -> tuple[list[Path], list[Path]]:
    files = sorted(directory.glob("*")) if directory.exists() else []
    return [f for f in files if f.suffix == ".eml"], [f for f in files if f.suffix != ".eml"]


def test_an_alert_due_while_the_disk_is_full_is_sent_once_when_there_is_room(
    settings: Settings, db: Database, disk: Disk
) -> None:
    # No SMTP server configured: digests are saved as .eml files under the data directory, here on the small disk too.
    settings = replace(settings, data_dir=disk.path / "data", smtp_url=None, base_url=BASE)
    sink = settings.mail_sink_dir
    subscription = active_alert(db, "skill=Python")
    run_pass(settings, db)  # the confirmation's pass: nothing new yet
    add_postings(db, python_job("due"))
    disk.fill()

    later = datetime.now(UTC)
    for minutes in (0, 1, 2):
        report = run_pass(settings, db, later + timedelta(minutes=minutes))  # never raises
        assert report.sent is None or report.sent.sent == 0
    assert _integrity(db) == "ok"
    saved, partial = _mail_files(sink)
    assert saved == [] and partial == [], "nothing half-written is left on the full disk"

    disk.free()
    # Past any backoff the failures earned: the digest goes out once, and only once.
    for hours in (2, 3):
        run_pass(settings, db, later + timedelta(hours=hours))
    saved, partial = _mail_files(sink)
    assert len(saved) == 1 and partial == [], (saved, partial)
    assert "Python Engineer due" in saved[0].read_text(errors="replace")
    with db.transaction() as session:
        assert session.get_one(AlertSubscription, subscription).state == "active"


def test_a_digest_that_cannot_be_saved_to_a_full_mail_sink_is_retried_and_saved_once(
    settings: Settings, db: Database, make_disk: Callable[[str], Disk]
) -> None:
    # The store has room; the directory the demo's mail sink writes to is full.
    mail = make_disk("mail")
    settings = replace(settings, data_dir=mail.path / "data", smtp_url=None, base_url=BASE)
    sink = settings.mail_sink_dir
    active_alert(db, "skill=Python")
    run_pass(settings, db)
    add_postings(db, python_job("due"))
    mail.fill()

    later = datetime.now(UTC)
    report = run_pass(settings, db, later)
    assert report.matched is not None and report.matched.matches == 1
    assert report.sent is not None and report.sent.sent == 0 and report.sent.server_down, report.sent
    saved, partial = _mail_files(sink)
    assert saved == [] and partial == [], "a message that could not be written leaves no partial file"

    mail.free()
    for hours in (2, 3):
        run_pass(settings, db, later + timedelta(hours=hours))
    saved, partial = _mail_files(sink)
    assert len(saved) == 1 and partial == [], (saved, partial)
    assert "Python Engineer due" in saved[0].read_text(errors="replace")


def test_a_sign_in_that_cannot_be_recorded_signs_nobody_in(db: Database, disk: Disk, client: FlaskClient) -> None:
    make_admin(db)
    csrf(client)  # the login form's token, fetched while there is room
    disk.fill()
    answer = admin_sign_in(client)
    assert answer.status_code == 503, answer.text
    assert "Nothing was changed" in answer.text
    # The browser kept the cookie it had: not signed in.
    with client.session_transaction() as session:
        assert "admin_id" not in session
    assert client.get("/admin/sources").status_code == 302  # to the login page

    disk.free()
    assert admin_sign_in(client).status_code == 302
    assert client.get("/admin/sources").status_code == 200
    assert [entry.action for entry in audit_log(db)] == ["login"]


def test_a_fault_of_the_schema_is_a_500_with_its_traceback_not_a_full_disk(
    settings: Settings, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    # Not TESTING: the error reaches the site's own handlers, as in production.
    app = create_app(settings)
    try:
        with db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE alert_confirmation_requests")
        answer = _api_subscribe(app.test_client())
        assert answer.status_code == 500, answer.text
        assert answer.json["error"] == "internal_server_error"
        assert "no such table" in caplog.text and "Traceback" in caplog.text
    finally:
        app.extensions["jobsift.db"].dispose()
