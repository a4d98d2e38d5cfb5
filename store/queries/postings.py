from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, selectinload

from store.dedupe import same_listing
from store.models import Posting, PostingSkill
from store.models.base import EncodedJson
from store.records import PostingRecord

# Fields copied verbatim from a record onto its row (skills and lifecycle are handled apart).
_COPIED = tuple(f.name for f in fields(PostingRecord) if f.name not in {"external_id", "skills"})
# Rows per statement: well under SQLite's limit of bound parameters, large enough to amortise round trips.
_CHUNK = 500


@dataclass
class UpsertCounts:
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    # Postings this crawl closed because their validThrough has passed, though the feed still lists them.
    expired: int = 0


def upsert_postings(session: Session, source_id: int, records: Sequence[PostingRecord], now: datetime) -> UpsertCounts:
    """Insert new postings, update changed ones, touch unchanged ones; reopen any that had been closed.

    Written as a handful of bulk statements (a feed of thousands costs a few round trips, not thousands): one query
    reads the source's existing ids and hashes, then INSERT ... RETURNING, UPDATE by primary key, and one UPDATE for
    the unchanged rows.
    """
    counts = UpsertCounts()
    wanted = {r.external_id: r for r in records}
    # The source's every posting, open or closed: a feed lists most of them, and one scan of the (source_id,
    # external_id) index costs less than lists of thousands of bound ids.
    existing: dict[str, tuple[int, str, datetime | None]] = {
        ext: (pid, digest, closed_at)
        for pid, ext, digest, closed_at in session.execute(
            select(Posting.id, Posting.external_id, Posting.content_hash, Posting.closed_at).where(
                Posting.source_id == source_id
            )
        )
    }

    inserts: list[dict[str, Any]] = []
    insert_skills: dict[str, tuple[str, ...]] = {}
    changes: list[dict[str, Any]] = []
    changed_skills: dict[int, tuple[str, ...]] = {}
    lifecycle: list[dict[str, Any]] = []
    touched: list[int] = []
    for record in wanted.values():
        digest = record.content_hash()
        expired = record.valid_through is not None and record.valid_through <= now
        row = existing.get(record.external_id)
        if row is None:
            inserts.append(
                {
                    **_columns(record),
                    "source_id": source_id,
                    "external_id": record.external_id,
                    "content_hash": digest,
                    "first_seen_at": now,
                    "last_seen_at": now,
                    "updated_at": now,
                    "closed_at": now if expired else None,
                }
            )
            insert_skills[record.external_id] = record.skills
            counts.new += 1
            continue
        pid, old_digest, closed_at = row
        changed = old_digest != digest
        if expired:
            # Listed but past its closing date: closed, and kept closed on every later crawl (no reopen churn).
            new_closed = closed_at or now
            if closed_at is None:
                counts.expired += 1
            elif changed:
                counts.updated += 1
            else:
                counts.unchanged += 1
        else:
            new_closed = None
            if changed or closed_at is not None:
                counts.updated += 1
            else:
                counts.unchanged += 1
        if changed:
            changes.append(
                {
                    **_columns(record),
                    "id": pid,
                    "content_hash": digest,
                    "updated_at": now,
                    "last_seen_at": now,
                    "closed_at": new_closed,
                }
            )
            changed_skills[pid] = record.skills
        elif new_closed != closed_at:
            lifecycle.append({"id": pid, "last_seen_at": now, "closed_at": new_closed})
        else:
            touched.append(pid)

    new_ids: list[int] = []
    if inserts:
        for start in range(0, len(inserts), _CHUNK):
            ids = _insert_rows(session, source_id, inserts[start : start + _CHUNK])
            _insert_skills(session, {pid: insert_skills[ext] for pid, ext in ids})
            new_ids += [pid for pid, _ in ids]
        join_listings(session, source_id, new_ids)
    if changes:
        session.execute(update(Posting), changes)
        promote_duplicates(session, [row["id"] for row in changes if row["closed_at"] is not None])
        for start in range(0, len(changed_skills), _CHUNK):
            chunk = list(changed_skills)[start : start + _CHUNK]
            session.execute(delete(PostingSkill).where(PostingSkill.posting_id.in_(chunk)))
        _insert_skills(session, changed_skills)
    if lifecycle:
        session.execute(update(Posting), lifecycle)
        promote_duplicates(session, [row["id"] for row in lifecycle if row["closed_at"] is not None])
    for start in range(0, len(touched), _CHUNK):
        session.execute(
            update(Posting).where(Posting.id.in_(touched[start : start + _CHUNK])).values(last_seen_at=now),
            execution_options={"synchronize_session": False},
        )
    return counts


