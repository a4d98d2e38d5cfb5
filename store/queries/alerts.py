"""Saved searches and their email alerts: subscriptions, matching new postings, the outbox, digests and the
confirmation throttle. The caller owns the transaction; nothing here commits.

Matching is by ingest order. Posting ids grow with ingest, so a subscription's ``watermark`` (the highest posting id
it has been matched against) splits the postings into seen and new, whatever their posted dates say. The one care
is that an id is only a safe watermark once no transaction that could still commit a lower id is in flight:
:func:`settled_high_water` waits for that on PostgreSQL (where concurrent crawl batches insert at once), and SQLite
has a single writer, whose uncommitted ids are always above every committed one.

A new batch of postings is matched against many saved searches at once by :class:`NewPostings`: it loads the
postings in an id range once, with the classified fields the search filters on, indexes them by each filter's
value, and answers a search with a few set operations. It gives the same answer as ``store.search`` for the same
filters (``tests/alerts/test_matching_equivalence.py`` checks it on both backends): the column filters are the same
comparisons made in Python (the database computes the values that depend on its own rules, such as ``lower()`` and
the JSON text of regions), and keywords go through the same full-text index with the same query rendering as
``store.search.sqlite_fts`` / ``postgres_fts``, restricted to the id range.
"""

from __future__ import annotations

import bisect
import secrets
import struct
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from store.models import (
    AlertConfirmationRequest,
    AlertDigest,
    AlertOutbox,
    AlertSubscription,
    Posting,
    PostingSkill,
    Source,
)
from store.models.base import UTCDateTime
from store.search import POSTED_WITHIN, PostingFilters
from store.search.keywords import parse_keywords

# Rows per statement in bulk writes: under SQLite's limit of bound parameters.
_CHUNK = 5000
# How long the matcher waits for in-flight crawl transactions on PostgreSQL before trying again next pass.
HIGH_WATER_LOCK_TIMEOUT_MS = 5000
PERIODS = {"instant": timedelta(0), "daily": timedelta(days=1), "weekly": timedelta(days=7)}
# A daily digest cut at 08:00:40 is due again at the pass after 08:00:10 the next day, not one pass later each day.
CADENCE_SLACK = timedelta(seconds=30)


