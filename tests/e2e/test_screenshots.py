"""Screenshots of the results and a posting at desktop and phone widths, for a person to look at.

They land under pytest's tmp dir and in /tmp/e2e-shots/ (``JOBSIFT_E2E_SHOTS``). Nothing here compares pixels: the
layout is judged by eye, and what a test can check without pixels (no sideways scroll, the search box and button on
screen, the filters inside the viewport) is checked.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP, PHONE, OpenPage, Problems, Shooter

SIZES = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


def assert_fits(page: Page, width: int) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is {overflow} px wider than the {width} px viewport"
    too_wide = page.evaluate(
        """(width) => [...document.querySelectorAll("main *")]
            .filter((el) => el.getBoundingClientRect().right > width + 1 && el.getClientRects().length)
            .map((el) => el.tagName + "." + el.className)""",
        width,
    )
    assert too_wide == [], too_wide


@pytest.mark.parametrize("viewport", SIZES)
def test_search_results(open_page: OpenPage, shoot: Shooter, problems: Problems, viewport: dict[str, int]) -> None:
    page = open_page(viewport, "/?q=python&remote=remote&skill=PostgreSQL&seniority=senior")
    expect(page.locator("ol.results li").first).to_be_visible()
    expect(page.get_by_label("Keywords")).to_be_in_viewport()
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_in_viewport()
    assert_fits(page, viewport["width"])
    name = "desktop" if viewport is DESKTOP else "phone"
    assert all(shot.stat().st_size > 10_000 for shot in shoot(page, f"search-{name}"))
    assert not problems.items


@pytest.mark.parametrize("viewport", SIZES)
def test_posting_page(open_page: OpenPage, shoot: Shooter, problems: Problems, viewport: dict[str, int]) -> None:
    page = open_page(viewport, "/?q=python&salary=1")
    page.locator("ol.results h2 a").first.click()
    page.wait_for_url("**/postings/*")
    page.locator("details.why summary").click()
    expect(page.get_by_role("link", name="Apply on the original posting")).to_be_visible()
    assert_fits(page, viewport["width"])
    name = "desktop" if viewport is DESKTOP else "phone"
    assert all(shot.stat().st_size > 10_000 for shot in shoot(page, f"posting-{name}"))
    assert not problems.items
