"""The pages job seekers use: search with filters, and one posting."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue

from config.taxonomy import REMOTE_STATUSES, sector_names, skill_names
from store.queries.postings import get_posting
from store.search import search_postings
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
        skills=skill_names(),
        sectors=sector_names(),
        remote_statuses=REMOTE_STATUSES,
    )


@bp.get("/postings/<int:posting_id>")
def posting(posting_id: int) -> ResponseReturnValue:
    found = get_posting(session(), posting_id)
    if found is None:
        abort(404, description="This posting does not exist.")
    return render_template("search/posting.html", posting=found)
