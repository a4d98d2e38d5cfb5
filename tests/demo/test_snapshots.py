"""Tests for the bundled demo feeds (jobsift.demo.snapshots)."""

from __future__ import annotations

import html
import json
import re
import time
import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from importlib import resources
from pathlib import Path

import pytest

from config.taxonomy import sector_names
from jobsift.demo.snapshots import DemoSource, Route, demo_feeds

NOW = datetime(2026, 8, 20, 12, 30, 15, 123456, tzinfo=UTC)
MAX_AGE = timedelta(days=45)

# Real captures: source key -> (file under shared/corpus and under jobsift/demo/snapshots, served path)
REAL: dict[str, tuple[str, str]] = {
    "greenhouse-gitlab": (
        "greenhouse/gitlab_jobs_content_trimmed_by_committer.json",
        "/greenhouse/v1/boards/gitlab/jobs?content=true",
    ),
    "greenhouse-amplitude": (
        "greenhouse/amplitude_jobs_content_2jobs_full_strings.json",
        "/greenhouse/v1/boards/amplitude/jobs?content=true",
    ),
    "greenhouse-duolingo": (
        "greenhouse/duolingo_jobs_content_trimmed_by_committer.json",
        "/greenhouse/v1/boards/duolingo/jobs?content=true",
    ),
    "lever-palantir": ("lever/palantir_postings_trimmed_by_committer.json", "/lever/v0/postings/palantir?mode=json"),
    "lever-idealistconsulting": (
        "lever/idealistconsulting_postings_2_full_strings.json",
        "/lever/v0/postings/idealistconsulting?mode=json",
    ),
    "lever-leverdemo": ("lever/leverdemo_postings_mode_json_2015.json", "/lever/v0/postings/leverdemo?mode=json"),
    "wwr-back-end": (
        "wwr/weworkremotely_remote-back-end-programming-jobs_2022-11-07.rss",
        "/wwr/categories/remote-back-end-programming-jobs.rss",
    ),
    "wwr-all": ("wwr/weworkremotely_remote-jobs_rss_2026-07-10.xml", "/wwr/remote-jobs.rss"),
}


REAL_COMPANY_NAMES = ("GitLab", "Amplitude", "Duolingo", "Palantir", "Idealist", "Lever")

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"

