"""How long `jobsift demo --no-serve` takes from a fresh store to a loaded one, and a same-day rerun."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time


def _run(env: dict[str, str]) -> tuple[float, str]:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-m", "jobsift", "demo", "--no-serve"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    summary = [line for line in result.stdout.splitlines() if " sources in " in line or "open postings" in line]
    return time.monotonic() - started, " | ".join(summary)


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        env = {"JOBSIFT_DATA_DIR": data_dir, "JOBSIFT_LOG_LEVEL": "WARNING"}
        for label in ("fresh store", "same-day rerun"):
            seconds, summary = _run(env)
            print(f"demo --no-serve, {label}: {seconds:.1f}s wall  [{summary}]")
