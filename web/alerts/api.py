"""``POST /api/v1/alerts``: scripts ask for an alert with the same double opt-in and limits as the form.

Body: ``{"email": ..., "frequency": "instant" | "daily" | "weekly", "search": {the parameters of GET
/api/v1/postings}}``; a list stands for a repeated parameter (``"skill": ["Python", "Go"]``). Answers 202 when the
confirmation email is on its way (or, for an alert the address already has, its manage link), 400 with
``{"error": "bad_parameter", "parameter": ...}`` for a value that is not valid, or ``"too_broad"`` for a search that
would flood the inbox, and 429 with Retry-After when the address or the client asked for too many confirmations.
A JSON body is required: a form on another site can't send one without a CORS preflight, which this never allows.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.datastructures import MultiDict

from store.db import Database
from web.alerts.searches import FLOOD_LIMIT, filters_from_args
from web.alerts.subscribe import Refused, Throttled, TooBroad, request_alert, send_soon
from web.api.openapi import search_parameters
from web.params import BadParameter

bp = Blueprint("alerts_api", __name__, url_prefix="/api/v1/alerts")


def _bad(parameter: str, message: str) -> ResponseReturnValue:
    return jsonify(error="bad_parameter", parameter=parameter, message=f"{parameter}: {message}"), 400


@bp.post("")
def create() -> ResponseReturnValue:
    if not request.is_json:
        return _bad("body", "send a JSON object with Content-Type: application/json")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return _bad("body", "must be a JSON object")
    unknown = sorted(set(body) - {"email", "frequency", "search"})
    if unknown:
        return _bad(unknown[0], "unknown field; expected email, frequency and search")
    email, frequency, search = body.get("email"), body.get("frequency", "daily"), body.get("search")
    if not isinstance(email, str):
        return _bad("email", "required, a string")
    if not isinstance(frequency, str):
        return _bad("frequency", "must be instant, daily or weekly")
    if not isinstance(search, dict):
        return _bad("search", 'required, an object of search parameters such as {"skill": ["Python"]}')
    try:
        args = _search_args(search)
        filters = filters_from_args(args)
    except BadParameter as exc:
        return _bad(exc.name, exc.message)
    db: Database = current_app.extensions["jobsift.db"]
    try:
        with db.transaction() as s:
            requested = request_alert(
                s,
                email=email,
                frequency=frequency,
                filters=filters,
                client=(request.remote_addr or "unknown")[:64],
                now=datetime.now(UTC),
            )
    except TooBroad as exc:
        return jsonify(
            error="too_broad", parameter="search", message=exc.message, weekly_estimate=exc.weekly, limit=FLOOD_LIMIT
        ), 400
    except Refused as exc:
        return _bad(exc.field, exc.message)
    except Throttled as exc:
        wait = max(1, int((exc.until - datetime.now(UTC)).total_seconds()) + 1)
        response = jsonify(error="rate_limited", message=str(exc), retry_after=wait)
        response.headers["Retry-After"] = str(wait)
        return response, 429
    send_soon(db, current_app.extensions["jobsift.settings"], requested.digest_id)
    return jsonify(
        status="pending_confirmation",
        message="If the address can receive mail, a confirmation email is on its way; the alert starts once its "
        "link is used.",
        weekly_estimate=requested.weekly,
    ), 202


def _search_args(search: dict[str, Any]) -> MultiDict[str, str]:
    known = {p["name"] for p in search_parameters()}
    pairs: list[tuple[str, str]] = []
    for name, value in search.items():
        if name not in known:
            raise BadParameter(str(name)[:60], "unknown search parameter; see GET /api/v1/postings")
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, bool):
                pairs.append((name, "1" if item else "0"))
            elif isinstance(item, int | float | str):
                pairs.append((name, str(item)))
            elif item is not None:
                raise BadParameter(name, "must be a string, a number, a boolean or a list of them")
    return MultiDict(pairs)
