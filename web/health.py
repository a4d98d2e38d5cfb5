"""``GET /healthz``: whether this process can reach the store, and the state of its search index.

For load balancers and deploy scripts. Asking also starts the process's index loading when it has not started (as
the first search would), so a health check warms a new process up. Each web process answers for itself: ``pid`` says
which one did.
"""

from __future__ import annotations

import os

from flask import Blueprint, Response, jsonify

from store.search import store_version
from web.db import session
from web.search.cache import search_cache

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    current = session()
    version = store_version(current)  # a store that can't be read answers 503 (web/errors.py)
    index = search_cache().index
    if index is None:
        state = "off"
    else:
        index.usable(current, version)
        state = index.status
    response = jsonify(status="ok", search_index=state, indexed_postings=index.size if index else 0, pid=os.getpid())
    response.headers["Cache-Control"] = "no-store"
    return response
