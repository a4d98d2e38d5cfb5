"""The results page links an Atom feed of the same search; the feed parses as Atom and lists that search's postings."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import datetime
from urllib.parse import parse_qs, urljoin, urlsplit

from playwright.sync_api import Page, expect

from tests.e2e.conftest import Site
from tests.e2e.helpers import submit

ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_feed_link_gives_an_atom_feed_of_the_search(page: Page, site: Site) -> None:
    page.get_by_label("Keywords").fill("python")
    page.get_by_label("Remote", exact=True).select_option("remote")
    submit(page)

    anchor = page.locator('a[type="application/atom+xml"]')
    expect(anchor).to_have_text("Atom feed of this search")
    href = anchor.get_attribute("href") or ""
    assert page.locator('link[rel="alternate"][type="application/atom+xml"]').get_attribute("href") == href
    feed_url = urljoin(page.url, href)
    assert urlsplit(feed_url).path == "/feed.atom"
    assert {k: v for k, v in parse_qs(urlsplit(feed_url).query).items() if k in ("q", "remote")} == {
        "q": ["python"],
        "remote": ["remote"],
    }

    answer = page.request.get(feed_url)
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("application/atom+xml")
    feed = ET.fromstring(answer.body())
    assert feed.tag == f"{ATOM}feed"
    assert "python" in (feed.findtext(f"{ATOM}title") or "")
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == feed_url  # type: ignore[union-attr]
    datetime.fromisoformat(feed.findtext(f"{ATOM}updated") or "")

    entries = feed.findall(f"{ATOM}entry")
    assert entries
    ids = []
    for entry in entries:
        link = entry.find(f"{ATOM}link[@rel='alternate']")
        assert link is not None
        found = re.fullmatch(re.escape(site.url) + r"postings/(\d+)", link.get("href") or "")
        assert found, link.get("href")
        ids.append(int(found.group(1)))
        assert entry.findtext(f"{ATOM}id") == link.get("href")
        assert entry.findtext(f"{ATOM}title")
        datetime.fromisoformat(entry.findtext(f"{ATOM}updated") or "")
    # The feed is the same search, newest first.
    api = site.api("/api/v1/postings?q=python&remote=remote&sort=newest&per_page=50")
    assert ids == [item["id"] for item in api["items"]]
    assert {item["remote"] for item in api["items"]} == {"remote"}

    # An entry's link opens its posting.
    first = entries[0]
    page.goto(first.find(f"{ATOM}link").get("href"))  # type: ignore[union-attr,arg-type]
    expect(page.get_by_role("heading", level=1)).to_have_text(api["items"][0]["title"])
