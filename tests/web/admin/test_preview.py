"""The preview before saving: a real crawl (in a child process) of a feed served on loopback, shown as jobsift would
store it, with counts, warnings and, for careers pages, a report of the JobPosting markup against Google's rules.
Then saving it, with the platform's terms filled in."""

from __future__ import annotations

import re
from collections.abc import Iterator
from html import unescape

import pytest
from flask.testing import FlaskClient

from jobsift.demo.server import FeedServer, Route
from store.db import Database
from store.queries.sources import get_sources
from tests.conftest import FIXTURES
from tests.store.helpers import make_source
from tests.web.admin.helpers import audit_log, field_errors, post
from web.admin.preview import SubprocessPreview

GITLAB = "/greenhouse/v1/boards/gitlab/jobs"
AMPLITUDE = "/greenhouse/v1/boards/amplitude/jobs"
CAREERS = "/careers/senior-devops.html"


@pytest.fixture(scope="module")
def feeds() -> Iterator[FeedServer]:
    routes = {
        GITLAB: Route((FIXTURES / "greenhouse/gitlab_jobs_content_trimmed_by_committer.json").read_bytes()),
        AMPLITUDE: Route((FIXTURES / "greenhouse/amplitude_jobs_content_2jobs_full_strings.json").read_bytes()),
        CAREERS: Route(
            (FIXTURES / "jsonld/indeed_au_viewjob_senior_devops_papercut_2026-08.html").read_bytes(),
            "text/html; charset=utf-8",
        ),
        "/broken.json": Route(b'{"jobs": [', "application/json"),
        "/slow.json": Route(b'{"jobs": []}', delay=4),
    }
    with FeedServer(routes) as server:
        yield server


