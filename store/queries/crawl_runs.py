from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import RUN_FAILED, RUN_RUNNING, RUN_SUCCESS, CrawlRun, Source
from store.queries.schedule import schedule_after_run


@dataclass
class RunOutcome:
    """What a crawl found out, written onto its run and its source in one go."""

    ok: bool
    http_status: int | None = None
    bytes_received: int = 0
    items_seen: int = 0
    items_dropped: int = 0
    postings_new: int = 0
    postings_updated: int = 0
    postings_unchanged: int = 0
    postings_closed: int = 0
    error_kind: str | None = None
    error_message: str | None = None
    stats: dict[str, Any] = field(default_factory=dict)


def start_run(session: Session, source_id: int, now: datetime) -> CrawlRun:
    run = CrawlRun(source_id=source_id, started_at=now, status=RUN_RUNNING, stats={})
    session.add(run)
    session.flush()
    return run


def finish_run(
    session: Session, run_id: int, outcome: RunOutcome, now: datetime, *, pause_after_failures: int = 5
) -> CrawlRun:
    """Record a crawl's ending on its run and its source's health, and schedule the source's next crawl."""
    run = session.get_one(CrawlRun, run_id)
    run.finished_at = now
    run.status = RUN_SUCCESS if outcome.ok else RUN_FAILED
    for name in (
        "http_status",
        "bytes_received",
        "items_seen",
        "items_dropped",
        "postings_new",
        "postings_updated",
        "postings_unchanged",
        "postings_closed",
        "error_kind",
        "error_message",
        "stats",
    ):
        setattr(run, name, getattr(outcome, name))
    source = session.get_one(Source, run.source_id)
    source.last_crawl_at = now
    if outcome.ok:
        source.last_success_at = now
        source.last_error = None
        source.consecutive_failures = 0
    else:
        source.last_error = outcome.error_message or outcome.error_kind
        source.consecutive_failures += 1
    retry_after = outcome.stats.get("retry_after_seconds")
    fresh_for = outcome.stats.get("fresh_for_seconds")
    schedule_after_run(
        session,
        source,
        now,
        ok=outcome.ok,
        error=outcome.error_kind,
        retry_after=int(retry_after) if retry_after else None,
        fresh_for=int(fresh_for) if fresh_for else None,
        pause_after_failures=pause_after_failures,
    )
    return run


def last_runs_since(session: Session, source_ids: Sequence[int], since: datetime) -> dict[int, CrawlRun]:
    """Each source's newest run started at or after ``since``; sources without one are absent."""
    latest: dict[int, CrawlRun] = {}
    for run in session.scalars(
        select(CrawlRun)
        .where(CrawlRun.source_id.in_(source_ids), CrawlRun.started_at >= since)
        .order_by(CrawlRun.started_at, CrawlRun.id)
    ):
        latest[run.source_id] = run
    return latest
