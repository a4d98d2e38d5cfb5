"""The ATS platform bases (Ashby, Workable, SmartRecruiters, Recruitee, Personio) against their real captures.

Bodies are fed as Scrapy responses: list pages through ``spider.parse``, details through ``spider.parse_detail`` with
the entry the list request carried. No network, no store.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import pytest
import scrapy
from scrapy.http import Request, TextResponse

from crawlers.bases.ashby import AshbySpider
from crawlers.bases.feed import FeedSpider
from crawlers.bases.personio import PersonioSpider
from crawlers.bases.recruitee import RecruiteeSpider
from crawlers.bases.smartrecruiters import SmartRecruitersSpider
from crawlers.bases.workable import WorkableSpider
from crawlers.items import FeedPosting
from tests.conftest import FIXTURES

ASHBY_URL = "https://api.ashbyhq.com/posting-api/job-board/ramp?includeCompensation=true"
WORKABLE_URL = "https://apply.workable.com/api/v3/accounts/huggingface/jobs"
SR_URL = "https://api.smartrecruiters.com/v1/companies/ServiceNow/postings?limit=100&offset=0"
RECRUITEE_URL = "https://channable.recruitee.com/api/offers/"
PERSONIO_URL = "https://personio.jobs.personio.de/xml"

SR_LIST = "smartrecruiters/servicenow_postings_list_trimmed_by_committer.json"
SR_DETAIL = "smartrecruiters/servicenow_posting_detail_trimmed_by_committer.json"
WORKABLE_LIST = "workable/apply_workable_api_v3_jobs_trimmed_by_committer.json"
PERSONIO_XML = "personio/personio_own_feed_xml_1position.xml"
RECRUITEE_ACME = "recruitee/offers_sanitized_acme_full_descriptions.json"
RECRUITEE_CHANNABLE = "recruitee/channable_offers_trimmed_by_committer.json"

# No Workable detail was captured: this stands in for apply.workable.com/api/v2/accounts/{account}/jobs/{shortcode},
# whose description, requirements and benefits are HTML strings.
WORKABLE_DETAIL = {
    "shortcode": "F8427A442D",
    "description": "<p>Build open-source Python tooling.</p>",
    "requirements": "<ul><li>Python</li></ul>",
    "benefits": "",
}


def make_spider(cls: type[FeedSpider], feed_url: str, name: str = "Acme") -> FeedSpider:
    return cls(source_id=1, source_key="test", source_name=name, feed_url=feed_url)


def respond(url: str, body: bytes | str, status: int = 200) -> TextResponse:
    data = body.encode() if isinstance(body, str) else body
    return TextResponse(url=url, body=data, status=status, encoding="utf-8", request=Request(url))


def fixture(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def fixture_json(path: str) -> Any:
    return json.loads(fixture(path))


def postings(output: Iterable[Any]) -> list[FeedPosting]:
    items = list(output)
    assert all(isinstance(i, FeedPosting) for i in items), items
    return items


def crawl(spider: FeedSpider, body: bytes | str, url: str | None = None) -> list[Any]:
    return list(spider.parse(respond(url or spider.feed_url, body)))


def detail(spider: FeedSpider, request: scrapy.Request, body: bytes | str, status: int = 200) -> list[FeedPosting]:
    assert request.callback == spider.parse_detail
    response = respond(request.url, body, status)
    return postings(spider.parse_detail(response, **request.cb_kwargs))


# --- Ashby ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "count"),
    [
        ("ashby/highlightta_job_board_with_compensation.json", 2),
        ("ashby/notion_job_board_trimmed_by_committer.json", 3),
        ("ashby/openai_job_board_trimmed_by_committer.json", 2),
        ("ashby/ramp_job_board_trimmed_by_committer.json", 3),
        ("ashby/truelogic_job_board_3jobs.json", 3),
    ],
)
def test_ashby_every_capture_yields_every_job(path: str, count: int) -> None:
    spider = make_spider(AshbySpider, ASHBY_URL)
    found = postings(crawl(spider, fixture(path)))
    assert len(found) == count
    assert len({p.external_id for p in found}) == count
    assert spider.complete and spider.error_kind is None
    assert all(p.url.startswith("https://jobs.ashbyhq.com/") and p.apply_url == p.url + "/application" for p in found)


def test_ashby_ramp_maps_every_field() -> None:
    first = postings(
        crawl(make_spider(AshbySpider, ASHBY_URL, "Ramp"), fixture("ashby/ramp_job_board_trimmed_by_committer.json"))
    )[0]
    assert first.external_id == "34413f8d-26bf-4bbc-8ade-eb309a0e2245"
    # The feed says " Security Engineer, Cloud".
    assert first.title == "Security Engineer, Cloud"
    assert first.company == "Ramp"
    assert first.location == "New York, NY (HQ); Remote (Canada); Remote (US); Miami, FL"
    # isRemote is true as well: the enum is the precise signal.
    assert first.remote == "Hybrid"
    assert first.date_posted == "2026-04-07T17:12:35.753+00:00"
    assert first.url == "https://jobs.ashbyhq.com/ramp/34413f8d-26bf-4bbc-8ade-eb309a0e2245"
    assert first.apply_url == "https://jobs.ashbyhq.com/ramp/34413f8d-26bf-4bbc-8ade-eb309a0e2245/application"
    assert (first.salary_min, first.salary_max, first.salary_currency, first.salary_period) == (
        211400.0,
        290600.0,
        "USD",
        "year",
    )
    assert first.salary_text == "$211.4K – $290.6K • Offers Equity"
    assert first.employment_type == "Full-time"
    assert first.valid_through is None
    assert first.seniority is None
    assert first.tags == ["Engineering", "Backend"]
    assert first.description_html.startswith("<h1><strong>About Ramp</strong></h1>")
    assert first.raw["id"] == first.external_id


def test_ashby_salary_comes_from_the_salary_component_not_equity() -> None:
    # In Ramp's second and third jobs the EquityPercentage component comes first.
    found = postings(
        crawl(make_spider(AshbySpider, ASHBY_URL), fixture("ashby/ramp_job_board_trimmed_by_committer.json"))
    )
    assert [(p.salary_min, p.salary_max) for p in found[1:]] == [(189000.0, 330000.0), (143200.0, 284000.0)]


def test_ashby_highlightta_cad_salary_and_hidden_compensation() -> None:
    data = fixture_json("ashby/highlightta_job_board_with_compensation.json")
    hidden, shown = postings(crawl(make_spider(AshbySpider, ASHBY_URL), json.dumps(data)))
    assert (shown.salary_min, shown.salary_max, shown.salary_currency, shown.salary_period) == (
        102800.0,
        137000.0,
        "CAD",
        "year",
    )
    assert shown.salary_text == "CA$102.8K – CA$137K"
    assert shown.title == "Senior Site Reliability Engineer"
    assert hidden.salary_text is None and hidden.salary_min is None

    # The company can hide pay that Ashby still sends: respect it.
    data["jobs"][1]["shouldDisplayCompensationOnJobPostings"] = False
    hidden_now = postings(crawl(make_spider(AshbySpider, ASHBY_URL), json.dumps(data)))[1]
    assert (hidden_now.salary_min, hidden_now.salary_max, hidden_now.salary_currency) == (None, None, None)
    assert (hidden_now.salary_period, hidden_now.salary_text) == (None, None)


def test_ashby_remote_falls_back_to_the_boolean_and_to_none() -> None:
    data = fixture_json("ashby/openai_job_board_trimmed_by_committer.json")
    assert [p.remote for p in postings(crawl(make_spider(AshbySpider, ASHBY_URL), json.dumps(data)))] == [None, None]
    data["jobs"][0]["isRemote"] = True
    data["jobs"][1]["isRemote"] = False
    assert [p.remote for p in postings(crawl(make_spider(AshbySpider, ASHBY_URL), json.dumps(data)))] == [True, False]


@pytest.mark.parametrize(
    ("interval", "period"), [("1 HOUR", "hour"), ("1 MONTH", "month"), ("1 WEEK", "week"), ("NONE", None)]
)
def test_ashby_interval_becomes_a_period(interval: str, period: str | None) -> None:
    data = fixture_json("ashby/highlightta_job_board_with_compensation.json")
    data["jobs"][1]["compensation"]["summaryComponents"][0]["interval"] = interval
    assert postings(crawl(make_spider(AshbySpider, ASHBY_URL), json.dumps(data)))[1].salary_period == period


def test_ashby_unlisted_job_is_skipped_without_error() -> None:
    data = fixture_json("ashby/truelogic_job_board_3jobs.json")
    data["jobs"][1]["isListed"] = False
    spider = make_spider(AshbySpider, ASHBY_URL)
    found = postings(crawl(spider, json.dumps(data)))
    assert [p.external_id for p in found] == [data["jobs"][0]["id"], data["jobs"][2]["id"]]
    assert spider.complete and spider.error_kind is None


def test_ashby_nulls_where_objects_should_be() -> None:
    data = fixture_json("ashby/ramp_job_board_trimmed_by_committer.json")
    job = data["jobs"][0]
    job.update(compensation=None, secondaryLocations=None, address=None, employmentType=None, location=None)
    job.update(workplaceType=None, isRemote=None, descriptionHtml=None, department=None, team=None)
    spider = make_spider(AshbySpider, ASHBY_URL)
    posting = postings(crawl(spider, json.dumps(data)))[0]
    assert spider.error_kind is None
    assert (posting.location, posting.remote, posting.employment_type, posting.salary_min) == (None, None, None, None)
    assert (posting.description_html, posting.tags) == ("", [])


def test_ashby_one_malformed_job_keeps_the_others() -> None:
    data = fixture_json("ashby/notion_job_board_trimmed_by_committer.json")
    del data["jobs"][1]["jobUrl"]
    spider = make_spider(AshbySpider, ASHBY_URL)
    found = postings(crawl(spider, json.dumps(data)))
    assert [p.external_id for p in found] == [data["jobs"][0]["id"], data["jobs"][2]["id"]]
    assert spider.error_kind == "item_errors" and spider.unreadable_items == 1
    assert not spider.complete


# --- Workable ------------------------------------------------------------------------------------------------------


def test_workable_list_asks_for_each_jobs_detail() -> None:
    spider = make_spider(WorkableSpider, WORKABLE_URL, "Hugging Face")
    requests = crawl(spider, fixture(WORKABLE_LIST))
    assert [r.url for r in requests] == [
        "https://apply.workable.com/api/v2/accounts/huggingface/jobs/F8427A442D",
        "https://apply.workable.com/api/v2/accounts/huggingface/jobs/CB1DEFE6CE",
        "https://apply.workable.com/api/v2/accounts/huggingface/jobs/97904BAC90",
    ]
    assert all(isinstance(r, scrapy.Request) and r.callback == spider.parse_detail for r in requests)
    # The capture has no nextPage: this was the last page.
    assert spider.complete and spider.pages == 1


def test_workable_detail_completes_the_posting() -> None:
    spider = make_spider(WorkableSpider, WORKABLE_URL, "Hugging Face")
    first_request = crawl(spider, fixture(WORKABLE_LIST))[0]
    (posting,) = detail(spider, first_request, json.dumps(WORKABLE_DETAIL))
    assert posting.external_id == "F8427A442D"
    assert posting.title == "Senior Python Software Engineer/Open-Source Contributor - US Remote"
    assert posting.company == "Hugging Face"
    assert posting.location == "United States"
    assert posting.remote == "remote"
    assert posting.date_posted == "2026-06-02T00:00:00.000Z"
    assert posting.url == "https://apply.workable.com/huggingface/j/F8427A442D/"
    assert posting.apply_url == "https://apply.workable.com/huggingface/j/F8427A442D/apply/"
    assert (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_period) == (None,) * 4
    assert posting.salary_text is None
    assert posting.employment_type == "Full-time"
    assert posting.valid_through is None
    assert posting.tags == ["Product"]
    # Empty benefits add no heading.
    assert posting.description_html == (
        "<p>Build open-source Python tooling.</p>\n<h3>Requirements</h3><ul><li>Python</li></ul>"
    )
    assert posting.raw["id"] == 5856207 and posting.raw["detail"] == WORKABLE_DETAIL
    assert spider.complete and spider.seen_ids == {"F8427A442D"}


def test_workable_location_joins_city_region_country() -> None:
    spider = make_spider(WorkableSpider, WORKABLE_URL)
    third = crawl(spider, fixture(WORKABLE_LIST))[2]
    (posting,) = detail(spider, third, json.dumps(WORKABLE_DETAIL))
    assert posting.location == "Paris, Île-de-France, France"


def test_workable_detail_urls_stay_on_a_loopback_server() -> None:
    spider = make_spider(WorkableSpider, "http://127.0.0.1:8765/api/v3/accounts/acme/jobs")
    requests = crawl(spider, fixture(WORKABLE_LIST))
    assert requests[0].url == "http://127.0.0.1:8765/api/v2/accounts/acme/jobs/F8427A442D"
    # The public URLs are Workable's, whoever served the feed.
    (posting,) = detail(spider, requests[0], json.dumps(WORKABLE_DETAIL))
    assert posting.url == "https://apply.workable.com/acme/j/F8427A442D/"


def test_workable_next_page_token_goes_in_the_query() -> None:
    data = fixture_json(WORKABLE_LIST)
    data["nextPage"] = "eyJvZmZzZXQiOjN9"
    spider = make_spider(WorkableSpider, WORKABLE_URL)
    out = crawl(spider, json.dumps(data), url=WORKABLE_URL + "?token=old")
    following = out[-1]
    assert following.callback == spider.parse
    assert following.url == WORKABLE_URL + "?token=eyJvZmZzZXQiOjN9"
    assert len(out) == 4 and not spider.complete
    # The last page carries no token.
    del data["nextPage"]
    assert len(crawl(spider, json.dumps(data), url=following.url)) == 3
    assert spider.complete


def test_workable_failed_detail_still_yields_the_list_posting() -> None:
    spider = make_spider(WorkableSpider, WORKABLE_URL)
    request = crawl(spider, fixture(WORKABLE_LIST))[1]
    (posting,) = detail(spider, request, "upstream error", status=500)
    assert posting.external_id == "CB1DEFE6CE"
    assert posting.description_html == ""
    assert spider.seen_ids == {"CB1DEFE6CE"}
    assert not spider.complete and spider.error_kind == "http_500"


def test_workable_unreadable_detail_body_is_an_item_error() -> None:
    spider = make_spider(WorkableSpider, WORKABLE_URL)
    request = crawl(spider, fixture(WORKABLE_LIST))[0]
    assert detail(spider, request, "<html>Just a moment...</html>") == []
    assert spider.error_kind == "item_errors" and not spider.complete


def test_workable_remote_boolean_and_nulls() -> None:
    data = fixture_json(WORKABLE_LIST)
    data["results"][0].update(workplace=None, location=None, locations=None, department=None, type=None)
    data["results"][1].update(workplace=None, remote=False)
    spider = make_spider(WorkableSpider, WORKABLE_URL)
    first, second, _ = (detail(spider, r, json.dumps(WORKABLE_DETAIL))[0] for r in crawl(spider, json.dumps(data)))
    assert (first.remote, first.location, first.tags, first.employment_type) == (True, None, [], None)
    assert second.remote is False
    assert spider.error_kind is None


def test_workable_hidden_locations_are_left_out() -> None:
    data = fixture_json(WORKABLE_LIST)
    data["results"][2]["locations"].append({"country": "Germany", "city": "Berlin", "region": None, "hidden": True})
    data["results"][2]["locations"].append({"country": "Spain", "city": "Madrid", "region": None, "hidden": False})
    spider = make_spider(WorkableSpider, WORKABLE_URL)
    request = crawl(spider, json.dumps(data))[2]
    assert detail(spider, request, "{}")[0].location == "Paris, Île-de-France, France; Madrid, Spain"


def test_workable_one_malformed_job_keeps_the_others() -> None:
    data = fixture_json(WORKABLE_LIST)
    del data["results"][1]["shortcode"]
    spider = make_spider(WorkableSpider, WORKABLE_URL)
    out = crawl(spider, json.dumps(data))
    requests = [o for o in out if isinstance(o, scrapy.Request)]
    assert [r.url.rsplit("/", 1)[1] for r in requests] == ["F8427A442D", "97904BAC90"]
    assert [o for o in out if isinstance(o, FeedPosting)] == []
    assert spider.error_kind == "item_errors" and spider.unreadable_items == 1
    assert [detail(spider, r, json.dumps(WORKABLE_DETAIL))[0].external_id for r in requests] == [
        "F8427A442D",
        "97904BAC90",
    ]


def test_workable_feed_url_without_an_account_is_a_parse_error() -> None:
    spider = make_spider(WorkableSpider, "https://apply.workable.com/huggingface/")
    assert crawl(spider, fixture(WORKABLE_LIST)) == []
    assert spider.error_kind == "parse_error" and "names no account" in (spider.error_message or "")


# --- SmartRecruiters -----------------------------------------------------------------------------------------------


def test_smartrecruiters_list_asks_for_each_postings_detail() -> None:
    spider = make_spider(SmartRecruitersSpider, SR_URL)
    requests = crawl(spider, fixture(SR_LIST))
    assert [r.url for r in requests] == [
        "https://api.smartrecruiters.com/v1/companies/ServiceNow/postings/744000138497339",
        "https://api.smartrecruiters.com/v1/companies/ServiceNow/postings/744000138494569",
        "https://api.smartrecruiters.com/v1/companies/ServiceNow/postings/744000138421279",
    ]
    assert [r.url for r in requests] == [e["ref"] for e in fixture_json(SR_LIST)["content"]]
    # offset 0 + limit 3 covers totalFound 3.
    assert spider.complete and spider.pages == 1


def test_smartrecruiters_detail_maps_every_field() -> None:
    spider = make_spider(SmartRecruitersSpider, SR_URL)
    first_request = crawl(spider, fixture(SR_LIST))[0]
    (posting,) = detail(spider, first_request, fixture(SR_DETAIL))
    assert posting.external_id == "744000138497339"
    assert posting.title == "Sr Product Security Engineer"
    assert posting.company == "ServiceNow"
    # fullLocation reads "Petah Tikva, , Israel".
    assert posting.location == "Petah Tikva, Israel"
    assert posting.remote == "hybrid"
    assert posting.date_posted == "2026-07-19T10:16:34.476Z"
    assert posting.url == "https://jobs.smartrecruiters.com/ServiceNow/744000138497339-sr-product-security-engineer"
    assert posting.apply_url == (
        "https://jobs.smartrecruiters.com/ServiceNow/744000138497339-sr-product-security-engineer?oga=true"
    )
    assert (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_period) == (None,) * 4
    assert posting.salary_text is None
    assert posting.employment_type == "Full-time"
    assert posting.valid_through is None
    # experienceLevel "not_applicable" is no seniority.
    assert posting.seniority is None
    assert posting.tags == ["Engineering"]
    html = posting.description_html
    assert html.startswith("<h3>Company Description</h3><p>It all started when engineer Fred Luddy")
    headings = ["Company Description", "Job Description", "Qualifications", "Additional Information"]
    positions = [html.index(f"<h3>{h}</h3>") for h in headings]
    assert positions == sorted(positions)
    assert "<h3>Qualifications</h3><p><strong>To be successful in this role" in html
    assert posting.raw["detail"]["jobAd"]["sections"]["jobDescription"]["title"] == "Job Description"
    assert spider.complete


def test_smartrecruiters_list_item_alone_builds_the_public_url() -> None:
    spider = make_spider(SmartRecruitersSpider, SR_URL)
    third = crawl(spider, fixture(SR_LIST))[2]
    (posting,) = detail(spider, third, "bad gateway", status=502)
    assert posting.url == "https://jobs.smartrecruiters.com/ServiceNow/744000138421279"
    assert posting.apply_url is None
    assert posting.location == "Austin, TEXAS, United States"
    assert posting.remote is True
    assert posting.tags == ["Marketing"]


def test_smartrecruiters_failed_detail_keeps_the_posting_and_fails_the_crawl() -> None:
    spider = make_spider(SmartRecruitersSpider, SR_URL)
    requests = crawl(spider, fixture(SR_LIST))
    (failed,) = detail(spider, requests[0], '{"message": "oops"}', status=500)
    assert failed.external_id == "744000138497339" and failed.description_html == ""
    assert not spider.complete and spider.error_kind == "http_500" and spider.http_status == 500
    assert "744000138497339" in spider.seen_ids


def test_smartrecruiters_pages_through_two_pages() -> None:
    data = fixture_json(SR_LIST)
    page1 = {"offset": 0, "limit": 2, "totalFound": 3, "content": data["content"][:2]}
    page2 = {"offset": 2, "limit": 2, "totalFound": 3, "content": data["content"][2:]}
    first_url = "https://api.smartrecruiters.com/v1/companies/ServiceNow/postings?limit=2&offset=0"
    spider = make_spider(SmartRecruitersSpider, first_url)
    out1 = crawl(spider, json.dumps(page1))
    assert len(out1) == 3
    following = out1[-1]
    assert following.callback == spider.parse
    assert following.url == "https://api.smartrecruiters.com/v1/companies/ServiceNow/postings?limit=2&offset=2"
    assert not spider.complete
    out2 = crawl(spider, json.dumps(page2), url=following.url)
    assert [r.url.rsplit("/", 1)[1] for r in out1[:2] + out2] == [e["id"] for e in data["content"]]
    assert spider.complete and spider.pages == 2


def test_smartrecruiters_empty_page_before_the_total_is_an_error() -> None:
    spider = make_spider(SmartRecruitersSpider, SR_URL)
    crawl(spider, json.dumps({"offset": 100, "limit": 100, "totalFound": 250, "content": []}))
    assert spider.error_kind == "parse_error" and not spider.complete


def test_smartrecruiters_detail_urls_stay_on_a_loopback_server() -> None:
    loopback = "http://127.0.0.1:8765/v1/companies/ServiceNow/postings?limit=100&offset=0"
    spider = make_spider(SmartRecruitersSpider, loopback)
    data = fixture_json(SR_LIST)
    del data["content"][2]["ref"]
    urls = [r.url for r in crawl(spider, json.dumps(data))]
    assert urls == [
        "http://127.0.0.1:8765/v1/companies/ServiceNow/postings/744000138497339",
        "http://127.0.0.1:8765/v1/companies/ServiceNow/postings/744000138494569",
        "http://127.0.0.1:8765/v1/companies/ServiceNow/postings/744000138421279",
    ]


def test_smartrecruiters_nulls_where_objects_should_be() -> None:
    data = fixture_json(SR_LIST)
    data["content"][0].update(location=None, company=None, typeOfEmployment=None, function=None, experienceLevel=None)
    spider = make_spider(SmartRecruitersSpider, SR_URL, "Service Now")
    request = crawl(spider, json.dumps(data))[0]
    body = fixture_json(SR_DETAIL)
    body["jobAd"] = None
    (posting,) = detail(spider, request, json.dumps(body))
    assert (posting.company, posting.location, posting.remote) == ("Service Now", None, None)
    assert (posting.employment_type, posting.seniority, posting.tags) == (None, None, [])
    assert posting.description_html == ""
    assert posting.url == body["postingUrl"]
    assert spider.error_kind is None
    # Without its detail, the public URL takes the company identifier from the feed URL.
    (alone,) = detail(spider, request, "", status=503)
    assert alone.url == "https://jobs.smartrecruiters.com/ServiceNow/744000138497339"


def test_smartrecruiters_one_malformed_posting_keeps_the_others() -> None:
    data = fixture_json(SR_LIST)
    del data["content"][1]["name"]
    spider = make_spider(SmartRecruitersSpider, SR_URL)
    found = [p for r in crawl(spider, json.dumps(data)) for p in detail(spider, r, fixture(SR_DETAIL))]
    assert [p.external_id for p in found] == ["744000138497339", "744000138421279"]
    assert spider.error_kind == "item_errors" and spider.unreadable_items == 1 and not spider.complete


# --- Recruitee -----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("path", "count"), [(RECRUITEE_ACME, 2), (RECRUITEE_CHANNABLE, 2)])
def test_recruitee_every_capture_yields_every_offer(path: str, count: int) -> None:
    spider = make_spider(RecruiteeSpider, RECRUITEE_URL)
    found = postings(crawl(spider, fixture(path)))
    assert len(found) == count and len({p.external_id for p in found}) == count
    assert spider.complete and spider.error_kind is None


def test_recruitee_maps_every_field() -> None:
    first = postings(crawl(make_spider(RecruiteeSpider, RECRUITEE_URL, "Source"), fixture(RECRUITEE_ACME)))[0]
    assert first.external_id == "2700825"
    assert first.title == "(Senior) Financial Accountant (f/m/d) - Berlin/Brandenburg Region, Germany"
    assert first.company == "Acme"
    assert first.location == "Berlin, Berlin, Germany"
    assert first.remote == "hybrid"
    assert first.date_posted == "2026-08-05 10:10:39 UTC"
    assert first.url == "https://jobs.acme.com/o/senior-financial-accountant-fmd-berlinbrandenburg-region-germany"
    assert first.apply_url == first.url + "/c/new"
    assert (first.salary_min, first.salary_max, first.salary_currency, first.salary_period) == (
        60000.0,
        75000.0,
        "EUR",
        "year",
    )
    assert first.salary_text is None
    # "fulltime_permanent"
    assert first.employment_type == "Full-time"
    assert first.seniority == "experienced"
    assert first.valid_through is None
    assert first.tags == ["Finance"]
    # Description, then requirements.
    description = first.description_html
    assert description.startswith("<p><strong>How you will make an impact</strong></p>")
    assert (
        "Financial Controlling team members for monthly reporting and ad-hoc financial projects.</p></li></ul>\n"
        in (description)
    )
    assert "<p><strong>What we expect from you</strong></p><ul><li><p>5+ years of relevant" in description


def test_recruitee_channable_monthly_salary_and_fixed_term() -> None:
    first = postings(crawl(make_spider(RecruiteeSpider, RECRUITEE_URL), fixture(RECRUITEE_CHANNABLE)))[0]
    assert (first.salary_min, first.salary_max, first.salary_period) == (5253.0, 6152.0, "month")
    # "fulltime_fixed_term": the hours are the employment type.
    assert first.employment_type == "Full-time"
    assert first.seniority is None
    assert first.description_html.startswith('<p><span style="color:#000000">You are the core driver')


@pytest.mark.parametrize(("low", "high"), [("0", "0"), ("", ""), (None, None), ("0", None)])
def test_recruitee_zero_or_empty_salary_is_no_salary(low: Any, high: Any) -> None:
    data = fixture_json(RECRUITEE_CHANNABLE)
    data["offers"][0]["salary"].update(min=low, max=high)
    posting = postings(crawl(make_spider(RecruiteeSpider, RECRUITEE_URL), json.dumps(data)))[0]
    assert (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_period) == (None,) * 4


def test_recruitee_one_sided_salary_keeps_its_currency() -> None:
    data = fixture_json(RECRUITEE_CHANNABLE)
    data["offers"][0]["salary"].update(min="0", max="4000")
    posting = postings(crawl(make_spider(RecruiteeSpider, RECRUITEE_URL), json.dumps(data)))[0]
    assert (posting.salary_min, posting.salary_max, posting.salary_currency) == (None, 4000.0, "EUR")


@pytest.mark.parametrize(
    ("remote", "hybrid", "on_site", "expected"),
    [
        (True, False, False, "remote"),
        (False, True, False, "hybrid"),
        (False, False, True, "onsite"),
        (True, True, False, "hybrid"),
        (False, False, False, None),
        (None, None, None, None),
    ],
)
def test_recruitee_workplace_flags(remote: Any, hybrid: Any, on_site: Any, expected: str | None) -> None:
    data = fixture_json(RECRUITEE_CHANNABLE)
    data["offers"][0].update(remote=remote, hybrid=hybrid, on_site=on_site)
    assert postings(crawl(make_spider(RecruiteeSpider, RECRUITEE_URL), json.dumps(data)))[0].remote == expected


def test_recruitee_close_at_and_nulls() -> None:
    data = fixture_json(RECRUITEE_ACME)
    data["offers"][0].update(close_at="2026-09-30 21:59:59 UTC", salary=None, location=None, requirements=None)
    data["offers"][0].update(description=None, experience_code=None, employment_type_code=None, company_name=None)
    spider = make_spider(RecruiteeSpider, RECRUITEE_URL, "Acme Source")
    posting = postings(crawl(spider, json.dumps(data)))[0]
    assert posting.valid_through == "2026-09-30 21:59:59 UTC"
    assert (posting.salary_min, posting.salary_currency, posting.description_html) == (None, None, "")
    assert posting.location == "Berlin, Germany"
    assert (posting.seniority, posting.employment_type, posting.company) == (None, None, "Acme Source")
    assert spider.error_kind is None


def test_recruitee_other_employment_codes_read_as_they_are() -> None:
    data = fixture_json(RECRUITEE_CHANNABLE)
    data["offers"][0]["employment_type_code"] = "freelance"
    data["offers"][1]["employment_type_code"] = "parttime_permanent"
    found = postings(crawl(make_spider(RecruiteeSpider, RECRUITEE_URL), json.dumps(data)))
    assert [p.employment_type for p in found] == ["freelance", "Part-time"]


def test_recruitee_one_malformed_offer_keeps_the_others() -> None:
    data = fixture_json(RECRUITEE_ACME)
    data["offers"].insert(1, {**data["offers"][0], "id": 1})
    del data["offers"][1]["careers_url"]
    spider = make_spider(RecruiteeSpider, RECRUITEE_URL)
    found = postings(crawl(spider, json.dumps(data)))
    assert [p.external_id for p in found] == ["2700825", "2697184"]
    assert spider.error_kind == "item_errors" and spider.unreadable_items == 1 and not spider.complete


# --- Personio ------------------------------------------------------------------------------------------------------


def test_personio_maps_every_field() -> None:
    spider = make_spider(PersonioSpider, PERSONIO_URL, "Personio")
    (posting,) = postings(crawl(spider, fixture(PERSONIO_XML)))
    assert posting.external_id == "1834171"
    assert posting.title == "Staff Software Engineer, Data Platform"
    assert posting.company == "Personio SE & Co. KG"
    assert posting.location == "Munich; Berlin"
    # No remote flag in the feed: the classifier reads the location.
    assert posting.remote is None
    assert posting.date_posted == "2024-11-13T14:10:41+00:00"
    assert posting.url == "https://personio.jobs.personio.de/job/1834171"
    assert posting.apply_url is None
    assert (posting.salary_min, posting.salary_max, posting.salary_currency, posting.salary_period) == (None,) * 4
    assert posting.salary_text is None
    # employmentType "permanent", schedule "full-time".
    assert posting.employment_type == "full-time"
    assert posting.seniority == "experienced"
    assert posting.valid_through is None
    assert posting.tags == ["Product and Tech", "Engineering"]
    # <jobDescriptions></jobDescriptions> as served: an empty description, not a failure.
    assert posting.description_html == ""
    assert posting.raw["yearsOfExperience"] == "7-10"
    assert spider.complete and spider.error_kind is None


def test_personio_job_url_uses_the_feed_subdomain_or_the_source_name() -> None:
    body = fixture(PERSONIO_XML)
    on_personio = make_spider(PersonioSpider, "https://acme-gmbh.jobs.personio.com/xml?language=en", "Whatever")
    assert postings(crawl(on_personio, body))[0].url == "https://acme-gmbh.jobs.personio.com/job/1834171"
    loopback = make_spider(PersonioSpider, "http://127.0.0.1:8765/xml", "Acme Labs")
    assert postings(crawl(loopback, body))[0].url == "https://acmelabs.jobs.personio.de/job/1834171"


def test_personio_job_descriptions_become_headed_sections() -> None:
    body = fixture(PERSONIO_XML).replace(
        b"<jobDescriptions></jobDescriptions>",
        b"<jobDescriptions>\n\n<jobDescription><name>Your mission &amp; team</name>"
        b"<value><![CDATA[<p>Build the <b>data</b> platform.</p>]]></value></jobDescription>\n"
        b"<jobDescription><name>Your profile</name><value><![CDATA[<ul><li>Kafka</li></ul>]]></value>"
        b"</jobDescription><jobDescription><name>Empty</name><value></value></jobDescription></jobDescriptions>",
    )
    posting = postings(crawl(make_spider(PersonioSpider, PERSONIO_URL), body))[0]
    assert posting.description_html == (
        "<h3>Your mission &amp; team</h3><p>Build the <b>data</b> platform.</p>\n"
        "<h3>Your profile</h3><ul><li>Kafka</li></ul>"
    )


def test_personio_contract_types_other_than_permanent_win_over_the_schedule() -> None:
    body = fixture(PERSONIO_XML).replace(b"<employmentType>permanent<", b"<employmentType>intern<")
    assert postings(crawl(make_spider(PersonioSpider, PERSONIO_URL), body))[0].employment_type == "intern"


def test_personio_empty_elements_fall_back() -> None:
    body = (
        fixture(PERSONIO_XML)
        .replace(b"<subcompany>Personio SE &amp; Co. KG</subcompany>", b"<subcompany/>")
        .replace(b"<office>Berlin</office>", b"<office>Munich</office><office>Remote</office>")
        .replace(b"<seniority>experienced</seniority>", b"<seniority></seniority>")
    )
    posting = postings(crawl(make_spider(PersonioSpider, PERSONIO_URL, "Personio"), body))[0]
    assert posting.company == "Personio"
    assert posting.location == "Munich; Remote"
    assert posting.seniority is None


def test_personio_one_position_without_an_id_keeps_the_others() -> None:
    xml = fixture(PERSONIO_XML).decode()
    position = xml[xml.index("<position>") : xml.index("</position>") + len("</position>")]
    broken = position.replace("<id>1834171</id>", "<id></id>")
    second = position.replace("<id>1834171</id>", "<id>42</id>")
    body = xml.replace(position, f"{position}\n\n{broken}\n\n{second}")
    spider = make_spider(PersonioSpider, PERSONIO_URL)
    assert [p.external_id for p in postings(crawl(spider, body))] == ["1834171", "42"]
    assert spider.error_kind == "item_errors" and spider.unreadable_items == 1 and not spider.complete


def test_personio_does_not_expand_entities() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY ext SYSTEM "file:///etc/passwd">]><workzag-jobs><position><id>1</id><name>&b;&ext;</name>'
        b"</position></workzag-jobs>"
    )
    for posting in postings(crawl(make_spider(PersonioSpider, PERSONIO_URL), bomb)):
        assert "root:" not in posting.title and "aaaaaaaaaa" not in posting.title


# --- Every format --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("spider_cls", "url", "body"),
    [
        (AshbySpider, ASHBY_URL, b"[]"),
        (AshbySpider, ASHBY_URL, b'{"apiVersion": "1", "jobs": null}'),
        (AshbySpider, ASHBY_URL, b"<html>Not found</html>"),
        (WorkableSpider, WORKABLE_URL, b'{"total": 0}'),
        (WorkableSpider, WORKABLE_URL, b'{"results": {"id": 1}}'),
        (WorkableSpider, WORKABLE_URL, b"null"),
        (SmartRecruitersSpider, SR_URL, b'{"offset": 0, "limit": 100, "totalFound": 0}'),
        (SmartRecruitersSpider, SR_URL, b'{"message": "Company not found", "code": "NOT_FOUND"}'),
        (SmartRecruitersSpider, SR_URL, b"[]"),
        (RecruiteeSpider, RECRUITEE_URL, b'{"error": "Not found"}'),
        (RecruiteeSpider, RECRUITEE_URL, b'{"offers": null}'),
        (RecruiteeSpider, RECRUITEE_URL, b"{"),
        (PersonioSpider, PERSONIO_URL, b"<rss><channel></channel></rss>"),
        (PersonioSpider, PERSONIO_URL, b"<workzag-jobs><position>"),
        (PersonioSpider, PERSONIO_URL, b'{"positions": []}'),
    ],
)
def test_wrong_shape_is_a_parse_error(spider_cls: type[FeedSpider], url: str, body: bytes) -> None:
    spider = make_spider(spider_cls, url)
    assert crawl(spider, body) == []
    assert spider.error_kind == "parse_error"
    assert not spider.complete


@pytest.mark.parametrize(
    ("spider_cls", "url", "body"),
    [
        (AshbySpider, ASHBY_URL, b'{"apiVersion": "1", "jobs": []}'),
        (WorkableSpider, WORKABLE_URL, b'{"total": 0, "results": []}'),
        (SmartRecruitersSpider, SR_URL, b'{"offset": 0, "limit": 100, "totalFound": 0, "content": []}'),
        (RecruiteeSpider, RECRUITEE_URL, b'{"offers": []}'),
        (PersonioSpider, PERSONIO_URL, b'<?xml version="1.0" encoding="UTF-8"?>\n\n<workzag-jobs>\n\n</workzag-jobs>'),
    ],
)
def test_an_empty_board_is_a_complete_crawl(spider_cls: type[FeedSpider], url: str, body: bytes) -> None:
    spider = make_spider(spider_cls, url)
    assert crawl(spider, body) == []
    assert spider.complete and spider.error_kind is None


@pytest.mark.parametrize(
    ("spider_cls", "url", "body"),
    [
        (AshbySpider, ASHBY_URL, b'{"jobs": [null, 3]}'),
        (WorkableSpider, WORKABLE_URL, b'{"results": [null, "x"]}'),
        (SmartRecruitersSpider, SR_URL, b'{"offset": 0, "limit": 100, "totalFound": 2, "content": [null, 7]}'),
        (RecruiteeSpider, RECRUITEE_URL, b'{"offers": [null, []]}'),
    ],
)
def test_items_that_are_not_objects_are_item_errors(spider_cls: type[FeedSpider], url: str, body: bytes) -> None:
    spider = make_spider(spider_cls, url)
    assert crawl(spider, body) == []
    assert spider.error_kind == "item_errors" and spider.unreadable_items == 2
