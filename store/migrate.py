"""Alembic, driven from code: ``jobsift db upgrade`` and the app's own check at start-up."""

from __future__ import annotations

from importlib import resources

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


class SchemaOutOfDate(RuntimeError):
    """The database is behind the code and may not be migrated implicitly."""


def alembic_config(engine: Engine) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("store") / "migrations"))
    cfg.attributes["engine"] = engine
    return cfg


def head_revision(engine: Engine) -> str | None:
    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def ensure_schema(engine: Engine) -> None:
    """Bring the schema to head when that is safe to do implicitly.

    A fresh database (no revision) is migrated on any backend; an older SQLite file, the embedded single-user default,
    is upgraded too. An older PostgreSQL database is shared by many processes, so it is left to ``jobsift db upgrade``.
    """
    current = current_revision(engine)
    head = head_revision(engine)
    if current == head:
        return
    if current is None or engine.dialect.name == "sqlite":
        upgrade(engine)
        return
    raise SchemaOutOfDate(f"the database is at revision {current}, the code needs {head}: run `jobsift db upgrade`")
