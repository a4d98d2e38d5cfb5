"""End to end: real captured feeds on a loopback HTTP server, crawled by the real spiders and pipelines in a fresh
process (as production does), into a real store of each backend."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from config.settings import Settings
from crawlers.run import spawn_batch
from jobsift.demo.server import FeedServer, Route
from store.db import Database
from store.models import CrawlRun, Posting, PostingSkill, Source
from store.queries.sources import upsert_source
from tests.conftest import FIXTURES

GREENHOUSE = "/v1/boards/gitlab/jobs"
LEVER = "/v0/postings/palantir"
WWR = "/categories/remote-back-end-programming-jobs.rss"


def fixture_route(path: str, content_type: str = "application/json") -> Route:
    return Route((FIXTURES / path).read_bytes(), content_type)


@pytest.fixture
def feeds() -> Iterator[FeedServer]:
    routes = {
        GREENHOUSE: fixture_route("greenhouse/gitlab_jobs_content_trimmed_by_committer.json"),
        LEVER: fixture_route("lever/palantir_postings_trimmed_by_committer.json"),
        WWR: fixture_route("wwr/weworkremotely_remote-back-end-programming-jobs_2022-11-07.rss", "application/rss+xml"),
    }
    with FeedServer(routes) as server:
        yield server


def add_sources(db: Database, server: FeedServer) -> dict[str, int]:
    now = datetime.now(UTC)
    with db.transaction() as s:
        return {
            key: upsert_source(s, key=key, name=name, kind=kind, url=server.url + path + query, now=now).id
            for key, name, kind, path, query in [
                ("gitlab", "GitLab", "greenhouse", GREENHOUSE, "?content=true"),
                ("palantir", "Palantir", "lever", LEVER, "?mode=json"),
                ("wwr", "We Work Remotely", "weworkremotely", WWR, ""),
            ]
        }


def crawl(settings: Settings, *source_ids: int) -> None:
    assert spawn_batch(list(source_ids), settings.child_environ(), timeout=120, quiet=False) == 0


def stored(db: Database) -> dict[tuple[int, str], dict[str, Any]]:
    """Every posting with the fields a re-crawl must leave alone."""
    with db.transaction() as s:
        skills: dict[int, list[str]] = {}
        for posting_id, skill in s.execute(select(PostingSkill.posting_id, PostingSkill.skill)):
            skills.setdefault(posting_id, []).append(skill)
        return {
            (p.source_id, p.external_id): {
                "id": p.id,
                "hash": p.content_hash,
                "title": p.title,
                "updated_at": p.updated_at,
                "closed_at": p.closed_at,
                "skills": sorted(skills.get(p.id, [])),
            }
            for p in s.scalars(select(Posting))
        }


def last_run(db: Database, source_id: int) -> CrawlRun:
    with db.transaction() as s:
        run = s.scalars(
            select(CrawlRun).where(CrawlRun.source_id == source_id).order_by(CrawlRun.id.desc()).limit(1)
        ).one()
        s.expunge(run)
        return run


def test_crawl_stores_every_posting_and_a_second_crawl_changes_nothing(
    settings: Settings, db: Database, feeds: FeedServer
) -> None:
    ids = add_sources(db, feeds)
    crawl(settings, *ids.values())

    first = stored(db)
    per_source = {key: sum(1 for (sid, _) in first if sid == source_id) for key, source_id in ids.items()}
    assert per_source == {"gitlab": 3, "palantir": 3, "wwr": 59}
    for key, source_id in ids.items():
        run = last_run(db, source_id)
        assert (run.status, run.http_status, run.error_kind) == ("success", 200, None), key
        assert run.postings_new == per_source[key]
        assert run.bytes_received > 0

    with db.transaction() as s:
        gitlab = s.scalars(select(Posting).where(Posting.external_id == "8503792002")).one()
        assert gitlab.company == "GitLab"
        assert gitlab.posted_at == datetime(2026, 4, 17, 9, 58, 3, tzinfo=UTC)
        assert gitlab.posted_raw == "2026-04-17T05:58:03-04:00"
        assert gitlab.remote == "remote"
        assert gitlab.raw["internal_job_id"] == 6396658002
        assert "<div" in gitlab.description_html and "&lt;" not in gitlab.description_html
        assert "GitLab is the intelligent orchestration platform" in gitlab.description_text
        wwr = s.scalars(
            select(Posting).where(Posting.source_id == ids["wwr"]).options(selectinload(Posting.skills))
        ).all()
        assert {p.remote for p in wwr} == {"remote"}
        assert all("<img" not in p.description_html and "<script" not in p.description_html for p in wwr)
        assert any(p.skills for p in wwr)

    crawl(settings, *ids.values())
    assert stored(db) == first
    for source_id in ids.values():
        run = last_run(db, source_id)
        assert run.status == "success"
        assert (run.postings_new, run.postings_updated, run.postings_closed) == (0, 0, 0)


def test_changed_postings_update_vanished_ones_close_and_return(
    settings: Settings, db: Database, feeds: FeedServer
) -> None:
    ids = add_sources(db, feeds)
    gitlab = ids["gitlab"]
    crawl(settings, gitlab)
    original = json.loads((FIXTURES / "greenhouse/gitlab_jobs_content_trimmed_by_committer.json").read_bytes())
    changed = json.loads(json.dumps(original))
    gone = changed["jobs"].pop()
    changed["jobs"][0]["title"] = "Senior Account Executive - Italy"
    feeds.set_route(GREENHOUSE, Route(json.dumps(changed).encode()))
    crawl(settings, gitlab)

    run = last_run(db, gitlab)
    assert (run.postings_new, run.postings_updated, run.postings_unchanged, run.postings_closed) == (0, 1, 1, 1)
    rows = stored(db)
    assert rows[(gitlab, str(changed["jobs"][0]["id"]))]["title"] == "Senior Account Executive - Italy"
    assert rows[(gitlab, str(gone["id"]))]["closed_at"] is not None
    assert len(rows) == 3  # closed, not deleted

    feeds.set_route(GREENHOUSE, Route(json.dumps(original).encode()))
    crawl(settings, gitlab)
    rows = stored(db)
    assert rows[(gitlab, str(gone["id"]))]["closed_at"] is None
    assert last_run(db, gitlab).postings_updated == 2


@pytest.mark.parametrize(
    ("route", "error_kind"),
    [
        (Route(b"internal error", "text/plain", 500), "http_500"),
        (Route(b"<html><body>Down for maintenance</body></html>", "text/html"), "parse_error"),
        (Route(b'{"jobs": "nope"}'), "parse_error"),
        (Route(b'{"jobs": []}'), "zero_items"),
        (Route(b'{"jobs": [{"id": 1, "title": "Backend Engineer"}]}'), "item_errors"),
    ],
)
def test_a_broken_feed_records_its_error_and_loses_nothing(
    settings: Settings, db: Database, feeds: FeedServer, route: Route, error_kind: str
) -> None:
    ids = add_sources(db, feeds)
    crawl(settings, ids["gitlab"])
    before = stored(db)

    feeds.set_route(GREENHOUSE, route)
    crawl(settings, *ids.values())
    run = last_run(db, ids["gitlab"])
    assert run.status == "failed"
    assert run.error_kind == error_kind
    assert run.error_message
    assert run.postings_closed == 0
    after = stored(db)
    assert {k: v for k, v in after.items() if k[0] == ids["gitlab"]} == before
    # The batch's other sources were crawled as usual.
    assert last_run(db, ids["palantir"]).status == "success"
    with db.transaction() as s:
        source = s.get_one(Source, ids["gitlab"])
        assert source.consecutive_failures == 1
        assert source.last_error
        assert source.last_success_at is not None


def test_an_invalid_item_is_dropped_and_counted_but_its_posting_stays_open(
    settings: Settings, db: Database, feeds: FeedServer
) -> None:
    gitlab = add_sources(db, feeds)["gitlab"]
    crawl(settings, gitlab)
    data = json.loads((FIXTURES / "greenhouse/gitlab_jobs_content_trimmed_by_committer.json").read_bytes())
    data["jobs"][1]["title"] = "   "
    feeds.set_route(GREENHOUSE, Route(json.dumps(data).encode()))
    crawl(settings, gitlab)
    run = last_run(db, gitlab)
    assert (run.status, run.items_dropped, run.postings_unchanged, run.postings_closed) == ("success", 1, 2, 0)
    assert run.stats["dropped/missing_title"] == 1
    assert all(row["closed_at"] is None for row in stored(db).values())


def test_an_unreachable_feed_is_a_fetch_error(settings: Settings, db: Database) -> None:
    with FeedServer({}) as server:
        dead_url = server.url + "/feed"
    with db.transaction() as s:
        source_id = upsert_source(s, key="dead", name="Dead", kind="greenhouse", url=dead_url, now=datetime.now(UTC)).id
    crawl(settings, source_id)
    run = last_run(db, source_id)
    assert (run.status, run.error_kind) == ("failed", "fetch_error")
    assert "ConnectionRefused" in (run.error_message or "")
