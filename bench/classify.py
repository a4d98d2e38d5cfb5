"""Classification alone, one core: ``classify_posting`` per posting (target: >= 10,000 postings/s).

Two inputs: the demo's Greenhouse boards (real captured and generated descriptions, as the demo crawls them) and every
posting of the shared corpus's saved payloads, each parsed by its platform base and normalised as a crawl would.
Each set is classified once to warm the caches of compiled tables (a once-per-process cost), then timed per posting.
"""

from __future__ import annotations

import json
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

from crawlers.classify.corpus import corpus_postings, parse_payload
from crawlers.classify.posting import PostingText, classify_posting
from crawlers.pipelines.classify import posting_text
from crawlers.pipelines.normalise import normalise

TARGET = 10_000
CORPUS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
ROUNDS = 3


def demo_postings() -> list[PostingText]:
    from jobsift.demo.snapshots import demo_feeds

    sources, routes = demo_feeds(datetime(2026, 11, 24, tzinfo=UTC))
    out = []
    for source in sources:
        if source.kind != "greenhouse":
            continue
        body = routes[source.path.split("?")[0]].body
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        for feed, all_remote in parse_payload(data, source.kind, name=source.name):
            out.append(posting_text(feed, normalise(feed), all_remote_board=all_remote))
    return out


def saved_postings() -> list[PostingText]:
    out: list[PostingText] = []
    for path in sorted(CORPUS_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".json", ".xml", ".rss", ".html"):
            try:
                out += corpus_postings(path)
            except Exception:  # error payloads and formats a base refuses have no postings
                continue
    return out


def _measure(label: str, postings: list[PostingText]) -> None:
    if not postings:
        print(f"{label}: no postings")
        return
    for posting in postings:
        classify_posting(posting)
    timings: list[float] = []
    best_total = float("inf")
    for _ in range(ROUNDS):
        round_timings = []
        started = time.perf_counter()
        for posting in postings:
            t = time.perf_counter()
            classify_posting(posting)
            round_timings.append(time.perf_counter() - t)
        total = time.perf_counter() - started
        if total < best_total:
            best_total, timings = total, round_timings
    timings.sort()
    sizes = [len(p.description_text) for p in postings]
    rate = len(postings) / best_total
    print(
        f"{label}: {len(postings)} postings, description median {statistics.median(sizes):,.0f} chars; "
        f"{rate:,.0f} postings/s (target >= {TARGET:,}{'' if rate >= TARGET else ', BELOW'}); per posting "
        f"median {statistics.median(timings) * 1e6:.0f} µs, p95 {timings[int(len(timings) * 0.95)] * 1e6:.0f} µs, "
        f"max {timings[-1] * 1e6:.0f} µs (best of {ROUNDS} rounds)"
    )


def _salary_share(label: str, postings: list[PostingText]) -> None:
    """The part of the time spent in ``parse_salary`` (crawlers/parsers/salary.py), timed alone on the same inputs."""
    from crawlers.classify.posting import salary_lines
    from crawlers.classify.text import Text
    from crawlers.parsers.salary import parse_salary

    if not postings:
        return
    inputs = [(p, salary_lines(Text(p.description_text))) for p in postings]
    timings = []
    for posting, lines in inputs:
        t = time.perf_counter()
        parse_salary(
            posting.salary_text,
            minimum=posting.salary_min,
            maximum=posting.salary_max,
            currency=posting.salary_currency,
            period=posting.salary_period,
            description=lines,
        )
        timings.append(time.perf_counter() - t)
    timings.sort()
    print(
        f"{label}: of which parse_salary median {statistics.median(timings) * 1e6:.0f} µs, "
        f"p95 {timings[int(len(timings) * 0.95)] * 1e6:.0f} µs"
    )


def main() -> None:
    for label, postings in (("demo greenhouse", demo_postings()), ("shared corpus", saved_postings())):
        _measure(label, postings)
        _salary_share(label, postings)
