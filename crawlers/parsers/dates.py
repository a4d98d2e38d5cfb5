"""Every date convention the feeds use, to an aware UTC datetime.

Seen in the corpus: ISO-8601 with offset, ISO without a zone (Remotive; taken as UTC), epoch seconds (Arbeitnow,
Himalayas), epoch milliseconds (Lever), RFC-822 (RSS), and "YYYY-MM-DD HH:MM:SS UTC" (Recruitee).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

# Epoch values below this are seconds, above it milliseconds (1e11 s is the year 5138; 1e11 ms is 1973).
_MS_THRESHOLD = 100_000_000_000
_EPOCH_DIGITS = re.compile(r"^\d{9,13}(\.\d+)?$")
_UTC_SUFFIX = re.compile(r"^(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?) ?(UTC|GMT)$", re.IGNORECASE)
# Sanity bounds: anything outside is a broken value, not a job posting date.
_EARLIEST = datetime(1995, 1, 1, tzinfo=UTC)
_LATEST_YEAR = 2100


def parse_date(value: object) -> datetime | None:
    """The UTC instant a raw date stands for, or None when it is missing or unreadable."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return _from_epoch(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if _EPOCH_DIGITS.match(text):
        return _from_epoch(float(text))
    match = _UTC_SUFFIX.match(text)
    if match:
        text = match.group(1) + "+00:00"
    parsed = _iso(text) or _rfc822(text)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return _bounded(parsed.astimezone(UTC))


def _from_epoch(seconds: float) -> datetime | None:
    if seconds >= _MS_THRESHOLD:
        seconds /= 1000
    try:
        return _bounded(datetime.fromtimestamp(seconds, tz=UTC))
    except (OverflowError, OSError, ValueError):
        return None


def _iso(text: str) -> datetime | None:
    candidate = text[:-1] + "+00:00" if text.endswith(("Z", "z")) else text
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        return None


def _rfc822(text: str) -> datetime | None:
    try:
        return parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None


def _bounded(value: datetime) -> datetime | None:
    if value < _EARLIEST or value.year > _LATEST_YEAR:
        return None
    return value
