"""Crawls refuse private addresses: by IP literal (middleware) and by name (the resolver the connection uses)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from config.settings import Settings
from crawlers.fetch.guard import is_public
from crawlers.run import spawn_batch
from jobsift.demo.server import FeedServer
from store.db import Database
from store.models import CrawlRun, Posting
from store.queries.sources import upsert_source
from tests.crawlers.test_crawl import GREENHOUSE, fixture_route


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("151.101.1.69", True),
        ("2606:4700::6810:84e5", True),
        ("127.0.0.1", False),
        ("127.1.2.3", False),
        ("10.0.0.8", False),
        ("172.16.5.4", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("[::1]", False),
        ("not-an-ip", False),
    ],
)
def test_is_public(address: str, public: bool) -> None:
    assert is_public(address) is public


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_private_feed_is_refused_before_any_request_reaches_it(settings: Settings, db: Database, host: str) -> None:
    guarded = replace(settings, allow_private_networks=False)
    with FeedServer({GREENHOUSE: fixture_route("greenhouse/gitlab_jobs_content_trimmed_by_committer.json")}) as server:
        url = server.url.replace("127.0.0.1", host) + GREENHOUSE
        with db.transaction() as s:
            source_id = upsert_source(
                s, key="inside", name="Inside", kind="greenhouse", url=url, now=datetime.now(UTC)
            ).id
        spawn_batch([source_id], guarded.child_environ(), timeout=120)
        assert server.requests == []
    with db.transaction() as s:
        run = s.scalars(select(CrawlRun).where(CrawlRun.source_id == source_id)).one()
        assert (run.status, run.error_kind) == ("failed", "blocked_private_address")
        assert "private address" in (run.error_message or "")
        assert s.scalars(select(Posting)).all() == []
