"""Scheduling state in the store (store/queries/schedule.py), on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from store.db import Database
from store.models import RUN_FAILED, RUN_RUNNING, RUN_SUCCESS, CrawlRun, Posting, Source
from store.queries.crawl_runs import RunOutcome, finish_run, start_run
from store.queries.postings import upsert_postings
from store.queries.schedule import (
    MAX_BACKOFF,
    allow_closing,
    claim_sources,
    close_expired_postings,
    due_sources,
    fail_stale_runs,
    next_due,
    prune_runs,
    release_sources,
    renew_leases,
    resume_source,
)
from tests.store.helpers import NOW, make_source, record

LEASE = timedelta(minutes=20)


def _sources(db: Database, count: int) -> list[int]:
    with db.transaction() as s:
        return [make_source(s, f"s{n}", url=f"https://boards.example.com/{n}") for n in range(count)]


def _set(db: Database, source_id: int, **values: object) -> None:
    with db.transaction() as s:
        source = s.get_one(Source, source_id)
        for name, value in values.items():
            setattr(source, name, value)


def _source(db: Database, source_id: int) -> Source:
    with db.transaction() as s:
        return s.get_one(Source, source_id)


def _due_ids(db: Database, now=NOW) -> list[int]:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        return [source.id for source in due_sources(s, now)]


def test_due_sources_are_the_enabled_unpaused_unheld_ones_whose_time_has_come_never_crawled_first(
    db: Database,
) -> None:
    a, b, c, disabled, removed, paused, later, held, lapsed = _sources(db, 9)
    _set(db, a, next_crawl_at=NOW - timedelta(minutes=5))
    _set(db, b, next_crawl_at=NOW - timedelta(hours=2))
    _set(db, disabled, enabled=False)
    _set(db, removed, removed_at=NOW)
    _set(db, paused, paused_at=NOW, pause_reason="admin")
    _set(db, later, next_crawl_at=NOW + timedelta(seconds=1))
    _set(db, held, lease_owner="other", lease_expires_at=NOW + timedelta(seconds=1))
    _set(db, lapsed, lease_owner="other", lease_expires_at=NOW, next_crawl_at=NOW)
    assert _due_ids(db) == [c, b, a, lapsed]
    with db.transaction() as s:
        assert [x.id for x in due_sources(s, NOW, limit=2)] == [c, b]


def test_of_two_owners_claiming_the_same_sources_exactly_one_gets_each(db: Database) -> None:
    ids = _sources(db, 40)
    other = Database(db.url)
    results: dict[str, list[int]] = {}
    start = threading.Barrier(2)

    def claim(owner: str, database: Database) -> None:
        start.wait()
        with database.transaction() as s:
            results[owner] = claim_sources(s, ids, owner=owner, now=NOW, lease=LEASE)

    try:
        threads = [threading.Thread(target=claim, args=(o, d)) for o, d in (("one", db), ("two", other))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        other.dispose()
    assert sorted(results["one"] + results["two"]) == ids
    assert not set(results["one"]) & set(results["two"])
    with db.transaction() as s:
        owners = {src.id: src.lease_owner for src in s.scalars(select(Source))}
        assert all(owners[i] == "one" for i in results["one"]) and all(owners[i] == "two" for i in results["two"])
        # Claimed sources are no longer due, for anyone, until the lease lapses.
        assert due_sources(s, NOW) == []
        assert len(due_sources(s, NOW + LEASE)) == 40
        assert claim_sources(s, ids, owner="three", now=NOW + timedelta(minutes=1), lease=LEASE) == []


def test_an_admin_crawl_claims_a_source_not_due_or_paused_but_never_one_held(db: Database) -> None:
    not_due, paused, held = _sources(db, 3)
    _set(db, not_due, next_crawl_at=NOW + timedelta(hours=3))
    _set(db, paused, paused_at=NOW)
    _set(db, held, lease_owner="scheduler", lease_expires_at=NOW + LEASE)
    with db.transaction() as s:
        assert claim_sources(s, [not_due, paused, held], owner="x", now=NOW, lease=LEASE) == []
        got = claim_sources(s, [not_due, paused, held], owner="crawl", now=NOW, lease=LEASE, due_only=False)
    assert got == [not_due, paused]


def test_release_gives_back_only_the_owners_leases_and_the_sources_are_due_again(db: Database) -> None:
    mine, theirs = _sources(db, 2)
    with db.transaction() as s:
        assert claim_sources(s, [mine], owner="me", now=NOW, lease=LEASE) == [mine]
        assert claim_sources(s, [theirs], owner="them", now=NOW, lease=LEASE) == [theirs]
    with db.transaction() as s:
        release_sources(s, [mine, theirs], "me")
    assert _due_ids(db) == [mine]
    assert _source(db, theirs).lease_owner == "them"


def test_a_batch_renews_the_leases_it_still_holds_and_skips_those_taken_or_finished(db: Database) -> None:
    kept, taken, finished = _sources(db, 3)
    with db.transaction() as s:
        claim_sources(s, [kept, taken, finished], owner="batch/1", now=NOW, lease=LEASE)
    # The lease lapsed while the batch waited in a queue, and another scheduler claimed one source; another's crawl
    # already ended (finish_run clears the lease).
    _set(db, taken, lease_owner="batch/2", lease_expires_at=NOW + 2 * LEASE)
    _set(db, finished, lease_owner=None, lease_expires_at=None)
    later = NOW + LEASE + timedelta(minutes=1)
    with db.transaction() as s:
        assert renew_leases(s, [kept, taken, finished], owner="batch/1", now=later, lease=LEASE) == [kept]
    assert _source(db, kept).lease_expires_at == later + LEASE
    assert _source(db, taken).lease_owner == "batch/2"


def test_next_due_is_the_largest_of_interval_platform_minimum_backoff_and_retry_after(db: Database) -> None:
    (source_id,) = _sources(db, 1)
    source = _source(db, source_id)
    source.interval_minutes = 60
    assert next_due(source, NOW, ok=True) == NOW + timedelta(hours=1)
    source.terms = {"min_interval_minutes": 180}
    assert next_due(source, NOW, ok=True) == NOW + timedelta(hours=3)
    source.terms = {}
    # The first failure retries at the usual interval; then each doubles it, up to a day.
    for failures, hours in [(1, 1), (2, 2), (3, 4), (5, 16), (6, 24), (30, 24)]:
        source.consecutive_failures = failures
        assert next_due(source, NOW, ok=False) == NOW + timedelta(hours=hours), failures
    assert timedelta(hours=24) == MAX_BACKOFF
    source.consecutive_failures = 2
    assert next_due(source, NOW, ok=False, retry_after_seconds=5 * 3600) == NOW + timedelta(hours=5)
    assert next_due(source, NOW, ok=True, retry_after_seconds=60) == NOW + timedelta(hours=1)
    # A feed fresh for longer than the interval is not asked again before then; a failed crawl ignores the claim.
    assert next_due(source, NOW, ok=True, fresh_for_seconds=2 * 3600) == NOW + timedelta(hours=2)
    assert next_due(source, NOW, ok=True, fresh_for_seconds=600) == NOW + timedelta(hours=1)
    assert next_due(source, NOW, ok=False, fresh_for_seconds=10 * 3600) == NOW + timedelta(hours=2)


def _crawl(db: Database, source_id: int, at, outcome: RunOutcome, pause_after: int = 3) -> CrawlRun:  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        claim_sources(s, [source_id], owner="sched/1", now=at, lease=LEASE, due_only=False)
        run_id = start_run(s, source_id, at).id
    with db.transaction() as s:
        return finish_run(s, run_id, outcome, at + timedelta(seconds=5), pause_after_failures=pause_after)


def test_a_crawl_clears_the_lease_and_schedules_the_next_and_retry_after_is_honoured(db: Database) -> None:
    (source_id,) = _sources(db, 1)
    _crawl(db, source_id, NOW, RunOutcome(ok=True))
    source = _source(db, source_id)
    assert (source.lease_owner, source.lease_expires_at) == (None, None)
    assert source.next_crawl_at == NOW + timedelta(seconds=5) + timedelta(minutes=360)
    assert _due_ids(db, NOW + timedelta(hours=1)) == []
    limited = RunOutcome(ok=False, http_status=429, error_kind="http_429", stats={"retry_after_seconds": 86_400})
    _crawl(db, source_id, NOW, limited)
    assert _source(db, source_id).next_crawl_at == NOW + timedelta(seconds=5) + timedelta(days=1)


def test_a_source_pauses_after_n_failures_in_a_row_until_resumed(db: Database) -> None:
    (source_id,) = _sources(db, 1)
    failed = RunOutcome(ok=False, http_status=500, error_kind="http_500", error_message="HTTP 500")
    at = NOW
    for n in (1, 2):
        _crawl(db, source_id, at, failed)
        assert _source(db, source_id).paused_at is None, n
        at += timedelta(days=1)
    _crawl(db, source_id, at, failed)
    source = _source(db, source_id)
    assert source.paused_at is not None
    assert "3 failed crawls in a row" in (source.pause_reason or "") and "http_500" in (source.pause_reason or "")
    assert _due_ids(db, at + timedelta(days=30)) == []

    with db.transaction() as s:
        resume_source(s.get_one(Source, source_id), at + timedelta(days=1))
    assert _due_ids(db, at + timedelta(days=1)) == [source_id]
    assert _source(db, source_id).consecutive_failures == 0


def test_a_far_smaller_crawl_closes_nothing_until_it_happens_three_times_in_a_row(db: Database) -> None:
    (source_id,) = _sources(db, 1)
    source = _source(db, source_id)
    assert allow_closing(source, 40)
    assert source.usual_postings == 40
    assert [allow_closing(source, 8) for _ in range(3)] == [False, False, True]
    # Believed: the smaller size is now the usual one, and the next crawl of that size is normal.
    assert (source.usual_postings, source.shrunk_runs) == (8, 0)
    assert allow_closing(source, 8)
    assert source.shrunk_runs == 0
    # A shrink that recovers resets the count; small sources never count as shrunk.
    source.usual_postings = 40
    assert not allow_closing(source, 10)
    assert allow_closing(source, 39)
    assert source.shrunk_runs == 0
    source.usual_postings = 6
    assert allow_closing(source, 1)


def test_stale_runs_fail_and_reschedule_their_source_but_fresh_and_superseded_ones_keep_theirs(db: Database) -> None:
    dead, alive, superseded = _sources(db, 3)
    with db.transaction() as s:
        claim_sources(s, [dead, alive, superseded], owner="sched/1", now=NOW, lease=LEASE)
        dead_run = start_run(s, dead, NOW).id
        alive_run = start_run(s, alive, NOW + timedelta(minutes=10)).id
        old_run = start_run(s, superseded, NOW).id
        # The superseded source's lease lapsed and it was crawled again, successfully.
        newer = start_run(s, superseded, NOW + timedelta(minutes=9))
        newer.status = RUN_SUCCESS
    _set(db, superseded, next_crawl_at=NOW + timedelta(hours=6), lease_owner=None, lease_expires_at=None)
    sweep = NOW + timedelta(minutes=16)
    with db.transaction() as s:
        assert fail_stale_runs(s, sweep, older_than=timedelta(minutes=15), pause_after_failures=5) == 2
    with db.transaction() as s:
        runs = {r.id: r for r in s.scalars(select(CrawlRun))}
        assert (runs[dead_run].status, runs[dead_run].error_kind) == (RUN_FAILED, "abandoned")
        assert runs[dead_run].finished_at == sweep
        assert runs[alive_run].status == RUN_RUNNING
        assert runs[old_run].status == RUN_FAILED
    source = _source(db, dead)
    assert (source.consecutive_failures, source.lease_owner) == (1, None)
    assert source.next_crawl_at == sweep + timedelta(minutes=360)
    assert _source(db, alive).lease_owner == "sched/1"
    kept = _source(db, superseded)
    assert (kept.consecutive_failures, kept.next_crawl_at) == (0, NOW + timedelta(hours=6))


def test_postings_past_valid_through_close_whether_or_not_their_feed_was_crawled(db: Database) -> None:
    with db.transaction() as s:
        source = make_source(s)
        upsert_postings(
            s,
            source,
            [
                record("past", valid_through=NOW - timedelta(days=1)),
                record("future", valid_through=NOW + timedelta(days=1)),
                record("none"),
            ],
            NOW - timedelta(days=3),
        )
    with db.transaction() as s:
        assert close_expired_postings(s, NOW) == 1
    with db.transaction() as s:
        closed = {p.external_id: p.closed_at for p in s.scalars(select(Posting))}
    assert closed == {"past": NOW, "future": None, "none": None}
    with db.transaction() as s:
        assert close_expired_postings(s, NOW) == 0


def test_prune_deletes_old_finished_runs_but_keeps_each_sources_newest_and_running_ones(db: Database) -> None:
    busy, quiet = _sources(db, 2)
    old = NOW - timedelta(days=120)
    with db.transaction() as s:
        ids = {}
        for name, source_id, at, status in [
            ("busy-old", busy, old, RUN_SUCCESS),
            ("busy-stuck", busy, old + timedelta(hours=1), RUN_RUNNING),
            ("busy-recent", busy, NOW - timedelta(days=1), RUN_SUCCESS),
            ("quiet-old", quiet, old, RUN_FAILED),
            ("quiet-newest-but-old", quiet, old + timedelta(days=1), RUN_SUCCESS),
        ]:
            run = start_run(s, source_id, at)
            run.status = status
            ids[name] = run.id
    with db.transaction() as s:
        assert prune_runs(s, NOW, keep=timedelta(days=90)) == 2
    with db.transaction() as s:
        left = set(s.scalars(select(CrawlRun.id)))
    assert left == {ids["busy-stuck"], ids["busy-recent"], ids["quiet-newest-but-old"]}
