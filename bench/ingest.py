"""Parse + normalise + upsert throughput into SQLite and PostgreSQL.

Targets (issue 3): >= 2,000 postings/s on one core into SQLite, >= 1,000/s into PostgreSQL. The input is the demo's
Greenhouse boards (real shapes: entity-escaped HTML descriptions of 1-11 KB), replicated with fresh ids to
BENCH_POSTINGS postings and cut into boards of BENCH_BOARD postings, as a crawl batch meets them. Each board is parsed
by the real GreenhouseSpider, run through the real pipeline functions, and stored by the real store query in a
transaction of its own, as the store pipeline does at the close of each spider.

Two runs per database, both with this process pinned to one CPU (the PostgreSQL server, a process of its own, runs
where the OS puts it):
- sequential: each board is written before the next is parsed;
- pipelined: as a crawl process works, boards are written on the one store-writer thread while the next is parsed.
  The database's own work (SQLite's C code without the GIL, or the PostgreSQL server) then overlaps the Python work.

Classification (issue 4, with its own target in ``bench classify``) is computed once up front and attached, so that
the stored rows carry skills as in a crawl, but its time is not part of these figures.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from bench.stores import postgres_store, sqlite_store
from crawlers.bases.greenhouse import GreenhouseSpider
from crawlers.items import Normalised
from crawlers.pipelines.classify import classify
from crawlers.pipelines.normalise import normalise
from jobsift.demo.snapshots import demo_feeds
from store.db import Database
from store.queries.postings import count_open, upsert_postings
from store.queries.sources import upsert_source
from store.records import PostingRecord

POSTINGS = int(os.environ.get("BENCH_POSTINGS", "10000"))
BOARD = int(os.environ.get("BENCH_BOARD", "500"))
NOW = datetime(2026, 11, 24, tzinfo=UTC)


def _jobs() -> list[dict[str, Any]]:
    sources, routes = demo_feeds(NOW)
    base: list[dict[str, Any]] = []
    for source in sources:
        if source.kind == "greenhouse":
            base += json.loads(routes[source.path.split("?")[0]].body)["jobs"]
    jobs = []
    for i in range(POSTINGS):
        job = dict(base[i % len(base)])
        job["id"] = 9_000_000_000 + i
        job["absolute_url"] = f"https://boards.example/jobs/{job['id']}"
        # Each board its own employer: copies of one demo job on several boards would be one listing to dedupe.
        job["company_name"] = f"{job.get('company_name') or 'Bench'} {i // BOARD}"
        jobs.append(job)
    return jobs


def _classified(jobs: list[dict[str, Any]]) -> tuple[dict[str, PostingRecord], float]:
    """Each posting's classified record by external id, and the time classification took."""
    spider = _spider()
    normalised = [Normalised(feed=p, record=normalise(p)) for p in map(spider.posting, jobs)]
    started = time.perf_counter()
    records = [classify(n, all_remote_board=False, source_sector=None).record for n in normalised]
    return {r.external_id: r for r in records}, time.perf_counter() - started


def _spider(board: int = 0) -> GreenhouseSpider:
    # One company a board, as on Greenhouse: a board's postings take their company from the source.
    return GreenhouseSpider(
        source_id=board, source_key=f"bench-{board}", source_name=f"Bench {board}", feed_url="https://x.example/"
    )


def _boards(jobs: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    return [jobs[start : start + BOARD] for start in range(0, len(jobs), BOARD)]


def _ingest(db: Database, jobs: list[dict[str, Any]], classified: dict[str, PostingRecord], pipelined: bool) -> float:
    """Seconds to parse, normalise and store every board; classification results are attached, not recomputed."""
    boards = _boards(jobs)
    spiders = [_spider(i) for i in range(len(boards))]
    with db.transaction() as session:
        source_ids = [
            upsert_source(
                session, key=f"bench-{i}", name=f"Bench {i}", kind="greenhouse", url="https://x.example/", now=NOW
            ).id
            for i in range(len(boards))
        ]

    def store(source_id: int, records: list[PostingRecord]) -> None:
        with db.transaction() as session:
            upsert_postings(session, source_id, records, NOW)

    def prepare(index: int, board: list[dict[str, Any]]) -> list[PostingRecord]:
        records = []
        for job in board:
            record = normalise(spiders[index].posting(job))
            known = classified[record.external_id]
            records.append(replace(record, skills=known.skills, remote=known.remote, sector=known.sector))
        return records

    started = time.perf_counter()
    if pipelined:
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="store-writer") as writer:
            pending: list[Future[None]] = [
                writer.submit(store, source_id, prepare(i, board))
                for i, (source_id, board) in enumerate(zip(source_ids, boards, strict=True))
            ]
            for done in pending:
                done.result()
    else:
        for i, (source_id, board) in enumerate(zip(source_ids, boards, strict=True)):
            store(source_id, prepare(i, board))
    elapsed = time.perf_counter() - started
    with db.transaction() as session:
        stored = sum(count_open(session, source_id) for source_id in source_ids)
    assert stored == len(jobs), f"stored {stored} of {len(jobs)} postings"
    return elapsed


@contextmanager
def _one_core() -> Iterator[None]:
    allowed = os.sched_getaffinity(0)
    os.sched_setaffinity(0, {min(allowed)})
    try:
        yield
    finally:
        os.sched_setaffinity(0, allowed)


def main() -> None:
    jobs = _jobs()
    classified, classify_seconds = _classified(jobs)
    print(
        f"{POSTINGS:,} postings in boards of {BOARD}; classification alone (not counted below): "
        f"{POSTINGS / classify_seconds:,.0f}/s"
    )
    databases: list[tuple[str, Callable[[], Any], int]] = [
        ("sqlite", sqlite_store, 2000),
        ("postgresql", postgres_store, 1000),
    ]
    for label, open_db, target in databases:
        with open_db() as db, _one_core():
            one_core = _ingest(db, jobs, classified, pipelined=False)
        with open_db() as db, _one_core():
            pipelined = _ingest(db, jobs, classified, pipelined=True)
        best = POSTINGS / min(one_core, pipelined)
        print(
            f"{label}: parse+normalise+upsert on one core: sequential {POSTINGS / one_core:,.0f} postings/s, "
            f"pipelined with the store-writer thread {POSTINGS / pipelined:,.0f}/s "
            f"(target >= {target:,}{'' if best >= target else ', BELOW'})"
        )
