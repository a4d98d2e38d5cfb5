from __future__ import annotations

import pytest
from flask.testing import FlaskClient


def titles(client: FlaskClient, query: str) -> list[str]:
    response = client.get("/api/v1/postings" + query)
    assert response.status_code == 200, response.json
    return [item["title"] for item in response.json["items"]]


def test_lists_open_postings_with_total_and_items(client: FlaskClient) -> None:
    body = client.get("/api/v1/postings").json
    assert body["total"] == 2
    assert [i["title"] for i in body["items"]] == ["Senior Python Developer", "Node.js Backend Engineer"]
    item = body["items"][0]
    assert item["company"] == "Ledgerly"
    assert item["remote"] == "remote"
    assert item["sector"] == "Financial services"
    assert item["skills"] == ["Python", "Django"]
    assert item["salary"] == {
        "min": 150000.0,
        "max": 180000.0,
        "currency": "USD",
        "period": "year",
        "annual_min": 150000.0,
        "annual_max": 180000.0,
    }
    assert item["source"] == "acme-board"
    assert item["posted_at"].startswith("2026-11-19T12:00:00")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=payment", ["Senior Python Developer"]),
        ("?skill=Python", ["Senior Python Developer"]),
        ("?skill=python&skill=DJANGO", ["Senior Python Developer"]),
        ("?skill=Python&skill=Node.js", []),
        ("?skill=Node.js", ["Node.js Backend Engineer"]),
        ("?remote=hybrid", ["Node.js Backend Engineer"]),
        ("?sector=Retail+%26+e-commerce", ["Node.js Backend Engineer"]),
        ("?sector=financial%20services&remote=remote&q=django", ["Senior Python Developer"]),
        ("?remote=", ["Senior Python Developer", "Node.js Backend Engineer"]),
        ("?closed=1&skill=Python", ["Senior Python Developer", "Python Engineer"]),
    ],
)
def test_filters(client: FlaskClient, query: str, expected: list[str]) -> None:
    assert titles(client, query) == expected


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("?skill=Cobol++", "skill"),
        ("?remote=sometimes", "remote"),
        ("?sector=Space", "sector"),
        ("?page=0", "page"),
        ("?page=abc", "page"),
        ("?per_page=1000", "per_page"),
        ("?q=" + "x" * 10_001, "q"),
    ],
)
def test_bad_parameters_are_400_naming_the_parameter(client: FlaskClient, query: str, parameter: str) -> None:
    response = client.get("/api/v1/postings" + query)
    assert response.status_code == 400
    assert response.json["error"] == "bad_parameter"
    assert response.json["parameter"] == parameter


@pytest.mark.parametrize("q", ['"', "AND", "NEAR(", "' OR 1=1 --", "🚀", "x" * 10_000, "c++ && !!"])
def test_hostile_keywords_never_500(client: FlaskClient, q: str) -> None:
    response = client.get("/api/v1/postings", query_string={"q": q})
    assert response.status_code == 200
    assert isinstance(response.json["total"], int)


def test_pagination(client: FlaskClient) -> None:
    first = client.get("/api/v1/postings?per_page=1").json
    second = client.get("/api/v1/postings?per_page=1&page=2").json
    assert (first["total"], first["page"], first["per_page"]) == (2, 1, 1)
    assert [i["title"] for i in first["items"] + second["items"]] == [
        "Senior Python Developer",
        "Node.js Backend Engineer",
    ]


def test_posting_detail_and_404(client: FlaskClient) -> None:
    item_id = client.get("/api/v1/postings?skill=Django").json["items"][0]["id"]
    detail = client.get(f"/api/v1/postings/{item_id}").json
    assert detail["description_text"] == "Build payment APIs with Django."
    missing = client.get("/api/v1/postings/999999")
    assert missing.status_code == 404
    assert missing.json["error"] == "not_found"
