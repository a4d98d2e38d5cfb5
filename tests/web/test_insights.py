"""The insights page: shares, salary quartiles and the skill trend, computed from the store, drawn as inline SVG."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from config.settings import Settings
from store.db import Database
from store.models import Posting
from store.queries.insights import MarketInsights, Share, market_insights, percentile, quartiles
from store.queries.postings import close_missing, upsert_postings
from store.records import PostingRecord
from tests.store.helpers import NOW, make_source, record
from web import create_app

SVG = "{http://www.w3.org/2000/svg}"


def usd(low: float | None, high: float | None) -> dict[str, object]:
    return {"salary_currency": "USD", "salary_period": "year", "salary_annual_min": low, "salary_annual_max": high}


def market() -> list[PostingRecord]:
    """Eight open back-end listings, and three postings that must not count (closed, not back-end, duplicate)."""
    return [
        record("p1", skills=("Python", "Django"), remote="remote", sector="Retail & e-commerce", seniority="senior",
               **usd(100_000, 120_000)),
        record("p2", skills=("Python",), remote="remote", seniority="senior", **usd(120_000, None)),
        record("p3", skills=("Python", "Go"), remote="hybrid", seniority="senior", **usd(None, 130_000)),
        record("p4", skills=("Python", "Go"), remote="onsite", seniority="senior", **usd(140_000, 140_000)),
        record("p5", skills=("Python",), remote="unknown", seniority="senior", **usd(150_000, 150_000)),
        record("p6", skills=("Go",), remote="remote", seniority="mid"),
        record("p7", skills=("Python",), remote="remote", seniority="senior", salary_currency="EUR",
               salary_period="year", salary_annual_min=200_000.0, salary_annual_max=200_000.0),
        record("p8", remote="remote", seniority="lead", **usd(200_000, 200_000)),
        # Left out: closed by `load`, not back-end, and one `load` marks a duplicate of p1 (as if on another board).
        record("closed", skills=("Python", "Rust"), remote="onsite", seniority="senior", **usd(500_000, 500_000)),
        record("frontend", skills=("Python", "React"), is_backend=False, remote="onsite", seniority="senior",
               **usd(900_000, 900_000)),
        record("dup", skills=("Python", "Rust"), remote="onsite", seniority="senior", **usd(800_000, 800_000)),
    ]  # fmt: skip


def load(db: Database, records: list[PostingRecord], now: datetime = NOW, closed: tuple[str, ...] = ()) -> None:
    with db.transaction() as s:
        source = make_source(s, "board")
        upsert_postings(s, source, records, now)
        close_missing(s, source, {r.external_id for r in records} - set(closed), now)
        head = s.scalar(select(Posting.id).where(Posting.external_id == "p1"))
        if head is not None:
            s.execute(update(Posting).where(Posting.external_id == "dup").values(duplicate_of=head))


def insights(db: Database, now: datetime = NOW) -> MarketInsights:
    with db.transaction() as s:
        return market_insights(s, now=now)


def shares(rows: list[Share]) -> dict[str, tuple[int, float]]:
    return {row.name: (row.count, round(row.share, 4)) for row in rows}


def test_shares_count_open_backend_listings_once(db: Database) -> None:
    load(db, market(), closed=("closed",))
    m = insights(db)
    assert m.total == 8
    assert shares(m.skills) == {"Python": (6, 0.75), "Go": (3, 0.375), "Django": (1, 0.125)}
    assert [s.name for s in m.skills] == ["Python", "Go", "Django"]
    assert shares(m.remote) == {"remote": (5, 0.625), "hybrid": (1, 0.125), "onsite": (1, 0.125), "unknown": (1, 0.125)}
    assert shares(m.sectors) == {"Technology": (7, 0.875), "Retail & e-commerce": (1, 0.125)}


def test_salary_quartiles_use_usd_yearly_midpoints_and_drop_small_groups(db: Database) -> None:
    load(db, market(), closed=("closed",))
    salaries = insights(db).salaries
    # USD midpoints 110k, 120k, 130k, 140k, 150k, 200k; the EUR salary is counted apart, the others are not open
    # back-end listings.
    assert (salaries.stated, salaries.other_currency) == (6, 1)
    assert salaries.overall is not None
    assert (salaries.overall.count, salaries.overall.p25, salaries.overall.median, salaries.overall.p75) == (
        6,
        122_500,
        135_000,
        147_500,
    )
    assert [(q.name, q.count, q.p25, q.median, q.p75) for q in salaries.by_seniority] == [
        ("senior", 5, 120_000, 130_000, 140_000)
    ]  # "lead" has one salary and "mid" none: fewer than five
    assert [(q.name, q.count, q.median) for q in salaries.by_skill] == [("Python", 5, 130_000)]  # Go has two


def test_percentiles_interpolate_between_ranks() -> None:
    assert percentile([10.0], 0.5) == 10
    assert percentile([10.0, 20.0], 0.25) == 12.5
    assert percentile([1.0, 2.0, 3.0, 4.0], 0.75) == 3.25
    assert quartiles("x", [5.0, 1.0, 4.0, 2.0, 3.0]) == quartiles("x", [1.0, 2.0, 3.0, 4.0, 5.0])
    assert quartiles("x", [1.0, 2.0, 3.0, 4.0]) is None


def trend_market(now: datetime) -> list[PostingRecord]:
    """20 postings in each window: Python in half of the recent ones and a quarter of the earlier ones."""
    recent = [
        record(f"r{i}", posted_at=None if i == 0 else now - timedelta(days=5), skills=("Python",) if i < 10 else ())
        for i in range(20)
    ]
    earlier = [
        record(f"e{i}", posted_at=now - timedelta(days=40), skills=("Python", "Go") if i < 5 else ("Go",))
        for i in range(20)
    ]
    old = [record("old", posted_at=now - timedelta(days=70), skills=("Python",))]
    return recent + earlier + old


def test_trend_compares_the_last_30_days_with_the_30_before(db: Database) -> None:
    # Half the earlier window has closed since: it still counts, as the market of its month.
    load(db, trend_market(NOW), closed=tuple(f"e{i}" for i in range(0, 20, 2)))
    trend = insights(db).trend
    assert (trend.recent_total, trend.earlier_total, trend.enough_data) == (20, 20, True)
    by_skill = {t.skill: t for t in trend.skills}
    python = by_skill["Python"]
    assert (python.recent.count, python.earlier.count) == (10, 5)
    assert round(python.change, 4) == 0.25
    assert (by_skill["Go"].recent.share, by_skill["Go"].earlier.share) == (0.0, 1.0)


def test_trend_needs_enough_postings_in_each_window(db: Database) -> None:
    load(db, market(), closed=("closed",))
    trend = insights(db).trend
    # The closed posting counts in its window too.
    assert (trend.recent_total, trend.earlier_total, trend.enough_data) == (9, 0, False)


# The page.


@pytest.fixture
def make_client(settings: Settings, db: Database) -> Iterator[Callable[..., FlaskClient]]:
    apps: list[Flask] = []

    def build(records: list[PostingRecord], now: datetime = NOW, closed: tuple[str, ...] = ()) -> FlaskClient:
        if records:
            load(db, records, now, closed)
        app = create_app(settings, {"TESTING": True})
        apps.append(app)
        return app.test_client()

    yield build
    for app in apps:
        app.extensions["jobsift.db"].dispose()


def prose(html: str) -> str:
    """The page with runs of whitespace as one space, to match sentences however the template wraps them."""
    return " ".join(html.split())


def svgs(html: str) -> list[ET.Element]:
    """Every inline chart, parsed as XML: a malformed one raises."""
    return [ET.fromstring(chunk) for chunk in re.findall(r"<svg\b.*?</svg>", html, flags=re.S)]


def test_page_draws_each_chart_as_valid_accessible_svg(make_client: Callable[..., FlaskClient]) -> None:
    response = make_client(market(), closed=("closed",)).get("/insights")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    charts = svgs(html)
    ids = [svg.get("id") for svg in charts]
    assert ids == ["chart-skills", "chart-salary-seniority", "chart-salary-skill", "chart-remote", "chart-sectors"]
    for svg in charts:
        assert svg.get("role") == "img" and svg.get("viewBox", "").startswith("0 0 400 ")
        assert svg.get("aria-labelledby") == f"{svg.get('id')}-title {svg.get('id')}-desc"
        assert svg.findtext(f"{SVG}title") and svg.findtext(f"{SVG}desc")
    # The CSP allows no inline style or script.
    assert "style=" not in html and "<script" not in html
    labels = [t.text for t in charts[-1].iter(f"{SVG}text")]
    assert "Retail & e-commerce" in labels  # escaped in the markup, read back whole


def test_page_shows_the_numbers_beside_the_charts(make_client: Callable[..., FlaskClient]) -> None:
    html = prose(make_client(market(), closed=("closed",)).get("/insights").get_data(as_text=True))
    assert "8 open back-end listings" in html
    assert "Python is named in 75% of listings, then Go (38%) and Django (12%)." in html
    assert '<a href="/?skill=Python">Python</a></th><td class="num">6</td><td class="num">75%</td>' in html
    assert '<a href="/?remote=remote">Remote</a></th><td class="num">5</td><td class="num">62%</td>' in html
    # Quartiles of the six USD salaries, against the U.S. median.
    assert "pay between $122,500 and $147,500 a year. Their median, $135,000, is" in html
    assert "$7,740 above" in html and "U.S. median $127,260" in html
    assert "1 listing with a salary in another currency is left out." in html
    assert (
        '<th scope="row">Senior</th><td class="num">5</td><td class="num">$120,000</td>'
        '<td class="num">$130,000</td><td class="num">$140,000</td>'
    ) in html
    assert '<th scope="row">Lead</th>' not in html  # one salary is too few
    # The page counts back from the real clock, so all eight listings fall in one window at most.
    assert "Not enough data for a trend yet" in html


def test_page_charts_the_trend_when_both_windows_are_full(make_client: Callable[..., FlaskClient]) -> None:
    now = datetime.now(UTC)
    html = prose(make_client(trend_market(now), now=now).get("/insights").get_data(as_text=True))
    assert "chart-trend" in [svg.get("id") for svg in svgs(html)]
    assert "Python gained most (+25.0 pts)" in html and "Go lost most (−100.0 pts)" in html
    assert '25% (5)</td><td class="num">50% (10)</td><td class="num">+25.0 pts' in html


def test_empty_store_gets_a_friendly_page(make_client: Callable[..., FlaskClient]) -> None:
    response = make_client([]).get("/insights")
    assert response.status_code == 200
    html = prose(response.get_data(as_text=True))
    assert "no open back-end listings in the store yet" in html
    assert svgs(html) == []


def test_site_header_links_to_the_insights(make_client: Callable[..., FlaskClient]) -> None:
    html = prose(make_client([]).get("/").get_data(as_text=True))
    assert '<a href="/insights">Market insights</a>' in html
