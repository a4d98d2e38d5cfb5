"""Scheduling state in the store: which sources are due, who crawls them, and what a crawl's outcome means next.

The store is the scheduler's source of truth. A scheduler tick reads the due sources (:func:`due_sources`), takes a
lease on each with a conditional UPDATE (:func:`claim_sources`), and hands the claimed ones to a dispatcher. The crawl
process finishes each run (``crawl_runs.finish_run``), which computes the next due time (:func:`next_due`), clears the
lease and pauses a source that keeps failing. Maintenance fails runs whose process died (:func:`fail_stale_runs`),
closes postings past their ``validThrough`` and prunes old runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, func, or_, select, update
from sqlalchemy.orm import Session

from store.models import RUN_FAILED, RUN_RUNNING, CrawlRun, Posting, Source
from store.queries.postings import promote_duplicates

# A failing source is retried later each time, up to once a day.
MAX_BACKOFF = timedelta(hours=24)
# A crawl that finds fewer than this share of the source's usual postings closes nothing, up to SHRUNK_PATIENCE crawls
# in a row; then the smaller size is believed.
SHRUNK_SHARE = 0.5
SHRUNK_PATIENCE = 3
# Sources smaller than this are too small to call a drop suspicious.
SHRUNK_MINIMUM = 10


def _free(now: datetime) -> ColumnElement[bool]:
    return or_(Source.lease_expires_at.is_(None), Source.lease_expires_at <= now)


def _due(now: datetime) -> list[ColumnElement[bool]]:
    return [
        Source.enabled.is_(True),
        Source.removed_at.is_(None),
        Source.paused_at.is_(None),
        or_(Source.next_crawl_at.is_(None), Source.next_crawl_at <= now),
        _free(now),
    ]


def due_sources(session: Session, now: datetime, *, limit: int = 10_000) -> list[Source]:
    """Sources to crawl now: enabled, not removed or paused, due, and not held by anyone; longest due first."""
    return list(
        session.scalars(
            select(Source)
            .where(*_due(now))
            .order_by(Source.next_crawl_at.is_not(None), Source.next_crawl_at, Source.id)
            .limit(limit)
        )
    )


def claim_sources(
    session: Session, source_ids: Sequence[int], *, owner: str, now: datetime, lease: timedelta, due_only: bool = True
) -> list[int]:
    """Take the lease on each source that is still due and free; return the ids this owner now holds.

    One conditional UPDATE a source: of two schedulers that read the same due source, exactly one changes the row,
    and only that one dispatches it. The caller commits before dispatching, so the lease is visible to the other.
    ``due_only=False`` is a crawl an admin asked for (``jobsift crawl``): any source not held by someone else.
    """
    conditions = _due(now) if due_only else [Source.removed_at.is_(None), _free(now)]
    claimed = []
    for source_id in source_ids:
        result = session.execute(
            update(Source)
            .where(Source.id == source_id, *conditions)
            .values(lease_owner=owner[:100], lease_expires_at=now + lease)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount == 1:  # type: ignore[attr-defined]
            claimed.append(source_id)
    return claimed


def release_sources(session: Session, source_ids: Sequence[int], owner: str) -> None:
    """Give back leases that were claimed but never dispatched (the queue was down): the sources stay due."""
    session.execute(
        update(Source)
        .where(Source.id.in_(list(source_ids)), Source.lease_owner == owner[:100])
        .values(lease_owner=None, lease_expires_at=None)
        .execution_options(synchronize_session=False)
    )


def release_unstarted(session: Session, source_ids: Sequence[int], owner: str, since: datetime) -> list[int]:
    """After a batch ended: give back the leases of its sources whose crawl never started (the batch was stopped
    first, or could not start them), so they are due at the next tick instead of when the lease runs out.

    A source whose run started keeps its lease: either the run finished (and cleared it) or the process died
    mid-crawl, and the stale-run sweep fails that run and schedules the source by the usual rules.
    """
    started = select(CrawlRun.id).where(CrawlRun.source_id == Source.id, CrawlRun.started_at >= since).exists()
    unstarted = list(
        session.scalars(
            select(Source.id).where(Source.id.in_(list(source_ids)), Source.lease_owner == owner[:100], ~started)
        )
    )
    if unstarted:
        release_sources(session, unstarted, owner)
    return unstarted


def renew_leases(
    session: Session, source_ids: Sequence[int], *, owner: str, now: datetime, lease: timedelta
) -> list[int]:
    """At the start of a batch: extend the lease of the sources this owner still holds; return their ids.

    A batch may wait in a queue. If its lease lapsed meanwhile and another scheduler took the source, the owner
    differs and the source is left to that one; a source whose crawl already ended has no owner and is skipped too.
    """
    held = list(
        session.scalars(
            select(Source.id)
            .where(Source.id.in_(list(source_ids)), Source.lease_owner == owner[:100])
            .order_by(Source.id)
        )
    )
    if held:
        session.execute(
            update(Source)
            .where(Source.id.in_(held), Source.lease_owner == owner[:100])
            .values(lease_expires_at=now + lease)
            .execution_options(synchronize_session=False)
        )
    return held


def held_source_urls(session: Session, now: datetime) -> list[str]:
    """Feed URLs of the sources whose lease is running: their crawl is queued or in flight."""
    return list(session.scalars(select(Source.url).where(Source.lease_expires_at > now)))


def next_due(
    source: Source,
    now: datetime,
    *,
    ok: bool,
    retry_after_seconds: int | None = None,
    fresh_for_seconds: int | None = None,
) -> datetime:
    """When a source is due again: the largest of its interval, the platform's minimum (its terms), a failure backoff,
    the server's Retry-After, and how long a successful answer said it stays fresh (its cache headers)."""
    interval = timedelta(minutes=max(source.interval_minutes, int((source.terms or {}).get("min_interval_minutes", 0))))
    delay = interval
    if not ok and source.consecutive_failures > 1:
        delay = max(interval, min(interval * 2 ** (source.consecutive_failures - 1), MAX_BACKOFF))
    if retry_after_seconds:
        delay = max(delay, timedelta(seconds=retry_after_seconds))
    if ok and fresh_for_seconds:
        delay = max(delay, timedelta(seconds=fresh_for_seconds))
    return now + delay


