"""Query parameters -> a validated search. Shared by the pages and the API so they accept exactly the same thing."""

from __future__ import annotations

from dataclasses import dataclass

from werkzeug.datastructures import MultiDict

from config.taxonomy import REMOTE_STATUSES, sector_names, skill_names
from store.search import MAX_PER_PAGE, PostingFilters

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


def parse_search(args: MultiDict[str, str], *, default_per_page: int = 20) -> SearchRequest:
    q = args.get("q", "")
    if len(q) > MAX_QUERY_CHARS:
        raise BadParameter("q", f"is longer than {MAX_QUERY_CHARS} characters")
    skills: list[str] = []
    known_skills = skill_names()
    for raw in args.getlist("skill"):
        if not raw.strip():
            continue
        name = _canonical(raw, known_skills)
        if name is None:
            raise BadParameter("skill", f"unknown skill {raw[:60]!r}; see the list on the search page")
        if name not in skills:
            skills.append(name)
    remote = None
    if args.get("remote", "").strip():
        remote = _canonical(args["remote"], REMOTE_STATUSES)
        if remote is None:
            raise BadParameter("remote", f"must be one of {', '.join(REMOTE_STATUSES)}")
    sector = None
    if args.get("sector", "").strip():
        sector = _canonical(args["sector"], sector_names())
        if sector is None:
            raise BadParameter("sector", f"unknown sector {args['sector'][:60]!r}")
    include_closed = _flag(args, "closed")
    return SearchRequest(
        filters=PostingFilters(
            q=q.strip(),
            skills=tuple(skills),
            remote=remote,
            sector=sector,
            include_closed=include_closed,
            include_other_roles=_flag(args, "all_roles"),
        ),
        page=_int(args, "page", 1, MAX_PAGE),
        per_page=_int(args, "per_page", default_per_page, MAX_PER_PAGE),
    )
