"""One job on several boards is one listing; different jobs never merge."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from store.db import Database
from store.dedupe import canonical_url, fingerprint, normalise_title, same_listing
from store.models import Posting
from store.queries.postings import close_missing, upsert_postings
from store.records import PostingRecord
from store.search import PostingFilters, listing_postings, search_postings
from tests.store.helpers import NOW, make_source, record


@pytest.mark.parametrize(
    ("url", "canonical"),
    [
        ("https://jobs.lever.co/acme/4f1c?lever-source=remoteok&utm_medium=feed", "https://jobs.lever.co/acme/4f1c"),
        ("https://jobs.lever.co/acme/4f1c/apply", "https://jobs.lever.co/acme/4f1c"),
        ("http://www.Acme.com/jobs/123/?ref=hn#apply", "https://acme.com/jobs/123"),
        ("https://jobs.ashbyhq.com/acme/9c2e/application", "https://jobs.ashbyhq.com/acme/9c2e"),
        # The query names the job on some boards: kept, in a stable order.
        ("https://acme.com/careers?job=42&gh_jid=7", "https://acme.com/careers?gh_jid=7&job=42"),
        # A careers page, an e-mail or nothing identifies no job.
        ("https://acme.com/careers/", None),
        ("https://acme.com/jobs?utm_source=x", None),
        ("mailto:jobs@acme.com", None),
        ("", None),
        (None, None),
        ("http://[::1", None),
    ],
)
def test_canonical_url(url: str | None, canonical: str | None) -> None:
    assert canonical_url(url) == canonical


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Sr. Back-end Engineer (m/f/d) - Remote", "Senior Backend Engineer"),
        ("Full Stack Developer (Remote, US)", "Full-stack Developer"),
        ("Senior Python Engineer | Remote", "senior python engineer"),
        ("DevOps Engineer [Hybrid]", "Dev Ops Engineer"),
    ],
)
def test_one_title_however_written(a: str, b: str) -> None:
    assert normalise_title(a) == normalise_title(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Senior Backend Engineer", "Backend Engineer"),
        ("Backend Engineer, Payments", "Backend Engineer, Identity"),
        ("Remote Sensing Engineer", "Sensing Engineer"),  # a workplace word inside the role is the role
        ("C++ Engineer", "C Engineer"),
    ],
)
def test_different_titles_stay_different(a: str, b: str) -> None:
    assert normalise_title(a) != normalise_title(b)


def test_fingerprint_folds_company_suffixes_and_needs_both_parts() -> None:
    assert fingerprint("Acme, Inc.", "Sr Backend Engineer") == fingerprint("acme", "Senior Back-End Engineer")
    assert fingerprint("Acme", "Backend Engineer") != fingerprint("Globex", "Backend Engineer")
    assert fingerprint("", "Backend Engineer") is None
    assert fingerprint("Acme", "  ") is None


@pytest.mark.parametrize(
    ("location_a", "location_b", "same"),
    [
        ("Berlin, Germany", "Berlin", True),
        ("Remote", "London, UK", True),  # "Remote" names no place
        (None, "Austin, TX", True),
        ("Berlin, Germany", "London, UK", False),
        ("New York, NY", "San Francisco, CA", False),
    ],
)
def test_places_must_not_contradict(location_a: str | None, location_b: str | None, same: bool) -> None:
    assert same_listing("Backend Engineer", location_a, "Backend Engineer", location_b) is same


def _listed(company: str, title: str, url: str, **fields: object) -> PostingRecord:
    return replace(
        record(url.rsplit("/", 1)[-1] + title[:3], title=title, company=company, url=url),
        canonical_url=canonical_url(url),
        fingerprint=fingerprint(company, title),
        **fields,
    )


def _visible(db: Database) -> list[str]:
    with db.transaction() as s:
        return sorted(f"{p.source.key}:{p.title}" for p in search_postings(s, PostingFilters(), per_page=100).items)


def test_one_job_on_three_boards_is_one_listing(db: Database) -> None:
    with db.transaction() as s:
        board, remoteok, wwr = (make_source(s, key) for key in ("acme-board", "remoteok", "wwr"))
        upsert_postings(s, board, [_listed("Acme", "Senior Backend Engineer", "https://jobs.lever.co/acme/1")], NOW)
        # The remote board links to the company's ATS page, with its own tracking parameter.
        upsert_postings(
            s,
            remoteok,
            [_listed("Acme", "Sr. Backend Engineer (Remote)", "https://jobs.lever.co/acme/1?lever-source=remoteok")],
            NOW,
        )
        # Another board has its own URL: found by company and title.
        upsert_postings(
            s, wwr, [_listed("Acme Inc.", "Senior Back-end Engineer", "https://weworkremotely.com/jobs/acme-1")], NOW
        )
    assert _visible(db) == ["acme-board:Senior Backend Engineer"]
    with db.transaction() as s:
        head = s.query(Posting).filter_by(title="Senior Backend Engineer").one()
        assert [p.source.key for p in listing_postings(s, head)] == ["acme-board", "remoteok", "wwr"]


def test_different_roles_never_merge(db: Database) -> None:
    with db.transaction() as s:
        board, other = make_source(s, "acme-board"), make_source(s, "hn")
        upsert_postings(
            s,
            board,
            [
                _listed("Acme", "Backend Engineer", "https://acme.com/jobs/1", location="Berlin"),
                # Two openings with one title on one board are two openings.
                _listed("Acme", "Backend Engineer", "https://acme.com/jobs/2", location="Berlin"),
            ],
            NOW,
        )
        upsert_postings(
            s,
            other,
            [
                # Same company and title, another city.
                _listed("Acme", "Backend Engineer", "https://news.example/item?id=1", location="London"),
                # One generic link for two roles: the URL matches, the title does not.
                replace(
                    _listed("Acme", "Frontend Engineer", "https://news.example/item?id=2"),
                    canonical_url=canonical_url("https://acme.com/jobs/1"),
                ),
                # Another company with the same title.
                _listed("Globex", "Backend Engineer", "https://globex.example/jobs/9", location="Berlin"),
            ],
            NOW,
        )
    assert len(_visible(db)) == 5


def test_when_the_first_posting_closes_a_duplicate_stands_for_the_listing(db: Database) -> None:
    with db.transaction() as s:
        board, remoteok = make_source(s, "acme-board"), make_source(s, "remoteok")
        upsert_postings(s, board, [_listed("Acme", "Platform Engineer", "https://jobs.lever.co/acme/7")], NOW)
        upsert_postings(s, remoteok, [_listed("Acme", "Platform Engineer", "https://remoteok.example/7")], NOW)
    assert _visible(db) == ["acme-board:Platform Engineer"]
    with db.transaction() as s:
        close_missing(s, board, set(), NOW + timedelta(hours=1))
    assert _visible(db) == ["remoteok:Platform Engineer"]


def test_non_backend_roles_are_kept_hidden_and_countable(db: Database) -> None:
    from store.search import count_other_roles

    with db.transaction() as s:
        board = make_source(s, "acme-board")
        upsert_postings(
            s,
            board,
            [record("1", title="Backend Engineer"), record("2", title="Account Executive", is_backend=False)],
            NOW,
        )
    with db.transaction() as s:
        assert [p.title for p in search_postings(s, PostingFilters()).items] == ["Backend Engineer"]
        assert count_other_roles(s, PostingFilters()) == 1
        everything = search_postings(s, PostingFilters(include_other_roles=True)).items
        assert sorted(p.title for p in everything) == ["Account Executive", "Backend Engineer"]
