"""Build (or reuse) the generated stores of ``bench search``: a SQLite file and a PostgreSQL database.

Both are migrated by the real migrations, then loaded from :mod:`bench.search_data` in id order. Worker processes
generate each chunk and encode it for each store: SQLite parameters through the engine's own type conversions
(datetimes, numbers, JSON), PostgreSQL COPY text. The loader drops the secondary indexes of ``postings`` and
``posting_skills`` (and SQLite's full-text triggers) before the load and creates them again afterwards from the DDL
the migrations wrote, rebuilding the FTS5 index in one pass; PostgreSQL computes the generated ``search_vector``
itself. What is left is what an ingest would have written (checked row for row against inserts through SQLAlchemy
while this was written).

A store is reused (``--keep``) while its recorded plan (generator version, size, vocabulary) matches; a reused store
is brought up to the head revision.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy.dialects import sqlite as sqlite_dialect

from bench.search_data import Plan, anchor_now, generate, source_keys
from config.sources import platform_terms
from store.db import Database
from store.migrate import upgrade
from store.models import Posting, Source
from store.models.base import dump_json

WORK_DIR = Path(os.environ.get("JOBSIFT_BENCH_DIR", "/tmp/jobsift-bench-search"))
POSTGRES_SERVER = os.environ.get("JOBSIFT_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432")
POSTGRES_DB = os.environ.get("JOBSIFT_BENCH_POSTGRES_DB", "jobsift_bench_search")
CHUNK = 5000
TABLES = ("postings", "posting_skills")


def sqlite_url() -> str:
    return f"sqlite:///{WORK_DIR / 'search.db'}"


def postgres_url() -> str:
    return f"{POSTGRES_SERVER.replace('postgresql://', 'postgresql+psycopg://', 1)}/{POSTGRES_DB}"


def _meta_path(backend: str) -> Path:
    return WORK_DIR / f"{backend}.json"


def _read_meta(backend: str) -> dict[str, Any] | None:
    try:
        return json.loads(_meta_path(backend).read_text())  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return None


def _write_meta(backend: str, plan: Plan, seconds: float) -> None:
    meta = {"key": plan.key, "postings": plan.postings, "anchor": plan.anchor.isoformat(), "load_seconds": seconds}
    _meta_path(backend).write_text(json.dumps(meta))


def cached_plan(backend: str, postings: int) -> Plan | None:
    """The plan of a usable store of this backend and size, or None."""
    meta = _read_meta(backend)
    if meta is None:
        return None
    plan = Plan(postings, datetime.fromisoformat(meta["anchor"]))
    if meta["key"] != plan.key:
        return None
    if backend == "sqlite" and not (WORK_DIR / "search.db").exists():
        return None
    if backend == "postgresql" and not _postgres_exists():
        return None
    return plan


# The bench database's own settings, as an operator sets them for a search store held in memory: random reads cost
# about what sequential ones do (the planner then reads full-text matches through their GIN bitmap rather than every
# row), bitmaps of a few hundred thousand matches stay exact (no lossy pages to re-check), and no JIT compilation,
# which costs more than it saves on queries of this size. ``ALTER DATABASE`` applies them to new connections.
POSTGRES_SETTINGS = {"random_page_cost": "1.1", "work_mem": "64MB", "jit": "off"}


def configure_postgres() -> None:
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        for name, value in POSTGRES_SETTINGS.items():
            conn.execute(f"ALTER DATABASE \"{POSTGRES_DB}\" SET {name} = '{value}'")


def _postgres_exists() -> bool:
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (POSTGRES_DB,)).fetchone() is not None


def _chunks(plan: Plan) -> list[tuple[int, int]]:
    return [(start, min(start + CHUNK, plan.postings)) for start in range(0, plan.postings, CHUNK)]


# A chunk as each store takes it: SQLite parameter tuples (posting rows, skill rows), PostgreSQL COPY text.
Chunk = dict[str, tuple[Any, Any]]
POSTING_COLUMNS = tuple(c.name for c in Posting.__table__.columns)


@cache
def _sqlite_processors() -> tuple[Callable[[Any], Any] | None, ...]:
    """The engine's own conversion of each posting column's value for SQLite (datetimes, numbers, JSON)."""
    dialect = sqlite_dialect.dialect(json_serializer=dump_json)
    return tuple(column.type.dialect_impl(dialect).bind_processor(dialect) for column in Posting.__table__.columns)


def _sqlite_rows(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    processors = _sqlite_processors()
    return [
        tuple(value if process is None else process(value) for process, value in zip(processors, values, strict=True))
        for values in ([row[name] for name in POSTING_COLUMNS] for row in rows)
    ]


def _copy_value(value: Any) -> str:
    """A value in PostgreSQL's COPY text format, as psycopg would send it."""
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)  # text, and JSON documents already serialised (EncodedJson)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _copy_text(rows: list[tuple[Any, ...]]) -> str:
    return "".join("\t".join(_copy_value(v) for v in row) + "\n" for row in rows)


