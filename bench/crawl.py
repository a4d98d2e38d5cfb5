"""Crawling at scale in local mode: 1,000 sources from loopback fixture servers, a 304 re-crawl, crawl process memory,
and the scheduler's CPU while nothing is due.

The sources are small generated Greenhouse boards (1-3 postings each) spread over several loopback hosts
(127.0.0.1, 127.0.0.2, ...), as real sources spread over ATS hosts and company sites; every board sends an ETag,
so the second crawl is answered 304 throughout. The tests of the scheduler use the same boards (:class:`Boards`).
"""

from __future__ import annotations

import html
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from config.settings import Settings, load_settings
from jobsift.demo.server import FeedServer, Route
from store.db import Database
from store.migrate import ensure_schema
from store.queries.sources import upsert_source

SOURCES = 1000
HOSTS = 20
TARGET_CRAWL_S = 60.0
TARGET_RECRAWL_S = 15.0
TARGET_RSS_MB = 200.0
IDLE_WINDOW_S = 10.0
_FRESH = "JOBSIFT_BENCH_CRAWL_FRESH"

_TITLES = ("Backend Engineer", "Senior Python Developer", "Platform Engineer", "Go Developer", "API Engineer")
_STACKS = ("Python and PostgreSQL", "Go and Kafka", "Java, Spring and AWS", "Node.js and Redis", "Rust and gRPC")


def greenhouse_board(number: int, postings: int) -> bytes:
    """A Greenhouse job-board API answer for a fictional company with ``postings`` jobs."""
    jobs = []
    for n in range(postings):
        job_id = number * 10 + n
        description = (
            f"<p>Company {number} builds tools for teams. You will design and run services in "
            f"{_STACKS[job_id % len(_STACKS)]}.</p>"
            "<ul><li>Own APIs end to end</li><li>On call one week in six</li></ul>"
        )
        jobs.append(
            {
                "id": job_id,
                "title": _TITLES[job_id % len(_TITLES)],
                "absolute_url": f"https://job-boards.example.com/company{number}/jobs/{job_id}",
                "company_name": f"Company {number}",
                "location": {"name": "Remote, US" if n % 2 else "Berlin, Germany"},
                "first_published": "2026-11-01T09:00:00-04:00",
                "updated_at": "2026-11-02T09:00:00-04:00",
                # Greenhouse escapes its HTML once more.
                "content": html.escape(description),
                "departments": [{"name": "Engineering"}],
                "metadata": [],
            }
        )
    return json.dumps({"jobs": jobs, "meta": {"total": len(jobs)}}).encode()


@dataclass(frozen=True)
class Board:
    key: str
    url: str
    postings: int


class Boards:
    """``count`` boards served by one FeedServer per loopback host; use as a context manager."""

    def __init__(self, count: int, hosts: int) -> None:
        self.count = count
        self.host_count = min(hosts, count)
        self.boards: list[Board] = []
        self._stack = ExitStack()
        self.servers: list[FeedServer] = []

    def __enter__(self) -> Boards:
        routes: list[dict[str, Route]] = [{} for _ in range(self.host_count)]
        paths = []
        for number in range(self.count):
            postings = 1 + number % 3
            path = f"/v1/boards/company{number}/jobs"
            headers = {"ETag": f'"board-{number}-v1"'}
            routes[number % self.host_count][path] = Route(greenhouse_board(number, postings), headers=headers)
            paths.append((number, path, postings))
        try:
            for index in range(self.host_count):
                server = FeedServer(routes[index], host=f"127.0.0.{index + 1}")
                self._stack.enter_context(server)
                self.servers.append(server)
        except BaseException:
            self._stack.close()
            raise
        self.boards = [
            Board(f"board-{n:04d}", f"{self.servers[n % self.host_count].url}{path}?content=true", postings)
            for n, path, postings in paths
        ]
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    @property
    def postings(self) -> int:
        return sum(b.postings for b in self.boards)

    def add_to(self, db: Database, boards: list[Board] | None = None) -> dict[str, int]:
        now = datetime.now(UTC)
        with db.transaction() as session:
            return {
                b.key: upsert_source(session, key=b.key, name=b.key, kind="greenhouse", url=b.url, now=now).id
                for b in (self.boards if boards is None else boards)
            }


