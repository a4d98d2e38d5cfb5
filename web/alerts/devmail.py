"""``/dev/mail``: the mail sink's messages, for the demo and local installs without an SMTP server.

Registered only when no ``JOBSIFT_SMTP_URL`` is set, and it answers only clients on loopback: the messages hold
working confirm and manage links, which nobody else may read.
"""

from __future__ import annotations

import email
import email.policy
import ipaddress
import re
from email.message import EmailMessage
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

bp = Blueprint("devmail", __name__, url_prefix="/dev/mail")
_NAME = re.compile(r"^[0-9a-f]{20}$")
LIST_LIMIT = 200


@bp.before_request
def loopback_only() -> None:
    try:
        loopback = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        abort(404)


@bp.after_request
def private(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _directory() -> Path:
    return current_app.extensions["jobsift.settings"].mail_sink_dir  # type: ignore[no-any-return]


def _read(path: Path) -> EmailMessage:
    with path.open("rb") as fh:
        return email.message_from_binary_file(fh, policy=email.policy.default)  # type: ignore[return-value]


@bp.get("")
def index() -> ResponseReturnValue:
    directory = _directory()
    files = sorted(directory.glob("*.eml"), key=lambda p: p.stat().st_mtime, reverse=True) if directory.is_dir() else []
    messages = []
    for path in files[:LIST_LIMIT]:
        message = _read(path)
        messages.append(
            {"name": path.stem, "subject": message["Subject"], "to": message["To"], "date": message["Date"]}
        )
    return render_template("alerts/devmail.html", messages=messages, directory=directory, total=len(files))


def _message(name: str) -> EmailMessage:
    if not _NAME.match(name):
        abort(404)
    path = _directory() / f"{name}.eml"
    if not path.is_file():
        abort(404)
    return _read(path)


@bp.get("/<name>")
def message(name: str) -> ResponseReturnValue:
    found = _message(name)
    text = found.get_body(preferencelist=("plain",))
    return render_template(
        "alerts/devmail_message.html",
        name=name,
        headers=list(found.items()),
        text=text.get_content() if text is not None else "",
        has_html=found.get_body(preferencelist=("html",)) is not None,
    )


@bp.get("/<name>.html")
def message_html(name: str) -> ResponseReturnValue:
    part = _message(name).get_body(preferencelist=("html",))
    if part is None:
        abort(404)
    response = Response(part.get_content(), mimetype="text/html")
    # The email's own HTML (inline styles, as mail clients want), shown sandboxed: no scripts, nothing fetched.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
    )
    return response
