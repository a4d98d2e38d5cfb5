"""How long a feed says its answer stays fresh (``Cache-Control: max-age``, or ``Expires`` against ``Date``).

The scheduler crawls a source no sooner than that, as a browser cache would not ask again, but never waits longer
than ``MAX_FRESH_SECONDS`` on a feed's word: a misconfigured server must not keep its postings stale for a week.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

MAX_FRESH_SECONDS = 24 * 3600
_MAX_AGE = re.compile(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)\"?\s*(?:,|$)", re.IGNORECASE)
_NOT_STORED = re.compile(r"(?:^|,)\s*(?:no-store|no-cache)\s*(?:[,=]|$)", re.IGNORECASE)


def _http_date(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def fresh_for_seconds(
    cache_control: str | None, expires: str | None, date: str | None, now: datetime | None = None
) -> int | None:
    """Seconds the answer is fresh for, capped at a day; None when the headers say nothing usable (or "no-cache")."""
    if cache_control:
        if _NOT_STORED.search(cache_control):
            return None
        if found := _MAX_AGE.search(cache_control):
            seconds = int(found.group(1))
            return min(seconds, MAX_FRESH_SECONDS) or None
    expiry = _http_date(expires)
    if expiry is None:
        return None
    # Expires is measured against the server's own clock when it sends one (RFC 9111, 4.2.1).
    origin = _http_date(date) or now or datetime.now(UTC)
    seconds = int((expiry - origin).total_seconds())
    return min(seconds, MAX_FRESH_SECONDS) if seconds > 0 else None
