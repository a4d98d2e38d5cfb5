"""Where a remote worker may live: the regions and time zones a restricted remote job names, normalised.

Read from the feed's own region list first, then its free-text remote value ("USA Only"), then the location, then the
title's delimited segments ("Engineer - Remote - EMEA"). Spellings live in ``config/regions.toml``. A text that says
the job is open worldwide gives no regions: () means unrestricted or unknown.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from config.taxonomy import load_regions, region_key

Found = tuple[str, str]

# "UTC-3 to UTC+3", "GMT+1", "CET ± 2", "CET +/- 2", "UTC−5" (a minus sign), "UTC+5:30", "EST", "PST".
_ZONE = r"(?:utc|gmt|cet|cest|eet|eest|wet|west|bst|est|edt|cst|cdt|mst|mdt|pst|pdt|ist|aest|aedt|jst|sgt)"
_OFFSET = r"\s*[+\-−–]\s*\d{1,2}(?::\d{2})?"
_TIME_ZONE = re.compile(
    rf"(?<![a-z])(?P<zone>{_ZONE})(?P<spread>\s*(?:±|\+/-|\+-)\s*\d{{1,2}})?(?P<offset>{_OFFSET})?"
    rf"(?:\s*(?:to|-|–|—|…|and)\s*(?P<zone2>{_ZONE})?(?P<offset2>{_OFFSET}))?(?![a-z0-9])",
    re.IGNORECASE,
)
_SEGMENTS = re.compile(r"\s+[-–—|/:]\s+|[,;()\[\]|/]|\s+or\s+|\s+and\s+|\s*&\s*")
_STRUCTURED_ENUMS = frozenset(
    {"remote", "fullyremote", "telecommute", "hybrid", "onsite", "inoffice", "office", "inperson", "unspecified"}
)


def _offset(text: str | None) -> str:
    if not text:
        return ""
    compact = re.sub(r"\s+", "", text).replace("−", "-").replace("–", "-")
    return compact if compact[0] in "+-" else "+" + compact


def _time_zones(text: str) -> list[str]:
    zones = []
    for match in _TIME_ZONE.finditer(text):
        zone = match["zone"].upper()
        if match["spread"]:
            zones.append(f"{zone}±{re.sub(r'[^0-9]', '', match['spread'])}")
        elif match["offset2"]:
            zone2 = (match["zone2"] or match["zone"]).upper()
            zones.append(f"{zone}{_offset(match['offset'])} to {zone2}{_offset(match['offset2'])}")
        elif match["offset"] or zone not in {"UTC", "GMT"}:
            zones.append(f"{zone}{_offset(match['offset'])}")
    return zones


@functools.lru_cache(maxsize=8192)
def _segment_regions(segment: str) -> tuple[tuple[str, ...], bool]:
    """The regions one segment names, and whether it says "worldwide"."""
    regions = load_regions()
    zones = _time_zones(segment)
    if zones:
        return tuple(zones), False
    key = region_key(segment)
    if not key:
        return (), False
    words = [word for word in key.split() if word not in regions.filler]
    if any(word in regions.worldwide for word in words):
        return (), True
    name = regions.aliases.get(" ".join(words)) if words else None
    if name is None and words and regions.aliases.get(key):
        name = regions.aliases[key]
    # "USA timezones": the zones of a region.
    if name is not None and re.search(r"time\s*zones?|timezones?", segment, re.IGNORECASE):
        return (f"{name} time zones",), False
    return ((name,) if name else ()), False


@functools.lru_cache(maxsize=8192)
def _text_regions(text: str, whole_first: bool) -> tuple[tuple[str, ...], bool]:
    """Regions named by the segments of a location or title; ``whole_first`` skips a title's first segment."""
    segments = [segment.strip() for segment in _SEGMENTS.split(text) if segment and segment.strip()]
    if whole_first:
        segments = segments[1:]
    found: list[str] = []
    for segment in segments:
        names, worldwide = _segment_regions(segment)
        if worldwide:
            return (), True
        found += [name for name in names if name not in found]
    return tuple(found), False


def remote_regions(
    *,
    feed_regions: Iterable[str] = (),
    structured: str | bool | None = None,
    location: str = "",
    title: str = "",
) -> tuple[tuple[str, ...], tuple[Found, ...]]:
    """The regions a remote job is restricted to, and the words they were read from (one source decides)."""
    stated = [region for region in feed_regions if region and region.strip()]
    if stated:
        found: list[str] = []
        for region in stated:
            names, worldwide = _text_regions(region, False)
            if worldwide:
                return (), (("feed", region[:120]),)
            found += [name for name in names if name not in found]
        if found:
            return tuple(found), (("feed", ", ".join(stated)[:120]),)
    if isinstance(structured, str) and re.sub(r"[\s_-]+", "", structured.lower()) not in _STRUCTURED_ENUMS:
        names, worldwide = _text_regions(structured, False)
        if worldwide:
            return (), (("feed", structured[:120]),)
        if names:
            return names, (("feed", structured[:120]),)
    for field, text, skip_first in (("location", location, False), ("title", title, True)):
        if text:
            names, worldwide = _text_regions(text, skip_first)
            if worldwide:
                return (), ((field, text[:120]),)
            if names:
                return names, ((field, text[:120]),)
    return (), ()
