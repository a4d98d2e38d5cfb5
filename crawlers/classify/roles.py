"""What kind of job a posting is: back-end or not, seniority, employment type and visa sponsorship.

All the words live in ``config/roles.toml``, with the rules' reasons. Each function returns its answer and the
evidence that decided it, as (field, words as written) pairs; the title-only parts are cached, because boards repeat
the same titles over and over.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from config.taxonomy import EMPLOYMENT_TYPES, SENIORITY_LEVELS, TitleFamily, load_roles
from crawlers.classify.cues import EMPLOYMENT, matches
from crawlers.classify.text import Phrases, Text, lower_same_length

Found = tuple[str, str]  # (field, words as written)

UNKNOWN = "unknown"
_LEAD, _INTERN = "lead", "intern"
_ORDER = {level: rank for rank, level in enumerate(SENIORITY_LEVELS)}
_KEY = re.compile(r"[^a-z0-9]+")


def _key(value: str) -> str:
    return _KEY.sub("", value.casefold())


@dataclass(frozen=True)
class _Tables:
    families: tuple[TitleFamily, ...]
    family_phrases: Phrases  # phrase -> family index
    family_skills: dict[str, int]  # skill -> first family index listing it
    server: frozenset[str]
    client: frozenset[str]
    min_server: int
    software: Phrases  # title phrases that name software work ([stack] software)
    seniority_feed: dict[str, str]
    seniority_title: Phrases
    years_mid: int
    years_senior: int
    employment_feed: tuple[tuple[str, str], ...]  # (value key, type), longest key first
    employment_title: Phrases
    visa_negation: re.Pattern[str]
    visa_unavailable: re.Pattern[str]
    visa_offered: re.Pattern[str]


def _first_wins(table: Mapping[str, tuple[str, ...]], order: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for value in order:
        for phrase in table.get(value, ()):
            out.setdefault(phrase, value)
    return out


def _alternation(phrases: Iterable[str]) -> str:
    # Apostrophes as written in feeds: ' and ’. Spaces: any run of whitespace.
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        escaped = re.escape(phrase).replace("'", "['’]").replace(r"\ ", r"\s+")
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")"


@functools.cache
def _tables() -> _Tables:
    roles = load_roles()
    family_phrases: dict[str, int] = {}
    family_skills: dict[str, int] = {}
    for index, family in enumerate(roles.families):
        for phrase in family.phrases:
            family_phrases.setdefault(phrase, index)
        for skill in family.skills:
            family_skills.setdefault(skill, index)
    employment_feed = {_key(value): kind for kind in EMPLOYMENT_TYPES for value in roles.employment_feed.get(kind, ())}
    visa = roles.visa
    return _Tables(
        families=roles.families,
        family_phrases=Phrases(family_phrases),
        family_skills=family_skills,
        server=frozenset(roles.stack_server),
        client=frozenset(roles.stack_client),
        min_server=roles.stack_min_server,
        software=Phrases(dict.fromkeys(roles.stack_software, True)),
        seniority_feed={_key(value): level for level, values in roles.seniority_feed.items() for value in values},
        seniority_title=Phrases(
            {phrase: level for level, phrases in roles.seniority_title.items() for phrase in phrases}
        ),
        years_mid=roles.years_mid,
        years_senior=roles.years_senior,
        employment_feed=tuple(sorted(employment_feed.items(), key=lambda item: -len(item[0]))),
        employment_title=Phrases(_first_wins(roles.employment_title, EMPLOYMENT_TYPES)),
        # A negation in the same clause before the mention: "we are unable to offer visa sponsorship".
        visa_negation=re.compile(r"(?<![a-z])" + _alternation(visa["negations"]) + r"(?![a-z])[^.;:!?\n]{0,60}$"),
        visa_unavailable=re.compile(r"^[a-z]*[^.;:!?\n]{0,25}?(?<![a-z])" + _alternation(visa["unavailable"])),
        visa_offered=re.compile(r"(?<![a-z])" + _alternation(visa["offered"]) + r"(?![a-z])"),
    )


# --- back-end relevance -----------------------------------------------------------------------------------------


_HEAD = re.compile(r"\s+[-–—|:]\s+|[,(\[|]")


def _family_in(text: str, title_skills: tuple[str, ...]) -> tuple[int, str] | None:
    """The first family (in file order) with a phrase or a skill in ``text``, and the words that matched."""
    tables = _tables()
    scanned = Text(text, links=False)
    best: tuple[int, str] | None = None
    for words, index in tables.family_phrases.scan(scanned):
        if best is None or index < best[0]:  # type: ignore[operator]
            best = (index, scanned.locate(words))  # type: ignore[assignment]
    lowered = text.lower()
    for skill in title_skills:
        index = tables.family_skills.get(skill)
        if index is not None and (best is None or index < best[0]) and skill.lower() in lowered:
            best = (index, skill)
    return best


@functools.lru_cache(maxsize=8192)
def _title_family(title: str, title_skills: tuple[str, ...]) -> tuple[int | None, str]:
    """The family a title belongs to, and the title's words that put it there.

    The role is named first ("Full Stack Engineer - UI/UX", "Backend Engineer (Mid-level & Senior)"), so the first
    segment decides; the rest of the title is read when the first says nothing, or only a generic title that a
    qualifier makes specific ("Software Engineer, Frontend", "Senior Software Engineer, Backend").
    """
    tables = _tables()
    head = _HEAD.split(title, maxsplit=1)
    found = _family_in(head[0], title_skills)
    if len(head) > 1 and (found is None or tables.families[found[0]].backend == "stack"):
        rest = _family_in(head[1], title_skills)
        if rest is not None and (found is None or tables.families[rest[0]].backend != "stack"):
            found = rest
    return found if found is not None else (None, "")


@functools.lru_cache(maxsize=8192)
def _software_words(title: str) -> str | None:
    """The title's words that name software work ([stack] software in roles.toml), as written; None if none do."""
    scanned = Text(title, links=False)
    for words, _ in _tables().software.scan(scanned):
        return scanned.locate(words)
    return None


