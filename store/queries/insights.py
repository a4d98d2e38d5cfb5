"""The back-end job market now, as the insights page shows it: skill shares and their trend, salaries, remote status,
sectors. Counts are of open back-end listings, one per job however many boards list it, as the search counts them.

Aggregates are plain GROUP BY queries. Salary quartiles are computed here from the fetched midpoints: SQLite has no
percentile function, and one code path for both databases keeps the figures identical on each.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from store.models import Posting, PostingSkill

TREND_WINDOW = timedelta(days=30)
# Fewer postings than this in either trend window and shares move by chance: the page says "not enough data".
MIN_TREND_POSTINGS = 20
# Quartiles of fewer salaries than this say more about single postings than about the market.
MIN_SALARIES = 5
SALARY_CURRENCY = "USD"


@dataclass(frozen=True)
class Share:
    """A value (skill, remote status, sector) and how many of ``total`` listings have it."""

    name: str
    count: int
    total: int

    @property
    def share(self) -> float:
        return self.count / self.total if self.total else 0.0


@dataclass(frozen=True)
class SkillTrend:
    skill: str
    recent: Share  # among postings of the last TREND_WINDOW
    earlier: Share  # among postings of the TREND_WINDOW before

    @property
    def change(self) -> float:
        """Change of share, as a fraction (0.05 is five percentage points)."""
        return self.recent.share - self.earlier.share


@dataclass(frozen=True)
class Trend:
    recent_total: int
    earlier_total: int
    skills: list[SkillTrend]
    since: datetime  # start of the earlier window
    split: datetime  # end of the earlier window, start of the recent one

    @property
    def enough_data(self) -> bool:
        return min(self.recent_total, self.earlier_total) >= MIN_TREND_POSTINGS


@dataclass(frozen=True)
class Quartiles:
    """Yearly salary quartiles of a group of listings (a skill, a seniority level, or all of them)."""

    name: str
    count: int
    p25: float
    median: float
    p75: float


@dataclass(frozen=True)
class Salaries:
    stated: int  # open listings with a yearly salary in SALARY_CURRENCY
    other_currency: int  # open listings with a salary in another currency, left out
    overall: Quartiles | None  # None below MIN_SALARIES
    by_skill: list[Quartiles]  # the top skills with at least MIN_SALARIES salaries, highest median first
    by_seniority: list[Quartiles]  # seniority levels with at least MIN_SALARIES salaries, by count


@dataclass(frozen=True)
class MarketInsights:
    total: int  # open back-end listings
    skills: list[Share]  # the most named skills, most first
    trend: Trend
    remote: list[Share]
    sectors: list[Share]
    salaries: Salaries
    computed_at: datetime


def _listing() -> list[sa.ColumnElement[bool]]:
    """One row per back-end listing (store/search `_where`, without the closed filter)."""
    return [Posting.is_backend.is_(True), Posting.duplicate_of.is_(None)]


def _open_listing() -> list[sa.ColumnElement[bool]]:
    return [*_listing(), Posting.closed_at.is_(None)]


def market_insights(session: Session, *, now: datetime | None = None, top_skills: int = 15) -> MarketInsights:
    now = now or datetime.now(UTC)
    total = session.scalar(sa.select(sa.func.count()).select_from(Posting).where(*_open_listing())) or 0
    skills = _skill_shares(session, _open_listing(), total, limit=top_skills)
    top = [s.name for s in skills]
    return MarketInsights(
        total=total,
        skills=skills,
        trend=skill_trend(session, top, now=now),
        remote=_column_shares(session, Posting.remote, total),
        sectors=_column_shares(session, Posting.sector, total),
        salaries=salary_quartiles(session, top),
        computed_at=now,
    )


def _skill_shares(
    session: Session, where: Sequence[sa.ColumnElement[bool]], total: int, *, limit: int | None = None
) -> list[Share]:
    count = sa.func.count()
    query = (
        sa.select(PostingSkill.skill, count)
        .join(Posting, Posting.id == PostingSkill.posting_id)
        .where(*where)
        .group_by(PostingSkill.skill)
        .order_by(count.desc(), PostingSkill.skill)
    )
    if limit is not None:
        query = query.limit(limit)
    return [Share(str(skill), int(n), total) for skill, n in session.execute(query)]


def _column_shares(session: Session, column: sa.ColumnElement[str], total: int) -> list[Share]:
    count = sa.func.count()
    rows = session.execute(
        sa.select(column, count).where(*_open_listing()).group_by(column).order_by(count.desc(), column)
    )
    return [Share(str(value), int(n), total) for value, n in rows if value is not None]


def skill_trend(session: Session, skills: Sequence[str], *, now: datetime) -> Trend:
    """Each skill's share of the postings of the last TREND_WINDOW against the TREND_WINDOW before.

    A posting belongs to the window it was posted in (first seen, when the feed gives no date). Closed postings count:
    most postings of the earlier window have closed by now, and leaving them out would compare this month's market
    with the few hard-to-fill roles that outlived the last one.
    """
    split = now - TREND_WINDOW
    since = split - TREND_WINDOW
    when = sa.func.coalesce(Posting.posted_at, Posting.first_seen_at)
    windows = {"recent": [when >= split], "earlier": [when >= since, when < split]}
    totals: dict[str, int] = {}
    counts: dict[str, dict[str, int]] = {}
    for name, bounds in windows.items():
        where = [*_listing(), *bounds]
        totals[name] = session.scalar(sa.select(sa.func.count()).select_from(Posting).where(*where)) or 0
        rows = session.execute(
            sa.select(PostingSkill.skill, sa.func.count())
            .join(Posting, Posting.id == PostingSkill.posting_id)
            .where(*where, PostingSkill.skill.in_(skills))
            .group_by(PostingSkill.skill)
        )
        counts[name] = {str(skill): int(n) for skill, n in rows}
    return Trend(
        recent_total=totals["recent"],
        earlier_total=totals["earlier"],
        skills=[
            SkillTrend(
                skill,
                recent=Share(skill, counts["recent"].get(skill, 0), totals["recent"]),
                earlier=Share(skill, counts["earlier"].get(skill, 0), totals["earlier"]),
            )
            for skill in skills
        ],
        since=since,
        split=split,
    )


def salary_quartiles(session: Session, skills: Sequence[str]) -> Salaries:
    """Quartiles of the yearly salaries of open listings in SALARY_CURRENCY: all of them, per skill of ``skills``
    and per seniority level. A listing's salary is the midpoint of its yearly range, or the one end it states."""
    stated = sa.func.coalesce(Posting.salary_annual_min, Posting.salary_annual_max).is_not(None)
    rows = session.execute(
        sa.select(Posting.id, Posting.salary_annual_min, Posting.salary_annual_max, Posting.seniority).where(
            *_open_listing(), stated, Posting.salary_currency == SALARY_CURRENCY
        )
    ).all()
    pay = {pid: _midpoint(low, high) for pid, low, high, _ in rows}
    other_currency = (
        session.scalar(
            sa.select(sa.func.count())
            .select_from(Posting)
            .where(
                *_open_listing(),
                stated,
                sa.or_(Posting.salary_currency.is_(None), Posting.salary_currency != SALARY_CURRENCY),
            )
        )
        or 0
    )

    by_level: dict[str, list[float]] = defaultdict(list)
    for pid, _, _, level in rows:
        by_level[level or "unknown"].append(pay[pid])
    by_skill: dict[str, list[float]] = defaultdict(list)
    if skills and pay:
        paid = sa.select(Posting.id).where(*_open_listing(), stated, Posting.salary_currency == SALARY_CURRENCY)
        pairs = session.execute(
            sa.select(PostingSkill.posting_id, PostingSkill.skill).where(
                PostingSkill.skill.in_(skills), PostingSkill.posting_id.in_(paid)
            )
        )
        for pid, skill in pairs:
            if pid in pay:
                by_skill[str(skill)].append(pay[pid])

    skill_rows = [q for name, values in by_skill.items() if (q := quartiles(name, values)) is not None]
    level_rows = [q for name, values in by_level.items() if (q := quartiles(name, values)) is not None]
    return Salaries(
        stated=len(pay),
        other_currency=other_currency,
        overall=quartiles("All", pay.values()),
        by_skill=sorted(skill_rows, key=lambda q: (-q.median, q.name)),
        by_seniority=sorted(level_rows, key=lambda q: (-q.count, q.name)),
    )


def _midpoint(low: float | None, high: float | None) -> float:
    ends = [float(v) for v in (low, high) if v is not None]  # the query keeps only rows with at least one
    return sum(ends) / len(ends)


def quartiles(name: str, values: Iterable[float], minimum: int = MIN_SALARIES) -> Quartiles | None:
    """p25, median and p75 of ``values``, or None when there are fewer than ``minimum``."""
    ordered = sorted(values)
    if not ordered or len(ordered) < minimum:
        return None
    return Quartiles(
        name=name,
        count=len(ordered),
        p25=percentile(ordered, 0.25),
        median=percentile(ordered, 0.5),
        p75=percentile(ordered, 0.75),
    )


def percentile(ordered: Sequence[float], fraction: float) -> float:
    """The ``fraction`` percentile of sorted values, interpolating between the closest ranks (numpy's default,
    spreadsheets' PERCENTILE.INC)."""
    position = (len(ordered) - 1) * fraction
    below = int(position)
    above = min(below + 1, len(ordered) - 1)
    return ordered[below] + (ordered[above] - ordered[below]) * (position - below)
