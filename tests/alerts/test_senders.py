"""Senders claim digests with a compare-and-swap: two at once send each digest exactly once; a sender that dies
after claiming leaves its digests to be taken over; one that dies after sending but before recording causes one
repeat with the same Message-ID (at-least-once); a posting ingested between claim and send goes in the next digest."""

from __future__ import annotations

import threading
import time
from collections import Counter
from datetime import timedelta

import pytest
from itsdangerous import TimestampSigner

from config.settings import Settings
from store.db import Database
from store.queries.alerts import claim_digests, cut_digests
from tests.alerts.helpers import active_alert, add_postings, digests_of, now, python_job, run_pass, text_of
from tests.alerts.smtp import Inbox
from web.alerts import sender as sender_module
from web.alerts.matching import match_new_postings
from web.alerts.sender import CLAIM_TIMEOUT, Sender


def _cut(db: Database) -> int:
    match_new_postings(db)
    with db.transaction() as s:
        return cut_digests(s, now())


def test_two_senders_at_once_send_each_digest_exactly_once(
    alert_settings: Settings, db: Database, inbox: Inbox
) -> None:
    emails = [f"u{i}@example.com" for i in range(40)]
    for email in emails:
        active_alert(db, "skill=Python", email=email)
    add_postings(db, python_job("a"), python_job("b"))
    assert _cut(db) == 40
    # A slow server keeps both senders busy at once.
    inbox.on_data = lambda: time.sleep(0.005)
    databases = [Database(alert_settings.database_url) for _ in range(2)]
    senders = [Sender(d, alert_settings, owner=f"sender-{i}", batch=3) for i, d in enumerate(databases)]
    barrier = threading.Barrier(2)
    reports = []

    def send(sender: Sender) -> None:
        barrier.wait()
        reports.append(sender.send_due())

    threads = [threading.Thread(target=send, args=(s,)) for s in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    for database in databases:
        database.dispose()
    assert sorted(m["To"] for m in inbox.messages) == sorted(emails)
    assert len({m["Message-ID"] for m in inbox.messages}) == 40
    assert sum(r.sent for r in reports) == 40


def test_a_claim_is_a_compare_and_swap(db: Database) -> None:
    active_alert(db, "skill=Python")
    add_postings(db, python_job("a"))
    _cut(db)
    start = now()
    claim = {"now": start, "stale_before": start - CLAIM_TIMEOUT, "limit": 10}
    with db.transaction() as s:
        first = claim_digests(s, owner="sender-a", **claim)  # type: ignore[arg-type]
    with db.transaction() as s:
        second = claim_digests(s, owner="sender-b", ids=first, **claim)  # type: ignore[arg-type]
    assert len(first) == 1 and second == []


def test_digests_of_a_sender_that_died_after_claiming_are_taken_over(
    alert_settings: Settings, db: Database, inbox: Inbox
) -> None:
    alert = active_alert(db, "skill=Python")
    add_postings(db, python_job("a"))
    _cut(db)
    start = now()
    with db.transaction() as s:
        assert claim_digests(s, owner="dead-sender", now=start, stale_before=start - CLAIM_TIMEOUT, limit=10)
    # While the claim is fresh, nobody else sends it...
    run_pass(alert_settings, db, start + timedelta(minutes=1))
    assert inbox.messages == []
    # ...once it is stale, another sender does.
    run_pass(alert_settings, db, start + CLAIM_TIMEOUT + timedelta(minutes=1))
    assert len(inbox.messages) == 1
    assert [d.status for d in digests_of(db, alert)] == ["sent"]


def test_a_crash_between_sending_and_recording_repeats_the_same_message_id(
    alert_settings: Settings, db: Database, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    alert = active_alert(db, "skill=Python")
    add_postings(db, python_job("a"))

    def crash(*_args: object, **_kwargs: object) -> bool:
        raise RuntimeError("the sender process died here")

    with monkeypatch.context() as patched:
        patched.setattr(sender_module, "mark_sent", crash)
        start = now()
        run_pass(alert_settings, db, start)  # logs the crash, never raises
    assert len(inbox.messages) == 1
    [digest] = digests_of(db, alert)
    assert digest.status == "sending"
    # The repeat is sent later by the clock too (signed links carry a date: the digest's, not the sending's).
    later = int(time.time() + CLAIM_TIMEOUT.total_seconds() + 60)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda _self: later)
    run_pass(alert_settings, db, start + CLAIM_TIMEOUT + timedelta(minutes=1))
    assert len(inbox.messages) == 2
    first, again = inbox.messages
    assert first["Message-ID"] == again["Message-ID"]
    assert text_of(first) == text_of(again)
    assert [d.status for d in digests_of(db, alert)] == ["sent"]


def test_a_posting_ingested_between_claim_and_send_goes_in_the_next_digest(
    alert_settings: Settings, db: Database, inbox: Inbox
) -> None:
    alert = active_alert(db, "skill=Python")
    add_postings(db, python_job("first"))
    ingested: list[int] = []

    def ingest_while_sending() -> None:
        if not ingested:
            ingested.extend(add_postings(db, python_job("meanwhile")))
            match_new_postings(db)

    inbox.on_data = ingest_while_sending
    run_pass(alert_settings, db)
    assert ingested
    assert len(inbox.messages) == 1
    assert "Python Engineer first" in text_of(inbox.messages[0])
    assert "meanwhile" not in text_of(inbox.messages[0])
    run_pass(alert_settings, db)
    assert len(inbox.messages) == 2
    assert "Python Engineer meanwhile" in text_of(inbox.messages[1])
    assert "Python Engineer first" not in text_of(inbox.messages[1])
    assert Counter(d.status for d in digests_of(db, alert)) == {"sent": 2}


def test_a_sender_asked_to_stop_finishes_the_digest_in_hand_and_gives_back_the_rest(
    alert_settings: Settings, db: Database, inbox: Inbox
) -> None:
    for i in range(6):
        active_alert(db, "skill=Python", email=f"u{i}@example.com")
    add_postings(db, python_job("a"))
    _cut(db)
    stop = threading.Event()
    inbox.on_data = stop.set  # asked to stop while the first message is on the wire
    sender = Sender(db, alert_settings, batch=3)
    report = sender.send_due(stop=stop)
    assert report.sent == 1 and len(inbox.messages) == 1
    with db.transaction() as s:
        from sqlalchemy import select

        from store.models import AlertDigest

        statuses = Counter(s.scalars(select(AlertDigest.status)))
    assert statuses == {"sent": 1, "pending": 5}  # nothing left claimed: the next pass takes them at once
    inbox.on_data = None
    assert Sender(db, alert_settings).send_due().sent == 5
    assert len({m["To"] for m in inbox.messages}) == 6
