"""Helpers for the scheduling tests: real processes (started and always cleaned up), a feed that holds its answer,
and store probes polled against a deadline."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select, update

from bench.crawl import greenhouse_board
from store.db import Database
from store.models import RUN_RUNNING, CrawlRun, Posting, Source


def wait_until(condition: Callable[[], Any], timeout: float, what: str, interval: float = 0.2) -> Any:
    """Poll ``condition`` until it returns something true; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        tree.setdefault(ppid, []).append(int(entry.name))
    return tree


def descendants(pid: int) -> list[int]:
    tree, found, todo = _children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def crawl_processes(parent: int) -> list[int]:
    """Running ``python -m crawlers.run`` processes below ``parent``."""
    return [pid for pid in descendants(parent) if "-m crawlers.run" in cmdline(pid)]


def _kill(pid: int) -> None:
    with suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGKILL)


class Processes:
    """Commands started for a test, each logging to a file; on exit every one and all it started are killed."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[tuple[subprocess.Popen[bytes], IO[bytes]]] = []

    def start(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        process = subprocess.Popen(
            args, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started.append((process, log))
        return process

    def jobsift(self, name: str, *args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
        return self.start(name, [sys.executable, "-m", "jobsift", *args], env)

    def log(self, name: str) -> str:
        return (self.logs / f"{name}.log").read_text(errors="replace")

    def stop(self, process: subprocess.Popen[bytes], timeout: float = 60) -> int:
        """SIGTERM, as a service manager would, and the exit code."""
        process.send_signal(signal.SIGTERM)
        return process.wait(timeout=timeout)

    def close(self) -> None:
        doomed = []
        for process, _ in self.started:
            doomed += [process.pid, *descendants(process.pid)]
        for pid in doomed:
            _kill(pid)
        for process, log in self.started:
            process.wait(timeout=30)
            log.close()

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class HeldFeed:
    """A Greenhouse board on loopback whose answer can be held back until released (a crawl stuck mid-fetch)."""

    def __init__(self, postings: int = 3, number: int = 9000, host: str = "127.0.0.1") -> None:
        self.body = greenhouse_board(number, postings)
        self.hold = False
        self.arrived = threading.Event()
        self.release = threading.Event()
        feed = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                feed.arrived.set()
                if feed.hold:
                    feed.release.wait(timeout=120)
                body = feed.body
                try:
                    self.send_response(200)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the crawler was killed meanwhile

            def log_message(self, format: str, *args: object) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

        self._httpd = Server((host, 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1/boards/held/jobs?content=true"

    def __enter__(self) -> HeldFeed:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)


@contextmanager
def held(feed: HeldFeed) -> Iterator[None]:
    """Hold the feed's answers within the block; release them on the way out."""
    feed.hold, feed.arrived, feed.release = True, threading.Event(), threading.Event()
    try:
        yield
    finally:
        feed.hold = False
        feed.release.set()


def runs_per_source(db: Database, *, finished_only: bool = True) -> dict[int, int]:
    with db.transaction() as s:
        query = select(CrawlRun.source_id, func.count()).group_by(CrawlRun.source_id)
        if finished_only:
            query = query.where(CrawlRun.status != RUN_RUNNING)
        return {source_id: count for source_id, count in s.execute(query)}


def run_statuses(db: Database, source_id: int) -> list[tuple[str, str | None]]:
    with db.transaction() as s:
        return list(
            s.execute(
                select(CrawlRun.status, CrawlRun.error_kind)
                .where(CrawlRun.source_id == source_id)
                .order_by(CrawlRun.id)
            )
        )


def open_postings(db: Database) -> int:
    with db.transaction() as s:
        return s.scalar(select(func.count()).select_from(Posting).where(Posting.closed_at.is_(None))) or 0


def make_all_due(db: Database) -> None:
    with db.transaction() as s:
        s.execute(update(Source).values(next_crawl_at=datetime.now(UTC)))
