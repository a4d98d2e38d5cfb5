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
from crawlers.classify.text import Text, register_words, word_hits

TECHNOLOGY = "Technology"
OTHER = "Other"
# A winner needs this many cue hits, and this many times the runner-up's.
_MIN_HITS = 4
_MIN_LEAD = 1.5


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


# Where an employer describes itself: the opening of a description, and the section under an "About <employer>" or
# "Who we are" heading (boards put it first or last). Cues there count _INTRO_WEIGHT more
# times than cues elsewhere, which describe the role, the customers and the benefits.
_OPENING = 600  # characters
_ABOUT = 600  # characters after the heading
_INTRO_WEIGHT = 2
# A cue repeated counts this many times at most: a logistics role at a staffing firm names "logistics" a dozen times.
_REPEATS = 2
# Headings, on a short line of their own after at most a lead ("A little more about us") and marks or emoji. The
# shared word scan (``word_hits``) finds their first words; only the lines those stand on are read. ("Company
# description" and "Our company" head the opening, which counts anyway.)
_HEADINGS = ("about ", "who we are", "who are we")
_LEADS = ("", "more ", "a little more ", "a bit ", "a little bit ", "learn more ")
_STARTS = tuple(lead + heading for heading in _HEADINGS for lead in (_LEADS if heading == "about " else ("",)))
_HEADING_WORDS = frozenset({b"about", b"who"})
_HEADING_LINE = 50  # characters at most
_HEADING_MARKS = " \t:;,.!?-–—#*•·|()[]🌎🚀"
# "About ..." headings that introduce something other than the employer ("About the role & team").
_NOT_THE_EMPLOYER = (
    "the role",
    "this role",
    "the position",
    "this position",
    "the job",
    "this job",
    "you",
    "the opportunity",
    "this opportunity",
    "our benefits",
    "the benefits",
    "benefits",
    "the team",
    "the project",
)
register_words(lambda: _HEADING_WORDS)


def about_sections(scanned: Text) -> list[tuple[int, str]]:
    """Where each section that introduces the employer starts (a character offset), and the name its heading gives
    ("About Pearl Talent": "pearl talent"; "" for "Who we are")."""
    lower = scanned.lower
    found = []
    done = -1
    for word, at in word_hits(scanned):
        if word not in _HEADING_WORDS or at < done:
            continue
        line_end = lower.find("\n", at)
        if line_end < 0:
            line_end = len(lower)
        done = line_end
        line_start = lower.rfind("\n", 0, at) + 1
        if line_end - line_start > _HEADING_LINE:
            continue
        line = lower[line_start:line_end].strip(_HEADING_MARKS)
        if not line.startswith(_STARTS):
            continue
        about = -1 if line.startswith("who") else line.find("about ")
        name = line[about + 6 :].strip(_HEADING_MARKS) if about >= 0 else ""
        if not name.startswith(_NOT_THE_EMPLOYER):
            found.append((line_end, name))
    return found


def _scores(scanned: Text) -> tuple[dict[str, float], dict[str, list[tuple[bytes, ...]]]]:
    """Each sector's weighted cue hits, and its cues as found, those of the introduction first."""
    sections = []
    scores: dict[str, float] = {}
    found: dict[str, list[tuple[bytes, ...]]] = {}
    for at, name in about_sections(scanned):
        sections.append((at, at + _ABOUT))
        named = sector_from_company_name(name) if name else None
        if named is not None:
            scores[named[0]] = scores.get(named[0], 0) + 1 + _INTRO_WEIGHT
            found.setdefault(named[0], []).append(tuple(word.encode() for word in named[1].split()))
    padded = scanned.padded
    seen: dict[tuple[tuple[bytes, ...], bool], int] = {}
    later: dict[str, list[tuple[bytes, ...]]] = {}
    position = 0
    last = max(_OPENING, sections[-1][1]) if sections else _OPENING
    for words, sector in matches(scanned, SECTOR):
        # Matches come in text order: the first place after the last match where the first word stands is this one's
        # (looked up only until past the introduction).
        at = last
        if position < last:
            first = b" " + words[0] + b" "
            at = padded.find(first, position, last + len(first))
            position = last if at < 0 else at + len(first) - 1
            if at < 0:
                at = last
        if sector is None:
            continue
        introduces = at < _OPENING
        if not introduces and at < last:
            for start, end in sections:
                if start <= at < end:
                    introduces = True
                    break
        key = (words, introduces)
        repeats = seen[key] = seen.get(key, 0) + 1
        if repeats > _REPEATS:
            continue
        if introduces:
            scores[sector] = scores.get(sector, 0) + 1 + _INTRO_WEIGHT
            found.setdefault(sector, []).append(words)
        else:
            scores[sector] = scores.get(sector, 0) + 1
            later.setdefault(sector, []).append(words)
    for sector, words in later.items():
        found.setdefault(sector, []).extend(words)
    return scores, found


def sector_from_text(scanned: Text) -> tuple[str, list[tuple[bytes, ...]]]:
    """The sector the text's cues point to, and the cues that decided (none when no sector wins: "Technology").

    A cue counts once (a repeated cue twice at most), and ``1 + _INTRO_WEIGHT`` times where the employer introduces
    itself; a sector's company word in the name of an "About ..." heading ("About Pearl Talent") counts as a cue there.
    """
    scores, found = _scores(scanned)
    technology = scores.pop(TECHNOLOGY, 0)
    if scores:
        ranked = sorted(scores.items(), key=lambda item: -item[1])
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
