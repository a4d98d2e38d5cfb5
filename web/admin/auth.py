"""Signing in and out of the admin.

An unknown address and a wrong password get the same answer, and an unknown address is checked against a dummy hash
so the answer takes as long. Failed attempts are throttled per typed address and per client address, in the store so
the throttle holds across web workers. A successful login starts a new session; logging out ends every session of the
account (its session version goes up).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue

from store.queries.admin import (
    MAX_PASSWORD_LENGTH,
    end_admin_sessions,
    find_admin,
    normalise_email,
    note_failed_login,
    note_login,
    record_login_attempt,
    throttled_until,
    verify_password,
)
from web.admin import bp
from web.admin.audit import audit
from web.admin.security import client_address, current_admin, safe_next, sign_in, sign_out
from web.db import session

WRONG = "Wrong e-mail address or password."


def _after_login(target: str | None) -> str:
    return safe_next(target) or url_for("admin.sources")


@bp.get("/login")
def login() -> ResponseReturnValue:
    target = request.args.get("next")
    if current_admin() is not None:
        return redirect(_after_login(target))
    return render_template("admin/login.html", next=safe_next(target), email="", error=None)


@bp.post("/login")
def login_post() -> ResponseReturnValue:
    email = normalise_email(request.form.get("email", ""))[:320]
    password = request.form.get("password", "")
    target = safe_next(request.form.get("next"))

    def again(error: str, status: int) -> ResponseReturnValue:
        return render_template("admin/login.html", next=target, email=email, error=error), status

    if not email or not password:
        return again("Enter your e-mail address and your password.", 400)
    if len(password) > MAX_PASSWORD_LENGTH:
        return again(WRONG, 401)
    db, now, client = session(), datetime.now(UTC), client_address()
    until = throttled_until(db, email=email, client=client, now=now)
    if until is not None:
        audit("login_throttled", f"admin:{email}", actor=email)
        db.commit()
        minutes = max(1, math.ceil((until - now).total_seconds() / 60))
        return again(
            f"Too many failed sign-ins for this account or from this address. Try again in {minutes} "
            f"minute{'s' if minutes != 1 else ''}.",
            429,
        )
    account = find_admin(db, email)
    if not verify_password(account.password_hash if account else None, password) or account is None:
        record_login_attempt(db, email=email, client=client, succeeded=False, now=now)
        if account is not None:
            note_failed_login(account, now)
        audit("login_failed", f"admin:{email}", actor=email, admin_id=account.id if account else None)
        db.commit()
        return again(WRONG, 401)
    record_login_attempt(db, email=email, client=client, succeeded=True, now=now)
    note_login(db, account, password, now)
    audit("login", f"admin:{email}", actor=email, admin_id=account.id)
    db.commit()
    sign_in(account, now)  # once the login is recorded: a store that can't record it signs nobody in
    return redirect(_after_login(target))


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    account = current_admin()
    if account is not None:
        audit("logout", f"admin:{account.email}")
        end_admin_sessions(account)
        session().commit()
    sign_out()
    flash("You are signed out.")
    return redirect(url_for("admin.login"))
