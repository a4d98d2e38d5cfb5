"""``/insights``: the back-end job market now, computed from the store and drawn as inline SVG."""

from __future__ import annotations

import time

from flask import Blueprint, current_app, render_template
from flask.typing import ResponseReturnValue
from markupsafe import Markup

from config.taxonomy import REMOTE_STATUSES, SENIORITY_LEVELS
from store.queries.insights import (
    MIN_SALARIES,
    MIN_TREND_POSTINGS,
    SALARY_CURRENCY,
    MarketInsights,
    Quartiles,
    Share,
    SkillTrend,
    market_insights,
)
from web.db import read_session
from web.insights.charts import Bar, Change, Range, bar_chart, change_chart, range_chart

bp = Blueprint("insights", __name__)

# Median yearly wage of back-end developers in the U.S. (BLS Occupational Employment and Wage Statistics, May 2024,
# as O*NET reports it): the reference line on the salary charts.
US_MEDIAN = 127_260
US_MEDIAN_SOURCE = "BLS 2024 via O*NET"
# The aggregates read every open listing; the market moves over days, so one computation serves a few minutes.
CACHE_SECONDS = 300

SENIORITY_LABELS = {
    "intern": "Intern",
    "junior": "Junior",
    "mid": "Mid-level",
    "senior": "Senior",
    "lead": "Lead",
    "unknown": "Not stated",
}


@bp.get("/insights")
def index() -> ResponseReturnValue:
    found = _insights()
    return render_template(
        "insights/index.html",
        market=found,
        charts=_charts(found),
        remote=_remote_rows(found),
        trend=_by_change(found),
        seniority_rows=_seniority_rows(found),
        skill_rows=[(q.name, q) for q in found.salaries.by_skill],
        us_median=US_MEDIAN,
        us_median_source=US_MEDIAN_SOURCE,
        currency=SALARY_CURRENCY,
        min_salaries=MIN_SALARIES,
        min_trend=MIN_TREND_POSTINGS,
        pct=pct,
        money=money,
        points=points,
    )


def _insights() -> MarketInsights:
    cached = current_app.extensions.get("jobsift.insights")
    if cached is not None and time.monotonic() - cached[0] < CACHE_SECONDS:
        insights: MarketInsights = cached[1]
        return insights
    insights = market_insights(read_session())
    current_app.extensions["jobsift.insights"] = (time.monotonic(), insights)
    return insights


def _order(levels: tuple[str, ...], name: str) -> int:
    return levels.index(name) if name in levels else len(levels)


def _charts(m: MarketInsights) -> dict[str, Markup]:
    charts: dict[str, Markup] = {}
    if m.skills:
        charts["skills"] = bar_chart(
            "chart-skills",
            "Most named skills",
            f"Share of the {m.total:,} open back-end listings naming each skill. "
            + "; ".join(f"{s.name} {pct(s.share)}" for s in m.skills),
            [Bar(s.name, s.share, f"{pct(s.share)} · {s.count:,}") for s in m.skills],
        )
    trend = m.trend
    if trend.enough_data and trend.skills:
        charts["trend"] = change_chart(
            "chart-trend",
            "Skills: last 30 days against the 30 days before",
            "Share of the postings of each window naming each skill. "
            + "; ".join(f"{t.skill} {pct(t.earlier.share)} then {pct(t.recent.share)}" for t in _by_change(m)),
            [
                Change(
                    t.skill,
                    t.earlier.share,
                    t.recent.share,
                    f"{pct(t.earlier.share)} → {pct(t.recent.share)} · {points(t.change)}",
                )
                for t in _by_change(m)
            ],
            "30 days before",
            "last 30 days",
        )
    groups = (
        ("salary-seniority", "Yearly salary by seniority", _seniority_rows(m)),
        ("salary-skill", "Yearly salary by skill", [(q.name, q) for q in m.salaries.by_skill]),
    )
    # One axis for both charts, so a bar means the same salary in each.
    shown = [q for _, _, rows in groups for _, q in rows]
    domain = (min(q.p25 for q in shown), max(q.p75 for q in shown)) if shown else None
    for key, title, rows in groups:
        if rows:
            charts[key] = _salary_chart(key, title, rows, domain)
    if m.remote:
        label = current_app.jinja_env.filters["remote_label"]  # the site's one wording of remote statuses
        charts["remote"] = bar_chart(
            "chart-remote",
            "Remote, hybrid or on-site",
            "Share of open back-end listings by where the work is done. "
            + "; ".join(f"{label(s.name)} {pct(s.share)}" for s in m.remote),
            [Bar(label(s.name), s.share, f"{pct(s.share)} · {s.count:,}") for s in _remote_rows(m)],
        )
    if m.sectors:
        charts["sectors"] = bar_chart(
            "chart-sectors",
            "Sectors",
            "Share of open back-end listings by the employer's sector. "
            + "; ".join(f"{s.name} {pct(s.share)}" for s in m.sectors),
            [Bar(s.name, s.share, f"{pct(s.share)} · {s.count:,}") for s in m.sectors],
        )
    return charts


def _salary_chart(
    key: str, title: str, rows: list[tuple[str, Quartiles]], domain: tuple[float, float] | None
) -> Markup:
    return range_chart(
        f"chart-{key}",
        title,
        f"Middle half (25th to 75th percentile) and median of stated {SALARY_CURRENCY} yearly salaries, against "
        f"the U.S. median of {money(US_MEDIAN)} for back-end developers. "
        + "; ".join(
            f"{name}: median {money(q.median)}, {money(q.p25)} to {money(q.p75)}, {q.count} salaries"
            for name, q in rows
        ),
        [Range(name, q.p25, q.median, q.p75, f"median {money(q.median)} · {q.count:,}") for name, q in rows],
        US_MEDIAN,
        f"U.S. median {money(US_MEDIAN)}",
        domain,
    )


def _by_change(m: MarketInsights) -> list[SkillTrend]:
    """Rising skills first."""
    return sorted(m.trend.skills, key=lambda t: (-t.change, t.skill))


def _seniority_rows(m: MarketInsights) -> list[tuple[str, Quartiles]]:
    """(label, quartiles) by level, junior to lead, then "not stated"."""
    ordered = sorted(m.salaries.by_seniority, key=lambda q: _order(SENIORITY_LEVELS, q.name))
    return [(SENIORITY_LABELS.get(q.name, q.name), q) for q in ordered]


def _remote_rows(m: MarketInsights) -> list[Share]:
    return sorted(m.remote, key=lambda s: _order(REMOTE_STATUSES, s.name))


def pct(share: float) -> str:
    """A share as a percentage: whole numbers, one decimal below 10 %, and "<0.1%" rather than a misleading 0."""
    if share <= 0:
        return "0%"
    if share < 0.001:
        return "<0.1%"
    if share < 0.1:
        return f"{share * 100:.1f}%"
    return f"{share * 100:.0f}%"


def points(change: float) -> str:
    """A change of share in percentage points, signed."""
    value = change * 100
    if abs(value) < 0.05:
        return "no change"
    return f"{value:+.1f} pts".replace("-", "−")


def money(value: float) -> str:
    return f"${value:,.0f}"
