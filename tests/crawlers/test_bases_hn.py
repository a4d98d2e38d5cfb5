"""The Hacker News "Who is hiring" base against the real Algolia captures, request by request (no network)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import TextResponse

from crawlers.bases.hn import HackerNewsSpider, split_first_line
from crawlers.items import FeedPosting
from crawlers.parsers.html import html_to_text
from tests.conftest import FIXTURES

LOOPBACK = "http://127.0.0.1:8765"
SEARCH_URL = f"{LOOPBACK}/api/v1/search_by_date?tags=story,author_whoishiring"
COMMENTS_URL = f"{LOOPBACK}/api/v1/search?tags=comment,story_47975571&hitsPerPage=1000"
ITEMS_URL = f"{LOOPBACK}/api/v1/items/48747976"
SEARCH = "hn/algolia_search_whoishiring_stories.json"
COMMENTS = "hn/algolia_comments_story_47975571_2026-05.json"
ITEMS = "hn/algolia_items_48747976_july2026_trimmed_by_committer.json"


def load(path: str) -> Any:
    return json.loads((FIXTURES / path).read_bytes())


def spider(feed_url: str = SEARCH_URL) -> HackerNewsSpider:
    return HackerNewsSpider(source_id=1, source_key="hn", source_name="Hacker News", feed_url=feed_url)


def respond(url: str, body: bytes | Any, status: int = 200) -> TextResponse:
    if not isinstance(body, bytes):
        body = json.dumps(body).encode()
    return TextResponse(url=url, body=body, status=status, encoding="utf-8", request=Request(url))


def follow(request: Request, body: bytes | Any, status: int = 200) -> list[Any]:
    """Answer a request the spider yielded, as Scrapy would: its callback with its cb_kwargs."""
    return list(request.callback(respond(request.url, body, status), **request.cb_kwargs))


def crawl_thread(comments: Any = None) -> tuple[HackerNewsSpider, list[FeedPosting]]:
    """The whole flow: story search, then the comment page the spider asks for."""
    hn = spider()
    first = list(hn.parse(respond(SEARCH_URL, (FIXTURES / SEARCH).read_bytes())))
    assert len(first) == 1 and isinstance(first[0], Request)
    body = (FIXTURES / COMMENTS).read_bytes() if comments is None else comments
    out = follow(first[0], body)
    assert all(isinstance(p, FeedPosting) for p in out)
    return hn, out


def top_level_hit(data: dict[str, Any]) -> dict[str, Any]:
    """A real top-level comment of the capture, to vary in made-up cases."""
    return next(h for h in data["hits"] if h["parent_id"] == h["story_id"])


def by_id(postings: list[FeedPosting]) -> dict[str, FeedPosting]:
    return {p.external_id: p for p in postings}


def test_story_search_picks_the_newest_hiring_thread_and_asks_for_its_comments() -> None:
    hn = spider()
    out = list(hn.parse(respond(SEARCH_URL, (FIXTURES / SEARCH).read_bytes())))
    assert [type(o) for o in out] == [Request]
    assert out[0].url == COMMENTS_URL
    assert (hn.story_id, hn.story_title) == (47975571, "Ask HN: Who is hiring? (May 2026)")
    # The thread is named but none of it is read yet: not complete.
    assert not hn.complete and hn.error_kind is None


def test_story_search_skips_who_wants_to_be_hired_and_freelancer_threads() -> None:
    search = load(SEARCH)
    newest = search["hits"][0]
    # Newer threads by the same account, which must not be picked.
    for offset, title in enumerate(
        ["Ask HN: Who wants to be hired? (June 2026)", "Ask HN: Freelancer? Seeking freelancer? (June 2026)"], 1
    ):
        search["hits"].append(
            {**newest, "title": title, "objectID": str(49000000 + offset), "created_at_i": 1780000000 + offset}
        )
    # Out of order, as a relevance-sorted search returns them: the newest by date wins.
    search["hits"].reverse()
    hn = spider()
    out = list(hn.parse(respond(SEARCH_URL, search)))
    assert hn.story_id == 47975571
    assert out[0].url == COMMENTS_URL


def test_only_top_level_comments_become_postings() -> None:
    data = load(COMMENTS)
    top_level = [h["objectID"] for h in data["hits"] if h["parent_id"] == 47975571]
    assert (len(data["hits"]), len(top_level)) == (50, 18)
    hn, postings = crawl_thread()
    # 18 top-level comments, one of which opens "Not hiring, but ..." and is deliberately not a posting.
    assert len(postings) == 17
    assert {p.external_id for p in postings} == set(top_level) - {"48099220"}
    assert hn.complete and hn.error_kind is None
    assert (hn.pages, hn.unreadable_items) == (2, 0)
    assert hn.seen_ids == {p.external_id for p in postings}


def test_one_real_comment_every_field() -> None:
    _, postings = crawl_thread()
    woosmap = by_id(postings)["48147597"]
    assert woosmap.external_id == "48147597"
    assert woosmap.url == "https://news.ycombinator.com/item?id=48147597"
    assert woosmap.title == "Backend Engineer (Mid-level & Senior)"
    assert woosmap.company == "Woosmap"
    assert woosmap.company_url == "https://www.woosmap.com/"
    assert woosmap.location == "HYBRID (London, Paris, Montpellier) or REMOTE (UTC-1 to UTC+2)"
    assert woosmap.remote == "HYBRID (London, Paris, Montpellier) or REMOTE (UTC-1 to UTC+2)"
    assert woosmap.employment_type == "Full-time"
    assert woosmap.salary_text is None
    assert woosmap.date_posted == "2026-05-15T12:06:57Z"
    assert woosmap.apply_url is None
    assert (woosmap.salary_min, woosmap.salary_max, woosmap.salary_currency, woosmap.salary_period) == (None,) * 4
    assert (woosmap.tags, woosmap.remote_regions, woosmap.valid_through, woosmap.seniority) == ([], [], None, None)
    assert woosmap.raw["objectID"] == "48147597" and woosmap.raw["parent_id"] == 47975571
    assert woosmap.description_html == (
        '<p>Woosmap | <a href="https://www.woosmap.com/" rel="nofollow">https://www.woosmap.com/</a> | Backend Engineer'
        " (Mid-level &amp; Senior) | HYBRID (London, Paris, Montpellier) or REMOTE (UTC-1 to UTC+2) | Full-time</p>"
        "<p>We run location APIs. Geocoding, routing, store locator, address autocomplete, etc. at enterprise scale."
        " When a checkout page resolves your address, or a courier finds you first try: that's us.</p>"
        "<p>Stack: Python, Go, Rust, TypeScript, Valkey, Postgres, OpenSearch, Docker, AWS, Datadog.</p>"
        "<p>We are a small team, owning and driving complex solutions to production on a daily basis. We are looking"
        " for a good generalist to become an expert in a part of our stack. 1st PR ships to prod within a week, very"
        " little process and good team spirit!</p>"
        '<p>Apply: <a href="https://www.linkedin.com/jobs/view/4410617739/" rel="nofollow">'
        "https://www.linkedin.com/jobs/view/4410617739/</a></p>"
    )


@pytest.mark.parametrize(
    ("object_id", "expected"),
    [
        (
            "48133591",  # "Clutch <url> - building future of padel ... | Full-time | Head of AI ... | ..."
            ("Clutch", "Head of AI (Computer Vision / MLOps)", "Remote (worldwide)", "Remote (worldwide)",
             "Full-time", "€70-100k + equity", "https://www.clutchapp.io"),
        ),
        (
            "48123123",  # "Hiring" prefix, the URL last, the workplace inside the location
            ("Furtim Modus", "Java Developer (Full-Time)", "NYC (HYBRID)", "NYC (HYBRID)", None,
             "$125K-$200K + equity", "https://www.furtimmodus.com/software-engineer"),
        ),
        (
            "48113023",  # a bare domain as the URL, a spelled-out salary
            ("Forage", "Senior Mobile Engineer (React Native)", "Hybrid NYC (2-3 days in office)",
             "Hybrid NYC (2-3 days in office)", "Full-time", "$185,000 - $200,000 per year base",
             "https://joinforage.com"),
        ),
        (
            "48089084",  # location and remote hint in separate parts
            ("Doubling", "Design Engineer", "Chicago or Bay Area preferred", "REMOTE (US) also considered",
             "CONTRACT (1099), 10-20 hrs/week", None, None),
        ),
        (
            "48121719",
            ("SalesJack", "Solutions Engineer", "Toronto, ON, Canada", "HYBRID", "FULL-TIME", None, None),
        ),
        (
            "48091448",  # "(emergences.ai)" after the name is its site; "/" inside the role is not a separator
            ("Emergences Labs", "AI / Systems Engineer — NeoHuman", "REMOTE (US)", "REMOTE (US)", "Full-time",
             "$120K-$150K + equity", "https://emergences.ai"),
        ),
        (
            "48095175",  # company, URL and workplace only: no role stated
            ("Oxidian", "Job at Oxidian", "Remote (EU only)", "Remote (EU only)", None, None,
             "https://www.oxidian.com"),
        ),
    ],
)  # fmt: skip
def test_first_line_splits_of_real_comments(object_id: str, expected: tuple[Any, ...]) -> None:
    _, postings = crawl_thread()
    p = by_id(postings)[object_id]
    assert (p.company, p.title, p.location, p.remote, p.employment_type, p.salary_text, p.company_url) == expected


def test_first_lines_that_cannot_be_split_still_make_postings() -> None:
    data = load(COMMENTS)
    _, postings = crawl_thread()
    found = by_id(postings)
    # No separator at all: the first line is the title (up to 80 characters), the source names the company.
    assert found["48129378"].title == "Founding AI, Data Science Lead (Possible Co-Founder Track)"
    assert found["48129378"].company == "Hacker News"
    junk = found["48104036"]
    assert junk.title == html_to_text(next(h for h in data["hits"] if h["objectID"] == "48104036")["comment_text"])[:80]
    assert len(junk.title) == 80 and junk.company == "Hacker News"
    assert found["48087214"].title == "India(Guna,Madhya Pradesh), remote"


def test_entities_are_decoded_exactly_once() -> None:
    _, postings = crawl_thread()
    for p in postings:
        assert "&#x2F;" not in p.description_html and "&#x27;" not in p.description_html
        assert "&amp;#x" not in p.description_html and "&amp;amp;" not in p.description_html
        assert "&amp;" not in p.title and "&#x" not in p.title
    assert by_id(postings)["48094962"].title == "IT Support, Linux / MacOS / Windows"
    # An escaped "<" stays escaped in the HTML: it is text, not a tag.
    hn = spider(ITEMS_URL)
    flywheel = by_id(list(hn.parse(respond(ITEMS_URL, (FIXTURES / ITEMS).read_bytes()))))["48747990"]
    assert "&lt;30 hrs/wk" in flywheel.description_html
    assert "<30 hrs/wk" in html_to_text(flywheel.description_html)
    # Text that was escaped twice in the comment is decoded once: the reader sees "&lt;b&gt;", not a bold tag.
    comments = load(COMMENTS)
    comments["hits"] = [
        {
            **top_level_hit(comments),
            "comment_text": "Acme | Dev | Remote<p>We write &amp;lt;b&amp;gt; in docs &amp; more",
        }
    ]
    _, [acme] = crawl_thread(comments)
    assert acme.description_html == "<p>Acme | Dev | Remote</p><p>We write &amp;lt;b&amp;gt; in docs &amp; more</p>"
    assert "&lt;b&gt; in docs & more" in html_to_text(acme.description_html)


def test_items_tree_keeps_direct_children_only() -> None:
    tree = load(ITEMS)
    reply = {**tree["children"][0], "id": 48749999, "parent_id": tree["children"][0]["id"], "text": "Replying | a | b"}
    tree["children"][0]["children"] = [reply]
    hn = spider(ITEMS_URL)
    postings = list(hn.parse(respond(ITEMS_URL, tree)))
    assert [p.external_id for p in postings] == ["48747987", "48747990", "48748003", "48748007"]
    assert hn.complete and hn.pages == 1
    smarter = postings[2]
    assert (smarter.company, smarter.title, smarter.location, smarter.salary_text, smarter.company_url) == (
        "SmarterDx",
        "Multiple roles",
        "Remote (US only)",
        "150-250k+ + equity + benefits",
        "https://smarterdx.com/careers",
    )
    assert smarter.date_posted == "2026-07-01T15:02:50.000Z"
    assert smarter.url == "https://news.ycombinator.com/item?id=48748003"
    # "PrairieLearn (Remote US) — Full-Stack Software Engineer — TypeScript / ...": dashes split, conservatively.
    prairie = postings[3]
    assert (prairie.company, prairie.title, prairie.remote, prairie.location) == (
        "PrairieLearn",
        "Full-Stack Software Engineer",
        "Remote US",
        "Remote US",
    )


def test_comment_pages_are_followed_until_nb_pages() -> None:
    data = load(COMMENTS)
    page0 = {**data, "hits": data["hits"][:25], "nbPages": 2, "page": 0}
    page1 = {**data, "hits": data["hits"][25:], "nbPages": 2, "page": 1}
    hn = spider()
    [comments] = list(hn.parse(respond(SEARCH_URL, (FIXTURES / SEARCH).read_bytes())))
    out0 = follow(comments, page0)
    assert isinstance(out0[-1], Request)
    assert out0[-1].url == COMMENTS_URL + "&page=1"
    assert not hn.complete
    out1 = follow(out0[-1], page1)
    assert not any(isinstance(o, Request) for o in out1)
    assert len(out0[:-1]) + len(out1) == 17
    assert hn.complete and hn.pages == 3


def test_a_thread_bigger_than_the_search_can_serve_is_incomplete() -> None:
    data = load(COMMENTS)
    # Algolia caps a search at 1000 hits: nbPages stays 1 although nbHits says more exist.
    hn, postings = crawl_thread({**data, "nbHits": 1500, "hitsPerPage": 1000, "nbPages": 1})
    assert len(postings) == 17
    assert (hn.complete, hn.error_kind) == (False, "truncated")


def test_a_failed_comment_page_leaves_the_crawl_incomplete() -> None:
    hn = spider()
    [comments] = list(hn.parse(respond(SEARCH_URL, (FIXTURES / SEARCH).read_bytes())))
    assert follow(comments, b"upstream error", status=502) == []
    assert (hn.complete, hn.error_kind, hn.http_status) == (False, "http_502", 502)


def test_deleted_dead_and_empty_comments_are_skipped_not_errors() -> None:
    data = load(COMMENTS)
    base = top_level_hit(data)
    data["hits"] = [
        {**base, "objectID": "1", "comment_text": None},
        {**base, "objectID": "2", "comment_text": "  "},
        {**base, "objectID": "3", "comment_text": "[deleted]"},
        {**base, "objectID": "4", "comment_text": "Acme | Dev", "dead": True},
        {**base, "objectID": "5", "comment_text": "Acme | Dev | Remote"},
    ]
    hn, postings = crawl_thread(data)
    assert [p.external_id for p in postings] == ["5"]
    assert hn.complete and hn.unreadable_items == 0


def test_a_malformed_comment_is_counted_and_proves_nothing_gone() -> None:
    data = load(COMMENTS)
    base = top_level_hit(data)
    data["hits"] = [
        {**base, "objectID": None, "comment_text": "Acme | Dev"},
        {**base, "objectID": "6", "comment_text": {"not": "text"}},
        {**base, "objectID": "7", "comment_text": "Beta | Ops | Berlin"},
    ]
    hn, postings = crawl_thread(data)
    assert [p.external_id for p in postings] == ["7"]
    assert hn.unreadable_items == 2
    assert (hn.complete, hn.error_kind) == (False, "item_errors")


@pytest.mark.parametrize(
    "body",
    [
        b"<html>maintenance</html>",
        b"[]",
        b'{"message": "Invalid Application-ID or API key", "status": 403}',
        json.dumps({"hits": [{"title": "Ask HN: Who wants to be hired? (May 2026)", "objectID": "1"}]}).encode(),
        json.dumps({"hits": []}).encode(),
    ],
)
def test_wrong_shapes_fail_the_crawl(body: bytes) -> None:
    hn = spider()
    assert list(hn.parse(respond(SEARCH_URL, body))) == []
    assert (hn.complete, hn.error_kind) == (False, "parse_error")


def test_split_rules_on_made_up_lines() -> None:
    assert split_first_line("Just a sentence about us, no separators").company is None
    long_first = "We are a fast growing startup looking for many great people to join our mission today | Remote"
    assert split_first_line(long_first).company is None
    slashed = split_first_line("Acme / Backend Engineer / Berlin")
    assert (slashed.company, slashed.title) == ("Acme", "Backend Engineer")
    assert split_first_line("Acme / Backend").company is None  # one slash: too ambiguous to split
    dashed = split_first_line("Acme - Senior Go Developer - REMOTE")
    assert (dashed.company, dashed.title, dashed.remote, dashed.location) == (
        "Acme",
        "Senior Go Developer",
        "REMOTE",
        "REMOTE",
    )
    # "Node.js" is not a bare domain; a TLD from the list is.
    assert split_first_line("Acme | Node.js Engineer | acme.io").title == "Node.js Engineer"
    assert split_first_line("Acme | Node.js Engineer | acme.io").company_url == "https://acme.io"
