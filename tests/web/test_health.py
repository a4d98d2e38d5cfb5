"""GET /healthz: the store answers, and the process's search index says how far it has got."""

from __future__ import annotations

import os
from dataclasses import replace

from flask.testing import FlaskClient

from config.settings import Settings
from store.db import Database
from web import create_app


def test_health_reports_the_loaded_index(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_json()
    # A small store is loaded by the first request that asks (here, this one); the fixture has three postings.
    assert body == {"status": "ok", "search_index": "loaded", "indexed_postings": 3, "pid": os.getpid()}


def test_health_without_the_index(settings: Settings, db: Database) -> None:
    app = create_app(replace(settings, search_index=False), {"TESTING": True})
    try:
        body = app.test_client().get("/healthz").get_json()
    finally:
        app.extensions["jobsift.db"].dispose()
    assert body["search_index"] == "off"
    assert body["indexed_postings"] == 0
