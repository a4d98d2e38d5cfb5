from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Source
from store.queries.postings import close_missing


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
