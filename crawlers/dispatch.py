"""Crawl batches and the two ways to run them: a local process pool, or an RQ queue that ``jobsift worker`` consumes.

A batch is a few sources crawled by one ``python -m crawlers.run`` process (Scrapy's reactor runs once per process).
Sources are grouped by feed host, so that one host's sources share a process and its politeness settings; small
hosts are packed together up to ``batch_size``. One host never has two batches in flight: the local pool holds a
host's next batch back until its current one ends, and the scheduler never dispatches a batch for a host that still
has a lease running (see :mod:`crawlers.scheduler`), whichever dispatcher it uses.

Both dispatchers run :func:`crawl_batch`, which renews the batch's leases and runs the batch in a fresh interpreter
(:func:`crawlers.run.spawn_batch`), so a crawl behaves the same on a laptop and on a fleet of workers.
"""

from __future__ import annotations

import logging
import subprocess
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit

from sqlalchemy.exc import SQLAlchemyError

from config.settings import Settings, load_settings
from crawlers.run import kill_batch, spawn_batch
from store.db import Database
from store.queries.schedule import release_unstarted, renew_leases

log = logging.getLogger(__name__)

# The RQ queue crawl batches go through; `--queue` picks another (two deployments sharing one Redis, or tests).
QUEUE = "jobsift-crawl"
# How long past its timeout a batch's runs are presumed dead (the stale-run sweep); the lease outlasts that sweep,
# so a source whose crawl died is failed and rescheduled before anyone may claim it again.
STALE_MARGIN = timedelta(seconds=60)


def lease_for(settings: Settings) -> timedelta:
    return timedelta(seconds=settings.batch_timeout) + 2 * STALE_MARGIN


def stale_after(settings: Settings) -> timedelta:
    return timedelta(seconds=settings.batch_timeout) + STALE_MARGIN


def feed_host(url: str) -> str:
    """The host a feed is fetched from (Scrapy's per-host download slot is keyed the same way)."""
    return (urlsplit(url).hostname or url).lower()


@dataclass(frozen=True)
class Batch:
    """Sources crawled together in one process; ``owner`` is the lease they were claimed under."""

    source_ids: tuple[int, ...]
    hosts: frozenset[str]
    owner: str = ""

    def __len__(self) -> int:
        return len(self.source_ids)


def make_batches(sources: Iterable[tuple[int, str]], batch_size: int) -> list[Batch]:
    """Group ``(source id, feed URL)`` pairs into batches of at most ``batch_size``, a host's sources together.

    A host with more sources than a batch holds fills several batches; the rest of each host is packed first-fit
    with other hosts' rests, so a thousand one-source hosts make forty processes, not a thousand. Input order (the
    longest due first) is kept as far as the packing allows.
    """
    by_host: dict[str, list[int]] = {}
    for source_id, url in sources:
        by_host.setdefault(feed_host(url), []).append(source_id)
    open_batches: list[tuple[list[int], set[str]]] = []
    for host, ids in by_host.items():
        for start in range(0, len(ids), batch_size):
            chunk = ids[start : start + batch_size]
            for batch_ids, hosts in open_batches:
                if host not in hosts and len(batch_ids) + len(chunk) <= batch_size:
                    batch_ids.extend(chunk)
                    hosts.add(host)
                    break
            else:
                open_batches.append((list(chunk), {host}))
    return [Batch(tuple(ids), frozenset(hosts)) for ids, hosts in open_batches]


def host_disjoint(batches: Iterable[Batch], limit: int, busy: Iterable[str] = ()) -> list[Batch]:
    """Up to ``limit`` batches that share no host with each other nor with ``busy`` hosts."""
    taken = set(busy)
    chosen = []
    for batch in batches:
        if len(chosen) >= limit:
            break
        if taken.isdisjoint(batch.hosts):
            chosen.append(batch)
            taken |= batch.hosts
    return chosen


