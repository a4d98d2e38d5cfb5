"""Each alert has a private Atom feed of its search, rendered as the site's own search feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

from flask import Flask
from flask.testing import FlaskClient

from config.settings import Settings
from store.db import Database
from tests.alerts.helpers import BASE, active_alert, add_postings, links_in, python_job, run_pass
from tests.alerts.smtp import Inbox

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_private_feed_lists_the_search_newest_first(
    alert_settings: Settings, db: Database, inbox: Inbox, client: FlaskClient, alert_app: Flask
) -> None:
    active_alert(db, "skill=Python&remote=remote")
    add_postings(db, python_job("a"), python_job("hybrid", remote="hybrid"), python_job("go", skills=("Go",)))
    run_pass(alert_settings, db)
    [feed_url] = [u for u in links_in(inbox.messages[0]) if u.endswith(".atom")]
    assert feed_url.startswith(f"{BASE}/alerts/feed/")
    answer = client.get(urlsplit(feed_url).path)
    assert answer.status_code == 200 and answer.mimetype == "application/atom+xml"
    feed = ET.fromstring(answer.data)
    assert [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")] == ["Python Engineer a at Ledgerly"]
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == feed_url  # type: ignore[union-attr]
    assert answer.headers["Cache-Control"] == "no-store"


def test_unknown_and_ended_feeds_are_404(
    alert_settings: Settings, db: Database, inbox: Inbox, client: FlaskClient
) -> None:
    alert = active_alert(db, "skill=Python")
    add_postings(db, python_job("a"))
    run_pass(alert_settings, db)
    [feed_url] = [u for u in links_in(inbox.messages[0]) if u.endswith(".atom")]
    assert client.get("/alerts/feed/not-a-token.atom").status_code == 404
    from store.queries.alerts import unsubscribe

    with db.transaction() as s:
        unsubscribe(s, alert)
    assert client.get(urlsplit(feed_url).path).status_code == 404
