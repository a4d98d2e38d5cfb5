"""Engines and transactions. Query functions take a session and never commit: the caller owns the transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from store.models.base import dump_json

SQLITE_BUSY_TIMEOUT_MS = 15_000
SQLITE_CHECKPOINT_PAGES = 10_000


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}, json_serializer=dump_json, **kwargs
        )
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    return create_engine(url, pool_pre_ping=True, json_serializer=dump_json, **kwargs)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets the site read while a crawl batch writes; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # Checkpoint every ~40 MB of WAL rather than SQLite's 4 MB: a crawl writes tens of megabytes in bursts, and each
        # checkpoint syncs the file and copies pages (index and full-text pages again and again); a tenth as many made
        # ingest 12-18% faster (bench ingest). Readers don't mind a longer WAL.
        cursor.execute(f"PRAGMA wal_autocheckpoint={SQLITE_CHECKPOINT_PAGES}")
    finally:
        cursor.close()


class Database:
    """An engine and its session factory: what a process holds to talk to the store."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        with self.sessions() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def failure_reason(exc: SQLAlchemyError) -> str:
    """The database's own words for why a statement failed ("database or disk is full"), on one line, without
    SQLAlchemy's framing: what a log line or a run's error message should say."""
    original = getattr(exc, "orig", None)
    text = str(original if original is not None else exc).strip()
    return text.splitlines()[0] if text else type(original if original is not None else exc).__name__
