"""A saved search is the search page's own GET parameters: stored in a canonical order, read back through the very
parser the page and the API use (``web.params.parse_search``), so what an alert sends is what the page shows."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qsl, urlencode

from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from store.queries.alerts import DigestPosting
from store.search import PostingFilters, parse_keywords, search_postings
from web.params import parse_search

# A search that would have sent more than this many postings a week is refused. Why 200: that is about 30 a day,
# so a daily digest stays under its cap of 50 postings on an ordinary day (and on a busy one, twice the average), and
# it is about as much as anyone reads; a search wider than that is better narrowed than skimmed.
FLOOD_LIMIT = 200
# The estimate counts the postings of the last 30 days (the longest "posted within" a search offers) and scales
# them to a week.
ESTIMATE_DAYS = 30

# Parameters of a search that are not filters: how a page is sorted and cut. Alerts keep none of them, nor
# ``closed``: an alert only ever sends open postings.
NOT_SAVED = ("sort", "page", "per_page", "closed", "facets", "alert")


def canonical_query(filters: PostingFilters) -> str:
    """The search's parameters in a fixed order, defaults left out: equal searches give equal strings."""
    pairs: list[tuple[str, str]] = []
    if filters.q:
        pairs.append(("q", filters.q))
    pairs += [("skill", s) for s in sorted(filters.skills)]
    if filters.skills_mode == "any" and len(filters.skills) > 1:
        pairs.append(("skills_mode", "any"))
    pairs += [("not_skill", s) for s in sorted(filters.exclude_skills)]
    for name, value in (
        ("remote", filters.remote),
        ("region", filters.region),
        ("sector", filters.sector),
    ):
        if value:
            pairs.append((name, value))
    pairs += [("seniority", s) for s in sorted(filters.seniority)]
    for name, value in (("employment_type", filters.employment_type), ("visa", filters.visa_sponsorship)):
        if value:
            pairs.append((name, value))
    if filters.min_salary is not None:
        pairs += [("min_salary", str(filters.min_salary)), ("currency", filters.currency)]
    if filters.salary_stated:
        pairs.append(("salary", "1"))
    if filters.posted_within:
        pairs.append(("posted", filters.posted_within))
    if filters.company:
        pairs.append(("company", filters.company))
    pairs += [("not_company", c) for c in sorted(filters.exclude_companies, key=str.lower)]
    if filters.source:
        pairs.append(("source", filters.source))
    if filters.include_other_roles:
        pairs.append(("all_roles", "1"))
    return urlencode(pairs)


def saved_args(args: MultiDict[str, str]) -> MultiDict[str, str]:
    """A request's search parameters without those an alert does not keep."""
    return MultiDict([(k, v) for k, v in args.items(multi=True) if k not in NOT_SAVED])


def filters_from_args(args: MultiDict[str, str]) -> PostingFilters:
    """Parse a search as the page does (raises web.params.BadParameter), minus what an alert does not keep."""
    return parse_search(saved_args(args)).filters


def filters_from_query(query: str) -> PostingFilters:
    return filters_from_args(MultiDict(parse_qsl(query, keep_blank_values=True)))


def narrows(filters: PostingFilters) -> bool:
    """Whether the search chooses anything: exclusions alone, a date window or all roles still match everything."""
    return bool(
        parse_keywords(filters.q).required
        or filters.skills
        or filters.remote
        or filters.region
        or filters.sector
        or filters.seniority
        or filters.employment_type
        or filters.visa_sponsorship
        or filters.min_salary is not None
        or filters.salary_stated
        or filters.company
        or filters.source
    )


def weekly_estimate(session: Session, filters: PostingFilters) -> int:
    """Roughly how many postings a week this search matches: those posted (or first seen) in the last 30 days, open
    or since closed (they were new then), as the search page counts them, scaled to a week."""
    window = replace(filters, posted_within="30d", include_closed=True, sort="newest")
    total = search_postings(session, window, page=1, per_page=1).total
    return round(total * 7 / ESTIMATE_DAYS)


