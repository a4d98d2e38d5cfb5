"""Asking for an alert: one use case behind the form and the API, with the same limits.

The answer never says whether the address already has alerts: a new address and a known one both get "check your
inbox". A new search starts a double opt-in (a confirmation email; nothing else is sent until its link is used); a
repeated one re-sends the confirmation if it is still pending, or mails the existing alert's manage link.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from config.settings import Settings
from store.db import Database
from store.models.alert import FREQUENCIES
from store.queries.alerts import (
    create_subscription,
    find_subscription,
    lock_confirmations,
    normalise_email,
    queue_mail,
    record_confirmation_request,
    throttled_until,
)
from store.search import PostingFilters
from web.alerts.searches import FLOOD_LIMIT, canonical_query, narrows, weekly_estimate
from web.alerts.sender import FREQUENCY_LABELS, Sender

log = logging.getLogger(__name__)

# Plain ASCII addresses only: the local part without spaces, quotes or brackets, a domain with a dot.
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


class Refused(ValueError):
    """The request can't be accepted; ``field`` names what to fix (email, frequency, search)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class TooBroad(Refused):
    def __init__(self, weekly: int) -> None:
        super().__init__(
            "search",
            f"This search matches about {weekly:,} postings a week, more than the {FLOOD_LIMIT} an alert may send. "
            "Narrow it: add a skill or a keyword, choose a remote status, region, sector or seniority, or set a "
            "minimum salary.",
        )
        self.weekly = weekly


class Throttled(Exception):
    def __init__(self, until: datetime) -> None:
        super().__init__(f"too many confirmation emails; try again after {until:%H:%M} UTC")
        self.until = until


@dataclass(frozen=True)
class Requested:
    digest_id: int
    weekly: int


def check_email(raw: str) -> str:
    email = normalise_email(raw)
    if not email:
        raise Refused("email", "Enter your email address.")
    if len(email) > 254 or not _EMAIL.match(email):
        raise Refused("email", "This is not an email address we can send to (plain letters, name@example.com).")
    return email


def check_frequency(raw: str) -> str:
    value = raw.strip().lower()
    if value not in FREQUENCIES:
        # The API's values and, for a person, what the form calls them ("instant" is not a word the form shows).
        choices = [v if FREQUENCY_LABELS[v] == v else f"{v} ({FREQUENCY_LABELS[v]})" for v in FREQUENCIES]
        raise Refused("frequency", f"Choose how often: {', '.join(choices)}.")
    return value


def check_search(session: Session, filters: PostingFilters) -> int:
    """The search's weekly estimate, if an alert may be made of it; raises Refused or TooBroad."""
    if not narrows(filters):
        raise Refused(
            "search",
            "An alert needs at least one filter or keyword: one for every posting would flood your inbox. "
            "Choose a skill, a keyword, a remote status, a sector or a seniority first.",
        )
    weekly = weekly_estimate(session, filters)
    if weekly > FLOOD_LIMIT:
        raise TooBroad(weekly)
    return weekly


def request_alert(
    session: Session,
    *,
    email: str,
    frequency: str,
    filters: PostingFilters,
    client: str,
    now: datetime,
) -> Requested:
    """Validate, throttle and queue the confirmation (or the manage link); the caller commits, then sends it with
    :func:`send_soon`. Raises Refused, TooBroad or Throttled."""
    email = check_email(email)
    frequency = check_frequency(frequency)
    weekly = check_search(session, filters)
    lock_confirmations(session, email)
    until = throttled_until(session, email=email, client=client, now=now)
    if until is not None:
        raise Throttled(until)
    record_confirmation_request(session, email=email, client=client, now=now)
    query = canonical_query(filters)
    existing = find_subscription(session, email, query)
    if existing is None:
        subscription = create_subscription(session, email=email, query=query, frequency=frequency, now=now)
        kind = "confirm"
    elif existing.state == "pending":
        subscription, kind = existing, "confirm"
        subscription.frequency = frequency
    else:
        subscription, kind = existing, "already"
    digest = queue_mail(session, subscription.id, kind, now)
    return Requested(digest_id=digest.id, weekly=weekly)


def send_soon(database: Database, settings: Settings, digest_id: int) -> None:
    """Try to send a queued confirmation now, so it arrives while the person waits. If the mail server can't take
    it, it stays queued and the scheduler's alert pass retries it; the person sees the same page either way."""
    try:
        Sender(database, settings).send_now([digest_id])
    except Exception:  # the store hiccuped: the scheduler's pass sends it
        log.exception("could not send confirmation %d now; the scheduler will", digest_id)
