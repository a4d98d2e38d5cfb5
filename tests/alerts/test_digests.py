"""What a digest says and when it goes: each posting with title, company, location, remote status, salary, skills
and why it matched; a cap with "and N more" linking to the search; nothing sent when nothing is left; instant,
daily and weekly cadences."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

from flask.testing import FlaskClient
from sqlalchemy import update

from config.settings import Settings
from store.db import Database
from store.models import Posting
from tests.alerts.helpers import (
    BASE,
    active_alert,
    add_postings,
    digests_of,
    html_links,
    html_of,
    links_in,
    now,
    python_job,
    run_pass,
    text_of,
)
from tests.alerts.smtp import Inbox


def test_a_digest_lists_each_posting_with_why_it_matched(
    alert_settings: Settings, db: Database, inbox: Inbox, client: FlaskClient
) -> None:
    active_alert(db, "q=payments&skill=Python&remote=remote&min_salary=100000")
    [posting, _] = add_postings(
        db,
        python_job(
            "pay",
            title="Payments Platform Engineer",
            company="Ledgerly <Ltd>",
            location="Remote - US",
            description_text="Build payments APIs in Python.",
            salary_min=150000.0,
            salary_max=180000.0,
            salary_currency="USD",
            salary_period="year",
            salary_annual_min=150000.0,
            salary_annual_max=180000.0,
        ),
        python_job("no-salary", title="Payments Engineer (no salary)", description_text="payments"),
    )
    run_pass(alert_settings, db)
    [message] = inbox.messages
    assert (
        message["Subject"]
        == "1 new posting: keywords “payments”, skill Python, Remote, yearly salary at least USD 100,000"
    )
    text = text_of(message)
    # The subject and both bodies count the same thing in the same word.
    assert text.startswith("1 new posting for your search: ") and "<h1>1 new posting</h1>" in html_of(message)
    for expected in (
        "Payments Platform Engineer",
        "Ledgerly <Ltd> · Remote - US · Remote",
        "Salary: USD 150,000–180,000 a year",
        "Skills: Python, Django",
        "Why: “payments” in the title; skill Python; Remote; salary at least USD 100,000",
        f"{BASE}/postings/{posting}",
    ):
        assert expected in text, text
    html = html_of(message)
    assert "Ledgerly &lt;Ltd&gt;" in html and "<Ltd>" not in html  # escaped in HTML, verbatim in text
    assert f"{BASE}/postings/{posting}" in html_links(message)
    # The posting link and the search link lead to real pages.
    assert client.get(f"/postings/{posting}").status_code == 200
    [search] = [u for u in links_in(message) if urlsplit(u).path == "/" and "payments" in u]
    assert parse_qs(urlsplit(search).query)["skill"] == ["Python"]
    assert client.get(search.removeprefix(BASE)).status_code == 200


def test_a_digest_lists_at_most_50_and_links_to_the_rest(alert_settings: Settings, db: Database, inbox: Inbox) -> None:
    active_alert(db, "skill=Python")
    add_postings(db, *(python_job(f"{i:03}", posted_at=now() - timedelta(minutes=i)) for i in range(57)))
    run_pass(alert_settings, db)
    [message] = inbox.messages
    text = text_of(message)
    assert message["Subject"].startswith("57 new postings")
    assert text.count("Why: skill Python") == 50
    # Newest first: the 50 newest are listed, the 7 oldest are counted.
    assert "Python Engineer 000" in text and "Python Engineer 049" in text and "Python Engineer 050" not in text
    assert f"... and 7 more: {BASE}/?skill=Python" in text
    assert "… and 7 more" in html_of(message)


def test_nothing_is_sent_when_every_posting_closed_before_sending(
    alert_settings: Settings, db: Database, inbox: Inbox
) -> None:
    alert = active_alert(db, "skill=Python")
    ids = add_postings(db, python_job("a"), python_job("b"))
    from web.alerts.matching import match_new_postings

    match_new_postings(db)
    with db.transaction() as s:
        s.execute(update(Posting).where(Posting.id.in_(ids)).values(closed_at=now()))
    run_pass(alert_settings, db)
    assert inbox.messages == []
    assert [d.status for d in digests_of(db, alert)] == ["empty"]
    run_pass(alert_settings, db)  # and nothing is cut again from those
    assert len(digests_of(db, alert)) == 1


def test_no_digest_without_new_matches(alert_settings: Settings, db: Database, inbox: Inbox) -> None:
    alert = active_alert(db, "skill=Go")
    add_postings(db, python_job("a"))
    for _ in range(3):
        run_pass(alert_settings, db)
    assert inbox.messages == [] and digests_of(db, alert) == []


def test_daily_and_weekly_alerts_send_at_most_once_a_period(
    alert_settings: Settings, db: Database, inbox: Inbox
) -> None:
    active_alert(db, "skill=Python", email="daily@example.com", frequency="daily")
    active_alert(db, "skill=Python", email="weekly@example.com", frequency="weekly")
    active_alert(db, "skill=Python", email="instant@example.com", frequency="instant")
    start = now()

    def sent_to() -> list[str]:
        return sorted(str(m["To"]).split("@")[0] for m in inbox.messages)

    add_postings(db, python_job("1"))
    run_pass(alert_settings, db, start)
    assert sent_to() == ["daily", "instant", "weekly"]  # the first matches go out at once
    add_postings(db, python_job("2"))
    run_pass(alert_settings, db, start + timedelta(hours=3))
    assert sent_to() == ["daily", "instant", "instant", "weekly"]
    add_postings(db, python_job("3"))
    run_pass(alert_settings, db, start + timedelta(hours=23, minutes=59, seconds=40))  # a pass late is still on time
    assert sent_to() == ["daily", "daily", "instant", "instant", "instant", "weekly"]
    daily = [m for m in inbox.messages if m["To"] == "daily@example.com"][1]
    assert daily["Subject"].startswith("2 new postings")  # both postings of the day, in one email
    add_postings(db, python_job("4"))
    run_pass(alert_settings, db, start + timedelta(days=2))
    run_pass(alert_settings, db, start + timedelta(days=7))
    weekly = [m for m in inbox.messages if m["To"] == "weekly@example.com"]
    assert len(weekly) == 2 and weekly[1]["Subject"].startswith("3 new postings")


def test_two_cuts_of_the_same_matches_make_one_digest(db: Database) -> None:
    from store.models import AlertDigest, AlertSubscription
    from store.queries.alerts import cut_digests
    from web.alerts.matching import match_new_postings

    alert = active_alert(db, "skill=Python")
    add_postings(db, python_job("a"))
    match_new_postings(db)
    with db.transaction() as s:
        assert cut_digests(s, now()) == 1
        # A second cutter that read the subscription before the first committed (and the first digest already
        # sent, so nothing is waiting): it sees the old start of range, and the unique (subscription, start) stops it.
        s.execute(update(AlertDigest).values(status="sent"))
        s.execute(update(AlertSubscription).where(AlertSubscription.id == alert).values(digested_upto=0))
        assert cut_digests(s, now() + timedelta(seconds=1)) == 0
    assert len(digests_of(db, alert)) == 1
