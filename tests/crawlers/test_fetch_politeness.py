"""Fetching politely and safely: conditional requests, Retry-After, and a body-size cap after decompression."""

from __future__ import annotations

import gzip
import json
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from config.settings import Settings
from crawlers.fetch.retry import retry_after_seconds
from crawlers.run import spawn_batch
from jobsift.demo.server import FeedServer, Route
from store.db import Database
from store.models import CrawlRun, Posting, Source
from store.queries.sources import upsert_source
from tests.conftest import FIXTURES

PATH = "/v1/boards/gitlab/jobs"
GITLAB = (FIXTURES / "greenhouse/gitlab_jobs_content_trimmed_by_committer.json").read_bytes()


def source(db: Database, server: FeedServer) -> int:
    with db.transaction() as s:
        return upsert_source(
            s, key="gitlab", name="GitLab", kind="greenhouse", url=server.url + PATH, now=datetime.now(UTC)
        ).id


def runs(db: Database, source_id: int) -> list[CrawlRun]:
    with db.transaction() as s:
        found = list(s.scalars(select(CrawlRun).where(CrawlRun.source_id == source_id).order_by(CrawlRun.id)))
        s.expunge_all()
        return found


def test_an_unchanged_feed_answers_304_and_is_not_parsed_again(settings: Settings, db: Database) -> None:
    with FeedServer({PATH: Route(GITLAB, headers={"ETag": '"v1"'})}) as server:
        source_id = source(db, server)
        spawn_batch([source_id], settings.child_environ(), timeout=120)
        with db.transaction() as s:
            assert s.get_one(Source, source_id).http_etag == '"v1"'
            before = {p.external_id: p.last_seen_at for p in s.scalars(select(Posting))}
        spawn_batch([source_id], settings.child_environ(), timeout=120)
        assert server.requests.count(PATH) == 2

        second = runs(db, source_id)[-1]
        assert (second.status, second.http_status, second.stats["not_modified"]) == ("success", 304, True)
        assert (second.postings_unchanged, second.postings_closed, second.items_seen) == (3, 0, 0)
        with db.transaction() as s:
            after = {p.external_id: (p.last_seen_at, p.closed_at) for p in s.scalars(select(Posting))}
        assert set(after) == set(before)
        assert all(seen > before[ext] and closed is None for ext, (seen, closed) in after.items())

        # A new version of the feed (new validator) is fetched and parsed in full.
        changed = json.loads(GITLAB)
        changed["jobs"][0]["title"] = "Principal Account Executive"
        server.set_route(PATH, Route(json.dumps(changed).encode(), headers={"ETag": '"v2"'}))
        spawn_batch([source_id], settings.child_environ(), timeout=120)
        third = runs(db, source_id)[-1]
        assert (third.http_status, third.postings_updated, third.stats["not_modified"]) == (200, 1, False)
        with db.transaction() as s:
            assert s.get_one(Source, source_id).http_etag == '"v2"'


def test_a_long_retry_after_is_recorded_not_waited_out(settings: Settings, db: Database) -> None:
    route = Route(b"busy", "text/plain", 503, {"Retry-After": "3600"})
    with FeedServer({PATH: route}) as server:
        source_id = source(db, server)
        spawn_batch([source_id], settings.child_environ(), timeout=120)
        assert server.requests.count(PATH) == 1
    run = runs(db, source_id)[-1]
    assert (run.status, run.error_kind) == ("failed", "http_503")
    assert run.stats["retry_after_seconds"] == 3600


def test_a_short_retry_after_is_waited_out_between_bounded_retries(settings: Settings, db: Database) -> None:
    route = Route(b"slow down", "text/plain", 429, {"Retry-After": "1"})
    with FeedServer({PATH: route}) as server:
        source_id = source(db, server)
        started = time.monotonic()
        spawn_batch([source_id], settings.child_environ(), timeout=120)
        elapsed = time.monotonic() - started
        # The first try and RETRY_TIMES=2 retries, each retry after the 1 s asked for; then the crawl gives up.
        assert server.requests.count(PATH) == 3
    assert elapsed >= 2
    assert runs(db, source_id)[-1].error_kind == "http_429"


def test_a_compressed_body_over_the_size_cap_fails_the_crawl_without_loss(settings: Settings, db: Database) -> None:
    with FeedServer({PATH: Route(GITLAB)}) as server:
        source_id = source(db, server)
        spawn_batch([source_id], settings.child_environ(), timeout=120)
        # 60 MB of JSON whitespace, 60 KB on the wire: over the 50 MB cap once inflated.
        bomb = gzip.compress(b'{"jobs": [' + b" " * (60 * 1024 * 1024) + b"]}", compresslevel=9)
        assert len(bomb) < 200_000
        server.set_route(PATH, Route(bomb, headers={"Content-Encoding": "gzip"}))
        spawn_batch([source_id], settings.child_environ(), timeout=120)
    run = runs(db, source_id)[-1]
    assert run.status == "failed"
    assert run.error_kind == "fetch_error"
    assert "max size" in (run.error_message or "").lower() or "maxsize" in (run.error_message or "").lower()
    with db.transaction() as s:
        assert all(p.closed_at is None for p in s.scalars(select(Posting)))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("120", 120.0), ("0", 0.0), (" 7 ", 7.0), ("soon", None), ("", None), (None, None), ("-5", None)],
)
def test_retry_after_seconds(value: str | None, expected: float | None) -> None:
    assert retry_after_seconds(value) == expected


def test_retry_after_as_an_http_date() -> None:
    now = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
    assert retry_after_seconds("Tue, 24 Nov 2026 12:10:00 GMT", now) == 600
    assert retry_after_seconds("Tue, 24 Nov 2026 11:00:00 GMT", now) == 0
    assert retry_after_seconds((now + timedelta(hours=2)).strftime("%a, %d %b %Y %H:%M:%S GMT"), now) == 7200


def test_a_batch_of_many_sources_on_one_host_sends_it_two_requests_at_a_time(settings: Settings, db: Database) -> None:
    # More sources than a batch keeps crawlers alive at once, all on one slow host, and a second host beside them.
    boards = 40
    slow = Route(GITLAB, delay=0.05)
    with (
        FeedServer({f"/v1/boards/b{n}/jobs": slow for n in range(boards)}) as one,
        FeedServer({f"/v1/boards/c{n}/jobs": slow for n in range(boards)}, host="127.0.0.2") as other,
    ):
        now = datetime.now(UTC)
        with db.transaction() as s:
            ids = [
                upsert_source(s, key=f"{prefix}{n}", name=f"{prefix}{n}", kind="greenhouse", url=url, now=now).id
                for n in range(boards)
                for prefix, url in (("b", f"{one.url}/v1/boards/b{n}/jobs"), ("c", f"{other.url}/v1/boards/c{n}/jobs"))
            ]
        assert spawn_batch(ids, settings.child_environ(), timeout=120) == 0
        assert len(one.requests) == len(other.requests) == boards
        # CONCURRENT_REQUESTS_PER_DOMAIN holds for the host across the batch's crawlers, not per crawler.
        assert one.most_in_flight == other.most_in_flight == 2
    with db.transaction() as s:
        done = s.scalars(select(CrawlRun.status).where(CrawlRun.source_id.in_(ids))).all()
    assert done == ["success"] * 2 * boards
