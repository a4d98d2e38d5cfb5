"""Every classification of one posting in one call, each with the evidence that decided it.

``classify_posting`` prepares the title and the description once (``crawlers.classify.text.Text``: lower-cased,
folded to words) and hands them to each classifier, so a 5 KB description is lower-cased and split once, not once per
classifier. The classifiers are pure and driven by the data files in ``config/`` (skills.toml, sectors.toml,
roles.toml, regions.toml); what each reads, and in which order, is documented beside it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from crawlers.classify.regions import remote_regions
from crawlers.classify.remote import REMOTE, remote_status
from crawlers.classify.roles import backend, employment_type, seniority, skill_scope, visa
from crawlers.classify.sector import check_default, company_override, sector_from_company_name, sector_from_text
from crawlers.classify.skills import find_skills, title_skills
from crawlers.classify.text import Text, register_words, word_hits
from crawlers.parsers.salary import Salary, parse_salary

EVIDENCE_LENGTH = 120
# Cue phrases shown as the evidence of a sector found in the text.
_SECTOR_CUES_SHOWN = 3


@dataclass(frozen=True)
class PostingText:
    """The inputs: what the feed and normalisation say about one posting."""

    title: str
    description_text: str  # plain text, paragraphs separated by blank lines, list items start with "- "
    company: str = ""
    location: str = ""
    # The feed's own remote signal: bool, enum like "hybrid"/"Remote", or free text like "USA Only".
    remote_structured: str | bool | None = None
    remote_regions: tuple[str, ...] = ()  # regions the feed states, e.g. ("USA",), ("Europe", "UTC-3 to UTC+3")
    tags: tuple[str, ...] = ()
    seniority_raw: str | None = None  # the feed's own level value if any ("Senior", "Mid-level", "entry")
    employment_type_raw: str | None = None  # the feed's own value ("Full-time", "FULL_TIME", "Contract", ...)
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = None  # "year" | "month" | "week" | "day" | "hour" or None
    salary_text: str | None = None  # free text from a salary field, e.g. "$120k - $150k"
    all_remote_board: bool = False  # the source only lists remote jobs (RemoteOK, Remotive, WWR, ...)
    source_sector: str | None = None  # the source's configured default sector


@dataclass(frozen=True)
class Evidence:
    # Where it was found: "title", "description", "location", "tags", "feed" (a structured feed field), "company",
    # "config" (a company override / source default).
    field: str
    text: str  # the matched words, short (<= 120 chars), exactly as in the input where possible


@dataclass(frozen=True)
class Classification:
    skills: tuple[str, ...]  # canonical names, in taxonomy order
    remote: str  # "remote" | "hybrid" | "onsite" | "unknown"
    # Normalised allowed regions/time zones for restricted remote jobs, e.g. ("US",), ("EMEA",), ("CET±2",);
    # () when unrestricted or unknown.
    remote_regions: tuple[str, ...]
    sector: str  # one of the 12 sector names in config/sectors.toml
    seniority: str  # "intern" | "junior" | "mid" | "senior" | "lead" | "unknown"
    employment_type: str | None  # "full_time" | "part_time" | "contract" | "temporary" | "internship" | None
    visa_sponsorship: str  # "offered" | "not_offered" | "not_stated"
    is_backend: bool
    salary: Salary | None
    # Keys: "skill:<Name>" per skill found, "remote", "remote_regions", "sector", "seniority", "employment_type",
    # "visa_sponsorship", "is_backend", "salary"; a key is present when there is evidence.
    evidence: dict[str, tuple[Evidence, ...]]


# Evidence is immutable, and the same few pieces ("description", "Python") recur across postings: a frozen dataclass
# costs a microsecond to build, a cached one a tenth of that.
_shared_evidence = functools.lru_cache(maxsize=8192)(Evidence)


def _evidence(found: Iterable[tuple[str, str]]) -> tuple[Evidence, ...]:
    return tuple([_shared_evidence(field, text[:EVIDENCE_LENGTH]) for field, text in found if text])


def _sector(posting: PostingText, description: Text) -> tuple[str, tuple[Evidence, ...]]:
    check_default(posting.source_sector)
    override = company_override(posting.company) if posting.company else None
    if override is not None:
        return override, (_shared_evidence("config", posting.company[:EVIDENCE_LENGTH]),)
    if posting.source_sector is not None:
        return posting.source_sector, (_shared_evidence("config", posting.source_sector),)
    named = sector_from_company_name(posting.company) if posting.company else None
    if named is not None:
        return named[0], (_shared_evidence("company", posting.company[:EVIDENCE_LENGTH]),)
    sector, cues = sector_from_text(description)
    shown: list[str] = []
    for cue in cues:
        if len(shown) == _SECTOR_CUES_SHOWN:
            break
        written = description.locate(cue)
        if written.lower() not in {s.lower() for s in shown}:
            shown.append(written)
    return sector, tuple(_shared_evidence("description", text) for text in shown)


# parse_salary accepts a salary in a description only with a currency, written as a symbol or an upper-case ISO code,
# and reads an amount with at most 80 characters before it and a few words after it (crawlers/parsers/salary.py).
# Scanning a whole description for amounts costs more than everything else here, so it is handed only the lines that
# hold a currency, each with the lines before it back to 100 characters ("Salary:" on a line of its own), and nothing
# when there is none.
# test_classify_posting checks on the corpus that this never changes an answer.
# fmt: off
_CURRENCY_SYMBOLS = ("$", "€", "£", "¥", "₹", "₱", "zł")
_CURRENCY_CODES = frozenset({
    "USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "INR", "JPY", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "BRL",
    "MXN", "ZAR", "SGD", "HKD", "CNY", "ILS", "AED", "RON", "BGN", "UAH", "IDR", "KRW", "ARS", "CLP", "COP", "NGN",
    "KES", "PKR", "EGP", "THB", "MYR", "VND", "TRY", "PHP",
})
# fmt: on
_SINGLE_SYMBOLS = tuple(symbol for symbol in _CURRENCY_SYMBOLS if len(symbol) == 1)
_ZLOTY = re.compile("zł")
assert set(_CURRENCY_SYMBOLS) == {*_SINGLE_SYMBOLS, "zł"}
_LOOK_BACK = 100
_CODE_WORDS = frozenset(code.lower().encode() for code in _CURRENCY_CODES)
register_words(lambda: _CODE_WORDS)


def salary_lines(description: Text) -> str:
    """The part of a description that can state a salary: lines with a currency, and the lines before each."""
    text = description.text
    marks = []
    for symbol in _SINGLE_SYMBOLS:
        at = text.find(symbol)
        while at >= 0:
            marks.append(at)
            at = text.find(symbol, at + 1)
    # "zł": led by its literal "z", the regex engine finds it faster than ``str.find`` does a two-character string.
    marks += [found.start() for found in _ZLOTY.finditer(text)]
    # Codes are written in capitals; the words found say which can occur ("php" mostly names the language).
    hits = word_hits(description)
    if hits:
        for word in {word for word, _ in hits if word in _CODE_WORDS}:
            code = word.decode().upper()
            at = text.find(code)
            while at >= 0:
                marks.append(at)
                at = text.find(code, at + 1)
    if not marks:
        return ""
    # The chosen lines, as start -> end (the offset of the "\n" after it, or the text's length).
    chosen: dict[int, int] = {}
    read_back: set[int] = set()
    for mark in marks:
        start = text.rfind("\n", 0, mark) + 1
        if start in read_back:
            continue
        read_back.add(start)
        end = text.find("\n", mark)
        chosen[start] = len(text) if end < 0 else end
        # The lines before, back to 100 characters: a cue ("Salary Range") is read up to 80 characters back.
        room = _LOOK_BACK
        while start > 0 and room > 0:
            end = start - 1
            start = text.rfind("\n", 0, end) + 1
            chosen[start] = end
            room -= end - start + 1
    parts = []
    previous_end = -2
    for start in sorted(chosen):
        if parts and previous_end + 1 != start:
            parts.append("")  # a blank line where lines were left out, so no figure meets one it did not meet
        previous_end = chosen[start]
        parts.append(text[start:previous_end])
    return "\n".join(parts)


def _salary(posting: PostingText, description: Text) -> tuple[Salary | None, tuple[Evidence, ...]]:
    salary = parse_salary(
        posting.salary_text,
        minimum=posting.salary_min,
        maximum=posting.salary_max,
        currency=posting.salary_currency,
        period=posting.salary_period,
        description=salary_lines(description),
    )
    if salary is None:
        return None, ()
    # parse_salary reads the structured values, then the salary field, then the description: the evidence of a
    # salary read from the description is a piece of it.
    structured = posting.salary_min is not None or posting.salary_max is not None
    from_field = bool(posting.salary_text) and salary.evidence in posting.salary_text  # type: ignore[operator]
    in_description = bool(salary.evidence) and salary.evidence in posting.description_text
    field = "description" if in_description and not (structured or from_field) else "feed"
    return salary, ((Evidence(field, salary.evidence[:EVIDENCE_LENGTH]),) if salary.evidence else ())


@functools.lru_cache(maxsize=8192)
def _title_text(title: str) -> Text:
    """A title prepared once: boards repeat their titles, and nothing here writes to a title's memo."""
    return Text(title)


