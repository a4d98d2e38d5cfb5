"""Adding a source: what was typed is recognised or refused with a clear message, before anything is fetched."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from store.db import Database
from tests.store.helpers import make_source
from tests.web.admin.conftest import MakeApp
from tests.web.admin.helpers import field_errors, post, sign_in
from web.admin.preview import PreviewResult


class FakePreview:
    """Records what would be previewed; these tests are about what happens before the fetch."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def __call__(self, kind: str, url: str, name: str) -> PreviewResult:
        self.calls.append((kind, url, name))
        return PreviewResult(ok=True)


@pytest.fixture
def fake() -> FakePreview:
    return FakePreview()


@pytest.fixture
def private_refused(app: Flask, make_app: MakeApp, fake: FakePreview, ada: int) -> FlaskClient:
    client = make_app(preview=fake, allow_private_networks=False).test_client()
    sign_in(client)
    return client


@pytest.fixture
def adding(app: Flask, make_app: MakeApp, fake: FakePreview, ada: int) -> FlaskClient:
    client = make_app(preview=fake).test_client()
    sign_in(client)
    return client


def _errors(client: FlaskClient, **form: str) -> list[str]:
    response = post(client, "/admin/sources/preview", form)
    assert response.status_code == 400, response.text
    return field_errors(response.text)


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({}, "Paste the board's URL, or choose its platform and give its board name."),
        ({"url": "ftp://jobs.example.com/feed"}, "Only http and https URLs can be sources"),
        ({"url": "jobs.lever.co/acme"}, "Only http and https URLs can be sources"),
        ({"url": "https://" + "a" * 2000 + ".com"}, "The URL is too long"),
        ({"url": "https://jobs.lever.co/acme", "kind": "myspace"}, "Choose a platform from the list."),
        ({"board": "acme"}, "Choose the platform of this board."),
        ({"board": "acme", "kind": "rss"}, "RSS or Atom feed has no board names: paste the feed's URL instead."),
        (
            {"board": "../../etc", "kind": "greenhouse"},
            "A board name is letters, digits, dots, dashes and underscores.",
        ),
        ({"board": "acme", "kind": "lever", "url": "https://jobs.lever.co/acme"}, "not both"),
    ],
)
def test_what_cannot_be_a_source_is_explained(
    adding: FlaskClient, fake: FakePreview, form: dict[str, str], message: str
) -> None:
    assert any(message in e for e in _errors(adding, **form)), _errors(adding, **form)
    assert fake.calls == []


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://127.0.0.1:8080/feed.xml", "127.0.0.1"),
        ("http://localhost/jobs", "127.0.0.1"),
        ("http://[::1]:9000/feed", "::1"),
        ("http://169.254.169.254/latest/meta-data", "169.254.169.254"),
        ("http://10.1.2.3/careers", "10.1.2.3"),
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(
    private_refused: FlaskClient, fake: FakePreview, url: str, address: str
) -> None:
    errors = _errors(private_refused, url=url, kind="rss")
    assert any(f"resolves to {address}, a private address" in e for e in errors), errors
    assert fake.calls == []


def test_a_board_url_is_recognised_and_previewed_as_its_platform_feed(adding: FlaskClient, fake: FakePreview) -> None:
    page = post(adding, "/admin/sources/preview", {"url": "https://jobs.lever.co/acme"})
    assert page.status_code == 200
    assert fake.calls == [("lever", "https://api.lever.co/v0/postings/acme?mode=json", "acme")]
    assert "<h1>Preview: acme</h1>" in page.text and "<dd>Lever</dd>" in page.text
    assert 'name="feed_url" value="https://api.lever.co/v0/postings/acme?mode=json"' in page.text


def test_a_platform_and_board_name_make_the_feed_url(adding: FlaskClient, fake: FakePreview) -> None:
    assert post(adding, "/admin/sources/preview", {"kind": "greenhouse", "board": "gitlab"}).status_code == 200
    assert fake.calls == [
        ("greenhouse", "https://boards-api.greenhouse.io/v1/boards/gitlab/jobs?content=true", "gitlab")
    ]


def test_an_unknown_site_is_read_as_a_feed_or_a_careers_page(adding: FlaskClient, fake: FakePreview) -> None:
    page = post(adding, "/admin/sources/preview", {"url": "http://127.0.0.1:9/careers/jobs"})
    assert fake.calls[-1][:2] == ("jsonld", "http://127.0.0.1:9/careers/jobs")
    assert "jobsift does not know this site, so it reads it as a careers page" in page.text
    post(adding, "/admin/sources/preview", {"url": "http://127.0.0.1:9/jobs.rss"})
    assert fake.calls[-1][0] == "rss"


def test_a_feed_some_source_polls_is_a_duplicate(adding: FlaskClient, db: Database, fake: FakePreview) -> None:
    with db.transaction() as s:
        make_source(s, "lever-acme", kind="lever", url="https://api.lever.co/v0/postings/acme?mode=json")
    errors = _errors(adding, url="https://jobs.lever.co/acme/")
    assert "This feed is already source 'lever-acme'." in errors
    assert fake.calls == []


def test_a_host_that_does_not_resolve_gets_a_warning(adding: FlaskClient, fake: FakePreview) -> None:
    page = post(adding, "/admin/sources/preview", {"url": "https://no-such-host.invalid/feed.rss"})
    assert page.status_code == 200
    assert "Warning: the host &#39;no-such-host.invalid&#39; does not resolve now" in page.text


def test_the_add_form_is_labelled(adding: FlaskClient) -> None:
    page = adding.get("/admin/sources/new").text
    for name in ("url", "kind", "board"):
        assert f'<label for="{name}">' in page and f'id="{name}"' in page
    assert 'aria-describedby="url-hint"' in page
