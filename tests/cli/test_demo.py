"""The main job on a fresh machine: `jobsift demo` crawls bundled snapshots for real, then serves the site."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import distinct, func, select

from config.settings import Settings
from store.db import Database
from store.models import CrawlRun, Posting, PostingSkill


def run_demo(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jobsift", "demo", "--no-serve"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_demo_no_serve_fills_the_store_and_a_rerun_changes_nothing(settings: Settings, db: Database) -> None:
    first = run_demo(settings.child_environ())
    assert first.returncode == 0, first.stdout + first.stderr
    assert "0 failed" in first.stdout

    with db.transaction() as s:
        open_postings = s.scalar(select(func.count()).select_from(Posting).where(Posting.closed_at.is_(None)))
        assert open_postings is not None and open_postings >= 400
        assert f"{open_postings} open postings in the store" in first.stdout
        remote = set(s.scalars(select(Posting.remote).distinct()))
        assert {"remote", "hybrid", "onsite"} <= remote
        assert s.scalar(select(func.count(distinct(Posting.sector)))) >= 8
        python_jobs = s.scalar(select(func.count()).select_from(PostingSkill).where(PostingSkill.skill == "Python"))
        assert python_jobs is not None and python_jobs >= 40
        runs = s.scalars(select(CrawlRun.status)).all()
        assert runs and set(runs) == {"success"}

    second = run_demo(settings.child_environ())
    assert second.returncode == 0, second.stdout + second.stderr
    assert " 0 new, 0 updated" in second.stdout
    assert "0 closed, 0 failed" in second.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_demo_serves_a_search_page_where_filters_work(tmp_path: Path, stop: signal.Signals) -> None:
    port = free_port()
    env = {**os.environ, "JOBSIFT_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "jobsift", "demo", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    printed: list[str] = []
    reader = threading.Thread(target=lambda: printed.extend(proc.stdout or ()), daemon=True)
    try:
        address = f"http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 300
        assert proc.stdout is not None
        for line in proc.stdout:
            if f"serving at {address}" in line:
                break
            assert time.monotonic() < deadline, "demo did not start serving in time"
        else:
            raise AssertionError("demo exited before serving")
        # Keep reading what the demo prints (request and alert logs): a pipe nobody reads fills up and blocks it.
        reader.start()

        def get(path: str) -> str:
            with urllib.request.urlopen(address.rstrip("/") + path, timeout=10) as response:
                assert response.status == 200
                return response.read().decode()

        everything = get("/")
        filtered = get("/?skill=Python&remote=remote&sector=Technology")
        assert "postings" in everything

        def count(page: str) -> int:
            found = re.search(r'<p class="count" role="status">\s*([\d,]+) posting', page)
            assert found, "the result count is missing"
            return int(found.group(1).replace(",", ""))

        total, narrowed = count(everything), count(filtered)
        # Of the demo's 537 postings, the back-end roles are shown and the rest counted behind a link.
        hidden = re.search(r">([\d,]+) other roles hidden</a>", everything)
        assert hidden, "the count of hidden non-back-end roles is missing"
        assert total >= 250 and total + int(hidden.group(1).replace(",", "")) >= 500
        assert 0 < narrowed < total
        assert "with Python" in filtered and "Remote" in filtered
    finally:
        proc.send_signal(stop)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if reader.is_alive():
            reader.join(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()
    assert proc.returncode == 0, "".join(printed[-40:])
    assert any(line.startswith("stopping") for line in printed), "".join(printed[-40:])
