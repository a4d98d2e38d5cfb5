"""The one scheduler process: APScheduler 3 drives a dispatch tick and hourly maintenance (never in web workers).

Each dispatch tick (:meth:`CrawlScheduler.tick`) fails runs whose process died, reads the due sources from the store
(so sources added at runtime are picked up), groups them into batches by feed host, claims as many as the dispatcher
can start with a lease each (committed before dispatching), and hands them over. A source is due once however long
the scheduler was down, so missed ticks coalesce into one crawl by construction. Two schedulers started by mistake
share the work instead of doubling it: the claim is a conditional UPDATE, and exactly one of them wins each source.

Tests drive one iteration (:meth:`~CrawlScheduler.tick`, :meth:`~CrawlScheduler.maintain`), not the loop.
"""

from __future__ import annotations

import itertools
import logging
import os
import secrets
import signal
import socket
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import FrameType
from typing import Any

from config.settings import Settings
from crawlers.dispatch import (
    Batch,
    Dispatcher,
    DispatchError,
    LocalDispatcher,
    feed_host,
    host_disjoint,
    lease_for,
    make_batches,
    stale_after,
)
from store.db import Database, log_failure
from store.queries.schedule import (
    claim_sources,
    close_expired_postings,
    due_sources,
    fail_stale_runs,
    held_source_urls,
    prune_runs,
    release_sources,
)

log = logging.getLogger(__name__)

DISPATCH_SECONDS = 15.0
MAINTENANCE_SECONDS = 3600.0
# Crawl runs are kept this long for source health; a source's newest run is always kept.
KEEP_RUNS = timedelta(days=90)
# Due sources read per tick: enough to find work for every free slot past a big host whose batch is in flight.
DUE_LIMIT = 5000


def _now() -> datetime:
    return datetime.now(UTC)


