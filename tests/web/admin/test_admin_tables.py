"""Migration 0008 makes the admin tables on both backends, and takes them away again."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from alembic import command
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from store.db import Database
from store.migrate import alembic_config, current_revision, upgrade
from tests.conftest import POSTGRES_URL

ADMIN_TABLES = {"admin_users", "admin_login_attempts", "admin_audit"}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """An empty database of each backend (a PostgreSQL schema of its own, dropped afterwards)."""
    if request.param == "sqlite":
        database = Database(f"sqlite:///{tmp_path / 'fresh.db'}")
        yield database
        database.dispose()
        return
    schema = f"jobsift_admin_{uuid.uuid4().hex[:10]}"
    plain = make_url(POSTGRES_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    database = Database(url.render_as_string(hide_password=False))
    try:
        yield database
    finally:
        database.dispose()
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_0008_adds_and_removes_the_admin_tables(fresh: Database) -> None:
    upgrade(fresh.engine, "0008")
    assert current_revision(fresh.engine) == "0008"
    assert set(inspect(fresh.engine).get_table_names()) >= ADMIN_TABLES
    indexes = {i["name"] for i in inspect(fresh.engine).get_indexes("admin_login_attempts")}
    assert {"ix_admin_login_attempts_client_at", "ix_admin_login_attempts_email_at"} <= indexes
    command.downgrade(alembic_config(fresh.engine), "0007")
    assert not ADMIN_TABLES & set(inspect(fresh.engine).get_table_names())
    upgrade(fresh.engine)
    assert set(inspect(fresh.engine).get_table_names()) >= ADMIN_TABLES
