"""Email alerts end to end (issue 7), in headless Chromium: what a subscriber does, from a results page to the
digest, with the mail going to a real SMTP server (aiosmtpd) on loopback that the site process sends through.

One site serves the module: ``jobsift web`` over a fresh SQLite store seeded with two kinds of postings, so the
weekly estimates are known exactly: 30 Kotlin postings in the last 30 days (about 7 a week) and 900 Python ones
(about 210 a week, more than an alert may send). The web process sends confirmations itself; digests are sent by
one pass of the scheduler's alert job (:class:`web.alerts.runner.AlertRunner`), run here after a real crawl ingests
a new posting. Each test subscribes its own address, so the tests don't depend on one another; together they stay
under the store's limit of 10 confirmation emails an hour from one client address.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from config.settings import Settings, load_settings
from store.db import Database
from store.migrate import upgrade
from store.queries.postings import upsert_postings
from store.queries.sources import upsert_source
from store.records import PostingRecord
from tests.alerts.helpers import html_links, html_of, links_in, text_of
from tests.alerts.smtp import Inbox, SmtpServer
from tests.e2e.conftest import (
    DESKTOP,
    PHONE,
    OpenPage,
    Problems,
    Shooter,
    _site_environ,
    crawl_board,
    greenhouse_job,
    page_opener,
    serve,
    stop_process,
)
from tests.e2e.test_screenshots import assert_fits
from web.alerts.runner import AlertRunner

MAIL_FROM = "jobsift alerts <alerts@jobsift.test>"
KOTLIN_SEARCH = "skill=Kotlin&remote=remote"
KOTLIN_SEEDED = 30  # in the last 30 days: about 7 a week
PYTHON_SEEDED = 900  # about 210 a week, over the limit of 200
GONE = "This link is not valid: it may have expired, been used already, or been copied incompletely."
NEW_TITLE = "Kotlin Backend Engineer, Ledger API"
NEW_COMPANY = "Quillfeather"
NEW_DESCRIPTION = """
<p>Quillfeather builds the ledger behind small-business invoicing. You will design and run Kotlin services on
PostgreSQL, and the REST APIs our customers integrate with.</p>
<p>Requirements: Kotlin, PostgreSQL, REST APIs, three years of back-end work.</p>
"""


@dataclass(frozen=True)
class AlertSite:
    url: str  # with a trailing slash
    environ: dict[str, str]
    inbox: Inbox

    @property
    def settings(self) -> Settings:
        return load_settings({**self.environ, "JOBSIFT_BASE_URL": self.url.rstrip("/")})

    def path(self, url: str) -> str:
        """The path and query of one of the site's absolute URLs (a link in an email), to open in the browser."""
        assert url.startswith(self.url), f"{url} is not on the site {self.url}"
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")


def _seeded(kind: str, number: int, now: datetime) -> PostingRecord:
    skill, remote = ("Kotlin", "remote") if kind == "kotlin" else ("Python", "onsite")
    title = f"{skill} Engineer {number}"
    return PostingRecord(
        external_id=f"{kind}-{number}",
        url=f"https://jobs.example.com/{kind}/{number}",
        title=title,
        title_raw=title,
        company=f"{skill} Works {number % 40}",
        location="Remote" if remote == "remote" else "Leeds",
        remote=remote,
        sector="Technology",
        skills=(skill, "PostgreSQL"),
        description_text=f"Build {skill} services on PostgreSQL.",
        description_html=f"<p>Build {skill} services on PostgreSQL.</p>",
        # Spread over the 30 days the estimate counts, never at their edge.
        posted_at=now - timedelta(hours=1 + number % (28 * 24)),
    )


def _seed(environ: dict[str, str]) -> None:
    database = Database(load_settings(environ).database_url)
    now = datetime.now(UTC)
    try:
        upgrade(database.engine)
        with database.transaction() as session:
            source_id = upsert_source(
                session, key="e2e-alerts-seed", name="Seeded board", kind="greenhouse",
                url="https://example.com/seed", now=now,
            ).id  # fmt: skip
            records = [_seeded("kotlin", n, now) for n in range(KOTLIN_SEEDED)]
            records += [_seeded("python", n, now) for n in range(PYTHON_SEEDED)]
            upsert_postings(session, source_id, records, now)
    finally:
        database.dispose()


