"""From a results page to a confirmed alert: the link keeps the search, the form shows the weekly estimate, the
confirmation email is a real multipart message with signed links, and nothing else reaches an unconfirmed address."""

from __future__ import annotations

import re
from html import unescape

from flask.testing import FlaskClient

from config.settings import Settings
from store.db import Database
from tests.alerts.helpers import (
    ADA,
    BASE,
    add_postings,
    html_links,
    link,
    links_in,
    only_subscription,
    python_job,
    run_pass,
    subscribe,
    text_of,
)
from tests.alerts.smtp import Inbox


def test_results_page_links_to_the_form_with_its_search(client: FlaskClient, db: Database) -> None:
    add_postings(db, python_job("a"))
    page = client.get("/?skill=Python&remote=remote&page=1&sort=newest")
    found = re.search(r'<a href="(/alerts/new[^"]*)">Email me new matches</a>', page.text)
    assert found, page.text
    target = unescape(found.group(1))
    # The filters travel; how the page was sorted and cut does not.
    assert "skill=Python" in target and "remote=remote" in target
    assert "page=" not in target and "sort=" not in target


def test_form_shows_the_search_and_its_weekly_estimate(client: FlaskClient, db: Database) -> None:
    add_postings(db, *(python_job(str(i)) for i in range(9)))
    form = client.get("/alerts/new?skill=python&remote=remote")
    assert form.status_code == 200
    assert "skill Python" in form.text and "Remote" in form.text
    # Nine postings in the last 30 days: about two a week.
    assert re.search(r"about <strong>2</strong> new postings a week", form.text), form.text
    assert 'name="csrf_token"' in form.text


def test_confirmation_email_is_multipart_with_signed_links(
    client: FlaskClient, db: Database, inbox: Inbox, alert_settings: Settings
) -> None:
    add_postings(db, python_job("a"))
    answer = subscribe(client, "skill=Python&remote=remote", email="Ada@Example.COM")
    assert answer.status_code == 200
    assert "Check your inbox" in answer.text
    [message] = inbox.messages
    assert inbox.recipients == [[ADA]]
    assert message["To"] == ADA
    assert message["From"] == "jobsift alerts <alerts@jobsift.test>"
    assert message["Subject"].startswith("Confirm your jobsift alert")
    assert re.fullmatch(r"<jobsift\.\d+\.[0-9a-f]{16}@jobsift\.test>", message["Message-ID"])
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["List-Unsubscribe"].startswith(f"<{BASE}/alerts/unsubscribe/")
    assert message.get_content_type() == "multipart/alternative"
    assert "skill Python" in text_of(message)
    # Both parts carry the same confirm, manage and unsubscribe links, all absolute on the configured site.
    text_links = {u for u in links_in(message) if "/alerts/" in u}
    assert {u.split("/alerts/")[1].split("/")[0] for u in text_links} == {"confirm", "manage", "unsubscribe"}
    assert text_links <= set(html_links(message))
    assert all(u.startswith(BASE + "/") for u in text_links)
    assert only_subscription(db).state == "pending"


def test_confirm_link_get_asks_and_post_confirms_once(client: FlaskClient, db: Database, inbox: Inbox) -> None:
    add_postings(db, python_job("a"))
    subscribe(client, "skill=Python")
    confirm = link(inbox.messages[0], "confirm")
    page = client.get(confirm)
    assert page.status_code == 200 and "Confirm this alert" in page.text
    assert only_subscription(db).state == "pending"  # a GET (a mail scanner) changes nothing
    done = client.post(confirm)
    assert done.status_code == 200 and "Your alert is on" in done.text
    assert only_subscription(db).state == "active"
    # Single use: the same link again is a generic "not valid" page, GET or POST.
    again = client.post(confirm)
    assert again.status_code == 404 and "This link is not valid" in again.text
    assert client.get(confirm).status_code == 404


def test_nothing_but_the_confirmation_reaches_an_unconfirmed_address(
    client: FlaskClient, db: Database, inbox: Inbox, alert_settings: Settings
) -> None:
    add_postings(db, python_job("old"))
    subscribe(client, "skill=Python", frequency="instant")
    add_postings(db, python_job("new-1"), python_job("new-2"))
    run_pass(alert_settings, db)
    run_pass(alert_settings, db)
    assert [m["Subject"][:25] for m in inbox.messages] == ["Confirm your jobsift aler"]
    # Once confirmed, postings that arrive after the confirmation are sent (not those from before it).
    client.post(link(inbox.messages[0], "confirm"))
    add_postings(db, python_job("after"))
    run_pass(alert_settings, db)
    assert len(inbox.messages) == 2
    digest = inbox.messages[1]
    assert digest["Subject"].startswith("1 new posting")
    assert "Python Engineer after" in text_of(digest)
    assert "new-1" not in text_of(digest)


def test_subscribing_again_to_an_active_alert_sends_its_manage_link(
    client: FlaskClient, db: Database, inbox: Inbox
) -> None:
    add_postings(db, python_job("a"))
    subscribe(client, "skill=Python")
    client.post(link(inbox.messages[0], "confirm"))
    answer = subscribe(client, "skill=Python")
    assert "Check your inbox" in answer.text  # the same answer: the form tells nobody who is subscribed
    assert inbox.messages[1]["Subject"] == "You already have this jobsift alert"
    assert client.get(link(inbox.messages[1], "manage")).status_code == 200
    assert only_subscription(db).state == "active"


def test_form_refuses_a_post_without_its_csrf_token(client: FlaskClient, db: Database, inbox: Inbox) -> None:
    add_postings(db, python_job("a"))
    client.get("/alerts/new?skill=Python")
    answer = client.post("/alerts/new", data={"search": "skill=Python", "email": ADA, "frequency": "daily"})
    assert answer.status_code == 400
    cross = client.post(
        "/alerts/new",
        data={"search": "skill=Python", "email": ADA, "frequency": "daily"},
        headers={"Sec-Fetch-Site": "cross-site"},
    )
    assert cross.status_code == 403
    assert inbox.messages == []


def test_bad_input_is_a_400_naming_it_never_a_500(client: FlaskClient, db: Database, inbox: Inbox) -> None:
    add_postings(db, python_job("a"))
    assert client.get("/alerts/new?skill=Cobol%2B%2B").status_code == 400
    assert client.get("/alerts/new?remote=sometimes").status_code == 400
    for email in ("not-an-address", "a@b", "ada@example.com\r\nBcc: x@y.z", "é@example.com", "x" * 300 + "@e.com"):
        answer = subscribe(client, "skill=Python", email=email)
        assert answer.status_code == 400, email
        assert "not an email address" in answer.text
    answer = subscribe(client, "skill=Python", frequency="hourly")
    assert answer.status_code == 400 and "Choose how often" in answer.text
    form = client.get("/alerts/new?skill=Python")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    tampered = client.post(
        "/alerts/new", data={"csrf_token": token, "search": "skill=Nope", "email": ADA, "frequency": "daily"}
    )
    assert tampered.status_code == 400
    assert inbox.messages == []