def skill_scope(title: str, title_skills: tuple[str, ...] = ()) -> str:
    """Which description skills a posting with this title reports: "all", "requirements" or "none" (the
    ``description_skills`` of its title family in roles.toml; "all" for a title no family knows)."""
    index, _ = _title_family(title, title_skills)
    return "all" if index is None else _tables().families[index].description_skills


def backend(
    title: str, title_skills: Mapping[str, str], description_skills: Mapping[str, str]
) -> tuple[bool, tuple[Found, ...]]:
    """Whether the posting is a back-end role, from its title and, for a generic title, its description's stack.

    ``title_skills`` and ``description_skills`` map the skills each field names to their words as written.
    """
    tables = _tables()
    index, words = _title_family(title, tuple(title_skills))
    if index is None:
        return False, ()
    verdict = tables.families[index].backend
    if verdict != "stack":
        return bool(verdict), (("title", words),)
    server = [written for skill, written in description_skills.items() if skill in tables.server]
    client = [written for skill, written in description_skills.items() if skill in tables.client]
    is_backend = len(server) >= tables.min_server or (len(server) == 1 and not client)
    if not server and not client:
        # No stack either way: a title that names software work ("Senior Software Engineer") is taken as back-end.
        software = _software_words(title)
        if software is not None:
            return True, (("title", software),)
    stack = ", ".join(server if is_backend else (client or server))[:120]
    evidence: tuple[Found, ...] = (("title", words),)
    if stack:
        evidence += (("description", stack),)
    return is_backend, evidence


# --- seniority --------------------------------------------------------------------------------------------------

# "5+ years", "3-5 years", "at least 4 years", "minimum of 2 yrs": the number right before "year(s)"/"yrs".
_YEARS = re.compile(r"(\d{1,2})\s*(?:\+|plus)?\s*(?:(?:-|–|to)\s*\d{1,2}\s*\+?\s*)?(?:years?|yrs?)\b", re.IGNORECASE)
_EXPERIENCE_AFTER = re.compile(
    r"[^.;\n]{0,60}?\b(?:experience|exp\b|professional|industry|working|hands-on|of\s+\w+\s+development)"
)
_EXPERIENCE_BEFORE = re.compile(r"\b(?:experience|exp)\b[^.;\n]{0,40}$")


# Two levels joined as a range: "Senior/Staff", "Mid-Senior", "Senior or Principal".
_LEVEL_WORD = r"(?:intern|junior|jr|mid|intermediate|senior|sr|staff|principal|lead)"
_RANGE = re.compile(rf"(?<![a-z]){_LEVEL_WORD}\.?\s*(?:/|-|–|\bto\b|\bor\b)\s*{_LEVEL_WORD}(?![a-z])")


@functools.lru_cache(maxsize=4096)
def _feed_level(value: str) -> str | None:
    return _tables().seniority_feed.get(_key(value))


@functools.lru_cache(maxsize=8192)
def _title_level(title: str) -> tuple[str, str] | None:
    scanned = Text(title, links=False)
    found = [(level, words) for words, level in _tables().seniority_title.scan(scanned)]
    if not found:
        return None
    levels = {level for level, _ in found}
    # A lead phrase makes a lead ("Senior Director") unless the title names a range ("Senior/Staff"); else an intern
    # phrase makes an intern; else the lowest level named ("Mid/Senior").
    lead = _LEAD in levels and not _RANGE.search(title.lower())
    level = _LEAD if lead else _INTERN if _INTERN in levels else min(levels, key=_ORDER.__getitem__)
    words = next(words for found_level, words in found if found_level == level)
    return level, scanned.locate(words)  # type: ignore[return-value]


# Where "year", "yrs" or "yr " stand. One scan finds all three: each starts with the only "y" it holds, so they never
# overlap, and led by a literal "y" the regex engine skips ahead as fast as ``str.find`` does for one of them.
_ANCHORS = ("year", "yrs", "yr ")
_ANCHOR = re.compile(r"y(?:ear|rs|r )")


