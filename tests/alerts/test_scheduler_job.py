"""The alert pass runs in the one scheduler process (wired by jobsift/, the composition root), never in the web:
`jobsift scheduler` sends a digest on its own, and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import replace

from sqlalchemy import update

from config.settings import Settings
from crawlers.scheduler import CrawlScheduler
from jobsift.run import alert_job
from store.db import Database
from store.models import Source
from tests.alerts.helpers import active_alert, add_postings, python_job
from tests.alerts.smtp import Inbox
from tests.crawlers.scheduling_helpers import wait_until


class _NoDispatch:
    def capacity(self) -> int:
        return 0


def test_the_scheduler_gets_an_alert_job_every_minute(alert_settings: Settings, db: Database, inbox: Inbox) -> None:
    scheduler = CrawlScheduler(alert_settings, _NoDispatch(), database=db)  # type: ignore[arg-type]
    alert_job(alert_settings)(scheduler)
    [(name, job, seconds)] = scheduler._periodic
    assert (name, seconds) == ("alerts", 60.0)
    active_alert(db, "skill=Python")
    add_postings(db, python_job("a"))
    try:
        job()  # what APScheduler calls: no arguments, never raises
    finally:
        job.__self__.close()  # type: ignore[attr-defined]
    assert len(inbox.messages) == 1


def test_jobsift_scheduler_sends_digests_and_stops_cleanly(
    alert_settings: Settings, db: Database, inbox: Inbox
) -> None:
    active_alert(db, "skill=Python")
    add_postings(db, python_job("a"))
    with db.transaction() as s:
        s.execute(update(Source).values(enabled=False))  # nothing to crawl: this is about alerts
    settings = replace(alert_settings, log_level="INFO")
    env = {**os.environ, **settings.child_environ()}
    process = subprocess.Popen([sys.executable, "-m", "jobsift", "scheduler", "--tick", "30"], env=env)
    try:
        wait_until(lambda: inbox.messages, 60, "the scheduler's first alert pass")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    [message] = inbox.messages
    assert message["Subject"].startswith("1 new posting")
