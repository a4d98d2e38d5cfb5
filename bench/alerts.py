"""``python -m bench alerts``: matching saved searches against new postings, and sending digests.

Targets (issue 7), on SQLite and on PostgreSQL:
- matching 100,000 saved searches against 10,000 new postings in <= 10 s: one full pass of the scheduler's matcher
  (web.alerts.matching.match_new_postings): settle the high-water mark, load the new postings, answer every distinct
  search, write the outbox and move every watermark;
- rendering and sending 10,000 digests to a local SMTP sink at >= 200 emails/s: web.alerts.sender.Sender over one
  SMTP connection, to aiosmtpd's Sink handler in a process of its own (so that the sink's work does not share this
  process's GIL), each digest claimed, rendered (text + HTML), sent and recorded as in production.

The data: 20,000 postings already matched and 10,000 new ones, ingested through the real store query (so the
full-text index is filled as a crawl fills it), shaped like the job market the classifiers see: a skewed mix of
stacks and companion skills, remote / hybrid / onsite, regions, sectors, seniority, stated salaries on a third,
descriptions drawn from a technical vocabulary. The saved searches are what people ask for: one or two skills, often
a remote status or region, sometimes seniority, a sector, a minimum salary, keywords (a word, a phrase, an exclusion),
an employer to leave out. As at the subscribe form, searches with no filter, and searches that would flood the inbox
(more than 200 of the new postings, about a week of ingest at this size) are refused while generating; the rest are
kept until there are 100,000 (many share their filters, as popular searches do).
"""

from __future__ import annotations

import os
import random
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from bench.stores import postgres_store, sqlite_store
from config.settings import load_settings
from store.db import Database
from store.models import AlertDigest, AlertSubscription
from store.queries.alerts import NewPostings, cut_digests, max_posting_id
from store.queries.postings import upsert_postings
from store.queries.sources import upsert_source
from store.records import PostingRecord
from web.alerts.matching import match_new_postings
from web.alerts.searches import FLOOD_LIMIT, canonical_query, filters_from_query, narrows
from web.alerts.sender import Sender

SUBSCRIPTIONS = int(os.environ.get("BENCH_ALERT_SUBSCRIPTIONS", "100000"))
NEW_POSTINGS = int(os.environ.get("BENCH_ALERT_POSTINGS", "10000"))
OLD_POSTINGS = int(os.environ.get("BENCH_ALERT_OLD_POSTINGS", "20000"))
DIGESTS = int(os.environ.get("BENCH_ALERT_DIGESTS", "10000"))
MATCH_TARGET_SECONDS = 10.0
SEND_TARGET_PER_SECOND = 200.0
SEED = 20261124

STACKS = (("Python", 22), ("Java", 16), ("Go", 10), ("Node.js", 10), ("TypeScript", 8), ("Ruby", 6), ("C#", 6),
          ("PHP", 5), ("Kotlin", 4), ("Scala", 3), ("Rust", 3), ("Elixir", 2), ("C++", 3), (".NET", 2))  # fmt: skip
COMPANIONS = (("PostgreSQL", 30), ("AWS", 30), ("Docker", 25), ("Kubernetes", 22), ("SQL", 20), ("Redis", 15),
              ("Kafka", 12), ("MySQL", 10), ("GraphQL", 8), ("REST", 15), ("gRPC", 5), ("MongoDB", 8),
              ("Elasticsearch", 6), ("Terraform", 8), ("Google Cloud", 7), ("Azure", 7), ("Django", 8),
              ("Spring", 8), ("FastAPI", 4), ("Rails", 4), ("RabbitMQ", 4), ("Airflow", 3), ("Spark", 3))  # fmt: skip
