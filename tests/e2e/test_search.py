"""Keyword search in a real browser: typing, phrases, exclusion, and input that would break a naive query."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import OpenPage, Problems, Site
from tests.e2e.helpers import listed, result_count, submit


def search(page: Page, query: str) -> int:
    page.get_by_label("Keywords").fill(query)
    answer = submit(page)
    assert answer.status == 200, f"{query!r} answered {answer.status}"
    expect(page.get_by_label("Keywords")).to_have_value(query)
    return result_count(page)


def api_total(site: Site, query: str) -> int:
    return int(site.api("/api/v1/postings?" + urlencode({"q": query}))["total"])


def test_typing_a_keyword_lists_matching_postings_and_changes_the_count(page: Page, site: Site) -> None:
    everything = result_count(page)
    before = page.locator("p.count").inner_text()

    page.get_by_label("Keywords").press_sequentially("python")
    page.get_by_label("Keywords").press("Enter")
    page.wait_for_url(re.compile(r"[?&]q=python\b"))

    found = result_count(page)
    assert 0 < found < everything
    assert found == api_total(site, "python")
    assert page.locator("p.count").inner_text() != before
    expect(page.locator("p.count")).to_contain_text("matching “python”")
    expect(page).to_have_title(re.compile(r"^python · jobsift"))
    assert listed(page), "no results listed"
    assert parse_qs(urlsplit(page.url).query)["q"] == ["python"]


def test_a_quoted_phrase_is_narrower_than_its_words(page: Page, site: Site) -> None:
    words = search(page, "event sourcing")
    phrase = search(page, '"event sourcing"')
    assert 0 < phrase < words
    assert phrase == api_total(site, '"event sourcing"')

    page.locator("ol.results h2 a").first.click()
    page.wait_for_url(re.compile(r"/postings/\d+$"))
    assert re.search(r"event[- ]sourc", page.locator("article.detail").inner_text(), re.IGNORECASE)


def test_a_minus_word_excludes_it(page: Page) -> None:
    python = search(page, "python")
    without = search(page, "python -django")
    with_both = search(page, "python django")
    assert 0 < without < python
    assert without + with_both == python
    page.goto("/?" + urlencode({"q": "python -django", "per_page": 100}))
    for posting in listed(page):
        assert "Django" not in posting.skills, posting


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "NEAR(",
        "' OR 1=1 --",
        "python 🚀 🦀",
        "🚀",
        'AND OR NOT * : ^ - "',
        "title:python",
        "%_\\ ;--",
        "x" * 10_000,
    ],
    ids=["quote", "near", "sql", "emoji", "emoji-only", "operators", "column", "like-chars", "10k-chars"],
)
def test_hostile_queries_give_a_page_never_an_error(page: Page, problems: Problems, query: str) -> None:
    search(page, query)
    expect(page.locator("form.search")).to_be_visible()
    assert not problems.items


def test_a_query_over_the_limit_gets_a_clear_message(open_page: OpenPage, problems: Problems) -> None:
    page = open_page()
    answer = page.goto("/?" + urlencode({"q": "backend " * 1280}))  # 10 KB
    assert answer is not None and answer.status == 400
    expect(page.get_by_role("alert")).to_contain_text("q: is longer than 10000 characters")
    expect(page.get_by_role("link", name="Back to the search")).to_be_visible()
    assert not [p for p in problems.items if not p.startswith("console error: Failed to load resource")]
