"""Fault injection on a real SMTP server: 451 and 550 after DATA, a dropped connection, the server down for a while
then back. A temporary failure is retried with backoff and delivered once; a permanent one pauses the alert with the
reason on its manage page; a dead server never crashes the pass nor loses a digest."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient

from config.settings import Settings
from store.db import Database
from tests.alerts.helpers import (
    active_alert,
    add_postings,
    digests_of,
    link,
    now,
    python_job,
    run_pass,
    state_of,
    subscribe,
)
from tests.alerts.smtp import Inbox, SmtpServer


def test_451_after_data_is_retried_with_backoff_and_delivered_once(
    alert_settings: Settings, db: Database, inbox: Inbox
) -> None:
    alert = active_alert(db, "skill=Python")
    add_postings(db, python_job("a"))
    inbox.faults = ["451 4.3.0 Mailbox busy, try again later"]
    start = now()
    report = run_pass(alert_settings, db, start)
    assert report.sent and report.sent.retried == 1 and inbox.messages == []
    [digest] = digests_of(db, alert)
    assert digest.status == "pending" and digest.attempts == 1
    assert "451" in (digest.last_error or "")
    assert timedelta(seconds=50) <= digest.next_attempt_at - start <= timedelta(minutes=2)
    # Not before its time...
    run_pass(alert_settings, db, start + timedelta(seconds=10))
    assert inbox.messages == []
    # ...then once.
    run_pass(alert_settings, db, start + timedelta(minutes=3))
    run_pass(alert_settings, db, start + timedelta(minutes=10))
    assert len(inbox.messages) == 1
    [digest] = digests_of(db, alert)
    assert digest.status == "sent" and digest.message_id == inbox.messages[0]["Message-ID"]
    assert state_of(db, alert).state == "active"


def test_backoff_doubles_and_a_mailbox_refusing_for_days_pauses_the_alert(
    alert_settings: Settings, db: Database, inbox: Inbox
) -> None:
    alert = active_alert(db, "skill=Python")
    add_postings(db, python_job("a"))
    start = now()
    waits = []
    at = start
    for _ in range(4):
        inbox.faults = ["452 4.2.2 Mailbox full"]
        run_pass(alert_settings, db, at)
        [digest] = digests_of(db, alert)
        waits.append(round((digest.next_attempt_at - at).total_seconds() / 60))
        at = digest.next_attempt_at
    assert waits == [1, 2, 4, 8]
    inbox.faults = ["452 4.2.2 Mailbox full"]
    run_pass(alert_settings, db, start + timedelta(days=3, minutes=1))
    [digest] = digests_of(db, alert)
    assert digest.status == "failed"
    found = state_of(db, alert)
    assert found.state == "paused" and "452" in (found.pause_reason or "")


def test_550_after_data_pauses_the_alert_and_its_manage_page_says_why(
    alert_settings: Settings, db: Database, inbox: Inbox, client: FlaskClient
) -> None:
    add_postings(db, python_job("old"))
    subscribe(client, "skill=Python", frequency="instant")
    client.post(link(inbox.messages[0], "confirm"))
    manage = link(inbox.messages[0], "manage")
    add_postings(db, python_job("a"))
    inbox.faults = ["550 5.1.1 No such user here"]
    report = run_pass(alert_settings, db)
    assert report.sent and report.sent.failed == 1
    assert len(inbox.messages) == 1  # only the confirmation
    page = client.get(manage)
    assert "Paused" in page.text and "550 5.1.1 No such user here" in page.text
    # Nothing more is sent, however many postings arrive.
    add_postings(db, python_job("b"))
    run_pass(alert_settings, db, now() + timedelta(hours=2))
    assert len(inbox.messages) == 1


def test_a_dropped_connection_loses_nothing_and_counts_nothing_against_the_address(
    alert_settings: Settings, db: Database, inbox: Inbox
) -> None:
    alerts = [active_alert(db, "skill=Python", email=f"u{i}@example.com") for i in range(3)]
    add_postings(db, python_job("a"))
    inbox.faults = ["drop"]
    start = now()
    report = run_pass(alert_settings, db, start)  # never raises
    assert report.sent and report.sent.server_down
    pending = [d for a in alerts for d in digests_of(db, a) if d.status == "pending"]
    assert len(pending) == 3 and all(d.attempts == 0 for d in pending)
    run_pass(alert_settings, db, start + timedelta(minutes=5))
    assert sorted(m["To"] for m in inbox.messages) == [f"u{i}@example.com" for i in range(3)]
    assert all(state_of(db, a).state == "active" for a in alerts)


def test_smtp_down_for_a_while_then_back(
    alert_settings: Settings, db: Database, smtp: SmtpServer, inbox: Inbox
) -> None:
    alert = active_alert(db, "skill=Python")
    add_postings(db, python_job("a"))
    smtp.stop()
    start = now()
    for minutes in (0, 2, 5, 15, 40):
        report = run_pass(alert_settings, db, start + timedelta(minutes=minutes))
        assert report.sent and report.sent.sent == 0
    add_postings(db, python_job("b"))  # more arrives meanwhile
    run_pass(alert_settings, db, start + timedelta(minutes=60))
    [digest] = digests_of(db, alert)
    assert digest.status == "pending" and digest.attempts == 0
    smtp.start()
    run_pass(alert_settings, db, start + timedelta(minutes=90))
    run_pass(alert_settings, db, start + timedelta(minutes=120))
    # The digest cut before the outage, then the postings that came during it: both delivered, each once.
    assert [m["Subject"][:13] for m in inbox.messages] == ["1 new posting", "1 new posting"]
    assert [d.status for d in digests_of(db, alert)] == ["sent", "sent"]
    assert state_of(db, alert).state == "active"


def test_a_confirmation_the_server_could_not_take_is_sent_by_the_scheduler_later(
    alert_settings: Settings, db: Database, smtp: SmtpServer, inbox: Inbox, client: FlaskClient
) -> None:
    add_postings(db, python_job("a"))
    smtp.stop()
    answer = subscribe(client, "skill=Python")
    assert answer.status_code == 200 and "Check your inbox" in answer.text
    smtp.start()
    run_pass(alert_settings, db, now() + timedelta(minutes=2))
    [message] = inbox.messages
    assert message["Subject"].startswith("Confirm your jobsift alert")