def crawl_batch(
    settings: Settings,
    batch: Batch,
    *,
    quiet: bool = False,
    on_start: Callable[[subprocess.Popen[bytes]], None] | None = None,
) -> int:
    """Crawl a claimed batch in a fresh interpreter and return its exit code: the one crawl path of both dispatchers.

    The batch's leases are renewed first: a batch that waited in a queue crawls only the sources it still holds.
    """
    db = Database(settings.database_url)
    try:
        started = datetime.now(UTC)
        with db.transaction() as session:
            held = renew_leases(session, batch.source_ids, owner=batch.owner, now=started, lease=lease_for(settings))
        lost = sorted(set(batch.source_ids) - set(held))
        if lost:
            log.warning("batch %s no longer holds sources %s; leaving them to their new owner", batch.owner, lost)
        if not held:
            return 0
        code = spawn_batch(
            held, settings.child_environ(), timeout=settings.batch_timeout, quiet=quiet, on_start=on_start
        )
        if code != 0:
            log.warning("crawl batch %s (sources %s) exited with %s", batch.owner, held, code)
        try:
            with db.transaction() as session:
                released = release_unstarted(session, held, batch.owner, started)
        except SQLAlchemyError as exc:
            # The leases run out on their own; the crawl itself is done either way.
            log.warning("batch %s: could not give back the leases of sources it never started: %s", batch.owner, exc)
        else:
            if released:
                log.info("batch %s never started sources %s; they are due again", batch.owner, released)
        return code
    finally:
        db.dispose()


def crawl_batch_job(source_ids: Sequence[int], owner: str) -> int:
    """The RQ job: a worker crawls one batch with its own settings (its environment names the store)."""
    settings = load_settings()
    return crawl_batch(settings, Batch(tuple(source_ids), frozenset(), owner))


class DispatchError(RuntimeError):
    """Batches could not be handed over (the queue is down, the pool is closing); ``batches`` lists them."""

    def __init__(self, message: str, batches: Sequence[Batch] = ()) -> None:
        super().__init__(message)
        self.batches = list(batches)


class Dispatcher(Protocol):
    def capacity(self) -> int:
        """How many more batches can start about now (the scheduler claims no more than that)."""
        ...

    def dispatch(self, batches: Sequence[Batch]) -> None:
        """Hand batches over to be crawled; raises :class:`DispatchError` with those that were not."""
        ...

    def close(self, timeout: float) -> list[Batch]:
        """Stop taking batches and wait up to ``timeout`` for those in flight; returns batches never started."""
        ...


