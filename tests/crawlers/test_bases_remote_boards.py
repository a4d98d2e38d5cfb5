"""The remote-job board bases (RemoteOK, Remotive, Arbeitnow, Jobicy, Himalayas) against their real captures.

Each capture is fed as a Scrapy response, as in test_bases.py: no network, no store. Paged feeds are checked through
the request ``parse()`` yields and a second page fed to the same spider.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import scrapy
from scrapy.http import Request, TextResponse

from crawlers.bases.arbeitnow import ArbeitnowSpider
from crawlers.bases.feed import FeedSpider
from crawlers.bases.himalayas import HimalayasSpider
from crawlers.bases.jobicy import JobicySpider
from crawlers.bases.remoteok import RemoteOkSpider
from crawlers.bases.remotive import RemotiveSpider
from crawlers.items import FeedPosting
from crawlers.parsers.dates import parse_date
from tests.conftest import FIXTURES

REMOTEOK_MARCH = "remoteok/remoteok_api_2026-03-17.json"
REMOTEOK_MAY = "remoteok/remoteok_api_2026-05-16.json"
REMOTIVE_MAY = "remotive/remotive_api_remote-jobs_2026-05.json"
REMOTIVE_BOM = "remotive/remotive_api_remote-jobs_2026-07_with_BOM.json"
ARBEITNOW_5 = "arbeitnow/arbeitnow_job-board-api_5jobs.json"
ARBEITNOW_3 = "arbeitnow/arbeitnow_job-board-api_trimmed_by_committer.json"
JOBICY_5 = "jobicy/jobicy_remote-jobs_5jobs.json"
JOBICY_3 = "jobicy/jobicy_remote-jobs_v2_trimmed_by_committer.json"
JOBICY_ENVELOPE = "jobicy/jobicy_remote-jobs_v2_with_metadata_strings_trimmed_by_committer.json"
HIMALAYAS = "himalayas/himalayas_api_jobs_offset0_limit20.json"
HIMALAYAS_URL = "https://himalayas.app/jobs/api?limit=20&offset=0"
ARBEITNOW_URL = "https://www.arbeitnow.com/api/job-board-api"


class Crawl:
    """A spider and everything its parse() yielded, page after page."""

    def __init__(self, spider_cls: type[FeedSpider], feed_url: str = "https://feed.example/x") -> None:
        self.spider = spider_cls(source_id=1, source_key="test", source_name="Board", feed_url=feed_url)
        self.output: list[Any] = []

    def page(self, body: bytes, url: str | None = None, status: int = 200) -> list[Any]:
        url = url or self.spider.feed_url
        response = TextResponse(url=url, body=body, status=status, encoding="utf-8", request=Request(url))
        yielded = list(self.spider.parse(response))
        self.output += yielded
        return yielded

    @property
    def postings(self) -> list[FeedPosting]:
        return [item for item in self.output if isinstance(item, FeedPosting)]

    @property
    def requests(self) -> list[scrapy.Request]:
        return [item for item in self.output if isinstance(item, scrapy.Request)]


def fixture(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def crawl(spider_cls: type[FeedSpider], body: bytes, url: str = "https://feed.example/x") -> Crawl:
    run = Crawl(spider_cls, feed_url=url)
    run.page(body)
    return run


def by_id(postings: list[FeedPosting], external_id: str) -> FeedPosting:
    (posting,) = [p for p in postings if p.external_id == external_id]
    return posting


# --- RemoteOK --------------------------------------------------------------------------------------------------------


def test_remoteok_skips_the_legal_notice_and_reads_every_job() -> None:
    run = crawl(RemoteOkSpider, fixture(REMOTEOK_MARCH))
    raw = json.loads(fixture(REMOTEOK_MARCH))
    assert set(raw[0]) == {"last_updated", "legal"}
    assert len(run.postings) == 97 == len(raw) - 1
    assert [p.external_id for p in run.postings] == [job["id"] for job in raw[1:]]
    assert (run.spider.complete, run.spider.error_kind, run.spider.unreadable_items) == (True, None, 0)
    assert run.requests == []
    assert RemoteOkSpider.all_remote is True
    assert len(crawl(RemoteOkSpider, fixture(REMOTEOK_MAY)).postings) == 50


def test_remoteok_every_field_of_an_hourly_job_with_mojibake() -> None:
    posting = by_id(crawl(RemoteOkSpider, fixture(REMOTEOK_MARCH)).postings, "1130733")
    assert posting.title == "Recruiting Coordinator"
    assert posting.company == "Zócalo Health"
    assert posting.raw["company"] == "Z\u00c3\u00b3calo Health"  # raw stays what the feed sent
    assert posting.location is None
    assert posting.remote is None
    assert posting.remote_regions == []
    assert posting.date_posted == "2026-03-12T00:00:59+00:00"
    assert posting.valid_through is None
    assert posting.url == "https://remoteok.com/remote-jobs/remote-recruiting-coordinator-zocalo-health-1130733"
    assert posting.apply_url == posting.url
    # $25-$27 an hour typed into the annual fields: kept as given, in the dollars the site shows, with no period,
    # for classification to judge.
    assert (posting.salary_min, posting.salary_max) == (25.0, 27.0)
    assert (posting.salary_currency, posting.salary_period, posting.salary_text) == ("USD", None, None)
    assert posting.employment_type is None
    assert posting.seniority is None
    assert posting.tags == ["system", "coordinator", "support", "lead", "operations", "medical", "health",
                            "healthcare", "recruiting"]  # fmt: skip
    assert "<p>Remote (Full Time)\u00a0</p>\n<p>Compensation: $25 - $27 (per hour)</p>" in posting.description_html
    assert "ZÃ³calo" not in posting.description_html and "Â" not in posting.description_html
    assert posting.description_html.endswith("recruiting and people operations tasks</p>")


def test_remoteok_region_from_location_literal_newlines_and_annual_salary() -> None:
    postings = crawl(RemoteOkSpider, fixture(REMOTEOK_MARCH)).postings
    serverfarm = by_id(postings, "1130785")
    assert (serverfarm.location, serverfarm.remote_regions) == ("Remote, USA", ["USA"])
    assert (serverfarm.salary_min, serverfarm.salary_max) == (None, None)  # 0/0 means unknown
    assert "\\n" in serverfarm.raw["description"] and "\\n" not in serverfarm.description_html
    assert "</p>\n<p></p><p><br></p>" in serverfarm.description_html
    blackpoint = by_id(postings, "1130780")
    assert (blackpoint.salary_min, blackpoint.salary_max, blackpoint.salary_period) == (180000.0, 210000.0, None)
    kastle = by_id(postings, "1130776")  # 30/30: an hourly figure in the annual fields, kept
    assert (kastle.salary_min, kastle.salary_max) == (30.0, 30.0)
    regions = {p.location: p.remote_regions for p in postings if p.location}
    assert regions["Canada (Remote)"] == ["Canada"]
    assert regions["Remote - Americas"] == ["Americas"]
    assert regions["United States - Remote Flexibility"] == ["United States"]
    assert regions["Remote"] == []
    assert regions["San Francisco"] == []
    assert regions["Boston, MA, USA"] == []  # a city with its country is where the job sits, not a region
    assert by_id(postings, "1130779").location == "Gdańsk"  # mojibake in a location, too


def test_remoteok_repairs_all_mojibake_and_strips_the_antibot_sentence() -> None:
    for path in (REMOTEOK_MARCH, REMOTEOK_MAY):
        postings = crawl(RemoteOkSpider, fixture(path)).postings
        raw_text = "".join(p.raw["description"] for p in postings)
        assert raw_text.count("\u00e2\u0080\u0099") > 100 and raw_text.count("Please mention the word") == len(postings)
        for posting in postings:
            assert "\u00e2\u0080" not in posting.description_html
            assert "\u00c2\u00a0" not in posting.description_html
            assert "Please mention the word" not in posting.description_html
            assert "RMTkyLjAuMi4x" not in posting.description_html and "ROjox" not in posting.description_html
            assert not posting.description_html.endswith("<br/>")
            assert "remoteOK.com" not in posting.url and "remoteOK.com" not in (posting.apply_url or "")
    first = crawl(RemoteOkSpider, fixture(REMOTEOK_MARCH)).postings[0]
    assert first.raw["description"].count("\u00e2\u0080\u0099") == first.description_html.count("’") == 2
    assert "Remote flexibility – work from anywhere" in first.description_html


def test_remoteok_correct_text_is_left_alone() -> None:
    job = {"id": "1", "position": "Dev", "url": "https://remoteOK.com/remote-jobs/1", "company": "Café – Ünïcode ",
           "description": "<p>We’re in Gdańsk – café</p>", "location": "München", "tags": ["naïve"]}  # fmt: skip
    posting = crawl(RemoteOkSpider, json.dumps([{"legal": "x"}, job]).encode()).postings[0]
    assert posting.company == "Café – Ünïcode"
    assert posting.description_html == "<p>We’re in Gdańsk – café</p>"
    assert (posting.location, posting.tags) == ("München", ["naïve"])


def test_remoteok_blank_listing_is_yielded_for_validation_to_drop() -> None:
    # The March capture holds a real blank listing: an id and a URL, but no title, company or body.
    posting = by_id(crawl(RemoteOkSpider, fixture(REMOTEOK_MARCH)).postings, "1130784")
    assert (posting.title, posting.description_html) == ("", "")
    assert posting.company == "Board"  # no company: the source's name, as the other bases do


def test_remoteok_date_falls_back_to_epoch() -> None:
    job = {"id": 7, "position": "Dev", "url": "https://remoteok.com/remote-jobs/7", "epoch": 1773619203}
    posting = crawl(RemoteOkSpider, json.dumps([job]).encode()).postings[0]
    assert (posting.external_id, posting.date_posted) == ("7", 1773619203)


def test_remoteok_job_without_id_is_an_error_but_a_notice_is_not() -> None:
    raw = json.loads(fixture(REMOTEOK_MAY))
    del raw[3]["id"]
    raw.append({"last_updated": 1, "note": "another notice"})
    run = crawl(RemoteOkSpider, json.dumps(raw).encode())
    assert len(run.postings) == 49
    assert (run.spider.error_kind, run.spider.unreadable_items) == ("item_errors", 1)


# --- Remotive --------------------------------------------------------------------------------------------------------


def test_remotive_every_field() -> None:
    run = crawl(RemotiveSpider, fixture(REMOTIVE_MAY))
    assert len(run.postings) == 18 and run.spider.complete
    posting = by_id(run.postings, "2090883")
    assert posting.title == "Marketing Manager, Content & AI Enablement"
    assert posting.company == "Expion Health"
    assert posting.url == "https://remotive.com/remote-jobs/marketing/marketing-manager-content-ai-enablement-2090883"
    assert posting.apply_url is None
    assert (posting.location, posting.remote, posting.remote_regions) == ("USA", "USA", ["USA"])
    assert posting.date_posted == "2026-05-15T06:54:14"
    assert parse_date(posting.date_posted).isoformat() == "2026-05-15T06:54:14+00:00"  # type: ignore[union-attr]
    assert posting.valid_through is None
    assert posting.employment_type == "full_time"
    assert posting.salary_text == "$75k - $95k"
    assert (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_period) == (None,) * 4
    assert posting.seniority is None
    assert posting.tags[:3] == ["Marketing", "react", "seo"] and len(posting.tags) == 23
    assert "Marketing Manager, Content &amp; AI\r\nEnablement" in posting.description_html
    # The tracking pixel stays in the raw description; the sanitiser drops every <img>.
    assert posting.description_html.endswith(
        '<img src="https://remotive.com/job/track/2090883/blank.gif?source=public_api" alt=""/>'
    )


def test_remotive_bom_capture_parses() -> None:
    body = fixture(REMOTIVE_BOM)
    assert body.startswith(b"\xef\xbb\xbf")
    run = crawl(RemotiveSpider, body)
    assert (len(run.postings), run.spider.complete, run.spider.error_kind) == (35, True, None)
    assert run.postings[0].external_id == "2090903"
    assert run.postings[0].salary_text == "$18 - $22/hr"
    tribe = by_id(run.postings, "2091048")
    assert tribe.remote_regions == ["USA", "CST (UTC-6)"]
    assert by_id(run.postings, "2091072").employment_type is None  # job_type ""


def test_remotive_regions_and_empty_salaries() -> None:
    postings = crawl(RemotiveSpider, fixture(REMOTIVE_MAY)).postings
    lemon = by_id(postings, "2088711")
    assert lemon.location == "Americas, Europe, Asia, Oceania"
    assert lemon.remote_regions == ["Americas", "Europe", "Asia", "Oceania"]
    assert lemon.tags[0] == "Software Development" and "Typescript" in lemon.tags  # "Typescript " trimmed
    assert by_id(postings, "2089994").salary_text is None  # salary "-"
    assert by_id(postings, "2088711").salary_text is None  # salary ""


# --- Arbeitnow -------------------------------------------------------------------------------------------------------


def test_arbeitnow_every_field() -> None:
    run = crawl(ArbeitnowSpider, fixture(ARBEITNOW_5))
    assert len(run.postings) == 5
    posting = run.postings[0]
    assert posting.external_id == "ml-product-engineer-heidelberg-60723"
    assert posting.title == "ML Product Engineer"
    assert posting.company == "kausable GmbH"
    assert posting.url == (
        "https://www.arbeitnow.com/jobs/companies/kausable-gmbh/ml-product-engineer-heidelberg-60723"
    )
    assert posting.apply_url is None
    assert (posting.location, posting.remote, posting.remote_regions) == ("Heidelberg", False, [])
    assert posting.date_posted == 1785792634
    assert posting.valid_through is None
    assert posting.employment_type == "professional / experienced"
    assert (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_period) == (None,) * 4
    assert posting.salary_text is None and posting.seniority is None
    assert posting.tags == ["Data Scientist"]
    # Numeric entities are HTML and stay as they are.
    assert "<li>Weights &#x26; Biases, model registries" in posting.description_html
    assert by_id(run.postings, "technical-co-founder-cto-aureas-munich-353142").employment_type == "geschäftsleitung"
    assert by_id(run.postings, "senior-product-owner-hamburg-berlin-302643").location == "Hamburg, Berlin"


def test_arbeitnow_is_not_an_all_remote_board() -> None:
    postings = crawl(ArbeitnowSpider, fixture(ARBEITNOW_3)).postings
    assert [p.remote for p in postings] == [False, False, True]
    assert ArbeitnowSpider.all_remote is False


def test_arbeitnow_escaped_descriptions_are_unescaped_once_and_the_credit_kept() -> None:
    postings = crawl(ArbeitnowSpider, fixture(ARBEITNOW_5)).postings
    dept = by_id(postings, "senior-product-owner-hamburg-berlin-302643")
    assert dept.raw["description"].startswith("&lt;p&gt;&lt;strong&gt;Senior Product Owner")
    assert dept.description_html.startswith("<p><strong>Senior Product Owner (d/f/m)<br></strong>Hamburg")
    assert "&lt;" not in dept.description_html
    # Exactly once: "&amp;nbsp;" in the escaped body becomes the entity, not a bare NBSP.
    assert "&amp;nbsp;" in dept.raw["description"] and "<p>&nbsp;</p>" in dept.description_html
    assert dept.description_html.endswith(
        '<p>Find more <a href="https://www.arbeitnow.com/english-speaking-jobs">English Speaking Jobs in Germany</a>'
        " on Arbeitnow</a>"
    )
    veeam = crawl(ArbeitnowSpider, fixture(ARBEITNOW_3)).postings[2]
    assert veeam.description_html.startswith('<div class="content-intro">')


def test_arbeitnow_page_without_links_is_the_last() -> None:
    run = crawl(ArbeitnowSpider, fixture(ARBEITNOW_3), url=ARBEITNOW_URL)
    assert "links" not in json.loads(fixture(ARBEITNOW_3))
    assert (run.requests, run.spider.complete) == ([], True)


def _arbeitnow_page(path: str, next_link: Any) -> bytes:
    data = json.loads(fixture(path))
    data["links"] = {"first": f"{ARBEITNOW_URL}?page=1", "last": None, "prev": None, "next": next_link}
    data["meta"] = {"current_page": 1, "path": ARBEITNOW_URL, "per_page": 100}
    return json.dumps(data).encode()


def test_arbeitnow_follows_links_next_to_the_last_page() -> None:
    run = Crawl(ArbeitnowSpider, feed_url=ARBEITNOW_URL)
    first = run.page(_arbeitnow_page(ARBEITNOW_5, "/api/job-board-api?page=2"))
    (request,) = [r for r in first if isinstance(r, scrapy.Request)]
    assert request.url == "https://www.arbeitnow.com/api/job-board-api?page=2"
    assert request.callback == run.spider.parse
    assert not run.spider.complete
    run.page(_arbeitnow_page(ARBEITNOW_3, None), url=request.url)
    assert len(run.postings) == 8
    assert len(run.requests) == 1
    assert (run.spider.complete, run.spider.pages) == (True, 2)


def test_arbeitnow_absolute_next_link_to_a_loopback_server() -> None:
    run = Crawl(ArbeitnowSpider, feed_url="http://127.0.0.1:8765/api/job-board-api")
    run.page(_arbeitnow_page(ARBEITNOW_3, "http://127.0.0.1:8765/api/job-board-api?page=2"))
    assert [r.url for r in run.requests] == ["http://127.0.0.1:8765/api/job-board-api?page=2"]


@pytest.mark.parametrize("links", [["next"], {"next": 2}, {"next": ARBEITNOW_URL}])
def test_arbeitnow_unreadable_or_looping_links_fail_the_crawl(links: Any) -> None:
    data = json.loads(fixture(ARBEITNOW_3))
    data["links"] = links
    run = crawl(ArbeitnowSpider, json.dumps(data).encode(), url=ARBEITNOW_URL)
    assert len(run.postings) == 3  # the page's postings still count as seen
    assert run.requests == []
    assert (run.spider.complete, run.spider.error_kind) == (False, "parse_error")
    assert "paging" in (run.spider.error_message or "")


# --- Jobicy ----------------------------------------------------------------------------------------------------------


def test_jobicy_every_field() -> None:
    run = crawl(JobicySpider, fixture(JOBICY_3))
    assert len(run.postings) == 3 and run.spider.complete
    posting = run.postings[0]
    assert posting.external_id == "150798"
    assert posting.title == "(Senior) Product Director, Local Growth"
    assert posting.company == "OKX"
    assert posting.url == "https://jobicy.com/jobs/150798-senior-product-director-local-growth"
    assert posting.apply_url is None
    assert posting.raw["jobGeo"] == "LATAM,  Hong Kong,  Mexico,  Singapore"
    assert posting.location == "LATAM, Hong Kong, Mexico, Singapore"
    assert posting.remote_regions == ["LATAM", "Hong Kong", "Mexico", "Singapore"]
    assert posting.remote is None
    assert posting.date_posted == "2026-08-15T15:28:49+00:00"
    assert posting.valid_through is None
    assert posting.employment_type == "Full-Time"
    assert posting.seniority == "Director"
    assert (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_period) == (None,) * 4
    assert posting.salary_text is None
    assert posting.raw["jobIndustry"] == ["Product &amp; Operations"]
    assert posting.tags == ["Product & Operations"]
    assert posting.description_html.startswith("<h3><strong>Who We Are</strong></h3>\n<p>At OKX, we believe")


def test_jobicy_salary_and_periods() -> None:
    postings = crawl(JobicySpider, fixture(JOBICY_5)).postings
    assert len(postings) == 5
    cox = postings[0]
    assert (cox.salary_min, cox.salary_max, cox.salary_currency, cox.salary_period) == (
        122600.0, 204400.0, "USD", "year",
    )  # fmt: skip
    assert cox.tags == ["Project & Program Management"]
    given_directly = by_id(crawl(JobicySpider, fixture(JOBICY_3)).postings, "150791")
    assert (given_directly.salary_min, given_directly.salary_max) == (115000.0, 115000.0)
    assert given_directly.remote_regions == ["UK", "USA"]


def test_jobicy_envelope_capture_and_min_only_salary() -> None:
    run = crawl(JobicySpider, fixture(JOBICY_ENVELOPE))
    assert json.loads(fixture(JOBICY_ENVELOPE))["jobCount"] == 5
    assert (len(run.postings), run.spider.complete) == (4, True)
    revenuecat = by_id(run.postings, "146002")
    assert (revenuecat.salary_min, revenuecat.salary_max, revenuecat.salary_period) == (151000.0, None, "year")
    assert by_id(run.postings, "145880").employment_type == "Contract"
    assert by_id(run.postings, "145878").seniority == "Any"


@pytest.mark.parametrize(
    ("industry", "expected"),
    [("Product &amp; Operations", "Product & Operations"), ("R&amp;amp;D", "R&amp;D"), ("Plain", "Plain")],
)
def test_jobicy_industry_is_unescaped_exactly_once(industry: str, expected: str) -> None:
    data = json.loads(fixture(JOBICY_3))
    data["jobs"][0]["jobIndustry"] = [industry]
    data["jobs"][0]["jobType"] = ["Full-Time &amp;amp; Contract"]
    posting = crawl(JobicySpider, json.dumps(data).encode()).postings[0]
    assert posting.tags == [expected]
    assert posting.employment_type == "Full-Time &amp; Contract"


@pytest.mark.parametrize(("period", "expected"), [("yearly", "year"), ("monthly", "month"), ("hourly", "hour")])
def test_jobicy_salary_period_names(period: str, expected: str) -> None:
    data = json.loads(fixture(JOBICY_5))
    data["jobs"][0]["salaryPeriod"] = period
    assert crawl(JobicySpider, json.dumps(data).encode()).postings[0].salary_period == expected


def test_jobicy_excerpt_only_without_a_description() -> None:
    data = json.loads(fixture(JOBICY_3))
    data["jobs"][0]["jobDescription"] = ""
    data["jobs"][0]["jobExcerpt"] = "Short &hellip; text"
    data["jobs"][1]["jobExcerpt"] = "NOT USED"
    postings = crawl(JobicySpider, json.dumps(data).encode()).postings
    assert postings[0].description_html == "<p>Short &hellip; text</p>"
    assert "NOT USED" not in postings[1].description_html


def test_jobicy_error_answer_is_a_parse_error() -> None:
    run = crawl(JobicySpider, b'{"success": false, "message": "Bad request", "jobs": []}')
    assert (run.postings, run.spider.error_kind) == ([], "parse_error")
    assert "Bad request" in (run.spider.error_message or "")


# --- Himalayas -------------------------------------------------------------------------------------------------------


def test_himalayas_every_field() -> None:
    run = crawl(HimalayasSpider, fixture(HIMALAYAS), url=HIMALAYAS_URL)
    assert len(run.postings) == 20
    posting = run.postings[1]
    url = "https://himalayas.app/companies/caci-international-inc/jobs/dhs-experienced-case-reviewer-7696739532"
    assert (posting.external_id, posting.url, posting.apply_url) == (url, url, url)
    assert posting.title == "DHS Experienced Case Reviewer"
    assert posting.company == "CACI International Inc"
    assert posting.location == "United States"
    assert posting.remote is None
    assert posting.remote_regions == ["United States", "UTC-10", "UTC-9", "UTC-8", "UTC-7", "UTC-6", "UTC-5", "UTC+14"]
    assert posting.date_posted == 1778990412
    assert posting.valid_through == 1784174411
    assert (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_period) == (
        54800.0, 115000.0, "USD", "year",
    )  # fmt: skip
    assert posting.salary_text is None
    assert posting.employment_type == "Full Time"
    assert posting.seniority == "Mid-level"
    assert posting.tags == ["Background-Investigation", "Security-Clearance", "Quality-Assurance", "Investigation",
                            "Case-Management", "Quality-Control", "Developer"]  # fmt: skip
    assert posting.description_html.startswith("Job Title: DHS Experienced Case ReviewerJob Category: Invest")


def test_himalayas_salary_only_when_present_and_fractional_offsets() -> None:
    postings = crawl(HimalayasSpider, fixture(HIMALAYAS), url=HIMALAYAS_URL).postings
    sixt = postings[0]
    assert sixt.raw["currency"] == "USD" and sixt.raw["minSalary"] is None
    assert (sixt.salary_min, sixt.salary_max, sixt.salary_currency, sixt.salary_period) == (None,) * 4
    asper = by_id(postings, "https://himalayas.app/companies/asper-brothers/jobs/flutter-developer")
    assert (asper.salary_currency, asper.employment_type) == ("EUR", "Contractor")
    therapist = by_id(postings, "https://himalayas.app/companies/mood-health/jobs/mental-health-therapist")
    assert therapist.remote_regions[:6] == ["Australia", "Canada", "Ireland", "New Zealand", "United Kingdom",
                                            "United States"]  # fmt: skip
    assert {"UTC-3:30", "UTC+0", "UTC+8:45", "UTC+5:30"} & set(therapist.remote_regions) == {
        "UTC-3:30", "UTC+0", "UTC+8:45",
    }  # fmt: skip


def test_himalayas_empty_location_restrictions_mean_worldwide() -> None:
    data = json.loads(fixture(HIMALAYAS))
    data["jobs"][0]["locationRestrictions"] = []
    data["jobs"][0]["timezoneRestrictions"] = []
    posting = crawl(HimalayasSpider, json.dumps(data).encode(), url=HIMALAYAS_URL).postings[0]
    assert (posting.location, posting.remote_regions) == ("Worldwide", ["Worldwide"])


def test_himalayas_pages_by_offset_to_the_last_page() -> None:
    run = Crawl(HimalayasSpider, feed_url=HIMALAYAS_URL)
    first = run.page(fixture(HIMALAYAS))
    (request,) = [r for r in first if isinstance(r, scrapy.Request)]
    assert request.url == "https://himalayas.app/jobs/api?limit=20&offset=20"
    assert request.callback == run.spider.parse
    assert not run.spider.complete
    data = json.loads(fixture(HIMALAYAS))
    data.update(offset=20, totalCount=25, jobs=data["jobs"][:5])
    second = run.page(json.dumps(data).encode(), url=request.url)
    assert [r for r in second if isinstance(r, scrapy.Request)] == []
    assert (len(run.postings), run.spider.complete, run.spider.pages) == (25, True, 2)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://himalayas.app/jobs/api?q=python&offset=40&limit=20",
         "https://himalayas.app/jobs/api?q=python&offset=60&limit=20"),
        ("https://himalayas.app/jobs/api?limit=20", "https://himalayas.app/jobs/api?limit=20&offset=60"),
    ],
)  # fmt: skip
def test_himalayas_next_url_keeps_the_other_parameters(url: str, expected: str) -> None:
    data = json.loads(fixture(HIMALAYAS))
    data["offset"] = 40
    run = crawl(HimalayasSpider, json.dumps(data).encode(), url=url)
    assert [r.url for r in run.requests] == [expected]


def test_himalayas_advances_by_the_jobs_received_not_the_limit_asked() -> None:
    # A server that caps the page below the requested limit must not make the crawl skip jobs.
    data = json.loads(fixture(HIMALAYAS))
    data.update(offset=40, totalCount=100, jobs=data["jobs"][:7])
    run = crawl(HimalayasSpider, json.dumps(data).encode(), url="https://himalayas.app/jobs/api?limit=20&offset=40")
    assert [r.url for r in run.requests] == ["https://himalayas.app/jobs/api?limit=20&offset=47"]


@pytest.mark.parametrize(
    ("offset", "total", "jobs"),
    [(0, 20, 20), (100, 110, 20), (0, 101667, 0)],
)
def test_himalayas_last_page_detection(offset: int, total: int, jobs: int) -> None:
    data = json.loads(fixture(HIMALAYAS))
    data.update(offset=offset, totalCount=total, jobs=data["jobs"][:jobs])
    run = crawl(HimalayasSpider, json.dumps(data).encode(), url=HIMALAYAS_URL)
    assert (run.requests, run.spider.complete, len(run.postings)) == ([], True, jobs)


def test_himalayas_unreadable_total_fails_the_crawl_but_keeps_the_postings() -> None:
    data = json.loads(fixture(HIMALAYAS))
    del data["totalCount"]
    run = crawl(HimalayasSpider, json.dumps(data).encode(), url=HIMALAYAS_URL)
    assert len(run.postings) == 20 and run.requests == []
    assert (run.spider.complete, run.spider.error_kind) == (False, "parse_error")


# --- Every board: hostile bodies and items ---------------------------------------------------------------------------

BOARDS = [
    (RemoteOkSpider, REMOTEOK_MAY),
    (RemotiveSpider, REMOTIVE_MAY),
    (ArbeitnowSpider, ARBEITNOW_5),
    (JobicySpider, JOBICY_5),
    (HimalayasSpider, HIMALAYAS),
]
WRONG_SHAPES = {
    RemoteOkSpider: [b'{"jobs": []}', b"null", b'"api"'],
    RemotiveSpider: [b"[]", b'{"jobs": null}', b'{"job-count": 0}', b'{"jobs": {"0": {}}}'],
    ArbeitnowSpider: [b"[]", b'{"data": null}', b'{"jobs": []}', b'{"data": "none"}'],
    JobicySpider: [b"[]", b'{"jobs": null}', b'{"data": []}'],
    HimalayasSpider: [b"[]", b'{"jobs": null}', b'{"offset": 0, "totalCount": 5}'],
}


def _items_of(data: Any) -> list[Any]:
    if isinstance(data, list):
        return data
    return data["data"] if "data" in data else data["jobs"]


@pytest.mark.parametrize(
    ("spider_cls", "body"), [(cls, body) for cls, bodies in WRONG_SHAPES.items() for body in bodies]
)
def test_wrong_shape_is_a_parse_error(spider_cls: type[FeedSpider], body: bytes) -> None:
    run = crawl(spider_cls, body)
    assert (run.output, run.spider.complete, run.spider.error_kind) == ([], False, "parse_error")


@pytest.mark.parametrize(("spider_cls", "path"), BOARDS)
def test_truncated_garbled_and_html_bodies_are_parse_errors(spider_cls: type[FeedSpider], path: str) -> None:
    body = fixture(path)
    for bad in (body[: len(body) // 2], b"<html><body>Cloudflare</body></html>", b"\xff\xfe" + body[:50], b""):
        run = crawl(spider_cls, bad)
        assert (run.output, run.spider.complete, run.spider.error_kind) == ([], False, "parse_error")


@pytest.mark.parametrize(("spider_cls", "path"), BOARDS)
def test_a_null_item_among_good_ones_is_an_item_error(spider_cls: type[FeedSpider], path: str) -> None:
    data = json.loads(fixture(path).decode("utf-8-sig"))
    items = _items_of(data)
    good = len(items) - (1 if spider_cls is RemoteOkSpider else 0)
    items.insert(2, None)
    run = crawl(spider_cls, json.dumps(data).encode())
    assert len(run.postings) == good
    assert (run.spider.complete, run.spider.error_kind, run.spider.unreadable_items) == (False, "item_errors", 1)


MALFORMED = [
    (RemoteOkSpider, REMOTEOK_MAY, 5, "url", None),
    (RemoteOkSpider, REMOTEOK_MAY, 5, "position", None),
    (RemotiveSpider, REMOTIVE_MAY, 3, "id", None),
    (RemotiveSpider, REMOTIVE_MAY, 3, "url", ...),
    (RemotiveSpider, REMOTIVE_MAY, 3, "tags", "python"),
    (ArbeitnowSpider, ARBEITNOW_5, 1, "slug", ...),
    (ArbeitnowSpider, ARBEITNOW_5, 1, "remote", "yes"),
    (ArbeitnowSpider, ARBEITNOW_5, 1, "job_types", "full time"),
    (JobicySpider, JOBICY_5, 2, "id", ...),
    (JobicySpider, JOBICY_5, 2, "jobTitle", None),
    (JobicySpider, JOBICY_5, 2, "jobIndustry", "Design"),
    (HimalayasSpider, HIMALAYAS, 7, "applicationLink", ...),
    (HimalayasSpider, HIMALAYAS, 7, "timezoneRestrictions", ["UTC"]),
    (HimalayasSpider, HIMALAYAS, 7, "seniority", "Senior"),
]


@pytest.mark.parametrize(("spider_cls", "path", "index", "key", "value"), MALFORMED)
def test_one_malformed_item_keeps_the_others(
    spider_cls: type[FeedSpider], path: str, index: int, key: str, value: Any
) -> None:
    data = json.loads(fixture(path).decode("utf-8-sig"))
    items = _items_of(data)
    if value is ...:
        del items[index][key]
    else:
        items[index][key] = value
    broken = items[index]
    run = crawl(spider_cls, json.dumps(data).encode(), url=HIMALAYAS_URL)
    expected = [item for item in items if item is not broken and "legal" not in item]
    assert len(run.postings) == len(expected)
    assert (run.spider.complete, run.spider.error_kind, run.spider.unreadable_items) == (False, "item_errors", 1)
    assert "nothing was closed" in (run.spider.error_message or "")


@pytest.mark.parametrize(("spider_cls", "path"), BOARDS)
def test_http_errors_fail_the_crawl(spider_cls: type[FeedSpider], path: str) -> None:
    run = Crawl(spider_cls)
    run.page(fixture(path), status=503)
    assert (run.output, run.spider.complete, run.spider.error_kind) == ([], False, "http_503")


@pytest.mark.parametrize(
    ("spider_cls", "kind"),
    [
        (RemoteOkSpider, "remoteok"),
        (RemotiveSpider, "remotive"),
        (ArbeitnowSpider, "arbeitnow"),
        (JobicySpider, "jobicy"),
        (HimalayasSpider, "himalayas"),
    ],
)
def test_kinds(spider_cls: type[FeedSpider], kind: str) -> None:
    assert spider_cls.kind == kind
    assert spider_cls.all_remote is (kind != "arbeitnow")


def test_himalayas_reads_a_window_of_newest_pages_and_says_so() -> None:
    from scrapy.http import Request as ScrapyRequest
    from scrapy.http import TextResponse as ScrapyResponse

    from crawlers.bases.himalayas import HimalayasSpider

    body = (FIXTURES / "himalayas" / "himalayas_api_jobs_offset0_limit20.json").read_bytes()
    spider = HimalayasSpider(
        source_id=1,
        source_key="h",
        source_name="Himalayas",
        feed_url="https://himalayas.app/jobs/api?limit=20&offset=0",
    )
    for page in range(HimalayasSpider.window_pages or 0):
        url = f"https://himalayas.app/jobs/api?limit=20&offset={page * 20}"
        response = ScrapyResponse(url=url, body=body, encoding="utf-8", request=ScrapyRequest(url))
        following = [r for r in spider.parse(response) if isinstance(r, ScrapyRequest)]
        last = page == (HimalayasSpider.window_pages or 0) - 1
        assert (following == []) is last
    assert spider.pages == HimalayasSpider.window_pages
    assert spider.windowed and spider.complete