def _columns(record: PostingRecord) -> dict[str, Any]:
    values = {name: getattr(record, name) for name in _COPIED}
    values["raw"] = EncodedJson(record.raw_json)
    values["remote_regions_raw"] = list(record.remote_regions_raw)
    values["remote_regions"] = list(record.remote_regions)
    values["tags_raw"] = list(record.tags_raw)
    return values


def _insert_rows(session: Session, source_id: int, rows: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """Insert new postings of one source; returns their (id, external_id).

    On PostgreSQL: one single-row INSERT that psycopg runs over all rows (pipelined, its statement parsed once), then
    one SELECT of the new ids. SQLAlchemy's own bulk INSERT ... VALUES of 500 rows carries 25,000 named parameters,
    which psycopg re-parses on every call (statements that long are never cached): that parsing cost the client more
    than everything else the upsert does. Values go through the columns' own bind processing (aware datetimes, JSON
    documents) exactly as SQLAlchemy would.
    """
    dialect = session.get_bind().dialect
    if dialect.name != "postgresql":
        # sqlite3 has no such parsing cost, and SQLAlchemy's INSERT ... RETURNING saves it the second statement.
        found = session.execute(insert(Posting).returning(Posting.id, Posting.external_id), rows)
        return [(pid, ext) for pid, ext in found]
    columns = tuple(rows[0])
    pairs = tuple(zip(columns, _bind_processors(dialect, columns), strict=True))
    quote = dialect.identifier_preparer.quote
    session.connection().exec_driver_sql(
        f"INSERT INTO postings ({', '.join(map(quote, columns))}) VALUES ({', '.join(['%s'] * len(columns))})",
        [tuple(row[name] if process is None else process(row[name]) for name, process in pairs) for row in rows],
    )
    new = text("external_id = ANY(CAST(:ids AS text[]))").bindparams(ids=[row["external_id"] for row in rows])
    found = session.execute(select(Posting.id, Posting.external_id).where(Posting.source_id == source_id, new))
    return [(pid, ext) for pid, ext in found]


@functools.cache
def _bind_processors(dialect: Dialect, columns: tuple[str, ...]) -> tuple[Callable[[Any], Any] | None, ...]:
    table = Posting.__table__.columns
    return tuple(table[name].type.dialect_impl(dialect).bind_processor(dialect) for name in columns)


def _insert_skills(session: Session, skills: dict[int, tuple[str, ...]]) -> None:
    rows = [(pid, skill, i) for pid, names in skills.items() for i, skill in enumerate(names)]
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        # One statement of three arrays: an executemany of a dozen rows a posting costs the client more than the rest
        # of the upsert.
        ids, names, positions = zip(*rows, strict=True)
        session.execute(
            text(
                "INSERT INTO posting_skills (posting_id, skill, position) SELECT * FROM "
                "unnest(CAST(:ids AS bigint[]), CAST(:skills AS varchar[]), CAST(:positions AS integer[]))"
            ),
            {"ids": list(ids), "skills": list(names), "positions": list(positions)},
        )
    elif dialect == "sqlite":
        # The driver's own executemany of plain tuples: SQLAlchemy's, even Core's, processes every row's parameters
        # in Python, and a posting has a dozen rows.
        session.connection().exec_driver_sql(
            f"INSERT INTO {PostingSkill.__tablename__} (posting_id, skill, position) VALUES (?, ?, ?)", rows
        )
    else:
        session.execute(
            insert(PostingSkill.__table__), [{"posting_id": p, "skill": k, "position": i} for p, k, i in rows]
        )


def rewrite_postings(session: Session, records: dict[int, PostingRecord]) -> None:
    """Replace derived fields of existing postings (by id) with re-derived records; lifecycle fields stay as they are.

    For reclassification: the feed did not change, so first/last seen, updated_at and closed_at are left alone.
    """
    if not records:
        return
    session.execute(
        update(Posting),
        [{**_columns(record), "id": pid, "content_hash": record.content_hash()} for pid, record in records.items()],
    )
    ids = list(records)
    for start in range(0, len(ids), _CHUNK):
        session.execute(delete(PostingSkill).where(PostingSkill.posting_id.in_(ids[start : start + _CHUNK])))
    _insert_skills(session, {pid: record.skills for pid, record in records.items()})


def close_missing(session: Session, source_id: int, seen_external_ids: Iterable[str], now: datetime) -> int:
    """Close the source's open postings that a complete crawl did not see. Never deletes."""
    seen = set(seen_external_ids)
    open_ids = session.execute(
        select(Posting.id, Posting.external_id).where(Posting.source_id == source_id, Posting.closed_at.is_(None))
    ).all()
    gone = [pid for pid, ext in open_ids if ext not in seen]
    for start in range(0, len(gone), 500):
        session.execute(update(Posting).where(Posting.id.in_(gone[start : start + 500])).values(closed_at=now))
    promote_duplicates(session, gone)
    return len(gone)


def join_listings(session: Session, source_id: int, new_ids: Sequence[int]) -> int:
    """Make each new posting a duplicate of the open listing of another source that is the same job (store.dedupe).

    The listing is stood for by its first posting (``duplicate_of`` is NULL there); a match on either key is checked
    by :func:`store.dedupe.same_listing`. Returns how many postings joined a listing.
    """
    if not new_ids:
        return 0
    joined: list[dict[str, int]] = []
    for start in range(0, len(new_ids), _CHUNK):
        new = session.execute(
            select(Posting.id, Posting.title, Posting.location, Posting.canonical_url, Posting.fingerprint).where(
                Posting.id.in_(new_ids[start : start + _CHUNK])
            )
        ).all()
        urls = {row.canonical_url for row in new if row.canonical_url}
        prints = {row.fingerprint for row in new if row.fingerprint}
        if not urls and not prints:
            continue
        # One query a key, each on its own index: an OR of the two, or a condition on closed_at, makes SQLite choose
        # the (closed_at, posted_at) index and read every open posting. Closed candidates are dropped here instead.
        candidates = {
            c.id: c
            for column, keys in ((Posting.canonical_url, urls), (Posting.fingerprint, prints))
            if keys
            for c in session.execute(
                select(
                    Posting.id,
                    Posting.title,
                    Posting.location,
                    Posting.canonical_url,
                    Posting.fingerprint,
                    Posting.duplicate_of,
                    Posting.closed_at,
                ).where(column.in_(keys), Posting.source_id != source_id)
            )
            if c.closed_at is None
        }.values()
        # Candidates by key, each list in listing order, so a new posting reads only its own matches and the first
        # accepted one names the oldest listing (a board of one company's look-alike roles stays linear).
        by_key: dict[tuple[str, str], list[Any]] = {}
        for c in sorted(candidates, key=lambda c: (c.duplicate_of or c.id, c.id)):
            if c.canonical_url:
                by_key.setdefault(("url", c.canonical_url), []).append(c)
            if c.fingerprint:
                by_key.setdefault(("print", c.fingerprint), []).append(c)
        for row in new:
            matches = by_key.get(("url", row.canonical_url or ""), []) + by_key.get(
                ("print", row.fingerprint or ""), []
            )
            listing = min(
                (c.duplicate_of or c.id for c in matches if same_listing(row.title, row.location, c.title, c.location)),
                default=None,
            )
            if listing is not None:
                joined.append({"id": row.id, "duplicate_of": listing})
    if joined:
        session.execute(update(Posting), joined)
    return len(joined)


def promote_duplicates(session: Session, closed_ids: Sequence[int]) -> None:
    """When a listing's first posting closes, its oldest open duplicate stands for the listing from then on."""
    for start in range(0, len(closed_ids), _CHUNK):
        chunk = closed_ids[start : start + _CHUNK]
        duplicates = session.execute(
            select(Posting.id, Posting.duplicate_of)
            .where(Posting.duplicate_of.in_(chunk), Posting.closed_at.is_(None))
            .order_by(Posting.id)
        ).all()
        moves: list[dict[str, int | None]] = []
        heads: dict[int, int] = {}
        for pid, listing in duplicates:
            if listing not in heads:
                heads[listing] = pid
                moves.append({"id": pid, "duplicate_of": None})
            else:
                moves.append({"id": pid, "duplicate_of": heads[listing]})
        if moves:
            session.execute(update(Posting), moves)


def touch_open(session: Session, source_id: int, now: datetime) -> int:
    """Mark every open posting of the source as seen now (its feed answered 304 Not Modified)."""
    result = session.execute(
        update(Posting)
        .where(Posting.source_id == source_id, Posting.closed_at.is_(None))
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


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
