"""CSRF protection for the subscribe form, the one alert form that carries no signed token.

The admin's helper (web/admin/security.py) ties its token to the admin's sign-in (a login replaces it), so the alert
pages keep a small one of their own under another session key: a random token in the session cookie, echoed by the
form, compared in constant time; and a browser's ``Sec-Fetch-Site: cross-site`` is refused outright. The manage
and confirm forms are authorised by the signed token in their URL, which a forging site can't know, and the
one-click unsubscribe must work without cookies (RFC 8058), so neither needs this.
"""

from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session

FIELD = "csrf_token"
_KEY = "alerts_csrf"


def csrf_token() -> str:
    token = session.get(_KEY)
    if not isinstance(token, str) or not token:
        token = secrets.token_urlsafe(32)
        session[_KEY] = token
    return token


def refuse_cross_site() -> None:
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403, "Forms from other sites are refused.")


def check_csrf() -> None:
    refuse_cross_site()
    expected = session.get(_KEY)
    given = request.form.get(FIELD, "")
    if not isinstance(expected, str) or not expected or not hmac.compare_digest(expected.encode(), given.encode()):
        abort(400, "This form has expired or did not come from this site. Go back, reload the page and try again.")
