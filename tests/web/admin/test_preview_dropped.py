"""The preview of a careers page reports on every JobPosting found on its pages, including the ones jobsift would not
store, and says which those are and why; the postings shown as jobsift would store them are the valid ones only.

The pages are served by a real HTTP server on loopback and read by the real preview crawl in a child process. They
are the real Indeed page of ``tests/fixtures/jsonld/`` with its JobPosting copied and broken in one way each (see
``tests/web/admin/careers.py`` for their provenance).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from flask.testing import FlaskClient

from jobsift.demo.server import FeedServer, Route
from tests.web.admin import careers
from tests.web.admin.helpers import post
from web.admin.preview import summarise

ONE_PAGE = "/careers/senior-devops.html"
LISTING = "/careers/"
HTML = "text/html; charset=utf-8"


@pytest.fixture(scope="module")
def site() -> Iterator[FeedServer]:
    routes = {
        # One page: a whole posting, one validation drops (a blank title), one stored without description or date.
        ONE_PAGE: Route(careers.page(careers.whole(), careers.blank_title(), careers.no_description_or_date()), HTML),
        # A listing whose two job pages hold four JobPostings, one of them with no title at all.
        LISTING: Route(careers.LISTING, HTML),
        "/careers/jobs/devops-sydney.html": Route(careers.page(careers.whole(), careers.no_title()), HTML),
        "/careers/jobs/devops-melbourne.html": Route(
            careers.page(careers.blank_title(), careers.no_description_or_date()), HTML
        ),
    }
    with FeedServer(routes) as server:
        yield server


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def _markup(html: str) -> dict[str, str]:
    """The markup report's rows: field -> "present of found"."""
    table = html[html.index("markup-table") : html.index("</table>", html.index("markup-table"))]
    rows = re.findall(r"<code>(\w+)</code></th>.*?</span> (\d+ of \d+)</span>", table, flags=re.S)
    return dict(rows)


def _preview(client: FlaskClient, url: str) -> tuple[str, str]:
    """The preview page of a careers page: its HTML, and its text without tags."""
    page = post(client, "/admin/sources/preview", {"url": url})
    assert page.status_code == 200
    return page.text, _text(page.text)


def _not_stored(html: str) -> list[str]:
    listed = re.search(r'<ul class="dropped">(.*?)</ul>', html, flags=re.S)
    assert listed, "no list of postings not stored"
    items = re.findall(r"<li>(.*?)</li>", listed.group(1), flags=re.S)
    return sorted(" ".join(unescape(re.sub(r"<[^>]+>", "", item)).split()) for item in items)


def test_a_posting_dropped_by_validation_is_in_the_report_and_named(
    admin_client: FlaskClient, site: FeedServer
) -> None:
    html, text = _preview(admin_client, site.url + ONE_PAGE)
    assert "The feed could not be read" not in text
    assert "2 postings:" in text  # what would be stored
    assert "1 of the 3 JobPostings found would not be stored: item without title (1)." in text
    assert _not_stored(html) == ["PC-103: item without title"]
    # The report covers all three: the dropped one lacks a title, the third one a description and a date.
    assert "How many of the 3 JobPostings found, stored or not, have each field" in text
    report = _markup(html)
    assert report["title"] == "2 of 3"
    assert report["description"] == "2 of 3" and report["datePosted"] == "2 of 3"
    assert report["hiringOrganization"] == "3 of 3" and report["jobLocation"] == "3 of 3"
    assert report["identifier"] == "2 of 3"  # the real posting has none; the two made-up ones do
    assert "lacks fields Google requires: title, description, datePosted" in text
    # Only the valid postings are shown as jobsift would store them.
    stored = html[html.index('<ol class="preview-postings">') :]
    assert stored.count('<li class="posting">') == 2
    assert stored.count("Senior DevOps Engineer") == 2


def test_every_page_of_a_listing_is_counted_with_postings_the_crawler_cannot_read(
    admin_client: FlaskClient, site: FeedServer
) -> None:
    html, text = _preview(admin_client, site.url + LISTING)
    # A JobPosting without a title fails every crawl of the page: the preview says so, and why it matters.
    assert (
        "The feed could not be read in full: an item could not be read (ValueError: a JobPosting without a title); "
        "nothing was closed" in text
    )
    assert "every crawl that meets this item counts as failed and closes nothing" in text
    assert "2 postings:" in text
    assert (
        "2 of the 4 JobPostings found would not be stored: a JobPosting without a title (1), item without title (1)."
        in text
    )
    assert _not_stored(html) == ["PC-102: a JobPosting without a title", "PC-103: item without title"]
    report = _markup(html)
    assert report["title"] == "2 of 4"
    assert report["description"] == "3 of 4" and report["datePosted"] == "3 of 4"
    assert report["validThrough"] == "4 of 4" and report["identifier"] == "3 of 4"
    assert html.count('<li class="posting">') == 2


@pytest.mark.parametrize(
    ("lines", "kind", "warning", "found", "markup_of", "links"),
    [
        # An API feed: the dropped item is named and counted, and there is no markup to report on.
        (
            [
                '{"title": "Go Engineer", "is_backend": true}',
                '{"dropped": "item URL is not http(s): \'javascript:x\'", "title": "Rust", "url": "javascript:x"}',
                '{"dropped": "item without title", "external_id": "9", "title": ""}',
            ],
            "greenhouse",
            "2 of the 3 items read would not be stored: item URL is not http(s): 'javascript:x' (1), "
            "item without title (1).",
            3,
            None,
            [("Rust", None), ("9", None)],  # never a link to what is not a web address
        ),
        # A careers page whose only JobPosting is dropped: nothing to store, but the report still covers it.
        (
            [
                '{"dropped": "a JobPosting without a title", "url": "https://x.example/j", '
                '"markup": {"description": "D"}}'
            ],
            "jsonld",
            "The JobPosting found would not be stored: a JobPosting without a title (1).",
            1,
            1,
            [("(no title)", "https://x.example/j")],
        ),
    ],
    ids=["api-feed", "careers-page-all-dropped"],
)
def test_dropped_lines_are_counted_apart_from_postings(
    lines: list[str], kind: str, warning: str, found: int, markup_of: int | None, links: list[tuple[str, str | None]]
) -> None:
    result = summarise("\n".join(lines), kind)
    assert warning in result.warnings
    assert [(d.label, d.url) for d in result.dropped] == links
    assert result.found == found and result.total == found - len(result.dropped)
    assert not any("lists no postings now" in w for w in result.warnings)
    assert [p.get("title") for p in result.postings] == (["Go Engineer"] if kind == "greenhouse" else [])
    if markup_of is None:
        assert result.markup == []
    else:
        report = {f.name: (f.present, f.of) for f in result.markup}
        assert report["title"] == (0, markup_of) and report["description"] == (1, markup_of)


def test_a_feed_dropping_every_item_for_its_own_reason_gets_a_short_warning() -> None:
    lines = [
        f'{{"dropped": "item URL is not http(s): \'ftp://x.example/{n}\' {"x" * 300}", "title": "Job {n}"}}'
        for n in range(6)
    ] + ['{"title": "Go Engineer", "is_backend": true}']
    result = summarise("\n".join(lines), "greenhouse")
    [warning] = [w for w in result.warnings if "would not be stored" in w]
    assert warning.startswith("6 of the 7 items read would not be stored: ")
    assert warning.endswith(", and 3 for 3 other reasons (listed below).")
    assert warning.count("item URL is not http(s)") == 3
    assert all(len(d.reason) <= 200 and d.reason.endswith("…") for d in result.dropped)
    assert len(result.dropped) == 6
