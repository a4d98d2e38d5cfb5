"""Each platform base against real captured payloads, fed as Scrapy responses (no network, no store)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import Request, TextResponse

from crawlers.bases.feed import FeedSpider
from crawlers.bases.greenhouse import GreenhouseSpider
from crawlers.bases.lever import LeverSpider
from crawlers.bases.rss import RssSpider, WeWorkRemotelySpider
from crawlers.items import FeedPosting
from crawlers.spiders import SPIDERS, spider_for
from tests.conftest import FIXTURES


def run(spider_cls: type[FeedSpider], body: bytes, status: int = 200, name: str = "Acme") -> FeedSpider:
    spider = spider_cls(source_id=1, source_key="test", source_name=name, feed_url="https://feed.example/x")
    response = TextResponse(
        url="https://feed.example/x",
        body=body,
        status=status,
        encoding="utf-8",
        request=Request("https://feed.example/x"),
    )
    spider.items = list(spider.parse(response))  # type: ignore[attr-defined]
    return spider


def fixture(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def items(spider: FeedSpider) -> list[FeedPosting]:
    return spider.items  # type: ignore[attr-defined,no-any-return]


def test_greenhouse_unescapes_content_exactly_once() -> None:
    spider = run(GreenhouseSpider, fixture("greenhouse/gitlab_jobs_content_trimmed_by_committer.json"))
    assert spider.complete and spider.error_kind is None
    postings = items(spider)
    assert len(postings) == 3
    first = postings[0]
    assert first.external_id == "8503792002"
    assert first.title == "Account Executive - Italy"
    assert first.company == "GitLab"
    assert first.location == "Remote, Italy"
    assert first.date_posted == "2026-04-17T05:58:03-04:00"
    assert first.url == "https://job-boards.greenhouse.io/gitlab/jobs/8503792002"
    # One unescape: real tags, but entities inside text (e.g. &amp;nbsp;) stay entities, not bare characters.
    assert first.description_html.startswith('<div class="content-intro"><p>')
    assert "&lt;" not in first.description_html


def test_greenhouse_without_company_name_uses_the_source_name() -> None:
    body = json.dumps({"jobs": [{"id": 1, "title": "Dev", "absolute_url": "https://x/1", "content": ""}]}).encode()
    assert items(run(GreenhouseSpider, body, name="Board Name"))[0].company == "Board Name"


def test_lever_reads_epoch_ms_workplace_and_lists() -> None:
    postings = items(run(LeverSpider, fixture("lever/palantir_postings_trimmed_by_committer.json"), name="Palantir"))
    assert len(postings) == 3
    first = postings[0]
    assert first.date_posted == 1711403416463
    assert first.company == "Palantir"
    assert first.location == "London, United Kingdom"
    assert first.employment_type == "Full-time"
    assert first.url.startswith("https://jobs.lever.co/palantir/")
    # Lever's list content is bare <li> items: we wrap them so the HTML is well-formed.
    assert (
        "<h3>Administrative Business Partner (Foundry)</h3><ul>\n<li>Provide administrative" in first.description_html
    )
    assert first.description_html.count("<h3>") == len(first.raw["lists"])


def test_lever_grouped_shape_is_flattened() -> None:
    postings = items(run(LeverSpider, fixture("lever/leverdemo_postings_group_location_2015.json")))
    assert len(postings) == 28
    assert len({p.external_id for p in postings}) == 28


def test_lever_error_body_is_a_parse_error_not_an_empty_board() -> None:
    spider = run(LeverSpider, fixture("lever/error_404_invalid_account_2015.json"), status=200)
    assert not spider.complete
    assert spider.error_kind == "parse_error"
    assert "Document not found" in (spider.error_message or "")


def test_wwr_splits_company_and_reads_region() -> None:
    postings = items(run(WeWorkRemotelySpider, fixture("wwr/weworkremotely_remote-jobs_rss_2026-07-10.xml")))
    assert len(postings) == 4
    first = postings[0]
    assert (first.company, first.title) == ("Mathmo", "Maths Coach")
    assert first.location == "Anywhere in the World"
    assert first.remote == "Anywhere in the World"
    assert first.employment_type == "Contract"
    assert first.description_html.startswith("<img")
    assert first.external_id == first.url


def test_wwr_title_with_several_colons_splits_on_the_first() -> None:
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Acme: Lead: Platform &amp; API</title>'
        b"<link>https://weworkremotely.com/remote-jobs/acme-lead</link><guid>https://weworkremotely.com/remote-jobs/"
        b"acme-lead</guid><region>USA Only</region><description>&lt;p&gt;Hi&lt;/p&gt;</description>"
        b"</item></channel></rss>"
    )
    posting = items(run(WeWorkRemotelySpider, rss))[0]
    assert (posting.company, posting.title) == ("Acme", "Lead: Platform & API")
    assert posting.description_html == "<p>Hi</p>"


def test_rss_old_back_end_feed_parses_every_item() -> None:
    postings = items(
        run(WeWorkRemotelySpider, fixture("wwr/weworkremotely_remote-back-end-programming-jobs_2022-11-07.rss"))
    )
    assert len(postings) == 59
    assert all(p.url.startswith("https://weworkremotely.com/") for p in postings)


@pytest.mark.parametrize(
    ("spider_cls", "body", "kind"),
    [
        (GreenhouseSpider, b"<html>maintenance</html>", "parse_error"),
        (GreenhouseSpider, b'{"error": "nope"}', "parse_error"),
        (LeverSpider, b"{", "parse_error"),
        (RssSpider, b"<rss><channel><item>", "parse_error"),
        (RssSpider, b'{"not": "xml"}', "parse_error"),
    ],
)
def test_garbage_bodies_fail_the_crawl(spider_cls: type[FeedSpider], body: bytes, kind: str) -> None:
    spider = run(spider_cls, body)
    assert items(spider) == []
    assert not spider.complete
    assert spider.error_kind == kind


def test_one_unreadable_item_keeps_the_others_but_proves_nothing_gone() -> None:
    data = json.loads(fixture("greenhouse/gitlab_jobs_content_trimmed_by_committer.json"))
    del data["jobs"][1]["absolute_url"]
    spider = run(GreenhouseSpider, json.dumps(data).encode())
    assert [p.external_id for p in items(spider)] == [str(data["jobs"][0]["id"]), str(data["jobs"][2]["id"])]
    assert not spider.complete
    assert spider.error_kind == "item_errors"
    assert spider.unreadable_items == 1
    assert spider.error_message == "an item could not be read (KeyError: 'absolute_url'); nothing was closed"


def test_http_errors_fail_the_crawl() -> None:
    spider = run(GreenhouseSpider, b"oops", status=503)
    assert (spider.complete, spider.error_kind, spider.http_status) == (False, "http_503", 503)


def test_xml_entity_expansion_is_not_performed() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY ext SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&b;&ext;</title>'
        b"<link>https://x/1</link></item></channel></rss>"
    )
    spider = run(RssSpider, bomb)
    for posting in items(spider):
        assert "root:" not in posting.title
        assert "aaaaaaaaaa" not in posting.title


def test_every_kind_has_a_spider() -> None:
    assert set(SPIDERS) >= {"greenhouse", "lever", "rss", "weworkremotely", "ashby", "workable", "smartrecruiters"}
    assert set(SPIDERS) >= {"recruitee", "personio", "remoteok", "remotive", "arbeitnow", "jobicy", "himalayas"}
    assert set(SPIDERS) >= {"hn", "jsonld"}
    assert all(kind == spider.kind for kind, spider in SPIDERS.items())
    assert spider_for("lever") is LeverSpider
    with pytest.raises(ValueError, match="no spider for source kind 'nope'"):
        spider_for("nope")


def test_fixtures_keep_their_provenance() -> None:
    provenance = (FIXTURES / "PROVENANCE.md").read_text()
    for path in sorted(Path(FIXTURES).glob("*/*")):
        if "made_for_tests" in path.name or path.name == "README.md":
            # Hand-made inputs: their folder's README.md says what each one is for.
            assert (path.parent / "README.md").is_file(), path
            continue
        assert f"`{path.parent.name}/{path.name}`" in provenance, path
