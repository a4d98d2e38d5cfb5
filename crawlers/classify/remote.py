"""Remote status of a posting: "remote", "hybrid", "onsite" or "unknown".

Only signals that describe the job's workplace are read: the feed's structured flag, the location field and the
title, and in the description only phrases that state this job's workplace (``[workplace]`` in config/roles.toml).
A bare "remote" in a body is never read: it appears in countless bodies that describe remote teams, remote customers
or "remote-friendly" culture, and reading it was the top source of wrong remote labels.
"""

from __future__ import annotations

import functools
import re

from config.taxonomy import REMOTE_STATUSES
from crawlers.classify.cues import WORKPLACE, matches
from crawlers.classify.text import Text

REMOTE, HYBRID, ONSITE, UNKNOWN = REMOTE_STATUSES

# Feed enums, compared after lower-casing and dropping "_", "-" and spaces: Lever/Ashby "workplaceType",
# Workable "workplace", schema.org "jobLocationType".
_STRUCTURED = {
    "remote": REMOTE,
    "fullyremote": REMOTE,
    "telecommute": REMOTE,
    "hybrid": HYBRID,
    "onsite": ONSITE,
    "inoffice": ONSITE,
    "office": ONSITE,
    "inperson": ONSITE,
}

_NOT_REMOTE = re.compile(r"\b(?:no|not|non)[\s-]+remote\b|\bremote\s*(?::|-)?\s*(?:no|not\s+(?:possible|available))\b")
# "2-3 days in office" is hybrid; five days a week is not.
_HYBRID = re.compile(
    r"\bhybrid\b|\b[1-4](?:\s*-\s*[1-4])?\s*(?:x\s*)?days?\s*(?:a\s+week\s+)?in[\s-]+(?:the\s+)?office\b"
)
_REMOTE = re.compile(
    r"\bremote(?:ly)?\b|\bremot[oa]\b|\btélétravail\b|\bhome[\s-]?office\b|\bwork\s+from\s+home\b|\bwfh\b"
    r"|\banywhere\b|\bworld\s?wide\b|\bfully\s+distributed\b|\btelecommute\b"
)
_ONSITE = re.compile(
    r"\bon[\s-]?site\b|\bin[\s-](?:the[\s-])?office\b|\bin[\s-]person\b|\boffice[\s-]based\b|\bvor\s+ort\b"
)
# Phrases that name the workplace wherever they stand in a title.
_REMOTE_ANYWHERE_IN_TITLE = re.compile(r"(?:\bfully|\b100\s?%)\s+remote\b|\bwork\s+from\s+home\b|\bwfh\b")
# A title segment holds a workplace word only when it is delimited from the role: "Engineer - Remote",
# "(Hybrid)", "US Remote", but not "Remote Sensing Engineer" or "Hybrid Cloud Architect".
_TITLE_SEGMENTS = re.compile(r"\s+[-–—|/:]\s+|[,;()\[\]|]")
_WORKPLACE_WORDS = re.compile(
    r"^(?:(?:fully|100%|full)\s+)?(?:remote|hybrid|on[\s-]?site|in[\s-]office|wfh|work\s+from\s+home)"
    r"(?:\s+(?:only|first|friendly|ok|possible|option))?$"
)


def _from_structured(value: str | bool) -> str | None:
    if isinstance(value, bool):
        return REMOTE if value else None
    return _STRUCTURED.get(re.sub(r"[\s_-]+", "", value.lower()))


def _match_text(text: str) -> tuple[str, str] | None:
    """The workplace a location-like text names, and the words that name it, as written."""
    lower = text.lower()
    for pattern, workplace in ((_NOT_REMOTE, ONSITE), (_HYBRID, HYBRID), (_REMOTE, REMOTE), (_ONSITE, ONSITE)):
        # "2-3 days in office, otherwise remote" is hybrid: the order of the patterns is the order of precedence.
        match = pattern.search(lower)
        if match is not None:
            return workplace, text[match.start() : match.end()] if len(lower) == len(text) else match[0]
    return None


