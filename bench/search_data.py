"""A deterministic generator of realistic job postings for ``bench search``, and its fast loader into a real store.

Every posting is built as the crawl builds one: a :class:`store.records.PostingRecord` with the fields classification
fills in, turned into row values by the same code the ingest uses (``store.queries.postings._columns`` and the record's
own content hash), with the lifecycle columns an upsert writes. The loader only goes faster than the ingest: it inserts
with Core ``executemany`` in id order, with the secondary indexes and the SQLite full-text trigger dropped during the
load and rebuilt after it, from the DDL the migrations created. The full-text index (FTS5 rows on SQLite, the stored
tsvector and its GIN index on PostgreSQL) and the skill rows come out as an ingest would leave them.

The shape of the data:
- a few thousand employers (Zipf-skewed: a few large ones, a long tail), each with a sector and its own company
  board (Greenhouse, Lever, Ashby, ...), plus a dozen multi-employer remote boards carrying a fifth of the postings;
  a third of those are the same job as a company-board posting, joined to it as a duplicate (``duplicate_of``), as
  ``store.dedupe`` would;
- titles by role family (about 70% back-end: back-end, full-stack, API, platform), seniority, stack;
- skills from ``config/skills.toml``: a primary stack (Python, Java, Go, Node.js, ... with skewed weights) plus
  common companions (SQL, PostgreSQL, AWS, Docker, Kubernetes, ...) with their own frequencies;
- remote / hybrid / onsite / unknown mix, allowed regions for a share of remote jobs, city locations otherwise;
- salaries stated on about 30% (USD, EUR, GBP, CAD; yearly, monthly or hourly), annualised;
- posted over ~90 days before the generation time, newer more often; about 20% closed; some without a posted date;
- descriptions of 120-400 words: sentences drawn from the word frequencies of the real captured feeds in
  ``tests/fixtures`` plus the posting's stack and common technical phrases, so full-text search does real work.
"""

from __future__ import annotations

import bisect
import hashlib
import html
import itertools
import json
import random
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from config.taxonomy import skill_names
from store.dedupe import canonical_url, fingerprint
from store.models.base import EncodedJson
from store.queries.postings import _columns
from store.records import PostingRecord

# Bump when the generated data changes, so that cached stores are rebuilt.
GENERATOR_VERSION = 3
SEED = 20261124
EMPLOYERS = 3000
FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"

# kind -> (share of company boards, URL of a posting)
BOARD_KINDS = {
    "greenhouse": (0.40, "https://boards.greenhouse.io/{board}/jobs/{id}"),
    "lever": (0.22, "https://jobs.lever.co/{board}/{id}"),
    "ashby": (0.14, "https://jobs.ashbyhq.com/{board}/{id}"),
    "workable": (0.08, "https://apply.workable.com/{board}/j/{id}/"),
    "smartrecruiters": (0.06, "https://jobs.smartrecruiters.com/{board}/{id}"),
    "recruitee": (0.05, "https://{board}.recruitee.com/o/{id}"),
    "personio": (0.05, "https://{board}.jobs.personio.de/job/{id}"),
}
# Multi-employer boards: (key, kind, name, weight, remote-only)
REMOTE_BOARDS = (
    ("remoteok", "remoteok", "Remote OK", 3.0, True),
    ("remotive", "remotive", "Remotive", 2.5, True),
    ("weworkremotely-programming", "weworkremotely", "We Work Remotely: Programming", 2.0, True),
    ("weworkremotely-devops", "weworkremotely", "We Work Remotely: DevOps", 0.8, True),
    ("himalayas", "himalayas", "Himalayas", 3.0, True),
    ("jobicy", "jobicy", "Jobicy", 1.0, True),
    ("arbeitnow", "arbeitnow", "Arbeitnow", 1.5, False),
    ("hn-whoishiring", "hn", "Hacker News: Who is hiring?", 1.5, False),
    ("rss-golangprojects", "rss", "Golang Projects", 0.5, False),
    ("rss-pythonjobs", "rss", "Python.org jobs", 0.5, False),
    ("jsonld-startupjobs", "jsonld", "Startup Jobs", 0.7, False),
    ("rss-rustjobs", "rss", "Rust jobs", 0.3, False),
)
REMOTE_BOARD_SHARE = 0.20
DUPLICATE_SHARE = 0.33  # of remote-board postings: the same job as a company-board posting
CLOSED_SHARE = 0.20
BACKEND_SHARE = 0.70
DAYS = 90

