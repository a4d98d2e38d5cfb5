"""Typed, validated loaders for the classification data: skills.toml, sectors.toml, roles.toml and regions.toml.

The data files are the place to tune classification; this module only reads them and refuses a malformed file
loudly at first use, naming the file and the entry, so a bad edit fails the test suite instead of silently
dropping a skill or a sector. Standard library only: config is the bottom layer.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Any

SKILLS_FILE = "skills.toml"
SECTORS_FILE = "sectors.toml"
ROLES_FILE = "roles.toml"
REGIONS_FILE = "regions.toml"

REMOTE_STATUSES = ("remote", "hybrid", "onsite", "unknown")
SENIORITY_LEVELS = ("intern", "junior", "mid", "senior", "lead")
EMPLOYMENT_TYPES = ("full_time", "part_time", "contract", "temporary", "internship")
# Which description skills a title family's postings report (roles.toml): all of them, only those in requirement
# sections, or none.
SKILL_SCOPES = ("all", "requirements", "none")
# Kinds of description section a heading opens (roles.toml [headings]).
HEADING_KINDS = ("company", "requirements", "role")
SKILL_CATEGORIES = (
    "language",
    "framework",
    "database",
    "messaging",
    "data",
    "api",
    "cloud",
    "devops",
    "frontend",
    "practice",
)
# Rule placeholders, documented at the top of skills.toml.
SKILL_PLACEHOLDER = "{skill}"
SEP_PLACEHOLDER = "{sep}"
VERSION_PLACEHOLDER = "{version}"
_PLACEHOLDERS = frozenset({SKILL_PLACEHOLDER, SEP_PLACEHOLDER, VERSION_PLACEHOLDER})
_RULE_TOKEN = re.compile(r"\[[^\]]*\]|\{[^}]*\}|[^\s\[{]+")


@dataclass(frozen=True)
class ContextRule:
    """One context rule of an ambiguous spelling, parsed from its phrase in skills.toml.

    ``before`` and ``after`` hold the tokens on each side of the bracketed term: a placeholder such as
    ``{sep}``, or literal words where ``a|b`` means either.
    """

    text: str
    term: str
    before: tuple[str, ...]
    after: tuple[str, ...]
    veto: bool

    @property
    def bare(self) -> bool:
        """A rule with nothing but the term only fixes the capitalisation."""
        return not self.before and not self.after


@dataclass(frozen=True)
class Skill:
    name: str
    category: str
    aliases: tuple[str, ...]
    context: tuple[ContextRule, ...]

    @property
    def spellings(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def guarded(self) -> frozenset[str]:
        """Lower-cased spellings that count only where a positive context rule fits."""
        return frozenset(rule.term.lower() for rule in self.context if not rule.veto)


@dataclass(frozen=True)
class Sector:
    name: str
    cues: tuple[str, ...]
    # Words that, in an employer's name, name its sector ("Omada Health", "Eleventh Hour Games").
    company_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class SectorTaxonomy:
    sectors: tuple[Sector, ...]
    companies: Mapping[str, str]
    ignore: tuple[str, ...]


# Legal forms, and the descriptive words companies tack on, that feeds include or leave out at random.
# fmt: off
_COMPANY_SUFFIXES = frozenset({
    "inc", "incorporated", "llc", "llp", "lp", "ltd", "limited", "plc", "corp", "corporation", "co", "company",
    "gmbh", "mbh", "ag", "kg", "ug", "se", "sa", "sas", "sarl", "srl", "spa", "bv", "nv", "oy", "ab", "asa", "aps",
    "pty", "pte", "pvt", "sl", "sro", "kft", "zrt",
    "technologies", "technology", "labs", "holdings", "group", "hq",
})
# fmt: on


def normalize_company(name: str) -> str:
    """The form company names take as keys of the override table.

    Case, punctuation, a leading "The" and trailing legal or descriptive suffixes ("Inc", "GmbH", "Labs") are
    dropped, so "Stripe, Inc." and "stripe" meet. A name made only of suffixes keeps its words.
    """
    # Dots and apostrophes join ("S.A." -> "sa", "Macy's" -> "macys"); other punctuation separates words.
    joined = re.sub(r"[.'’]", "", name.casefold())
    words = re.sub(r"[^\w&]+", " ", joined).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in _COMPANY_SUFFIXES:
        words.pop()
    return " ".join(words)


def _where(source: str, kind: str, index: int, entry: Mapping[str, Any]) -> str:
    name = entry.get("name")
    label = f"{kind} #{index + 1}" + (f" ({name!r})" if isinstance(name, str) else "")
    return f"{source}: {label}"


def _load_toml(text: str, source: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{source}: not valid TOML: {exc}") from exc


def _check_fields(entry: Any, where: str, required: Mapping[str, type], optional: Mapping[str, type]) -> None:
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: expected a table, got {type(entry).__name__}")
    for field in required:
        if field not in entry:
            raise ValueError(f"{where}: missing field {field!r}")
    for field, value in entry.items():
        kind = required.get(field) or optional.get(field)
        if kind is None:
            raise ValueError(f"{where}: unknown field {field!r}")
        if not isinstance(value, kind):
            raise ValueError(f"{where}: field {field!r} must be a {kind.__name__}")


def _string_list(value: list[Any], where: str, field: str) -> tuple[str, ...]:
    if not all(isinstance(item, str) and item.strip() for item in value):
        raise ValueError(f"{where}: {field!r} must hold non-empty strings")
    return tuple(item.strip() for item in value)


def parse_context_rule(text: str, spellings: tuple[str, ...], where: str) -> ContextRule:
    """Parse one rule phrase; ``spellings`` are the skill's name and aliases, which the term must be one of."""
    veto = text.startswith("!")
    tokens = _RULE_TOKEN.findall(text[1:] if veto else text)
    terms = [i for i, token in enumerate(tokens) if token.startswith("[")]
    if len(terms) != 1:
        raise ValueError(f"{where}: context rule {text!r} must put exactly one spelling in [brackets]")
    position = terms[0]
    term = tokens[position][1:-1].strip()
    if term.lower() not in {spelling.lower() for spelling in spellings}:
        raise ValueError(f"{where}: context rule {text!r} brackets {term!r}, which is not the name or an alias")
    before, after = tuple(tokens[:position]), tuple(tokens[position + 1 :])
    for token in before + after:
        if token.startswith("{") and token not in _PLACEHOLDERS:
            raise ValueError(f"{where}: context rule {text!r} has unknown placeholder {token!r}")
        if not token.startswith("{") and any(not word for word in token.split("|")):
            raise ValueError(f"{where}: context rule {text!r} has an empty alternative in {token!r}")
    if SKILL_PLACEHOLDER in after[:-1] or SKILL_PLACEHOLDER in before[1:]:
        raise ValueError(f"{where}: context rule {text!r} may use {{skill}} only at its start or end")
    if veto and SKILL_PLACEHOLDER in before + after:
        raise ValueError(f"{where}: veto rule {text!r} cannot use {{skill}}")
    return ContextRule(text=text, term=term, before=before, after=after, veto=veto)


