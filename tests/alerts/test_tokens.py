"""Signed links: tampered, expired, spent, misdirected or orphaned tokens all get the same generic page (never a
500), and a link only ever does what its purpose is."""

from __future__ import annotations

import string
import time

import pytest
from flask.testing import FlaskClient
from itsdangerous import TimestampSigner

from store.db import Database
from store.models import AlertSubscription
from store.queries.alerts import delete_subscription
from tests.alerts.helpers import add_postings, link, only_subscription, python_job, subscribe
from tests.alerts.smtp import Inbox
from web.alerts.links import Links

GENERIC = "This link is not valid"


def _links(client: FlaskClient, db: Database, inbox: Inbox) -> dict[str, str]:
    add_postings(db, python_job("a"))
    subscribe(client, "skill=Python")
    [message] = inbox.messages
    return {kind: link(message, kind) for kind in ("confirm", "manage", "unsubscribe")}


def _generic(client: FlaskClient, path: str, method: str = "get") -> None:
    answer = client.open(path, method=method.upper())
    assert answer.status_code == 404, (path, answer.status_code)
    assert GENERIC in answer.text


def test_tampered_tokens_get_a_generic_page(client: FlaskClient, db: Database, inbox: Inbox) -> None:
    links = _links(client, db, inbox)
    for path in links.values():
        prefix, token = path.rsplit("/", 1)
        for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), token[:20], "x", "%00%ff", "a" * 600):
            for method in ("get", "post"):
                _generic(client, f"{prefix}/{bad}", method)
    assert only_subscription(db).state == "pending"


def test_a_token_works_only_for_its_own_purpose(client: FlaskClient, db: Database, inbox: Inbox) -> None:
    links = _links(client, db, inbox)
    confirm_token = links["confirm"].rsplit("/", 1)[1]
    manage_token = links["manage"].rsplit("/", 1)[1]
    _generic(client, f"/alerts/unsubscribe/{manage_token}", "post")
    _generic(client, f"/alerts/manage/{confirm_token}")
    _generic(client, f"/alerts/confirm/{manage_token}", "post")
    assert only_subscription(db).state == "pending"


def test_an_expired_confirmation_link_does_nothing(
    client: FlaskClient, db: Database, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    links = _links(client, db, inbox)
    # 49 hours later, by the signer's clock.
    later = int(time.time()) + 49 * 3600
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: later)
    _generic(client, links["confirm"])
    _generic(client, links["confirm"], "post")
    assert only_subscription(db).state == "pending"
    # Manage and unsubscribe links last longer: they are in every email.
    assert client.get(links["manage"]).status_code == 200


def test_links_of_a_deleted_alert_are_dead(client: FlaskClient, db: Database, inbox: Inbox) -> None:
    links = _links(client, db, inbox)
    with db.transaction() as s:
        delete_subscription(s, only_subscription(db).id)
    _generic(client, links["confirm"], "post")
    _generic(client, links["manage"])
    # Unsubscribing from what no longer exists is a success, not an error: no more mail will come.
    assert client.post(links["unsubscribe"]).status_code == 200
    # A new alert that gets the same id (SQLite reuses the largest rowid) does not answer the old links.
    subscribe(client, "remote=remote", email="bo@example.com")
    _generic(client, links["manage"])
    _generic(client, links["confirm"], "post")


def test_a_signature_altered_in_its_last_character_is_refused() -> None:
    # The last base64 character of the signature carries two bits the decoder drops: each other character must
    # still be refused, not only those that change the decoded signature.
    links = Links("a secret key of the tests", "http://jobsift.test")
    subscription = AlertSubscription(id=7, link_key="k3y")
    token = links.token("unsubscribe", subscription)
    assert links.read("unsubscribe", token) == (7, "k3y")
    for character in string.ascii_letters + string.digits + "-_":
        if character != token[-1]:
            assert links.read("unsubscribe", token[:-1] + character) is None, character