@pytest.fixture(scope="module")
def alert_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AlertSite]:
    data_dir = tmp_path_factory.mktemp("e2e-alerts")
    smtp = SmtpServer()
    smtp.start()
    environ = {
        **_site_environ(data_dir),
        "JOBSIFT_SMTP_URL": smtp.url,
        "JOBSIFT_MAIL_FROM": MAIL_FROM,
        "JOBSIFT_SMTP_TIMEOUT": "5",
    }
    try:
        _seed(environ)
        proc, url = serve(["web"], environ, data_dir / "web.log")
        try:
            yield AlertSite(url=url, environ=environ, inbox=smtp.inbox)
        finally:
            stop_process(proc)
    finally:
        smtp.stop()


@pytest.fixture
def open_alert_page(browser: Browser, alert_site: AlertSite, problems: Problems) -> Iterator[OpenPage]:
    """Opens a page on this module's site (see ``page_opener``)."""
    with page_opener(browser, alert_site.url, problems) as open_:
        yield open_


# -- reading mail as a client does ---------------------------------------------------------------------------------


def mail_to(inbox: Inbox, address: str, subject: str, count: int = 1, timeout: float = 10) -> EmailMessage:
    """The ``count``-th message to ``address`` whose subject has ``subject``; waits for it to arrive."""
    deadline = time.monotonic() + timeout
    while True:
        with inbox.lock:
            found = [
                m for m in inbox.messages if parseaddr(str(m["To"]))[1] == address and subject in str(m["Subject"])
            ]
        if len(found) >= count:
            return found[count - 1]
        assert time.monotonic() < deadline, f"no message {count} to {address} about {subject!r} in {timeout} s"
        time.sleep(0.05)


def mails_to(inbox: Inbox, address: str) -> list[EmailMessage]:
    with inbox.lock:
        return [m for m in inbox.messages if parseaddr(str(m["To"]))[1] == address]


def link_of(message: EmailMessage, kind: str) -> str:
    """The message's one absolute link to /alerts/KIND/..., the same in its text and HTML parts."""
    in_text = [u for u in links_in(message) if urlsplit(u).path.startswith(f"/alerts/{kind}/")]
    in_html = [u for u in html_links(message) if urlsplit(u).path.startswith(f"/alerts/{kind}/")]
    assert in_text and set(in_text) == set(in_html) == {in_text[0]}, (in_text, in_html)
    return in_text[0]


def assert_alert_mail(message: EmailMessage, address: str) -> None:
    """What every alert email carries: sender, recipient, both parts, manage and one-click unsubscribe links."""
    assert parseaddr(str(message["From"])) == parseaddr(MAIL_FROM)
    assert parseaddr(str(message["To"]))[1] == address
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]
    unsubscribe = link_of(message, "unsubscribe")
    assert str(message["List-Unsubscribe"]) == f"<{unsubscribe}>"
    assert str(message["List-Unsubscribe-Post"]) == "List-Unsubscribe=One-Click"
    link_of(message, "manage")


# -- what a subscriber does ----------------------------------------------------------------------------------------


