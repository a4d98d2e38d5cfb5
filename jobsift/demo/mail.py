"""The demo's alerts: it serves the site without a scheduler, so a thread runs the alert pass (match, cut digests,
send) every minute while it serves. Without ``JOBSIFT_SMTP_URL`` the mail goes to the local sink (.eml files under
the data dir, listed at /dev/mail); with it, to that server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from config.settings import Settings


@contextmanager
def alert_loop(settings: Settings, interval: float | None = None) -> Iterator[None]:
    from web.alerts.runner import PASS_SECONDS, AlertRunner, run_forever

    runner = AlertRunner(settings)
    stop = threading.Event()
    thread = threading.Thread(
        target=run_forever, args=(runner, stop, interval or PASS_SECONDS), name="jobsift-alerts", daemon=True
    )
    thread.start()
    try:
        yield
    finally:
        stop.set()
        runner.stop()
        thread.join(timeout=60)
        runner.close()
