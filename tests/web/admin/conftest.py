"""Admin fixtures: an account, a signed-in client, and apps built with other settings (no private networks, a
trusted proxy). The shared PostgreSQL schema keeps tables between tests, so the admin tables are emptied first."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any

import pytest
from argon2 import PasswordHasher
from flask import Flask
from flask.testing import FlaskClient

from config.settings import Settings
from store.db import Database
from store.queries import admin as admin_queries
from tests.web.admin.helpers import make_admin, sign_in
from web import create_app
from web.admin.preview import PreviewRunner

# The module's own hasher, before the fixture below swaps it for the tests.
PRODUCTION_HASHER = admin_queries.HASHER


@pytest.fixture(autouse=True)
def _quick_hashes(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Argon2id with test-sized costs: the production profile takes ~0.2 s a hash, and the throttle tests hash a lot.
    (test_login checks the production hasher's own parameters.)"""
    monkeypatch.setattr(admin_queries, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    admin_queries._dummy_hash.cache_clear()
    yield
    admin_queries._dummy_hash.cache_clear()


@pytest.fixture(autouse=True)
def _empty_admin_tables(db: Database) -> None:
    if db.dialect == "postgresql":
        with db.engine.begin() as conn:
            conn.exec_driver_sql("TRUNCATE admin_audit, admin_login_attempts, admin_users RESTART IDENTITY CASCADE")


@pytest.fixture
def ada(db: Database) -> int:
    """The admin most tests sign in as."""
    return make_admin(db)


@pytest.fixture
def admin_client(app: Flask, ada: int) -> FlaskClient:
    client = app.test_client()
    response = sign_in(client)
    assert response.status_code == 302, response.text
    return client


MakeApp = Callable[..., Flask]


@pytest.fixture
def make_app(settings: Settings) -> Iterator[MakeApp]:
    """``make_app(allow_private_networks=False, ..., preview=runner)``: the site with some settings changed, or with
    another preview runner."""
    apps: list[Flask] = []

    def make(preview: PreviewRunner | None = None, **changes: Any) -> Flask:
        application = create_app(replace(settings, **changes), {"TESTING": True}, preview=preview)
        apps.append(application)
        return application

    yield make
    for application in apps:
        application.extensions["jobsift.db"].dispose()