def parse_skills(text: str, source: str = SKILLS_FILE) -> tuple[Skill, ...]:
    """Parse and validate the skill taxonomy; raise ValueError naming ``source`` and the bad entry."""
    document = _load_toml(text, source)
    unknown = set(document) - {"skill"}
    if unknown:
        raise ValueError(f"{source}: unknown top-level key(s) {sorted(unknown)}; expected [[skill]] entries")
    entries = document.get("skill")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{source}: no [[skill]] entries")
    skills: list[Skill] = []
    seen: dict[str, str] = {}
    for index, entry in enumerate(entries):
        where = _where(source, "skill", index, entry if isinstance(entry, dict) else {})
        _check_fields(
            entry,
            where,
            required={"name": str, "category": str},
            optional={"aliases": list, "context": list},
        )
        name = entry["name"].strip()
        if not name:
            raise ValueError(f"{where}: empty name")
        if name.lower() in seen:
            raise ValueError(f"{where}: duplicate name (already used by {seen[name.lower()]!r})")
        seen[name.lower()] = name
        category = entry["category"]
        if category not in SKILL_CATEGORIES:
            raise ValueError(f"{where}: unknown category {category!r}; expected one of {', '.join(SKILL_CATEGORIES)}")
        aliases = _string_list(entry.get("aliases", []), where, "aliases")
        lowered = [spelling.lower() for spelling in (name, *aliases)]
        if len(set(lowered)) != len(lowered):
            raise ValueError(f"{where}: a spelling is listed twice (names and aliases compare case-insensitively)")
        rules = tuple(
            parse_context_rule(rule, (name, *aliases), where)
            for rule in _string_list(entry.get("context", []), where, "context")
        )
        skills.append(Skill(name=name, category=category, aliases=aliases, context=rules))
    return tuple(skills)