BACKEND_TITLE = re.compile(
    r"back-?end|software engineer|platform|api engineer|full[- ]stack|java|\.net|c#|go engineer|golang|python|"
    r"django|rails|ruby|php|laravel|node|typescript|kotlin|rust|elixir|data (platform )?engineer|"
    r"site reliability|devops|integrations|developer",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def feeds() -> tuple[list[DemoSource], dict[str, Route]]:
    return demo_feeds(NOW)


def route_for(source: DemoSource, routes: dict[str, Route]) -> Route:
    return routes[source.path.split("?", 1)[0]]


def generated(sources: list[DemoSource]) -> list[DemoSource]:
    return [s for s in sources if s.key not in REAL]


def postings(source: DemoSource, body: bytes) -> list[dict[str, object]]:
    """The postings of one feed as dicts: JSON objects, or RSS items as tag -> text."""
    if source.kind == "greenhouse":
        return json.loads(body)["jobs"]
    if source.kind == "lever":
        data = json.loads(body)
        assert isinstance(data, list)
        return data
    assert source.kind == "weworkremotely"
    root = ET.fromstring(body)
    return [{child.tag: child.text or "" for child in item} for item in root.iterfind("./channel/item")]


def ids_of(source: DemoSource, items: list[dict[str, object]]) -> list[object]:
    if source.kind == "weworkremotely":
        return [item["guid"] for item in items]
    return [item["id"] for item in items]


def test_same_now_gives_identical_bytes() -> None:
    first_sources, first_routes = demo_feeds(NOW)
    second_sources, second_routes = demo_feeds(NOW)
    assert first_sources == second_sources
    assert first_routes.keys() == second_routes.keys()
    for path, route in first_routes.items():
        assert route == second_routes[path], path


def test_now_only_moves_generated_content() -> None:
    sources, routes = demo_feeds(NOW)
    later_sources, later_routes = demo_feeds(NOW + timedelta(days=3))
    assert sources == later_sources
    for source in sources:
        before, after = route_for(source, routes).body, route_for(source, later_routes).body
        if source.key in REAL:
            assert before == after, source.key
        else:
            assert before != after, source.key


def test_naive_now_is_rejected() -> None:
    with pytest.raises(ValueError):
        demo_feeds(datetime(2026, 8, 20, 12, 0))


def test_sources_have_unique_keys_paths_and_routes(feeds: tuple[list[DemoSource], dict[str, Route]]) -> None:
    sources, routes = feeds
    keys = [s.key for s in sources]
    paths = [s.path.split("?", 1)[0] for s in sources]
    assert len(set(keys)) == len(keys)
    assert len(set(paths)) == len(paths)
    assert set(paths) == set(routes)
    assert all("?" not in path for path in routes)
    for source in sources:
        route = route_for(source, routes)
        assert route.status == 200
        assert source.kind in {"greenhouse", "lever", "weworkremotely"}
        if source.kind == "weworkremotely":
            assert route.content_type == "application/rss+xml; charset=utf-8"
            assert source.path.startswith("/wwr/")
        else:
            assert route.content_type == "application/json"
        if source.kind == "greenhouse":
            assert re.fullmatch(r"/greenhouse/v1/boards/[a-z0-9]+/jobs\?content=true", source.path), source.path
        if source.kind == "lever":
            assert re.fullmatch(r"/lever/v0/postings/[a-z0-9]+\?mode=json", source.path), source.path


def test_real_captures_are_served_under_their_api_paths(feeds: tuple[list[DemoSource], dict[str, Route]]) -> None:
    sources, routes = feeds
    by_key = {s.key: s for s in sources}
    for key, (relative, path) in REAL.items():
        assert key in by_key, key
        assert by_key[key].path == path
        packaged = resources.files("jobsift.demo").joinpath("snapshots", *relative.split("/")).read_bytes()
        assert route_for(by_key[key], routes).body == packaged, key


@pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}; cannot compare originals")
def test_real_captures_are_byte_identical_to_the_corpus(feeds: tuple[list[DemoSource], dict[str, Route]]) -> None:
    sources, routes = feeds
    by_key = {s.key: s for s in sources}
    for key, (relative, _) in REAL.items():
        original = (CORPUS / relative).read_bytes()
        packaged = resources.files("jobsift.demo").joinpath("snapshots", *relative.split("/")).read_bytes()
        assert packaged == original, relative
        assert route_for(by_key[key], routes).body == original, relative


def test_provenance_lists_every_real_capture() -> None:
    text = resources.files("jobsift.demo").joinpath("snapshots", "PROVENANCE.md").read_text(encoding="utf-8")
    for relative, path in REAL.values():
        assert f"`{relative}`" in text, relative
        assert f"`{path}`" in text, path
    if CORPUS.is_dir():
        rows = (CORPUS / "SOURCES.md").read_text(encoding="utf-8").splitlines()
        for relative, _ in REAL.values():
            row = next(line for line in rows if f"| `{relative}` |" in line)
            assert row in text.splitlines(), relative


def test_every_body_parses_in_its_format(feeds: tuple[list[DemoSource], dict[str, Route]]) -> None:
    sources, routes = feeds
    for source in sources:
        body = route_for(source, routes).body
        items = postings(source, body)
        assert items, source.key
        if source.kind == "greenhouse" and source.key not in REAL:
            data = json.loads(body)
            assert set(data) == {"jobs", "meta"}
            assert data["meta"] == {"total": len(data["jobs"])}
        if source.kind == "weworkremotely":
            channel = ET.fromstring(body).find("channel")
            assert channel is not None and channel.findtext("title", "").startswith("We Work Remotely")