def classify_posting(posting: PostingText) -> Classification:
    """Skills, remote status and regions, sector, seniority, employment type, visa sponsorship, back-end relevance and
    salary of one posting, with the evidence for each."""
    title = _title_text(posting.title)
    description = Text(posting.description_text)
    evidence: dict[str, tuple[Evidence, ...]] = {}

    # The title's family (roles.toml) says which skills count: none for a sales or design role, only the
    # requirements' for an engineering-adjacent one ("Sales Engineer", "Technical Writer").
    named_in_title = dict(title_skills(posting.title))
    scope = skill_scope(posting.title, tuple(named_in_title))
    # Feed tags are the board's categories, not the posting's words: they back a skill the text names, and never
    # add one (on the labelled postings they added no skill a reader found, and a dozen nobody asked for). Each
    # skill's places come title, description, tags, in that order: one led by "tags" has no other.
    skills = {
        name: found
        for name, found in find_skills(title, description, posting.tags, scope=scope).items()
        if found[0][0] != "tags"
    }
    description_skills: dict[str, str] = {}
    for name, found in skills.items():
        evidence[f"skill:{name}"] = _evidence(found)
        for field, written in found:
            if field == "description":
                description_skills.setdefault(name, written)

    remote, found = remote_status(
        structured=posting.remote_structured,
        location=posting.location,
        title=posting.title,
        description=description,
        all_remote_board=posting.all_remote_board,
    )
    evidence["remote"] = _evidence(found)
    regions: tuple[str, ...] = ()
    if remote == REMOTE:
        regions, found = remote_regions(
            feed_regions=posting.remote_regions,
            structured=posting.remote_structured,
            location=posting.location,
            title=posting.title,
        )
        evidence["remote_regions"] = _evidence(found)

    sector, evidence["sector"] = _sector(posting, description)
    level, found = seniority(posting.title, posting.seniority_raw, description)
    evidence["seniority"] = _evidence(found)
    employment, found = employment_type(posting.title, posting.employment_type_raw, description)
    evidence["employment_type"] = _evidence(found)
    sponsorship, found = visa(description, posting.title)
    evidence["visa_sponsorship"] = _evidence(found)
    is_backend, found = backend(posting.title, named_in_title, description_skills)
    evidence["is_backend"] = _evidence(found)
    salary, evidence["salary"] = _salary(posting, description)

    return Classification(
        skills=tuple(skills),
        remote=remote,
        remote_regions=regions,
        sector=sector,
        seniority=level,
        employment_type=employment,
        visa_sponsorship=sponsorship,
        is_backend=is_backend,
        salary=salary,
        evidence={key: value for key, value in evidence.items() if value},
    )
