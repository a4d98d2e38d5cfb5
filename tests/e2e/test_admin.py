"""The admin end to end, in headless Chromium: sign in, add a board served on loopback, preview it, save it, crawl it
now through the running scheduler, and find its postings on the site; a form posted from another site is refused.
Screenshots of the sources and preview pages at desktop and phone widths land in /tmp/e2e-shots/."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Page, expect

from config.settings import load_settings
from config.sources import platform_terms
from jobsift.demo.server import Route
from store.db import Database
from store.queries.sources import get_sources, upsert_source
from tests.e2e.conftest import ADMIN_CAREERS, DESKTOP, PHONE, AdminSite, OpenPage, Problems, Shooter, _site_environ
from tests.e2e.test_screenshots import assert_fits
from tests.web.admin import careers

SIZES = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


def _successful_runs(page: Page) -> int:
    return page.locator("table.runs-table tbody tr", has=page.locator(".state-run-success")).count()


def _wait_for_runs(page: Page, count: int, timeout: float = 60) -> None:
    """Reload the source's page until it lists ``count`` successful crawls (the scheduler ticks every second)."""
    deadline = time.monotonic() + timeout
    while _successful_runs(page) < count:
        assert time.monotonic() < deadline, f"no {count} successful crawl(s) in {timeout} s: {page.content()[:3000]}"
        time.sleep(0.5)
        page.reload()


def _preview(page: Page, url: str, platform: str | None = None) -> None:
    page.goto("/admin/sources/new")
    page.get_by_label("Board or feed URL").fill(url)
    if platform:
        page.get_by_label("Platform").select_option(platform)
    page.get_by_role("button", name="Preview").click()
    page.wait_for_url("**/admin/sources/preview")


def test_add_preview_save_crawl_now_and_find_the_postings(
    open_admin_page: OpenPage, admin_site: AdminSite, problems: Problems, shoot: Shooter
) -> None:
    page = open_admin_page(DESKTOP)
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    page.get_by_role("navigation", name="Admin").get_by_role("link", name="Add a source").click()
    _preview(page, admin_site.board_url, "greenhouse")
    expect(page.get_by_role("heading", name="Preview", exact=True)).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Greenhouse")
    expect(page.get_by_role("status").filter(has_text="3 postings: 1 back-end")).to_be_visible()
    postings = page.locator("ol.preview-postings > li")
    expect(postings).to_have_count(3)
    expect(postings.filter(has_text="AI Engineer").locator("dl.classified div").first).to_have_text("Back-endyes")
    shoot(page, "admin-preview-board-desktop")

    # The save form comes filled in: the name from the feed, the platform's terms.
    expect(page.get_by_label("Name", exact=True)).to_have_value("GitLab")
    expect(page.get_by_label("Minimum interval (minutes)")).to_have_value("60")
    expect(page.get_by_label("Its postings may be republished with JobPosting markup")).to_be_checked()
    page.get_by_label("Key").fill("greenhouse-gitlab")
    page.get_by_label("Sector").select_option("Technology")
    page.get_by_role("button", name="Save source").click()
    page.wait_for_url("**/admin/sources/greenhouse-gitlab")
    expect(page.get_by_role("status")).to_contain_text("GitLab is added")

    # A new source is due at once: the scheduler crawls it within a tick or two.
    _wait_for_runs(page, 1)
    page.get_by_role("button", name="Crawl now GitLab").click()
    page.wait_for_url("**/admin/sources/greenhouse-gitlab")
    expect(page.get_by_role("status")).to_contain_text("GitLab is due now")
    _wait_for_runs(page, 2)
    expect(page.locator("dl.facts").first).to_contain_text("3 open, 1 of them back-end")
    shoot(page, "admin-source-desktop")

    # Its postings are on the site.
    page.goto("/?q=%22AI+Engineer%22")
    expect(page.locator("ol.results li.posting h2 a", has_text="AI Engineer")).to_be_visible()
    page.goto("/?source=greenhouse-gitlab&all_roles=1")
    expect(page.locator("ol.results li.posting")).to_have_count(3)

    page.goto("/admin/audit")
    for action in ("login", "add", "crawl now"):
        expect(page.locator("table.audit-table td[data-label=Action]", has_text=action).first).to_be_visible()
    shoot(page, "admin-audit-desktop")
    assert not problems.items


def _seed_unhealthy_sources(admin_site: AdminSite) -> None:
    """A failing and a paused source beside the healthy one, so the sources page shows every state. They are due
    only in hours, so the scheduler leaves them alone."""
    database = Database(load_settings(_site_environ(admin_site.data_dir)).database_url)
    now = datetime.now(UTC)
    try:
        with database.transaction() as session:
            failing = upsert_source(
                session, key="lever-northwind", name="Northwind Traders", kind="lever",
                url="https://api.lever.co/v0/postings/northwind?mode=json", now=now, terms=platform_terms("lever"),
            )  # fmt: skip
            failing.consecutive_failures, failing.last_crawl_at = 3, now - timedelta(minutes=20)
            failing.last_success_at = now - timedelta(days=2)
            failing.last_error = "http_503: https://api.lever.co/v0/postings/northwind?mode=json answered HTTP 503"
            failing.next_crawl_at = now + timedelta(hours=4)
            paused = upsert_source(
                session, key="remotive", name="Remotive", kind="remotive",
                url="https://remotive.com/api/remote-jobs", now=now, terms=platform_terms("remotive"),
            )  # fmt: skip
            paused.paused_at, paused.pause_reason = now, "paused by ada@example.com"
            paused.next_crawl_at = now + timedelta(hours=4)
    finally:
        database.dispose()