SECTORS = (
    ("Technology", 40),
    ("Financial services", 14),
    ("Healthcare", 8),
    ("Retail & e-commerce", 8),
    ("Media & entertainment", 5),
    ("Transportation & logistics", 5),
    ("Staffing & consulting", 6),
    ("Education", 4),
    ("Manufacturing & energy", 4),
    ("Government", 2),
    ("Nonprofit", 1),
    ("Other", 3),
)
# primary language -> (weight, companions drawn with it)
STACKS = {
    "Python": (22, ("Django", "Flask", "FastAPI")),
    "Java": (16, ("Spring", "Hibernate", "J2EE")),
    "Node.js": (13, ("TypeScript", "JavaScript", "Express", "NestJS")),
    "Go": (10, ()),
    "C#": (9, (".NET", "ASP.NET")),
    "Ruby": (6, ("Rails",)),
    "PHP": (6, ("Laravel", "Symfony")),
    "Kotlin": (4, ("Spring", "Java")),
    "Scala": (3, ("Spark", "Java")),
    "Rust": (3, ()),
    "C++": (3, ("C", "Linux")),
    "Elixir": (1.5, ("Phoenix",)),
    "Clojure": (0.5, ()),
    "Perl": (0.5, ("Linux",)),
}
# skill -> probability for a back-end posting
COMPANIONS = {
    "SQL": 0.35, "PostgreSQL": 0.35, "AWS": 0.40, "Docker": 0.35, "REST": 0.35, "Kubernetes": 0.30, "CI/CD": 0.25,
    "Microservices": 0.25, "Redis": 0.20, "Git": 0.20, "MySQL": 0.15, "Kafka": 0.15, "Linux": 0.15,
    "Terraform": 0.12, "React": 0.12, "MongoDB": 0.10, "GraphQL": 0.10, "Azure": 0.10, "Google Cloud": 0.10,
    "Elasticsearch": 0.08, "TDD": 0.08, "RabbitMQ": 0.06, "gRPC": 0.06, "NoSQL": 0.06, "DynamoDB": 0.05,
    "SQL Server": 0.05, "HTML": 0.05, "CSS": 0.05, "Serverless": 0.04, "Ansible": 0.04, "Oracle": 0.04, "Vue": 0.04,
    "Angular": 0.04, "Cassandra": 0.03, "Airflow": 0.03, "BigQuery": 0.03, "Hadoop": 0.02, "SQLite": 0.02,
    "Svelte": 0.01, "R": 0.01, "Swift": 0.005,
}  # fmt: skip
# Roles that are not back-end work: (title, skills drawn from, weight)
OTHER_ROLES = (
    ("Frontend Engineer", ("React", "TypeScript", "JavaScript", "HTML", "CSS", "Vue", "Angular", "Svelte"), 25),
    ("iOS Engineer", ("Swift", "Git", "CI/CD"), 6),
    ("Android Engineer", ("Kotlin", "Java", "Git"), 6),
    ("Data Scientist", ("Python", "R", "SQL", "Spark", "BigQuery", "Airflow"), 10),
    ("Site Reliability Engineer", ("Kubernetes", "Terraform", "AWS", "Linux", "Ansible", "Docker"), 10),
    ("QA Engineer", ("Python", "Java", "CI/CD", "Git"), 8),
    ("Product Designer", (), 8),
    ("Product Manager", (), 9),
    ("Account Executive", (), 7),
    ("Engineering Manager", ("Python", "Java", "Go", "AWS"), 6),
    ("Technical Writer", ("REST", "Git"), 3),
    ("Customer Support Specialist", (), 5),
)
BACKEND_TITLES = (
    ("Backend Engineer", 20),
    ("Software Engineer, Backend", 12),
    ("{lang} Developer", 14),
    ("{lang} Engineer", 10),
    ("Full Stack Engineer", 12),
    ("Platform Engineer", 7),
    ("API Engineer", 3),
    ("Back-End Developer", 6),
    ("Software Engineer - {team}", 10),
    ("Backend Software Engineer ({lang})", 6),
)
TEAMS = (
    "Payments", "Core Platform", "Data Platform", "Identity", "Billing", "Search", "Infrastructure", "Growth",
    "Checkout", "Integrations", "Risk", "Messaging", "Developer Experience", "Marketplace", "Logistics",
)  # fmt: skip
SENIORITY = (("senior", 35), ("mid", 25), ("unknown", 20), ("lead", 10), ("junior", 8), ("intern", 2))
SENIORITY_WORDS = {
    "senior": ("Senior", "Sr."),
    "lead": ("Lead", "Staff", "Principal"),
    "junior": ("Junior", "Associate"),
    "intern": ("Intern",),
    "mid": ("",),
    "unknown": ("",),
}
REMOTE = (("remote", 35), ("hybrid", 20), ("onsite", 25), ("unknown", 20))
REGIONS = (
    ("US", 30), ("Europe", 20), ("North America", 10), ("EU", 6), ("UK", 6), ("Canada", 4), ("LATAM", 4),
    ("EMEA", 4), ("Germany", 3), ("APAC", 3), ("Americas", 3), ("India", 2), ("Poland", 1), ("Australia", 1),
    ("Netherlands", 1), ("Spain", 1), ("Portugal", 1), ("CEE", 1),
)  # fmt: skip
CITIES = (
    ("New York, NY", 12), ("San Francisco, CA", 10), ("London, UK", 9), ("Berlin, Germany", 7), ("Seattle, WA", 5),
    ("Austin, TX", 5), ("Toronto, Canada", 5), ("Amsterdam, Netherlands", 4), ("Boston, MA", 4), ("Chicago, IL", 4),
    ("Paris, France", 3), ("Dublin, Ireland", 3), ("Bangalore, India", 4), ("Warsaw, Poland", 2),
    ("Barcelona, Spain", 2), ("Lisbon, Portugal", 2), ("Munich, Germany", 2), ("Stockholm, Sweden", 2),
    ("Singapore", 2), ("Sydney, Australia", 2), ("Tel Aviv, Israel", 2), ("Denver, CO", 2), ("Zurich, Switzerland", 1),
    ("São Paulo, Brazil", 1), ("Mexico City, Mexico", 1), ("Kraków, Poland", 1), ("Vancouver, Canada", 1),
)  # fmt: skip
EMPLOYMENT = (("full_time", 75), (None, 10), ("contract", 10), ("part_time", 3), ("temporary", 1), ("internship", 1))
VISA = (("not_stated", 85), ("offered", 8), ("not_offered", 7))
CURRENCIES = (("USD", 70, 1.0, "$"), ("EUR", 15, 0.85, "€"), ("GBP", 10, 0.75, "£"), ("CAD", 5, 1.3, "CA$"))
PHRASES = (
    "distributed systems", "event sourcing", "event-driven architecture", "high availability", "on-call rotation",
    "code review", "domain-driven design", "machine learning", "payment processing", "observability",
    "infrastructure as code", "data pipelines", "real-time", "low latency", "horizontal scaling", "API design",
    "open source", "pair programming", "continuous delivery", "message queues", "clean architecture",
    "performance tuning", "security best practices", "cloud native", "relational databases", "system design",
)  # fmt: skip
SYLLABLES = (
    "al", "an", "ar", "be", "bi", "bo", "ca", "ce", "co", "da", "de", "di", "do", "el", "en", "fa", "fi", "ga", "go",
    "ha", "in", "ka", "ki", "la", "le", "li", "lo", "lu", "ma", "me", "mi", "mo", "na", "ne", "no", "nu", "on", "pa",
    "pe", "po", "ra", "re", "ri", "ro", "ru", "sa", "se", "si", "so", "ta", "te", "ti", "to", "tu", "va", "ve", "vi",
    "xa", "za", "zo",
)  # fmt: skip
COMPANY_ENDINGS = ("", "", "", "ly", "io", "ify", "hub", "labs", "works", "base", "stack", "pay", "health", "ai")
COMPANY_SUFFIXES = ("", "", "", "", " Inc.", " GmbH", " Ltd", " Technologies", " Group", " Systems", " Software")


