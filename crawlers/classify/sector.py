"""The sector of a posting's employer, from the company override table, the source's default or text cues.

The rules and the reasons for them are documented at the top of ``config/sectors.toml``.
"""

from __future__ import annotations

import functools
from collections import Counter

from config.taxonomy import (
    company_sectors,
    load_sectors,
    normalize_company,
    region_key,
    sector_names,
)
from crawlers.classify.cues import SECTOR, matches
from crawlers.classify.text import Text

TECHNOLOGY = "Technology"
OTHER = "Other"
# A winner needs this many cue hits, and this many times the runner-up's.
_MIN_HITS = 2
_MIN_LEAD = 2


@functools.cache
def _companies() -> dict[str, str]:
    missing = {TECHNOLOGY, OTHER} - set(sector_names())
    if missing:
        raise ValueError(f"sectors.toml: the classifier needs the sector(s) {sorted(missing)}")
    companies = company_sectors()
    # Feed slugs drop the spaces of a name ("idealistconsulting" for Idealist Consulting).
    for name, sector in list(companies.items()):
        companies.setdefault(name.replace(" ", ""), sector)
    return companies


def _hits(scanned: Text) -> tuple[Counter[str], dict[str, list[tuple[bytes, ...]]]]:
    """Cue hits per sector, and each sector's cues as found (as words, in text order)."""
    hits: Counter[str] = Counter()
    found: dict[str, list[tuple[bytes, ...]]] = {}
    for words, sector in matches(scanned, SECTOR):
        if sector is not None:
            hits[sector] += 1
            found.setdefault(sector, []).append(words)
    return hits, found


def sector_hits(text: str) -> Counter[str]:
    """Cue hits per sector in ``text``, after removing boilerplate phrases. Exposed for tuning the data."""
    return _hits(Text(text, links=False))[0]


# Country and region words a board appends to an employer's name ("DoorDash USA", "M3 USA").
_REGION_SUFFIXES = frozenset(
    {"usa", "us", "uk", "canada", "india", "germany", "europe", "emea", "latam", "apac", "global", "international"}
)


@functools.lru_cache(maxsize=8192)
def company_override(company: str) -> str | None:
    companies = _companies()
    normalised = normalize_company(company)
    found = companies.get(normalised) or companies.get(normalised.replace(" ", ""))
    if found is None:
        words = normalised.split()
        while len(words) > 1 and words[-1] in _REGION_SUFFIXES:
            words.pop()
            found = companies.get(" ".join(words))
            if found is not None:
                break
    return found


@functools.cache
def _company_words() -> dict[str, str]:
    return {word: sector.name for sector in load_sectors() for word in sector.company_words}


@functools.lru_cache(maxsize=8192)
def sector_from_company_name(company: str) -> tuple[str, str] | None:
    """The sector a company word in the employer's name names, and the word ("Omada Health" -> Healthcare)."""
    table = _company_words()
    words = region_key(company).split()
    for size in (2, 1):  # "real estate" before "estate"
        for i in range(len(words) - size + 1):
            sector = table.get(" ".join(words[i : i + size]))
            if sector is not None:
                return sector, " ".join(words[i : i + size])
    return None


def check_default(default: str | None) -> None:
    # A bad default is a crawler configuration bug: refuse it even when the company table would answer.
    if default is not None and default not in sector_names():
        raise ValueError(f"unknown default sector {default!r}; expected one of {', '.join(sector_names())}")


def sector_from_text(scanned: Text) -> tuple[str, list[tuple[bytes, ...]]]:
    """The sector the text's cues point to, and the cues that decided (none when no sector wins: "Technology")."""
    hits, found = _hits(scanned)
    technology = hits.pop(TECHNOLOGY, 0)
    ranked = hits.most_common(2)
    if ranked:
        best, count = ranked[0]
        runner_up = max(ranked[1][1] if len(ranked) > 1 else 0, technology)
        if count >= _MIN_HITS and count >= _MIN_LEAD * runner_up:
            return best, found[best]
    return TECHNOLOGY, found.get(TECHNOLOGY, [])


def classify_sector(company: str, text: str = "", default: str | None = None) -> str:
    """One of ``sector_names()``: company override, then the source default, then text cues."""
    check_default(default)
    override = company_override(company)
    if override is not None:
        return override
    if default is not None:
        return default
    named = sector_from_company_name(company) if company else None
    if named is not None:
        return named[0]
    return sector_from_text(Text(text, links=False))[0]
