from __future__ import annotations

import re

from flask.testing import FlaskClient

from store.db import Database


def result_titles(html: str) -> list[str]:
    return re.findall(r'<h2><a href="/postings/\d+">([^<]+)</a></h2>', html)


def test_search_page_lists_postings_and_filter_controls(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert result_titles(html) == ["Senior Python Developer", "Node.js Backend Engineer"]
    assert '<label for="q">' in html and '<label for="skill">' in html
    assert '<option value="Financial services"' in html
    assert '<option value="Node.js"' in html
    assert '<option value="hybrid"' in html
    assert "2 postings" in html


def test_filters_change_the_results_and_stay_selected(client: FlaskClient) -> None:
    html = client.get("/?skill=Node.js&remote=hybrid").get_data(as_text=True)
    assert result_titles(html) == ["Node.js Backend Engineer"]
    assert '<option value="Node.js" selected>' in html
    assert '<option value="hybrid" selected>' in html
    html = client.get("/?sector=Financial+services").get_data(as_text=True)
    assert result_titles(html) == ["Senior Python Developer"]
    assert '<option value="Financial services" selected>' in html


def test_pager_keeps_the_filters(client: FlaskClient) -> None:
    html = client.get("/?per_page=1&remote=").get_data(as_text=True)
    assert "Page 1 of 2" in html
    assert re.search(r'href="/\?per_page=1&amp;remote=&amp;page=2"', html)


def test_bad_filter_is_a_400_page_not_a_crash(client: FlaskClient) -> None:
    response = client.get("/?remote=sometimes")
    assert response.status_code == 400
    assert "remote: must be one of" in response.get_data(as_text=True)


def test_posting_page_shows_sanitised_description_and_facts(client: FlaskClient) -> None:
    html = client.get("/?skill=Django").get_data(as_text=True)
    link = re.search(r'href="(/postings/\d+)"', html)
    assert link
    page = client.get(link.group(1)).get_data(as_text=True)
    assert "<h1>Senior Python Developer</h1>" in page
    assert "Financial services" in page
    assert "USD 150,000–180,000 per year" in page
    assert "<strong>payment APIs</strong>" in page
    assert 'href="/?skill=Django"' in page


def test_posting_page_credits_the_source_when_its_terms_ask(client: FlaskClient, db: Database) -> None:
    from sqlalchemy import select

    from store.models import Source

    with db.transaction() as s:
        source = s.scalars(select(Source)).one()
        source.terms = {"attribution": "Jobs from Example Board"}
    item = client.get("/api/v1/postings?skill=Django").json["items"][0]
    page = client.get(f"/postings/{item['id']}").get_data(as_text=True)
    assert '<span class="attribution">Jobs from Example Board</span>' in page


def test_closed_posting_page_says_so(client: FlaskClient) -> None:
    item = client.get("/api/v1/postings?closed=1&q=engineer&skill=Python").json["items"][0]
    page = client.get(f"/postings/{item['id']}").get_data(as_text=True)
    assert "left its feed" in page


def test_unknown_posting_is_404(client: FlaskClient) -> None:
    assert client.get("/postings/424242").status_code == 404


def test_security_headers(client: FlaskClient) -> None:
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "<script" not in response.get_data(as_text=True)


def _add(db: Database, key: str, *records: object) -> None:
    from store.queries.postings import upsert_postings
    from tests.store.helpers import NOW, make_source

    with db.transaction() as s:
        upsert_postings(s, make_source(s, key, name=key.title()), list(records), NOW)  # type: ignore[arg-type]


def test_other_roles_are_hidden_with_a_count_and_a_link(client: FlaskClient, db: Database) -> None:
    from tests.store.helpers import record

    _add(db, "sales-board", record("ae", title="Account Executive", is_backend=False))
    html = client.get("/").get_data(as_text=True)
    assert "Account Executive" not in result_titles(html)
    link = re.search(r'<a href="([^"]+)">1 other role hidden</a>', html)
    assert link, html
    shown = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert "Account Executive" in result_titles(shown)
    assert 'name="all_roles" value="1" checked' in shown
    assert client.get("/api/v1/postings?all_roles=1").json["total"] == 3


def test_posting_page_says_why_and_where_else_it_is_listed(client: FlaskClient, db: Database) -> None:
    from dataclasses import replace

    from store.dedupe import canonical_url, fingerprint
    from tests.store.helpers import record

    def listed(external_id: str, url: str) -> object:
        return replace(
            record(external_id, title="Staff Go Engineer", company="Gopherco", url=url),
            canonical_url=canonical_url(url),
            fingerprint=fingerprint("Gopherco", "Staff Go Engineer"),
            seniority="lead",
            visa_sponsorship="offered",
            remote="remote",
            remote_regions=("EMEA",),
            evidence={
                "remote": [{"field": "location", "text": "Remote (EMEA)"}],
                "skill:Go": [{"field": "title", "text": "Go"}],
            },
        )

    _add(db, "gopher-board", listed("g1", "https://jobs.lever.co/gopherco/g1"))
    _add(db, "remote-board", listed("g2", "https://jobs.lever.co/gopherco/g1?lever-source=remote-board"))
    html = client.get("/?q=gopherco").get_data(as_text=True)
    assert result_titles(html) == ["Staff Go Engineer"]
    item = client.get("/api/v1/postings?q=gopherco").json["items"][0]
    assert (item["seniority"], item["visa_sponsorship"], item["remote_regions"]) == ("lead", "offered", ["EMEA"])
    page = client.get(f"/postings/{item['id']}").get_data(as_text=True)
    assert "<dt>Also listed on</dt>" in page and ">Remote-Board</a>" in page
    assert "<dt>Open to</dt><dd>EMEA</dd>" in page
    assert "<dt>Visa sponsorship</dt><dd>Offered</dd>" in page
    assert "Why jobsift classified it this way" in page
    assert '“Remote (EMEA)” <span class="hint">in the location</span>' in page
    assert "<dt>Skill Go</dt>" in page


def _jsonld(page: str) -> dict[str, object] | None:
    import json

    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(found.group(1)) if found else None


def test_posting_page_has_jobposting_markup_only_when_the_source_allows_it(client: FlaskClient, db: Database) -> None:
    from sqlalchemy import select

    from store.models import Source

    item = client.get("/api/v1/postings?skill=Django").json["items"][0]
    assert _jsonld(client.get(f"/postings/{item['id']}").get_data(as_text=True)) is None  # terms say nothing: no
    with db.transaction() as s:
        s.scalars(select(Source)).one().terms = {"republish_jobposting": True}
    markup = _jsonld(client.get(f"/postings/{item['id']}").get_data(as_text=True))
    assert markup is not None
    assert (markup["@type"], markup["title"], markup["jobLocationType"]) == (
        "JobPosting", "Senior Python Developer", "TELECOMMUTE"
    )  # fmt: skip
    assert markup["hiringOrganization"] == {"@type": "Organization", "name": "Ledgerly"}
    assert markup["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "USD",
        "value": {"@type": "QuantitativeValue", "unitText": "YEAR", "minValue": 150000.0, "maxValue": 180000.0},
    }
    # The description is HTML inside JSON inside HTML: nothing in it can close the script element.
    assert "</" not in re.search(
        r'ld\+json">(.*?)</script>', client.get(f"/postings/{item['id']}").get_data(as_text=True), re.S
    ).group(1)  # type: ignore[union-attr]
    with db.transaction() as s:
        s.scalars(select(Source)).one().terms = {"republish_jobposting": False}
    assert _jsonld(client.get(f"/postings/{item['id']}").get_data(as_text=True)) is None


def test_posting_page_lists_similar_open_postings(client: FlaskClient, db: Database) -> None:
    from tests.store.helpers import record

    _add(
        db,
        "more-jobs",
        record("a", title="Django Platform Engineer", skills=("Python", "Django")),
        record("b", title="Python Data Engineer", skills=("Python",)),
        record("c", title="Rust Engineer", skills=("Rust",)),
        record("d", title="Django Support Specialist", skills=("Python", "Django"), is_backend=False),
    )
    item = client.get("/api/v1/postings?skill=Django&q=payment").json["items"][0]
    page = client.get(f"/postings/{item['id']}").get_data(as_text=True)
    similar = re.findall(r'<li><a href="/postings/\d+">([^<]+)</a>', page.split("Similar postings")[1])
    assert similar == ["Django Platform Engineer", "Python Data Engineer"]