VOCABULARY = (
    "payments", "billing", "fintech", "healthcare", "logistics", "marketplace", "search", "recommendations",
    "distributed systems", "event sourcing", "microservices", "monolith", "data pipelines", "streaming",
    "observability", "reliability", "on-call", "latency", "throughput", "scalability", "security", "compliance",
    "machine learning", "analytics", "api design", "developer tools", "platform", "infrastructure", "identity",
    "authentication", "ledger", "fraud", "risk", "insurance", "lending", "trading", "crypto", "blockchain",
    "e-commerce", "checkout", "inventory", "shipping", "routing", "maps", "video", "audio", "chat", "messaging",
    "notifications", "email", "ads", "growth", "experimentation", "caching", "queues", "batch jobs", "etl",
    "warehouse", "migrations", "sharding", "replication", "consensus", "storage", "compilers", "runtime", "sdk",
    "open source", "startup", "remote-first", "async", "mentoring", "code review", "testing", "tdd", "ci/cd",
    "devops", "sre", "serverless", "containers", "cloud cost", "multi-tenant", "saas", "b2b", "b2c", "climate",
    "energy", "education", "government", "nonprofit", "gaming", "sports", "travel", "real estate", "legal",
)  # fmt: skip
FILLER = ("we", "build", "and", "maintain", "services", "for", "our", "customers", "with", "a", "small", "team",
          "that", "owns", "its", "work", "end", "to", "the", "you", "will", "design", "ship", "operate", "systems",
          "in", "production", "at", "scale", "across", "teams", "help", "us", "grow")  # fmt: skip
REMOTE = (("remote", 35), ("hybrid", 20), ("onsite", 25), ("unknown", 20))
REGIONS = ((("US",), 30), (("Europe",), 20), ((), 25), (("EU",), 8), (("UK",), 5), (("North America",), 6),
           (("Americas",), 3), (("EMEA",), 3))  # fmt: skip
SECTORS = (("Technology", 45), ("Financial services", 15), ("Healthcare", 8), ("Retail & e-commerce", 8),
           ("Media & entertainment", 5), ("Transportation & logistics", 5), ("Education", 4), ("Government", 2),
           ("Manufacturing & energy", 3), ("Staffing & consulting", 3), ("Other", 2))  # fmt: skip
SENIORITY = (("senior", 35), ("mid", 25), ("unknown", 20), ("lead", 10), ("junior", 8), ("intern", 2))


def _pick(rng: random.Random, table: tuple[tuple[Any, int], ...]) -> Any:
    return rng.choices([v for v, _ in table], [w for _, w in table])[0]


def _zipf(rng: random.Random, items: tuple[str, ...], s: float = 1.1) -> str:
    weights = [1 / (i + 1) ** s for i in range(len(items))]
    return rng.choices(items, weights)[0]


def _companies(rng: random.Random, n: int = 2000) -> list[str]:
    syllables = ("ka", "lo", "mi", "ra", "ven", "to", "zu", "pe", "nor", "ax", "li", "qu", "den", "sol", "tri")
    return [
        "".join(rng.choice(syllables) for _ in range(rng.randint(2, 3))).title()
        + rng.choice(("", "", " Inc.", " GmbH", " Labs", " Systems", "ly", "io"))
        for _ in range(n)
    ]


def make_postings(rng: random.Random, n: int, prefix: str, now: datetime, companies: list[str]) -> list[PostingRecord]:
    records = []
    for i in range(n):
        stack = _pick(rng, STACKS)
        skills = [stack, *{_pick(rng, COMPANIONS) for _ in range(rng.randint(1, 5))}]
        remote = _pick(rng, REMOTE)
        topics = [_zipf(rng, VOCABULARY) for _ in range(rng.randint(2, 6))]
        words = [rng.choice(FILLER) for _ in range(rng.randint(60, 160))]
        for topic in topics:
            words.insert(rng.randrange(len(words)), topic)
        paid = rng.random() < 0.3
        low = rng.randrange(60, 220) * 1000.0 if paid else None
        records.append(
            PostingRecord(
                external_id=f"{prefix}{i}",
                url=f"https://jobs.example.com/{prefix}{i}",
                title=f"{_pick(rng, SENIORITY).title()} {stack} {rng.choice(('Backend', 'Platform', 'API'))} Engineer",
                title_raw="",
                company=rng.choice(companies),
                location=rng.choice((None, "Berlin", "London", "New York, NY", "Remote - US", "Lisbon")),
                description_text=" ".join(words),
                description_html="<p>" + " ".join(words) + "</p>",
                skills=tuple(dict.fromkeys(skills)),
                remote=remote,
                remote_regions=_pick(rng, REGIONS) if remote == "remote" else (),
                sector=_pick(rng, SECTORS),
                seniority=_pick(rng, SENIORITY),
                employment_type=rng.choice(("full_time", "full_time", "full_time", "contract", None)),
                visa_sponsorship=rng.choices(("not_stated", "offered", "not_offered"), (85, 8, 7))[0],
                is_backend=rng.random() < 0.75,
                salary_min=low,
                salary_max=low + rng.randrange(0, 60) * 1000 if low else None,
                salary_currency="USD" if paid else None,
                salary_period="year" if paid else None,
                salary_annual_min=low,
                salary_annual_max=low + 20000 if low else None,
                posted_at=now - timedelta(hours=rng.randrange(0, 24 * 14)),
            )
        )
    return records