class LocalDispatcher:
    """A pool of ``workers`` threads, each running one batch process at a time; a host's batches run one by one."""

    def __init__(
        self,
        settings: Settings,
        *,
        workers: int | None = None,
        quiet: bool = False,
        on_done: Callable[[Batch, int], None] | None = None,
    ) -> None:
        self.settings = settings
        self.workers = workers or settings.crawl_workers
        self.quiet = quiet
        self.on_done = on_done
        self._cond = threading.Condition()
        self._pending: list[Batch] = []
        self._running: dict[int, tuple[Batch, subprocess.Popen[bytes] | None]] = {}
        self._closing = False
        self._threads = [
            threading.Thread(target=self._work, name=f"jobsift-crawl-{n}", daemon=True) for n in range(self.workers)
        ]
        for thread in self._threads:
            thread.start()

    def capacity(self) -> int:
        with self._cond:
            return 0 if self._closing else max(0, self.workers - len(self._running) - len(self._pending))

    def dispatch(self, batches: Sequence[Batch]) -> None:
        with self._cond:
            if self._closing:
                raise DispatchError("the local crawl pool is shutting down", batches)
            self._pending.extend(batches)
            self._cond.notify_all()

    def in_flight(self) -> int:
        with self._cond:
            return len(self._running) + len(self._pending)

    def join(self, timeout: float | None = None) -> bool:
        """Wait until every dispatched batch has ended; False if ``timeout`` passed first."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._running and not self._pending, timeout)

    def close(self, timeout: float) -> list[Batch]:
        with self._cond:
            self._closing = True
            dropped, self._pending = self._pending, []
            self._cond.notify_all()
            finished = self._cond.wait_for(lambda: not self._running, timeout)
            stragglers = [process for _, process in self._running.values() if process is not None]
        if not finished:
            log.warning("stopping %d crawl batch(es) still running after %.0fs", len(stragglers), timeout)
            for process in stragglers:
                # The worker thread waiting on it reaps it.
                kill_batch(process, reap=False)
        for thread in self._threads:
            thread.join(timeout=10)
        return dropped

    def _next(self) -> Batch | None:
        """The first pending batch none of whose hosts is in flight (called with the lock held)."""
        busy = {host for batch, _ in self._running.values() for host in batch.hosts}
        for index, batch in enumerate(self._pending):
            if busy.isdisjoint(batch.hosts):
                return self._pending.pop(index)
        return None

    def _work(self) -> None:
        me = threading.get_ident()
        while True:
            with self._cond:
                batch = None
                while not self._closing and (batch := self._next()) is None:
                    self._cond.wait()
                if batch is None:
                    return
                self._running[me] = (batch, None)
            code = -1
            try:
                code = crawl_batch(self.settings, batch, quiet=self.quiet, on_start=self._started)
            except Exception:
                # The store was unreachable when renewing the leases, say: the leases lapse and the sources come
                # round again; the pool itself must live on.
                log.exception("crawl batch %s failed to run", batch.owner)
            finally:
                with self._cond:
                    del self._running[me]
                    self._cond.notify_all()
            if self.on_done is not None:
                try:
                    self.on_done(batch, code)
                except Exception:
                    log.exception("crawl batch callback failed")

    def _started(self, process: subprocess.Popen[bytes]) -> None:
        me = threading.get_ident()
        with self._cond:
            batch, _ = self._running[me]
            self._running[me] = (batch, process)


class RQDispatcher:
    """Enqueues one RQ job a batch on a Redis queue; ``jobsift worker`` processes, anywhere, crawl them."""

    def __init__(self, settings: Settings, redis_url: str, queue: str = QUEUE) -> None:
        from redis import Redis
        from rq import Queue

        self.settings = settings
        self._redis = Redis.from_url(redis_url, socket_connect_timeout=5, socket_timeout=10)
        self._queue = Queue(queue, connection=self._redis)

    def capacity(self) -> int:
        """One queued batch per listening worker (at least one): batches wait in the queue briefly, leases with them."""
        from redis.exceptions import RedisError
        from rq import Worker

        try:
            workers = Worker.count(connection=self._redis, queue=self._queue)
            queued = self._queue.count
        except RedisError as exc:
            raise DispatchError(f"the crawl queue is unreachable: {exc}") from exc
        return max(0, max(workers, 1) - queued)

    def dispatch(self, batches: Sequence[Batch]) -> None:
        from redis.exceptions import RedisError

        lease = int(lease_for(self.settings).total_seconds())
        for done, batch in enumerate(batches):
            try:
                self._queue.enqueue_call(
                    "crawlers.dispatch.crawl_batch_job",
                    args=(list(batch.source_ids), batch.owner),
                    # The batch process is stopped at batch_timeout; the job itself only needs a little longer.
                    timeout=self.settings.batch_timeout + 30,
                    # A job that waited longer than its lease would find its sources taken: drop it instead.
                    ttl=lease,
                    result_ttl=3600,
                    failure_ttl=86_400,
                    description=f"crawl {len(batch)} source(s) of {', '.join(sorted(batch.hosts)) or '?'}",
                )
            except RedisError as exc:
                raise DispatchError(f"could not enqueue crawl batches: {exc}", batches[done:]) from exc

    def close(self, timeout: float) -> list[Batch]:
        # Jobs already enqueued belong to the workers now; nothing here is in flight.
        self._redis.close()
        return []


def run_worker(settings: Settings, queue: str = QUEUE, *, burst: bool = False) -> bool:
    """An RQ worker on the crawl queue. SIGTERM or Ctrl-C lets the current batch finish (RQ's warm shutdown)."""
    import os
    import socket

    from redis import Redis
    from rq import Queue, Worker

    assert settings.redis_url is not None
    redis = Redis.from_url(settings.redis_url, socket_connect_timeout=5)
    try:
        worker = Worker(
            [Queue(queue, connection=redis)],
            connection=redis,
            name=f"jobsift-{socket.gethostname()}-{os.getpid()}",
        )
        return worker.work(burst=burst, logging_level=settings.log_level, with_scheduler=False)
    finally:
        redis.close()
