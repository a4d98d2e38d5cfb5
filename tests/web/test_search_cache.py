"""The site caches counts, facets and result pages, and an ingest shows at the next request all the same."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient

from store.db import Database
from store.queries.postings import close_missing, upsert_postings
from tests.store.helpers import NOW, make_source, record


def test_the_app_answers_repeated_searches_from_its_cache(app: Flask, client: FlaskClient) -> None:
    cache = app.extensions["jobsift.search_cache"]
    first = client.get("/api/v1/postings?remote=remote&facets=1").json
    computed = cache.misses
    assert computed > 0
    assert client.get("/api/v1/postings?remote=remote&facets=1").json == first
    assert cache.misses == computed
    # The search page shares the counts and facets of the same search.
    assert client.get("/?remote=remote").status_code == 200


def test_an_ingest_shows_at_the_next_request(client: FlaskClient, db: Database) -> None:
    before = client.get("/api/v1/postings?q=python&facets=1").json
    assert "1 posting" in client.get("/?q=python").get_data(as_text=True)
    with db.transaction() as s:
        upsert_postings(
            s,
            make_source(s, "new-board", name="New Board"),
            [record("new", title="Python Platform Engineer", skills=("Python", "Kafka"), remote="remote")],
            NOW + timedelta(days=1),
        )
    after = client.get("/api/v1/postings?q=python&facets=1").json
    assert after["total"] == before["total"] + 1
    assert "Python Platform Engineer" in [i["title"] for i in after["items"]]
    assert dict((f["value"], f["count"]) for f in after["facets"]["skill"])["Kafka"] == 1
    assert dict((f["value"], f["count"]) for f in after["facets"]["source"])["new-board"] == 1
    assert "2 postings" in client.get("/?q=python").get_data(as_text=True)

    with db.transaction() as s:
        close_missing(s, make_source(s, "new-board", name="New Board"), (), NOW + timedelta(days=2))
    assert client.get("/api/v1/postings?q=python").json["total"] == before["total"]
