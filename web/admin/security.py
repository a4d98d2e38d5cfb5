"""The admin's session, CSRF tokens, client address and redirect rules.

Sessions are Flask's signed cookies, made revocable by a server-side check: the cookie carries the admin's id, the
``session_version`` it was issued under and when the admin signed in. A request is signed in only while the account
still has that version (logout and a new password raise it, ending every session issued before) and the sign-in is
less than SESSION_LIFETIME old. The cookie is HttpOnly and SameSite=Lax always, and Secure whenever the request came
over HTTPS (through a trusted proxy's X-Forwarded-Proto when JOBSIFT_TRUSTED_PROXIES says there is one).
"""

from __future__ import annotations

import hmac
import secrets
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from flask import Flask, Response, abort, g, has_request_context, request, session
from flask.sessions import SecureCookieSessionInterface, SessionMixin

from store.models import AdminUser
from store.queries.admin import get_admin
from web.db import session as db_session

SESSION_LIFETIME = timedelta(hours=12)
CSRF_FIELD = "csrf_token"
_AUTH_KEYS = ("admin_id", "admin_version", "signed_in_at")


class SessionCookies(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the Secure flag decided per request: set whenever it came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        if has_request_context() and request.is_secure:
            return True
        return bool(app.config["SESSION_COOKIE_SECURE"])

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        # A request whose writes failed (web/errors.py) changed nothing, its session included: the browser keeps the
        # cookie it has.
        if g.get("store_failed"):
            return
        super().save_session(app, session, response)


def client_address() -> str:
    """The client's IP address: the peer's, or the one a trusted proxy reports (ProxyFix, set up in create_app)."""
    return (request.remote_addr or "unknown")[:64]


def csrf_token() -> str:
    """The session's CSRF token, made on first use; every admin form carries it."""
    token = session.get("csrf")
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session["csrf"] = token
    return token


def check_csrf() -> None:
    """Refuse a POST that came from another site or lacks this session's token."""
    # Browsers say where a request comes from; the token is what counts for those that don't. (Origin is not compared
    # with the Host: behind a proxy that rewrites Host, every form would be refused.)
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403, "Forms from other sites are refused.")
    expected = session.get("csrf")
    given = request.form.get(CSRF_FIELD, "")
    if not isinstance(expected, str) or not expected or not hmac.compare_digest(expected.encode(), given.encode()):
        abort(400, "This form has expired or did not come from this site. Go back, reload the page and try again.")


def sign_in(admin: AdminUser, now: datetime) -> None:
    """A fresh session for this admin: nothing of the session before the login survives, not even its CSRF token."""
    session.clear()
    session["admin_id"] = admin.id
    session["admin_version"] = admin.session_version
    session["signed_in_at"] = now.timestamp()
    session["csrf"] = secrets.token_urlsafe(32)


def sign_out() -> None:
    session.clear()


def current_admin() -> AdminUser | None:
    """The signed-in admin of this request, checked against the store (cached on ``g``)."""
    if "admin" in g:
        return g.admin  # type: ignore[no-any-return]
    g.admin = None
    admin_id, version, signed_in = (session.get(k) for k in _AUTH_KEYS)
    if not isinstance(admin_id, int) or not isinstance(version, int) or not isinstance(signed_in, int | float):
        return None
    if datetime.now(UTC).timestamp() - signed_in > SESSION_LIFETIME.total_seconds():
        sign_out()
        return None
    admin = get_admin(db_session(), admin_id)
    if admin is None or admin.session_version != version:
        sign_out()
        return None
    g.admin = admin
    return admin


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a path on this site, else None: a login never sends anyone to another site."""
    if not target or len(target) > 2000 or not target.startswith("/") or target.startswith(("//", "/\\")):
        return None
    if any(ch in target for ch in "\\\r\n\t") or any(ord(ch) < 32 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