def test_greenhouse_content_is_entity_escaped_html(feeds: tuple[list[DemoSource], dict[str, Route]]) -> None:
    sources, routes = feeds
    checked = 0
    for source in sources:
        if source.kind != "greenhouse":
            continue
        for job in postings(source, route_for(source, routes).body):
            content = job["content"]
            assert isinstance(content, str)
            assert "&lt;" in content and "<" not in content, job["id"]
            assert "&#x27;" not in content and "&amp;lt;" not in content, job["id"]
            once = html.unescape(content)
            assert "<p>" in once or "<li>" in once, job["id"]
            checked += 1
    assert checked > 200


def test_generated_greenhouse_jobs_have_the_modern_shape(feeds: tuple[list[DemoSource], dict[str, Route]]) -> None:
    sources, routes = feeds
    keys = {
        "absolute_url",
        "data_compliance",
        "internal_job_id",
        "location",
        "metadata",
        "id",
        "updated_at",
        "requisition_id",
        "title",
        "company_name",
        "first_published",
        "language",
        "application_deadline",
        "content",
        "departments",
        "offices",
        "ai_disclaimer",
        "include_ai_disclaimer",
        "ai_opt_out_request_url",
    }
    pay_blocks = 0
    for source in generated(sources):
        if source.kind != "greenhouse":
            continue
        for job in postings(source, route_for(source, routes).body):
            assert set(job) == keys
            assert isinstance(job["id"], int) and len(str(job["id"])) == 10
            assert isinstance(job["internal_job_id"], int) and len(str(job["internal_job_id"])) == 10
            assert job["language"] == "en"
            assert job["metadata"] is None or isinstance(job["metadata"], list)
            assert isinstance(job["location"], dict) and job["location"]["name"]
            assert str(job["company_name"]).strip() == source.name
            assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-0[45]:00", str(job["first_published"]))
            published = datetime.fromisoformat(str(job["first_published"]))
            updated = datetime.fromisoformat(str(job["updated_at"]))
            assert NOW - MAX_AGE <= published <= updated <= NOW
            assert str(job["absolute_url"]).endswith(str(job["id"])), job["absolute_url"]
            once = html.unescape(str(job["content"]))
            assert 'class="content-conclusion"' in once
            pay_blocks += 'class="content-pay-transparency"' in once
    assert pay_blocks >= 20


def test_generated_lever_postings(feeds: tuple[list[DemoSource], dict[str, Route]]) -> None:
    sources, routes = feeds
    now_ms = int(NOW.timestamp() * 1000)
    max_age_ms = int(MAX_AGE.total_seconds() * 1000)
    salary_ranges = 0
    workplaces: set[str] = set()
    for source in generated(sources):
        if source.kind != "lever":
            continue
        slug = source.path.split("/")[-1].split("?")[0]
        for posting in postings(source, route_for(source, routes).body):
            created = posting["createdAt"]
            assert isinstance(created, int)
            assert now_ms - max_age_ms <= created <= now_ms, (source.key, created)
            assert uuid.UUID(str(posting["id"])).version == 4
            assert posting["hostedUrl"] == f"https://jobs.lever.co/{slug}/{posting['id']}"
            assert posting["applyUrl"] == f"{posting['hostedUrl']}/apply"
            assert posting["workplaceType"] in {"remote", "hybrid", "onsite"}
            workplaces.add(str(posting["workplaceType"]))
            categories = posting["categories"]
            assert isinstance(categories, dict)
            assert categories["location"] in categories["allLocations"]
            lists = posting["lists"]
            assert isinstance(lists, list) and lists
            for entry in lists:
                content = entry["content"].strip()
                assert content.startswith("<li>") and content.endswith("</li>") and "<ul" not in content
            for field in ("description", "opening", "descriptionBody", "additional"):
                assert str(posting[field]).startswith("<div>"), field
                assert f"{field}Plain" in posting
                assert "<" not in str(posting[f"{field}Plain"])
            if "salaryRange" in posting:
                salary = posting["salaryRange"]
                assert isinstance(salary, dict)
                assert salary["interval"] == "per-year-salary"
                assert 0 < salary["min"] < salary["max"]
                salary_ranges += 1
    assert salary_ranges >= 10
    assert workplaces == {"remote", "hybrid", "onsite"}