def _years(description: Text) -> tuple[int, str] | None:
    lower = description.lower
    best: tuple[int, str] | None = None
    places: dict[str, list[int]] = {anchor: [] for anchor in _ANCHORS}
    for found in _ANCHOR.finditer(lower):
        places[found[0]].append(found.start())
    # Every "year" first, then every "yrs", then every "yr ", each in text order: the first of the most years wins.
    for anchor in _ANCHORS:
        for at in places[anchor]:
            # Only the words just before each "year": a regex over the whole description costs tens of microseconds.
            start = max(0, at - 24)
            match = _YEARS.search(lower, start, at + len(anchor) + 2)
            if match is None:
                continue
            years = int(match[1])
            if not 0 < years <= 20:
                continue
            after = _EXPERIENCE_AFTER.match(lower, match.end())
            before = _EXPERIENCE_BEFORE.search(lower, max(0, match.start() - 40), match.start())
            if after is None and before is None:
                continue
            if best is None or years > best[0]:
                end = after.end() if after is not None else match.end()
                begin = before.start() if before is not None and after is None else match.start()
                best = (years, description.text[begin:end][:120])
    return best


def seniority(title: str, feed_value: str | None, description: Text) -> tuple[str, tuple[Found, ...]]:
    """The level the title names, else the feed's structured level, else the years of experience asked for."""
    from_title = _title_level(title)
    if from_title is not None:
        return from_title[0], (("title", from_title[1]),)
    if feed_value:
        level = _feed_level(feed_value)
        if level is not None:
            return level, (("feed", feed_value[:120]),)
    years = _years(description)
    if years is not None:
        tables = _tables()
        count, words = years
        level = "junior" if count < tables.years_mid else "mid" if count < tables.years_senior else "senior"
        return level, (("description", words),)
    return UNKNOWN, ()


# --- employment type --------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=1024)
def _feed_employment(value: str) -> str | None:
    key = _key(value)
    if not key:
        return None
    exact = dict(_tables().employment_feed).get(key)
    if exact is not None:
        return exact
    # "CONTRACT (1099), 10-20 hrs/week", "Contract / Part-time": the type named first.
    words = [_key(word) for word in re.split(r"[\s/,;()|]+", value) if _key(word)]
    for word in words:
        for known, kind in _tables().employment_feed:
            if word == known:
                return kind
    return None


@functools.lru_cache(maxsize=8192)
def _title_employment(title: str) -> tuple[str, str] | None:
    scanned = Text(title, links=False)
    for words, kind in _tables().employment_title.scan(scanned):
        return kind, scanned.locate(words)  # type: ignore[return-value]
    return None


def employment_type(title: str, feed_value: str | None, description: Text) -> tuple[str | None, tuple[Found, ...]]:
    if feed_value:
        kind = _feed_employment(feed_value)
        if kind is not None:
            return kind, (("feed", feed_value[:120]),)
    from_title = _title_employment(title)
    if from_title is not None:
        return from_title[0], (("title", from_title[1]),)
    for words, kind in matches(description, EMPLOYMENT):
        return kind, (("description", description.locate(words)),)  # type: ignore[return-value]
    return None, ()


# --- visa sponsorship -------------------------------------------------------------------------------------------

OFFERED, NOT_OFFERED, NOT_STATED = "offered", "not_offered", "not_stated"


def _clause(text: str, start: int, end: int) -> str:
    """The words around a mention, cut at sentence ends, for evidence."""
    left = max(text.rfind(".", 0, start), text.rfind("\n", 0, start), start - 80) + 1
    right_candidates = [i for i in (text.find(".", end), text.find("\n", end)) if i >= 0]
    right = min([*right_candidates, end + 60, len(text)])
    return " ".join(text[left:right].split())[:120]


def visa(description: Text, title: str = "") -> tuple[str, tuple[Found, ...]]:
    """Offered, not offered, or not stated, from what the text says around "sponsor" and "visa"."""
    tables = _tables()
    for field in ("description", "title"):
        if field == "title":
            title_lower = lower_same_length(title)
            if "sponsor" not in title_lower and "visa" not in title_lower:
                break
            scanned = Text(title, links=False)
        else:
            scanned = description
        lower = scanned.lower
        if "sponsor" not in lower and "visa" not in lower:
            continue
        offered: tuple[Found, ...] = ()
        for anchor in ("sponsor", "visa"):
            at = lower.find(anchor)
            while at >= 0:
                before = lower[max(0, at - 90) : at]
                after = lower[at : at + 60]
                if tables.visa_negation.search(before) or tables.visa_unavailable.match(after):
                    return NOT_OFFERED, ((field, _clause(scanned.text, at, at + len(anchor))),)
                if not offered:
                    window = lower[max(0, at - 40) : at + 60]
                    if tables.visa_offered.search(window):
                        offered = ((field, _clause(scanned.text, at, at + len(anchor))),)
                at = lower.find(anchor, at + len(anchor))
        if offered:
            return OFFERED, offered
    return NOT_STATED, ()