def make_query(rng: random.Random, companies: list[str]) -> str:
    args: list[tuple[str, str]] = []
    if rng.random() < 0.75:
        args.append(("skill", _pick(rng, STACKS)))
        if rng.random() < 0.35:
            args.append(("skill", _pick(rng, COMPANIONS)))
            if rng.random() < 0.2:
                args.append(("skills_mode", "any"))
    if rng.random() < 0.5:
        remote = rng.choices(("remote", "hybrid", "onsite"), (60, 20, 20))[0]
        if remote == "remote" and rng.random() < 0.35:
            args.append(("region", _pick(rng, REGIONS[:2] + REGIONS[3:])[0]))
        else:
            args.append(("remote", remote))
    if rng.random() < 0.3:
        args += [("seniority", level) for level in rng.sample(("senior", "lead", "mid", "junior"), rng.randint(1, 2))]
    if rng.random() < 0.15:
        args.append(("sector", _pick(rng, SECTORS)))
    if rng.random() < 0.3:
        words = [_zipf(rng, VOCABULARY)]
        if rng.random() < 0.25:
            words.append(_zipf(rng, VOCABULARY))
        text = " ".join(f'"{w}"' if " " in w else w for w in words)
        if rng.random() < 0.1:
            text += " -" + _zipf(rng, ("php", "crypto", "gaming", "ads", "on-call"))
        args.append(("q", text))
    if rng.random() < 0.15:
        args.append(("min_salary", str(rng.randrange(8, 20) * 10_000)))
    if rng.random() < 0.1:
        args.append(("not_skill", _pick(rng, STACKS)))
    if rng.random() < 0.08:
        args.append(("employment_type", rng.choice(("full_time", "contract"))))
    if rng.random() < 0.05:
        args.append(("visa", "offered"))
    if rng.random() < 0.03:
        args.append(("not_company", rng.choice(companies)))
    if rng.random() < 0.02:
        args.append(("company", rng.choice(companies)))
    return canonical_query(filters_from_query("&".join(f"{k}={v}" for k, v in _encoded(args))))


def _encoded(args: list[tuple[str, str]]) -> list[tuple[str, str]]:
    from urllib.parse import quote_plus

    return [(k, quote_plus(v)) for k, v in args]


def load_postings(db: Database, records: list[PostingRecord], now: datetime) -> None:
    """Through the store's own upsert, a board of 250 at a time, as crawls write them."""
    for start in range(0, len(records), 250):
        with db.transaction() as s:
            key = f"board-{start // 250 % 120}"
            source = upsert_source(s, key=key, name=key, kind="greenhouse", url=f"https://example.com/{key}", now=now)
            upsert_postings(s, source.id, records[start : start + 250], now)


def accepted_queries(db: Database, rng: random.Random, companies: list[str], low: int, high: int) -> list[str]:
    """Saved searches as the subscribe form would accept them: some filter, at most FLOOD_LIMIT of the new postings."""
    verdict: dict[str, bool] = {}
    queries: list[str] = []
    with db.transaction() as s:
        batch = NewPostings(s, low, high, datetime.now(UTC))
        while len(queries) < SUBSCRIPTIONS:
            query = make_query(rng, companies)
            if query not in verdict:
                filters = filters_from_query(query)
                verdict[query] = narrows(filters) and len(batch.matching(filters)) <= FLOOD_LIMIT
            if verdict[query]:
                queries.append(query)
    return queries


def insert_subscriptions(db: Database, queries: list[str], watermark: int, now: datetime) -> None:
    rows = [
        {
            "email": f"subscriber{i}@example.com",
            "query": query,
            "frequency": "instant",
            "state": "active",
            "link_key": secrets.token_hex(8),
            "feed_token": f"{i}-{secrets.token_urlsafe(12)}",
            "watermark": watermark,
            "created_at": now,
            "confirmed_at": now,
        }
        for i, query in enumerate(queries)
    ]
    with db.transaction() as s:
        for start in range(0, len(rows), 5000):
            s.execute(sa.insert(AlertSubscription), rows[start : start + 5000])