def parse_sectors(text: str, source: str = SECTORS_FILE) -> SectorTaxonomy:
    """Parse and validate the sector list, company overrides and ignored phrases."""
    document = _load_toml(text, source)
    unknown = set(document) - {"sector", "companies", "ignore"}
    if unknown:
        raise ValueError(f"{source}: unknown top-level key(s) {sorted(unknown)}")
    entries = document.get("sector")
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{source}: no [[sector]] entries")
    sectors: list[Sector] = []
    cue_owner: dict[str, str] = {}
    word_owner: dict[str, str] = {}
    for index, entry in enumerate(entries):
        where = _where(source, "sector", index, entry if isinstance(entry, dict) else {})
        _check_fields(entry, where, required={"name": str, "cues": list}, optional={"company_words": list})
        name = entry["name"].strip()
        if not name:
            raise ValueError(f"{where}: empty name")
        if any(sector.name == name for sector in sectors):
            raise ValueError(f"{where}: duplicate sector")
        cues = tuple(cue.lower() for cue in _string_list(entry["cues"], where, "cues"))
        for cue in cues:
            if cue in cue_owner:
                raise ValueError(f"{where}: cue {cue!r} is already a cue of {cue_owner[cue]!r}")
            cue_owner[cue] = name
        words = tuple(region_key(word) for word in _string_list(entry.get("company_words", []), where, "company_words"))
        for word in words:
            if word in word_owner:
                raise ValueError(f"{where}: company word {word!r} is already a company word of {word_owner[word]!r}")
            word_owner[word] = name
        sectors.append(Sector(name=name, cues=cues, company_words=words))
    names = {sector.name for sector in sectors}
    companies_table = document.get("companies", {})
    if not isinstance(companies_table, dict):
        raise ValueError(f"{source}: [companies] must be a table of company name = sector")
    companies: dict[str, str] = {}
    for company, sector in companies_table.items():
        where = f"{source}: [companies] {company!r}"
        if sector not in names:
            raise ValueError(f"{where}: unknown sector {sector!r}")
        if normalize_company(company) != company:
            raise ValueError(f"{where}: write the key as {normalize_company(company)!r}, the normalised name")
        companies[company] = sector
    ignore_list = document.get("ignore", [])
    if not isinstance(ignore_list, list):
        raise ValueError(f"{source}: 'ignore' must be a list of phrases")
    ignore = tuple(phrase.lower() for phrase in _string_list(ignore_list, source, "ignore"))
    return SectorTaxonomy(sectors=tuple(sectors), companies=MappingProxyType(companies), ignore=ignore)


def _read(filename: str) -> str:
    return resources.files(__package__ or "config").joinpath(filename).read_text(encoding="utf-8")


@functools.cache
def load_skills() -> tuple[Skill, ...]:
    """The skill taxonomy, in file order (the order skills are shown in)."""
    return parse_skills(_read(SKILLS_FILE), SKILLS_FILE)


@functools.cache
def _sector_taxonomy() -> SectorTaxonomy:
    return parse_sectors(_read(SECTORS_FILE), SECTORS_FILE)


def load_sectors() -> tuple[Sector, ...]:
    return _sector_taxonomy().sectors


def company_sectors() -> dict[str, str]:
    """Normalised company name -> sector (a fresh dict: callers may not mutate the cached table)."""
    return dict(_sector_taxonomy().companies)


def sector_ignore_phrases() -> tuple[str, ...]:
    """Boilerplate phrases (mostly benefits) removed before counting sector cues."""
    return _sector_taxonomy().ignore


def skill_names() -> tuple[str, ...]:
    return tuple(skill.name for skill in load_skills())


