"""Batching by feed host, and the local pool's one-batch-per-host rule (with real crawl processes)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bench.crawl import Boards
from config.settings import Settings
from crawlers.dispatch import Batch, LocalDispatcher, feed_host, host_disjoint, lease_for, make_batches
from store.db import Database
from store.models import CrawlRun, Source
from store.queries.schedule import claim_sources
from store.queries.sources import upsert_source
from tests.crawlers.scheduling_helpers import HeldFeed, held, run_statuses, runs_per_source, wait_until


def _urls(host: str, count: int, start: int = 0) -> list[tuple[int, str]]:
    return [(start + n, f"https://{host}/v1/boards/b{start + n}/jobs") for n in range(count)]


def test_feed_host_is_the_hostname_scrapy_keys_its_download_slots_by() -> None:
    assert feed_host("https://Boards-API.greenhouse.io/v1/boards/x/jobs?content=true") == "boards-api.greenhouse.io"
    assert feed_host("http://127.0.0.3:8080/feed") == "127.0.0.3"


def test_a_hosts_sources_fill_batches_of_their_own_and_small_hosts_are_packed_together() -> None:
    big = _urls("boards-api.greenhouse.io", 12)
    small = _urls("a.example", 2, 100) + _urls("b.example", 3, 200) + _urls("c.example", 4, 300)
    batches = make_batches(big + small, batch_size=5)
    assert [(b.source_ids, sorted(b.hosts)) for b in batches] == [
        ((0, 1, 2, 3, 4), ["boards-api.greenhouse.io"]),
        ((5, 6, 7, 8, 9), ["boards-api.greenhouse.io"]),
        ((10, 11, 100, 101), ["a.example", "boards-api.greenhouse.io"]),
        ((200, 201, 202), ["b.example"]),
        ((300, 301, 302, 303), ["c.example"]),
    ]
    # A thousand one-source hosts make full batches, not a thousand processes.
    assert [len(b) for b in make_batches([(n, f"https://h{n}.example/jobs") for n in range(1000)], 25)] == [25] * 40


def test_only_batches_of_hosts_not_in_flight_are_chosen() -> None:
    batches = make_batches(_urls("x.example", 6) + _urls("y.example", 2, 10) + _urls("z.example", 2, 20), 4)
    chosen = host_disjoint(batches, limit=5)
    # (4, 5, 10, 11) shares x.example with the first batch, so it waits.
    assert [b.source_ids for b in batches] == [(0, 1, 2, 3), (4, 5, 10, 11), (20, 21)]
    assert [b.source_ids for b in chosen] == [(0, 1, 2, 3), (20, 21)]
    assert host_disjoint(batches, limit=5, busy={"x.example"}) == [b for b in batches if "x.example" not in b.hosts]
    assert len(host_disjoint(batches, limit=1)) == 1


def test_the_local_pool_never_runs_two_batches_of_one_host_at_once(settings: Settings, db: Database) -> None:
    with HeldFeed(postings=1) as feed, Boards(3, 1) as boards:
        now = datetime.now(UTC)
        with db.transaction() as s:
            slow = upsert_source(s, key="slow", name="slow", kind="greenhouse", url=feed.url, now=now).id
        ids = boards.add_to(db)
        first = Batch((slow,), frozenset({"127.0.0.1"}), "test/1")
        second = Batch(tuple(ids.values()), frozenset({"127.0.0.1"}), "test/2")
        with db.transaction() as s:
            for batch in (first, second):
                claim_sources(s, batch.source_ids, owner=batch.owner, now=now, lease=lease_for(settings))
        pool = LocalDispatcher(settings, workers=2, quiet=True)
        try:
            with held(feed):
                pool.dispatch([first, second])
                assert feed.arrived.wait(30)
                assert pool.capacity() == 0
                # A worker is free, but the second batch's host is busy: it waits for the first.
                with pytest.raises(AssertionError):
                    wait_until(lambda: runs_per_source(db, finished_only=False).keys() - {slow}, 1.5, "a second batch")
            assert pool.join(timeout=60)
        finally:
            pool.close(timeout=30)
        assert run_statuses(db, slow) == [("success", None)]
        assert set(runs_per_source(db)) == {slow, *ids.values()}
        with db.transaction() as s:
            runs = {run.source_id: run for run in s.scalars(select(CrawlRun))}
        slow_end = runs[slow].finished_at
        assert slow_end is not None
        assert all(runs[i].started_at >= slow_end for i in ids.values())


def test_sources_resume_puts_a_paused_source_back_in_rotation(settings: Settings, db: Database) -> None:
    now = datetime.now(UTC)
    with db.transaction() as s:
        source = s.get_one(
            Source, upsert_source(s, key="flaky", name="F", kind="rss", url="https://x.example/", now=now).id
        )
        source.paused_at, source.pause_reason, source.consecutive_failures = now, "paused after 5 failed crawls", 5
    result = subprocess.run(
        [sys.executable, "-m", "jobsift", "sources", "resume", "flaky"],
        env={**os.environ, **settings.child_environ()},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "flaky: resumed (was: paused after 5 failed crawls)" in result.stdout
    with db.transaction() as s:
        source = s.get_one(Source, source.id)
        assert (source.paused_at, source.pause_reason, source.consecutive_failures) == (None, None, 0)


def test_a_batch_gives_back_the_leases_of_sources_it_never_started(settings: Settings, db: Database) -> None:
    from crawlers.dispatch import crawl_batch

    with Boards(2, 1) as boards:
        ids = list(boards.add_to(db).values())
        now = datetime.now(UTC)
        with db.transaction() as s:
            # A source the batch process cannot start (a kind no spider handles) beside one it crawls.
            s.get_one(Source, ids[1]).kind = "no-such-platform"
            assert claim_sources(s, ids, owner="test/1", now=now, lease=lease_for(settings)) == ids
        assert crawl_batch(settings, Batch(tuple(ids), frozenset({"127.0.0.1"}), "test/1"), quiet=True) == 1
    assert run_statuses(db, ids[0]) == [("success", None)]
    with db.transaction() as s:
        unstarted = s.get_one(Source, ids[1])
        # Due again at the next tick, not when a lease of the batch timeout plus minutes runs out.
        assert (unstarted.lease_owner, unstarted.lease_expires_at) == (None, None)
        assert s.get_one(Source, ids[0]).lease_owner is None
