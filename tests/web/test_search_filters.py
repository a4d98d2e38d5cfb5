"""Every search filter, sort, the facet counts, the Atom feed and the OpenAPI document, through the real app."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from config.settings import Settings
from store.db import Database
from store.queries.postings import upsert_postings
from tests.store.helpers import NOW, make_source, record
from web import create_app

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def app(settings: Settings, db: Database) -> Iterator[Flask]:
    # "Posted within" is measured from the real clock.
    recent = datetime.now(UTC)
    with db.transaction() as s:
        board = make_source(s, "acme-board", name="Acme Board")
        other = make_source(s, "remote-board", name="Remote Board")
        upsert_postings(
            s,
            board,
            [
                record(
                    "py-senior",
                    title="Senior Python Engineer",
                    company="Acme",
                    skills=("Python", "PostgreSQL"),
                    remote="remote",
                    remote_regions=("Europe",),
                    sector="Technology",
                    seniority="senior",
                    employment_type="full_time",
                    visa_sponsorship="offered",
                    salary_min=120000.0,
                    salary_max=150000.0,
                    salary_currency="USD",
                    salary_period="year",
                    salary_annual_min=120000.0,
                    salary_annual_max=150000.0,
                    posted_at=recent - timedelta(hours=2),
                ),
                record(
                    "go-mid",
                    title="Go Developer <Payments> & Ledger",
                    company="Ledgerly",
                    skills=("Go",),
                    remote="remote",
                    sector="Financial services",
                    seniority="mid",
                    employment_type="contract",
                    salary_min=60.0,
                    salary_max=80.0,
                    salary_currency="EUR",
                    salary_period="hour",
                    salary_annual_min=124800.0,
                    salary_annual_max=166400.0,
                    posted_at=recent - timedelta(days=3),
                ),
                record(
                    "java-lead",
                    title="Lead Java Engineer",
                    company="Bankco",
                    skills=("Java", "Kafka"),
                    remote="onsite",
                    sector="Financial services",
                    seniority="lead",
                    visa_sponsorship="not_offered",
                    posted_at=recent - timedelta(days=20),
                ),
            ],
            NOW,
        )
        upsert_postings(
            s,
            other,
            [
                record("py-junior", title="Junior Python Developer", company="Edu Inc", skills=("Python", "Django"),
                       remote="remote", remote_regions=("US",), sector="Education", seniority="junior",
                       salary_min=70000.0, salary_max=90000.0, salary_currency="USD", salary_period="year",
                       salary_annual_min=70000.0, salary_annual_max=90000.0, posted_at=recent - timedelta(days=10)),
            ],
            NOW,
        )  # fmt: skip
    application = create_app(settings, {"TESTING": True, "SERVER_NAME": "jobs.example"})
    yield application
    application.extensions["jobsift.db"].dispose()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def ids(client: FlaskClient, query: str) -> list[str]:
    response = client.get(f"/api/v1/postings?{query}")
    assert response.status_code == 200, response.json
    titles = {i["id"]: i["title"] for i in response.json["items"]}
    return [titles[i] for i in titles]


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("skill=Python&skill=Go&skills_mode=any", {"Senior Python Engineer", "Go Developer <Payments> & Ledger",
                                                   "Junior Python Developer"}),
        ("skill=Python&skill=Django", {"Junior Python Developer"}),
        ("skill=Python&not_skill=Django", {"Senior Python Engineer"}),
        ("remote=remote&region=Europe", {"Senior Python Engineer", "Go Developer <Payments> & Ledger"}),
        ("region=US", {"Go Developer <Payments> & Ledger", "Junior Python Developer"}),
        ("seniority=senior&seniority=lead", {"Senior Python Engineer", "Lead Java Engineer"}),
        ("employment_type=contract", {"Go Developer <Payments> & Ledger"}),
        ("visa=offered", {"Senior Python Engineer"}),
        ("min_salary=100000", {"Senior Python Engineer"}),  # USD by default; the hourly EUR job is in another currency
        ("min_salary=100000&currency=eur", {"Go Developer <Payments> & Ledger"}),
        ("salary=1", {"Senior Python Engineer", "Go Developer <Payments> & Ledger", "Junior Python Developer"}),
        ("posted=24h", {"Senior Python Engineer"}),
        ("posted=7d", {"Senior Python Engineer", "Go Developer <Payments> & Ledger"}),
        ("company=bankco", {"Lead Java Engineer"}),
        ("not_company=Acme&not_company=Bankco&sector=Financial+services", {"Go Developer <Payments> & Ledger"}),
        ("source=remote-board", {"Junior Python Developer"}),
    ],
)  # fmt: skip
def test_each_filter(client: FlaskClient, query: str, titles: set[str]) -> None:
    assert set(ids(client, query)) == titles


def test_sorts(client: FlaskClient) -> None:
    assert ids(client, "sort=salary") == [
        "Go Developer <Payments> & Ledger",  # 166,400 a year
        "Senior Python Engineer",
        "Junior Python Developer",
        "Lead Java Engineer",  # no salary: last
    ]
    assert ids(client, "")[0] == "Senior Python Engineer"  # newest first by default
    assert ids(client, "q=python&sort=relevance")[0] in {"Senior Python Engineer", "Junior Python Developer"}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("seniority=guru", "seniority"),
        ("region=Atlantis", "region"),
        ("min_salary=-5", "min_salary"),
        ("currency=dollars", "currency"),
        ("posted=1y", "posted"),
        ("sort=random", "sort"),
        ("visa=maybe", "visa"),
        ("skills_mode=some", "skills_mode"),
        ("not_skill=Cobolt", "not_skill"),
        ("company=" + "x" * 301, "company"),
    ],
)
def test_bad_values_are_400_naming_the_parameter(client: FlaskClient, query: str, parameter: str) -> None:
    response = client.get(f"/api/v1/postings?{query}")
    assert response.status_code == 400
    assert response.json["parameter"] == parameter


def test_facets_count_the_result_set_ignoring_their_own_choice(client: FlaskClient) -> None:
    body = client.get("/api/v1/postings?remote=remote&facets=1").json
    facets = {name: {f["value"]: f["count"] for f in rows} for name, rows in body["facets"].items()}
    assert body["total"] == 3
    # The remote facet ignores remote=remote, so the onsite posting still shows as a choice.
    assert facets["remote"] == {"remote": 3, "onsite": 1}
    assert facets["skill"]["Python"] == 2 and "Java" not in facets["skill"]
    assert facets["source"] == {"acme-board": 2, "remote-board": 1}
    alone = client.get("/api/v1/facets?remote=remote").json["facets"]
    assert alone == body["facets"]


def test_search_page_shows_counts_and_keeps_every_choice(client: FlaskClient) -> None:
    counted = client.get("/?remote=remote").get_data(as_text=True)
    assert ">On-site (1)</option>" in counted and ">Remote (3)</option>" in counted
    assert ">Python (2)</option>" in counted
    html = client.get("/?remote=remote&seniority=senior&min_salary=100000&sort=salary&posted=7d").get_data(as_text=True)
    assert 'name="seniority" value="senior" checked' in html
    assert 'value="100000"' in html and '<option value="salary" selected>' in html
    assert '<option value="7d" selected>' in html
    assert 'type="application/atom+xml"' in html


def test_atom_feed_of_a_search_is_valid_and_escaped(client: FlaskClient) -> None:
    response = client.get("/feed.atom?skill=Go")
    assert response.status_code == 200
    assert response.content_type.startswith("application/atom+xml")
    feed = ET.fromstring(response.data)
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["Go Developer <Payments> & Ledger at Ledgerly"]
    entry = entries[0]
    assert entry.find(f"{ATOM}link").get("href").startswith("http://jobs.example/postings/")  # type: ignore[union-attr]
    assert [c.get("term") for c in entry.findall(f"{ATOM}category")] == ["Go"]
    assert "EUR 60–80 per hour" in (entry.findtext(f"{ATOM}summary") or "")
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    assert client.get("/feed.atom?remote=sometimes").status_code == 400


def test_openapi_document_describes_the_parameters_the_api_accepts(client: FlaskClient) -> None:
    doc = client.get("/api/openapi.json").json
    assert doc["openapi"].startswith("3.")
    params = {p["name"]: p for p in doc["paths"]["/api/v1/postings"]["get"]["parameters"]}
    assert {"q", "skill", "remote", "region", "seniority", "min_salary", "posted", "sort", "facets"} <= set(params)
    # Every documented enum value is accepted, and a value outside it is refused with that parameter's name.
    for name, param in params.items():
        schema = param["schema"].get("items", param["schema"])
        for value in schema.get("enum", [])[:3]:
            assert client.get("/api/v1/postings", query_string={name: value}).status_code == 200, (name, value)
        if "enum" in schema and name not in {"closed", "all_roles", "salary", "facets"}:
            refused = client.get("/api/v1/postings", query_string={name: "no-such-value"})
            assert (refused.status_code, refused.json["parameter"]) == (400, name)
    item_schema = doc["components"]["schemas"]["Posting"]
    item = client.get("/api/v1/postings").json["items"][0]
    assert set(item_schema["required"]) <= set(item) and set(item) <= set(item_schema["properties"])