def test_generated_wwr_feed(feeds: tuple[list[DemoSource], dict[str, Route]]) -> None:
    sources, routes = feeds
    feeds_checked = 0
    for source in generated(sources):
        if source.kind != "weworkremotely":
            continue
        feeds_checked += 1
        body = route_for(source, routes).body
        assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"')
        items = postings(source, body)
        assert 50 <= len(items) <= 70
        companies = set()
        for item in items:
            company, sep, position = str(item["title"]).partition(": ")
            assert sep and company and position, item["title"]
            companies.add(company)
            for tag in ("region", "country", "state", "skills", "category", "type", "expires_at"):
                assert tag in item, tag
            assert item["guid"] == item["link"]
            assert str(item["link"]).startswith("https://weworkremotely.com/remote-jobs/")
            published = parsedate_to_datetime(str(item["pubDate"]))
            assert str(item["pubDate"]).endswith(" +0000")
            assert NOW - MAX_AGE <= published <= NOW
            assert parsedate_to_datetime(str(item["expires_at"])) > published
            description = str(item["description"])
            assert "<strong>Headquarters:</strong>" in description
            assert description.rstrip().endswith(f'<a href="{item["link"]}">{item["link"]}</a></p>')
        assert len(companies) >= 20
        # The description element holds entity-escaped HTML, exactly like the real feeds.
        assert b"&lt;p&gt;&lt;strong&gt;To apply:&lt;/strong&gt;" in body
    assert feeds_checked == 1


def test_ids_are_unique_within_each_source(feeds: tuple[list[DemoSource], dict[str, Route]]) -> None:
    sources, routes = feeds
    for source in sources:
        ids = ids_of(source, postings(source, route_for(source, routes).body))
        assert len(ids) == len(set(ids)), source.key


def test_total_postings_and_mix_of_roles(feeds: tuple[list[DemoSource], dict[str, Route]]) -> None:
    sources, routes = feeds
    titles: list[str] = []
    for source in generated(sources):
        for item in postings(source, route_for(source, routes).body):
            title = item.get("title") or item.get("text")
            titles.append(str(title).split(": ", 1)[-1] if source.kind == "weworkremotely" else str(title))
    total = sum(len(postings(s, route_for(s, routes).body)) for s in sources)
    assert 450 <= total <= 650, total
    backend = [t for t in titles if BACKEND_TITLE.search(t)]
    assert len(backend) >= 0.7 * len(titles)
    assert len(titles) - len(backend) >= 0.05 * len(titles)


def test_generated_companies_are_diverse_and_fictional(feeds: tuple[list[DemoSource], dict[str, Route]]) -> None:
    sources, _ = feeds
    made_up = generated(sources)
    boards = [s for s in made_up if s.kind != "weworkremotely"]
    assert 25 <= sum(s.kind == "greenhouse" for s in boards) <= 35
    assert 10 <= sum(s.kind == "lever" for s in boards) <= 14
    assert all(s.sector in sector_names() for s in boards)
    assert len({s.sector for s in boards}) >= 8
    assert all(s.sector is None for s in sources if s.kind == "weworkremotely")
    for source in made_up:
        assert not any(name.lower() in source.name.lower() for name in REAL_COMPANY_NAMES), source.name


def test_generation_is_fast() -> None:
    best = min(_timed(NOW + timedelta(hours=i)) for i in range(3))
    assert best < 0.5, best


def _timed(now: datetime) -> float:
    start = time.perf_counter()
    demo_feeds(now)
    return time.perf_counter() - start
