"""What the admin tests do over and over: make an account, sign in, post a form with the session's CSRF token."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import unescape
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from store.db import Database
from store.models import AuditEntry
from store.queries.admin import create_admin

ADA = "ada@example.com"
PASSWORD = "plum orbit lantern 42"


def make_admin(db: Database, email: str = ADA, password: str = PASSWORD) -> int:
    with db.transaction() as s:
        return create_admin(s, email, password, datetime.now(UTC)).id


def csrf(client: FlaskClient, base_url: str | None = None) -> str:
    """The session's CSRF token (a page is fetched first if the session has none yet)."""
    where = {"base_url": base_url} if base_url else {}
    with client.session_transaction(**where) as session:
        token = session.get("csrf")
    if token is None:
        page = client.get("/admin/login", **where)
        found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert found, page.text
        token = found.group(1)
    return str(token)


def post(client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> TestResponse:
    return client.post(path, data={"csrf_token": csrf(client, kwargs.get("base_url")), **(data or {})}, **kwargs)


def sign_in(
    client: FlaskClient, email: str = ADA, password: str = PASSWORD, next: str | None = None, **kwargs: Any
) -> TestResponse:
    data = {"email": email, "password": password, **({"next": next} if next is not None else {})}
    return post(client, "/admin/login", data, **kwargs)


def audit_log(db: Database, action: str | None = None) -> list[AuditEntry]:
    with db.transaction() as s:
        query = select(AuditEntry).order_by(AuditEntry.id)
        if action:
            query = query.where(AuditEntry.action == action)
        return list(s.scalars(query))


def field_errors(html: str) -> list[str]:
    return [unescape(e) for e in re.findall(r'class="field-error" id="[^"]+">([^<]+)<', html)]
