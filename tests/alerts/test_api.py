"""POST /api/v1/alerts: the same double opt-in and limits as the form, errors shaped like the rest of the API, and
documented in the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from store.db import Database
from tests.alerts.helpers import ADA, add_postings, link, only_subscription, python_job
from tests.alerts.smtp import Inbox


def post(client: FlaskClient, body: Any, **kwargs: Any) -> Any:
    return client.post("/api/v1/alerts", json=body, **kwargs)


def test_a_valid_request_starts_the_double_opt_in(client: FlaskClient, db: Database, inbox: Inbox) -> None:
    add_postings(db, python_job("a"))
    answer = post(
        client, {"email": ADA, "frequency": "weekly", "search": {"skill": ["Python", "django"], "remote": "remote"}}
    )
    assert answer.status_code == 202, answer.json
    assert answer.json["status"] == "pending_confirmation"
    assert isinstance(answer.json["weekly_estimate"], int)
    subscription = only_subscription(db)
    assert (subscription.state, subscription.frequency) == ("pending", "weekly")
    assert subscription.query == "skill=Django&skill=Python&remote=remote"
    [message] = inbox.messages
    assert message["To"] == ADA
    assert client.post(link(message, "confirm")).status_code == 200
    assert only_subscription(db).state == "active"


@pytest.mark.parametrize(
    ("body", "parameter"),
    [
        ({"frequency": "daily", "search": {"skill": "Python"}}, "email"),
        ({"email": "nope", "search": {"skill": "Python"}}, "email"),
        ({"email": ADA, "frequency": "hourly", "search": {"skill": "Python"}}, "frequency"),
        ({"email": ADA, "frequency": 3, "search": {"skill": "Python"}}, "frequency"),
        ({"email": ADA}, "search"),
        ({"email": ADA, "search": ["skill", "Python"]}, "search"),
        ({"email": ADA, "search": {"skill": "Cobol++"}}, "skill"),
        ({"email": ADA, "search": {"remote": "sometimes"}}, "remote"),
        ({"email": ADA, "search": {"min_salary": -5}}, "min_salary"),
        ({"email": ADA, "search": {"skills": ["Python"]}}, "skills"),
        ({"email": ADA, "search": {"skill": {"nested": 1}}}, "skill"),
        ({"email": ADA, "search": {"skill": "Python"}, "admin": True}, "admin"),
        ([1, 2, 3], "body"),
    ],
)
def test_bad_values_get_400_naming_the_parameter(
    client: FlaskClient, db: Database, inbox: Inbox, body: Any, parameter: str
) -> None:
    answer = post(client, body)
    assert answer.status_code == 400, answer.json
    assert answer.json["error"] == "bad_parameter"
    assert answer.json["parameter"] == parameter
    assert inbox.messages == []


def test_non_json_bodies_are_refused(client: FlaskClient, inbox: Inbox) -> None:
    form = client.post("/api/v1/alerts", data={"email": ADA, "search": "skill=Python"})
    assert form.status_code == 400 and form.json["parameter"] == "body"
    broken = client.post("/api/v1/alerts", data="{not json", content_type="application/json")
    assert broken.status_code == 400 and broken.json["parameter"] == "body"
    assert inbox.messages == []


def test_searches_without_filters_or_too_broad_are_refused(
    client: FlaskClient, db: Database, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_postings(db, *(python_job(str(i)) for i in range(10)))
    empty = post(client, {"email": ADA, "search": {"all_roles": True}})
    assert empty.status_code == 400 and empty.json["parameter"] == "search"
    from web.alerts import subscribe

    monkeypatch.setattr(subscribe, "FLOOD_LIMIT", 1)
    broad = post(client, {"email": ADA, "search": {"skill": "Python"}})
    assert broad.status_code == 400
    assert broad.json["error"] == "too_broad" and broad.json["weekly_estimate"] == 2
    assert inbox.messages == []


def test_429_when_rate_limited(client: FlaskClient, db: Database, inbox: Inbox) -> None:
    add_postings(db, python_job("a"))
    for skill in ("Python", "Django", "Go"):
        assert post(client, {"email": ADA, "search": {"skill": skill}}).status_code == 202
    limited = post(client, {"email": ADA, "search": {"remote": "remote"}})
    assert limited.status_code == 429
    assert limited.json["error"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) == limited.json["retry_after"] > 0
    assert len(inbox.messages) == 3


def test_documented_in_the_openapi_document(client: FlaskClient) -> None:
    document = client.get("/api/openapi.json").json
    operation = document["paths"]["/api/v1/alerts"]["post"]
    assert set(operation["responses"]) == {"202", "400", "429", "503"}
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["email", "search"]
    assert schema["properties"]["frequency"]["enum"] == ["instant", "daily", "weekly"]
    search = schema["properties"]["search"]["properties"]
    get_names = [p["name"] for p in document["paths"]["/api/v1/postings"]["get"]["parameters"] if p["name"] != "facets"]
    assert list(search) == get_names
