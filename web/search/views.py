"""The pages job seekers use: search with filters, and one posting."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from config.taxonomy import REMOTE_STATUSES, sector_names, skill_names
from store.queries.postings import get_posting
from store.search import count_other_roles, listing_postings, search_postings
from web.db import session
from web.params import parse_search

bp = Blueprint("search", __name__)


@bp.get("/")
def index() -> ResponseReturnValue:
    search = parse_search(request.args)
    page = search_postings(session(), search.filters, page=search.page, per_page=search.per_page)
    args = request.args.to_dict(flat=False)

    def page_url(number: int) -> str:
        return url_for("search.index", **{**args, "page": [str(number)]})

    return render_template(
        "search/index.html",
        filters=search.filters,
        page=page,
        page_url=page_url,
        other_roles=count_other_roles(session(), search.filters),
        all_roles_url=url_for("search.index", **{**args, "all_roles": ["1"], "page": ["1"]}),
        skills=skill_names(),
        sectors=sector_names(),
        remote_statuses=REMOTE_STATUSES,
    )


@bp.get("/postings/<int:posting_id>")
def posting(posting_id: int) -> ResponseReturnValue:
    found = get_posting(session(), posting_id)
    if found is None:
        abort(404, description="This posting does not exist.")
    listing = [p for p in listing_postings(session(), found) if p.id != found.id]
    return render_template("search/posting.html", posting=found, also_on=listing, why=why_lines(found.evidence))


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
