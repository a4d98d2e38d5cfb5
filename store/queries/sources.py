from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from config.sources import DEFAULT_INTERVAL_MINUTES, DefaultSource, platform_terms
from store.models import CrawlRun, Posting, Source
from store.queries.postings import close_missing
from store.queries.schedule import next_due, resume_source


def get_sources(
    session: Session, keys: Sequence[str] | None = None, *, enabled_only: bool = False, removed: bool = False
) -> list[Source]:
    """Sources by key (all when ``keys`` is None); removed ones only when asked for."""
    query = select(Source).order_by(Source.key)
    if keys is not None:
        query = query.where(Source.key.in_(keys))
    if enabled_only:
        query = query.where(Source.enabled.is_(True))
    if not removed:
        query = query.where(Source.removed_at.is_(None))
    return list(session.scalars(query))


def find_source_by_url(session: Session, kind: str, url: str) -> Source | None:
    """The source that already polls this feed, removed or not."""
    return session.scalar(select(Source).where(Source.kind == kind, Source.url == url))


def remove_source(session: Session, source: Source, now: datetime) -> int:
    """Take a source out of service: disabled, marked removed, its open postings closed. Returns how many closed."""
    source.enabled = False
    source.removed_at = now
    return close_missing(session, source.id, (), now)


def restore_source(session: Session, source: Source) -> None:
    source.removed_at = None
    source.enabled = True


def get_sources_by_id(session: Session, ids: Sequence[int]) -> list[Source]:
    return list(session.scalars(select(Source).where(Source.id.in_(ids)).order_by(Source.id)))


def upsert_source(
    session: Session,
    *,
    key: str,
    name: str,
    kind: str,
    url: str,
    now: datetime,
    sector: str | None = None,
    interval_minutes: int = 360,
    terms: dict[str, Any] | None = None,
) -> Source:
    """Create the source, or bring an existing one with the same key up to date (crawl state is kept)."""
    source = session.scalar(select(Source).where(Source.key == key))
    if source is None:
        source = Source(key=key, created_at=now, enabled=True, consecutive_failures=0)
        session.add(source)
    source.name = name
    source.kind = kind
    source.url = url
    source.sector = sector
    source.interval_minutes = interval_minutes
    source.terms = dict(terms or {})
    session.flush()
    return source


# What the command line and the web admin both do with sources: add one, import and export a file, and the admin's
# actions. They raise SourceProblem with a message for people; the caller owns the transaction.


class SourceProblem(ValueError):
    """A source can't be added, imported or changed as asked; the message says why."""


def free_key(session: Session, base: str) -> str:
    """A key made from ``base`` (``lever-acme``) that no source, removed or not, has yet."""
    taken = set(session.scalars(select(Source.key)))
    slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")[:90] or "source"
    key, n = slug, 2
    while key in taken:
        key, n = f"{slug}-{n}", n + 1
    return key


def save_entry(session: Session, entry: DefaultSource, now: datetime) -> Source:
    """Create or update the source of a file entry (``sources.toml``, an import file, a form)."""
    return upsert_source(
        session,
        key=entry.key,
        name=entry.name,
        kind=entry.kind,
        url=entry.url,
        sector=entry.sector,
        interval_minutes=entry.interval_minutes,
        terms=entry.terms,
        now=now,
    )


@dataclass(frozen=True)
class Added:
    source: Source
    restored: bool  # the feed was a removed source, brought back with its history


def add_source(
    session: Session,
    *,
    kind: str,
    feed_url: str,
    now: datetime,
    key: str | None = None,
    key_base: str | None = None,
    name: str | None = None,
    sector: str | None = None,
    interval_minutes: int | None = None,
    terms: dict[str, Any] | None = None,
) -> Added:
    """Add the feed as a new source, or bring back the removed source that polled it.

    The platform's terms and minimum interval are filled in unless given. Raises SourceProblem when a source already
    polls this feed or the key is taken.
    """
    existing = find_source_by_url(session, kind, feed_url)
    if existing is not None and existing.removed_at is None:
        raise SourceProblem(f"{feed_url} is already source {existing.key!r}")
    if existing is not None:
        restore_source(session, existing)
        return Added(existing, restored=True)
    if key is not None and session.scalar(select(Source.id).where(Source.key == key)) is not None:
        raise SourceProblem(f"key {key!r} is taken")
    terms = dict(platform_terms(kind) if terms is None else terms)
    interval = interval_minutes or max(DEFAULT_INTERVAL_MINUTES, int(terms.get("min_interval_minutes", 0)))
    key = key or free_key(session, key_base or kind)
    entry = DefaultSource(
        key=key, name=name or key, kind=kind, url=feed_url, interval_minutes=interval, sector=sector, terms=terms
    )
    return Added(save_entry(session, entry, now), restored=False)


@dataclass(frozen=True)
class Imported:
    added: list[str]
    updated: list[str]