def _table(pairs: tuple[tuple[Any, float], ...]) -> tuple[list[Any], list[float]]:
    values = [v for v, _ in pairs]
    return values, list(itertools.accumulate(float(w) for _, w in pairs))


def _pick(rng: random.Random, table: tuple[list[Any], list[float]]) -> Any:
    values, cumulative = table
    return values[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


_SECTORS = _table(SECTORS)
_STACKS = _table(tuple((k, w) for k, (w, _) in STACKS.items()))
_OTHER = _table(tuple(((title, skills), w) for title, skills, w in OTHER_ROLES))
_BACKEND_TITLES = _table(BACKEND_TITLES)
_SENIORITY = _table(SENIORITY)
_REMOTE = _table(REMOTE)
_REGIONS = _table(REGIONS)
_CITIES = _table(CITIES)
_EMPLOYMENT = _table(EMPLOYMENT)
_VISA = _table(VISA)
_CURRENCIES = _table(tuple(((code, rate, sign), w) for code, w, rate, sign in CURRENCIES))
_REMOTE_BOARDS = _table(tuple(((key, kind, remote_only), w) for key, kind, _name, w, remote_only in REMOTE_BOARDS))


@dataclass(frozen=True)
class Employer:
    name: str
    board: str  # the board token of its company board
    kind: str
    sector: str


@dataclass(frozen=True)
class Plan:
    """What a generation run needs in every worker process: sizes, the time anchor, employers and the vocabulary."""

    postings: int
    anchor: datetime  # "now" at generation: postings are spread over the DAYS before it

    @property
    def key(self) -> str:
        return f"v{GENERATOR_VERSION}-n{self.postings}-seed{SEED}-{vocabulary_digest()}"


@cache
def employers() -> tuple[Employer, ...]:
    rng = random.Random(SEED)
    kinds = _table(tuple((kind, share) for kind, (share, _url) in BOARD_KINDS.items()))
    seen: set[str] = set()
    result = []
    while len(result) < EMPLOYERS:
        stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3)))) + rng.choice(COMPANY_ENDINGS)
        if stem in seen:
            continue
        seen.add(stem)
        name = stem.capitalize() + rng.choice(COMPANY_SUFFIXES)
        result.append(Employer(name=name, board=stem, kind=_pick(rng, kinds), sector=_pick(rng, _SECTORS)))
    return tuple(result)


