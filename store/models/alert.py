"""Saved searches with email alerts: subscriptions, the outbox of matched postings, digests, and the confirmation
throttle (migration 0010).

The delivery guarantees live in the shape of these tables:
- a subscription's ``watermark`` is the highest posting id it has been matched against (posting ids follow ingest
  order), so a posting ingested late is still new to it;
- ``alert_outbox`` is keyed by (subscription, posting): a posting can be matched, and so sent, to a subscription once;
- an ``alert_digests`` row is one email: the subscription's outbox postings in a posting-id range, fixed when it is
  cut (later matches fall in the next one); senders take it with a conditional UPDATE on ``status`` (pending ->
  sending), so two senders never both send it, and its Message-ID is derived from its id, so a retry after a crash
  is recognisably the same message.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from store.models.base import Base, BigId, UTCDateTime

FREQUENCIES = ("instant", "daily", "weekly")
# pending: waiting for the address to confirm; nothing but confirmation emails goes to it.
SUBSCRIPTION_STATES = ("pending", "active", "paused", "unsubscribed")
# What an alert_digests row sends: new matches, the double opt-in, or "you already have this alert" (a repeated
# subscribe for an active alert, answered with its manage link so the form says nothing about who is subscribed).
MAIL_KINDS = ("digest", "confirm", "already")
# pending -> sending (claimed) -> sent | failed; "empty" when nothing was left to send (every posting closed since);
# "cancelled" when the subscription ended first.
DIGEST_STATUSES = ("pending", "sending", "sent", "failed", "empty", "cancelled")


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class AlertSubscription(Base):
    """A saved search someone gets by email: its filters as a canonical query string (the search page's own GET
    parameters), how often, and how far through the postings it has been matched."""

    __tablename__ = "alert_subscriptions"
    __table_args__ = (
        CheckConstraint(_one_of("frequency", FREQUENCIES), name="frequency"),
        CheckConstraint(_one_of("state", SUBSCRIPTION_STATES), name="state"),
        Index("ix_alert_subscriptions_email", "email"),
        # No index on the watermark: every pass moves it on every active subscription, and on PostgreSQL an
        # unindexed column with room left on its page (fillfactor) is updated in place (HOT), without touching any
        # index. The matcher reads all active subscriptions anyway.
        {"postgresql_with": {"fillfactor": 70}},
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    # Lowercased; one address may hold several alerts.
    email: Mapped[str] = mapped_column(String(320))
    # web.alerts.searches.canonical_query(filters): equal searches have equal strings, whatever order they came in.
    query: Mapped[str] = mapped_column(String(4000))
    frequency: Mapped[str] = mapped_column(String(8))
    state: Mapped[str] = mapped_column(String(16), default="pending")
    # Why it was paused, in words for its manage page ("the mail server refused the address: 550 ...");
    # None when the subscriber paused it.
    pause_reason: Mapped[str | None] = mapped_column(Text)
    # Every signed link carries this; a new value revokes every link issued before.
    link_key: Mapped[str] = mapped_column(String(32))
    # The private Atom feed's URL token.
    feed_token: Mapped[str] = mapped_column(String(64), unique=True)
    # The highest posting id matched against this search: postings above it are new to it.
    watermark: Mapped[int] = mapped_column(BigInteger, default=0)
    # The matches up to this posting id are in a digest already; those above it (up to the watermark) are not.
    digested_upto: Mapped[int] = mapped_column(BigInteger, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # When the next digest may be cut (daily and weekly alerts); None: as soon as there is something to send.
    next_digest_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AlertOutbox(Base):
    """A posting matched to a subscription, once. The digest it goes out in is the one whose posting-id range holds it
    (see AlertDigest), so the matcher's rows are never updated after they are written.

    The matcher writes millions of these rows in a pass, so the table is its key and nothing else: no timestamp,
    no foreign keys (their per-row checks cost more than the inserts; postings are never deleted, and
    store.queries.alerts.delete_subscription removes a subscription's rows with it), and on SQLite, a table
    clustered on its key (WITHOUT ROWID): one B-tree instead of a table and an index.
    """

    __tablename__ = "alert_outbox"
    __table_args__ = ({"sqlite_with_rowid": False},)

    subscription_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    posting_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)


class AlertDigest(Base):
    """One email to one subscriber, and its delivery state."""

    __tablename__ = "alert_digests"
    __table_args__ = (
        CheckConstraint(_one_of("kind", MAIL_KINDS), name="kind"),
        CheckConstraint(_one_of("status", DIGEST_STATUSES), name="status"),
        Index("ix_alert_digests_status_next_attempt_at", "status", "next_attempt_at"),
        # One digest per start of range: two cuts at once can't both send the same matches (kinds other than
        # "digest" have no range, and NULLs never collide).
        Index("ix_alert_digests_subscription_id_after_posting_id", "subscription_id", "after_posting_id", unique=True),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("alert_subscriptions.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="digest")
    status: Mapped[str] = mapped_column(String(16), default="pending")
    # The sender holding it while status is "sending"; a claim older than the sender's timeout is taken over.
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Delivery attempts the mail server answered with a failure (a server that was down does not count).
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A digest sends its subscription's outbox postings with ids in (after_posting_id, upto_posting_id]: the
    # matches written up to its cut. Matches written after it fall in the next digest's range.
    after_posting_id: Mapped[int | None] = mapped_column(BigInteger)
    upto_posting_id: Mapped[int | None] = mapped_column(BigInteger)
    message_id: Mapped[str | None] = mapped_column(String(255))
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class AlertConfirmationRequest(Base):
    """A confirmation (or "already subscribed") email asked for: the throttle per address and per client counts
    these, in the store, so it holds across web workers."""

    __tablename__ = "alert_confirmation_requests"
    __table_args__ = (
        Index("ix_alert_confirmation_requests_email_requested_at", "email", "requested_at"),
        Index("ix_alert_confirmation_requests_client_requested_at", "client", "requested_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    client: Mapped[str] = mapped_column(String(64))
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime)
