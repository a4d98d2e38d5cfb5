"""Building blocks for store tests: records and sources with sensible defaults."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from store.queries.sources import upsert_source
from store.records import PostingRecord

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def record(external_id: str, **fields: Any) -> PostingRecord:
    base = PostingRecord(
        external_id=external_id,
        url=f"https://jobs.example.com/{external_id}",
        title=f"Backend Engineer {external_id}",
        title_raw=f"Backend Engineer {external_id}",
        company="Acme",
        description_text="Build APIs.",
        description_html="<p>Build APIs.</p>",
        posted_at=NOW,
        remote="unknown",
        sector="Technology",
    )
    return replace(base, **fields)


def make_source(session: Session, key: str = "acme", **fields: Any) -> int:
    values: dict[str, Any] = {"name": "Acme", "kind": "greenhouse", "url": "https://example.com/feed", "now": NOW}
    values.update(fields)
    return upsert_source(session, key=key, **values).id
