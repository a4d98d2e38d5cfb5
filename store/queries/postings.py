from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, selectinload

from store.models import Posting, PostingSkill
from store.records import PostingRecord

# Fields copied verbatim from a record onto its row (skills and lifecycle are handled apart).
_COPIED = tuple(f.name for f in fields(PostingRecord) if f.name not in {"external_id", "skills"})


@dataclass
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    # Postings this crawl closed because their validThrough has passed, though the feed still lists them.
    expired: int = 0


def upsert_postings(session: Session, source_id: int, records: Sequence[PostingRecord], now: datetime) -> UpsertCounts:
    """Insert new postings, update changed ones, touch unchanged ones; reopen any that had been closed.

    One query loads the source's existing rows, so a feed of N postings costs O(1) round trips to read.
    """
    counts = UpsertCounts()
    wanted = {r.external_id for r in records}
    existing = {
        p.external_id: p
        for p in session.scalars(
            select(Posting)
            .where(Posting.source_id == source_id, Posting.external_id.in_(wanted))
            .options(selectinload(Posting.skills))
        )
    }
    for record in records:
        digest = record.content_hash()
        expired = record.valid_through is not None and record.valid_through <= now
        row = existing.get(record.external_id)
        if row is None:
            row = Posting(
                source_id=source_id,
                external_id=record.external_id,
                content_hash=digest,
                first_seen_at=now,
                last_seen_at=now,
                updated_at=now,
                closed_at=now if expired else None,
            )
            _copy(record, row)
            session.add(row)
            counts.new += 1
            continue
        row.last_seen_at = now
        changed = row.content_hash != digest
        if changed:
            _copy(record, row)
            row.content_hash = digest
            row.updated_at = now
        if expired:
            # Listed but past its closing date: closed, and kept closed on every later crawl (no reopen churn).
            if row.closed_at is None:
                row.closed_at = now
                counts.expired += 1
            elif changed:
                counts.updated += 1
            else:
                counts.unchanged += 1
            continue
        if changed or row.closed_at is not None:
            row.closed_at = None
            counts.updated += 1
        else:
            counts.unchanged += 1
    return counts


def _copy(record: PostingRecord, row: Posting) -> None:
    for name in _COPIED:
        setattr(row, name, getattr(record, name))
    row.skills = [PostingSkill(skill=skill, position=i) for i, skill in enumerate(record.skills)]


def close_missing(session: Session, source_id: int, seen_external_ids: Iterable[str], now: datetime) -> int:
    """Close the source's open postings that a complete crawl did not see. Never deletes."""
    seen = set(seen_external_ids)
    open_ids = session.execute(
        select(Posting.id, Posting.external_id).where(Posting.source_id == source_id, Posting.closed_at.is_(None))
    ).all()
    gone = [pid for pid, ext in open_ids if ext not in seen]
    for start in range(0, len(gone), 500):
        session.execute(update(Posting).where(Posting.id.in_(gone[start : start + 500])).values(closed_at=now))
    return len(gone)


def count_open(session: Session, source_id: int) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(Posting).where(Posting.source_id == source_id, Posting.closed_at.is_(None))
        )
        or 0
    )


def open_postings_by_source(session: Session) -> dict[int, int]:
    rows = session.execute(
        select(Posting.source_id, func.count()).where(Posting.closed_at.is_(None)).group_by(Posting.source_id)
    )
    return {source_id: count for source_id, count in rows}


def get_posting(session: Session, posting_id: int) -> Posting | None:
    return session.scalar(
        select(Posting)
        .where(Posting.id == posting_id)
        .options(selectinload(Posting.skills), selectinload(Posting.source))
    )
