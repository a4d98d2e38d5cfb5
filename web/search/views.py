"""The pages job seekers use: search with filters, and one posting."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from config.taxonomy import (
    EMPLOYMENT_TYPES,
    REMOTE_STATUSES,
    SENIORITY_LEVELS,
    load_regions,
    sector_names,
    skill_names,
)
from store.queries.postings import get_posting
from store.search import (
    PAGE_FACETS,
    SORTS,
    count_other_roles,
    facet_counts,
    listing_postings,
    search_postings,
    similar_postings,
)
from web.db import read_session
from web.jsonld import job_posting
from web.params import parse_search
from web.search.cache import search_cache

bp = Blueprint("search", __name__)


CURRENCIES = ("USD", "EUR", "GBP", "CAD", "AUD", "CHF", "INR", "PLN", "SEK", "BRL")
POSTED_CHOICES = (("24h", "24 hours"), ("7d", "7 days"), ("30d", "30 days"))


@bp.get("/")
def index() -> ResponseReturnValue:
    search = parse_search(request.args)
    cache = search_cache()
    page = search_postings(
        read_session(), search.filters, page=search.page, per_page=search.per_page, cache=cache, summary=True
    )
    facets = facet_counts(read_session(), search.filters, PAGE_FACETS, cache=cache)
    counts = {name: dict(rows) for name, rows in facets.items()}
    args = request.args.to_dict(flat=False)

    def page_url(number: int) -> str:
        return url_for("search.index", **{**args, "page": [str(number)]})

    def count(facet: str, value: str) -> str:
        """ " (12)" after a filter choice: postings of this search with that value."""
        return f" ({counts.get(facet, {}).get(value, 0):,})"

    return render_template(
        "search/index.html",
        filters=search.filters,
        page=page,
        page_url=page_url,
        count=count,
        feed_url=url_for("feeds.search_feed", **{k: v for k, v in args.items() if k not in {"page", "per_page"}}),
        other_roles=count_other_roles(read_session(), search.filters, cache=cache),
        all_roles_url=url_for("search.index", **{**args, "all_roles": ["1"], "page": ["1"]}),
        skills=skill_names(),
        sectors=sector_names(),
        regions=load_regions().names,
        remote_statuses=REMOTE_STATUSES,
        seniority_levels=(*SENIORITY_LEVELS, "unknown"),
        employment_types=EMPLOYMENT_TYPES,
        currencies=CURRENCIES,
        posted_choices=POSTED_CHOICES,
        sorts=SORTS,
    )


@bp.get("/postings/<int:posting_id>")
def posting(posting_id: int) -> ResponseReturnValue:
    found = get_posting(read_session(), posting_id)
    if found is None:
        abort(404, description="This posting does not exist.")
    listing = [p for p in listing_postings(read_session(), found) if p.id != found.id]
    return render_template(
        "search/posting.html",
        posting=found,
        also_on=listing,
        why=why_lines(found.evidence),
        similar=similar_postings(read_session(), found),
        jsonld=job_posting(found, url_for("search.posting", posting_id=found.id, _external=True)),
    )


# How each classification's evidence reads on a posting page ("Remote: 'Remote (US only)' in the location").
_WHY_LABELS = {
    "remote": "Remote status",
    "remote_regions": "Where you can work from",
    "sector": "Sector",
    "seniority": "Seniority",
    "employment_type": "Employment type",
    "visa_sponsorship": "Visa sponsorship",
    "is_backend": "Back-end role",
    "salary": "Salary",
}


def why_lines(evidence: dict[str, list[dict[str, str]]]) -> list[tuple[str, list[dict[str, str]]]]:
    """The stored evidence as (label, [{field, text}, ...]) lines, skills last."""
    lines = [(label, evidence[key]) for key, label in _WHY_LABELS.items() if evidence.get(key)]
    lines += [
        (f"Skill {key.removeprefix('skill:')}", found) for key, found in evidence.items() if key.startswith("skill:")
    ]
    return lines
