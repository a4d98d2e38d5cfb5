"""A feed's cache headers set the earliest next crawl: ``Cache-Control: max-age`` first, else ``Expires`` - ``Date``."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from config.settings import Settings
from crawlers.fetch.freshness import MAX_FRESH_SECONDS, fresh_for_seconds
from crawlers.run import spawn_batch
from jobsift.demo.server import FeedServer, Route
from store.db import Database
from store.models import CrawlRun, Source
from store.queries.sources import upsert_source
from tests.conftest import FIXTURES

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)
PATH = "/v1/boards/gitlab/jobs"
GITLAB = (FIXTURES / "greenhouse/gitlab_jobs_content_trimmed_by_committer.json").read_bytes()


@pytest.mark.parametrize(
    ("cache_control", "expires", "date", "expected"),
    [
        ("public, max-age=7200", None, None, 7200),
        ('max-age="600", must-revalidate', None, None, 600),
        ("s-maxage=9000, max-age=60", None, None, 60),
        ("MAX-AGE=120", None, None, 120),
        ("max-age=0", None, None, None),
        ("no-cache, max-age=3600", None, None, None),
        ("no-store", "Tue, 24 Nov 2026 14:00:00 GMT", None, None),
        ("max-age=31536000", None, None, MAX_FRESH_SECONDS),
        ("private", None, None, None),
        ("max-age=soon", None, None, None),
        # No max-age: Expires, measured against the server's Date when it sends one.
        (None, "Tue, 24 Nov 2026 14:00:00 GMT", "Tue, 24 Nov 2026 13:00:00 GMT", 3600),
        (None, "Tue, 24 Nov 2026 13:00:00 GMT", None, 3600),
        (None, "Tue, 24 Nov 2026 11:00:00 GMT", None, None),
        (None, "0", None, None),
        (None, "Fri, 01 Jan 2100 00:00:00 GMT", None, MAX_FRESH_SECONDS),
        (None, None, None, None),
    ],
)
def test_fresh_for_seconds(cache_control: str | None, expires: str | None, date: str | None, expected: int) -> None:
    assert fresh_for_seconds(cache_control, expires, date, now=NOW) == expected


@pytest.mark.parametrize(("headers", "hours"), [({"Cache-Control": "max-age=21600"}, 6), ({}, 1)])
def test_a_feeds_max_age_puts_its_next_crawl_off(
    settings: Settings, db: Database, headers: dict[str, str], hours: int
) -> None:
    with FeedServer({PATH: Route(GITLAB, headers={"ETag": '"v1"', **headers})}) as server:
        with db.transaction() as s:
            source = upsert_source(
                s, key="gitlab", name="GitLab", kind="greenhouse", url=server.url + PATH, now=datetime.now(UTC)
            )
            source.interval_minutes = 60
            source_id = source.id
        for _ in range(2):  # a 200, then a 304 carrying the same headers
            started = datetime.now(UTC)
            assert spawn_batch([source_id], settings.child_environ(), timeout=120) == 0
            with db.transaction() as s:
                run = s.scalars(select(CrawlRun).where(CrawlRun.source_id == source_id).order_by(CrawlRun.id.desc()))
                assert next(iter(run)).status == "success"
                due = s.get_one(Source, source_id).next_crawl_at
            assert due is not None
            due = due if due.tzinfo else due.replace(tzinfo=UTC)
            assert started + timedelta(hours=hours) <= due <= datetime.now(UTC) + timedelta(hours=hours)
