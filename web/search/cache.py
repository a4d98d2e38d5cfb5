"""The app's search cache (created with the app): counts, facet counts and result page ids, fresh per store version."""

from __future__ import annotations

from flask import current_app

from store.search import SearchCache


def search_cache() -> SearchCache:
    cache: SearchCache = current_app.extensions["jobsift.search_cache"]
    return cache
