"""Write a source's crawl to the store in one transaction when the spider closes.

Postings are buffered (a feed is at most a few thousand) so that a crawl lands whole or not at all: a process killed
mid-crawl leaves its run marked "running" and no partial writes.

The write runs on the process's one store-writer thread, off the reactor: while a finished source is written, the
batch's other spiders keep fetching and parsing (the database's own work, in the server or in SQLite's C code, runs
without the GIL). One thread, so a batch's writes never contend for SQLite's write lock.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from functools import cache

from scrapy.crawler import Crawler
from scrapy.utils.defer import maybe_deferred_to_future
from sqlalchemy.exc import SQLAlchemyError
from twisted.internet import reactor, threads
from twisted.python.threadpool import ThreadPool

from crawlers.items import Normalised
from crawlers.pipelines.base import CrawlerPipeline
from store.db import Database, failure_reason, log_failure
from store.models import Source
from store.queries.crawl_runs import RunOutcome, finish_run, start_run
from store.queries.postings import close_missing, count_open, touch_open, upsert_postings
from store.queries.schedule import allow_closing
from store.records import PostingRecord

log = logging.getLogger(__name__)


@cache
def database(url: str) -> Database:
    """One engine per process and URL, shared by every spider of the batch."""
    return Database(url)


@cache
def writer_pool() -> ThreadPool:
    """The process's store-writer thread, started on first use and stopped when the reactor shuts down."""
    pool = ThreadPool(minthreads=1, maxthreads=1, name="jobsift-store-writer")
    pool.start()
    reactor.addSystemEventTrigger("during", "shutdown", pool.stop)  # type: ignore[attr-defined]
    return pool


def _now() -> datetime:
    return datetime.now(UTC)


class StorePipeline(CrawlerPipeline):
    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.db = database(crawler.settings["JOBSIFT_DATABASE_URL"])
        self.pause_after = crawler.settings.getint("JOBSIFT_PAUSE_AFTER_FAILURES", 5)
        self.records: dict[str, PostingRecord] = {}
        self.run_id: int | None = None
        self.started_at = _now()

    def open_spider(self) -> None:
        self.started_at = _now()
        try:
            self.run_id = self._start_run()
        except SQLAlchemyError as exc:
            # A full disk, a lock held too long, a database server gone: the crawl goes on, and its run is recorded
            # when the crawl is stored, if the store takes writes again by then.
            log.error(
                "%s: could not record the start of the crawl (%s); trying again when it is stored",
                self.spider.source_key,
                failure_reason(exc),
            )

    def _start_run(self) -> int:
        with self.db.transaction() as session:
            run_id = start_run(session, self.spider.source_id, self.started_at).id
        return run_id  # only once the run is committed

    def process_item(self, item: Normalised) -> Normalised:
        if item.record.external_id in self.records:
            self.count("duplicate_in_feed")
        self.records[item.record.external_id] = item.record
        return item

    async def close_spider(self) -> None:
        outcome = self._outcome()
        await maybe_deferred_to_future(threads.deferToThreadPool(reactor, writer_pool(), self._store, outcome))

    def _outcome(self) -> RunOutcome:
        spider = self.spider
        return RunOutcome(
            ok=spider.complete and spider.error_kind is None,
            http_status=spider.http_status,
            bytes_received=spider.bytes_received,
            items_seen=len(self.records),
            items_dropped=self._stat("item_dropped_count"),
            error_kind=spider.error_kind,
            error_message=spider.error_message,
            stats={
                **self._jobsift_stats(),
                "pages": spider.pages,
                "unreadable_items": spider.unreadable_items,
                "windowed": spider.windowed,
                "not_modified": spider.not_modified,
                **({"retry_after_seconds": spider.retry_after} if spider.retry_after else {}),
                **({"fresh_for_seconds": spider.fresh_for} if spider.fresh_for else {}),
            },
        )

    def _store(self, outcome: RunOutcome) -> None:
        key = self.spider.source_key
        try:
            if self.run_id is None:
                self.run_id = self._start_run()
            self._write(outcome)
        except SQLAlchemyError as exc:
            # Disk full, lock timeout, server gone: nothing of this crawl was written (the transaction rolled back),
            # so record the failure on its own and keep the process alive for the batch's other sources.
            reason = failure_reason(exc)
            log_failure(log, f"{key}: could not store the crawl", exc)
            if self.run_id is None:
                # Not even the run could be recorded: the source's lease runs out and the scheduler crawls it again.
                return
            failed = RunOutcome(ok=False, error_kind="store_error", error_message=reason[:2000])
            try:
                with self.db.transaction() as session:
                    finish_run(session, self.run_id, failed, _now(), pause_after_failures=self.pause_after)
            except SQLAlchemyError as again:
                # The run stays "running" until the stale-run sweep fails it.
                log.error("%s: could not record the failed run either: %s", key, failure_reason(again))

    def _write(self, outcome: RunOutcome) -> None:
        spider = self.spider
        source_id = spider.source_id
        now = _now()
        with self.db.transaction() as session:
            if spider.not_modified:
                # 304: the feed is as it was at the last complete crawl, so every open posting is still listed.
                outcome.postings_unchanged = touch_open(session, source_id, now)
                finish_run(session, self.run_id, outcome, now, pause_after_failures=self.pause_after)  # type: ignore[arg-type]
                return
            if outcome.ok and not self.records and count_open(session, source_id) > 0:
                # An empty answer from a feed that had postings is far likelier a broken feed than a closed board.
                outcome.ok = False
                outcome.error_kind = "zero_items"
                outcome.error_message = "the feed returned no postings; nothing was closed"
            counts = upsert_postings(session, source_id, list(self.records.values()), now)
            outcome.postings_new = counts.new
            outcome.postings_updated = counts.updated
            outcome.postings_unchanged = counts.unchanged
            outcome.postings_closed = counts.expired
            source = session.get_one(Source, source_id)
            if outcome.ok and not spider.windowed:
                seen = self.records.keys() | spider.seen_ids
                if allow_closing(source, len(seen)):
                    outcome.postings_closed += close_missing(session, source_id, seen, now)
                else:
                    # Far fewer postings than usual: flagged on the run, and nothing closed (store/queries/schedule).
                    outcome.error_kind = "shrunk"
                    outcome.error_message = (
                        f"{len(seen)} postings where {source.usual_postings} are usual; nothing was closed"
                    )
            if outcome.ok:
                source.http_etag, source.http_last_modified = spider.validators
            finish_run(session, self.run_id, outcome, now, pause_after_failures=self.pause_after)  # type: ignore[arg-type]

    def _stat(self, key: str) -> int:
        assert self.crawler.stats is not None
        return int(self.crawler.stats.get_value(key, 0))

    def _jobsift_stats(self) -> dict[str, int]:
        assert self.crawler.stats is not None
        return {
            k.removeprefix("jobsift/"): int(v)
            for k, v in self.crawler.stats.get_stats().items()
            if k.startswith("jobsift/") and isinstance(v, int)
        }
