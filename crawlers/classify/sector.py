"""The sector of a posting's employer, from the company override table, the source's default or text cues.

The rules and the reasons for them are documented at the top of ``config/sectors.toml``.
"""

from __future__ import annotations

import functools
from collections import Counter

from config.taxonomy import (
    company_sectors,
    normalize_company,
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
    words = scanned.words
    for start, end, sector in matches(scanned, SECTOR):
        if sector is not None:
            hits[sector] += 1  # type: ignore[index]
            found.setdefault(sector, []).append(tuple(words[start:end]))  # type: ignore[arg-type]
    return hits, found


def sector_hits(text: str) -> Counter[str]:
    """Cue hits per sector in ``text``, after removing boilerplate phrases. Exposed for tuning the data."""
    return _hits(Text(text, links=False))[0]


def company_override(company: str) -> str | None:
    companies = _companies()
    normalised = normalize_company(company)
    return companies.get(normalised) or companies.get(normalised.replace(" ", ""))


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
    return sector_from_text(Text(text, links=False))[0]
