from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from config.settings import Settings
from store.db import Database
from store.queries.postings import close_missing, upsert_postings
from tests.store.helpers import NOW, make_source, record
from web import create_app


@pytest.fixture
def app(settings: Settings, db: Database) -> Iterator[Flask]:
    with db.transaction() as s:
        source = make_source(s, "acme-board", name="Acme Board")
        upsert_postings(
            s,
            source,
            [
                record(
                    "py",
                    title="Senior Python Developer",
                    company="Ledgerly",
                    location="Remote - US",
                    description_html=(
                        '<p>Build <strong>payment APIs</strong> with Django. <a href="/apply">Apply</a></p>'
                    ),
                    description_text="Build payment APIs with Django.",
                    skills=("Python", "Django"),
                    remote="remote",
                    sector="Financial services",
                    salary_min=150000.0,
                    salary_max=180000.0,
                    salary_currency="USD",
                    salary_period="year",
                    salary_annual_min=150000.0,
                    salary_annual_max=180000.0,
                    posted_at=NOW - timedelta(days=1),
                ),
                record(
                    "node",
                    title="Node.js Backend Engineer",
                    company="Shopline",
                    location="Berlin, Germany",
                    description_text="TypeScript and Node.js services.",
                    skills=("Node.js", "TypeScript"),
                    remote="hybrid",
                    sector="Retail & e-commerce",
                    posted_at=NOW - timedelta(days=2),
                ),
                record(
                    "gone",
                    title="Python Engineer",
                    skills=("Python",),
                    remote="remote",
                    sector="Technology",
                    posted_at=NOW - timedelta(days=40),
                ),
            ],
            NOW,
        )
        close_missing(s, source, {"py", "node"}, NOW)
    application = create_app(settings, {"TESTING": True})
    yield application
    application.extensions["jobsift.db"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
