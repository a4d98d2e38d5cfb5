"""Query parameters -> a validated search. Shared by the pages and the API so they accept exactly the same thing."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from config.taxonomy import EMPLOYMENT_TYPES, REMOTE_STATUSES, SENIORITY_LEVELS, load_regions, sector_names, skill_names
from store.search import MAX_PER_PAGE, POSTED_WITHIN, SORTS, PostingFilters

VISA_VALUES = ("offered", "not_offered", "not_stated")

MAX_QUERY_CHARS = 10_000
MAX_PAGE = 10_000


class BadParameter(ValueError):
    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name
        self.message = message


@dataclass(frozen=True)
class SearchRequest:
    filters: PostingFilters
    page: int
    per_page: int


def _canonical(value: str, allowed: tuple[str, ...]) -> str | None:
    """Filter values are canonical names; accept any letter case, return the canonical spelling."""
    folded = value.strip().casefold()
    for name in allowed:
        if name.casefold() == folded:
            return name
    return None


def _int(args: MultiDict[str, str], name: str, default: int, maximum: int) -> int:
    raw = args.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= maximum:
        raise BadParameter(name, f"must be a whole number from 1 to {maximum}")
    return int(raw)


def _flag(args: MultiDict[str, str], name: str) -> bool:
    return args.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _skills(args: MultiDict[str, str], name: str) -> tuple[str, ...]:
    known = skill_names()
    chosen: list[str] = []
    for raw in args.getlist(name):
        if not raw.strip():
            continue
        canonical = _canonical(raw, known)
        if canonical is None:
            raise BadParameter(name, f"unknown skill {raw[:60]!r}; see the list on the search page")
        if canonical not in chosen:
            chosen.append(canonical)
    return tuple(chosen)


def _one_of(args: MultiDict[str, str], name: str, allowed: tuple[str, ...], what: str = "") -> str | None:
    raw = args.get(name, "").strip()
    if not raw:
        return None
    value = _canonical(raw, allowed)
    if value is None:
        if what:
            raise BadParameter(name, f"unknown {what} {raw[:60]!r}")
        raise BadParameter(name, f"must be one of {', '.join(allowed)}")
    return value


def _text(args: MultiDict[str, str], name: str, limit: int = 300) -> str | None:
    raw = " ".join(args.get(name, "").split())
    if len(raw) > limit:
        raise BadParameter(name, f"is longer than {limit} characters")
    return raw or None


def parse_search(args: MultiDict[str, str], *, default_per_page: int = 20) -> SearchRequest:
    q = args.get("q", "")
    if len(q) > MAX_QUERY_CHARS:
        raise BadParameter("q", f"is longer than {MAX_QUERY_CHARS} characters")
    seniority: list[str] = []
    for raw in args.getlist("seniority"):
        if raw.strip():
            level = _canonical(raw, (*SENIORITY_LEVELS, "unknown"))
            if level is None:
                raise BadParameter("seniority", f"must be one of {', '.join((*SENIORITY_LEVELS, 'unknown'))}")
            if level not in seniority:
                seniority.append(level)
    min_salary = None
    if args.get("min_salary", "").strip():
        raw = args["min_salary"].strip().replace(",", "").replace("_", "")
        if not raw.isdigit() or not 0 < int(raw) <= 10_000_000:
            raise BadParameter("min_salary", "must be a yearly amount in whole units, from 1 to 10,000,000")
        min_salary = int(raw)
    currency = args.get("currency", "USD").strip().upper() or "USD"
    if not (len(currency) == 3 and currency.isalpha() and currency.isascii()):
        raise BadParameter("currency", "must be a three-letter ISO 4217 code such as USD or EUR")
    exclude_companies = tuple(dict.fromkeys(c for c in (" ".join(v.split()) for v in args.getlist("not_company")) if c))
    if any(len(c) > 300 for c in exclude_companies):
        raise BadParameter("not_company", "is longer than 300 characters")
    return SearchRequest(
        filters=PostingFilters(
            q=q.strip(),
            skills=_skills(args, "skill"),
            skills_mode=_one_of(args, "skills_mode", ("all", "any")) or "all",
            exclude_skills=_skills(args, "not_skill"),
            remote=_one_of(args, "remote", REMOTE_STATUSES),
            region=_one_of(args, "region", load_regions().names, "region"),
            sector=_one_of(args, "sector", sector_names(), "sector"),
            seniority=tuple(seniority),
            employment_type=_one_of(args, "employment_type", EMPLOYMENT_TYPES),
            visa_sponsorship=_one_of(args, "visa", VISA_VALUES),
            min_salary=min_salary,
            currency=currency,
            salary_stated=_flag(args, "salary"),
            posted_within=_one_of(args, "posted", tuple(POSTED_WITHIN)),
            company=_text(args, "company"),
            exclude_companies=exclude_companies,
            source=_text(args, "source", 100),
            include_closed=_flag(args, "closed"),
            include_other_roles=_flag(args, "all_roles"),
            sort=_one_of(args, "sort", SORTS),
        ),
        page=_int(args, "page", 1, MAX_PAGE),
        per_page=_int(args, "per_page", default_per_page, MAX_PER_PAGE),
    )
