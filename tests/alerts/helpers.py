"""What alert tests do over and over: add postings, subscribe through the form, read mail as a client would, follow
its links with the test client, run one pass of the scheduler's alert job."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.message import EmailMessage
from html import unescape
from typing import Any
from urllib.parse import urlsplit

from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.test import TestResponse

from config.settings import Settings
from store.db import Database
from store.models import AlertDigest, AlertOutbox, AlertSubscription, Posting
from store.queries.alerts import confirm_subscription, create_subscription
from store.queries.postings import upsert_postings
from store.queries.sources import upsert_source
from store.records import PostingRecord
from tests.store.helpers import record
from web.alerts.runner import AlertRunner, PassReport

ADA = "ada@example.com"
BASE = "https://jobs.example.test"


def now() -> datetime:
    return datetime.now(UTC)


def add_postings(db: Database, *records: PostingRecord, source: str = "acme-board") -> list[int]:
    """Ingest postings as a crawl does (one transaction); returns their ids, in ingest order."""
    with db.transaction() as s:
        source_id = upsert_source(
            s, key=source, name=source.title(), kind="greenhouse", url=f"https://example.com/{source}", now=now()
        ).id
        upsert_postings(s, source_id, list(records), now())
        ids = s.scalars(
            select(Posting.id)
            .where(Posting.source_id == source_id, Posting.external_id.in_([r.external_id for r in records]))
            .order_by(Posting.id)
        )
        return list(ids)


def python_job(external_id: str, **fields: Any) -> PostingRecord:
    values: dict[str, Any] = {
        "title": f"Python Engineer {external_id}",
        "company": "Ledgerly",
        "location": "Remote - US",
        "skills": ("Python", "Django"),
        "remote": "remote",
        "sector": "Financial services",
        "posted_at": now(),
    }
    values.update(fields)
    return record(external_id, **values)


def active_alert(db: Database, query: str, email: str = ADA, frequency: str = "instant") -> int:
    """An alert confirmed at once (tests of matching and sending don't need the form)."""
    with db.transaction() as s:
        subscription = create_subscription(s, email=email, query=query, frequency=frequency, now=now())
        confirm_subscription(s, subscription.id, now())
        return subscription.id


def run_pass(settings: Settings, db: Database, at: datetime | None = None) -> PassReport:
    runner = AlertRunner(settings, database=db)
    return runner.run_once(at)


def csrf_of(page: TestResponse) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, page.text
    return found.group(1)


def subscribe(
    client: FlaskClient, query: str, email: str = ADA, frequency: str = "daily", **kwargs: Any
) -> TestResponse:
    """Open the form of a search and submit it, as a person does."""
    form = client.get(f"/alerts/new?{query}", **kwargs)
    assert form.status_code == 200, form.text
    search = re.search(r'name="search" value="([^"]*)"', form.text)
    assert search, form.text
    return client.post(
        "/alerts/new",
        data={"csrf_token": csrf_of(form), "search": unescape(search.group(1)), "email": email, "frequency": frequency},
        **kwargs,
    )


def text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


def links_in(message: EmailMessage) -> list[str]:
    """Every http(s) link of the text part, in order."""
    return re.findall(r"https?://[^\s<>\"]+", text_of(message))


def link(message: EmailMessage, kind: str) -> str:
    """The path of the message's confirm / manage / unsubscribe link, to follow with the test client."""
    for url in links_in(message):
        parts = urlsplit(url)
        if parts.path.startswith(f"/alerts/{kind}/"):
            return parts.path
    raise AssertionError(f"no {kind} link in:\n{text_of(message)}")


def html_links(message: EmailMessage) -> list[str]:
    return [unescape(u) for u in re.findall(r'href="([^"]+)"', html_of(message))]


def unsubscribe_header(message: EmailMessage) -> str:
    found = re.fullmatch(r"<(https://[^>]+)>", str(message["List-Unsubscribe"]))
    assert found, message["List-Unsubscribe"]
    return urlsplit(found.group(1)).path


def state_of(db: Database, subscription_id: int) -> AlertSubscription:
    with db.transaction() as s:
        found = s.get(AlertSubscription, subscription_id)
        assert found is not None
        return found


def digests_of(db: Database, subscription_id: int) -> list[AlertDigest]:
    with db.transaction() as s:
        return list(
            s.scalars(
                select(AlertDigest).where(AlertDigest.subscription_id == subscription_id).order_by(AlertDigest.id)
            )
        )


def outbox_of(db: Database, subscription_id: int) -> list[int]:
    """The posting ids matched to a subscription, in id order."""
    with db.transaction() as s:
        return list(
            s.scalars(
                select(AlertOutbox.posting_id)
                .where(AlertOutbox.subscription_id == subscription_id)
                .order_by(AlertOutbox.posting_id)
            )
        )


def only_subscription(db: Database) -> AlertSubscription:
    with db.transaction() as s:
        found = list(s.scalars(select(AlertSubscription)))
    assert len(found) == 1, found
    return found[0]
