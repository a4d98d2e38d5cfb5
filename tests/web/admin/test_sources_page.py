"""The sources page: every source with its platform, state, health, postings and next crawl, with filters."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient

from store.db import Database
from store.models import Source
from store.queries.postings import upsert_postings
from store.queries.sources import get_sources
from tests.store.helpers import NOW, make_source, record


def _seed(db: Database) -> None:
    now = datetime.now(UTC)
    with db.transaction() as s:
        failing = make_source(
            s, "lever-failing", name="Failing Co", kind="lever", url="https://api.lever.co/v0/postings/f"
        )
        paused = make_source(s, "ashby-paused", name="Paused Inc", kind="ashby", url="https://api.ashbyhq.com/p")
        gone = make_source(s, "rss-gone", name="Gone Feed", kind="rss", url="https://gone.example/feed.rss")
        upsert_postings(s, failing, [record("f1", is_backend=False), record("f2")], NOW)
        f, p, g = (s.get_one(Source, i) for i in (failing, paused, gone))
        f.consecutive_failures, f.last_error, f.last_success_at = 2, "http_503: the board answered HTTP 503", now
        f.next_crawl_at = now + timedelta(hours=2)
        p.paused_at, p.pause_reason = now, "paused after 5 failed crawls in a row; last error: http_404"
        p.consecutive_failures = 5
        g.removed_at, g.enabled = now, False


def _rows(html: str) -> dict[str, str]:
    """Each row of the sources table by its source key."""
    rows = re.findall(r"<tr class=\"state-row-[a-z]+\">(.*?)</tr>", html, flags=re.S)
    return {re.search(r'<span class="key">([^<]+)</span>', row).group(1): row for row in rows}  # type: ignore[union-attr]


def test_every_source_with_its_health_and_postings(admin_client: FlaskClient, db: Database) -> None:
    _seed(db)
    page = admin_client.get("/admin/sources")
    assert page.status_code == 200
    rows = _rows(page.text)
    assert set(rows) == {"acme-board", "lever-failing", "ashby-paused"}  # removed ones only on their filter
    assert "3 sources." in page.text
    acme = rows["acme-board"]
    assert "Greenhouse" in acme and '<span class="state state-active">active</span>' in acme
    assert "2 / 2 / 3" in acme  # open / back-end / total: one of its three postings closed
    failing = rows["lever-failing"]
    assert '<span class="state state-failing">failing</span>' in failing
    assert "http_503: the board answered HTTP 503" in failing and ">2</td>" in failing
    assert "2 / 1 / 2" in failing and "in 1 h" in failing and "just now" in failing
    paused = rows["ashby-paused"]
    assert '<span class="state state-paused">paused</span>' in paused and ">paused<" in paused.replace("\n", "")
    for column in ("Platform", "State", "Last success", "Last error", "Failures", "Next crawl", "Actions"):
        assert f'<th scope="col">{column}</th>' in page.text or f'data-label="{column}"' in page.text


def test_filters_for_failing_paused_and_removed_sources(admin_client: FlaskClient, db: Database) -> None:
    _seed(db)
    assert set(_rows(admin_client.get("/admin/sources?state=failing").text)) == {"lever-failing", "ashby-paused"}
    assert set(_rows(admin_client.get("/admin/sources?state=paused").text)) == {"ashby-paused"}
    removed = admin_client.get("/admin/sources?state=removed").text
    assert set(_rows(removed)) == {"rss-gone"} and "Crawl now" not in removed
    assert set(_rows(admin_client.get("/admin/sources?q=INC").text)) == {"ashby-paused"}
    assert set(_rows(admin_client.get("/admin/sources?q=lever.co").text)) == {"lever-failing"}
    assert set(_rows(admin_client.get("/admin/sources?q=100%25_").text)) == set()


def test_bad_filter_values_are_explained(admin_client: FlaskClient) -> None:
    bad_state = admin_client.get("/admin/sources?state=asleep")
    assert bad_state.status_code == 400 and "Unknown state" in bad_state.text
    for page in ("0", "x", "-1", "99999999"):
        assert admin_client.get(f"/admin/sources?page={page}").status_code == 400
    assert admin_client.get("/admin/audit?page=zero").status_code == 400


def test_a_page_per_source_with_its_recent_crawls(admin_client: FlaskClient, db: Database) -> None:
    from store.queries.crawl_runs import RunOutcome, finish_run, start_run

    with db.transaction() as s:
        [source] = get_sources(s, ["acme-board"])
        ok = start_run(s, source.id, NOW)
        finish_run(s, ok.id, RunOutcome(ok=True, http_status=200, items_seen=3, postings_new=3), NOW)
        bad = start_run(s, source.id, NOW + timedelta(hours=1))
        outcome = RunOutcome(ok=False, http_status=500, error_kind="http_500", error_message="answered HTTP 500")
        finish_run(s, bad.id, outcome, NOW + timedelta(hours=1))
    page = admin_client.get("/admin/sources/acme-board")
    assert page.status_code == 200
    assert "Recent crawls" in page.text and "<code>http_500</code> answered HTTP 500" in page.text
    assert page.text.index("http_500") < page.text.index('state-run-success">success')  # newest first
    assert "https://example.com/feed" in page.text and "2 open, 2 of them back-end; 3 ever" in page.text
    assert admin_client.get("/admin/sources/no-such-source").status_code == 404
