"""Matching by ingest order into the outbox: each new posting once, none missed, nothing closed or duplicated."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import update

from config.settings import Settings
from store.db import Database
from store.dedupe import canonical_url
from store.models import Posting
from store.queries.postings import close_missing
from tests.alerts.helpers import active_alert, add_postings, now, outbox_of, python_job, state_of
from web.alerts.matching import match_new_postings


def test_new_postings_are_matched_once_and_old_ones_never(db: Database) -> None:
    add_postings(db, python_job("before"))
    alert = active_alert(db, "skill=Python")
    [first] = add_postings(db, python_job("first"))
    report = match_new_postings(db)
    assert report.matches == 1
    assert outbox_of(db, alert) == [first]
    assert match_new_postings(db).matches == 0
    [second] = add_postings(db, python_job("second"))
    match_new_postings(db)
    assert outbox_of(db, alert) == [first, second]
    assert state_of(db, alert).watermark == second


def test_a_posting_ingested_late_is_new_by_its_id_not_its_date(db: Database) -> None:
    alert = active_alert(db, "skill=Python")
    add_postings(db, python_job("today"))
    match_new_postings(db)
    # A board that publishes late: posted a month ago, ingested now.
    [late] = add_postings(db, python_job("late", posted_at=now() - timedelta(days=30)), source="slow-board")
    match_new_postings(db)
    assert late in outbox_of(db, alert)


def test_only_matching_open_listings_are_matched(db: Database) -> None:
    alert = active_alert(db, "skill=Python&remote=remote")
    ids = add_postings(
        db,
        python_job("match"),
        python_job("hybrid", remote="hybrid"),
        python_job("go", skills=("Go",)),
        python_job("closed-soon"),
        python_job("frontend", is_backend=False),
    )
    with db.transaction() as s:
        # The feed dropped it before the matcher ran: closed postings are never sent.
        source_id = s.get(Posting, ids[0]).source_id  # type: ignore[union-attr]
        close_missing(s, source_id, {"match", "hybrid", "go", "frontend"}, now())
    match_new_postings(db)
    assert outbox_of(db, alert) == [ids[0]]


def test_a_duplicate_listing_is_not_sent_again(db: Database) -> None:
    alert = active_alert(db, "skill=Python")
    same = {"title": "Python Engineer", "canonical_url": canonical_url("https://acme.example/jobs/1")}
    [head] = add_postings(db, python_job("job", **same))
    # The same job on a remote board: store.dedupe joins it to the first as a duplicate.
    [copy] = add_postings(db, python_job("job-copy", **same), source="remote-board")
    with db.transaction() as s:
        assert s.get(Posting, copy).duplicate_of == head  # type: ignore[union-attr]
    match_new_postings(db)
    assert outbox_of(db, alert) == [head]


def test_paused_and_pending_alerts_are_not_matched(db: Database) -> None:
    from store.queries.alerts import create_subscription, pause_subscription

    paused = active_alert(db, "skill=Python")
    with db.transaction() as s:
        pause_subscription(s, paused, None)
        pending = create_subscription(s, email="bo@example.com", query="skill=Python", frequency="daily", now=now()).id
    add_postings(db, python_job("a"))
    match_new_postings(db)
    assert outbox_of(db, paused) == [] and outbox_of(db, pending) == []


def test_equal_searches_share_one_evaluation_and_each_gets_its_matches(db: Database) -> None:
    alerts = [active_alert(db, "skill=Python", email=f"u{i}@example.com") for i in range(5)]
    other = active_alert(db, "remote=hybrid", email="h@example.com")
    ids = add_postings(db, python_job("py"), python_job("hy", remote="hybrid", skills=("Go",)))
    report = match_new_postings(db)
    assert report.searches == 2 and report.subscriptions == 6
    assert all(outbox_of(db, a) == [ids[0]] for a in alerts)
    assert outbox_of(db, other) == [ids[1]]


def test_filters_that_are_no_longer_valid_pause_the_alert_with_the_reason(db: Database) -> None:
    alert = active_alert(db, "skill=Python")
    with db.transaction() as s:
        from store.models import AlertSubscription

        s.execute(update(AlertSubscription).where(AlertSubscription.id == alert).values(query="skill=Cobol%2B%2B"))
    add_postings(db, python_job("a"))
    match_new_postings(db)
    found = state_of(db, alert)
    assert found.state == "paused"
    assert "no longer valid" in (found.pause_reason or "") and "skill" in (found.pause_reason or "")


def test_a_large_backlog_is_matched_in_rounds_without_loss(db: Database) -> None:
    alert = active_alert(db, "skill=Python")
    ids = add_postings(db, *(python_job(str(i)) for i in range(25)))
    report = match_new_postings(db, max_postings=7)
    assert report.postings == 25
    assert outbox_of(db, alert) == ids


def test_two_matchers_at_once_match_each_posting_once(settings: Settings, db: Database) -> None:
    alerts = [active_alert(db, "skill=Python", email=f"u{i}@example.com") for i in range(20)]
    ids = add_postings(db, *(python_job(str(i)) for i in range(30)))
    databases = [Database(settings.database_url) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def match(database: Database) -> None:
        try:
            barrier.wait()
            match_new_postings(database)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=match, args=(d,)) for d in databases]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for database in databases:
        database.dispose()
    assert errors == []
    for alert in alerts:
        assert outbox_of(db, alert) == ids


def test_the_outbox_keeps_each_pair_once_whatever_is_written_twice(db: Database) -> None:
    from sqlalchemy import func, select

    from store.models import AlertOutbox
    from store.queries.alerts import add_to_outbox

    alert = active_alert(db, "skill=Python")
    ids = add_postings(db, *(python_job(str(i)) for i in range(4)))
    with db.transaction() as s:
        add_to_outbox(s, [(alert, i) for i in ids[:3]])
    with db.transaction() as s:
        add_to_outbox(s, [(alert, i) for i in ids])  # three already there: kept once, the fourth added
        add_to_outbox(s, [(alert, ids[0]), (alert, ids[0])])
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(AlertOutbox)) == 4
    assert outbox_of(db, alert) == ids