@pytest.mark.parametrize("viewport", SIZES)
def test_screenshots_of_the_sources_and_preview_pages(
    open_admin_page: OpenPage, admin_site: AdminSite, problems: Problems, shoot: Shooter, viewport: dict[str, int]
) -> None:
    name = "desktop" if viewport is DESKTOP else "phone"
    _seed_unhealthy_sources(admin_site)
    page = open_admin_page(viewport)
    _preview(page, admin_site.feeds.url + ADMIN_CAREERS)
    expect(page.locator("table.markup-table")).to_be_visible()
    expect(page.locator("table.markup-table tr", has_text="identifier")).to_contain_text("0 of 1")
    assert_fits(page, viewport["width"])
    shoot(page, f"admin-preview-{name}")

    page.goto("/admin/sources")
    expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    assert_fits(page, viewport["width"])
    shoot(page, f"admin-sources-{name}")
    # Keyboard: the first row's actions are reachable with Tab, and the focused one is visible.
    page.get_by_label("Find").focus()
    for _ in range(3):
        page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.tagName") in {"BUTTON", "SELECT", "A"}
    assert not problems.items


def test_a_careers_page_preview_names_the_jobpostings_it_would_not_store(
    open_admin_page: OpenPage, admin_site: AdminSite, problems: Problems, shoot: Shooter
) -> None:
    mixed = careers.page(careers.whole(), careers.blank_title(), careers.no_title())
    admin_site.feeds.routes["/careers/mixed.html"] = Route(mixed, "text/html; charset=utf-8")
    try:
        _preview_mixed_page(open_admin_page, admin_site, problems, shoot)
    finally:  # the site serves the module's other tests: leave its routes as they were
        del admin_site.feeds.routes["/careers/mixed.html"]


def _preview_mixed_page(open_admin_page: OpenPage, admin_site: AdminSite, problems: Problems, shoot: Shooter) -> None:
    page = open_admin_page(PHONE)
    _preview(page, admin_site.feeds.url + "/careers/mixed.html")
    expect(page.get_by_role("alert")).to_contain_text("a JobPosting without a title")
    expect(page.locator("ol.preview-postings > li")).to_have_count(1)
    expect(page.locator("ul.warnings")).to_contain_text("2 of the 3 JobPostings found would not be stored")
    dropped = page.locator("ul.dropped > li")
    expect(dropped).to_have_count(2)
    expect(dropped.filter(has_text="PC-102")).to_contain_text("a JobPosting without a title")
    expect(dropped.filter(has_text="PC-103")).to_contain_text("item without title")
    title = page.locator("table.markup-table tr", has=page.locator("code", has_text=re.compile(r"^title$")))
    expect(title).to_contain_text("1 of 3")
    assert_fits(page, PHONE["width"])
    shoot(page, "admin-preview-not-stored-phone")
    assert not problems.items


def test_a_form_posted_from_another_site_is_refused(open_admin_page: OpenPage, admin_site: AdminSite) -> None:
    database = Database(load_settings(_site_environ(admin_site.data_dir)).database_url)
    try:
        with database.transaction() as session:
            victim = upsert_source(
                session, key="e2e-victim", name="Victim board", kind="rss",
                url="https://victim.example/feed.rss", now=datetime.now(UTC),
            )  # fmt: skip
            victim.paused_at = datetime.now(UTC)  # out of the scheduler's way
        page = open_admin_page(DESKTOP)
        action = f"{admin_site.url}admin/sources/e2e-victim/remove"
        evil = f'<!doctype html><title>Win</title><form method="post" action="{action}"><button>Claim</button></form>'
        admin_site.feeds.routes["/evil.html"] = Route(evil.encode(), "text/html; charset=utf-8")
        port = admin_site.feeds.url.rsplit(":", 1)[1]
        # localhost is another site than 127.0.0.1: the browser keeps the SameSite=Lax cookie back and says
        # Sec-Fetch-Site: cross-site. 127.0.0.1 on another port is the same site, another origin: the cookie goes
        # along, and only the missing CSRF token stops the form.
        for origin, status in ((f"http://localhost:{port}", 403), (admin_site.feeds.url, 400)):
            page.goto(f"{origin}/evil.html")
            with page.expect_response(lambda r: r.url == action) as answer:
                page.get_by_role("button", name="Claim").click()
            assert answer.value.status == status, origin
        with database.transaction() as session:
            assert get_sources(session, ["e2e-victim"])[0].removed_at is None
        # And the admin is still signed in: nothing of the session was touched.
        page.goto("/admin/sources")
        expect(page.get_by_role("heading", name="Sources")).to_be_visible()
    finally:
        database.dispose()
