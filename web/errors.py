from __future__ import annotations

import logging

from flask import Flask, g, jsonify, render_template, request
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException

from store.db import failure_reason, store_unavailable
from web.params import BadParameter

log = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again when the store can't take a write.
STORE_RETRY_AFTER = 60
STORE_UNAVAILABLE = (
    "jobsift's database is full or not answering right now. Nothing was changed; please try again in a few minutes."
)


def _wants_json() -> bool:
    return request.path.startswith("/api/")


def register(app: Flask) -> None:
    @app.errorhandler(BadParameter)
    def bad_parameter(exc: BadParameter):  # type: ignore[no-untyped-def]
        if _wants_json():
            return jsonify(error="bad_parameter", parameter=exc.name, message=str(exc)), 400
        return render_template("error.html", status=400, message=str(exc)), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):  # type: ignore[no-untyped-def]
        status = exc.code or 500
        if _wants_json():
            return jsonify(error=exc.name.lower().replace(" ", "_"), message=exc.description), status
        return render_template("error.html", status=status, message=exc.description), status

    @app.errorhandler(OperationalError)
    def store_unavailable_error(exc: OperationalError):  # type: ignore[no-untyped-def]
        if not store_unavailable(exc):
            raise exc  # a fault of the statement or the schema: a bug, answered 500 and logged with its traceback
        # A full disk, a lock held past the busy timeout, a database server gone: the request's transaction rolled
        # back, so nothing was half-saved. Say so plainly, with a 503 that clients may retry, rather than a bare 500,
        # and keep the session cookie as it came (a sign-in that could not be recorded does not happen).
        log.error("%s %s: the store failed: %s", request.method, request.path, failure_reason(exc))
        g.store_failed = True
        headers = {"Retry-After": str(STORE_RETRY_AFTER)}
        if _wants_json():
            return jsonify(error="store_unavailable", message=STORE_UNAVAILABLE), 503, headers
        return render_template("error.html", status=503, message=STORE_UNAVAILABLE), 503, headers
