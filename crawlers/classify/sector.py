"""The sector of a posting's employer, from the company override table, the source's default or text cues.

The rules and the reasons for them are documented at the top of ``config/sectors.toml``.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from config.taxonomy import (
    company_sectors,
    load_sectors,
    normalize_company,
    sector_ignore_phrases,
    sector_names,
)

TECHNOLOGY = "Technology"
OTHER = "Other"
# A winner needs this many cue hits, and this many times the runner-up's.
_MIN_HITS = 2
_MIN_LEAD = 2


@dataclass(frozen=True)
class _Cues:
    pattern: re.Pattern[str]
    sector_of: dict[str, str]
    ignore: re.Pattern[str] | None
    companies: dict[str, str]


def _phrase(text: str) -> str:
    return r"\s+".join(re.escape(word) for word in text.split())


def _alternation(phrases: Iterable[str]) -> str:
    # Longest first, so "banking" is read as itself and not as "bank" followed by junk.
    return "|".join(_phrase(phrase) for phrase in sorted(phrases, key=len, reverse=True))


@functools.cache
def _cues() -> _Cues:
    missing = {TECHNOLOGY, OTHER} - set(sector_names())
    if missing:
        raise ValueError(f"sectors.toml: the classifier needs the sector(s) {sorted(missing)}")
    sector_of = {cue: sector.name for sector in load_sectors() for cue in sector.cues}
    pattern = re.compile(rf"(?<!\w)(?:{_alternation(sector_of)})(?:e?s)?(?!\w)", re.IGNORECASE)
    phrases = sector_ignore_phrases()
    ignore = re.compile(rf"(?<!\w)(?:{_alternation(phrases)})(?:e?s)?(?!\w)", re.IGNORECASE) if phrases else None
    companies = company_sectors()
    # Feed slugs drop the spaces of a name ("idealistconsulting" for Idealist Consulting).
    for name, sector in list(companies.items()):
        companies.setdefault(name.replace(" ", ""), sector)
    return _Cues(pattern=pattern, sector_of=sector_of, ignore=ignore, companies=companies)


def _cue_of(match: str, sector_of: dict[str, str]) -> str:
    key = " ".join(match.lower().split())
    if key in sector_of:
        return sector_of[key]
    for suffix in ("es", "s"):
        if key.endswith(suffix) and key[: -len(suffix)] in sector_of:
            return sector_of[key[: -len(suffix)]]
    raise LookupError(key)  # unreachable: the pattern only matches cues


def sector_hits(text: str) -> Counter[str]:
    """Cue hits per sector in ``text``, after removing boilerplate phrases. Exposed for tuning the data."""
    cues = _cues()
    if cues.ignore is not None:
        text = cues.ignore.sub(" ", text)
    return Counter(_cue_of(match.group(), cues.sector_of) for match in cues.pattern.finditer(text))


def classify_sector(company: str, text: str = "", default: str | None = None) -> str:
    """One of ``sector_names()``: company override, then the source default, then text cues."""
    # A bad default is a crawler configuration bug: refuse it even when the company table would answer.
    if default is not None and default not in sector_names():
        raise ValueError(f"unknown default sector {default!r}; expected one of {', '.join(sector_names())}")
    cues = _cues()
    normalised = normalize_company(company)
    override = cues.companies.get(normalised) or cues.companies.get(normalised.replace(" ", ""))
    if override is not None:
        return override
    if default is not None:
        return default
    hits = sector_hits(text)
    technology = hits.pop(TECHNOLOGY, 0)
    ranked = hits.most_common(2)
    if ranked:
        best, count = ranked[0]
        runner_up = max(ranked[1][1] if len(ranked) > 1 else 0, technology)
        if count >= _MIN_HITS and count >= _MIN_LEAD * runner_up:
            return best
    return TECHNOLOGY if technology else OTHER
