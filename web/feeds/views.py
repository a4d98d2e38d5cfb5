"""``/feed.atom``: the newest postings of a search as an Atom 1.0 feed (RFC 4287)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from flask import Blueprint, Response, render_template, request, url_for
from flask.typing import ResponseReturnValue

from store.search import search_postings
from web.db import read_session
from web.params import parse_search

bp = Blueprint("feeds", __name__)

FEED_SIZE = 50


@bp.get("/feed.atom")
def search_feed() -> ResponseReturnValue:
    search = parse_search(request.args)
    # A feed is read newest first, whatever order the page was sorted in.
    filters = replace(search.filters, sort="newest")
    page = search_postings(read_session(), filters, page=1, per_page=FEED_SIZE)
    args = request.args.to_dict(flat=False)
    updated = max((p.updated_at for p in page.items), default=datetime(2026, 1, 1, tzinfo=UTC))
    body = render_template(
        "feeds/search.atom.xml",  # .xml: Jinja autoescapes it
        postings=page.items,
        filters=filters,
        updated=updated,
        self_url=url_for("feeds.search_feed", _external=True, **args),
        page_url=url_for("search.index", _external=True, **args),
        feed_id=url_for("feeds.search_feed", _external=True, **dict(sorted(args.items()))),
    )
    return Response(body, mimetype="application/atom+xml")