def _text(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def test_a_feed_is_previewed_as_it_would_be_stored_then_saved(
    admin_client: FlaskClient, feeds: FeedServer, db: Database
) -> None:
    url = f"{feeds.url}{GITLAB}?content=true"
    page = post(admin_client, "/admin/sources/preview", {"url": url, "kind": "greenhouse"})
    assert page.status_code == 200, page.text
    text = _text(page.text)
    assert "3 postings: 1 back-end, " in text
    assert "AI Engineer" in text and "Account Executive - Italy" in text and "GitLab" in text
    assert "Back-end yes" in text and "Back-end no" in text
    assert "Seniority" in text and "Sector" in text
    assert "JobPosting markup, against Google" not in text  # an API feed has no markup to report on
    # The save form: the platform's terms filled in, the name from the feed.
    assert 'name="name" type="text" value="GitLab"' in page.text
    assert 'name="min_interval_minutes" type="text" value="60"' in page.text
    assert 'id="republish_jobposting" name="republish_jobposting" type="checkbox" value="1" checked' in page.text
    assert 'name="terms_url" type="url" value="https://developers.greenhouse.io/job-board.html"' in page.text
    assert feeds.requests, "the preview fetched the feed"

    saved = post(
        admin_client,
        "/admin/sources/save",
        {
            "kind": "greenhouse",
            "feed_url": url,
            "name": "GitLab",
            "key": "greenhouse-gitlab",
            "sector": "Technology",
            "interval_minutes": "120",
            "min_interval_minutes": "60",
            "attribution": "",
            "republish_jobposting": "1",
            "terms_url": "https://developers.greenhouse.io/job-board.html",
        },
    )
    assert saved.status_code == 302, field_errors(saved.text)
    assert saved.headers["Location"] == "/admin/sources/greenhouse-gitlab"
    with db.transaction() as s:
        [source] = get_sources(s, ["greenhouse-gitlab"])
        assert (source.kind, source.url, source.sector, source.interval_minutes) == (
            "greenhouse", url, "Technology", 120
        )  # fmt: skip
        assert source.terms["republish_jobposting"] is True and source.next_crawl_at is None  # due at once
    [entry] = audit_log(db, "add")
    assert entry.before is None and entry.after and entry.after["url"] == url
    assert "GitLab is added" in admin_client.get("/admin/sources/greenhouse-gitlab").text


def test_warnings_say_what_would_surprise(admin_client: FlaskClient, feeds: FeedServer) -> None:
    page = post(admin_client, "/admin/sources/preview", {"url": f"{feeds.url}{AMPLITUDE}", "kind": "greenhouse"})
    text = _text(page.text)
    assert "2 postings: 0 back-end" in text
    assert "None of the 2 postings is back-end work" in text


def test_a_careers_page_gets_a_report_of_its_jobposting_markup(admin_client: FlaskClient, feeds: FeedServer) -> None:
    page = post(admin_client, "/admin/sources/preview", {"url": f"{feeds.url}{CAREERS}"})
    assert page.status_code == 200
    text = _text(page.text)
    assert "reads it as a careers page or sitemap with JobPosting markup" in text
    assert "Senior DevOps Engineer" in text and "1 posting" in text
    rows = dict(re.findall(r"<code>([A-Za-z ()=]+?)</code></th>\s*<td[^>]*>(required|recommended)</td>", page.text))
    assert set(rows) >= {"title", "description", "datePosted", "hiringOrganization", "validThrough", "identifier"}
    markup = page.text[page.text.index("markup-table") :]
    for name in ("title", "description", "datePosted", "hiringOrganization", "validThrough", "baseSalary"):
        row = re.search(rf"<code>{name}</code></th>.*?</tr>", markup, flags=re.S)
        assert row and "✓</span> 1 of 1" in row.group(0), name
    identifier = re.search(r"<code>identifier</code></th>.*?</tr>", markup, flags=re.S)
    assert identifier and "✗</span> 0 of 1" in identifier.group(0) and "recommended" in identifier.group(0)


@pytest.mark.parametrize(
    ("path", "reason", "hint"),
    [
        ("/no-such-board", "answered HTTP 404", "Nothing is at this address (any more)"),
        ("/broken.json", "not a valid greenhouse feed", "The answer is not in this platform's format"),
    ],
)
def test_unreachable_or_unparseable_feeds_are_explained(
    admin_client: FlaskClient, feeds: FeedServer, path: str, reason: str, hint: str
) -> None:
    page = post(admin_client, "/admin/sources/preview", {"url": feeds.url + path, "kind": "greenhouse"})
    assert page.status_code == 200
    text = _text(page.text)
    assert "The feed could not be read" in text and reason in text and hint in text
    assert "You can still save the source" in text


def test_a_slow_feed_is_cut_off_at_the_preview_timeout(feeds: FeedServer, database_url: str) -> None:
    preview = SubprocessPreview(
        {"JOBSIFT_ALLOW_PRIVATE_NETWORKS": "1", "JOBSIFT_DATABASE_URL": database_url}, timeout=2
    )
    result = preview("greenhouse", feeds.url + "/slow.json", "Slow")
    assert not result.ok and result.error == "the feed did not answer in full within 2 seconds"
    assert result.hint and "can still be saved" in result.hint


def test_a_removed_feed_comes_back_with_its_history(admin_client: FlaskClient, feeds: FeedServer, db: Database) -> None:
    url = f"{feeds.url}{AMPLITUDE}"
    with db.transaction() as s:
        make_source(s, "amplitude", name="Amplitude", kind="greenhouse", url=url)
    post(admin_client, "/admin/sources/amplitude/remove")
    page = post(admin_client, "/admin/sources/preview", {"url": url, "kind": "greenhouse"})
    assert "This feed was source" in page.text and "Saving brings it back" in page.text
    form = {"kind": "greenhouse", "feed_url": url, "name": "Amplitude", "interval_minutes": "360",
            "min_interval_minutes": "60"}  # fmt: skip
    saved = post(admin_client, "/admin/sources/save", form)
    assert saved.status_code == 302 and saved.headers["Location"] == "/admin/sources/amplitude"
    with db.transaction() as s:
        [source] = get_sources(s, ["amplitude"])
        assert source.removed_at is None and source.enabled
    assert [e.action for e in audit_log(db)][-1] == "restore"


def test_saving_checks_every_field_again(admin_client: FlaskClient, db: Database) -> None:
    with db.transaction() as s:
        make_source(s, "taken", url="https://taken.example/feed")
    base = {"kind": "rss", "feed_url": "http://127.0.0.1:9/feed.rss", "name": "Feed", "interval_minutes": "360",
            "min_interval_minutes": "60"}  # fmt: skip
    bad_key = post(admin_client, "/admin/sources/save", {**base, "key": "Not A Key"})
    assert bad_key.status_code == 400 and any("A key is lower-case" in e for e in field_errors(bad_key.text))
    taken = post(admin_client, "/admin/sources/save", {**base, "key": "taken"})
    assert taken.status_code == 400 and "Key &#39;taken&#39; is taken." in taken.text
    tampered = post(admin_client, "/admin/sources/save", {**base, "kind": "myspace"})
    assert tampered.status_code == 400 and "Start again from the URL." in tampered.text
    ftp = post(admin_client, "/admin/sources/save", {**base, "feed_url": "ftp://x.example/feed"})
    assert ftp.status_code == 400 and "Only http and https URLs" in ftp.text
    duplicate = post(admin_client, "/admin/sources/save", {**base, "kind": "greenhouse",
                                                           "feed_url": "https://taken.example/feed"})  # fmt: skip
    assert duplicate.status_code == 400 and "is already source &#39;taken&#39;" in duplicate.text
    with db.transaction() as s:
        assert {x.key for x in get_sources(s)} == {"acme-board", "taken"}


def test_the_markup_report_counts_each_google_field() -> None:
    from web.admin.preview import markup_report

    remote = {
        "title": "Go Engineer",
        "description": "<p>Services</p>",
        "datePosted": "2026-11-01",
        "hiringOrganization": {"name": "Acme"},
        "jobLocationType": "TELECOMMUTE",
        "applicantLocationRequirements": {"@type": "Country", "name": "DE"},
        "directApply": False,
    }
    office = {"title": "Java Engineer", "jobLocation": {"address": "Berlin"}, "identifier": {"value": "7"}}
    bare_remote = {"title": "Rust Engineer", "jobLocationType": "TELECOMMUTE", "description": ""}
    report = {f.name: (f.required, f.present) for f in markup_report([remote, office, bare_remote])}
    assert report["title"] == (True, 3)
    assert report["description"] == (True, 1)  # an empty description is no description
    assert report["jobLocation"] == (True, 2)  # remote with its requirements, or a place; not TELECOMMUTE alone
    assert report["directApply"] == (False, 1)  # false is a value
    assert report["identifier"] == (False, 1) and report["baseSalary"] == (False, 0)
