"""The alert job: match new postings, cut due digests, send them. The scheduler process runs it every minute (wired
in ``jobsift/``, the composition root, since ``crawlers`` may not import ``web``); never a web worker.

Tests drive one pass (:meth:`AlertRunner.run_once`), not the loop.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from config.settings import Settings
from store.db import Database, log_failure
from store.queries.alerts import cut_digests
from web.alerts.matching import MatchReport, match_new_postings
from web.alerts.sender import Sender, SendReport
from web.alerts.transport import MailSink, SmtpTransport

log = logging.getLogger(__name__)


PASS_SECONDS = 60.0
# A pass stops claiming digests after this long, so a scheduler asked to stop waits for the digest in hand, not for a
# backlog of thousands (the next pass carries on).
SEND_BUDGET_SECONDS = 50.0


@dataclass
class PassReport:
    matched: MatchReport | None = None
    digests: int = 0
    sent: SendReport | None = None


class AlertRunner:
    def __init__(
        self,
        settings: Settings,
        *,
        database: Database | None = None,
        transport: SmtpTransport | MailSink | None = None,
        send_budget: float = SEND_BUDGET_SECONDS,
    ) -> None:
        self.settings = settings
        self._own_db = database is None
        self.db = database or Database(settings.database_url)
        self.sender = Sender(self.db, settings, transport=transport)
        self.send_budget = send_budget
        self.stopping = threading.Event()
        if settings.smtp is None:
            log.warning("JOBSIFT_SMTP_URL is not set: emails are saved under %s, not sent", settings.mail_sink_dir)

    def run_once(self, now: datetime | None = None) -> PassReport:
        """One pass; logs and swallows every error (a dead database or mail server must not stop the scheduler)."""
        report = PassReport()
        try:
            report.matched = match_new_postings(self.db, now)
        except Exception as exc:
            log_failure(log, "alert matching failed; it is retried next pass", exc)
        try:
            with self.db.transaction() as session:
                report.digests = cut_digests(session, now or datetime.now(UTC))
        except Exception as exc:
            log_failure(log, "cutting alert digests failed; it is retried next pass", exc)
        try:
            report.sent = self.sender.send_due(now, deadline=time.monotonic() + self.send_budget, stop=self.stopping)
        except Exception as exc:
            log_failure(log, "sending alerts failed; unsent digests are retried next pass", exc)
        sent = report.sent
        if report.digests or (sent and (sent.sent or sent.failed or sent.retried)):
            log.info(
                "alerts: %d new match(es), %d digest(s) cut, %d sent, %d to retry, %d failed",
                report.matched.matches if report.matched else 0, report.digests,
                sent.sent if sent else 0, sent.retried if sent else 0, sent.failed if sent else 0,
            )  # fmt: skip
        return report

    def stop(self) -> None:
        """Finish the digest in hand and send no more (called from a signal handler or another thread)."""
        self.stopping.set()

    def close(self) -> None:
        if self._own_db:
            self.db.dispose()


def run_forever(runner: AlertRunner, stop: threading.Event, interval: float = PASS_SECONDS) -> None:
    """A loop for processes without the scheduler (the demo): a pass, then wait, until ``stop`` is set."""
    while not stop.is_set():
        runner.run_once()
        stop.wait(interval)
