"""A small in-process cache for what a search costs most: counts, facet counts and the ids of a result page.

Entries are keyed by the normalised search and stamped with the store's *version*: the newest posting id, the newest
update and the newest closing (:func:`store_version`, three index lookups). A new posting, a changed one or a closed
one moves the version, and every entry computed before it is recomputed on its next use, so an ingest shows at the
next request. A few changes leave the version as it was: a closed posting reopened unchanged, a reclassification, a
duplicate promoted to stand for its listing, and the clock moving "posted within 24 h" along. Entries therefore also
expire ``ttl`` seconds after they were computed (5 minutes by default), which bounds how stale those can be.

One cache per process (the web app holds one). It is thread-safe and computes a missing entry once when several
threads ask for it at the same time. It is bounded twice, least recently used entries going first: by entries, and by
their total *weight*, the number of rows a value holds (a search's facet combinations can be thousands), so that it
stays within some tens of megabytes.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.models import Posting

if TYPE_CHECKING:
    from store.search.index import SearchIndex

T = TypeVar("T")
Version = tuple[Any, ...]

DEFAULT_TTL_SECONDS = 300.0
DEFAULT_MAX_ENTRIES = 2048
DEFAULT_MAX_WEIGHT = 300_000
_VERSION_KEY = "jobsift.search_version"


@dataclass
class _Entry:
    version: Version
    stored_at: float
    value: Any
    weight: int


def _weight(value: Any) -> int:
    try:
        return max(1, len(value))
    except TypeError:
        return 1


class SearchCache:
    def __init__(
        self,
        ttl: float = DEFAULT_TTL_SECONDS,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        max_weight: int = DEFAULT_MAX_WEIGHT,
        clock: Callable[[], float] = time.monotonic,
        index: SearchIndex | None = None,
    ) -> None:
        # The process's column index (store/search/index.py), which counts searches and reads their pages; shared by
        # every cache of the process that is given it.
        self.index = index
        self.ttl = ttl
        self.max_entries = max_entries
        self.max_weight = max_weight
        self.weight = 0
        self._clock = clock
        self._entries: OrderedDict[Hashable, _Entry] = OrderedDict()
        self._lock = threading.Lock()
        # One lock per entry being computed, so that concurrent requests for it wait for one computation.
        self._flights: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._entries)

    def _lookup(self, key: Hashable, version: Version) -> tuple[bool, Any]:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.version != version or self._clock() - entry.stored_at >= self.ttl:
                return False, None
            self._entries.move_to_end(key)
            self.hits += 1
            return True, entry.value

    def get_or_compute(self, key: Hashable, version: Version, compute: Callable[[], T]) -> T:
        found, value = self._lookup(key, version)
        if found:
            return value  # type: ignore[no-any-return]
        with self._lock:
            flight = self._flights.setdefault(key, threading.Lock())
        try:
            with flight:
                found, value = self._lookup(key, version)
                if found:
                    return value  # type: ignore[no-any-return]
                started = self._clock()
                computed = compute()
                with self._lock:
                    self.misses += 1
                    entry = _Entry(version, started, computed, _weight(computed))
                    old = self._entries.pop(key, None)
                    self.weight += entry.weight - (old.weight if old else 0)
                    self._entries[key] = entry
                    while len(self._entries) > 1 and (
                        len(self._entries) > self.max_entries or self.weight > self.max_weight
                    ):
                        _key, evicted = self._entries.popitem(last=False)
                        self.weight -= evicted.weight
                return computed
        finally:
            with self._lock:
                if self._flights.get(key) is flight and not flight.locked():
                    del self._flights[key]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.weight = 0


# One subquery per column: a lone max() is a lookup at the end of an index, several in one query are a scan.
_VERSION = sa.select(
    *(sa.select(sa.func.max(c)).scalar_subquery() for c in (Posting.id, Posting.updated_at, Posting.closed_at))
)


def store_version(session: Session) -> Version:
    """What changes when postings are added, changed or closed; read once per transaction of the session."""
    transaction = session.get_transaction()
    memo = session.info.get(_VERSION_KEY)
    if memo is not None and transaction is not None and memo[0] is transaction:
        return memo[1]  # type: ignore[no-any-return]
    session.flush()  # what session.execute would do first; the Core statement itself goes to the connection
    row = session.connection().execute(_VERSION).one()
    version = tuple(row)
    session.info[_VERSION_KEY] = (session.get_transaction(), version)
    return version