def _chunks(items: Sequence[Any], size: int = _CHUNK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


# -- subscriptions ------------------------------------------------------------------------------------------------


def normalise_email(email: str) -> str:
    return email.strip().lower()


def max_posting_id(session: Session) -> int:
    return session.scalar(sa.select(sa.func.max(Posting.id))) or 0


def create_subscription(
    session: Session, *, email: str, query: str, frequency: str, now: datetime
) -> AlertSubscription:
    subscription = AlertSubscription(
        email=normalise_email(email),
        query=query,
        frequency=frequency,
        state="pending",
        link_key=secrets.token_hex(8),
        feed_token=secrets.token_urlsafe(24),
        watermark=0,
        created_at=now,
    )
    session.add(subscription)
    session.flush()
    return subscription


def get_subscription(session: Session, subscription_id: int) -> AlertSubscription | None:
    return session.get(AlertSubscription, subscription_id)


def subscription_by_feed_token(session: Session, token: str) -> AlertSubscription | None:
    return session.scalar(sa.select(AlertSubscription).where(AlertSubscription.feed_token == token))


def find_subscription(session: Session, email: str, query: str) -> AlertSubscription | None:
    """The address's alert for this search that has not ended, if any (the newest)."""
    return session.scalar(
        sa.select(AlertSubscription)
        .where(
            AlertSubscription.email == normalise_email(email),
            AlertSubscription.query == query,
            AlertSubscription.state != "unsubscribed",
        )
        .order_by(AlertSubscription.id.desc())
        .limit(1)
    )


def confirm_subscription(session: Session, subscription_id: int, now: datetime) -> bool:
    """pending -> active, once: a second use of the link (or a link for an alert that ended) changes nothing.

    Its watermark starts at the newest posting: an alert sends what is new from now on."""
    result = session.execute(
        sa.update(AlertSubscription)
        .where(AlertSubscription.id == subscription_id, AlertSubscription.state == "pending")
        .values(state="active", confirmed_at=now, next_digest_at=None, **_from_now(session))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def _from_now(session: Session) -> dict[str, int]:
    """Matched and digested up to the newest posting: only postings ingested from now on are new to it."""
    newest = max_posting_id(session)
    return {"watermark": newest, "digested_upto": newest}


def pause_subscription(session: Session, subscription_id: int, reason: str | None) -> bool:
    """active -> paused (by its subscriber, reason None, or by a permanent delivery failure, with the reason)."""
    result = session.execute(
        sa.update(AlertSubscription)
        .where(AlertSubscription.id == subscription_id, AlertSubscription.state == "active")
        .values(state="paused", pause_reason=reason)
        .execution_options(synchronize_session=False)
    )
    _cancel_pending_digests(session, subscription_id)
    return result.rowcount == 1  # type: ignore[attr-defined]


def resume_subscription(session: Session, subscription_id: int) -> bool:
    """paused -> active, from the newest posting on (what was ingested while it was paused is not sent)."""
    result = session.execute(
        sa.update(AlertSubscription)
        .where(AlertSubscription.id == subscription_id, AlertSubscription.state == "paused")
        .values(state="active", pause_reason=None, watermark=max_posting_id(session), next_digest_at=None)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def unsubscribe(session: Session, subscription_id: int) -> bool:
    """Ends the alert; True if this call ended it (False: it had already ended, which is fine to repeat)."""
    result = session.execute(
        sa.update(AlertSubscription)
        .where(AlertSubscription.id == subscription_id, AlertSubscription.state != "unsubscribed")
        .values(state="unsubscribed")
        .execution_options(synchronize_session=False)
    )
    _cancel_pending_digests(session, subscription_id)
    return result.rowcount == 1  # type: ignore[attr-defined]


def set_frequency(session: Session, subscription_id: int, frequency: str) -> None:
    session.execute(
        sa.update(AlertSubscription)
        .where(AlertSubscription.id == subscription_id)
        .values(frequency=frequency, next_digest_at=None)
        .execution_options(synchronize_session=False)
    )


def set_query(session: Session, subscription_id: int, query: str) -> None:
    """New filters: matched from the newest posting on (postings seen under the old filters are not re-examined)."""
    session.execute(
        sa.update(AlertSubscription)
        .where(AlertSubscription.id == subscription_id)
        .values(query=query, **_from_now(session))
        .execution_options(synchronize_session=False)
    )


def delete_subscription(session: Session, subscription_id: int) -> None:
    """Forget the alert and its address: its outbox and digests go with it."""
    session.execute(sa.delete(AlertOutbox).where(AlertOutbox.subscription_id == subscription_id))
    session.execute(sa.delete(AlertDigest).where(AlertDigest.subscription_id == subscription_id))
    session.execute(sa.delete(AlertSubscription).where(AlertSubscription.id == subscription_id))


def _cancel_pending_digests(session: Session, subscription_id: int) -> None:
    session.execute(
        sa.update(AlertDigest)
        .where(
            AlertDigest.subscription_id == subscription_id,
            AlertDigest.kind == "digest",
            AlertDigest.status == "pending",
        )
        .values(status="cancelled")
        .execution_options(synchronize_session=False)
    )


def last_digest(session: Session, subscription_id: int) -> AlertDigest | None:
    return session.scalar(
        sa.select(AlertDigest)
        .where(AlertDigest.subscription_id == subscription_id, AlertDigest.kind == "digest")
        .order_by(AlertDigest.id.desc())
        .limit(1)
    )


# -- the confirmation throttle ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Throttle:
    """At most ``limit`` confirmation emails per ``window`` for one address, or from one client."""

    per_email: int = 3
    email_window: timedelta = timedelta(hours=24)
    per_client: int = 10
    client_window: timedelta = timedelta(hours=1)
    keep: timedelta = timedelta(days=2)


def throttled_until(
    session: Session, *, email: str, client: str, now: datetime, throttle: Throttle = Throttle()
) -> datetime | None:
    """When this address or client may ask for another confirmation email, or None if it may now."""
    lifts = [
        _lifts(session, AlertConfirmationRequest.email == normalise_email(email)[:320], throttle.per_email,
               throttle.email_window, now),
        _lifts(session, AlertConfirmationRequest.client == client[:64], throttle.per_client,
               throttle.client_window, now),
    ]  # fmt: skip
    later = [t for t in lifts if t is not None and t > now]
    return max(later) if later else None


def _lifts(session: Session, who: Any, limit: int, window: timedelta, now: datetime) -> datetime | None:
    times = list(
        session.scalars(
            sa.select(AlertConfirmationRequest.requested_at)
            .where(who, AlertConfirmationRequest.requested_at > now - window)
            .order_by(AlertConfirmationRequest.requested_at.desc())
            .limit(limit)
        )
    )
    return times[-1] + window if len(times) >= limit else None


def lock_confirmations(session: Session, email: str) -> None:
    """Serialise confirmation requests for one address until the transaction ends (PostgreSQL's advisory lock), so
    two web workers can't both take the throttle's last slot. SQLite's single writer serialises them already."""
    if _dialect(session) == "postgresql":
        key = "jobsift-alert:" + normalise_email(email)[:320]
        session.execute(sa.select(sa.func.pg_advisory_xact_lock(sa.func.hashtext(key))))


def record_confirmation_request(
    session: Session, *, email: str, client: str, now: datetime, throttle: Throttle = Throttle()
) -> None:
    """Count one confirmation email against the address and the client (and forget requests past any window)."""
    session.add(
        AlertConfirmationRequest(email=normalise_email(email)[:320], client=client[:64] or "unknown", requested_at=now)
    )
    session.execute(
        sa.delete(AlertConfirmationRequest).where(AlertConfirmationRequest.requested_at < now - throttle.keep)
    )
    session.flush()


# -- matching -----------------------------------------------------------------------------------------------------


def settled_high_water(session: Session, lock_timeout_ms: int = HIGH_WATER_LOCK_TIMEOUT_MS) -> int:
    """The highest posting id below which every posting that will ever exist is already committed.

    PostgreSQL hands out ids from a sequence when a row is inserted, and concurrent crawl transactions commit in any
    order: a committed id 101 may sit above an id 100 whose transaction is still open. A SHARE lock on postings
    waits for every transaction that inserted (they hold ROW EXCLUSIVE until they end) and lets none start until
    this transaction ends; the max id read under it is settled. The lock is held for one indexed read. If crawls
    keep it waiting past ``lock_timeout_ms``, this raises (sqlalchemy.exc.OperationalError) and the matcher tries
    again on its next pass. SQLite has one writer at a time, whose uncommitted ids are above every committed one.
    """
    if _dialect(session) == "postgresql":
        session.execute(sa.text(f"SET LOCAL lock_timeout = {int(lock_timeout_ms)}"))
        session.execute(sa.text("LOCK TABLE postings IN SHARE MODE"))
    return max_posting_id(session)


@dataclass(frozen=True)
class MatchTarget:
    id: int
    query: str
    watermark: int


def subscriptions_to_match(session: Session, high_water: int) -> list[MatchTarget]:
    """Active subscriptions that have not been matched up to ``high_water`` yet."""
    rows = session.execute(
        sa.select(AlertSubscription.id, AlertSubscription.query, AlertSubscription.watermark).where(
            AlertSubscription.state == "active", AlertSubscription.watermark < high_water
        )
    )
    return [MatchTarget(int(i), q, int(w)) for i, q, w in rows]


def nth_posting_id_after(session: Session, low: int, n: int) -> int | None:
    """The id of the ``n``-th posting above ``low``, or None if there are fewer (bounds the postings of one pass)."""
    return session.scalar(sa.select(Posting.id).where(Posting.id > low).order_by(Posting.id).offset(n - 1).limit(1))


def advance_watermarks(session: Session, ids: Sequence[int], old: int, new: int) -> list[int]:
    """Compare-and-swap each subscription's watermark from ``old`` to ``new``; returns the ids that moved.

    A subscription that moved meanwhile (another matcher, a resume or new filters, which all reset the watermark to
    the newest posting) or that stopped being active keeps its value, and the caller drops its matches."""
    moved: list[int] = []
    postgres = _dialect(session) == "postgresql"
    for chunk in _chunks(ids, 50_000 if postgres else _CHUNK):
        # One array parameter on PostgreSQL rather than thousands of bound values.
        which = (
            AlertSubscription.id == sa.any_(sa.cast(sa.literal(list(chunk)), sa.ARRAY(sa.BigInteger)))
            if postgres
            else AlertSubscription.id.in_(chunk)
        )
        result = session.execute(
            sa.update(AlertSubscription)
            .where(which, AlertSubscription.watermark == old, AlertSubscription.state == "active")
            .values(watermark=new)
            .returning(AlertSubscription.id)
            .execution_options(synchronize_session=False)
        )
        moved += [int(i) for i in result.scalars()]
    return moved


_PG_COPY_HEADER = b"PGCOPY\n\xff\r\n\x00" + struct.pack(">ii", 0, 0)
_PG_COPY_ROW = struct.Struct(">hiqiq")  # two fields, each a length and a bigint
_PG_COPY_TRAILER = struct.pack(">h", -1)


def add_to_outbox(session: Session, pairs: Sequence[tuple[int, int]]) -> None:
    """(subscription id, posting id) pairs, each kept once whatever is repeated (the outbox's primary key).

    A pass writes millions; this is the matcher's main cost, so each backend gets its fastest bulk path: SQLite's
    executemany in key order (appends to the clustered B-tree), PostgreSQL's binary COPY. COPY can't skip existing
    keys, and none should exist (a subscription's pairs are written with its watermark's move past them, and
    watermarks never move back): if one does, the chunk is written again with INSERT ... ON CONFLICT DO NOTHING."""
    if not pairs:
        return
    if _dialect(session) == "postgresql":
        from psycopg.errors import UniqueViolation  # raised as is: COPY goes through the driver's own cursor

        for chunk in _chunks(pairs, 250_000):
            data = b"".join([_PG_COPY_HEADER, *(_PG_COPY_ROW.pack(2, 8, s, 8, p) for s, p in chunk), _PG_COPY_TRAILER])
            try:
                copy_in = "COPY alert_outbox (subscription_id, posting_id) FROM STDIN (FORMAT BINARY)"
                with session.begin_nested():
                    # Asked for inside the savepoint, so that SQLAlchemy has emitted it before the driver copies.
                    driver = session.connection().connection.driver_connection
                    with driver.cursor() as cursor, cursor.copy(copy_in) as copy:  # type: ignore[union-attr]
                        copy.write(data)
            except (UniqueViolation, sa.exc.IntegrityError):
                session.execute(
                    sa.text(
                        "INSERT INTO alert_outbox (subscription_id, posting_id) "
                        "SELECT s, p FROM unnest(CAST(:subs AS bigint[]), CAST(:posts AS bigint[])) AS u(s, p) "
                        "ON CONFLICT DO NOTHING"
                    ),
                    {"subs": [s for s, _ in chunk], "posts": [p for _, p in chunk]},
                )
        return
    cursor = session.connection().connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        # The DBAPI's own executemany: an ORM executemany of a million rows spends most of its time building dicts.
        cursor.executemany("INSERT OR IGNORE INTO alert_outbox (subscription_id, posting_id) VALUES (?, ?)", pairs)
    finally:
        cursor.close()


def pause_for_bad_filters(session: Session, subscription_id: int, reason: str) -> None:
    pause_subscription(session, subscription_id, reason)


# -- the new postings of a pass, indexed by filter values ---------------------------------------------------------


def _mask(positions: Iterable[int]) -> int:
    """A bitset (a Python int) with these bit positions set."""
    positions = list(positions)
    if not positions:
        return 0
    bits = bytearray((max(positions) >> 3) + 1)
    for i in positions:
        bits[i >> 3] |= 1 << (i & 7)
    return int.from_bytes(bits, "little")


class NewPostings:
    """The postings with ids in (low, high] that an alert may send (open and not duplicates), ready to be matched
    against any number of searches. Construct it inside a transaction; keyword queries run in it lazily.

    Each filter value (a skill, a remote status, a sector, ...) is a bitset over these postings, so a search is a
    few ANDs of 10,000-bit integers, computed in C, whatever the sizes of the sets; only the result is turned back
    into posting ids."""

    def __init__(self, session: Session, low: int, high: int, now: datetime) -> None:
        self.session = session
        self.low = low
        self.high = high
        self.now = now
        self._ids: list[int] = []  # bit position -> posting id
        self._position: dict[int, int] = {}
        self._atoms: dict[Any, int] = {}  # (filter, value) -> bitset
        self._regions: dict[int, str | None] = {}  # position -> JSON text of a remote posting's regions
        self._pay: dict[str | None, list[tuple[float, int]]] = defaultdict(list)  # currency -> (pay, position)
        self._newest: list[tuple[datetime, int]] = []  # (coalesce(posted_at, first_seen_at), position)
        self._memo: dict[Any, frozenset[int]] = {}
        # A temporary table of the batch's full-text vectors (PostgreSQL), named per batch: one transaction may hold
        # several.
        self._pg_vectors: str | None = None
        self._load()

    def __len__(self) -> int:
        return len(self._ids)

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(self._ids)

    def _load(self) -> None:
        pay = sa.func.coalesce(Posting.salary_annual_max, Posting.salary_annual_min)
        rows = self.session.execute(
            sa.select(
                Posting.id,
                Posting.is_backend,
                Posting.remote,
                sa.cast(Posting.remote_regions, sa.Text),
                Posting.sector,
                Posting.seniority,
                Posting.employment_type,
                Posting.visa_sponsorship,
                pay,
                Posting.salary_currency,
                sa.func.coalesce(Posting.posted_at, Posting.first_seen_at).label("newest"),
                # The database's own lower(), which is what a search compares (ASCII-only on SQLite).
                sa.func.lower(Posting.company),
                Posting.source_id,
            )
            .where(
                Posting.id > self.low,
                Posting.id <= self.high,
                Posting.closed_at.is_(None),
                Posting.duplicate_of.is_(None),
            )
            .order_by(Posting.id)
        )
        positions: dict[Any, list[int]] = defaultdict(list)
        for i, (pid, backend, remote, regions, sector, seniority, employment, visa, paid, currency, newest, company,
                source) in enumerate(rows):  # fmt: skip
            self._ids.append(pid)
            self._position[pid] = i
            if backend:
                positions["backend"].append(i)
            positions["remote", remote].append(i)
            positions["sector", sector].append(i)
            positions["seniority", seniority].append(i)
            positions["employment_type", employment].append(i)
            positions["visa", visa].append(i)
            positions["company", company].append(i)
            positions["source_id", source].append(i)
            if remote == "remote":
                self._regions[i] = regions
            if paid is not None:
                positions["paid"].append(i)
                self._pay[currency].append((float(paid), i))
            self._newest.append((newest, i))
        skills = self.session.execute(
            sa.select(PostingSkill.posting_id, PostingSkill.skill).where(
                PostingSkill.posting_id > self.low, PostingSkill.posting_id <= self.high
            )
        )
        for pid, skill in skills:
            i = self._position.get(pid)
            if i is not None:
                positions["skill", skill].append(i)
        self._atoms = {key: _mask(found) for key, found in positions.items()}
        self._all = (1 << len(self._ids)) - 1
        for values in self._pay.values():
            values.sort()
        self._newest.sort()

    def _atom(self, *key: Any) -> int:
        return self._atoms.get(key if len(key) > 1 else key[0], 0)

    def _to_ids(self, mask: int) -> frozenset[int]:
        if not mask:
            return frozenset()
        # Set bits through the binary digits' text: a C-speed scan, however large the bitset.
        digits = format(mask, "b")
        top = len(digits) - 1
        ids = self._ids
        found = []
        at = digits.find("1")
        while at != -1:
            found.append(ids[top - at])
            at = digits.find("1", at + 1)
        return frozenset(found)

    # -- one search ---------------------------------------------------------------------------------------------

    def matching(self, filters: PostingFilters) -> frozenset[int]:
        """The ids of these postings that the search matches (``include_closed`` is ignored: alerts send only open
        postings)."""
        key = _filters_key(filters)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = self._to_ids(self._match(filters))
        return found

    def _match(self, f: PostingFilters) -> int:
        atom = self._atom
        mask = self._all if f.include_other_roles else atom("backend")
        if f.skills:
            if f.skills_mode == "any":
                union = 0
                for skill in f.skills:
                    union |= atom("skill", skill)
                mask &= union
            else:
                for skill in f.skills:
                    mask &= atom("skill", skill)
        if f.remote:
            mask &= atom("remote", f.remote)
        if f.region:
            mask &= self._open_to(f.region)
        if f.sector:
            mask &= atom("sector", f.sector)
        if f.seniority:
            union = 0
            for level in f.seniority:
                union |= atom("seniority", level)
            mask &= union
        if f.employment_type:
            mask &= atom("employment_type", f.employment_type)
        if f.visa_sponsorship:
            mask &= atom("visa", f.visa_sponsorship)
        if f.salary_stated or f.min_salary is not None:
            mask &= atom("paid")
        if f.min_salary is not None:
            mask &= self._paying(f.currency, f.min_salary)
        if f.posted_within:
            mask &= self._posted_since(self.now - POSTED_WITHIN[f.posted_within])
        if f.company:
            mask &= atom("company", f.company.lower())
        if f.source:
            mask &= self._from_source(f.source)
        for skill in f.exclude_skills:
            mask &= ~atom("skill", skill)
        for company in f.exclude_companies:
            mask &= ~atom("company", company.lower())
        if mask and f.q:
            keywords = parse_keywords(f.q)
            if keywords.required:
                mask &= self._keyword_mask("required", keywords.required)
            for phrase in keywords.excluded:
                mask &= ~self._keyword_mask("excluded", (phrase,))
        return mask

    def _open_to(self, region: str) -> int:
        key = ("region", region)
        if key not in self._atoms:
            # The search compares the JSON text of the regions (store.search._open_to): do the same.
            quoted = '"' + region.replace("\\", "").replace('"', "") + '"'
            self._atoms[key] = _mask(
                i
                for i, text in self._regions.items()
                if text is not None and (quoted in text or text in ("[]", "null"))
            )
        return self._atoms[key]

    def _paying(self, currency: str, minimum: int) -> int:
        key = ("pay", currency, minimum)
        if key not in self._atoms:
            values = self._pay.get(currency, [])
            start = bisect.bisect_left(values, (float(minimum), -1))
            self._atoms[key] = _mask(i for _, i in values[start:])
        return self._atoms[key]

    def _posted_since(self, since: datetime) -> int:
        key = ("since", since)
        if key not in self._atoms:
            start = bisect.bisect_left(self._newest, (since, -1))
            self._atoms[key] = _mask(i for _, i in self._newest[start:])
        return self._atoms[key]

    def _from_source(self, source_key: str) -> int:
        key = ("source", source_key)
        if key not in self._atoms:
            mask = 0
            for source_id in self.session.scalars(sa.select(Source.id).where(Source.key == source_key)):
                mask |= self._atom("source_id", source_id)
            self._atoms[key] = mask
        return self._atoms[key]

    # -- keywords, through the full-text index ------------------------------------------------------------------

    def prefetch_keywords(self, queries: Iterable[str]) -> None:
        """Run the full-text lookups of many searches' keywords at once (one statement per few hundred on
        PostgreSQL); :meth:`matching` would otherwise run them one at a time."""
        wanted: list[tuple[str, tuple[tuple[str, ...], ...]]] = []
        for q in queries:
            keywords = parse_keywords(q)
            if keywords.required:
                wanted.append(("required", keywords.required))
            wanted += [("excluded", (phrase,)) for phrase in keywords.excluded]
        self._lookup([key for key in dict.fromkeys(wanted) if ("keywords", key) not in self._atoms])

    def _keyword_mask(self, kind: str, phrases: tuple[tuple[str, ...], ...]) -> int:
        key = ("keywords", (kind, phrases))
        if key not in self._atoms:
            self._lookup([(kind, phrases)])
        return self._atoms[key]

    def _lookup(self, keys: list[tuple[str, tuple[tuple[str, ...], ...]]]) -> None:
        if not keys:
            return
        if not self._ids:
            found: dict[Any, set[int]] = {}
        elif _dialect(self.session) == "postgresql":
            found = self._pg_keyword_ids(keys)
        else:
            found = {key: self._sqlite_keyword_ids(key[1]) for key in keys}
        for key in keys:
            self._atoms["keywords", key] = _mask(self._position[i] for i in found.get(key, ()) if i in self._position)

    def _sqlite_keyword_ids(self, phrases: tuple[tuple[str, ...], ...]) -> set[int]:
        # As store.search.sqlite_fts renders it; FTS5 seeks straight to the rowid range.
        expression = " AND ".join('"' + " ".join(words) + '"' for words in phrases)
        rows = self.session.execute(
            sa.text(
                "SELECT rowid FROM postings_fts"
                " WHERE postings_fts MATCH :expression AND rowid > :low AND rowid <= :high"
            ),
            {"expression": expression, "low": self.low, "high": self.high},
        )
        return {pid for (pid,) in rows}

    def _pg_keyword_ids(self, keys: list[tuple[str, tuple[tuple[str, ...], ...]]]) -> dict[Any, set[int]]:
        # The batch's vectors get a GIN index of their own, so that each query costs as much as the batch is big,
        # not the whole store; the tsquery is store.search.postgres_fts's (phraseto_tsquery per phrase, joined &&).
        if self._pg_vectors is None:
            table = f"alert_new_vectors_{secrets.token_hex(6)}"
            self.session.execute(
                sa.text(
                    f"CREATE TEMPORARY TABLE {table} ON COMMIT DROP AS "
                    "SELECT id, search_vector AS v FROM postings "
                    "WHERE id > :low AND id <= :high AND closed_at IS NULL AND duplicate_of IS NULL"
                ),
                {"low": self.low, "high": self.high},
            )
            self.session.execute(sa.text(f"CREATE INDEX ON {table} USING gin (v)"))
            self.session.execute(sa.text(f"ANALYZE {table}"))
            self._pg_vectors = table
        found: dict[Any, set[int]] = {}
        for chunk in _chunks(keys, 300):
            params: dict[str, Any] = {}
            values = []
            for n, (_kind, phrases) in enumerate(chunk):
                parts = []
                for k, words in enumerate(phrases):
                    params[f"p{n}_{k}"] = " ".join(words)
                    parts.append(f"phraseto_tsquery('english', :p{n}_{k})")
                values.append(f"({n}, {' && '.join(parts)})")
            rows = self.session.execute(
                sa.text(
                    f"SELECT q.n, t.id FROM (VALUES {', '.join(values)}) AS q(n, tsq) "  # values are bound
                    f"JOIN {self._pg_vectors} t ON t.v @@ q.tsq"
                ),
                params,
            )
            by_number: dict[int, set[int]] = defaultdict(set)
            for n, pid in rows:
                by_number[n].add(pid)
            for n, key in enumerate(chunk):
                found[key] = by_number.get(n, set())
        return found


def _filters_key(f: PostingFilters) -> tuple[Any, ...]:
    return (
        f.q,
        tuple(sorted(f.skills)),
        f.skills_mode if len(f.skills) > 1 else "all",
        tuple(sorted(f.exclude_skills)),
        f.remote,
        f.region,
        f.sector,
        tuple(sorted(f.seniority)),
        f.employment_type,
        f.visa_sponsorship,
        f.min_salary,
        f.currency if f.min_salary is not None else None,
        f.salary_stated,
        f.posted_within,
        f.company.lower() if f.company else None,
        tuple(sorted(c.lower() for c in f.exclude_companies)),
        f.source,
        f.include_other_roles,
    )


# -- digests: cutting, claiming, delivering -----------------------------------------------------------------------


def cut_digests(session: Session, now: datetime) -> int:
    """Give each due subscription with undigested matches a new digest (one email) of the matches written so far;
    returns how many digests. A digest is a posting-id range of its subscription's outbox, (digested_upto,
    watermark] at the cut, so the outbox is never rewritten and matches written after the cut fall in the next one.

    Due: active, its cadence allows one now (instant: always; daily and weekly: ``next_digest_at`` has come), and no
    digest of it still waiting to go out (a mailbox refusing for a while gets one digest retried, not a pile). Two
    cuts at once can't both take the same matches: a digest's (subscription, start of range) is unique."""
    sub = AlertSubscription
    busy = (
        sa.select(AlertDigest.id)
        .where(
            AlertDigest.subscription_id == sub.id,
            AlertDigest.kind == "digest",
            AlertDigest.status.in_(("pending", "sending")),
        )
        .exists()
    )
    undigested = (
        sa.select(AlertOutbox.posting_id)
        .where(
            AlertOutbox.subscription_id == sub.id,
            AlertOutbox.posting_id > sub.digested_upto,
            AlertOutbox.posting_id <= sub.watermark,
        )
        .exists()
    )
    due = sa.select(
        sub.id,
        sa.literal("digest"),
        sa.literal("pending"),
        sa.literal(0),
        sa.literal(now, UTCDateTime()),
        sa.literal(now, UTCDateTime()),
        sub.digested_upto,
        sub.watermark,
    ).where(
        sub.state == "active",
        sa.or_(sub.next_digest_at.is_(None), sub.next_digest_at <= now),
        sub.watermark > sub.digested_upto,
        undigested,
        ~busy,
    )
    columns = ["subscription_id", "kind", "status", "attempts", "next_attempt_at", "created_at", "after_posting_id",
               "upto_posting_id"]  # fmt: skip
    insert = (pg_insert if _dialect(session) == "postgresql" else sqlite_insert)(AlertDigest)
    created = len(
        session.execute(insert.from_select(columns, due).on_conflict_do_nothing().returning(AlertDigest.id)).all()
    )
    if not created:
        return 0
    cut = sa.and_(
        AlertDigest.subscription_id == sub.id,
        AlertDigest.kind == "digest",
        AlertDigest.status == "pending",
        AlertDigest.created_at == now,
    )
    session.execute(
        sa.update(sub)
        .where(cut)
        .values(
            digested_upto=AlertDigest.upto_posting_id,
            next_digest_at=sa.case(
                (sub.frequency == "daily", sa.literal(now + PERIODS["daily"] - CADENCE_SLACK, UTCDateTime())),
                (sub.frequency == "weekly", sa.literal(now + PERIODS["weekly"] - CADENCE_SLACK, UTCDateTime())),
                else_=sa.null(),
            ),
        )
        .execution_options(synchronize_session=False)
    )
    return created


def queue_mail(session: Session, subscription_id: int, kind: str, now: datetime) -> AlertDigest:
    """A single email other than a digest (the confirmation, or "you already have this alert"), sent at once."""
    digest = AlertDigest(
        subscription_id=subscription_id, kind=kind, status="pending", attempts=0, next_attempt_at=now, created_at=now
    )
    session.add(digest)
    session.flush()
    return digest


def _claimable(now: datetime, stale_before: datetime) -> sa.ColumnElement[bool]:
    return sa.or_(
        sa.and_(AlertDigest.status == "pending", AlertDigest.next_attempt_at <= now),
        # A sender that died mid-send (or hung past its claim's time) leaves its digest to be taken over.
        sa.and_(AlertDigest.status == "sending", AlertDigest.claimed_at < stale_before),
    )


def claim_digests(
    session: Session,
    *,
    owner: str,
    now: datetime,
    stale_before: datetime,
    limit: int,
    ids: Sequence[int] | None = None,
) -> list[int]:
    """Take up to ``limit`` due digests (or these ``ids``, if due) for ``owner``: a compare-and-swap on their status,
    so of two senders reading the same digests each digest goes to exactly one. Commit before sending."""
    condition = _claimable(now, stale_before)
    candidates = sa.select(AlertDigest.id).where(condition)
    if ids is not None:
        candidates = candidates.where(AlertDigest.id.in_(list(ids)))
    chosen = list(session.scalars(candidates.order_by(AlertDigest.next_attempt_at, AlertDigest.id).limit(limit)))
    if not chosen:
        return []
    result = session.execute(
        sa.update(AlertDigest)
        .where(AlertDigest.id.in_(chosen), condition)
        .values(status="sending", claimed_by=owner[:100], claimed_at=now)
        .returning(AlertDigest.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(int(i) for i in result.scalars())


@dataclass(frozen=True)
class DigestPosting:
    """What a digest shows of a posting (plain values: a digest batch reads tens of thousands of them)."""

    id: int
    title: str
    company: str
    location: str | None
    remote: str
    remote_regions: list[str]
    sector: str
    seniority: str
    employment_type: str | None
    visa_sponsorship: str
    salary_min: float | None
    salary_max: float | None
    salary_currency: str | None
    salary_period: str | None
    skills: tuple[str, ...]


_DIGEST_COLUMNS = (
    Posting.id, Posting.title, Posting.company, Posting.location, Posting.remote, Posting.remote_regions,
    Posting.sector, Posting.seniority, Posting.employment_type, Posting.visa_sponsorship, Posting.salary_min,
    Posting.salary_max, Posting.salary_currency, Posting.salary_period,
)  # fmt: skip


@dataclass
class DigestToSend:
    digest: AlertDigest
    subscription: AlertSubscription
    # Open postings of a digest, newest first, at most the cap (those closed or joined to another listing since the
    # match are left out), and how many there are in all.
    postings: list[DigestPosting] = field(default_factory=list)
    total: int = 0


@dataclass
class PostingCache:
    """Postings read for digests during one sender pass (a posting is in the digests of many searches): their order
    key, or None for one closed or joined to another listing, and what a digest shows of them. A pass lasts under a
    minute, so a posting that closes meanwhile may still go out in it, as it would have a minute earlier."""

    order: dict[int, tuple[datetime, int] | None] = field(default_factory=dict)
    shown: dict[int, DigestPosting] = field(default_factory=dict)


def digests_to_send(
    session: Session, ids: Sequence[int], *, cap: int, cache: PostingCache | None = None
) -> list[DigestToSend]:
    """The claimed digests with their subscriptions and up to ``cap`` postings each.

    In three plain steps rather than one ranked join, so that no planner can choose to walk the postings of the
    whole id range for each digest: the outbox rows of each digest's range (its primary key's prefix), the
    ordering columns of those postings (by primary key), then the shown postings' columns and skills."""
    if not ids:
        return []
    rows = session.execute(
        sa.select(AlertDigest, AlertSubscription)
        .join(AlertSubscription, AlertSubscription.id == AlertDigest.subscription_id)
        .where(AlertDigest.id.in_(list(ids)))
        .order_by(AlertDigest.id)
    )
    found = [DigestToSend(d, s) for d, s in rows]
    digests = [item for item in found if item.digest.kind == "digest"]
    if not digests:
        return found
    # Each digest's range as constants (an OR of primary-key range scans): whatever the statistics say (they lag
    # after a pass writes millions of rows), no plan can do better than the key.
    by_subscription = {item.digest.subscription_id: item.digest.id for item in digests}
    matched: dict[int, list[int]] = defaultdict(list)
    ranges = [
        sa.and_(
            AlertOutbox.subscription_id == item.digest.subscription_id,
            AlertOutbox.posting_id > (item.digest.after_posting_id or 0),
            AlertOutbox.posting_id <= (item.digest.upto_posting_id or 0),
        )
        for item in digests
    ]
    for subscription_id, posting_id in session.execute(
        sa.select(AlertOutbox.subscription_id, AlertOutbox.posting_id).where(sa.or_(*ranges))
    ):
        matched[by_subscription[subscription_id]].append(posting_id)
    cache = cache if cache is not None else PostingCache()
    newest = cache.order
    unknown = sorted({pid for pids in matched.values() for pid in pids} - newest.keys())
    for chunk in _chunks(unknown):
        # Closed and duplicate postings are dropped here, not in SQL, so that the ids drive the lookup.
        for pid, when, closed, duplicate in session.execute(
            sa.select(
                Posting.id,
                sa.func.coalesce(Posting.posted_at, Posting.first_seen_at),
                Posting.closed_at,
                Posting.duplicate_of,
            ).where(Posting.id.in_(chunk))
        ):
            newest[pid] = (when, pid) if closed is None and duplicate is None else None
    shown: dict[int, list[int]] = {}
    for item in digests:
        open_ids = sorted(
            (pid for pid in matched.get(item.digest.id, ()) if newest.get(pid) is not None),
            key=newest.__getitem__,  # type: ignore[arg-type]
        )
        item.total = len(open_ids)
        shown[item.digest.id] = open_ids[::-1][:cap]  # newest first
    missing = sorted({pid for pids in shown.values() for pid in pids} - cache.shown.keys())
    cache.shown.update(_digest_postings(session, missing))
    for item in digests:
        item.postings = [cache.shown[pid] for pid in shown[item.digest.id]]
    return found


def _digest_postings(session: Session, posting_ids: list[int]) -> dict[int, DigestPosting]:
    skills: dict[int, list[str]] = defaultdict(list)
    postings: dict[int, DigestPosting] = {}
    for chunk in _chunks(posting_ids):
        for pid, skill in session.execute(
            sa.select(PostingSkill.posting_id, PostingSkill.skill)
            .where(PostingSkill.posting_id.in_(chunk))
            .order_by(PostingSkill.posting_id, PostingSkill.position)
        ):
            skills[pid].append(skill)
        for row in session.execute(sa.select(*_DIGEST_COLUMNS).where(Posting.id.in_(chunk))):
            postings[row.id] = DigestPosting(
                *row[:5], list(row.remote_regions or []), *row[6:], skills=tuple(skills.get(row.id, ()))
            )
    return postings


def _in_range() -> sa.ColumnElement[bool]:
    """An outbox row in a digest's range."""
    return sa.and_(
        AlertOutbox.subscription_id == AlertDigest.subscription_id,
        AlertOutbox.posting_id > AlertDigest.after_posting_id,
        AlertOutbox.posting_id <= AlertDigest.upto_posting_id,
    )


def _settle(session: Session, digest_id: int, owner: str, **values: Any) -> bool:
    result = session.execute(
        sa.update(AlertDigest)
        .where(AlertDigest.id == digest_id, AlertDigest.status == "sending", AlertDigest.claimed_by == owner[:100])
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1  # type: ignore[attr-defined]


def mark_sent(session: Session, digest_id: int, owner: str, *, message_id: str, now: datetime) -> bool:
    """Delivered. False if another sender took the digest over meanwhile (this one was too slow): it was sent by
    both, with the same Message-ID.

    On PostgreSQL this commit does not wait for its WAL flush (synchronous_commit off, for this transaction only): a
    flush per email would cap sending at the disk's flush rate. Only a crash of the database server itself within
    a fraction of a second could lose the mark, and then the digest is sent again with the same Message-ID, which
    is the at-least-once guarantee a crash between sending and recording already gives."""
    if _dialect(session) == "postgresql":
        session.execute(sa.text("SET LOCAL synchronous_commit TO OFF"))
    return _settle(session, digest_id, owner, status="sent", sent_at=now, message_id=message_id, last_error=None)


def note_sent(session: Session, subscription_ids: Sequence[int], now: datetime) -> None:
    """When each subscription was last sent a digest ("Last digest sent" on its manage page; confirmation emails
    don't count); once per batch of digests."""
    for chunk in _chunks(sorted(set(subscription_ids))):
        session.execute(
            sa.update(AlertSubscription)
            .where(AlertSubscription.id.in_(chunk))
            .values(last_sent_at=now)
            .execution_options(synchronize_session=False)
        )


def mark_retry(session: Session, digest_id: int, owner: str, *, error: str | None, at: datetime, counts: bool) -> bool:
    """Back to pending, due again at ``at``. ``counts``: the mail server answered with a temporary failure for this
    message (a server that could not be reached says nothing about the message, and does not count). ``error``
    None (the sender was stopped) leaves the last error as it was."""
    values: dict[str, Any] = {"status": "pending", "next_attempt_at": at, "claimed_by": None}
    if error is not None:
        values["last_error"] = error[:2000]
    if counts:
        values["attempts"] = AlertDigest.attempts + 1
    return _settle(session, digest_id, owner, **values)


def mark_failed(session: Session, digest_id: int, owner: str, *, error: str) -> bool:
    return _settle(
        session, digest_id, owner, status="failed", last_error=error[:2000], attempts=AlertDigest.attempts + 1
    )


def mark_unsent(session: Session, digest_id: int, owner: str, *, status: str) -> bool:
    """Nothing to send: ``empty`` (every posting closed since) or ``cancelled`` (the alert ended first)."""
    return _settle(session, digest_id, owner, status=status)


def pending_mail_count(session: Session) -> int:
    return (
        session.scalar(sa.select(sa.func.count()).select_from(AlertDigest).where(AlertDigest.status == "pending")) or 0
    )
