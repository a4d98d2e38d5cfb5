"""An alert's manage page: pause and resume, how often, new filters chosen on the search page, delete."""

from __future__ import annotations

import re
from html import unescape

from flask.testing import FlaskClient

from config.settings import Settings
from store.db import Database
from tests.alerts.helpers import add_postings, link, only_subscription, python_job, run_pass, subscribe
from tests.alerts.smtp import Inbox


def _confirmed(client: FlaskClient, db: Database, inbox: Inbox, query: str = "skill=Python") -> str:
    add_postings(db, python_job("a"))
    subscribe(client, query, frequency="instant")
    client.post(link(inbox.messages[0], "confirm"))
    return link(inbox.messages[0], "manage")


def test_pause_and_resume(alert_settings: Settings, client: FlaskClient, db: Database, inbox: Inbox) -> None:
    manage = _confirmed(client, db, inbox)
    page = client.post(manage, data={"action": "pause"})
    assert page.status_code == 200 and "Paused by you" in page.text
    add_postings(db, python_job("while-paused"))
    run_pass(alert_settings, db)
    assert len(inbox.messages) == 1
    page = client.post(manage, data={"action": "resume"})
    assert "Resumed" in page.text and only_subscription(db).state == "active"
    add_postings(db, python_job("after"))
    run_pass(alert_settings, db)
    text = inbox.messages[-1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Python Engineer after" in text and "while-paused" not in text


def test_last_digest_sent_counts_digests_not_the_confirmation(
    alert_settings: Settings, client: FlaskClient, db: Database, inbox: Inbox
) -> None:
    manage = _confirmed(client, db, inbox)
    assert len(inbox.messages) == 1  # the confirmation went out, and it is no digest
    assert only_subscription(db).last_sent_at is None
    page = client.get(manage)
    assert "No digest sent yet" in page.text and "Last digest sent" not in page.text
    add_postings(db, python_job("new"))
    run_pass(alert_settings, db)
    assert len(inbox.messages) == 2
    sent = only_subscription(db).last_sent_at
    assert sent is not None
    page = client.get(manage)
    assert f"Last digest sent {sent:%d %b %Y %H:%M} UTC." in page.text and "No digest sent yet" not in page.text


def test_change_how_often(client: FlaskClient, db: Database, inbox: Inbox) -> None:
    manage = _confirmed(client, db, inbox)
    page = client.post(manage, data={"action": "frequency", "frequency": "weekly"})
    assert page.status_code == 200 and only_subscription(db).frequency == "weekly"
    assert client.post(manage, data={"action": "frequency", "frequency": "hourly"}).status_code == 400
    assert client.post(manage, data={"action": "explode"}).status_code == 400
    assert only_subscription(db).frequency == "weekly"


def test_change_the_filters_on_the_search_page_then_save_them(
    alert_settings: Settings, client: FlaskClient, db: Database, inbox: Inbox
) -> None:
    manage = _confirmed(client, db, inbox)
    page = client.get(manage)
    edit = unescape(re.search(r'<a href="([^"]+)">Change the filters</a>', page.text).group(1))  # type: ignore[union-attr]
    assert edit.startswith("/?") and "skill=Python" in edit and "alert=" in edit
    # The search page keeps the alert through its own form, and offers to save what it shows.
    search = client.get(edit + "&remote=hybrid")
    assert 'name="alert"' in search.text and "Save these filters" in search.text
    action = unescape(re.search(r'<form class="alert-save" method="post" action="([^"]+)"', search.text).group(1))  # type: ignore[union-attr]
    query = unescape(re.search(r'name="search" value="([^"]*)"', search.text).group(1))  # type: ignore[union-attr]
    saved = client.post(action, data={"search": query})
    assert saved.status_code == 200 and "now uses the filters you chose" in saved.text
    assert only_subscription(db).query == "skill=Python&remote=hybrid"
    add_postings(db, python_job("remote"), python_job("hybrid", remote="hybrid"))
    run_pass(alert_settings, db)
    text = inbox.messages[-1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Python Engineer hybrid" in text and "Python Engineer remote" not in text
    # Filters that would flood are refused, and the alert keeps its own.
    refused = client.post(action, data={"search": "all_roles=1"})
    assert refused.status_code == 400 and only_subscription(db).query == "skill=Python&remote=hybrid"


def test_delete_forgets_the_alert(client: FlaskClient, db: Database, inbox: Inbox) -> None:
    manage = _confirmed(client, db, inbox)
    page = client.post(manage, data={"action": "delete"})
    assert page.status_code == 200 and "Alert deleted" in page.text
    from sqlalchemy import func, select

    from store.models import AlertDigest, AlertSubscription

    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(AlertSubscription)) == 0
        assert s.scalar(select(func.count()).select_from(AlertDigest)) == 0
    assert client.get(manage).status_code == 404


def test_manage_pages_are_private(client: FlaskClient, db: Database, inbox: Inbox) -> None:
    manage = _confirmed(client, db, inbox)
    page = client.get(manage)
    assert page.headers["Cache-Control"] == "no-store"
    assert page.headers["Referrer-Policy"] == "no-referrer"
    assert "unsafe-inline" not in page.headers["Content-Security-Policy"]
    assert "<script" not in page.text and "style=" not in page.text
    cross = client.post(manage, data={"action": "pause"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert cross.status_code == 403 and only_subscription(db).state == "active"
