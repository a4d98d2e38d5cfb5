"""Matching new postings to saved searches, by ingest order, into the outbox.

One pass: read the settled high-water posting id (store.queries.alerts.settled_high_water), then for the active
subscriptions below it, load the postings above their watermarks once (store.queries.alerts.NewPostings), answer
each distinct search once (subscriptions with equal filters share the answer), and write, per chunk of
subscriptions in one transaction: a compare-and-swap of each watermark to the high-water mark, and the matches of
those whose watermark moved into the outbox. So a posting is matched to a subscription once (the outbox key), none
is skipped (the watermark only moves past postings that were matched in the same transaction), and two matchers
running at once share the work without doubling it.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime

from store.db import Database
from store.queries.alerts import (
    MatchTarget,
    NewPostings,
    add_to_outbox,
    advance_watermarks,
    nth_posting_id_after,
    pause_subscription,
    settled_high_water,
    subscriptions_to_match,
)
from store.search import PostingFilters
from web.alerts.searches import filters_from_query
from web.params import BadParameter

log = logging.getLogger(__name__)

# Postings matched per round; a scheduler that was down for long catches up in several rounds of one pass.
MAX_POSTINGS_PER_ROUND = 20_000
# Subscriptions written per transaction: keeps SQLite's write lock short for the crawls that share it.
WRITE_CHUNK = 10_000


# Saved searches parsed in this process: parsing depends only on the query and the taxonomy (loaded once per
# process), so a scheduler parses each search once, not every minute.
_PARSED: dict[str, PostingFilters | BadParameter] = {}
PARSED_LIMIT = 500_000


@dataclass
class MatchReport:
    high_water: int = 0
    subscriptions: int = 0
    searches: int = 0
    postings: int = 0
    matches: int = 0
    paused: list[int] = field(default_factory=list)


def match_new_postings(
    database: Database,
    now: datetime | None = None,
    *,
    max_postings: int = MAX_POSTINGS_PER_ROUND,
    write_chunk: int = WRITE_CHUNK,
) -> MatchReport:
    """Match every active subscription up to the settled high-water mark; returns what was done."""
    now = now or datetime.now(UTC)
    report = MatchReport()
    with database.transaction() as session:
        high = settled_high_water(session)
    report.high_water = high
    parsed = _PARSED
    if len(parsed) > PARSED_LIMIT:
        parsed.clear()
    while True:
        with database.transaction() as session:
            targets = subscriptions_to_match(session, high)
            if not targets:
                break
            low = min(t.watermark for t in targets)
            upper = nth_posting_id_after(session, low, max_postings) or high
            upper = min(upper, high)
            batch = [t for t in targets if t.watermark < upper]
            groups: dict[str, list[MatchTarget]] = defaultdict(list)
            for target in batch:
                groups[target.query].append(target)
            for query in groups:
                if query not in parsed:
                    try:
                        parsed[query] = filters_from_query(query)
                    except BadParameter as exc:
                        parsed[query] = exc
            postings = NewPostings(session, low, upper, now)
            postings.prefetch_keywords(f.q for f in (parsed[q] for q in groups) if isinstance(f, PostingFilters))
            matched: dict[int, tuple[int, ...]] = {}
            broken: list[tuple[int, str]] = []
            for query, members in groups.items():
                filters = parsed[query]
                if isinstance(filters, BadParameter):
                    broken += [(m.id, str(filters)) for m in members]
                    continue
                # In id order, so the outbox is written in its key's order.
                found = tuple(sorted(postings.matching(filters)))
                for member in members:
                    matched[member.id] = (
                        found if member.watermark <= low else tuple(i for i in found if i > member.watermark)
                    )
        report.subscriptions += len(batch)
        report.searches += len(groups)
        report.postings += len(postings)
        report.matches += _write(database, batch, matched, upper, now, write_chunk)
        if broken:
            with database.transaction() as session:
                for subscription_id, problem in broken:
                    pause_subscription(
                        session,
                        subscription_id,
                        f"this alert's filters are no longer valid ({problem}); choose them again on the search page",
                    )
            report.paused += [i for i, _ in broken]
            log.warning("paused %d alert(s) whose filters are no longer valid", len(broken))
        if upper >= high:
            break
    return report


def _write(
    database: Database,
    batch: list[MatchTarget],
    matched: dict[int, tuple[int, ...]],
    upper: int,
    now: datetime,
    chunk_size: int,
) -> int:
    written = 0
    for start in range(0, len(batch), chunk_size):
        chunk = [t for t in batch[start : start + chunk_size] if t.id in matched]
        by_watermark: dict[int, list[int]] = defaultdict(list)
        for target in chunk:
            by_watermark[target.watermark].append(target.id)
        with database.transaction() as session:
            moved: list[int] = []
            for old, ids in by_watermark.items():
                moved += advance_watermarks(session, ids, old, upper)
            moved.sort()
            pairs = [(sid, pid) for sid in moved for pid in matched[sid]]
            add_to_outbox(session, pairs)
        written += len(pairs)
    return written
