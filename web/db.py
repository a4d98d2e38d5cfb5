from __future__ import annotations

from flask import current_app, g
from sqlalchemy.orm import Session

from store.db import Database


def session() -> Session:
    """The request's session, opened on first use and closed at teardown."""
    if "db_session" not in g:
        db: Database = current_app.extensions["jobsift.db"]
        g.db_session = db.sessions()
    return g.db_session


def read_session() -> Session:
    """The request's session for reading only (``Database.reads``), opened on first use and closed at teardown."""
    if "db_read_session" not in g:
        db: Database = current_app.extensions["jobsift.db"]
        g.db_read_session = db.reads()
    return g.db_read_session