def schedule_after_run(
    session: Session, source: Source, now: datetime, *, ok: bool, error: str | None, retry_after: int | None,
    pause_after_failures: int, fresh_for: int | None = None,
) -> None:  # fmt: skip
    """Bookkeeping at the end of a crawl: the lease goes, the next due time is set, a source failing too often pauses.

    ``source.consecutive_failures`` is already updated for this run.
    """
    source.lease_owner = None
    source.lease_expires_at = None
    source.next_crawl_at = next_due(source, now, ok=ok, retry_after_seconds=retry_after, fresh_for_seconds=fresh_for)
    if not ok and source.consecutive_failures >= pause_after_failures and source.paused_at is None:
        source.paused_at = now
        source.pause_reason = (
            f"paused after {source.consecutive_failures} failed crawls in a row; last error: {error or 'unknown'}"
        )[:2000]


def resume_source(source: Source, now: datetime) -> None:
    """An admin's resume: back in rotation now, with a clean failure count."""
    source.paused_at = None
    source.pause_reason = None
    source.consecutive_failures = 0
    source.next_crawl_at = now


def allow_closing(source: Source, seen: int) -> bool:
    """Whether a complete crawl that saw ``seen`` postings may close the missing ones, and the size bookkeeping.

    A crawl far smaller than usual is likelier a broken feed (a half-rendered page, an API returning a partial list)
    than a board that lost half its jobs overnight, so it closes nothing, up to SHRUNK_PATIENCE times in a row.
    """
    usual = source.usual_postings
    if usual is not None and usual >= SHRUNK_MINIMUM and seen < usual * SHRUNK_SHARE:
        source.shrunk_runs = (source.shrunk_runs or 0) + 1
        if source.shrunk_runs < SHRUNK_PATIENCE:
            return False
        # Believed: the smaller size is the new usual one outright, or the next crawls of that size (still far
        # below a slowly moving average) would be flagged again.
        source.shrunk_runs = 0
        source.usual_postings = seen
        return True
    source.shrunk_runs = 0
    source.usual_postings = seen if usual is None else round(0.7 * usual + 0.3 * seen)
    return True


def fail_stale_runs(session: Session, now: datetime, *, older_than: timedelta, pause_after_failures: int) -> int:
    """Mark failed the runs still "running" long after they started: their process died (killed, out of memory).

    Nothing of such a crawl was written (a crawl lands in one transaction), so the run only needs its ending; its
    source counts a failure, loses its lease and is due again by the usual rules. A source crawled again since (its
    lease lapsed first) keeps the newer crawl's state: only the old run is closed.
    """
    stale = list(
        session.scalars(
            select(CrawlRun)
            .where(CrawlRun.status == RUN_RUNNING, CrawlRun.started_at < now - older_than)
            .order_by(CrawlRun.id)
            .with_for_update(skip_locked=True)
        )
    )
    for run in stale:
        run.status = RUN_FAILED
        run.finished_at = now
        run.error_kind = "abandoned"
        run.error_message = f"the crawl process stopped without finishing (still running after {older_than})"
        newer = session.scalar(select(func.count()).where(CrawlRun.source_id == run.source_id, CrawlRun.id > run.id))
        if newer:
            continue
        source = session.get_one(Source, run.source_id)
        source.consecutive_failures += 1
        source.last_error = run.error_message
        schedule_after_run(
            session, source, now, ok=False, error=run.error_kind, retry_after=None,
            pause_after_failures=pause_after_failures,
        )  # fmt: skip
    return len(stale)


def close_expired_postings(session: Session, now: datetime) -> int:
    """Close open postings whose validThrough has passed, whether or not their feed was crawled since."""
    ids = list(session.scalars(select(Posting.id).where(Posting.closed_at.is_(None), Posting.valid_through <= now)))
    for start in range(0, len(ids), 500):
        session.execute(
            update(Posting)
            .where(Posting.id.in_(ids[start : start + 500]))
            .values(closed_at=now)
            .execution_options(synchronize_session=False)
        )
    promote_duplicates(session, ids)
    return len(ids)


def prune_runs(session: Session, now: datetime, *, keep: timedelta) -> int:
    """Delete finished crawl runs older than ``keep``, but never a source's newest run."""
    newest = select(func.max(CrawlRun.id)).group_by(CrawlRun.source_id)
    result = session.execute(
        delete(CrawlRun)
        .where(CrawlRun.status != RUN_RUNNING, CrawlRun.started_at < now - keep, CrawlRun.id.not_in(newest))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