def _encode_chunk(args: tuple[Plan, int, int, tuple[str, ...]]) -> tuple[int, Chunk]:
    """Generate a chunk (in a worker process) and encode it for each store, so that the loader only writes."""
    plan, start, stop, backends = args
    rows, skill_rows = generate(plan, start, stop)
    skills = [(s["posting_id"], s["skill"], s["position"]) for s in skill_rows]
    chunk: Chunk = {}
    if "sqlite" in backends:
        chunk["sqlite"] = (_sqlite_rows(rows), skills)
    if "postgresql" in backends:
        chunk["postgresql"] = (_copy_text([tuple(row[n] for n in POSTING_COLUMNS) for row in rows]), _copy_text(skills))
    return len(rows), chunk


def _generated(plan: Plan, processes: int, backends: tuple[str, ...]) -> Iterator[tuple[int, Chunk]]:
    """Chunks in id order, generated and encoded in a pool of worker processes."""
    work = [(plan, start, stop, backends) for start, stop in _chunks(plan)]
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        yield from pool.imap(_encode_chunk, work, chunksize=1)


def _add_sources(db: Database, plan: Plan) -> None:
    with db.transaction() as session:
        for i, (key, name, kind, url, sector) in enumerate(source_keys(), start=1):
            session.add(
                Source(
                    id=i,
                    key=key,
                    name=name,
                    kind=kind,
                    url=url,
                    sector=sector,
                    enabled=True,
                    interval_minutes=360,
                    terms=platform_terms(kind),
                    created_at=plan.anchor,
                    consecutive_failures=0,
                    shrunk_runs=0,
                    last_crawl_at=plan.anchor,
                    last_success_at=plan.anchor,
                )
            )