def _crawl(settings: Settings, database: Database, ids: list[tuple[int, str]]) -> float:
    from jobsift.run import crawl_now

    started = time.monotonic()
    held = crawl_now(settings, database, ids, progress=False)
    assert not held
    return time.monotonic() - started


def _count(database: Database, sql: str) -> int:
    with database.engine.connect() as conn:
        return int(conn.exec_driver_sql(sql).scalar() or 0)


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _idle_scheduler_cpu(env: dict[str, str], tick: float) -> float:
    """CPU seconds a scheduler with nothing due uses over IDLE_WINDOW_S, after its start-up."""
    process = subprocess.Popen(
        [sys.executable, "-m", "jobsift", "scheduler", "--tick", str(tick)],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(3)  # imports, schema check, first tick
        before = _cpu_seconds(process.pid)
        time.sleep(IDLE_WINDOW_S)
        return _cpu_seconds(process.pid) - before
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


@contextmanager
def _store(data_dir: str) -> Iterator[tuple[Settings, Database]]:
    env = {
        "JOBSIFT_DATA_DIR": data_dir,
        "JOBSIFT_LOG_LEVEL": "ERROR",
        "JOBSIFT_ALLOW_PRIVATE_NETWORKS": "1",
    }
    settings = load_settings({**{k: v for k, v in os.environ.items() if k.startswith("JOBSIFT_")}, **env})
    database = Database(settings.database_url)
    ensure_schema(database.engine)
    try:
        yield settings, database
    finally:
        database.dispose()


def _row(label: str, value: float, unit: str, target: float) -> None:
    verdict = "ok" if value <= target else "MISSED"
    print(f"{label:52} {value:8.2f} {unit:3} (target <= {target:g} {unit}) {verdict}")


def main() -> None:
    if os.environ.get(_FRESH) != "1":
        # The peak RSS below is the largest child this process ever waited for, counted from before the child's exec:
        # a child forked from a process that other benchmarks grew (500 MB after bench ingest) starts that large.
        # Measure from a fresh, small interpreter.
        subprocess.run(
            [sys.executable, "-c", "from bench.crawl import main; main()"], env={**os.environ, _FRESH: "1"}, check=True
        )
        return
    with tempfile.TemporaryDirectory() as data_dir, _store(data_dir) as (settings, database):
        print(
            f"local pool: {settings.crawl_workers} workers, batches of {settings.batch_size}; "
            f"{SOURCES} Greenhouse boards on {HOSTS} loopback hosts, {os.cpu_count()} cores"
        )
        with Boards(SOURCES, HOSTS) as boards:
            ids = boards.add_to(database)
            pairs = [(ids[b.key], b.url) for b in boards.boards]
            first = _crawl(settings, database, pairs)
            stored = _count(database, "SELECT count(*) FROM postings")
            ok = _count(database, "SELECT count(*) FROM crawl_runs WHERE status = 'success'")
            _row(f"crawl {SOURCES} sources ({stored}/{boards.postings} postings, {ok} ok)", first, "s", TARGET_CRAWL_S)
            again = _crawl(settings, database, pairs)
            not_modified = _count(database, "SELECT count(*) FROM crawl_runs WHERE http_status = 304")
            _row(f"re-crawl, every feed 304 ({not_modified} runs answered 304)", again, "s", TARGET_RECRAWL_S)
        # ru_maxrss of children: the largest crawl process this process waited for (kilobytes on Linux).
        rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        _row("peak RSS of a crawl process", rss, "MB", TARGET_RSS_MB)
        env = {**settings.child_environ(), "JOBSIFT_LOG_LEVEL": "WARNING"}
        for tick in (15.0, 1.0):
            cpu = _idle_scheduler_cpu(env, tick)
            _row(f"scheduler idle CPU over {IDLE_WINDOW_S:g}s (tick every {tick:g}s)", cpu, "s", 0.1)
