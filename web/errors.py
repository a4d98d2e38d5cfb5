from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from web.params import BadParameter


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
