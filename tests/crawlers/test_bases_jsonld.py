"""The schema.org JobPosting base: a real Indeed page, a hand-made microdata page, and made-up listings, sitemaps and
hostile blocks, fed as Scrapy responses request by request (no network)."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, TextResponse, XmlResponse

from crawlers.bases.jsonld import (
    MAX_LISTING_LINKS,
    MAX_SITEMAP_URLS,
    JsonLdSpider,
    PageLink,
    looks_like_job_url,
)
from crawlers.items import FeedPosting
from crawlers.parsers.jsonld import page_jobs, parse_html
from tests.conftest import FIXTURES

INDEED = "jsonld/indeed_au_viewjob_senior_devops_papercut_2026-08.html"
INDEED_URL = "https://au.indeed.com/viewjob?jk=54f1f8af68d722d2&from=serp&vjs=3"
MICRODATA = "jsonld/microdata_made_for_tests.html"
SITE = "https://careers.example.com"


def spider(feed_url: str) -> JsonLdSpider:
    return JsonLdSpider(source_id=1, source_key="site", source_name="Example Board", feed_url=feed_url)


def respond(url: str, body: bytes | str, status: int = 200, cls: type[TextResponse] = HtmlResponse) -> TextResponse:
    if isinstance(body, str):
        body = body.encode()
    return cls(url=url, body=body, status=status, encoding="utf-8", request=Request(url))


def run(feed_url: str, body: bytes | str, cls: type[TextResponse] = HtmlResponse) -> tuple[JsonLdSpider, list[Any]]:
    site = spider(feed_url)
    return site, list(site.parse(respond(feed_url, body, cls=cls)))


def follow(request: Request, body: bytes | str, status: int = 200, cls: type[TextResponse] = HtmlResponse) -> list[Any]:
    return list(request.callback(respond(request.url, body, status, cls), **request.cb_kwargs))


def page(*blocks: str, extra: str = "") -> str:
    """A made-up HTML page holding the given ld+json blocks."""
    scripts = "".join(f'<script type="application/ld+json">{block}</script>' for block in blocks)
    return f"<!DOCTYPE html><html><head><title>t</title>{scripts}</head><body>{extra}</body></html>"


def job(**fields: Any) -> dict[str, Any]:
    return {"@context": "https://schema.org", "@type": "JobPosting", "title": "Backend Developer", **fields}


def postings(out: list[Any]) -> list[FeedPosting]:
    return [o for o in out if isinstance(o, FeedPosting)]


def requests(out: list[Any]) -> list[Request]:
    return [o for o in out if isinstance(o, Request)]


# -- real page ----------------------------------------------------------------------------------------------------


def test_indeed_page_every_field() -> None:
    site, out = run(INDEED_URL, (FIXTURES / INDEED).read_bytes())
    assert site.complete and site.error_kind is None
    [p] = out
    assert p.title == "Senior DevOps Engineer"
    assert p.company == "PaperCut Software"
    assert p.company_url == "https://au.indeed.com/cmp/Papercut-Software"
    # No identifier on the page: the canonical URL (without the tracking parameters) is the id and the URL.
    assert p.external_id == "https://au.indeed.com/viewjob?jk=54f1f8af68d722d2"
    assert p.url == "https://au.indeed.com/viewjob?jk=54f1f8af68d722d2"
    assert p.location == "Camberwell, VIC, AU"
    assert p.remote is None and p.remote_regions == []
    assert p.date_posted == "2026-08-06T07:39:35.941Z"
    assert p.valid_through == "2026-12-12T09:37:46.463Z"
    assert p.employment_type == "FULL_TIME"
    assert (p.salary_min, p.salary_max, p.salary_currency, p.salary_period, p.salary_text) == (
        130000.0,
        160000.0,
        "AUD",
        "year",
        None,
    )
    assert p.apply_url is None and p.tags == [] and p.seniority is None
    # The block is JS-escaped (\u003C, \u002F) inside the script tag; JSON decoding gives the HTML back.
    assert p.description_html.startswith("<div>\n <b>Company Description</b>\n <p><br>\n   At PaperCut, we believe")
    assert "\\u003C" not in p.description_html and "</b>" in p.description_html
    assert p.raw["@context"] == "http://schema.org" and p.raw["directApply"] is True


def test_microdata_page_every_field() -> None:
    url = "https://jobs.example.com/careers/jobs/4711-senior-backend-engineer?ref=list"
    site, out = run(url, (FIXTURES / MICRODATA).read_bytes())
    assert site.complete
    [p] = out  # the BreadcrumbList item on the page is not a posting
    assert p.external_id == "EF-4711"  # identifier.value wins over the canonical URL
    assert p.url == "https://jobs.example.com/careers/jobs/4711-senior-backend-engineer"
    assert p.title == "Senior Backend Engineer (Python)"
    assert p.company == "Example Freight GmbH"
    assert p.company_url == "https://www.example.com/"
    assert p.location == "Hamburg, HH, DE"
    assert p.date_posted == "2026-04-02"
    assert p.valid_through == "2026-06-30T23:59:59+02:00"
    assert p.employment_type == "FULL_TIME, CONTRACTOR"
    assert (p.salary_min, p.salary_max, p.salary_currency, p.salary_period) == (65000.0, 80000.0, "EUR", "year")
    assert p.description_html.startswith("<p>We move containers &amp; data. You will own our <strong>Python</strong>")
    assert "&lt;or equivalent&gt;</li>" in p.description_html
    assert p.raw["hiringOrganization"]["logo"] == "https://jobs.example.com/logo.png"  # resolved against <base>


# -- JSON-LD variants ---------------------------------------------------------------------------------------------


def test_several_blocks_graph_type_lists_and_a_broken_block() -> None:
    website = {"@context": "https://schema.org", "@type": "WebSite", "url": SITE}
    graph = {
        "@context": "http://schema.org/",
        "@graph": [
            {"@type": "Organization", "@id": "#org", "name": "Graph Co", "sameAs": ["not a url", "https://graph.co"]},
            {
                "@type": ["JobPosting", "Thing"],
                "title": "Platform Engineer",
                "identifier": {"@type": "PropertyValue", "name": "Graph Co", "value": 991},
                "hiringOrganization": {"@id": "#org"},
                "jobLocation": [
                    {"@type": "Place", "address": {"addressLocality": "Oslo", "addressCountry": {"name": "NO"}}},
                    {"@type": "Place", "address": "Bergen, Norway"},
                ],
            },
        ],
    }
    listed = [job(title="Go Developer", identifier="go-1"), {"@type": "Person", "name": "x"}]
    body = page(
        json.dumps(website), json.dumps(graph), '{"@type": "JobPosting", "title": "broken",', json.dumps(listed)
    )
    site, out = run(f"{SITE}/jobs/2", body)
    assert [(p.external_id, p.title) for p in out] == [("991", "Platform Engineer"), ("go-1", "Go Developer")]
    assert (out[0].company, out[0].company_url) == ("Graph Co", "https://graph.co")
    assert out[0].location == "Oslo, NO; Bergen, Norway"
    assert out[1].company == "Example Board"
    assert site.complete
    found = page_jobs(parse_html(body), f"{SITE}/jobs/2")
    assert (len(found.jobs), found.bad_blocks, found.source) == (2, 1, "json-ld")


def test_several_postings_without_identifiers_get_distinct_ids() -> None:
    body = page(json.dumps([job(title="A"), job(title="B"), job(title="C")]))
    _, out = run(f"{SITE}/jobs/team-page", body)
    assert [p.external_id for p in out] == [
        f"{SITE}/jobs/team-page",
        f"{SITE}/jobs/team-page#2",
        f"{SITE}/jobs/team-page#3",
    ]
    assert {p.url for p in out} == {f"{SITE}/jobs/team-page"}


def test_remote_regions_salary_units_and_escaped_descriptions() -> None:
    posting = job(
        jobLocationType="TELECOMMUTE",
        applicantLocationRequirements=[
            {"@type": "Country", "name": "Germany"},
            {"@type": "AdministrativeArea", "name": "European Union"},
        ],
        employmentType="CONTRACTOR",
        baseSalary={"@type": "MonetaryAmount", "currency": "eur", "value": "85", "unitText": "HOUR"},
        description="&lt;p&gt;Escaped once more &amp;amp; by the site&lt;/p&gt;",
        datePosted="2026-03-01",
    )
    _, [p] = run(f"{SITE}/jobs/77", page(json.dumps(posting)))
    assert p.remote == "remote"
    assert p.remote_regions == ["Germany", "European Union"]
    assert p.employment_type == "CONTRACTOR"
    assert (p.salary_min, p.salary_max, p.salary_currency, p.salary_period) == (85.0, 85.0, "EUR", "hour")
    # Undone exactly once: tags become tags, and the text's own "&amp;" stays an entity.
    assert p.description_html == "<p>Escaped once more &amp; by the site</p>"
    weekly = job(
        baseSalary={"currency": "USD", "value": {"@type": "QuantitativeValue", "value": 1500, "unitText": "WEEK"}}
    )
    _, [w] = run(f"{SITE}/jobs/78", page(json.dumps(weekly)))
    assert (w.salary_min, w.salary_max, w.salary_period) == (1500.0, 1500.0, "week")
    vague = job(baseSalary={"currency": "USD", "value": "Competitive"})
    _, [v] = run(f"{SITE}/jobs/79", page(json.dumps(vague)))
    assert (v.salary_min, v.salary_text) == (None, "Competitive")


def test_nulls_everywhere_still_make_a_posting() -> None:
    nulls = job(
        description=None,
        hiringOrganization=None,
        jobLocation=None,
        baseSalary=None,
        employmentType=None,
        datePosted=None,
        validThrough=None,
        identifier=None,
        jobLocationType=None,
        applicantLocationRequirements=None,
    )
    site, [p] = run(f"{SITE}/jobs/5", page("null", json.dumps(nulls), '[null, 1, "x"]'))
    assert (p.title, p.company, p.external_id, p.description_html) == (
        "Backend Developer",
        "Example Board",
        f"{SITE}/jobs/5",
        "",
    )
    assert (p.location, p.remote, p.date_posted, p.valid_through, p.employment_type, p.salary_min) == (None,) * 6
    assert site.complete


def test_a_posting_without_a_title_is_an_unreadable_item() -> None:
    site, out = run(f"{SITE}/jobs/6", page(json.dumps([job(title=None), job(title="Kept", identifier="k")])))
    assert [p.title for p in out] == ["Kept"]
    assert (site.complete, site.error_kind, site.unreadable_items) == (False, "item_errors", 1)


def test_enormous_and_deeply_nested_blocks_are_skipped() -> None:
    enormous = json.dumps(job(title="Huge", description="x" * 2_100_000))
    deep_for_the_parser = '{"a":' * 100_000 + "1" + "}" * 100_000
    deep_for_the_walk = json.dumps(job(title="Deep", extra=json.loads("[" * 200 + "]" * 200)))
    fine = json.dumps(job(title="Fine", identifier="ok"))
    body = page(enormous, deep_for_the_parser, deep_for_the_walk, fine)
    site, out = run(f"{SITE}/jobs/7", body)
    assert [p.title for p in out] == ["Fine"]
    assert site.complete
    assert page_jobs(parse_html(body), f"{SITE}/jobs/7").bad_blocks == 3


# -- listings -----------------------------------------------------------------------------------------------------

LISTING = f"""<!DOCTYPE html><html><head><title>Jobs</title></head><body>
<a href="/jobs">All jobs</a>
<a href="/jobs/search?q=go">Search</a>
<a href="/jobs/123-backend-engineer#apply">Backend</a>
<a href="{SITE}/jobs/123-backend-engineer">Backend again</a>
<a href="https://www.careers.example.com/careers/platform/sre-berlin">SRE</a>
<a href="https://evil.example.net/jobs/999-phish">Elsewhere</a>
<a href="/job-4567.html">Old style</a>
<a href="/about">About</a>
<a href="/careers/tags/go">Tag page</a>
<a href="mailto:jobs@example.com">Mail</a>
<a href="javascript:void(0)">JS</a>
</body></html>"""


def test_listing_follows_same_host_job_links_once() -> None:
    site, out = run(f"{SITE}/jobs", LISTING)
    assert postings(out) == []
    assert [r.url for r in requests(out)] == [
        f"{SITE}/jobs/123-backend-engineer",
        "https://www.careers.example.com/careers/platform/sre-berlin",
        f"{SITE}/job-4567.html",
    ]
    # The listing itself was read; the crawl is complete once its details answer (failures would set error_kind).
    assert site.complete and site.pages == 1


def test_listing_details_give_postings_and_empty_pages_are_skipped() -> None:
    site, out = run(f"{SITE}/jobs", LISTING)
    backend, sre, old = requests(out)
    [p] = follow(backend, (FIXTURES / INDEED).read_bytes())
    assert p.title == "Senior DevOps Engineer"
    assert follow(sre, "<html><body><p>This job is closed.</p></body></html>") == []
    assert follow(old, b"%PDF-1.4 binary", cls=TextResponse) == []
    assert site.complete and site.error_kind is None and site.seen_ids == {p.external_id}


def test_a_failed_detail_leaves_the_crawl_incomplete() -> None:
    site, out = run(f"{SITE}/jobs", LISTING)
    assert follow(requests(out)[0], "gone", status=404) == []
    assert (site.complete, site.error_kind) == (False, "http_404")


def test_a_listing_without_job_links_is_complete_and_empty() -> None:
    site, out = run(f"{SITE}/", "<html><body><a href='/about'>About</a><a href='/jobs'>Jobs</a></body></html>")
    assert out == []
    assert site.complete and site.error_kind is None


def test_listing_links_are_capped() -> None:
    anchors = "".join(f'<a href="/jobs/{n}-role">r</a>' for n in range(MAX_LISTING_LINKS + 1))
    site, out = run(f"{SITE}/jobs", f"<html><body>{anchors}</body></html>")
    assert len(requests(out)) == MAX_LISTING_LINKS
    assert (site.complete, site.error_kind) == (False, "too_many_links")


@pytest.mark.parametrize(
    ("url", "job_page"),
    [
        (f"{SITE}/jobs/1234-backend", True),
        (f"{SITE}/careers/engineering/backend-dev", True),
        (f"{SITE}/en/positions/42", True),
        (f"{SITE}/job-1234.html", True),
        ("https://au.indeed.com/viewjob?jk=54f1f8af68d722d2", True),
        ("https://boards.example.com/acme?gh_jid=4242", True),
        (f"{SITE}/jobs", False),
        (f"{SITE}/jobs/", False),
        (f"{SITE}/jobs/search", False),
        (f"{SITE}/careers/tags/go", False),
        (f"{SITE}/jobs?page=2", False),
        (f"{SITE}/blog/how-we-hire", False),
        (f"{SITE}/jobsite-terms", False),
    ],
)
def test_job_link_heuristic(url: str, job_page: bool) -> None:
    assert looks_like_job_url(url) is job_page


# -- sitemaps -----------------------------------------------------------------------------------------------------


def urlset(*locs: str) -> str:
    entries = "".join(f"<url><loc>{loc}</loc><lastmod>2026-05-01</lastmod></url>" for loc in locs)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'


def test_sitemap_pages_on_the_same_host_are_followed() -> None:
    body = urlset(f"{SITE}/jobs/1", "https://other.example.org/jobs/2", f"{SITE}/jobs/1", "ftp://x/y", f"{SITE}/about")
    site, out = run(f"{SITE}/sitemap.xml", body, cls=XmlResponse)
    assert [(r.url, r.cb_kwargs["entry"]) for r in requests(out)] == [
        (f"{SITE}/jobs/1", PageLink(f"{SITE}/jobs/1")),
        (f"{SITE}/about", PageLink(f"{SITE}/about")),  # every page of a sitemap is read, not only job-looking ones
    ]
    [p] = follow(requests(out)[0], page(json.dumps(job(identifier="j1"))))
    assert p.external_id == "j1" and p.url == f"{SITE}/jobs/1"
    assert follow(requests(out)[1], "<html><body>About us</body></html>") == []
    assert site.complete


def test_sitemap_index_follows_child_sitemaps_plain_and_gzipped() -> None:
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{SITE}/sitemap-jobs.xml</loc></sitemap>"
        f"<sitemap><loc>{SITE}/sitemap-old.xml.gz</loc></sitemap>"
        "<sitemap><loc>https://cdn.example.net/sitemap-foreign.xml</loc></sitemap>"
        "</sitemapindex>"
    )
    site, out = run(f"{SITE}/sitemap_index.xml", index, cls=XmlResponse)
    plain, zipped = requests(out)
    assert (plain.url, zipped.url) == (f"{SITE}/sitemap-jobs.xml", f"{SITE}/sitemap-old.xml.gz")
    assert plain.cb_kwargs["entry"].sitemap and zipped.cb_kwargs["entry"].sitemap
    from_plain = follow(plain, urlset(f"{SITE}/jobs/1", f"{SITE}/jobs/2"), cls=XmlResponse)
    from_zipped = list(
        zipped.callback(
            TextResponse(url=zipped.url, body=gzip.compress(urlset(f"{SITE}/jobs/2", f"{SITE}/jobs/3").encode())),
            **zipped.cb_kwargs,
        )
    )
    # /jobs/2 is in both child sitemaps and is fetched once.
    assert [r.url for r in from_plain + from_zipped] == [f"{SITE}/jobs/1", f"{SITE}/jobs/2", f"{SITE}/jobs/3"]
    assert not any(r.cb_kwargs["entry"].sitemap for r in from_plain + from_zipped)
    assert site.complete


def test_a_broken_child_sitemap_fails_the_crawl() -> None:
    index = f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>{SITE}/s1.xml</loc></sitemap></sitemapindex>'
    site, out = run(f"{SITE}/sitemap.xml", index, cls=XmlResponse)
    assert follow(requests(out)[0], "<urlset><url><loc>", cls=XmlResponse) == []
    assert (site.complete, site.error_kind) == (False, "parse_error")


def test_sitemap_urls_are_capped() -> None:
    body = urlset(*(f"{SITE}/jobs/{n}" for n in range(MAX_SITEMAP_URLS + 1)))
    site, out = run(f"{SITE}/sitemap.xml", body, cls=XmlResponse)
    assert len(requests(out)) == MAX_SITEMAP_URLS
    assert (site.complete, site.error_kind) == (False, "too_many_links")


def test_sitemap_entities_are_not_expanded() -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY ext SYSTEM "file:///etc/passwd">'
        '<!ENTITY host "https://evil.example.net">]>'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{SITE}/jobs/&b;</loc></url><url><loc>&ext;</loc></url><url><loc>&host;/jobs/1</loc></url>"
        f"<url><loc>{SITE}/jobs/plain</loc></url></urlset>"
    )
    site, out = run(f"{SITE}/sitemap.xml", bomb, cls=XmlResponse)
    # Locations holding entity references are dropped whole, not followed half-read or expanded.
    assert [r.url for r in requests(out)] == [f"{SITE}/jobs/plain"]
    assert site.complete


# -- wrong shapes -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b'{"jobs": []}',
        b"[1, 2]",
        b"maintenance, back soon",
        b'<?xml version="1.0"?><rss version="2.0"><channel></channel></rss>',
        b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>',
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>',
    ],
)
def test_wrong_shapes_fail_the_crawl(body: bytes) -> None:
    site, out = run(f"{SITE}/feed", body, cls=TextResponse)
    assert out == []
    assert (site.complete, site.error_kind) == (False, "parse_error")