def _from_text(text: str) -> str | None:
    found = _match_text(text)
    return found[0] if found else None


def _title_segments(title: str) -> list[str]:
    segments = [segment.strip() for segment in _TITLE_SEGMENTS.split(title.lower())]
    return [segment for segment in segments if segment]


@functools.lru_cache(maxsize=8192)
def _from_title(title: str) -> str | None:
    if _REMOTE_ANYWHERE_IN_TITLE.search(title.lower()):
        return REMOTE
    segments = _title_segments(title)
    for position, segment in enumerate(segments):
        words = segment.split()
        workplace = _from_text(segment)
        if workplace is None:
            continue
        if _WORKPLACE_WORDS.match(segment) or _NOT_REMOTE.search(segment):
            return workplace
        # "US Remote", "EMEA Remote": the workplace word closes the segment.
        if _from_text(words[-1]) == workplace:
            return workplace
        # "Engineer - Remote Latin America": the workplace word opens a segment after the role.
        if position > 0 and _from_text(words[0]) == workplace:
            return workplace
    return None


@functools.lru_cache(maxsize=8192)
def _from_location(location: str) -> tuple[str, str] | None:
    return _match_text(location)


def _from_description(description: Text) -> tuple[str, str] | None:
    for words, workplace in matches(description, WORKPLACE):
        return workplace, description.locate(words)  # type: ignore[return-value]
    return None


def remote_status(
    *,
    structured: str | bool | None = None,
    location: str = "",
    title: str = "",
    description: Text | None = None,
    all_remote_board: bool = False,
) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The workplace and the (field, words) that decided it; see ``classify_remote`` for the order.

    The description is read last, and only for phrases that state this job's workplace ("This is a fully remote
    role", "3 days a week in the office"): a bare "remote" in a body is not enough.
    """
    if structured is not None:
        workplace = _from_structured(structured)
        if workplace is not None:
            return workplace, (("feed", str(structured)[:120]),)
        if structured is False:
            if location and _from_location(location) and _from_location(location)[0] == HYBRID:  # type: ignore[index]
                return HYBRID, (("feed", "remote: false"), ("location", _from_location(location)[1]))  # type: ignore[index]
            if title and _from_title(title) == HYBRID:
                return HYBRID, (("feed", "remote: false"), ("title", title[:120]))
            return ONSITE, (("feed", "remote: false"),)
    if location:
        found = _from_location(location)
        if found is not None:
            return found[0], (("location", found[1][:120]),)
    if title:
        workplace = _from_title(title)
        if workplace is not None:
            return workplace, (("title", title[:120]),)
    if description is not None and description.text:
        found = _from_description(description)
        if found is not None:
            return found[0], (("description", found[1]),)
    if all_remote_board:
        return REMOTE, (("config", "a board that lists only remote jobs"),)
    return UNKNOWN, ()


def classify_remote(
    *,
    structured: str | bool | None = None,
    location: str = "",
    title: str = "",
    all_remote_board: bool = False,
) -> str:
    """Classify from, in order: the feed's structured value, the location text, the title, the board.

    ``structured`` is a boolean remote flag (Ashby ``isRemote``, Workable ``remote``) or a workplace enum
    (Lever/Ashby ``workplaceType``, Workable ``workplace``); "unspecified" or an unknown value falls through.
    Pass the enum when a feed has both: Ashby marks hybrid jobs ``isRemote: true``.
    A false flag only says the job is not fully remote, so it yields "hybrid" when the location or title says
    so and "onsite" otherwise. ``all_remote_board`` is for boards that list only remote jobs (WWR, Remotive):
    their regions ("USA Only") are where the remote worker may live.
    A city alone says nothing about the workplace and gives "unknown".
    """
    return remote_status(structured=structured, location=location, title=title, all_remote_board=all_remote_board)[0]