_REMOTE = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "On-site", "unknown": "Remote status not stated"}
_VISA = {"offered": "visa sponsorship offered", "not_offered": "no visa sponsorship", "not_stated": "visa not stated"}


def _and(values: list[str] | tuple[str, ...], word: str = "and") -> str:
    values = list(values)
    return values[0] if len(values) == 1 else f"{', '.join(values[:-1])} {word} {values[-1]}"


def _chosen(filters: PostingFilters, posting: DigestPosting | None = None) -> list[str]:
    """The search's remote status, region, sector, seniority, employment type, visa and salary in words: as the search
    chooses them (no ``posting``: :func:`describe`), or as a posting meets them (:func:`why_matched`, which names the
    posting's own sector, seniority, employment type and visa where the search may list several)."""
    lines: list[str] = []
    if filters.remote:
        lines.append(_REMOTE.get(filters.remote, filters.remote))
    if filters.region:
        anywhere = posting is not None and not posting.remote_regions
        lines.append("remote, from anywhere" if anywhere else f"remote, open to {filters.region}")
    if filters.sector:
        lines.append(f"sector {posting.sector if posting else filters.sector}")
    if filters.seniority:
        lines.append("seniority " + _and([posting.seniority] if posting else filters.seniority, "or"))
    employment_type = posting.employment_type if posting else filters.employment_type
    if filters.employment_type and employment_type:
        lines.append(employment_type.replace("_", " "))
    if filters.visa_sponsorship:
        visa = posting.visa_sponsorship if posting else filters.visa_sponsorship
        lines.append(_VISA.get(visa, visa))
    if filters.min_salary is not None:
        salary = "salary" if posting else "yearly salary"
        lines.append(f"{salary} at least {filters.currency} {filters.min_salary:,}")
    elif filters.salary_stated:
        lines.append("salary stated")
    return lines


def describe(filters: PostingFilters) -> list[str]:
    """The search in words, one filter a line: for emails, the subscribe form and the manage page."""
    lines: list[str] = []
    keywords = parse_keywords(filters.q)
    if keywords.required:
        lines.append("keywords " + _and(["“" + " ".join(p) + "”" for p in keywords.required]))
    if keywords.excluded:
        lines.append("without the words " + _and(["“" + " ".join(p) + "”" for p in keywords.excluded], "or"))
    if filters.skills:
        noun = "skill" if len(filters.skills) == 1 else "skills"
        lines.append(f"{noun} " + _and(filters.skills, "or" if filters.skills_mode == "any" else "and"))
    if filters.exclude_skills:
        lines.append("without " + _and(filters.exclude_skills, "or"))
    lines += _chosen(filters)
    if filters.posted_within:
        lines.append(f"posted within {filters.posted_within}")
    if filters.company:
        lines.append(f"at {filters.company}")
    if filters.exclude_companies:
        lines.append("not at " + _and(list(filters.exclude_companies), "or"))
    if filters.source:
        lines.append(f"from source {filters.source}")
    if filters.include_other_roles:
        lines.append("including roles that are not back-end")
    return lines


def why_matched(filters: PostingFilters, posting: DigestPosting) -> list[str]:
    """Why this posting is in an alert for this search: what it has of what the search asks for."""
    reasons: list[str] = []
    keywords = parse_keywords(filters.q)
    if keywords.required:
        title = posting.title.lower()
        for phrase in keywords.required:
            words = " ".join(phrase)
            where = "in the title" if words in title else "in the posting"
            reasons.append(f"“{words}” {where}")
    if filters.skills:
        found = [s for s in filters.skills if s in posting.skills]
        reasons.append(("skill " if len(found) == 1 else "skills ") + ", ".join(found))
    reasons += _chosen(filters, posting)
    if filters.company:
        reasons.append(f"at {posting.company}")
    if filters.source:
        reasons.append(f"from {filters.source}")
    return reasons
