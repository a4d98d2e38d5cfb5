"""What a result list shows of a posting (:class:`PostingSummary`), read as plain rows for a page of posting ids."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by

from store.models import Posting, PostingSkill, Source


@dataclass(frozen=True, slots=True)
class SkillName:
    skill: str


@dataclass(frozen=True, slots=True)
class SourceName:
    key: str
    name: str


@dataclass(frozen=True, slots=True)
class PostingSummary:
    """What a result list shows of a posting (the search page, ``web.serialize.posting_summary``), read-only: the
    attributes of a :class:`Posting` it has, under the same names. Immutable, so a cache can share it."""

    id: int
    external_id: str
    url: str
    apply_url: str | None
    title: str
    company: str
    location: str | None
    remote: str
    remote_regions: tuple[str, ...]
    sector: str
    seniority: str
    is_backend: bool
    visa_sponsorship: str
    employment_type: str | None
    salary_min: float | None
    salary_max: float | None
    salary_currency: str | None
    salary_period: str | None
    salary_annual_min: float | None
    salary_annual_max: float | None
    posted_at: datetime | None
    first_seen_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    skills: tuple[SkillName, ...]
    source: SourceName


_SUMMARY_COLUMNS = tuple(
    getattr(Posting, name) for name in PostingSummary.__dataclass_fields__ if name not in {"skills", "source"}
)
_SUMMARY_IDS = sa.bindparam("ids", expanding=True)
# A page's summaries: its rows with their sources, and their skills in the posting's order. PostgreSQL adds each row's
# skills as an array in the same statement (one round trip to the server); SQLite, in process, reads them apart.
_SUMMARY_ROWS = (
    sa.select(*_SUMMARY_COLUMNS, Source.key, Source.name)
    .join(Source, Source.id == Posting.source_id)
    .where(Posting.id.in_(_SUMMARY_IDS))
)
_SUMMARY_ROWS_WITH_SKILLS = _SUMMARY_ROWS.add_columns(
    sa.select(sa.func.array_agg(aggregate_order_by(PostingSkill.skill, PostingSkill.position)))
    .where(PostingSkill.posting_id == Posting.id)
    .scalar_subquery()
)
_SUMMARY_SKILLS = (
    sa.select(PostingSkill.posting_id, PostingSkill.skill)
    .where(PostingSkill.posting_id.in_(_SUMMARY_IDS))
    .order_by(PostingSkill.posting_id, PostingSkill.position)
)
_REGIONS_AT = list(PostingSummary.__dataclass_fields__).index("remote_regions")


def read_summaries(connection: sa.Connection, ids: Sequence[int]) -> dict[int, PostingSummary]:
    """The summaries of the postings of these ids (those that exist), by id: plain rows, no ORM objects."""
    if not ids:
        return {}
    ids = list(ids)
    skills: dict[int, tuple[SkillName, ...]] = {}
    rows: dict[int, Any] = {}
    if connection.dialect.name == "postgresql":
        for row in connection.execute(_SUMMARY_ROWS_WITH_SKILLS, {"ids": ids}):
            rows[row[0]] = row[:-1]
            skills[row[0]] = tuple(SkillName(skill) for skill in row[-1] or ())
    else:
        rows = {row[0]: row for row in connection.execute(_SUMMARY_ROWS, {"ids": ids})}
        named: dict[int, list[SkillName]] = {}
        for posting_id, skill in connection.execute(_SUMMARY_SKILLS, {"ids": ids}):
            named.setdefault(posting_id, []).append(SkillName(skill))
        skills = {posting_id: tuple(names) for posting_id, names in named.items()}
    summaries = {}
    for posting_id, row in rows.items():
        *values, key, name = row
        values[_REGIONS_AT] = tuple(values[_REGIONS_AT] or ())
        summaries[posting_id] = PostingSummary(*values, skills=skills.get(posting_id, ()), source=SourceName(key, name))
    return summaries
