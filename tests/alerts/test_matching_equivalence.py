"""What an alert sends is what the search page shows: for a varied set of searches over a varied set of postings, the
matcher (store.queries.alerts.NewPostings, evaluated in Python over the new postings, keywords through the
full-text index) gives exactly the open postings that store.search.search_postings finds."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import update

from store.db import Database
from store.models import Posting
from store.queries.alerts import NewPostings, max_posting_id
from store.search import PostingFilters, search_postings
from tests.alerts.helpers import active_alert, add_postings, now, outbox_of
from tests.store.helpers import record
from web.alerts.matching import match_new_postings
from web.alerts.searches import canonical_query, filters_from_query

SKILLS = ("Python", "Django", "Go", "Java", "PostgreSQL", "Kubernetes", "Node.js", "TypeScript", "Rust", "AWS")
REGIONS = ((), ("Europe",), ("US",), ("Europe", "UK"), ("EMEA",), ("North America", "US"))
SECTORS = ("Technology", "Financial services", "Healthcare", "Retail & e-commerce")
COMPANIES = ("Acme", "ACME", "Globex", "Initech", "Émile GmbH", "émile gmbh", "Umbrella Corp")
WORDS = (
    "kafka", "event sourcing", "payments", "graphql", "the team", "distributed systems", "kafka streams",
    "machine learning", "php", "microservices",
)  # fmt: skip

SEARCHES = [
    "skill=Python",
    "skill=python&skill=Django",
    "skill=Go&skill=Rust&skills_mode=any",
    "skill=Python&not_skill=Django",
    "not_skill=Java&remote=remote",
    "remote=hybrid",
    "remote=unknown",
    "region=Europe",
    "region=US&skill=Go",
    "region=UK",
    "sector=Financial+services",
    "sector=Healthcare&remote=onsite",
    "seniority=senior",
    "seniority=senior&seniority=lead&skill=Python",
    "employment_type=contract",
    "visa=offered",
    "visa=not_stated&remote=remote",
    "min_salary=120000",
    "min_salary=90000&currency=EUR",
    "salary=1&skill=Java",
    "posted=7d&skill=Python",
    "posted=24h",
    "posted=30d&remote=remote",
    "company=acme",
    "company=%C3%A9mile+gmbh",
    "not_company=Acme&not_company=Globex&skill=Python",
    "source=board-b",
    "source=board-b&remote=remote",
    "all_roles=1&skill=Python",
    "all_roles=1&remote=hybrid",
    "q=kafka",
    "q=Kafka+streams",
    'q="event+sourcing"',
    "q=payments+-php",
    "q=-kafka&skill=Python",
    "q=the",
    "q=the+kafka",
    "q=graphql&skill=TypeScript&remote=remote",
    "q=distributed+systems&min_salary=100000",
    'q="machine+learning"+microservices&all_roles=1',
    "q=node.js",
    "q=%22kafka+streams%22+-%22event+sourcing%22",
    "skill=Kubernetes&region=Europe&seniority=mid&sector=Technology&visa=offered",
    "skill=AWS&min_salary=150000&currency=USD&remote=remote&posted=30d",
]


def _postings(db: Database) -> list[int]:
    rng = random.Random(7)
    moment = now()
    records = []
    for i in range(160):
        currency = rng.choice(("USD", "USD", "EUR", None))
        pay = rng.choice((None, 80_000.0, 95_000.0, 120_000.0, 150_000.0, 180_000.0))
        top = rng.choice((None, pay))
        words = rng.sample(WORDS, rng.randint(0, 3))
        records.append(
            record(
                f"p{i}",
                title=f"{rng.choice(('Backend', 'Platform', 'Kafka', 'Payments', 'API'))} Engineer {i}",
                company=rng.choice(COMPANIES),
                location=rng.choice((None, "Berlin", "Remote - US", "London")),
                description_text="We build " + ", ".join(words) + " and more." if words else "Build APIs.",
                skills=tuple(rng.sample(SKILLS, rng.randint(0, 4))),
                remote=rng.choice(("remote", "remote", "hybrid", "onsite", "unknown")),
                remote_regions=rng.choice(REGIONS),
                sector=rng.choice(SECTORS),
                seniority=rng.choice(("senior", "mid", "lead", "junior", "unknown")),
                employment_type=rng.choice(("full_time", "contract", None)),
                visa_sponsorship=rng.choice(("offered", "not_offered", "not_stated")),
                is_backend=rng.random() > 0.2,
                salary_currency=currency if pay else None,
                salary_annual_min=pay if currency else None,
                salary_annual_max=top if currency else None,
                posted_at=rng.choice((None, moment - timedelta(hours=rng.choice((2, 30, 100, 300, 800, 2000))))),
            )
        )
    ids = add_postings(db, *records[:100], source="board-a") + add_postings(db, *records[100:], source="board-b")
    with db.transaction() as s:
        # Some have left their feed since.
        s.execute(update(Posting).where(Posting.id.in_(ids[::9])).values(closed_at=moment))
    return ids


def _search_ids(db: Database, filters: PostingFilters) -> set[int]:
    found: set[int] = set()
    with db.transaction() as s:
        page = 1
        while True:
            result = search_postings(s, replace(filters, include_closed=False), page=page, per_page=100)
            found |= {p.id for p in result.items}
            if page >= result.pages:
                return found
            page += 1


def test_every_search_matches_exactly_what_the_search_page_finds(db: Database) -> None:
    _postings(db)
    with db.transaction() as s:
        batch = NewPostings(s, 0, max_posting_id(s), now())
        answers = {query: set(batch.matching(filters_from_query(query))) for query in SEARCHES}
    nonempty = 0
    for query in SEARCHES:
        expected = _search_ids(db, filters_from_query(query))
        assert answers[query] == expected, (query, sorted(answers[query] ^ expected))
        nonempty += bool(expected)
    # The set is varied enough to mean something: most searches find some postings, none finds them all.
    assert nonempty >= len(SEARCHES) - 6


def test_keywords_prefetched_together_give_the_same_answers(db: Database) -> None:
    _postings(db)
    with db.transaction() as s:
        together = NewPostings(s, 0, max_posting_id(s), now())
        together.prefetch_keywords(filters_from_query(q).q for q in SEARCHES)
        one_by_one = NewPostings(s, 0, max_posting_id(s), now())
        for query in SEARCHES:
            filters = filters_from_query(query)
            assert together.matching(filters) == one_by_one.matching(filters), query


def test_only_the_id_range_counts(db: Database) -> None:
    ids = _postings(db)
    cut = ids[80]
    with db.transaction() as s:
        upper = NewPostings(s, cut, max_posting_id(s), now())
        for query in SEARCHES:
            filters = filters_from_query(query)
            assert upper.matching(filters) == {i for i in _search_ids(db, filters) if i > cut}, query


@pytest.mark.parametrize("query", SEARCHES[::5])
def test_end_to_end_the_outbox_holds_what_the_search_shows(db: Database, query: str) -> None:
    alert = active_alert(db, canonical_query(filters_from_query(query)))
    ids = _postings(db)
    match_new_postings(db)
    assert set(outbox_of(db, alert)) == _search_ids(db, filters_from_query(query)) & set(ids)
