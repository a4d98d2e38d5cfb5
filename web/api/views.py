"""JSON API, version 1."""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request
from flask.typing import ResponseReturnValue

from store.queries.postings import get_posting
from store.search import PostingFilters, facet_counts, search_postings
from web.api.openapi import openapi_document
from web.db import read_session
from web.params import parse_search
from web.search.cache import search_cache
from web.serialize import posting_detail, posting_summary

bp = Blueprint("api", __name__, url_prefix="/api/v1")
docs = Blueprint("api_docs", __name__)


@docs.get("/api/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document())


@bp.get("/postings")
def postings() -> ResponseReturnValue:
    search = parse_search(request.args)
    page = search_postings(
        read_session(), search.filters, page=search.page, per_page=search.per_page, cache=search_cache(), summary=True
    )
    body = {
        "total": page.total,
        "page": page.page,
        "per_page": page.per_page,
        "items": [posting_summary(p) for p in page.items],
    }
    if request.args.get("facets", "").strip().lower() in {"1", "true", "yes", "on"}:
        body["facets"] = _facets(search.filters)
    return jsonify(body)


@bp.get("/facets")
def facets() -> ResponseReturnValue:
    search = parse_search(request.args)
    return jsonify(facets=_facets(search.filters))


def _facets(filters: PostingFilters) -> dict[str, list[dict[str, object]]]:
    counts = facet_counts(read_session(), filters, cache=search_cache())
    return {name: [{"value": value, "count": count} for value, count in rows] for name, rows in counts.items()}


@bp.get("/postings/<int:posting_id>")
def posting(posting_id: int) -> ResponseReturnValue:
    found = get_posting(read_session(), posting_id)
    if found is None:
        abort(404, description=f"no posting with id {posting_id}")
    return jsonify(posting_detail(found))