def scheduler_id() -> str:
    """This process's name on its leases: host, pid and a random part (pids repeat across machines and restarts)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


class CrawlScheduler:
    def __init__(
        self,
        settings: Settings,
        dispatcher: Dispatcher,
        *,
        database: Database | None = None,
        tick_seconds: float = DISPATCH_SECONDS,
        maintenance_seconds: float = MAINTENANCE_SECONDS,
        keep_runs: timedelta = KEEP_RUNS,
        owner: str | None = None,
    ) -> None:
        self.settings = settings
        self.dispatcher = dispatcher
        self._own_db = database is None
        self.db = database or Database(settings.database_url)
        self.tick_seconds = tick_seconds
        self.maintenance_seconds = maintenance_seconds
        self.keep_runs = keep_runs
        self.owner = owner or scheduler_id()
        self._batch_numbers = itertools.count(1)
        self._periodic: list[tuple[str, Callable[[], Any], float]] = []
        self._aps: Any = None
        self._tick_lock = threading.Lock()
        self._again = threading.Event()

    # -- one iteration ------------------------------------------------------------------------------------------

    def tick(self, now: datetime | None = None) -> list[Batch]:
        """Sweep stale runs, then claim and dispatch due sources; returns the batches dispatched. Never raises."""
        dispatched: list[Batch] = []
        with self._tick_lock:
            while True:
                self._again.clear()
                try:
                    batches = self._tick(now or _now())
                except Exception as exc:
                    # The store or the queue is down: log it and try again next tick. The scheduler lives on.
                    log_failure(log, "dispatch tick failed", exc)
                    break
                dispatched += batches
                # A batch ended while this tick ran (its wake-up found the lock taken): look again for its slot.
                if not (batches and self._again.is_set()):
                    break
        return dispatched

    def _tick(self, now: datetime) -> list[Batch]:
        with self.db.transaction() as session:
            stale = fail_stale_runs(
                session, now, older_than=stale_after(self.settings),
                pause_after_failures=self.settings.pause_after_failures,
            )  # fmt: skip
        if stale:
            log.warning("marked %d crawl run(s) failed: their process stopped without finishing", stale)
        try:
            free = self.dispatcher.capacity()
        except DispatchError as exc:
            log.warning("%s; no sources claimed this tick", exc)
            return []
        if free <= 0:
            return []
        with self.db.transaction() as session:
            busy = {feed_host(url) for url in held_source_urls(session, now)}
            due = [(s.id, s.url) for s in due_sources(session, now, limit=DUE_LIMIT) if feed_host(s.url) not in busy]
        if not due:
            return []
        urls = dict(due)
        claimed: list[Batch] = []
        with self.db.transaction() as session:
            for batch in host_disjoint(make_batches(due, self.settings.batch_size), free):
                owner = f"{self.owner}/{next(self._batch_numbers)}"
                ids = claim_sources(session, batch.source_ids, owner=owner, now=now, lease=lease_for(self.settings))
                if ids:
                    hosts = frozenset(feed_host(urls[i]) for i in ids)
                    claimed.append(replace(batch, source_ids=tuple(ids), hosts=hosts, owner=owner))
        # Committed: another scheduler now sees these leases, so only this one dispatches these sources.
        if not claimed:
            return []
        try:
            self.dispatcher.dispatch(claimed)
        except DispatchError as exc:
            log.error("%s; releasing %d batch(es) for a later tick", exc, len(exc.batches))
            self._release(exc.batches)
            return [b for b in claimed if b not in exc.batches]
        log.info("dispatched %d batch(es), %d source(s)", len(claimed), sum(map(len, claimed)))
        return claimed

    def _release(self, batches: list[Batch]) -> None:
        with self.db.transaction() as session:
            for batch in batches:
                release_sources(session, batch.source_ids, batch.owner)

    def maintain(self, now: datetime | None = None) -> tuple[int, int]:
        """Close postings past their validThrough and prune old runs; returns (closed, pruned). Never raises."""
        now = now or _now()
        try:
            with self.db.transaction() as session:
                closed = close_expired_postings(session, now)
            with self.db.transaction() as session:
                pruned = prune_runs(session, now, keep=self.keep_runs)
        except Exception as exc:
            log_failure(log, "maintenance failed", exc)
            return 0, 0
        if closed or pruned:
            log.info("maintenance: closed %d expired posting(s), pruned %d old run(s)", closed, pruned)
        return closed, pruned

    # -- the loop -----------------------------------------------------------------------------------------------

    def add_periodic(self, name: str, func: Callable[[], Any], *, seconds: float) -> None:
        """Run ``func`` every ``seconds`` in this process, beside crawling. Call before :meth:`start`.

        This is where alert sending (issue 7) joins the one scheduler process: it lives in ``web/``, which this
        package must not import, so the composition root (``jobsift/``) adds it. Nothing is scheduled for it yet.
        """
        self._periodic.append((name, func, seconds))

    def start(self) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler
        from apscheduler.triggers.interval import IntervalTrigger

        # A late or missed run coalesces into one, and a job never overlaps itself; no grace limit, so a run
        # delayed by a slow tick still happens.
        aps = BackgroundScheduler(
            timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        )
        now = _now()
        aps.add_job(self.tick, IntervalTrigger(seconds=self.tick_seconds), id="dispatch", next_run_time=now)
        aps.add_job(
            self.maintain, IntervalTrigger(seconds=self.maintenance_seconds), id="maintenance", next_run_time=now
        )
        for name, func, seconds in self._periodic:
            aps.add_job(func, IntervalTrigger(seconds=seconds), id=name, next_run_time=now)
        aps.start()
        self._aps = aps

    def wake(self) -> None:
        """Tick now rather than at the next interval (a local batch ended, so a slot is free)."""
        self._again.set()
        if self._aps is None or self._tick_lock.locked():
            return
        try:
            self._aps.modify_job("dispatch", next_run_time=_now())
        except Exception:  # shutting down: the job or the scheduler is gone
            log.debug("no dispatch job to wake", exc_info=True)

    def stop(self, timeout: float) -> None:
        """Stop ticking (a running tick finishes), let batches in flight finish up to ``timeout``, release the rest."""
        if self._aps is not None:
            self._aps.shutdown(wait=True)
            self._aps = None
        unstarted = self.dispatcher.close(timeout)
        if unstarted:
            self._release(unstarted)
        if self._own_db:
            self.db.dispose()


def serve(
    settings: Settings,
    dispatcher: Dispatcher | None = None,
    *,
    tick_seconds: float = DISPATCH_SECONDS,
    configure: Callable[[CrawlScheduler], None] | None = None,
) -> int:
    """Run the scheduler until SIGTERM or SIGINT, then shut down cleanly and return 0.

    With no ``dispatcher``, batches run in a local pool whose finished batches wake the next tick at once.
    ``configure`` adds periodic jobs from the composition root before the loop starts.
    """
    scheduler: CrawlScheduler | None = None
    if dispatcher is None:
        dispatcher = LocalDispatcher(settings, on_done=lambda _batch, _code: scheduler and scheduler.wake())
    scheduler = CrawlScheduler(settings, dispatcher, tick_seconds=tick_seconds)
    if configure is not None:
        configure(scheduler)
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        # Repeats are ignored: `jobsift run` forwards a SIGTERM on top of the terminal's SIGINT to the same group.
        if not stop.is_set():
            log.info("%s: finishing the batches in flight, then stopping", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    log.info("scheduler %s: ticking every %ss", scheduler.owner, tick_seconds)
    try:
        scheduler.start()
        while not stop.wait(5):
            pass
    finally:
        scheduler.stop(timeout=settings.batch_timeout)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    log.info("scheduler %s stopped", scheduler.owner)
    return 0
