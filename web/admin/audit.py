"""The audit log: every admin action is written with who, what, which target, when, and the values before and after;
``/admin/audit`` lists it, newest first."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, render_template, request
from flask.typing import ResponseReturnValue

from store.queries.admin import audit_actions, audit_entries, record_audit
from web.admin import bp
from web.admin.forms import whole_number
from web.admin.security import client_address, current_admin
from web.db import session

PER_PAGE = 50


def audit(
    action: str,
    target: str | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    actor: str | None = None,
    admin_id: int | None = None,
) -> None:
    """Record an action of the signed-in admin (or, for a login, of ``actor``) in the request's transaction."""
    admin = current_admin()
    record_audit(
        session(),
        action=action,
        actor=actor or (admin.email if admin else "anonymous"),
        admin_id=admin_id if admin_id is not None else (admin.id if admin else None),
        client=client_address(),
        target=target,
        before=before,
        after=after,
        now=datetime.now(UTC),
    )


def changes(before: dict[str, Any] | None, after: dict[str, Any] | None) -> list[tuple[str, Any, Any]]:
    """The fields that differ between before and after, as (field, old, new); every field when one side is empty."""
    before, after = before or {}, after or {}
    keys = list(dict.fromkeys([*before, *after]))
    if before and after:
        keys = [k for k in keys if before.get(k) != after.get(k)]
    return [(k, before.get(k), after.get(k)) for k in keys]


@bp.get("/audit")
def audit_log() -> ResponseReturnValue:
    action = request.args.get("action", "").strip()[:64] or None
    target = request.args.get("target", "").strip()[:300] or None
    page = whole_number(request.args.get("page", "1"), 1, 100_000)
    if page is None:
        abort(400, "page must be a whole number from 1")
    found = audit_entries(session(), action=action, target=target, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    return render_template(
        "admin/audit.html",
        entries=found.entries,
        total=found.total,
        page=page,
        pages=max(1, -(-found.total // PER_PAGE)),
        action=action,
        target=target,
        actions=audit_actions(session()),
        changes=changes,
    )
