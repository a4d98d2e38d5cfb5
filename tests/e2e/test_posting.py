"""Opening a posting from the results: its facts, the apply link to the original, the why, a harmless description."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import HOSTILE_COMPANY, HOSTILE_TITLE, Problems, Site
from tests.e2e.helpers import listed, submit


def open_first_result(page: Page) -> None:
    page.locator("ol.results h2 a").first.click()
    page.wait_for_url(re.compile(r"/postings/\d+$"))


def test_a_result_opens_its_posting_with_facts_apply_link_and_why(page: Page, site: Site, problems: Problems) -> None:
    page.get_by_label("Keywords").fill("python")
    submit(page)
    first = listed(page)[0]
    open_first_result(page)

    detail = site.api(f"/api/v1/postings/{first.id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(first.title)
    expect(page).to_have_title(f"{first.title} at {first.company} · jobsift")
    expect(page.locator("article.detail .meta .company")).to_have_text(first.company)
    facts = page.locator("dl.facts")
    for term in ("Sector", "Source", "Skills"):
        expect(facts.locator("dt", has_text=term)).to_be_visible()
    expect(facts.locator("dt:has-text('Sector') + dd")).to_have_text(detail["sector"])

    apply = page.get_by_role("link", name="Apply on the original posting")
    href = apply.get_attribute("href") or ""
    assert href == (detail["apply_url"] or detail["url"])
    assert href.startswith("https://")
    assert set((apply.get_attribute("rel") or "").split()) >= {"nofollow", "noopener"}

    why = page.locator("details.why")
    expect(why.locator("summary")).to_have_text("Why jobsift classified it this way")
    expect(why.locator("dl")).to_be_hidden()
    why.locator("summary").click()
    expect(why).to_have_attribute("open", "")
    expect(why.locator("dl dt").first).to_be_visible()
    expect(why.locator("dl dd").first).to_contain_text("in the ")

    # Skills on the page are links to the search for them.
    skill = page.locator("dl.facts ul.skills a").first
    name = skill.inner_text()
    skill.click()
    page.wait_for_url(re.compile(r"[?&]skill="))
    assert all(name in p.skills for p in listed(page))
    assert not problems.items


def test_no_script_in_a_description_runs(page: Page, problems: Problems) -> None:
    page.get_by_label("Keywords").fill(f'"{HOSTILE_COMPANY}"')
    submit(page)
    results = listed(page)
    assert [(p.title, p.company) for p in results] == [(HOSTILE_TITLE, HOSTILE_COMPANY)]
    open_first_result(page)

    description = page.get_by_role("region", name="Description")
    expect(description).to_contain_text("Build Python and PostgreSQL services")
    expect(description).to_contain_text("Requirements: Python, PostgreSQL, REST APIs.")
    expect(page.locator("body")).to_be_visible()  # the description's <style> did not hide the page
    page.get_by_text("Hover over this line.").hover()
    dangerous = description.evaluate(
        """(section) => ({
            elements: [...section.querySelectorAll("script, iframe, svg, img, style, form, input, object, embed")]
                .map((e) => e.tagName),
            handlers: [...section.querySelectorAll("*")]
                .flatMap((e) => [...e.attributes].map((a) => a.name).filter((n) => n.startsWith("on"))),
            scriptLinks: [...section.querySelectorAll("a[href]")]
                .map((a) => a.getAttribute("href")).filter((h) => !/^https?:/i.test(h)),
        })"""
    )
    assert dangerous == {"elements": [], "handlers": [], "scriptLinks": []}
    assert page.evaluate("() => window.__jobsiftPwned === undefined")
    # A script that ran would have logged "pwned"; one that the CSP stopped would have logged the refusal.
    assert not problems.items
