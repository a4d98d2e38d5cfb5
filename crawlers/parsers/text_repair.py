"""Readers and repairs for raw values of the remote-job boards (RemoteOK, Remotive, Arbeitnow, Jobicy, Himalayas).

Every function here is pure: it takes what a feed sent and returns what the feed meant, or raises ``ValueError`` /
``TypeError`` when the value can't be what the format promises (the spider then counts the item as unreadable).
"""

from __future__ import annotations

import json
import re
from typing import Any

_LATIN1_HIGH = re.compile(r"[\x80-\xff]")

# RemoteOK appends this to every description; the tag is base64 of the requesting client's IP address, so it differs
# per fetch and would make every crawl look like an edit. Seen (after its "<br/><br/>") as:
#   Please mention the word **REFORMS** and tag RMTkyLjAuMi4x when applying to show you read the job post completely
#   (#RMTkyLjAuMi4x). This is a beta feature to avoid spam applicants. Companies can search these words to find
#   applicants that read this and see they're human.
# The word may come bold in Markdown or in HTML, and the apostrophe as an entity or a typographic quote.
_REMOTEOK_ANTIBOT = re.compile(
    r"(?:\s*<br\s*/?>)*\s*"
    r"Please mention the word\s+(?:\*\*|<(?:b|strong)>)?[^\s*<]*(?:\*\*|</(?:b|strong)>)?\s+and tag\s+\S+\s+"
    r"when applying\b.{0,300}?see they(?:'|’|&#39;|&#x27;|&rsquo;|&apos;)re human\.?",
    re.DOTALL | re.IGNORECASE,
)
# RemoteOK descriptions carry a literal backslash-n (an over-escaped newline) between tags: ">\n<" as three characters.
_LITERAL_NEWLINE_BETWEEN_TAGS = re.compile(r"(?<=>)(?:\\n)+(?=<)")


def repair_mojibake(text: str) -> str:
    """Undo one round of "UTF-8 bytes decoded as Latin-1" (``â\\x80\\x99`` -> ``’``, ``Â\\xa0`` -> NBSP).

    Applied only when the whole string round-trips: a string holding any character outside Latin-1 (so it was
    decoded properly) or whose Latin-1 bytes are not valid UTF-8 ("café" typed correctly) is returned unchanged.
    """
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    if not _LATIN1_HIGH.search(text):
        return text
    try:
        return text.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return text


def strip_remoteok_antibot(description: str) -> str:
    """The description without RemoteOK's "Please mention the word **X** and tag R..." sentence (and its breaks)."""
    return _REMOTEOK_ANTIBOT.sub("", description)


def literal_newlines_to_newlines(fragment: str) -> str:
    """Turn the two-character ``\\n`` RemoteOK leaves between tags back into a newline (only between tags)."""
    return _LITERAL_NEWLINE_BETWEEN_TAGS.sub("\n", fragment)


def load_json(body: bytes) -> Any:
    """A JSON body as UTF-8, tolerating a leading byte-order mark (one saved Remotive capture starts with one)."""
    if not isinstance(body, bytes | bytearray):
        raise TypeError(f"expected bytes, got {type(body).__name__}")
    try:
        text = bytes(body).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValueError(f"body is not UTF-8 ({exc})") from None
    return json.loads(text)


def split_list(text: str | None, separator: str = ",") -> list[str]:
    """A separated free-text list, each entry trimmed and inner runs of whitespace folded; empty entries dropped."""
    if text is None:
        return []
    if not isinstance(text, str):
        raise TypeError(f"expected text, got {type(text).__name__}")
    return [" ".join(part.split()) for part in text.split(separator) if part.strip()]


def joined(values: list[Any] | None, separator: str = ", ") -> str | None:
    """The non-empty strings of a list joined, or None when there are none."""
    if values is None:
        return None
    if not isinstance(values, list):
        raise TypeError(f"expected a list, got {type(values).__name__}")
    parts = [" ".join(str(v).split()) for v in values if v is not None and str(v).strip()]
    return separator.join(parts) or None


def string_list(values: list[Any] | None) -> list[str]:
    """A list of strings from a feed array (null means empty), trimmed, blanks and duplicates dropped, order kept."""
    if values is None:
        return []
    if not isinstance(values, list):
        raise TypeError(f"expected a list, got {type(values).__name__}")
    kept = (" ".join(str(v).split()) for v in values if v is not None)
    return list(dict.fromkeys(v for v in kept if v))


def required_id(entry: dict[str, Any], key: str) -> str:
    """An identifier that must be there: a non-empty string or an integer, as a string."""
    value = entry[key]
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise TypeError(f"{key!r} is {type(value).__name__}, not an id")
    text = str(value).strip()
    if not text:
        raise ValueError(f"{key!r} is empty")
    return text


def required_text(entry: dict[str, Any], key: str) -> str:
    """A string field the format always sends (title, URL): missing raises KeyError, null or a non-string TypeError.

    A blank string is well-formed and is returned: the validation pipeline drops (and counts) a posting without a
    title or URL, while its id still counts as seen.
    """
    value = entry[key]
    if not isinstance(value, str):
        raise TypeError(f"{key!r} is {type(value).__name__}, not text")
    return value


def positive_amount(value: object) -> float | None:
    """A salary bound: a positive number (or numeric string) as float; 0, null, blanks and junk mean unknown."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number > 0 and number != float("inf") else None
