"""The web admin at /admin: admins sign in, tend the sources (health, crawl now, pause, edit, remove), add new ones
after a preview, import and export them, and read the audit log of everything done here.

Every page works without JavaScript and under the site's CSP. Every POST carries the session's CSRF token; every page
but the login needs a signed-in admin (see :mod:`web.admin.security`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Blueprint, Flask, Response, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue

from web.admin.forms import platform_label
from web.admin.preview import PreviewRunner
from web.admin.security import check_csrf, csrf_token, current_admin

bp = Blueprint("admin", __name__, url_prefix="/admin")
PUBLIC_ENDPOINTS = {"admin.login", "admin.login_post"}


# NUL and the other C0 controls (tab and line breaks aside) belong in no field; PostgreSQL can't even store NUL.
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@bp.before_request
def guard() -> ResponseReturnValue | None:
    values = [
        *request.args.values(),
        *(str(v) for v in (request.view_args or {}).values()),
        *(request.form.values() if request.method == "POST" else ()),
    ]
    if any(_FORBIDDEN.search(value) for value in values):
        abort(400, "The request has control characters, which no field may contain.")
    if request.method == "POST":
        check_csrf()
    if request.endpoint in PUBLIC_ENDPOINTS or current_admin() is not None:
        return None
    target = request.full_path.rstrip("?") if request.method == "GET" else None
    return redirect(url_for("admin.login", next=target))


@bp.after_request
def private_pages(response: Response) -> Response:
    # Admin pages show who is signed in and what they may do: never cached, never indexed.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


@bp.context_processor
def template_helpers() -> dict[str, object]:
    return {"csrf_token": csrf_token, "admin": current_admin()}


def when(value: datetime | None) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else "never"


def relative(value: datetime | None, now: datetime | None = None) -> str:
    """ "3 h ago", "in 12 min": how far a time is from now, in the largest whole unit."""
    if value is None:
        return "never"
    seconds = ((now or datetime.now(UTC)) - value).total_seconds()
    future, seconds = seconds < 0, abs(seconds)
    if seconds < 60:
        return "now" if future else "just now"
    for unit, size in (("d", 86_400), ("h", 3600), ("min", 60)):
        if seconds >= size:
            amount = f"{int(seconds // size)} {unit}"
            return f"in {amount}" if future else f"{amount} ago"
    return "now"  # pragma: no cover


def init_app(app: Flask, preview: PreviewRunner) -> None:
    from web.admin import add, audit, auth, sources, transfer  # noqa: F401  (their routes join the blueprint)

    app.extensions["jobsift.preview"] = preview
    app.add_template_filter(when, "when")
    app.add_template_filter(relative, "relative")
    app.add_template_filter(platform_label, "platform")
    app.register_blueprint(bp)
