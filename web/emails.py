"""Every email jobsift sends is one kind, rendered by :func:`render` from three templates under
``web/templates/emails/``: ``<kind>-subject.html``, ``<kind>-body-text.html`` and ``<kind>-body-html.html``; then
:func:`build_message` wraps it in a multipart/alternative message with the headers every kind carries.

Emails are rendered outside any request (the scheduler sends digests), so this is a Jinja environment of its own,
with absolute links given by the caller. Only the HTML body is autoescaped.
"""

from __future__ import annotations

import binascii
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.header import Header
from email.utils import format_datetime, formataddr, parseaddr
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from jinja2 import Environment, FileSystemLoader, StrictUndefined

TEMPLATES = Path(__file__).parent / "templates"
_REMOTE_LABELS = {"remote": "Remote", "hybrid": "Hybrid", "onsite": "On-site", "unknown": "Remote status not stated"}
_PERIODS = {"year": "a year", "month": "a month", "week": "a week", "day": "a day", "hour": "an hour"}


@dataclass(frozen=True)
class Email:
    subject: str
    text: str
    html: str


def remote_label(value: str) -> str:
    return _REMOTE_LABELS.get(value, value)


class Salaried(Protocol):
    salary_min: float | None
    salary_max: float | None
    salary_currency: str | None
    salary_period: str | None


def salary_label(posting: Salaried) -> str | None:
    """ "USD 150,000–180,000 a year" as the posting states it, or None."""
    low, high = posting.salary_min, posting.salary_max
    if low is None and high is None:
        return None
    amounts = "–".join(f"{v:,.0f}" for v in (low, high) if v is not None) if low != high else f"{low:,.0f}"
    period = _PERIODS.get(posting.salary_period or "", "")
    return " ".join(part for part in (posting.salary_currency or "", amounts, period) if part)


@cache
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=lambda name: bool(name and name.endswith("-body-html.html")),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["remote_label"] = remote_label
    return env


def render(kind: str, context: Mapping[str, Any]) -> Email:
    env = _environment()
    subject = env.get_template(f"emails/{kind}-subject.html").render(context)
    return Email(
        # One line, whatever the template or the data put in it: a header can't be split by what a user typed.
        subject=" ".join(subject.split())[:200],
        text=env.get_template(f"emails/{kind}-body-text.html").render(context),
        html=env.get_template(f"emails/{kind}-body-html.html").render(context),
    )


@dataclass(frozen=True)
class OutgoingMail:
    """A message ready for the wire: its bytes (CRLF line ends, RFC 5322 / MIME), and what the envelope needs."""

    message_id: str
    to: str
    data: bytes


def build_message(
    rendered: Email,
    *,
    sender: str,
    to: str,
    message_id: str,
    headers: Mapping[str, str] = {},
    date: datetime | None = None,
) -> OutgoingMail:
    """multipart/alternative: the text part first, the HTML part last (the one a client shows when it can), each
    UTF-8 in quoted-printable (no line of ours can exceed SMTP's 998 characters).

    Written out directly rather than through the email package's generator, which took most of the time of a digest
    (it parses and refolds every header); tests read these messages back with the email package, as a client does.
    Every header value is checked to be one line; non-ASCII text is encoded as RFC 2047 words."""
    boundary = "=_jobsift_" + secrets.token_hex(12)
    lines = [
        "MIME-Version: 1.0",
        f"Subject: {_text_header(rendered.subject)}",
        f"From: {_address(sender)}",
        f"To: {_address(to)}",
        f"Date: {format_datetime(date or datetime.now(UTC))}",
        f"Message-ID: {_one_line(message_id)}",
        # Automatic mail (RFC 3834): out-of-office replies and the like are not sent back to it.
        "Auto-Submitted: auto-generated",
        *(f"{_one_line(name)}: {_text_header(value)}" for name, value in headers.items()),
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
        "",
        "This is a multi-part message in MIME format.",
    ]
    for subtype, body in (("plain", rendered.text), ("html", rendered.html)):
        lines += [
            f"--{boundary}",
            f'Content-Type: text/{subtype}; charset="utf-8"',
            "Content-Transfer-Encoding: quoted-printable",
            "",
            _quoted_printable(body),
        ]
    lines += [f"--{boundary}--", ""]
    return OutgoingMail(message_id=message_id, to=to, data="\r\n".join(lines).encode("ascii"))


def _quoted_printable(body: str) -> str:
    """Quoted-printable (RFC 2045), lines of at most 76 characters, CRLF: about the size of the text itself (base64
    is a third larger), and readable in the raw message."""
    encoded = binascii.b2a_qp(body.encode("utf-8"), istext=True).decode("ascii")
    return encoded.replace("\r\n", "\n").replace("\n", "\r\n").rstrip("\r\n")


def _one_line(value: str) -> str:
    if "\r" in value or "\n" in value:
        raise ValueError("a header value may not contain a line break")
    return value


def _text_header(value: str) -> str:
    value = _one_line(value)
    return value if value.isascii() else Header(value, "utf-8").encode(linesep="\r\n")


def _address(value: str) -> str:
    name, address = parseaddr(_one_line(value))
    if not address.isascii():
        raise ValueError("only ASCII addresses are supported")
    return _text_header(formataddr((name, address), charset="utf-8"))
