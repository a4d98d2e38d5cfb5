"""Engines and transactions. Query functions take a session and never commit: the caller owns the transaction."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
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
        # Sessions that only read (the search pages, the API, the feeds). On PostgreSQL they run in autocommit: no
        # BEGIN and ROLLBACK round trips, half of what a request costs whose answers are cached. Each statement sees
        # what committed before it started, as it does in the READ COMMITTED transaction a session would open.
        # SQLite's driver opens no transaction for reads anyway.
        reader = self.engine
        if self.dialect != "sqlite":
            reader = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.reads = sessionmaker(reader, expire_on_commit=False)

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


# SQLite primary result codes that say the database can't take a statement now, whatever the statement: BUSY, LOCKED,
# NOMEM, READONLY, IOERR, FULL, CANTOPEN (https://www.sqlite.org/rescode.html). PostgreSQL SQLSTATE classes of the
# same kind: connection exception, insufficient resources (disk full, out of memory), operator intervention (the
# server shutting down), system error.
_SQLITE_UNAVAILABLE = frozenset({5, 6, 7, 8, 10, 13, 14})
_POSTGRES_UNAVAILABLE = frozenset({"08", "53", "57", "58"})


def store_unavailable(exc: BaseException) -> bool:
    """Whether a database error says the store can't answer or save right now (a full disk, a lock held too long, a
    server gone), as opposed to a fault of the statement or the schema ("no such table"), which is a bug."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated:
        return True
    original = exc.orig
    code = getattr(original, "sqlite_errorcode", None)
    if isinstance(code, int):
        return (code & 0xFF) in _SQLITE_UNAVAILABLE
    state = getattr(original, "sqlstate", None)
    if isinstance(state, str) and state:
        return state[:2] in _POSTGRES_UNAVAILABLE
    # The driver could not talk to the server at all (refused, reset): no SQLSTATE, and an OperationalError.
    return isinstance(exc, OperationalError)


def log_failure(log: logging.Logger, what: str, exc: BaseException) -> None:
    """Log a failed step of a long-running job: a store that is full or gone in one line (it may last for hours and
    is retried anyway), anything else with its traceback."""
    if store_unavailable(exc):
        log.error("%s: %s", what, failure_reason(exc))  # type: ignore[arg-type]
    else:
        log.error("%s", what, exc_info=exc)
