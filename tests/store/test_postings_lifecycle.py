from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from store.db import Database
from store.models import Posting, PostingSkill
from store.queries.postings import close_missing, get_posting, upsert_postings
from tests.store.helpers import NOW, make_source, record

LATER = NOW + timedelta(hours=6)


def test_upsert_inserts_then_recognises_unchanged_and_changed(db: Database) -> None:
    with db.transaction() as s:
        source = make_source(s)
        counts = upsert_postings(s, source, [record("1", skills=("Python", "Django")), record("2")], NOW)
    assert (counts.new, counts.updated, counts.unchanged) == (2, 0, 0)

    with db.transaction() as s:
        counts = upsert_postings(
            s, source, [record("1", skills=("Python", "Django")), record("2", title="Senior Backend Engineer")], LATER
        )
    assert (counts.new, counts.updated, counts.unchanged) == (0, 1, 1)

    with db.transaction() as s:
        rows = {p.external_id: p for p in s.scalars(select(Posting))}
        assert rows["2"].title == "Senior Backend Engineer"
        assert rows["2"].updated_at == LATER
        assert rows["1"].updated_at == NOW
        assert rows["1"].last_seen_at == LATER
        assert rows["1"].first_seen_at == NOW
        detail = get_posting(s, rows["1"].id)
        assert detail is not None
        assert [sk.skill for sk in detail.skills] == ["Python", "Django"]


def test_skills_are_replaced_when_a_posting_changes(db: Database) -> None:
    with db.transaction() as s:
        source = make_source(s)
        upsert_postings(s, source, [record("1", skills=("Python", "Redis"))], NOW)
    with db.transaction() as s:
        upsert_postings(s, source, [record("1", skills=("Go",))], LATER)
    with db.transaction() as s:
        assert list(s.scalars(select(PostingSkill.skill))) == ["Go"]


def test_missing_postings_are_closed_never_deleted_and_reopen_when_back(db: Database) -> None:
    with db.transaction() as s:
        source = make_source(s)
        upsert_postings(s, source, [record("1"), record("2"), record("3")], NOW)
    with db.transaction() as s:
        upsert_postings(s, source, [record("1")], LATER)
        assert close_missing(s, source, {"1"}, LATER) == 2
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Posting)) == 3
        closed = {p.external_id: p.closed_at for p in s.scalars(select(Posting))}
        assert closed == {"1": None, "2": LATER, "3": LATER}
        # Closing again changes nothing that is already closed.
        assert close_missing(s, source, {"1"}, LATER + timedelta(hours=1)) == 0

    back = LATER + timedelta(days=1)
    with db.transaction() as s:
        counts = upsert_postings(s, source, [record("1"), record("2")], back)
        assert (counts.new, counts.updated, counts.unchanged) == (0, 1, 1)
    with db.transaction() as s:
        reopened = s.scalar(select(Posting).where(Posting.external_id == "2"))
        assert reopened is not None and reopened.closed_at is None and reopened.last_seen_at == back


def test_same_external_id_in_two_sources_is_two_postings(db: Database) -> None:
    with db.transaction() as s:
        a = make_source(s, "a")
        b = make_source(s, "b")
        upsert_postings(s, a, [record("1")], NOW)
        upsert_postings(s, b, [record("1")], NOW)
    with db.transaction() as s:
        assert s.scalar(select(func.count()).select_from(Posting)) == 2


def test_posting_is_unique_on_source_and_external_id(db: Database) -> None:
    with db.transaction() as s:
        source = make_source(s)
        upsert_postings(s, source, [record("1")], NOW)
    with pytest.raises(IntegrityError), db.transaction() as s:
        upsert_postings(s, source, [record("x")], NOW)
        s.flush()
        s.execute(Posting.__table__.update().where(Posting.external_id == "x").values(external_id="1"))


def test_datetimes_come_back_aware_utc(db: Database) -> None:
    with db.transaction() as s:
        source = make_source(s)
        upsert_postings(s, source, [record("1", posted_at=NOW.astimezone())], NOW)
    with db.transaction() as s:
        posting = s.scalar(select(Posting))
        assert posting is not None
        assert posting.posted_at == NOW
        assert posting.posted_at.utcoffset() == timedelta(0)