def import_sources(session: Session, entries: Sequence[DefaultSource], now: datetime, where: str) -> Imported:
    """Add or update (by key) the sources of an import file; a removed one comes back.

    Raises SourceProblem, before anything is written, when an entry polls the feed of another source.
    """
    by_key = {s.key: s for s in get_sources(session, removed=True)}
    for entry in entries:
        other = find_source_by_url(session, entry.kind, entry.url)
        if other is not None and other.key != entry.key:
            raise SourceProblem(
                f"{where}: source {entry.key!r} polls the feed of source {other.key!r}; nothing was imported"
            )
    seen: dict[tuple[str, str], str] = {}
    for entry in entries:
        first = seen.setdefault((entry.kind, entry.url), entry.key)
        if first != entry.key:
            raise SourceProblem(
                f"{where}: source {entry.key!r} polls the feed of source {first!r}; nothing was imported"
            )
    added, updated = [], []
    for entry in entries:
        current = by_key.get(entry.key)
        if current is not None and current.removed_at is not None:
            restore_source(session, current)
        save_entry(session, entry, now)
        (added if current is None else updated).append(entry.key)
    return Imported(added, updated)


def export_entries(session: Session) -> list[DefaultSource]:
    """Every source that is not removed, as the entries of an export file."""
    return [
        DefaultSource(
            key=s.key, name=s.name, kind=s.kind, url=s.url, interval_minutes=s.interval_minutes, sector=s.sector
        )
        for s in get_sources(session)
    ]


# A source's state as the admin shows it, most telling first.
STATE_REMOVED = "removed"
STATE_PAUSED = "paused"
STATE_FAILING = "failing"
STATE_ACTIVE = "active"


def source_state(source: Source) -> str:
    if source.removed_at is not None:
        return STATE_REMOVED
    if source.paused_at is not None or not source.enabled:
        return STATE_PAUSED
    if source.consecutive_failures > 0:
        return STATE_FAILING
    return STATE_ACTIVE


@dataclass(frozen=True)
class SourcePage:
    sources: list[Source]
    total: int


def browse_sources(
    session: Session, *, state: str | None = None, q: str | None = None, limit: int = 100, offset: int = 0
) -> SourcePage:
    """Sources for the admin's list: by state (``failing``, ``paused``, ``removed``; None for all but removed) and
    by text in the key, name or feed URL."""
    query = select(Source)
    paused = or_(Source.paused_at.is_not(None), Source.enabled.is_(False))
    if state == STATE_REMOVED:
        query = query.where(Source.removed_at.is_not(None))
    else:
        query = query.where(Source.removed_at.is_(None))
    if state == STATE_PAUSED:
        query = query.where(paused)
    elif state == STATE_FAILING:
        query = query.where(Source.consecutive_failures > 0)
    if q:
        pattern = "%" + q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(
            or_(
                func.lower(Source.key).like(pattern, escape="\\"),
                func.lower(Source.name).like(pattern, escape="\\"),
                func.lower(Source.url).like(pattern, escape="\\"),
            )
        )
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(Source.key).limit(limit).offset(offset))
    return SourcePage(list(rows), total)


@dataclass(frozen=True)
class PostingCounts:
    open: int = 0
    backend: int = 0  # open and back-end work
    total: int = 0


def posting_counts(session: Session, source_ids: Sequence[int]) -> dict[int, PostingCounts]:
    """Per source: open postings, open back-end postings, and every posting it ever had."""
    if not source_ids:
        return {}
    is_open = Posting.closed_at.is_(None)
    rows = session.execute(
        select(
            Posting.source_id,
            func.sum(case((is_open, 1), else_=0)),
            func.sum(case((is_open & Posting.is_backend.is_(True), 1), else_=0)),
            func.count(),
        )
        .where(Posting.source_id.in_(list(source_ids)))
        .group_by(Posting.source_id)
    )
    return {sid: PostingCounts(int(o or 0), int(b or 0), int(t or 0)) for sid, o, b, t in rows}


def recent_runs(session: Session, source_id: int, limit: int = 20) -> list[CrawlRun]:
    return list(
        session.scalars(
            select(CrawlRun).where(CrawlRun.source_id == source_id).order_by(CrawlRun.started_at.desc()).limit(limit)
        )
    )


def crawl_source_now(source: Source, now: datetime) -> None:
    """Due now, out of any pause: the scheduler's next tick crawls it (a crawl in flight finishes first)."""
    if source.removed_at is not None:
        raise SourceProblem(f"{source.key} is removed; add its feed again to bring it back")
    source.enabled = True
    source.paused_at = None
    source.pause_reason = None
    source.next_crawl_at = now


def reset_source_errors(source: Source, now: datetime) -> None:
    """Forget the failures: the count and last error go, and so does the failure backoff on its next crawl."""
    source.consecutive_failures = 0
    source.last_error = None
    on_time = next_due(source, source.last_crawl_at or now, ok=True)
    if source.next_crawl_at is None or source.next_crawl_at > on_time:
        source.next_crawl_at = max(on_time, now)


def pause_source(source: Source, now: datetime, reason: str) -> None:
    """Out of rotation until resumed; its postings stay as they are."""
    if source.removed_at is not None:
        raise SourceProblem(f"{source.key} is removed")
    source.paused_at = now
    source.pause_reason = reason[:2000]


def unpause_source(source: Source, now: datetime) -> None:
    """Back in rotation, due now with a clean failure count, whether an admin or repeated failures paused it."""
    if source.removed_at is not None:
        raise SourceProblem(f"{source.key} is removed; add its feed again to bring it back")
    source.enabled = True
    resume_source(source, now)
