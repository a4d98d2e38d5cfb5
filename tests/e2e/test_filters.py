"""Filters chosen with the form's own controls: every result matches, the URL carries them, the form keeps them."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from playwright.sync_api import Page, expect

from tests.e2e.conftest import OpenPage, Site
from tests.e2e.helpers import Listed, listed, result_count, submit


def selected_values(page: Page, selector: str) -> list[str]:
    return page.eval_on_selector(selector, "(select) => [...select.selectedOptions].map((o) => o.value)")


def choose_remote_and_technology(page: Page) -> None:
    page.get_by_label("Remote", exact=True).select_option("remote")
    page.get_by_label("Sector").select_option("Technology")


def assert_remote_technology(results: list[Listed]) -> None:
    assert results
    for posting in results:
        assert posting.remote == "remote", posting
        assert "Remote" in posting.meta and "Technology" in posting.meta, posting


def test_remote_sector_skill_and_seniority_narrow_the_results_and_stay_chosen(
    page: Page, open_page: OpenPage, site: Site
) -> None:
    everything = result_count(page)
    choose_remote_and_technology(page)
    page.get_by_role("listbox", name=re.compile(r"^Skills")).select_option(["Python"])
    page.get_by_role("checkbox", name=re.compile(r"^Senior\b")).check()
    answer = submit(page)
    assert answer.status == 200

    query = urlsplit(page.url).query
    params = parse_qs(query)
    carried = {name: params.get(name) for name in ("remote", "sector", "skill", "seniority")}
    assert carried == {"remote": ["remote"], "sector": ["Technology"], "skill": ["Python"], "seniority": ["senior"]}
    expect(page.locator("p.count")).to_contain_text("with Python · Remote · Technology")

    results = listed(page)
    assert 0 < len(results) == result_count(page) < everything
    assert_remote_technology(results)
    for posting in results:
        assert "Python" in posting.skills, posting
    # Seniority is not on the results page; the API answers the very same URL, with each item's seniority.
    api = site.api("/api/v1/postings?" + query)
    assert [item["id"] for item in api["items"]] == [p.id for p in results]
    assert {item["seniority"] for item in api["items"]} == {"senior"}

    expect(page.get_by_label("Remote", exact=True)).to_have_value("remote")
    expect(page.get_by_label("Sector")).to_have_value("Technology")
    assert selected_values(page, "#skill") == ["Python"]
    expect(page.get_by_role("checkbox", name=re.compile(r"^Senior\b"))).to_be_checked()
    expect(page.get_by_role("checkbox", name=re.compile(r"^Lead\b"))).not_to_be_checked()

    # Shareable: the URL alone gives the same results in a browser that never saw the form.
    shared = open_page(path=page.url)
    assert [p.id for p in listed(shared)] == [p.id for p in results]
    expect(shared.get_by_label("Sector")).to_have_value("Technology")


def test_the_pager_keeps_the_filters(page: Page) -> None:
    choose_remote_and_technology(page)
    submit(page)
    first = listed(page)
    assert_remote_technology(first)
    expect(page.locator("nav.pager")).to_contain_text("Page 1 of")

    page.get_by_role("link", name="Older →").click()
    page.wait_for_url(re.compile(r"[?&]page=2\b"))
    params = parse_qs(urlsplit(page.url).query)
    assert params["remote"] == ["remote"] and params["sector"] == ["Technology"]
    expect(page.locator("nav.pager")).to_contain_text("Page 2 of")
    second = listed(page)
    assert_remote_technology(second)
    assert not {p.id for p in first} & {p.id for p in second}
    expect(page.get_by_label("Remote", exact=True)).to_have_value("remote")
    expect(page.get_by_label("Sector")).to_have_value("Technology")

    page.get_by_role("link", name="← Newer").click()
    page.wait_for_url(re.compile(r"[?&]page=1\b"))
    assert [p.id for p in listed(page)] == [p.id for p in first]