@contextmanager
def smtp_sink() -> Iterator[int]:
    """aiosmtpd's Sink handler (accepts and discards) in a process of its own."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 15
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield port
    finally:
        process.terminate()
        process.wait(10)


def run(name: str, db: Database) -> None:
    rng = random.Random(SEED)
    now = datetime.now(UTC)
    companies = _companies(rng)
    started = time.perf_counter()
    load_postings(db, make_postings(rng, OLD_POSTINGS, "old", now, companies), now)
    with db.transaction() as s:
        watermark = max_posting_id(s)
    load_postings(db, make_postings(rng, NEW_POSTINGS, "new", now, companies), now)
    with db.transaction() as s:
        high = max_posting_id(s)
    queries = accepted_queries(db, rng, companies, watermark, high)
    insert_subscriptions(db, queries, watermark, now)
    print(f"  {name}: load average before: {', '.join(f'{v:.1f}' for v in os.getloadavg())} ({os.cpu_count()} CPUs)")
    print(
        f"  {name}: setup {time.perf_counter() - started:.0f}s: {OLD_POSTINGS:,} old + {NEW_POSTINGS:,} new postings, "
        f"{len(queries):,} saved searches ({len(set(queries)):,} distinct)"
    )

    started, cpu = time.perf_counter(), time.process_time()
    report = match_new_postings(db)  # a cold pass: this process has parsed none of the searches yet
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    verdict = "met" if elapsed <= MATCH_TARGET_SECONDS else "MISSED"
    print(
        f"  {name}: matched {report.subscriptions:,} searches ({report.searches:,} distinct) against "
        f"{report.postings:,} new open postings in {elapsed:.2f}s -> {report.matches:,} outbox rows "
        f"(avg {report.matches / max(1, report.subscriptions):.1f} a search; this process's CPU {cpu:.2f}s); "
        f"target <= {MATCH_TARGET_SECONDS:.0f}s {verdict}"
    )
    started = time.perf_counter()
    again = match_new_postings(db)
    print(f"  {name}: a pass with nothing new: {time.perf_counter() - started:.2f}s ({again.matches} matches)")
    started = time.perf_counter()
    with db.transaction() as s:
        digests = cut_digests(s, datetime.now(UTC))
    print(f"  {name}: cut {digests:,} digests in {time.perf_counter() - started:.2f}s")
    with db.transaction() as s:
        keep = sa.select(AlertDigest.id).order_by(AlertDigest.id).limit(DIGESTS).scalar_subquery()
        s.execute(sa.update(AlertDigest).where(AlertDigest.id.not_in(keep)).values(status="cancelled"))
    with smtp_sink() as port, tempfile.TemporaryDirectory(prefix="bench-alerts-data-") as data:
        settings = replace(
            load_settings({"JOBSIFT_DATA_DIR": data, "JOBSIFT_SECRET_KEY": "bench-" + "k" * 40}),
            database_url=db.url,
            smtp_url=f"smtp://127.0.0.1:{port}?tls=none",
            mail_from="jobsift <alerts@bench.example>",
            base_url="https://jobs.example.com",
        )
        sender = Sender(db, settings)
        started, cpu = time.perf_counter(), time.process_time()
        sent = sender.send_due()
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    rate = sent.sent / elapsed if elapsed else 0.0
    verdict = "met" if rate >= SEND_TARGET_PER_SECOND else "MISSED"
    print(
        f"  {name}: rendered and sent {sent.sent:,} digests ({sent.skipped} skipped, {sent.failed} failed) over one "
        f"SMTP connection in {elapsed:.1f}s (this process's CPU {cpu:.1f}s): {rate:,.0f} emails/s; "
        f"target >= {SEND_TARGET_PER_SECOND:.0f}/s {verdict}"
    )

    # The scheduler's next pass: another batch of new postings, the searches already parsed by this process.
    load_postings(db, make_postings(rng, NEW_POSTINGS, "next", now, companies), now)
    started, cpu = time.perf_counter(), time.process_time()
    warm = match_new_postings(db)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    print(
        f"  {name}: next pass, {warm.postings:,} more new postings, searches parsed already: {elapsed:.2f}s "
        f"(CPU {cpu:.2f}s) -> {warm.matches:,} outbox rows"
    )


def main() -> None:
    for name, store in (
        ("sqlite", lambda: sqlite_store("bench-alerts-")),
        ("postgresql", lambda: postgres_store("bench_alerts_")),
    ):
        with store() as db:
            run(name, db)
