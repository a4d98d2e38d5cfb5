"""The sector of a posting's employer, from the company override table, the source's default or text cues.

The rules and the reasons for them are documented at the top of ``config/sectors.toml``.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
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


_WORD = re.compile(r"[^\W_]+")


def _words(text: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(text.lower()))


@dataclass(frozen=True)
class _Phrases:
    """Phrases as word tuples, matched over a text's words: longest first, with an optional plural on the last word.

    Matching words against a dictionary is linear in the text, where one regex alternation of every cue was tried
    at every character and cost a millisecond per posting.
    """

    by_words: dict[tuple[str, ...], str]
    longest: int
    # The words a phrase can start with: most words of a text can't, and are passed over with one set lookup.
    starts: frozenset[str]

    @classmethod
    def of(cls, phrases: dict[str, str]) -> _Phrases:
        by_words = {_words(phrase): value for phrase, value in phrases.items() if _words(phrase)}
        return cls(by_words, max((len(k) for k in by_words), default=0), frozenset(k[0] for k in by_words))

    def _may_start(self, word: str) -> bool:
        starts = self.starts
        return (
            word in starts
            or (word.endswith("s") and word[:-1] in starts)
            or (word.endswith("es") and word[:-2] in starts)
        )

    def _lookup(self, words: tuple[str, ...]) -> str | None:
        found = self.by_words.get(words)
        if found is None:
            last = words[-1]
            for suffix in ("es", "s"):
                if last.endswith(suffix) and len(last) > len(suffix):
                    found = self.by_words.get((*words[:-1], last[: -len(suffix)]))
                    if found is not None:
                        break
        return found

    def scan(self, words: tuple[str, ...], skip: set[int] | None = None) -> list[tuple[int, int, str]]:
        """(start, end, value) of each match, left to right, never overlapping, avoiding positions in ``skip``."""
        matches = []
        i = 0
        while i < len(words):
            if (skip and i in skip) or not self._may_start(words[i]):
                i += 1
                continue
            for n in range(min(self.longest, len(words) - i), 0, -1):
                span = words[i : i + n]
                if skip and any(j in skip for j in range(i, i + n)):
                    continue
                value = self._lookup(span)
                if value is not None:
                    matches.append((i, i + n, value))
                    i += n
                    break
            else:
                i += 1
        return matches


@dataclass(frozen=True)
class _Cues:
    cues: _Phrases
    ignore: _Phrases
    companies: dict[str, str]


@functools.cache
def _cues() -> _Cues:
    missing = {TECHNOLOGY, OTHER} - set(sector_names())
    if missing:
        raise ValueError(f"sectors.toml: the classifier needs the sector(s) {sorted(missing)}")
    sector_of = {cue: sector.name for sector in load_sectors() for cue in sector.cues}
    companies = company_sectors()
    # Feed slugs drop the spaces of a name ("idealistconsulting" for Idealist Consulting).
    for name, sector in list(companies.items()):
        companies.setdefault(name.replace(" ", ""), sector)
    return _Cues(
        cues=_Phrases.of(sector_of),
        ignore=_Phrases.of(dict.fromkeys(sector_ignore_phrases(), "")),
        companies=companies,
    )


def sector_hits(text: str) -> Counter[str]:
    """Cue hits per sector in ``text``, after removing boilerplate phrases. Exposed for tuning the data."""
    cues = _cues()
    words = _words(text)
    ignored = {j for start, end, _ in cues.ignore.scan(words) for j in range(start, end)}
    return Counter(sector for _, _, sector in cues.cues.scan(words, ignored))


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