def sector_names() -> tuple[str, ...]:
    return tuple(sector.name for sector in load_sectors())


@dataclass(frozen=True)
class TitleFamily:
    """One family of titles for back-end relevance; ``backend`` is True, False or "stack".

    ``description_skills`` (one of ``SKILL_SCOPES``) says which skills its postings report.
    """

    name: str
    backend: bool | str
    phrases: tuple[str, ...]
    skills: tuple[str, ...]
    description_skills: str = "all"


@dataclass(frozen=True)
class Roles:
    families: tuple[TitleFamily, ...]
    stack_server: tuple[str, ...]
    stack_client: tuple[str, ...]
    stack_min_server: int
    # Title phrases that name software work: such a title whose description names no stack is a back-end role.
    stack_software: tuple[str, ...]
    # level -> values/phrases, in the file's order of levels
    seniority_feed: Mapping[str, tuple[str, ...]]
    seniority_title: Mapping[str, tuple[str, ...]]
    years_mid: int
    years_senior: int
    employment_feed: Mapping[str, tuple[str, ...]]
    employment_title: Mapping[str, tuple[str, ...]]
    employment_description: Mapping[str, tuple[str, ...]]
    visa: Mapping[str, tuple[str, ...]]
    workplace: Mapping[str, tuple[str, ...]]
    # kind (one of HEADING_KINDS) -> phrases a heading of that kind contains
    headings: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class Regions:
    aliases: Mapping[str, str]  # spelling (lower case) -> canonical name
    names: tuple[str, ...]
    filler: frozenset[str]
    worldwide: frozenset[str]


def _table(document: Mapping[str, Any], key: str, where: str) -> dict[str, Any]:
    value = document.get(key)
    if not isinstance(value, dict):
        raise ValueError(f"{where}: missing table [{key}]")
    return value


def _levels(table: dict[str, Any], allowed: tuple[str, ...], where: str) -> Mapping[str, tuple[str, ...]]:
    unknown = set(table) - set(allowed)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}; expected {', '.join(allowed)}")
    out = {}
    for key, value in table.items():
        if not isinstance(value, list):
            raise ValueError(f"{where}: {key!r} must be a list of strings")
        out[key] = tuple(item.lower() for item in _string_list(value, where, key))
    return MappingProxyType(out)


