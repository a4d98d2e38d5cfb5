"""Classification cost per posting, on the demo's real and generated descriptions (target: under 2 ms each)."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, datetime

from crawlers.bases.greenhouse import GreenhouseSpider
from crawlers.classify.remote import classify_remote
from crawlers.classify.sector import classify_sector
from crawlers.classify.skills import extract_skills
from crawlers.parsers.html import html_to_text, sanitize_html, unescape_once
from jobsift.demo.snapshots import demo_feeds


def _descriptions() -> list[tuple[str, str, str]]:
    import json

    sources, routes = demo_feeds(datetime(2026, 11, 24, tzinfo=UTC))
    out = []
    for source in sources:
        if source.kind != GreenhouseSpider.kind:
            continue
        body = json.loads(routes[source.path.split("?")[0]].body)
        for job in body["jobs"]:
            text = html_to_text(sanitize_html(unescape_once(job.get("content") or "")))
            out.append((job["title"], text, job.get("company_name") or source.name))
    return out


def main() -> None:
    postings = _descriptions()
    extract_skills("warm", "up")  # pattern compilation is a once-per-process cost, measured apart
    timings = []
    for title, text, company in postings:
        started = time.perf_counter()
        extract_skills(title, text)
        classify_remote(location="Remote - US", title=title)
        classify_sector(company, text)
        timings.append(time.perf_counter() - started)
    sizes = [len(t) for _, t, _ in postings]
    timings.sort()
    print(f"postings: {len(postings)}, description text median {statistics.median(sizes):.0f} chars, max {max(sizes)}")
    print(
        f"classify per posting: median {statistics.median(timings) * 1000:.2f} ms, "
        f"p95 {timings[int(len(timings) * 0.95)] * 1000:.2f} ms, max {timings[-1] * 1000:.2f} ms (target < 2 ms)"
    )