def test_content_hash_covers_every_stored_field() -> None:
    a = record("1")
    assert a.content_hash() == record("1").content_hash()
    assert a.content_hash() != replace(a, description_html="<p>other</p>").content_hash()
    assert a.content_hash() != replace(a, skills=("Python",)).content_hash()
    assert a.content_hash() != replace(a, posted_at=NOW + timedelta(seconds=1)).content_hash()


def test_a_posting_past_its_valid_through_is_closed_and_stays_closed(db: Database) -> None:
    expired = record("1", valid_through=NOW - timedelta(days=1))
    with db.transaction() as s:
        source = make_source(s)
        counts = upsert_postings(s, source, [expired, record("2", valid_through=NOW + timedelta(days=30))], NOW)
        assert (counts.new, counts.expired) == (2, 0)
    with db.transaction() as s:
        assert {p.external_id: p.closed_at for p in s.scalars(select(Posting))} == {"1": NOW, "2": None}

    # Still listed by the feed, on a later crawl: it stays closed, and nothing churns.
    with db.transaction() as s:
        counts = upsert_postings(s, source, [expired, record("2", valid_through=NOW + timedelta(days=30))], LATER)
        assert (counts.updated, counts.unchanged, counts.expired) == (0, 2, 0)

    # A posting open in the store whose feed now says it has expired is closed by the crawl.
    with db.transaction() as s:
        counts = upsert_postings(s, source, [record("2", valid_through=LATER - timedelta(minutes=1))], LATER)
        assert counts.expired == 1
    with db.transaction() as s:
        assert s.scalars(select(Posting.closed_at).where(Posting.external_id == "2")).one() == LATER

    # Extended again: it reopens.
    with db.transaction() as s:
        counts = upsert_postings(s, source, [record("2", valid_through=LATER + timedelta(days=9))], LATER)
        assert counts.updated == 1
    with db.transaction() as s:
        assert s.scalars(select(Posting.closed_at).where(Posting.external_id == "2")).one() is None


def test_every_field_of_a_new_posting_is_stored_as_given(db: Database) -> None:
    # Every column type the insert path binds: JSON documents (a pre-serialised payload too), lists, numerics,
    # booleans, aware datetimes, text with quotes and percent signs (PostgreSQL inserts bypass SQLAlchemy's VALUES).
    given = record(
        "all",
        title="Backend Engineer (100% remote) 'Payments'",
        company="O'Brien & Sons",
        location="Remote, EU",
        salary_min=90000.5,
        salary_max=120000.0,
        salary_currency="EUR",
        salary_period="year",
        description_raw='<p>"Raw" %s %(name)s</p>',
        posted_at=NOW.astimezone(),
        valid_through=LATER,
        remote_regions_raw=("EU",),
        remote_regions=("Europe",),
        tags_raw=("python", "ünïcode"),
        is_backend=False,
        visa_sponsorship="offered",
        salary_annual_min=90000.5,
        evidence={"remote": [{"field": "location", "text": "Remote, EU"}]},
        canonical_url="https://jobs.example.com/all",
        fingerprint="acme|backend engineer|remote",
        raw={"id": 7, "nested": {"b": [1, 2], "a": None}, "text": "50% off"},
        skills=("Python", "Go"),
    )
    with db.transaction() as s:
        source = make_source(s)
        upsert_postings(s, source, [given, record("second")], NOW)
    with db.transaction() as s:
        posting = s.scalar(select(Posting).where(Posting.external_id == "all"))
        assert posting is not None
        for name in ("title", "company", "location", "salary_min", "salary_max", "salary_currency", "description_raw"):
            assert getattr(posting, name) == getattr(given, name), name
        assert (posting.posted_at, posting.valid_through, posting.first_seen_at) == (NOW, LATER, NOW)
        assert (posting.remote_regions_raw, posting.remote_regions, posting.tags_raw) == (
            ["EU"],
            ["Europe"],
            ["python", "ünïcode"],
        )
        assert (posting.is_backend, posting.visa_sponsorship, posting.salary_annual_min) == (False, "offered", 90000.5)
        assert posting.evidence == given.evidence
        assert posting.raw == given.raw
        assert posting.closed_at is None
        assert posting.content_hash == given.content_hash()
        skills = s.scalars(select(PostingSkill.skill).where(PostingSkill.posting_id == posting.id)).all()
        assert sorted(skills) == ["Go", "Python"]
        assert s.scalar(select(func.count()).select_from(Posting)) == 2
