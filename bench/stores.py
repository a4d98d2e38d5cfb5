"""Throwaway stores for benchmarks: a SQLite file in a temporary directory, or a schema of its own on the test
PostgreSQL server (JOBSIFT_TEST_POSTGRES_URL), dropped afterwards. Both are migrated to the newest schema."""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url

from store.db import Database
from store.migrate import upgrade

POSTGRES_URL = os.environ.get("JOBSIFT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@contextmanager
def sqlite_store(prefix: str = "bench-") -> Iterator[Database]:
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        db = Database(f"sqlite:///{Path(tmp) / 'jobsift.db'}")
        upgrade(db.engine)
        try:
            yield db
        finally:
            db.dispose()


@contextmanager
def postgres_store(prefix: str = "bench_") -> Iterator[Database]:
    schema = f"{prefix}{uuid.uuid4().hex[:8]}"
    plain = make_url(POSTGRES_URL).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'CREATE SCHEMA "{schema}"')
    try:
        url = make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
        db = Database(url.render_as_string(hide_password=False))
        upgrade(db.engine)
        try:
            yield db
        finally:
            db.dispose()
    finally:
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA "{schema}" CASCADE')
