"""Every feed format end to end: its real capture on a loopback HTTP server, crawled by its spider in a fresh process
through the real pipelines into a real store of each backend, twice (the second crawl changes nothing)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from config.settings import Settings
from crawlers.run import spawn_batch
from jobsift.demo.server import FeedServer, Route
from store.db import Database
from store.models import CrawlRun, Posting
from store.queries.sources import upsert_source
from tests.conftest import FIXTURES


def capture(path: str) -> bytes:
    return (FIXTURES / path).read_bytes()


def smartrecruiters_routes() -> dict[str, Route]:
    listing = json.loads(capture("smartrecruiters/servicenow_postings_list_trimmed_by_committer.json"))
    detail = json.loads(capture("smartrecruiters/servicenow_posting_detail_trimmed_by_committer.json"))
    routes = {"/v1/companies/ServiceNow/postings": Route(json.dumps(listing).encode())}
    for item in listing["content"]:
        # One real detail capture exists; the other two list items get it re-keyed to their own id.
        routes[f"/v1/companies/ServiceNow/postings/{item['id']}"] = Route(
            json.dumps({**detail, "id": item["id"]}).encode()
        )
    return routes


def workable_routes() -> dict[str, Route]:
    listing = json.loads(capture("workable/apply_workable_api_v3_jobs_trimmed_by_committer.json"))
    routes = {"/api/v3/accounts/acme/jobs": Route(json.dumps(listing).encode())}
    for item in listing["results"]:
        # No detail capture exists: a minimal stand-in in the documented v2 shape.
        detail = {"shortcode": item["shortcode"], "description": f"<p>Role {item['shortcode']}: build APIs.</p>"}
        routes[f"/api/v2/accounts/acme/jobs/{item['shortcode']}"] = Route(json.dumps(detail).encode())
    return routes


def himalayas_routes() -> dict[str, Route]:
    page = json.loads(capture("himalayas/himalayas_api_jobs_offset0_limit20.json"))
    # The capture is page 1 of 101,667; served as the whole feed so that one crawl can be complete.
    page["totalCount"] = len(page["jobs"])
    return {"/jobs/api": Route(json.dumps(page).encode())}


def hn_routes() -> dict[str, Route]:
    return {
        "/api/v1/search_by_date": Route(capture("hn/algolia_search_whoishiring_stories.json")),
        "/api/v1/search": Route(capture("hn/algolia_comments_story_47975571_2026-05.json")),
    }


def jsonld_listing_routes() -> dict[str, Route]:
    page = capture("jsonld/indeed_au_viewjob_senior_devops_papercut_2026-08.html")
    listing = b'<html><body><a href="/jobs/senior-devops">Senior DevOps</a><a href="/about">About</a></body></html>'
    return {
        "/careers": Route(listing, "text/html; charset=utf-8"),
        "/jobs/senior-devops": Route(page, "text/html; charset=utf-8"),
        "/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
    }


# kind, feed path (+query), routes, postings stored
FORMATS = [
    ("ashby", "/posting-api/job-board/HighlightTA?includeCompensation=true",
     {"/posting-api/job-board/HighlightTA": Route(capture("ashby/highlightta_job_board_with_compensation.json"))}, 2),
    ("workable", "/api/v3/accounts/acme/jobs", workable_routes(), 3),
    ("smartrecruiters", "/v1/companies/ServiceNow/postings?limit=100&offset=0", smartrecruiters_routes(), 3),
    ("recruitee", "/api/offers/",
     {"/api/offers/": Route(capture("recruitee/offers_sanitized_acme_full_descriptions.json"))}, 2),
    ("personio", "/xml",
     {"/xml": Route(capture("personio/personio_own_feed_xml_1position.xml"), "application/xml")}, 1),
    ("remoteok", "/api", {"/api": Route(capture("remoteok/remoteok_api_2026-03-17.json"))}, 96),
    ("remotive", "/api/remote-jobs",
     {"/api/remote-jobs": Route(capture("remotive/remotive_api_remote-jobs_2026-07_with_BOM.json"))}, 35),
    ("arbeitnow", "/api/job-board-api",
     {"/api/job-board-api": Route(capture("arbeitnow/arbeitnow_job-board-api_5jobs.json"))}, 5),
    ("jobicy", "/api/v2/remote-jobs?count=50",
     {"/api/v2/remote-jobs": Route(capture("jobicy/jobicy_remote-jobs_5jobs.json"))}, 5),
    ("himalayas", "/jobs/api?limit=20&offset=0", himalayas_routes(), 20),
    ("hn", "/api/v1/search_by_date?tags=story,author_whoishiring", hn_routes(), 17),
    ("jsonld", "/careers", jsonld_listing_routes(), 1),
    ("rss", "/feed.atom", {"/feed.atom": Route(capture("atom/atom_made_for_tests.xml"), "application/atom+xml")}, 3),
]  # fmt: skip


@pytest.mark.parametrize(("kind", "path", "routes", "expected"), FORMATS, ids=[f[0] for f in FORMATS])
def test_format_crawls_end_to_end_and_recrawls_unchanged(
    settings: Settings, db: Database, kind: str, path: str, routes: dict[str, Route], expected: int
) -> None:
    with FeedServer(routes) as server:
        with db.transaction() as s:
            source_id = upsert_source(
                s, key=f"{kind}-test", name="Acme", kind=kind, url=server.url + path, now=datetime.now(UTC)
            ).id
        for _ in range(2):
            assert spawn_batch([source_id], settings.child_environ(), timeout=120) == 0
    with db.transaction() as s:
        first, second = s.scalars(select(CrawlRun).where(CrawlRun.source_id == source_id).order_by(CrawlRun.id)).all()
        assert (first.status, first.error_kind, first.postings_new) == ("success", None, expected), first.error_message
        assert (second.status, second.postings_new, second.postings_updated) == ("success", 0, 0)
        assert (second.postings_unchanged, second.postings_closed) == (expected, 0)
        assert s.scalar(select(func.count()).select_from(Posting).where(Posting.source_id == source_id)) == expected
        for posting in s.scalars(select(Posting).where(Posting.source_id == source_id)):
            assert posting.title and posting.company and posting.url.startswith("http")
            assert "<script" not in posting.description_html
