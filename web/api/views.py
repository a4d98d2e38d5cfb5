"""JSON API, version 1."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask.typing import ResponseReturnValue

from store.queries.postings import get_posting
from store.search import search_postings
from web.db import session
from web.params import parse_search
from web.serialize import posting_detail, posting_summary

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.get("/postings")
def postings() -> ResponseReturnValue:
    search = parse_search(request.args)
    page = search_postings(session(), search.filters, page=search.page, per_page=search.per_page)
    return jsonify(
        total=page.total,
        page=page.page,
        per_page=page.per_page,
        items=[posting_summary(p) for p in page.items],
    )


@bp.get("/postings/<int:posting_id>")
def posting(posting_id: int) -> ResponseReturnValue:
    found = get_posting(session(), posting_id)
    if found is None:
        abort(404, description=f"no posting with id {posting_id}")
    return jsonify(posting_detail(found))