def parse_roles(text: str, source: str = ROLES_FILE, skills: tuple[str, ...] | None = None) -> Roles:
    """Parse and validate roles.toml; ``skills`` (the taxonomy's names) checks the skill lists when given."""
    document = _load_toml(text, source)
    unknown = set(document) - {"title_family", "stack", "seniority", "employment", "visa", "workplace", "headings"}
    if unknown:
        raise ValueError(f"{source}: unknown top-level key(s) {sorted(unknown)}")
    known_skills = set(skills) if skills is not None else None

    def check_skills(names: tuple[str, ...], where: str) -> tuple[str, ...]:
        if known_skills is not None and set(names) - known_skills:
            raise ValueError(f"{where}: unknown skill(s) {sorted(set(names) - known_skills)}")
        return names

    families = []
    for index, entry in enumerate(document.get("title_family") or []):
        where = _where(source, "title_family", index, entry if isinstance(entry, dict) else {})
        _check_fields(
            entry,
            where,
            required={"name": str, "backend": object},
            optional={"phrases": list, "skills": list, "description_skills": str},
        )
        if entry["backend"] not in (True, False, "stack"):
            raise ValueError(f'{where}: backend must be true, false or "stack"')
        scope = entry.get("description_skills", "all")
        if scope not in SKILL_SCOPES:
            raise ValueError(f"{where}: description_skills must be one of {', '.join(SKILL_SCOPES)}")
        phrases = tuple(item.lower() for item in _string_list(entry.get("phrases", []), where, "phrases"))
        family_skills = check_skills(_string_list(entry.get("skills", []), where, "skills"), where)
        if not phrases and not family_skills:
            raise ValueError(f"{where}: a family needs phrases or skills")
        families.append(TitleFamily(entry["name"], entry["backend"], phrases, family_skills, scope))
    if not families:
        raise ValueError(f"{source}: no [[title_family]] entries")
    stack = _table(document, "stack", source)
    _check_fields(
        stack,
        f"{source}: [stack]",
        required={"min_server": int, "server": list, "client": list},
        optional={"software": list},
    )
    software = stack.get("software", [])
    seniority = _table(document, "seniority", source)
    _check_fields(
        seniority, f"{source}: [seniority]", required={"feed": dict, "title": dict, "years": dict}, optional={}
    )
    years = seniority["years"]
    _check_fields(years, f"{source}: [seniority.years]", required={"mid": int, "senior": int}, optional={})
    if not 0 < years["mid"] < years["senior"]:
        raise ValueError(f"{source}: [seniority.years] needs 0 < mid < senior")
    employment = _table(document, "employment", source)
    _check_fields(
        employment,
        f"{source}: [employment]",
        required={"feed": dict, "title": dict, "description": dict},
        optional={},
    )
    visa = _levels(_table(document, "visa", source), ("negations", "unavailable", "offered"), f"{source}: [visa]")
    workplace = _levels(_table(document, "workplace", source), ("remote", "hybrid", "onsite"), f"{source}: [workplace]")
    headings = document.get("headings", {})
    if not isinstance(headings, dict):
        raise ValueError(f"{source}: [headings] must be a table")
    headings = _levels(headings, HEADING_KINDS, f"{source}: [headings]")
    owner: dict[str, str] = {}
    for kind, phrases in headings.items():
        for phrase in phrases:
            if owner.setdefault(phrase, kind) != kind:
                raise ValueError(f"{source}: [headings] {phrase!r} is listed under both {owner[phrase]!r} and {kind!r}")
    return Roles(
        families=tuple(families),
        stack_server=check_skills(_string_list(stack["server"], source, "stack.server"), f"{source}: [stack]"),
        stack_client=check_skills(_string_list(stack["client"], source, "stack.client"), f"{source}: [stack]"),
        stack_min_server=stack["min_server"],
        stack_software=tuple(phrase.lower() for phrase in _string_list(software, f"{source}: [stack]", "software")),
        seniority_feed=_levels(seniority["feed"], SENIORITY_LEVELS, f"{source}: [seniority.feed]"),
        seniority_title=_levels(seniority["title"], SENIORITY_LEVELS, f"{source}: [seniority.title]"),
        years_mid=years["mid"],
        years_senior=years["senior"],
        employment_feed=_levels(employment["feed"], EMPLOYMENT_TYPES, f"{source}: [employment.feed]"),
        employment_title=_levels(employment["title"], EMPLOYMENT_TYPES, f"{source}: [employment.title]"),
        employment_description=_levels(
            employment["description"], EMPLOYMENT_TYPES, f"{source}: [employment.description]"
        ),
        visa=visa,
        workplace=workplace,
        headings=headings,
    )


def region_key(text: str) -> str:
    """The form region spellings are compared in: lower case ASCII letters and digits, single spaces."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


def parse_regions(text: str, source: str = REGIONS_FILE) -> Regions:
    document = _load_toml(text, source)
    unknown = set(document) - {"filler", "worldwide", "regions"}
    if unknown:
        raise ValueError(f"{source}: unknown top-level key(s) {sorted(unknown)}")
    table = _table(document, "regions", source)
    aliases: dict[str, str] = {}
    for name, spellings in table.items():
        where = f"{source}: [regions] {name!r}"
        if not isinstance(spellings, list):
            raise ValueError(f"{where}: must be a list of spellings")
        for spelling in (name, *_string_list(spellings, where, name)):
            key = region_key(spelling)
            if aliases.get(key, name) != name:
                raise ValueError(f"{where}: spelling {spelling!r} is already a spelling of {aliases[key]!r}")
            aliases[key] = name
    filler = frozenset(region_key(word) for word in _string_list(document.get("filler", []), source, "filler"))
    worldwide = frozenset(region_key(w) for w in _string_list(document.get("worldwide", []), source, "worldwide"))
    return Regions(MappingProxyType(aliases), tuple(table), filler, worldwide)


@functools.cache
def load_roles() -> Roles:
    return parse_roles(_read(ROLES_FILE), ROLES_FILE, skill_names())


@functools.cache
def load_regions() -> Regions:
    return parse_regions(_read(REGIONS_FILE), REGIONS_FILE)
