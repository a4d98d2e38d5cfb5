"""The searches ``bench search`` replays: query strings as people type them into the search page, in two classes.

- ``keyword``: a keyword query (skills, roles, phrases, exclusions, company names, odd input), often with filters
  (remote, region, skills, seniority, sector, salary, posted within, sort, a later page) — what the page shows with
  its facet counts.
- ``filter``: no keyword; the landing page and its filter combinations.

Each class is a pool of distinct searches. A *sequence* draws from its pool with Zipf weights (s = 1), the shape of a
search log: the landing page and a few popular searches come back again and again, most others are seen once or twice.
Everything is seeded, so every run replays the same searches.
"""

from __future__ import annotations

import random
from urllib.parse import unquote_plus, urlencode

from bench.search_data import SEED, employers

# (text, weight): what people type
KEYWORDS = (
    ("python", 10), ("golang", 6), ("java", 6), ("rust", 4), ("kotlin", 2), ("elixir", 1), ("ruby on rails", 2),
    ("django", 3), ("node.js", 4), ("typescript", 3), ("scala", 1), ("kafka", 3), ("kubernetes", 3),
    ("postgresql", 3), ("graphql", 2), ("aws", 2), ("terraform", 1), (".net", 2), ("c#", 2), ("php laravel", 1),
    ("c++", 1), ("backend engineer", 6), ("platform engineer", 3), ("senior backend", 3), ("api", 2),
    ("staff engineer", 1), ("full stack", 3), ('"distributed systems"', 2), ('"event sourcing"', 1),
    ('"payment processing"', 1), ("microservices", 2), ("python django", 3), ("java spring", 3),
    ("go kubernetes", 2), ("python -django", 1), ("senior python", 3), ("remote python", 2), ("fintech", 1),
    ("payments", 2), ("ci/cd", 1), ("observability", 1), ("grpc", 1), ("redis", 1), ("low latency", 1),
    ('"machine learning" python', 1), ("backend -php", 1), ("sql", 2),
)  # fmt: skip
SKILLS = (
    ("Python", 10), ("Go", 6), ("Java", 6), ("Node.js", 4), ("TypeScript", 3), ("Rust", 3), ("PostgreSQL", 4),
    ("Kubernetes", 3), ("AWS", 3), ("Kafka", 2), ("Django", 2), ("Ruby", 2), ("C#", 2), ("Scala", 1), ("Elixir", 1),
    ("GraphQL", 1), ("Docker", 2), ("Terraform", 1), ("Spring", 1), ("Redis", 1),
)  # fmt: skip
SECTORS = (("Technology", 4), ("Financial services", 3), ("Healthcare", 2), ("Retail & e-commerce", 1),
           ("Government", 1), ("Education", 1), ("Media & entertainment", 1))  # fmt: skip
REGIONS = (("Europe", 4), ("US", 4), ("North America", 1), ("UK", 1), ("EU", 1), ("LATAM", 1), ("Germany", 1))
SENIORITY = (("senior", 5), ("mid", 2), ("junior", 2), ("lead", 2))
SALARIES = (("100000", 2), ("120000", 3), ("150000", 2), ("180000", 1))


def _weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([v for v, _ in pairs], weights=[w for _, w in pairs])[0]


def _filters(rng: random.Random, how_many: int) -> list[tuple[str, str]]:
    """A few filters, as a person adds them in the sidebar (each kind at most once, skills possibly twice)."""
    kinds = ["remote", "skill", "region", "seniority", "posted", "sector", "salary", "employment", "visa", "company",
             "not_skill", "sort", "page"]  # fmt: skip
    weights = [10, 8, 5, 5, 4, 3, 3, 1, 1, 1, 1, 2, 2]
    chosen: list[str] = []
    while len(chosen) < how_many:
        kind = rng.choices(kinds, weights=weights)[0]
        if kind not in chosen:
            chosen.append(kind)
    params: list[tuple[str, str]] = []
    for kind in chosen:
        if kind == "remote":
            params.append(("remote", rng.choices(["remote", "hybrid", "onsite"], weights=[7, 2, 1])[0]))
        elif kind == "region":
            params.append(("region", _weighted(rng, REGIONS)))
        elif kind == "skill":
            first = _weighted(rng, SKILLS)
            params.append(("skill", first))
            if rng.random() < 0.3:
                second = _weighted(rng, SKILLS)
                if second != first:
                    params.append(("skill", second))
                    if rng.random() < 0.3:
                        params.append(("skills_mode", "any"))
        elif kind == "seniority":
            params.append(("seniority", _weighted(rng, SENIORITY)))
        elif kind == "posted":
            params.append(("posted", rng.choices(["24h", "7d", "30d"], weights=[1, 3, 2])[0]))
        elif kind == "sector":
            params.append(("sector", _weighted(rng, SECTORS)))
        elif kind == "salary":
            if rng.random() < 0.3:
                params.append(("salary", "1"))
            else:
                params.append(("min_salary", _weighted(rng, SALARIES)))
        elif kind == "employment":
            params.append(("employment_type", rng.choice(["full_time", "contract"])))
        elif kind == "visa":
            params.append(("visa", "offered"))
        elif kind == "company":
            params.append(("company", employers()[min(int(rng.paretovariate(1.2)) - 1, 400)].name))
        elif kind == "not_skill":
            params.append(("not_skill", rng.choice(["PHP", "Java", "JavaScript"])))
        elif kind == "sort":
            params.append(("sort", rng.choice(["newest", "salary"])))
        elif kind == "page":
            params.append(("page", str(rng.randint(2, 5))))
    return params


def pool(kind: str, size: int) -> list[str]:
    """``size`` distinct query strings of one class ("keyword" or "filter"); the first is the class's most popular."""
    rng = random.Random(SEED + (1 if kind == "keyword" else 2))
    seen: dict[str, None] = {}
    if kind == "filter":
        seen[""] = None  # the landing page
        seen["remote=remote"] = None
    while len(seen) < size:
        how_many = rng.choices([0, 1, 2, 3, 4], weights=[1, 5, 4, 2, 1])[0]
        params: list[tuple[str, str]] = []
        if kind == "keyword":
            params.append(("q", _weighted(rng, KEYWORDS)))
        elif how_many == 0:
            how_many = 1
        params += _filters(rng, how_many)
        seen[urlencode(params)] = None
    # Popularity: shorter searches first (a search log's head is "python", "remote=remote"; its tail is long).
    weight = dict(KEYWORDS)
    order = {query: i for i, query in enumerate(seen)}

    def popularity(query: str) -> tuple[int, int, int]:
        params = [p for p in query.split("&") if p]
        keyword = next((v for k, v in (p.split("=", 1) for p in params) if k == "q"), None)
        typed = -weight.get(unquote_plus(keyword), 0) if keyword else 0
        return (len(params), typed, order[query])

    return sorted(seen, key=popularity)


def sequence(queries: list[str], length: int, seed: int) -> list[str]:
    """``length`` searches drawn from a pool with Zipf weights (the pool's order is its popularity)."""
    rng = random.Random(SEED + seed)
    weights = [1.0 / (rank + 1) for rank in range(len(queries))]
    return rng.choices(queries, weights=weights, k=length)
