"""Keyboard, labels, contrast and phone width: the basics that decide whether everyone can use the search."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import PHONE, OpenPage
from tests.e2e.helpers import listed, result_count, submit

# Every visible form control with no label, no aria-label and no aria-labelledby (buttons are named by their text).
UNLABELLED = """() => [...document.querySelectorAll("input, select, textarea, button")]
    .filter((el) => el.type !== "hidden")
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label")
        && !el.getAttribute("aria-labelledby") && !(el.tagName === "BUTTON" && el.innerText.trim()))
    .map((el) => el.outerHTML.slice(0, 120))"""

# WCAG 2 contrast of each element's text against the first opaque background behind it.
CONTRAST = """(selectors) => {
    const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
        const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
        for (; el; el = el.parentElement) {
            const c = rgb(getComputedStyle(el).backgroundColor);
            if (c.length === 3 || c[3] > 0) return c.slice(0, 3);
        }
        return [255, 255, 255];
    };
    const out = {};
    for (const selector of selectors) {
        const el = document.querySelector(selector);
        if (!el) { out[selector] = null; continue; }
        const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
        out[selector] = Math.round(((Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)) * 100) / 100;
    }
    return out;
}"""


def horizontal_overflow(page: Page) -> int:
    return int(page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth"))


def test_tab_reaches_the_search_box_then_the_button(page: Page) -> None:
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()

    reached = []
    for _ in range(10):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("() => document.activeElement.id || document.activeElement.textContent.trim()"))
        if reached[-1] == "Search":
            break
    assert reached[-2:] == ["q", "Search"], reached

    # And the keyboard alone runs a search.
    page.get_by_label("Keywords").focus()
    page.keyboard.type("golang")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Search", exact=True)).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/?q=golang*")
    expect(page.locator("p.count")).to_contain_text("matching “golang”")


def test_every_form_control_has_a_label(open_page: OpenPage) -> None:
    for path in ("/", "/?q=python&remote=remote&skill=Python"):
        page = open_page(path=path)
        assert page.evaluate(UNLABELLED) == [], path
        assert page.locator("form.search select, form.search input").count() > 10


def test_text_contrast_meets_wcag_aa(page: Page) -> None:
    selectors = [
        "body",
        ".tagline",
        "form.search label",
        ".hint",
        "button",
        "p.count",
        ".meta time",
        ".meta .company",
        "ol.results h2 a",
        "ul.skills li",
        ".badge.remote-remote",
        "footer.site",
    ]
    ratios = page.evaluate(CONTRAST, selectors)
    low = {s: r for s, r in ratios.items() if r is None or r < 4.5}
    assert not low, ratios


def test_the_search_works_without_javascript(open_page: OpenPage) -> None:
    page = open_page(path="/", javascript=False)
    everything = result_count(page)
    page.get_by_label("Keywords").fill("python")
    page.get_by_label("Remote", exact=True).select_option("remote")
    submit(page)
    assert 0 < result_count(page) < everything
    assert {p.remote for p in listed(page)} == {"remote"}


def test_no_horizontal_scroll_at_phone_width(open_page: OpenPage) -> None:
    page = open_page(PHONE, "/?q=python&remote=remote")
    assert horizontal_overflow(page) <= 0, "the search page scrolls sideways at 390 px"
    page.locator("ol.results h2 a").first.click()
    page.wait_for_url("**/postings/*")
    page.locator("details.why summary").click()
    assert horizontal_overflow(page) <= 0, f"{page.url} scrolls sideways at 390 px"
    page.goto("/?q=" + "x" * 10_001)
    assert horizontal_overflow(page) <= 0, "the error page scrolls sideways at 390 px"
