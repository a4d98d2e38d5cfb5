"""Shared fixtures: a real database of each backend, settings pointing at it, and a loopback feed server.

Every test that takes ``database_url`` (directly or through ``settings``/``db``) runs twice: on a SQLite file and on
the PostgreSQL server (``JOBSIFT_TEST_POSTGRES_URL``, default the local ``test`` database), each in its own schema.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from config.settings import Settings, load_settings
from store.db import Database
from store.migrate import upgrade
from tests.alerts.smtp import SmtpServer

POSTGRES_URL = os.environ.get("JOBSIFT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
FIXTURES = Path(__file__).parent / "fixtures"
TEST_SECRET = "test-secret-key-" + "x" * 32


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied per test: migrating once keeps the suite fast."""
    path = tmp_path_factory.mktemp("template") / "jobsift.db"
    db = Database(f"sqlite:///{path}")
    upgrade(db.engine)
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_schema_url() -> Iterator[str]:
    """A private schema in the test database, migrated once; dropped at the end of the session."""
    schema = f"jobsift_test_{uuid.uuid4().hex[:10]}"
    plain = make_url(POSTGRES_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    rendered = url.render_as_string(hide_password=False)
    db = Database(rendered)
    upgrade(db.engine)
    db.dispose()
    try:
        yield rendered
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "jobsift.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_schema_url")
    db = Database(url)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("TRUNCATE sources, postings, posting_skills, crawl_runs RESTART IDENTITY CASCADE")
    db.dispose()
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return load_settings(
        {
            "JOBSIFT_DATA_DIR": str(tmp_path / "data"),
            "JOBSIFT_DATABASE_URL": database_url,
            "JOBSIFT_SECRET_KEY": TEST_SECRET,
            "JOBSIFT_LOG_LEVEL": "WARNING",
            # Fixture feeds are served on loopback; tests of the guard itself turn this off.
            "JOBSIFT_ALLOW_PRIVATE_NETWORKS": "1",
        }
    )


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings.database_url)
    yield database
    database.dispose()


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on loopback; what it accepts is in ``smtp.inbox``."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()
