"""Sending alert emails: claim due digests, render each, deliver over one connection, record the outcome.

Delivery is at-least-once with a deterministic Message-ID. A sender claims a batch of digests with a conditional
UPDATE (pending -> sending, store.queries.alerts.claim_digests), commits, then sends each and records the outcome in
its own transaction. Two senders never both claim a digest. If a sender dies between sending and recording, its
claim goes stale after CLAIM_TIMEOUT and another sender sends the digest again, with the same Message-ID (derived
from the digest's id), so the receiving side can recognise the repeat. SMTP offers no way to make a send and a
database write one atomic step, so exactly-once can't be had; losing a digest is worse than sending it twice in a
crash window of milliseconds, hence this order (claim, send, record) rather than (record, send).

Outcomes: delivered -> ``sent``; a 4xx for this message -> retried with backoff (given up after GIVE_UP_AFTER, the
alert paused with the reason); a 5xx -> ``failed`` and the alert paused with the server's reply, shown on its manage
page; the server down, dropping the connection or refusing our login -> the digest goes back to ``pending`` without
counting against it, and the pass stops until the next one.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr

from config.settings import Settings
from store.db import Database
from store.models import AlertSubscription
from store.queries.alerts import (
    DigestToSend,
    PostingCache,
    claim_digests,
    digests_to_send,
    mark_failed,
    mark_retry,
    mark_sent,
    mark_unsent,
    note_sent,
    pause_subscription,
)
from store.search import PostingFilters
from web.alerts.links import MAX_AGE, Links
from web.alerts.searches import describe, filters_from_query, why_matched
from web.alerts.transport import (
    Connection,
    MailSink,
    Permanent,
    ServerUnavailable,
    SmtpTransport,
    Temporary,
    transport_for,
)
from web.emails import OutgoingMail, build_message, remote_label, render, salary_label
from web.params import BadParameter

log = logging.getLogger(__name__)

# Postings listed in one digest; the rest are counted ("and N more") and linked to the search.
DIGEST_CAP = 50
# Digests claimed at a time: each costs one UPDATE, and a dead sender's batch waits CLAIM_TIMEOUT to be taken over.
CLAIM_BATCH = 50
CLAIM_TIMEOUT = timedelta(minutes=10)
# A message the server keeps answering 4xx is given up after this long, and its alert paused.
GIVE_UP_AFTER = timedelta(days=3)
MAX_BACKOFF = timedelta(hours=1)
MAX_SERVER_BACKOFF = timedelta(minutes=15)
FREQUENCY_LABELS = {"instant": "as soon as new postings arrive", "daily": "daily", "weekly": "weekly"}
STATE_LABELS = {"active": "active", "paused": "paused", "pending": "waiting for confirmation"}


def backoff(attempts: int, ceiling: timedelta = MAX_BACKOFF) -> timedelta:
    """1, 2, 4, 8 ... minutes after the 1st, 2nd, 3rd ... failure, at most ``ceiling``."""
    return min(timedelta(minutes=2 ** max(0, min(attempts - 1, 20))), ceiling)


def message_id(digest_id: int, secret_key: str, mail_from: str) -> str:
    """The same for every attempt at one digest, unguessable, and unique to this installation (keyed by its secret)."""
    domain = parseaddr(mail_from)[1].rpartition("@")[2] or "jobsift.invalid"
    tag = hmac.new(secret_key.encode(), f"alert-digest:{digest_id}".encode(), hashlib.sha256).hexdigest()[:16]
    return f"<jobsift.{digest_id}.{tag}@{domain}>"


def sender_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{os.urandom(3).hex()}"


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    skipped: int = 0
    server_down: str | None = None


_handoff_lock = threading.Lock()
_handoff_users = 0
_handoff_previous = 0.0


@contextmanager
def _quick_handoff() -> Iterator[None]:
    """While rendering runs beside sending: hand the GIL over sooner than the default 5 ms.

    The sending thread spends its time waiting for the server's replies, four per message; each time one arrives it
    needs the GIL back from the rendering thread, which by default keeps it up to 5 ms. That wait, not the server,
    was most of a message's time. The interval is process-wide: counted, so that senders running at once restore
    it only when the last one ends."""
    global _handoff_users, _handoff_previous
    with _handoff_lock:
        if _handoff_users == 0:
            _handoff_previous = sys.getswitchinterval()
            sys.setswitchinterval(min(_handoff_previous, 0.0005))
        _handoff_users += 1
    try:
        yield
    finally:
        with _handoff_lock:
            _handoff_users -= 1
            if _handoff_users == 0:
                sys.setswitchinterval(_handoff_previous)


@dataclass
class _Batch:
    moment: datetime
    # (digest, its message or None, why not)
    items: list[tuple[DigestToSend, OutgoingMail | None, str]]


class Composer:
    """Turns a claimed digest into the email it is, or None when there is nothing to send any more."""

    def __init__(self, settings: Settings, cap: int = DIGEST_CAP) -> None:
        self.settings = settings
        self.links = Links(settings.secret_key, settings.base_url)
        self.cap = cap
        # Many digests share a search; parsing depends only on it (and the taxonomy, fixed for the process).
        self._parsed: dict[str, PostingFilters | BadParameter] = {}

    def _filters(self, query: str) -> PostingFilters | BadParameter:
        found = self._parsed.get(query)
        if found is None:
            if len(self._parsed) > 100_000:
                self._parsed.clear()
            try:
                found = filters_from_query(query)
            except BadParameter as exc:
                found = exc
            self._parsed[query] = found
        return found

    def compose(self, item: DigestToSend) -> tuple[OutgoingMail | None, str]:
        """(message, why not): the message to send, or None and ``"cancelled"`` / ``"empty"`` / a reason."""
        digest, subscription = item.digest, item.subscription
        allowed = {"digest": ("active",), "confirm": ("pending",), "already": ("active", "paused")}[digest.kind]
        if subscription.state not in allowed:
            # Nothing but the confirmation goes to an unconfirmed address; nothing at all after unsubscribing.
            return None, "cancelled"
        if digest.kind == "digest" and not item.postings:
            return None, "empty"
        filters = self._filters(subscription.query)
        if isinstance(filters, BadParameter):
            return None, f"this alert's filters are no longer valid ({filters}); choose them again on the search page"
        links = self.links
        context: dict[str, object] = {
            "kind": digest.kind,
            "email": subscription.email,
            "search": describe(filters) or ["every posting"],
            "search_url": links.search(subscription.query),
            "site_url": links.base_url + "/",
            "feed_url": links.feed(subscription),
            # Dated as of the digest, so that sending it again after a crash repeats the same message.
            "manage_url": links.url("manage", subscription, digest.created_at),
            "unsubscribe_url": links.url("unsubscribe", subscription, digest.created_at),
            "frequency_label": FREQUENCY_LABELS[subscription.frequency],
            "state_label": STATE_LABELS.get(subscription.state, subscription.state),
        }
        if digest.kind == "confirm":
            context["confirm_url"] = links.url("confirm", subscription, digest.created_at)
            context["confirm_hours"] = int(MAX_AGE["confirm"].total_seconds() // 3600)
        elif digest.kind == "digest":
            context["items"] = [
                {
                    "title": p.title,
                    "company": p.company,
                    "location": p.location,
                    "remote": remote_label(p.remote),
                    "salary": salary_label(p),
                    "skills": list(p.skills[:12]),
                    "why": why_matched(filters, p),
                    "url": links.posting(p.id),
                }
                for p in item.postings[: self.cap]
            ]
            context["total"] = max(item.total, len(item.postings))
            context["more"] = max(0, context["total"] - len(context["items"]))  # type: ignore[operator]
        email = render(digest.kind, context)
        unsubscribe = str(context["unsubscribe_url"])
        message = build_message(
            email,
            sender=self.settings.mail_from,
            to=subscription.email,
            message_id=message_id(digest.id, self.settings.secret_key, self.settings.mail_from),
            headers={
                # RFC 8058: a POST of "List-Unsubscribe=One-Click" to this URL unsubscribes, no cookies, no page.
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        return message, ""


class Sender:
    def __init__(
        self,
        database: Database,
        settings: Settings,
        *,
        transport: SmtpTransport | MailSink | None = None,
        owner: str | None = None,
        cap: int = DIGEST_CAP,
        batch: int = CLAIM_BATCH,
        claim_timeout: timedelta = CLAIM_TIMEOUT,
    ) -> None:
        self.db = database
        self.settings = settings
        self.transport = transport or transport_for(settings)
        self.owner = owner or sender_id()
        self.composer = Composer(settings, cap)
        self.cap = cap
        self.batch = batch
        self.claim_timeout = claim_timeout
        self._server_failures = 0

    def send_due(
        self,
        now: datetime | None = None,
        *,
        deadline: float | None = None,
        stop: threading.Event | None = None,
    ) -> SendReport:
        """Send every due digest (batch by batch, over one connection) until none is left, the server fails,
        ``deadline`` (time.monotonic()) passes or ``stop`` is set (the digest in hand is finished first)."""
        return self._send(None, now, deadline, stop)

    def send_now(self, digest_ids: list[int], now: datetime | None = None) -> SendReport:
        """Send these digests if they are due and nobody holds them (a confirmation email, right after the form)."""
        return self._send(digest_ids, now, None, None)

    def _send(
        self,
        only: list[int] | None,
        now: datetime | None,
        deadline: float | None,
        stop: threading.Event | None,
    ) -> SendReport:
        """Batch by batch: while one batch goes out (mostly waiting on the server, without the GIL), a helper thread
        claims and renders the next, so rendering overlaps the SMTP round trips."""
        report = SendReport()
        postings = PostingCache()

        def stopping() -> bool:
            return (stop is not None and stop.is_set()) or (deadline is not None and time.monotonic() > deadline)

        def prepare() -> _Batch | None:
            if stopping():
                return None
            moment = now or datetime.now(UTC)
            with self.db.transaction() as session:
                ids = claim_digests(
                    session,
                    owner=self.owner,
                    now=moment,
                    stale_before=moment - self.claim_timeout,
                    limit=self.batch,
                    ids=only,
                )
            if not ids:
                return None
            with self.db.transaction() as session:
                items = digests_to_send(session, ids, cap=self.cap, cache=postings)
            return _Batch(moment, [(item, *self.composer.compose(item)) for item in items])

        with (
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="alert-render") as pool,
            ExitStack() as stack,
            _quick_handoff() if only is None else nullcontext(),
        ):
            connections: list[Connection] = []
            batch = prepare()
            while batch is not None:
                upcoming = pool.submit(prepare) if only is None else None
                delivered = self._deliver(batch, stack, connections, report, stop)
                following = upcoming.result() if upcoming is not None else None
                if not delivered and following is not None:
                    # The server failed (or the sender was stopped): what was claimed ahead goes back too.
                    self._give_back([item for item, _, _ in following.items], following.moment, report.server_down)
                    break
                batch = following
        return report

    def _deliver(
        self,
        batch: _Batch,
        stack: ExitStack,
        connections: list[Connection],
        report: SendReport,
        stop: threading.Event | None,
    ) -> bool:
        """Send a prepared batch over the pass's one connection (opened on first use) and record each outcome in its
        own transaction; False if the rest of the pass should not go on (the server failed, or stop was set)."""
        moment = batch.moment
        sent_to: list[int] = []
        try:
            return self._deliver_each(batch, stack, connections, report, stop, sent_to)
        finally:
            if sent_to:
                with self.db.transaction() as session:
                    note_sent(session, sent_to, moment)

    def _deliver_each(
        self,
        batch: _Batch,
        stack: ExitStack,
        connections: list[Connection],
        report: SendReport,
        stop: threading.Event | None,
        sent_to: list[int],
    ) -> bool:
        moment = batch.moment
        for index, (item, message, why_not) in enumerate(batch.items):
            if stop is not None and stop.is_set():
                self._give_back([i for i, _, _ in batch.items[index:]], moment, None)
                return False
            if message is None:
                self._unsendable(item, why_not, report)
                continue
            try:
                if not connections:
                    connections.append(stack.enter_context(self.transport.connect()))  # type: ignore[arg-type]
                connections[0].send(message)
            except ServerUnavailable as exc:
                self._server_failures += 1
                report.server_down = str(exc)
                log.warning("mail server unavailable, %d message(s) wait for the next pass: %s",
                            len(batch.items) - index, exc)  # fmt: skip
                self._give_back([i for i, _, _ in batch.items[index:]], moment, str(exc))
                return False
            except Temporary as exc:
                self._temporary(item, str(exc), moment, report)
            except Permanent as exc:
                self._permanent(item, str(exc), report)
            else:
                self._server_failures = 0
                with self.db.transaction() as session:
                    if not mark_sent(session, item.digest.id, self.owner, message_id=message.message_id, now=moment):
                        log.warning("digest %d was taken over by another sender while this one sent it",
                                    item.digest.id)  # fmt: skip
                report.sent += 1
                # The manage page's "last digest sent": a confirmation or "already subscribed" email is no digest.
                if item.digest.kind == "digest":
                    sent_to.append(item.subscription.id)
        return True

    def _give_back(self, items: list[DigestToSend], now: datetime, error: str | None) -> None:
        """Release claimed digests unsent, not counted against anyone: due again after a backoff when the server
        failed (``error``), at once when this sender was only asked to stop (None)."""
        at = now + backoff(self._server_failures, MAX_SERVER_BACKOFF) if error else now
        with self.db.transaction() as session:
            for item in items:
                mark_retry(session, item.digest.id, self.owner, error=error, at=at, counts=False)

    def _unsendable(self, item: DigestToSend, why_not: str, report: SendReport) -> None:
        report.skipped += 1
        with self.db.transaction() as session:
            if why_not in ("cancelled", "empty"):
                mark_unsent(session, item.digest.id, self.owner, status=why_not)
            else:
                mark_failed(session, item.digest.id, self.owner, error=why_not)
                _pause(session, item.subscription, why_not)

    def _temporary(self, item: DigestToSend, error: str, now: datetime, report: SendReport) -> None:
        digest = item.digest
        with self.db.transaction() as session:
            if now - digest.created_at >= GIVE_UP_AFTER:
                report.failed += 1
                mark_failed(session, digest.id, self.owner, error=error)
                _pause(session, item.subscription, f"the mail server kept refusing delivery for 3 days: {error}")
                log.warning("digest %d given up after %d attempts: %s", digest.id, digest.attempts + 1, error)
                return
            report.retried += 1
            mark_retry(session, digest.id, self.owner, error=error, at=now + backoff(digest.attempts + 1), counts=True)

    def _permanent(self, item: DigestToSend, error: str, report: SendReport) -> None:
        report.failed += 1
        with self.db.transaction() as session:
            mark_failed(session, item.digest.id, self.owner, error=error)
            _pause(session, item.subscription, f"the mail server refused to deliver to this address: {error}")
        log.warning("digest %d refused for good: %s", item.digest.id, error)


def _pause(session: object, subscription: AlertSubscription, reason: str) -> None:
    # A confirmation that can't be delivered leaves the alert pending (it never started); others are paused.
    if subscription.state == "active":
        pause_subscription(session, subscription.id, reason[:1000])  # type: ignore[arg-type]
