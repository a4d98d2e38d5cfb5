"""Parse + normalise + classify + upsert throughput, one core, into SQLite and PostgreSQL.

Targets (issue 3): >= 2,000 postings/s into SQLite, >= 1,000/s into PostgreSQL. The input is the demo's Greenhouse
boards (real shapes: entity-escaped HTML descriptions of 1-11 KB), replicated with fresh ids to BENCH_POSTINGS
postings, parsed by the real GreenhouseSpider and run through the real pipeline functions and store query.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import uuid
from datetime import UTC, datetime
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

from crawlers.bases.greenhouse import GreenhouseSpider
from crawlers.items import Normalised
from crawlers.pipelines.classify import classify
from crawlers.pipelines.normalise import normalise
from jobsift.demo.snapshots import demo_feeds
from store.db import Database
from store.migrate import upgrade
from store.queries.postings import upsert_postings
from store.queries.sources import upsert_source

POSTINGS = int(os.environ.get("BENCH_POSTINGS", "10000"))
POSTGRES_URL = os.environ.get("JOBSIFT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
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
        jobs.append(job)
    return jobs


def _ingest(db: Database, jobs: list[dict[str, Any]]) -> tuple[float, dict[str, float]]:
    spider = GreenhouseSpider(source_id=0, source_key="bench", source_name="Bench", feed_url="https://x.example/")
    phases = {"parse": 0.0, "normalise": 0.0, "classify": 0.0, "upsert": 0.0}
    started = time.perf_counter()
    t = time.perf_counter()
    feed_postings = [spider.posting(job) for job in jobs]
    phases["parse"] = time.perf_counter() - t
    t = time.perf_counter()
    normalised = [Normalised(feed=p, record=normalise(p)) for p in feed_postings]
    phases["normalise"] = time.perf_counter() - t
    t = time.perf_counter()
    records = [classify(n, all_remote_board=False, source_sector=None).record for n in normalised]
    phases["classify"] = time.perf_counter() - t
    t = time.perf_counter()
    with db.transaction() as session:
        source = upsert_source(session, key="bench", name="Bench", kind="greenhouse", url="https://x.example/", now=NOW)
        # The store pipeline writes a source per transaction; a board of thousands is one upsert call.
        for start in range(0, len(records), 1000):
            upsert_postings(session, source.id, records[start : start + 1000], NOW)
    phases["upsert"] = time.perf_counter() - t
    return time.perf_counter() - started, phases


def _report(label: str, elapsed: float, phases: dict[str, float], target: int) -> None:
    # The target covers parse + normalise + upsert; classification is measured beside it.
    measured = phases["parse"] + phases["normalise"] + phases["upsert"]
    parts = ", ".join(f"{k} {POSTINGS / v:,.0f}/s" for k, v in phases.items())
    print(
        f"{label}: parse+normalise+upsert {POSTINGS / measured:,.0f} postings/s (target >= {target:,}); "
        f"with classification {POSTINGS / elapsed:,.0f}/s; {POSTINGS:,} postings [{parts}]"
    )


def main() -> None:
    jobs = _jobs()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(f"sqlite:///{tmp}/bench.db")
        upgrade(db.engine)
        elapsed, phases = _ingest(db, jobs)
        db.dispose()
    _report("sqlite", elapsed, phases, 2000)

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    plain = make_url(POSTGRES_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        db = Database(url.render_as_string(hide_password=False))
        upgrade(db.engine)
        elapsed, phases = _ingest(db, jobs)
        db.dispose()
        _report("postgresql", elapsed, phases, 1000)
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