@cache
def _employer_table() -> tuple[list[int], list[float]]:
    # Zipf-like: a few employers with thousands of postings, a long tail with a handful.
    return _table(tuple((i, 1.0 / (i + 15) ** 0.95) for i in range(EMPLOYERS)))


def source_keys() -> list[tuple[str, str, str, str, str | None]]:
    """Every source as (key, name, kind, feed URL, sector): company boards first, in employer order."""
    rows: list[tuple[str, str, str, str, str | None]] = [
        (f"{e.kind}-{e.board}", e.name, e.kind, f"https://feeds.example/{e.kind}/{e.board}", e.sector)
        for e in employers()
    ]
    rows += [(key, name, kind, f"https://feeds.example/{key}", None) for key, kind, name, _w, _r in REMOTE_BOARDS]
    return rows


_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{1,20}")
_TAG = re.compile(r"<[^>]+>")
# Markup and URL debris of the captured payloads.
_NOT_WORDS = frozenset({"https", "http", "www", "com", "nbsp", "amp", "quot", "px", "rem", "div", "span", "li", "ul"})


@cache
def vocabulary() -> tuple[list[str], list[float]]:
    """Words of the real captured feeds' texts, with their frequencies (the most common 6,000)."""
    counts: Counter[str] = Counter()

    def walk(value: Any) -> Iterator[str]:
        if isinstance(value, str):
            if len(value) > 200:
                yield value
        elif isinstance(value, dict):
            for v in value.values():
                yield from walk(v)
        elif isinstance(value, list):
            for v in value:
                yield from walk(v)

    for path in sorted(FIXTURES.rglob("*")):
        if path.suffix not in {".json", ".xml", ".rss"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".json":
            try:
                texts = list(walk(json.loads(text)))
            except ValueError:
                texts = [text]
        else:
            texts = [text]
        for chunk in texts:
            plain = _TAG.sub(" ", html.unescape(html.unescape(chunk)))
            counts.update(w.lower() for w in _WORD.findall(plain) if w.count("-") <= 1 and not w.endswith("-"))
    words = [w for w, n in counts.most_common(6000) if n >= 2 and w not in _NOT_WORDS]
    return words, list(itertools.accumulate(float(counts[w]) ** 0.9 for w in words))


@cache
def _word_pool() -> tuple[str, ...]:
    """A million words drawn by frequency: a sentence is a stretch of it (much cheaper than drawing each word)."""
    words, cumulative = vocabulary()
    return tuple(random.Random(SEED).choices(words, cum_weights=cumulative, k=1 << 20))


@cache
def vocabulary_digest() -> str:
    return hashlib.sha256("\n".join(vocabulary()[0]).encode()).hexdigest()[:12]


@dataclass(frozen=True)
class Core:
    """What a posting is, decided from its id alone: a duplicate on a remote board copies its original's core."""

    employer: int
    is_backend: bool
    title: str
    seniority: str
    skills: tuple[str, ...]
    remote: str
    regions: tuple[str, ...]
    location: str | None
    employment_type: str | None
    visa: str
    salary: tuple[float, float, str, str, float, float, str] | None  # min, max, currency, period, annual x2, text
    posted_offset: float  # days before the anchor
    closed_after: float | None  # days after first seen, or None when open


_SKILL_ORDER = {name: i for i, name in enumerate(skill_names())}


def core(plan_seed: int, posting_id: int) -> Core:
    rng = random.Random(plan_seed * 10_000_019 + posting_id)
    employer = _pick(rng, _employer_table())
    seniority = _pick(rng, _SENIORITY)
    is_backend = rng.random() < BACKEND_SHARE
    skills: set[str] = set()
    if is_backend:
        lang = _pick(rng, _STACKS)
        _weight, companions = STACKS[lang]
        skills.add(lang)
        skills.update(c for c in companions if rng.random() < 0.55)
        if rng.random() < 0.15:
            skills.add(_pick(rng, _STACKS))
        skills.update(name for name, p in COMPANIONS.items() if rng.random() < p)
        template = _pick(rng, _BACKEND_TITLES)
        role = template.format(lang=lang, team=rng.choice(TEAMS))
    else:
        role, pool = _pick(rng, _OTHER)
        skills.update(s for s in pool if rng.random() < 0.45)
    words = SENIORITY_WORDS[seniority]
    prefix = words[rng.randrange(len(words))]
    title = f"{role} Intern" if seniority == "intern" else (f"{prefix} {role}" if prefix else role)
    remote = _pick(rng, _REMOTE)
    regions: tuple[str, ...] = ()
    if remote == "remote":
        if rng.random() < 0.55:
            regions = tuple(sorted({_pick(rng, _REGIONS) for _ in range(1 if rng.random() < 0.8 else 2)}))
        location = f"Remote - {' or '.join(regions)}" if regions else rng.choice(("Remote", "Anywhere", None))
    elif remote == "unknown":
        location = _pick(rng, _CITIES) if rng.random() < 0.6 else None
    else:
        location = _pick(rng, _CITIES)
        if remote == "hybrid" and rng.random() < 0.5:
            location += " (Hybrid)"
    salary = None
    if rng.random() < 0.30:
        code, rate, sign = _pick(rng, _CURRENCIES)
        base = {"intern": 40, "junior": 75, "mid": 110, "senior": 150, "lead": 185, "unknown": 120}[seniority]
        low = round(base * rate * rng.uniform(0.75, 1.25)) * 1000.0
        high = low + round(low * rng.uniform(0.1, 0.4) / 1000) * 1000.0
        roll = rng.random()
        if roll < 0.85:
            salary = (low, high, code, "year", low, high, f"{sign}{low / 1000:.0f}k–{high / 1000:.0f}k")
        elif roll < 0.95:
            hourly_low, hourly_high = round(low / 2080), round(high / 2080)
            text = f"{sign}{hourly_low}-{hourly_high}/hour"
            salary = (
                float(hourly_low),
                float(hourly_high),
                code,
                "hour",
                hourly_low * 2080.0,
                hourly_high * 2080.0,
                text,
            )
        else:
            monthly_low, monthly_high = round(low / 12), round(high / 12)
            text = f"{sign}{monthly_low:,}-{monthly_high:,} per month"
            salary = (
                float(monthly_low),
                float(monthly_high),
                code,
                "month",
                monthly_low * 12.0,
                monthly_high * 12.0,
                text,
            )
    # Newer postings are more common: the older ones have mostly closed or left their feeds.
    posted_offset = min(DAYS, rng.expovariate(1 / 30))
    closed_after = None
    if rng.random() < CLOSED_SHARE:
        closed_after = rng.uniform(0.5, max(0.6, posted_offset))
    return Core(
        employer=employer,
        is_backend=is_backend,
        title=title,
        seniority=seniority,
        skills=tuple(sorted(skills, key=_SKILL_ORDER.__getitem__)),
        remote=remote,
        regions=regions,
        location=location,
        employment_type=_pick(rng, _EMPLOYMENT),
        visa=_pick(rng, _VISA),
        salary=salary,
        posted_offset=posted_offset,
        closed_after=closed_after,
    )


def _description(rng: random.Random, c: Core, company: str) -> tuple[str, str]:
    """(plain text, HTML) of a posting's description: a few paragraphs of a few hundred words."""
    pool = _word_pool()
    top = len(pool) - 32

    def sentence(n: int) -> str:
        start = rng.randrange(top)
        return " ".join(pool[start : start + n]).capitalize() + "."

    def paragraph(sentences: int) -> str:
        return " ".join(sentence(rng.randint(8, 20)) for _ in range(sentences))

    about = f"About {company}. " + paragraph(rng.randint(2, 4))
    role = f"As a {c.title} you will work on {rng.choice(PHRASES)} and {rng.choice(PHRASES)}. " + paragraph(
        rng.randint(3, 7)
    )
    skills = list(c.skills)
    rng.shuffle(skills)
    wants = []
    for i in range(0, len(skills), 2):
        pair = skills[i : i + 2]
        wants.append(
            rng.choice(("Experience with ", "Strong knowledge of ", "You have worked with ")) + " and ".join(pair) + "."
        )
    wants.append(f"Familiar with {rng.choice(PHRASES)}. " + sentence(rng.randint(8, 14)))
    requirements = " ".join(wants)
    benefits = paragraph(rng.randint(2, 4))
    paragraphs = [about, role, requirements, benefits]
    text = "\n\n".join(paragraphs)
    markup = "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)
    return text, markup


def generate(plan: Plan, start: int, stop: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Posting rows (table column values, ids start+1 .. stop) and their skill rows, as the ingest would write them."""
    emps = employers()
    sources = source_keys()
    board_source = {i: i + 1 for i in range(len(emps))}  # source ids: company boards first, in employer order
    remote_source = {key: len(emps) + 1 + i for i, (key, *_rest) in enumerate(REMOTE_BOARDS)}
    assert len(sources) == len(emps) + len(REMOTE_BOARDS)
    rows: list[dict[str, Any]] = []
    skill_rows: list[dict[str, Any]] = []
    for posting_id in range(start + 1, stop + 1):
        rng = random.Random(SEED * 7_000_003 + posting_id)
        duplicate_of = None
        if rng.random() < REMOTE_BOARD_SHARE:
            board_key, kind, remote_only = _pick(rng, _REMOTE_BOARDS)
            source_id = remote_source[board_key]
            original = posting_id - rng.randint(1, 5000)
            if rng.random() < DUPLICATE_SHARE and original >= 1 and _is_company_head(original):
                c = core(SEED, original)
                duplicate_of = original
            else:
                c = core(SEED, posting_id)
            if remote_only and c.remote != "remote" and duplicate_of is None:
                c = _as_remote(c)
        else:
            c = core(SEED, posting_id)
            emp = emps[c.employer]
            source_id = board_source[c.employer]
            kind = emp.kind
        emp = emps[c.employer]
        ext = str(100_000_000 + posting_id)
        if source_id == board_source[c.employer]:
            url = BOARD_KINDS[emp.kind][1].format(board=emp.board, id=ext)
            apply_url = None
        else:
            url = f"https://{kind}.example/jobs/{ext}"
            original_ext = str(100_000_000 + duplicate_of) if duplicate_of else ext
            apply_url = BOARD_KINDS[emp.kind][1].format(board=emp.board, id=original_ext)
        text, markup = _description(rng, c, emp.name)
        posted = plan.anchor - timedelta(days=c.posted_offset)
        has_posted = rng.random() < 0.95
        first_seen = (
            posted + timedelta(hours=rng.uniform(0, 30)) if duplicate_of is None else posted + timedelta(days=1)
        )
        first_seen = min(first_seen, plan.anchor)
        closed_at = None
        if c.closed_after is not None:
            closed_at = min(plan.anchor, first_seen + timedelta(days=c.closed_after))
        salary = c.salary
        evidence: dict[str, list[dict[str, str]]] = {}
        if c.remote != "unknown":
            evidence["remote"] = [{"field": "location", "text": c.location or c.remote}]
        if c.seniority != "unknown":
            evidence["seniority"] = [{"field": "title", "text": c.title.split()[0]}]
        evidence["is_backend"] = [{"field": "title", "text": c.title}]
        for skill in c.skills[:8]:
            evidence[f"skill:{skill}"] = [{"field": "description", "text": skill}]
        if salary:
            evidence["salary"] = [{"field": "description", "text": salary[6]}]
        record = PostingRecord(
            external_id=ext,
            url=url,
            title=c.title,
            title_raw=c.title,
            company=emp.name,
            company_raw=emp.name,
            apply_url=apply_url,
            location=c.location,
            location_raw=c.location,
            remote=c.remote,
            remote_raw="Remote" if c.remote == "remote" and rng.random() < 0.5 else None,
            sector=emp.sector,
            employment_type=c.employment_type,
            employment_type_raw={"full_time": "Full-time", "contract": "Contract", "part_time": "Part-time"}.get(
                c.employment_type or ""
            ),
            salary_min=salary[0] if salary else None,
            salary_max=salary[1] if salary else None,
            salary_currency=salary[2] if salary else None,
            salary_period=salary[3] if salary else None,
            salary_raw=salary[6] if salary else None,
            description_html=markup,
            description_text=text,
            description_raw=markup if kind in {"greenhouse", "lever", "ashby"} else None,
            posted_at=posted if has_posted else None,
            posted_raw=posted.isoformat() if has_posted else None,
            remote_regions_raw=c.regions,
            tags_raw=c.skills[:6] if kind in {"remoteok", "jobicy", "weworkremotely"} else (),
            company_url=f"https://{emp.board}.example" if rng.random() < 0.5 else None,
            skills=c.skills,
            remote_regions=c.regions,
            seniority=c.seniority,
            is_backend=c.is_backend,
            visa_sponsorship=c.visa,
            salary_annual_min=salary[4] if salary else None,
            salary_annual_max=salary[5] if salary else None,
            evidence=evidence,
            canonical_url=canonical_url(apply_url or url),
            fingerprint=fingerprint(emp.name, c.title),
            raw={"id": ext, "title": c.title, "company": emp.name, "location": c.location, "url": url},
        )
        row = _columns(record)
        # JSON documents serialised here, in the worker, as the engine's serializer would (EncodedJson passes through).
        for name in ("remote_regions_raw", "remote_regions", "tags_raw", "evidence"):
            row[name] = EncodedJson(json.dumps(row[name]))
        row.update(
            id=posting_id,
            source_id=source_id,
            external_id=ext,
            content_hash=record.content_hash(),
            first_seen_at=first_seen,
            last_seen_at=closed_at or plan.anchor,
            updated_at=first_seen,
            closed_at=closed_at,
            duplicate_of=duplicate_of,
        )
        rows.append(row)
        skill_rows += [{"posting_id": posting_id, "skill": s, "position": i} for i, s in enumerate(c.skills)]
    return rows, skill_rows


def _is_company_head(posting_id: int) -> bool:
    """Whether a posting is on a company board and stands for its listing (so that another can join it), and open."""
    rng = random.Random(SEED * 7_000_003 + posting_id)
    if rng.random() < REMOTE_BOARD_SHARE:
        return False
    return core(SEED, posting_id).closed_after is None


def _as_remote(c: Core) -> Core:
    return replace(c, remote="remote", location=c.location if c.regions else "Remote")


def anchor_now() -> datetime:
    """The generation's "now", to the minute."""
    return datetime.now(UTC).replace(second=0, microsecond=0)