class Loader:
    """Writes encoded chunks into one store; ``finish`` restores indexes and statistics."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def start(self) -> None: ...

    def write(self, postings: Any, skills: Any) -> None: ...

    def finish(self, postings: int) -> None: ...


class SqliteLoader(Loader):
    def start(self) -> None:
        self.conn = self.db.engine.connect()
        raw = self.conn.connection.dbapi_connection
        assert raw is not None
        self.raw = raw
        # No journal for the load (a failed load is rebuilt from scratch: its meta file is only written on success).
        raw.execute("PRAGMA journal_mode=OFF")
        raw.execute("PRAGMA synchronous=OFF")
        raw.execute("PRAGMA cache_size=-1000000")
        self.saved = raw.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('postings', 'posting_skills') "
            "AND type IN ('index', 'trigger') AND sql IS NOT NULL"
        ).fetchall()
        for kind, name, _sql in self.saved:
            raw.execute(f'DROP {kind.upper()} "{name}"')
        raw.commit()
        marks = ", ".join("?" for _ in POSTING_COLUMNS)
        self.insert_postings = f"INSERT INTO postings ({', '.join(POSTING_COLUMNS)}) VALUES ({marks})"

    def write(self, postings: Any, skills: Any) -> None:
        self.raw.executemany(self.insert_postings, postings)
        self.raw.executemany("INSERT INTO posting_skills (posting_id, skill, position) VALUES (?, ?, ?)", skills)
        self.raw.commit()

    def finish(self, postings: int) -> None:
        raw = self.conn.connection.dbapi_connection
        assert raw is not None
        # The full-text index in one pass over the content table, as the insert trigger would have built it.
        raw.execute("INSERT INTO postings_fts(postings_fts) VALUES ('rebuild')")
        raw.execute("INSERT INTO postings_fts(postings_fts) VALUES ('optimize')")
        for _kind, _name, sql in self.saved:
            raw.execute(sql)
        # No ANALYZE: a store grown by crawls has no planner statistics either, and the queries must not need them.
        raw.commit()
        raw.execute("PRAGMA journal_mode=WAL")
        self.conn.close()


class PostgresLoader(Loader):
    def start(self) -> None:
        self.plain = self.db.url.replace("postgresql+psycopg://", "postgresql://", 1)
        self.conn = psycopg.connect(self.plain)
        self.saved = self.conn.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = current_schema() "
            "AND i.tablename IN ('postings', 'posting_skills') AND NOT EXISTS (SELECT 1 FROM pg_constraint c "
            "WHERE c.conname = i.indexname)"
        ).fetchall()
        for name, _sql in self.saved:
            self.conn.execute(f'DROP INDEX "{name}"')
        self.conn.commit()
        self.copy_postings = f"COPY postings ({', '.join(POSTING_COLUMNS)}) FROM STDIN"

    def write(self, postings: Any, skills: Any) -> None:
        with self.conn.cursor() as cur:
            with cur.copy(self.copy_postings) as copy:
                copy.write(postings)
            with cur.copy("COPY posting_skills (posting_id, skill, position) FROM STDIN") as copy:
                copy.write(skills)
        self.conn.commit()

    def finish(self, postings: int) -> None:
        self.conn.execute("SET maintenance_work_mem = '1GB'")
        for _name, sql in self.saved:
            self.conn.execute(sql)
        self.conn.execute("SELECT setval(pg_get_serial_sequence('postings', 'id'), %s)", (postings,))
        self.conn.execute("SELECT setval(pg_get_serial_sequence('sources', 'id'), (SELECT max(id) FROM sources))")
        self.conn.commit()
        self.conn.autocommit = True
        # What autovacuum does after a bulk load (statistics, and the visibility map that index-only scans read),
        # done now so that the measurements do not depend on when it gets to it.
        self.conn.execute("VACUUM ANALYZE postings")
        self.conn.execute("VACUUM ANALYZE posting_skills")
        self.conn.execute("VACUUM ANALYZE sources")
        self.conn.close()


def _fresh_sqlite() -> Database:
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{WORK_DIR / 'search.db'}{suffix}").unlink(missing_ok=True)
    _meta_path("sqlite").unlink(missing_ok=True)
    db = Database(sqlite_url())
    upgrade(db.engine)
    return db


def _fresh_postgres() -> Database:
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    _meta_path("postgresql").unlink(missing_ok=True)
    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{POSTGRES_DB}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{POSTGRES_DB}"')
    configure_postgres()
    db = Database(postgres_url())
    upgrade(db.engine)
    return db


def build(backends: list[str], postings: int, processes: int, log: Callable[[str], None]) -> dict[str, Plan]:
    """Generate the stores of these backends (one generation pass feeds all of them); returns each one's plan."""
    plan = Plan(postings, anchor_now())
    openers = {"sqlite": (_fresh_sqlite, SqliteLoader), "postgresql": (_fresh_postgres, PostgresLoader)}
    loaders: dict[str, Loader] = {}
    for backend in backends:
        fresh, loader_class = openers[backend]
        db = fresh()
        _add_sources(db, plan)
        loaders[backend] = loader_class(db)
        loaders[backend].start()
    started = time.perf_counter()
    done = 0
    # One thread a store: SQLite's C code and PostgreSQL's COPY release the GIL, so the stores load side by side.
    with ThreadPoolExecutor(max_workers=len(loaders)) as writers:
        pending: list[Any] = []
        for count, chunk in _generated(plan, processes, tuple(loaders)):
            for future in pending:
                future.result()
            pending = [writers.submit(loader.write, *chunk[backend]) for backend, loader in loaders.items()]
            done += count
            if done % 100_000 < CHUNK:
                log(f"  generated and loaded {done:,} postings ({time.perf_counter() - started:.0f} s)")
        for future in pending:
            future.result()
    log(f"  rows loaded in {time.perf_counter() - started:.0f} s; building indexes")
    for backend, loader in loaders.items():
        t0 = time.perf_counter()
        loader.finish(postings)
        loader.db.dispose()
        vacuumed = ", vacuumed and analysed" if backend == "postgresql" else ""
        log(f"  {backend}: indexes and full-text index built{vacuumed} in {time.perf_counter() - t0:.0f} s")
        _write_meta(backend, plan, time.perf_counter() - started)
    return {backend: plan for backend in loaders}


def ensure(
    backends: list[str], postings: int, keep: bool, processes: int, log: Callable[[str], None]
) -> dict[str, Plan]:
    """The plan of each backend's store: reused when ``keep`` and it matches, generated otherwise."""
    plans: dict[str, Plan] = {}
    missing = []
    for backend in backends:
        plan = cached_plan(backend, postings) if keep else None
        if plan is None:
            missing.append(backend)
        else:
            log(f"  reusing the {backend} store of {postings:,} postings generated {plan.anchor:%Y-%m-%d %H:%M} UTC")
            if backend == "postgresql":
                configure_postgres()
            db = Database(sqlite_url() if backend == "sqlite" else postgres_url())
            upgrade(db.engine)  # a store built before a new migration gets it now
            db.dispose()
            plans[backend] = plan
    if missing:
        log(f"  generating {postings:,} postings into {', '.join(missing)}")
        plans.update(build(missing, postings, processes, log))
    return plans


def url_for(backend: str) -> str:
    return sqlite_url() if backend == "sqlite" else postgres_url()


def describe_plan(plan: Plan) -> str:
    return f"{plan.postings:,} postings, generated {plan.anchor:%Y-%m-%d %H:%M} UTC ({plan.key})"


def _now_for_logs() -> str:
    return time.strftime("%H:%M:%S")


__all__ = ["WORK_DIR", "describe_plan", "ensure", "postgres_url", "sqlite_url", "url_for"]
