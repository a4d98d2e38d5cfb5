"""End to end: the scheduler, the local pool and RQ workers crawl loopback feeds into a real store, exactly once.

Real Redis (127.0.0.1:6379), real PostgreSQL and SQLite, real processes and HTTP; the store is polled against a
deadline. Every process a test starts is killed at its end, with everything it started.
"""

from __future__ import annotations

import os
import signal
import socket
import urllib.request
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.crawl import Boards
from config.settings import Settings
from crawlers.dispatch import DispatchError, LocalDispatcher, RQDispatcher, stale_after
from crawlers.scheduler import CrawlScheduler
from store.db import Database
from store.models import Posting, Source
from store.queries.sources import upsert_source
from tests.crawlers.scheduling_helpers import (
    HeldFeed,
    Processes,
    cmdline,
    crawl_processes,
    descendants,
    held,
    make_all_due,
    open_postings,
    run_statuses,
    runs_per_source,
    wait_until,
)

REDIS_URL = os.environ.get("JOBSIFT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
POSTGRES = pytest.mark.parametrize(
    "database_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {**settings.child_environ(), "JOBSIFT_LOG_LEVEL": "INFO", "JOBSIFT_BATCH_TIMEOUT": "120"}
    env.pop("JOBSIFT_REDIS_URL", None)
    return {**env, **extra}


@pytest.fixture
def processes(tmp_path: Path) -> Iterator[Processes]:
    with Processes(tmp_path) as started:
        yield started


@pytest.fixture
def rq_queue() -> Iterator[str]:
    """A queue of this test's own on the shared Redis, emptied with its job records afterwards."""
    from redis import Redis
    from rq import Queue
    from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry

    name = f"jobsift-test-{uuid.uuid4().hex[:8]}"
    redis = Redis.from_url(REDIS_URL)
    try:
        redis.ping()
        yield name
        queue = Queue(name, connection=redis)
        job_ids = set(queue.job_ids)
        for registry in (FinishedJobRegistry, FailedJobRegistry, StartedJobRegistry):
            job_ids |= set(registry(name, connection=redis).get_job_ids())
        for job_id in job_ids:
            redis.delete(f"rq:job:{job_id}", f"rq:results:{job_id}")
        queue.delete(delete_jobs=True)
        for key in redis.scan_iter(f"rq:*{name}*"):
            redis.delete(key)
    finally:
        redis.close()


def _assert_every_source_crawled(db: Database, boards: Boards, ids: dict[str, int], times: int) -> None:
    runs = runs_per_source(db)
    assert runs == {source_id: times for source_id in ids.values()}
    assert open_postings(db) == boards.postings
    assert [key for key, sid in ids.items() if run_statuses(db, sid)[-1] != ("success", None)] == []
    with db.transaction() as s:
        assert all(src.lease_owner is None for src in s.scalars(select(Source)))


def _all_crawled(db: Database, ids: dict[str, int], times: int = 1) -> bool:
    runs = runs_per_source(db)
    return all(runs.get(source_id, 0) >= times for source_id in ids.values())


@POSTGRES
def test_two_rq_workers_and_a_scheduler_crawl_200_sources_exactly_once_per_due_period(
    settings: Settings, db: Database, processes: Processes, rq_queue: str
) -> None:
    with Boards(200, 8) as boards:
        ids = boards.add_to(db)
        env = _env(settings, JOBSIFT_REDIS_URL=REDIS_URL)
        workers = [processes.jobsift(f"worker{n}", "worker", "--queue", rq_queue, env=env) for n in (1, 2)]
        scheduler = processes.jobsift("scheduler", "scheduler", "--tick", "0.5", "--queue", rq_queue, env=env)

        wait_until(lambda: _all_crawled(db, ids), 120, "every source's first crawl")
        # A few more ticks: nothing is due, so nothing more is crawled.
        wait_until(lambda: "dispatched" in processes.log("scheduler"), 5, "the scheduler's log")
        _settle(db)
        _assert_every_source_crawled(db, boards, ids, times=1)

        make_all_due(db)
        wait_until(lambda: _all_crawled(db, ids, times=2), 120, "every source's second crawl")
        _settle(db)
        _assert_every_source_crawled(db, boards, ids, times=2)
        # Both workers took batches.
        for n in (1, 2):
            assert "Job OK" in processes.log(f"worker{n}"), processes.log(f"worker{n}")

        assert processes.stop(scheduler) == 0, processes.log("scheduler")
        for worker in workers:
            assert processes.stop(worker) == 0


def _settle(db: Database, seconds: float = 2.0) -> None:
    """Let the scheduler tick a few more times, and check that no run starts meanwhile."""
    before = runs_per_source(db, finished_only=False)
    try:
        wait_until(lambda: runs_per_source(db, finished_only=False) != before, seconds, "an unexpected run")
    except AssertionError:
        return
    raise AssertionError("a source was crawled again before it was due")


@SQLITE
def test_the_local_pool_crawls_200_sources_once_and_picks_up_sources_added_at_runtime(
    settings: Settings, db: Database, processes: Processes
) -> None:
    with Boards(220, 8) as boards:
        first, late = boards.boards[:200], boards.boards[200:]
        ids = boards.add_to(db, first)
        scheduler = processes.jobsift("scheduler", "scheduler", "--tick", "0.5", env=_env(settings))
        wait_until(lambda: runs_per_source(db), 60, "the first crawl runs")
        ids |= boards.add_to(db, late)

        wait_until(lambda: _all_crawled(db, ids), 120, "every source's crawl, the late ones too")
        _settle(db)
        _assert_every_source_crawled(db, boards, ids, times=1)
        assert processes.stop(scheduler) == 0, processes.log("scheduler")


def test_two_schedulers_started_at_once_never_crawl_a_source_twice(
    settings: Settings, db: Database, processes: Processes
) -> None:
    with Boards(100, 10) as boards:
        ids = boards.add_to(db)
        # Small batches, so that the two schedulers contend for many of them at every tick.
        env = _env(settings, JOBSIFT_BATCH_SIZE="8")
        schedulers = [processes.jobsift(f"scheduler{n}", "scheduler", "--tick", "0.2", env=env) for n in (1, 2)]
        wait_until(lambda: _all_crawled(db, ids), 120, "every source's crawl")
        _settle(db)
        _assert_every_source_crawled(db, boards, ids, times=1)
        for n, scheduler in enumerate(schedulers, 1):
            assert processes.stop(scheduler) == 0, processes.log(f"scheduler{n}")
            assert "dispatched" in processes.log(f"scheduler{n}")


def _add(db: Database, key: str, url: str) -> int:
    with db.transaction() as s:
        return upsert_source(s, key=key, name=key, kind="greenhouse", url=url, now=datetime.now(UTC)).id


def _postings(db: Database, source_id: int) -> dict[str, tuple[str, bool]]:
    with db.transaction() as s:
        return {
            p.external_id: (p.title, p.closed_at is None)
            for p in s.scalars(select(Posting).where(Posting.source_id == source_id))
        }


def test_a_crawl_killed_mid_run_writes_nothing_is_failed_by_the_sweep_and_the_next_run_is_right(
    settings: Settings, db: Database
) -> None:
    from bench.crawl import greenhouse_board

    with HeldFeed(postings=3) as feed, Boards(2, 1) as boards:
        slow = _add(db, "slow", feed.url)
        ids = boards.add_to(db)
        pool = LocalDispatcher(settings, quiet=True)
        scheduler = CrawlScheduler(settings, pool, database=db)
        try:
            scheduler.tick()
            assert pool.join(timeout=60)
            before = _postings(db, slow)
            assert len(before) == 3

            # The feed changes (one posting retitled, one gone), and the crawl that would see it hangs mid-fetch.
            feed.body = greenhouse_board(9000, 2).replace(b"Backend Engineer", b"Principal Backend Engineer")
            make_all_due(db)
            with held(feed):
                (batch,) = scheduler.tick()
                assert slow in batch.source_ids  # one host: the slow source and the two boards share a process
                assert feed.arrived.wait(30)
                # The boards' crawls land as each spider closes; the slow one is still fetching.
                wait_until(lambda: all(runs_per_source(db).get(i) == 2 for i in ids.values()), 30, "the boards")
                (child,) = crawl_processes(os.getpid())
                os.kill(child, signal.SIGKILL)
                assert pool.join(timeout=30)

            assert _postings(db, slow) == before  # nothing of the killed crawl was written
            assert run_statuses(db, slow)[-1] == ("running", None)
            with db.transaction() as s:
                assert s.get_one(Source, slow).lease_owner is not None  # held until the sweep: not crawled twice

            # The stale-run sweep, at the next tick once the batch timeout (and margin) have passed.
            sweep = datetime.now(UTC) + stale_after(settings) + timedelta(seconds=1)
            assert scheduler.tick(now=sweep) == []  # failed and rescheduled, not yet due again
            assert run_statuses(db, slow)[-1] == ("failed", "abandoned")
            with db.transaction() as s:
                source = s.get_one(Source, slow)
                assert (source.consecutive_failures, source.lease_owner) == (1, None)
                assert source.next_crawl_at is not None and source.next_crawl_at > sweep

            # The next run, when due, crawls the changed feed whole.
            (batch,) = scheduler.tick(now=source.next_crawl_at + timedelta(seconds=1))
            assert slow in batch.source_ids
            assert pool.join(timeout=60)
            assert run_statuses(db, slow)[-1] == ("success", None)
            after = _postings(db, slow)
            assert after == {
                "90000": ("Principal Backend Engineer", True),
                "90001": ("Senior Python Developer", True),
                "90002": ("Platform Engineer", False),
            }
            with db.transaction() as s:
                assert s.get_one(Source, slow).consecutive_failures == 0
        finally:
            scheduler.stop(timeout=30)


@SQLITE
def test_sigterm_lets_the_batch_in_flight_finish_and_the_scheduler_exits_0(
    settings: Settings, db: Database, processes: Processes
) -> None:
    with HeldFeed(postings=2) as feed:
        slow = _add(db, "slow", feed.url)
        with held(feed):
            scheduler = processes.jobsift("scheduler", "scheduler", "--tick", "0.5", env=_env(settings))
            assert feed.arrived.wait(60), processes.log("scheduler")
            scheduler.send_signal(signal.SIGTERM)
            # It waits for the batch: still alive while the feed is held.
            with pytest.raises(AssertionError):
                wait_until(lambda: scheduler.poll() is not None, 1.5, "the scheduler to exit")
        assert scheduler.wait(timeout=60) == 0, processes.log("scheduler")
        assert run_statuses(db, slow) == [("success", None)]
        assert len(_postings(db, slow)) == 2


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@SQLITE
def test_jobsift_run_serves_the_site_crawls_on_schedule_and_stops_cleanly(
    settings: Settings, db: Database, processes: Processes
) -> None:
    with Boards(12, 3) as boards:
        ids = boards.add_to(db)
        port = _free_port()
        env = _env(settings, JOBSIFT_REDIS_URL=REDIS_URL)  # ignored: one machine, one local pool
        run = processes.jobsift("run", "run", "--port", str(port), "--tick", "0.5", env=env)
        wait_until(lambda: _all_crawled(db, ids), 60, "the crawls")

        def total() -> int:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/postings?all_roles=1", timeout=5) as r:
                    import json

                    return int(json.load(r)["total"])
            except OSError:
                return 0

        assert wait_until(total, 30, "the site") > 0
        tree = descendants(run.pid)
        assert any("jobsift scheduler" in cmdline(pid) for pid in tree)
        assert processes.stop(run) == 0, processes.log("run")
        assert not [pid for pid in tree if os.path.exists(f"/proc/{pid}")]
        _assert_every_source_crawled(db, boards, ids, times=1)


def test_a_queue_that_is_down_claims_nothing_and_a_refused_dispatch_gives_the_leases_back(
    settings: Settings, db: Database
) -> None:
    with Boards(6, 2) as boards:
        boards.add_to(db)
        down = RQDispatcher(settings, "redis://127.0.0.1:9/0")  # nothing listens on the discard port
        try:
            with pytest.raises(DispatchError):
                down.capacity()
            assert CrawlScheduler(settings, down, database=db).tick() == []
        finally:
            down.close(0)

        closed = LocalDispatcher(settings)
        closed.close(0)
        scheduler = CrawlScheduler(settings, _Refusing(closed), database=db)
        assert scheduler.tick() == []
        with db.transaction() as s:
            assert all(src.lease_owner is None for src in s.scalars(select(Source)))
        assert runs_per_source(db) == {}


class _Refusing:
    """A closed local pool that still reports room: its dispatch refuses, as a queue that went down would."""

    def __init__(self, pool: LocalDispatcher) -> None:
        self.pool = pool

    def capacity(self) -> int:
        return 2

    def dispatch(self, batches: list) -> None:  # type: ignore[type-arg]
        self.pool.dispatch(batches)

    def close(self, timeout: float) -> list:  # type: ignore[type-arg]
        return self.pool.close(timeout)


@SQLITE
def test_worker_needs_a_redis_url(settings: Settings, processes: Processes) -> None:
    worker = processes.jobsift("worker", "worker", env=_env(settings))
    assert worker.wait(timeout=30) == 1
    assert "set JOBSIFT_REDIS_URL" in processes.log("worker")
