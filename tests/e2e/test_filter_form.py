"""The filter form's layout: compact on a desktop screen, seldom-used filters folded but never out of reach, and the
salary box's hint readable on a phone."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DESKTOP, PHONE, OpenPage, Shooter
from tests.e2e.helpers import listed, submit

# At 1280 x 900 the header takes 56 px and the count line with "Email me new matches" about 110 px under the form:
# a form of at most 440 px leaves the first results on the first screen. The long column it replaced was 640 px.
DESKTOP_FORM_MAX = 440

# The width the placeholder's text needs, in the input's own font, against the room inside its padding.
_PLACEHOLDER_FIT = """(el) => {
    const style = getComputedStyle(el);
    const context = document.createElement("canvas").getContext("2d");
    context.font = style.font;
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return {needs: Math.ceil(context.measureText(el.placeholder).width), room: room};
}"""


def more_filters(page: Page) -> dict[str, object]:
    return page.eval_on_selector(
        "details.more-filters", "(d) => ({open: d.open, summary: d.querySelector('summary').innerText})"
    )


def test_the_form_is_compact_at_desktop_width(open_page: OpenPage) -> None:
    for path in ("/", "/?q=python&remote=remote&skill=PostgreSQL&seniority=senior"):
        page = open_page(DESKTOP, path)
        height = page.locator("form.search").bounding_box()["height"]  # type: ignore[index]
        assert height <= DESKTOP_FORM_MAX, f"{path}: the filter form is {height} px tall"
        expect(page.locator("ol.results li.posting h2 a").first).to_be_in_viewport()
        # The common filters are in sight without opening anything.
        for label in ("Remote", "Remote, open to", "Sector", "Posted within", "Yearly salary at least", "Sort by"):
            expect(page.get_by_label(label, exact=True)).to_be_visible()
        expect(page.get_by_role("listbox", name=re.compile(r"^Skills"))).to_be_visible()
        expect(page.get_by_role("checkbox", name=re.compile(r"^Senior\b"))).to_be_visible()


def test_more_filters_fold_open_by_keyboard_and_stay_open_while_set(open_page: OpenPage, shoot: Shooter) -> None:
    page = open_page(DESKTOP, "/")
    assert more_filters(page)["open"] is False
    expect(page.get_by_label("Employment")).to_be_hidden()

    # The keyboard alone reaches the fold and opens it.
    page.get_by_role("checkbox", name=re.compile(r"^Unknown\b")).focus()  # the last control before the fold
    page.keyboard.press("Tab")
    expect(page.locator("details.more-filters summary")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Employment")).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Employment")).to_be_focused()

    page.get_by_label("Employment").select_option("full_time")
    page.get_by_label("Leave out company").fill("Foxglove Systems")
    submit(page)
    params = parse_qs(urlsplit(page.url).query)
    assert params["employment_type"] == ["full_time"] and params["not_company"] == ["Foxglove Systems"]
    folded = more_filters(page)
    assert folded["open"] is True and "2 set" in str(folded["summary"]), folded
    expect(page.get_by_label("Employment")).to_have_value("full_time")
    left_out = page.get_by_role("checkbox", name="Leave out Foxglove Systems")
    expect(left_out).to_be_checked()
    assert all(p.company != "Foxglove Systems" for p in listed(page))
    shoot(page, "search-more-filters-desktop")

    # Searching again keeps the exclusion; unticking it drops it, and the fold closes once nothing in it is set.
    page.get_by_label("Keywords").fill("python")
    submit(page)
    assert parse_qs(urlsplit(page.url).query)["not_company"] == ["Foxglove Systems"]
    page.get_by_role("checkbox", name="Leave out Foxglove Systems").uncheck()
    page.get_by_label("Employment").select_option("")
    submit(page)
    assert "not_company" not in parse_qs(urlsplit(page.url).query)
    assert more_filters(page)["open"] is False


def test_a_source_set_in_the_url_survives_the_form(open_page: OpenPage) -> None:
    page = open_page(DESKTOP, "/?source=e2e-nightshade")
    assert more_filters(page)["open"] is True
    expect(page.get_by_role("checkbox", name="Only from e2e-nightshade")).to_be_checked()
    page.get_by_label("Keywords").fill("payments")
    submit(page)
    assert parse_qs(urlsplit(page.url).query)["source"] == ["e2e-nightshade"]
    assert {p.company for p in listed(page)} == {"Nightshade Labs"}


def test_chosen_skills_head_the_list(open_page: OpenPage) -> None:
    page = open_page(DESKTOP, "/?skill=PostgreSQL&skill=Kafka&not_skill=PHP")
    first = page.eval_on_selector("#skill", "(s) => [...s.options].slice(0, 2).map((o) => [o.value, o.selected])")
    assert first == [["PostgreSQL", True], ["Kafka", True]]
    assert page.eval_on_selector("#not_skill", "(s) => [s.options[0].value, s.options[0].selected]") == ["PHP", True]
    assert page.eval_on_selector("#skill", "(s) => new Set([...s.options].map((o) => o.value)).size") == (
        page.eval_on_selector("#skill", "(s) => s.options.length")
    )


@pytest.mark.parametrize("viewport", [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")])
def test_the_salary_hint_and_an_amount_fit_the_box(open_page: OpenPage, viewport: dict[str, int]) -> None:
    page = open_page(viewport, "/")
    salary = page.get_by_label("Yearly salary at least")
    fit = salary.evaluate(_PLACEHOLDER_FIT)
    assert fit["needs"] <= fit["room"], f"the placeholder needs {fit['needs']} px and has {fit['room']} px"
    salary.fill("1,200,000")
    assert salary.evaluate("(el) => el.scrollWidth <= el.clientWidth"), "a seven-figure amount is cut off"
