"""What the e2e tests read off a page: the result count, the listed postings, and the form's submit."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.sync_api import Page, Response


@dataclass(frozen=True)
class Listed:
    """One result as the search page shows it."""

    id: int
    title: str
    company: str
    meta: list[str]  # the texts of the meta line: company, location, remote badge, sector, date
    remote: str  # from the badge's class, e.g. "remote"
    skills: list[str]


def submit(page: Page) -> Response:
    """Press the form's Search button and wait for the page it leads to; returns that page's answer."""
    with page.expect_response(lambda r: r.request.is_navigation_request()) as answer:
        page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_load_state("domcontentloaded")
    return answer.value


def result_count(page: Page) -> int:
    text = page.locator("p.count").inner_text()
    found = re.match(r"\s*([\d,]+) posting", text)
    assert found, f"no count in {text!r}"
    return int(found.group(1).replace(",", ""))


# One round trip for the whole list: a locator call per field costs a round trip each, seconds on a long page.
_READ_RESULTS = """() => [...document.querySelectorAll("ol.results > li.posting")].map((item) => ({
    href: item.querySelector("h2 a").getAttribute("href"),
    title: item.querySelector("h2 a").innerText,
    company: item.querySelector(".meta .company").innerText,
    meta: [...item.querySelectorAll(".meta > *")].map((e) => e.innerText.trim()),
    badge: item.querySelector(".meta .badge").className,
    skills: [...item.querySelectorAll("ul.skills li")].map((e) => e.innerText),
}))"""


def listed(page: Page) -> list[Listed]:
    return [
        Listed(
            id=int(item["href"].rstrip("/").rsplit("/", 1)[-1]),
            title=item["title"],
            company=item["company"],
            meta=item["meta"],
            remote=next(c.removeprefix("remote-") for c in item["badge"].split() if c.startswith("remote-")),
            skills=item["skills"],
        )
        for item in page.evaluate(_READ_RESULTS)
    ]
