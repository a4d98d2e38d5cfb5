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
