from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import Source


def get_sources(session: Session, keys: Sequence[str] | None = None, *, enabled_only: bool = False) -> list[Source]:
    query = select(Source).order_by(Source.key)
    if keys is not None:
        query = query.where(Source.key.in_(keys))
    if enabled_only:
        query = query.where(Source.enabled.is_(True))
    return list(session.scalars(query))


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