def open_subscribe_form(page: Page, search: str) -> None:
    """From the results of a search, follow "Email me new matches"."""
    page.goto(f"/?{search}")
    page.get_by_role("link", name="Email me new matches").click()
    page.wait_for_url(re.compile(r"/alerts/new(\?|$)"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Email me new matches")


def fill_and_send(page: Page, address: str, frequency: str) -> None:
    page.get_by_label("Your email address").fill(address)
    page.get_by_label(frequency).check()
    page.get_by_role("button", name="Email me new matches").click()
    page.wait_for_load_state("domcontentloaded")


def subscribe(page: Page, alert_site: AlertSite, address: str, frequency: str = "Daily") -> EmailMessage:
    """Subscribe to the Kotlin search through the form; returns the confirmation email."""
    open_subscribe_form(page, KOTLIN_SEARCH)
    fill_and_send(page, address, frequency)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    return mail_to(alert_site.inbox, address, "Confirm your jobsift alert")


def confirm(page: Page, alert_site: AlertSite, confirmation: EmailMessage) -> None:
    page.goto(alert_site.path(link_of(confirmation, "confirm")))
    page.get_by_role("button", name="Confirm this alert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your alert is on")


def subscribed(page: Page, alert_site: AlertSite, address: str, frequency: str = "Daily") -> EmailMessage:
    """A confirmed alert of the Kotlin search; returns its confirmation email (which has its links)."""
    confirmation = subscribe(page, alert_site, address, frequency)
    confirm(page, alert_site, confirmation)
    return confirmation


def search_lines(page: Page) -> list[str]:
    return page.locator("ul.alert-search li").all_inner_texts()


def assert_no_problems(problems: Problems, *refused: str) -> None:
    """Nothing went wrong in the browser but the 4xx answers the test asked for on purpose at the ``refused`` paths
    (Chromium logs an error page's status to the console)."""
    unexpected = [item for item in problems.items if not ("status of 4" in item and any(r in item for r in refused))]
    assert unexpected == []


# -- the tests -----------------------------------------------------------------------------------------------------


def test_subscribe_from_results_then_confirm_once(
    open_alert_page: OpenPage, alert_site: AlertSite, problems: Problems
) -> None:
    page = open_alert_page(DESKTOP)
    address = "ada@example.com"
    open_subscribe_form(page, KOTLIN_SEARCH)
    assert search_lines(page) == ["skill Kotlin", "Remote"]
    expect(page.locator(".alert-estimate")).to_have_text("Lately this search found about 7 new postings a week.")
    expect(page.get_by_label("Daily")).to_be_checked()
    fill_and_send(page, address, "Weekly")
    expect(page.get_by_role("status")).to_contain_text(f"If {address} can receive mail")

    confirmation = mail_to(alert_site.inbox, address, "Confirm your jobsift alert")
    assert_alert_mail(confirmation, address)
    assert str(confirmation["Subject"]) == "Confirm your jobsift alert: skill Kotlin, Remote"
    text, html = text_of(confirmation), html_of(confirmation)
    for part in (text, html):
        assert "skill Kotlin" in part and "How often: weekly." in part
    confirm_url = link_of(confirmation, "confirm")

    # Opening the link (as a mail scanner does) confirms nothing: it shows the search and a button.
    page.goto(alert_site.path(confirm_url))
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your alert")
    expect(page.locator("main")).to_contain_text(f"Email {address} new postings of this search, weekly")
    page.reload()
    second_tab = open_alert_page(DESKTOP, alert_site.path(confirm_url))
    page.get_by_role("button", name="Confirm this alert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your alert is on")
    expect(page.get_by_role("status")).to_contain_text("New postings of this search will be emailed weekly")
    assert search_lines(page) == ["skill Kotlin", "Remote"]
    page.get_by_role("link", name="this alert's page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your alert")
    expect(page.get_by_label("How often")).to_have_value("weekly")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()

    # The link works once: opened again, or its button pressed again in another tab, it says so plainly.
    answer = page.goto(alert_site.path(confirm_url))
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("This link is not valid")
    expect(page.get_by_role("alert")).to_contain_text(GONE)
    with second_tab.expect_response(lambda r: r.request.method == "POST") as again:
        second_tab.get_by_role("button", name="Confirm this alert").click()
    assert again.value.status == 404
    expect(second_tab.get_by_role("alert")).to_contain_text(GONE)

    # The email's own manage link opens the alert's page too.
    page.goto(alert_site.path(link_of(confirmation, "manage")))
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    assert len(mails_to(alert_site.inbox, address)) == 1  # nothing but the confirmation
    assert_no_problems(problems, urlsplit(confirm_url).path)


def test_a_search_too_broad_or_choosing_nothing_is_refused(open_alert_page: OpenPage, problems: Problems) -> None:
    page = open_alert_page(DESKTOP)
    open_subscribe_form(page, "skill=Python")
    refusal = page.get_by_role("alert")
    expect(refusal).to_have_text(
        "This search matches about 210 postings a week, more than the 200 an alert may send. Narrow it: add a skill "
        "or a keyword, choose a remote status, region, sector or seniority, or set a minimum salary."
    )
    expect(page.get_by_label("Your email address")).to_have_count(0)
    page.get_by_role("link", name="Back to the search to narrow it").click()
    page.wait_for_url("**/?skill=Python")
    expect(page.get_by_role("link", name="Email me new matches")).to_be_visible()

    open_subscribe_form(page, "sort=newest")
    expect(page.get_by_role("alert")).to_contain_text("An alert needs at least one filter or keyword")
    expect(page.get_by_label("Your email address")).to_have_count(0)
    assert_no_problems(problems)


def test_form_errors_name_the_field_and_keep_the_entries_without_javascript(
    open_alert_page: OpenPage, alert_site: AlertSite, problems: Problems
) -> None:
    page = open_alert_page(DESKTOP, javascript=False)
    address = "grace@example.com"
    open_subscribe_form(page, KOTLIN_SEARCH)
    # The browser's own check lets "name@host" through; the site wants a domain it can send to.
    fill_and_send(page, "grace@localhost", "Weekly")
    expect(page.get_by_role("alert")).to_have_text(
        "This is not an email address we can send to (plain letters, name@example.com)."
    )
    field = page.get_by_label("Your email address")
    expect(field).to_have_value("grace@localhost")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_have_accessible_description(
        "This is not an email address we can send to (plain letters, name@example.com)."
    )
    expect(field).to_be_focused()
    expect(page.get_by_label("Weekly")).to_be_checked()
    assert search_lines(page) == ["skill Kotlin", "Remote"]

    # Corrected, the same page subscribes, still without a script.
    fill_and_send(page, address, "Weekly")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your inbox")
    assert_alert_mail(mail_to(alert_site.inbox, address, "Confirm your jobsift alert"), address)

    # A frequency the form doesn't offer (a crafted post) is refused, naming the choices; the address stays.
    page = open_alert_page(DESKTOP)
    open_subscribe_form(page, KOTLIN_SEARCH)
    page.get_by_label("Daily").evaluate("(radio) => { radio.value = 'hourly'; }")
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        fill_and_send(page, "grace.hopper@example.com", "Daily")
    assert answer.value.status == 400
    expect(page.get_by_role("alert")).to_have_text(
        "Choose how often: instant (as soon as new postings arrive), daily, weekly."
    )
    expect(page.get_by_role("group", name="How often")).to_have_accessible_description(re.compile("Choose how often"))
    expect(page.get_by_label("Your email address")).to_have_value("grace.hopper@example.com")
    expect(page.get_by_label("Your email address")).not_to_have_attribute("aria-invalid", "true")
    assert mails_to(alert_site.inbox, "grace.hopper@example.com") == []
    assert_no_problems(problems, "/alerts/new")


# Where each manage action sits: its form, and its box on the page.
_ACTIONS = """() => {
    const box = (el) => { const r = el.getBoundingClientRect(); return {top: r.top, bottom: r.bottom}; };
    const pause = [...document.querySelectorAll("main button")].find((b) => /^(Pause|Resume)$/.test(b.innerText));
    const frequency = document.getElementById("frequency").form;
    const remove = [...document.querySelectorAll("main button")].find((b) => b.innerText.startsWith("Delete"));
    const danger = remove.closest(".alert-danger");
    return {
        pauseInFrequencyForm: pause.form === frequency || frequency.contains(pause),
        pause: box(pause),
        frequency: box(frequency),
        deleteInDangerBox: !!danger,
        dangerBoxHasOtherControls: !!danger.querySelector("select, form.alert-state, form.alert-frequency"),
        danger: box(danger),
    };
}"""


def assert_actions_apart(page: Page) -> None:
    """Pause / resume is its own form on its own row, above how often; delete is alone in the danger box, last."""
    found = page.evaluate(_ACTIONS)
    assert not found["pauseInFrequencyForm"], found
    assert found["pause"]["bottom"] <= found["frequency"]["top"], found  # not beside "How often ... Save"
    assert found["deleteInDangerBox"] and not found["dangerBoxHasOtherControls"], found
    assert found["frequency"]["bottom"] < found["danger"]["top"], found


def test_manage_page_changes_frequency_pauses_edits_filters_and_deletes(
    open_alert_page: OpenPage, alert_site: AlertSite, problems: Problems
) -> None:
    page = open_alert_page(DESKTOP)
    address = "katherine@example.com"
    confirmation = subscribed(page, alert_site, address)
    manage = alert_site.path(link_of(confirmation, "manage"))
    page.goto(manage)
    expect(page.get_by_label("How often")).to_have_value("daily")
    # Only the confirmation has gone out, and it is no digest.
    expect(page.locator("main")).to_contain_text("Active. No digest sent yet")
    expect(page.locator("main")).not_to_contain_text("Last digest sent")
    assert_actions_apart(page)

    page.get_by_label("How often").select_option("weekly")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_have_text("Saved: how often this alert is emailed has changed.")
    page.goto(manage)
    expect(page.get_by_label("How often")).to_have_value("weekly")

    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("status")).to_have_text("Paused: no emails until you resume it.")
    expect(page.locator(".alert-paused")).to_have_text("Paused by you.")
    page.goto(manage)
    assert_actions_apart(page)
    page.get_by_role("button", name="Resume").click()
    expect(page.get_by_role("status")).to_have_text("Resumed: new postings from now on will be emailed.")
    expect(page.get_by_role("button", name="Pause")).to_be_visible()

    # Filters are changed on the search page, which keeps the alert through its own form, then saved.
    page.get_by_role("link", name="Change the filters").click()
    page.wait_for_url("**/?*alert=*")
    page.get_by_label("Keywords").fill("ledger")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**q=ledger*")
    page.get_by_role("button", name="Save these filters").click()
    expect(page.get_by_role("status")).to_have_text("Saved: this alert now uses the filters you chose, from now on.")
    assert search_lines(page) == ["keywords “ledger”", "skill Kotlin", "Remote"]

    # A search too broad is not saved, and the alert keeps its filters.
    page.goto(f"/?skill=Python&alert={manage.rsplit('/', 1)[1]}")
    page.get_by_role("button", name="Save these filters").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("These filters were not saved")
    expect(page.get_by_role("alert")).to_contain_text("about 210 postings a week")
    page.get_by_role("link", name="Back to your alert").click()
    assert search_lines(page) == ["keywords “ledger”", "skill Kotlin", "Remote"]

    page.get_by_role("button", name="Delete this alert and its address").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Alert deleted")
    answer = page.goto(manage)
    assert answer is not None and answer.status == 404
    expect(page.get_by_role("alert")).to_contain_text(GONE)
    assert_no_problems(problems, manage)


def test_unsubscribe_asks_on_get_acts_on_post_and_refuses_tampered_links(
    open_alert_page: OpenPage, alert_site: AlertSite, problems: Problems
) -> None:
    page = open_alert_page(DESKTOP)
    address = "dorothy@example.com"
    confirmation = subscribed(page, alert_site, address)
    unsubscribe = alert_site.path(str(confirmation["List-Unsubscribe"]).strip("<>"))
    manage = alert_site.path(link_of(confirmation, "manage"))

    # A GET (a mail scanner, a preview) only asks; the alert is still on.
    page.goto(unsubscribe)
    expect(page.get_by_role("heading", level=1)).to_have_text("Unsubscribe?")
    assert search_lines(page) == ["skill Kotlin", "Remote"]
    page.goto(manage)
    expect(page.get_by_role("button", name="Pause")).to_be_visible()

    page.goto(unsubscribe)
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.get_by_role("button", name="Unsubscribe").click()
    assert answer.value.status == 200  # answered in place, no redirect
    expect(page.get_by_role("status")).to_contain_text("No more emails will come from this alert.")
    page.goto(unsubscribe)
    expect(page.get_by_role("heading", level=1)).to_have_text("You are unsubscribed")
    expect(page.get_by_role("button", name="Unsubscribe")).to_have_count(0)
    assert page.goto(manage).status == 404  # type: ignore[union-attr]

    # A link altered by one character, or cut short, gets the same generic page whatever its kind.
    token = unsubscribe.rsplit("/", 1)[1]
    altered = token[:-1] + ("A" if token[-1] != "A" else "B")
    dead = [f"/alerts/unsubscribe/{altered}", f"/alerts/manage/{token[:20]}", f"/alerts/confirm/{token}"]
    for path in dead:
        answer = page.goto(path)
        assert answer is not None and answer.status == 404, path
        expect(page.get_by_role("alert")).to_contain_text(GONE)
        expect(page.get_by_role("button")).to_have_count(0)
    assert_no_problems(problems, manage, *dead)


def test_a_new_matching_posting_arrives_as_a_digest_whose_links_open(
    open_alert_page: OpenPage, alert_site: AlertSite, shoot: Shooter, problems: Problems
) -> None:
    page = open_alert_page(DESKTOP)
    address = "margaret@example.com"
    confirmation = subscribed(page, alert_site, address, "As soon as new postings arrive")

    job = greenhouse_job(8000001, NEW_TITLE, NEW_COMPANY, "Remote - Europe", NEW_DESCRIPTION, datetime.now(UTC))
    crawl_board(alert_site.environ, "e2e-quillfeather", "Quillfeather board", [job])
    runner = AlertRunner(alert_site.settings)
    try:
        report = runner.run_once()
    finally:
        runner.close()
    assert report.sent is not None and report.sent.sent >= 1

    digest = mail_to(alert_site.inbox, address, "new posting")
    assert_alert_mail(digest, address)
    # Only the posting ingested since the confirmation: the 30 Kotlin postings before it are not new.
    assert str(digest["Subject"]) == "1 new posting: skill Kotlin, Remote"
    text, html = text_of(digest), html_of(digest)
    assert text.startswith("1 new posting for your search: ")  # the subject's word, not "job"
    page.goto(alert_site.path(link_of(confirmation, "manage")))
    expect(page.locator("main")).to_contain_text(
        re.compile(r"Active\. Last digest sent \d\d \w{3} \d{4} \d\d:\d\d UTC\.")
    )
    for part in (text, html):
        assert NEW_TITLE in part and NEW_COMPANY in part and "Remote" in part
        assert "Why: skill Kotlin; Remote" in part
    posting_urls = {u for u in links_in(digest) if "/postings/" in u}
    assert len(posting_urls) == 1 and posting_urls <= set(html_links(digest))

    # Shown as a mail client shows its HTML part, the posting's title is a link to its page on the site.
    page.goto("about:blank")  # not over a page of the site, whose CSP would apply to the email's inline styles
    page.set_content(html)
    shoot(page, "alert-digest-email-desktop")
    page.get_by_role("link", name=NEW_TITLE).click()
    page.wait_for_url(posting_urls.pop())
    expect(page.get_by_role("heading", level=1)).to_have_text(NEW_TITLE)
    expect(page.locator("article.detail .meta .company")).to_have_text(NEW_COMPANY)
    search_url = next(u for u in links_in(digest) if urlsplit(u).query == KOTLIN_SEARCH)
    page.goto(alert_site.path(search_url))
    expect(page.locator("ol.results li.posting h2 a", has_text=NEW_TITLE)).to_be_visible()
    feed = next(u for u in links_in(digest) if "/alerts/feed/" in u)
    answer = page.goto(alert_site.path(feed))
    assert answer is not None and answer.status == 200 and NEW_TITLE in answer.text()

    # The pass is done: another one sends nothing more.
    runner = AlertRunner(alert_site.settings)
    try:
        runner.run_once()
    finally:
        runner.close()
    assert len(mails_to(alert_site.inbox, address)) == 2  # the confirmation and the one digest
    assert_no_problems(problems)


SIZES = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


@pytest.mark.parametrize("viewport", SIZES)
def test_alert_pages_fit_desktop_and_phone(
    open_alert_page: OpenPage,
    alert_site: AlertSite,
    shoot: Shooter,
    problems: Problems,
    viewport: dict[str, int],
) -> None:
    name = "desktop" if viewport is DESKTOP else "phone"
    page = open_alert_page(viewport)
    address = f"shots-{name}@example.com"
    open_subscribe_form(page, KOTLIN_SEARCH)
    page.get_by_label("Your email address").fill(address)
    expect(page.get_by_role("button", name="Email me new matches")).to_be_visible()
    assert_fits(page, viewport["width"])
    shoot(page, f"alert-subscribe-{name}")

    fill_and_send(page, address, "Daily")
    confirmation = mail_to(alert_site.inbox, address, "Confirm your jobsift alert")
    page.goto(alert_site.path(link_of(confirmation, "confirm")))
    assert_fits(page, viewport["width"])
    shoot(page, f"alert-confirm-{name}")

    page.get_by_role("button", name="Confirm this alert").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your alert is on")
    page.goto(alert_site.path(link_of(confirmation, "manage")))
    expect(page.get_by_role("button", name="Delete this alert and its address")).to_be_visible()
    assert_fits(page, viewport["width"])
    shots = shoot(page, f"alert-manage-{name}")
    assert all(Path(s).stat().st_size > 5_000 for s in shots)
    assert_no_problems(problems)
