"""``python -m bench search [--postings N] [--backend sqlite|postgresql|both] [--keep] ...``: search at a million
postings, in-process and over HTTP, beside datasette.

Targets (issue 6), on 1,000,000 generated postings (``bench/search_data.py``), SQLite and PostgreSQL:
- p95 <= 50 ms for a realistic query mix (keyword + filters + facet counts); filter-only p95 <= 5 ms;
- the search page under gunicorn on this 2-core machine >= 150 requests/s at 32 connections (wrk), no errors;
- datasette serving the same SQLite file with the same full-text query and facets, side by side, and the ratio.

What is measured in-process, per backend, is what the views call, with a :class:`store.search.SearchCache` as the
app holds one, given the process's column index (:class:`store.search.SearchIndex`, loaded first and timed; it answers
the searches, their facets and their pages, ranked by relevance too; ``--no-index`` leaves it out):
- **page** (the search page, ``web/search/views.py``): ``search_postings`` (a summary page of 20 and the total),
  ``facet_counts`` of the facets the page shows, ``count_other_roles``;
- **result** (the API without ``facets=1``): ``search_postings`` alone, the items and the total.
The ``keyword`` class is measured as a page; the ``filter`` class (no keyword) both as a result, which is what the
filter-only target is read against, and as a page. The searches are ``bench/search_mix.py``'s pools. Each is timed
- **cold**: every search with an empty cache, and an index that has kept no full-text matches nor masks, so every
  answer is computed: what a search costs the first time. What the index makes at its load or once per segment at a
  first use and keeps stays, as in a web process: a skill's packed bits, the facet tally of the rows searches start
  from, the skill counts per cell of that tally (made at the load for the landing page, at first use for a region),
  which of a skill's rows name each other skill (at first use), the summaries of the landing page's first rows (at
  the load). A first use's cost shows in the cold figures (their p95 and p99 at a hundred searches);
- **cached**: the same searches again, answered from the cache (counts, facets and the page's summaries; the store is
  still asked for its version);
- **mix**: a sequence drawn from the pool with Zipf weights (a search log's shape), from an empty cache and no kept
  matches: a search (or the cube of a refinement) is computed the first time it comes up, then answered from the
  cache; a phrase's matches are fetched the first time a search has it.

Over HTTP: gunicorn serves ``web.wsgi:app`` on the generated store and wrk requests search-page URLs drawn with Zipf
weights from the heads of both pools (``bench/search_http.py``), after a warm-up; then, on SQLite, the same searches
through jobsift's JSON API (with facets) and through datasette's JSON API (``_search`` and ``_facet``), in sequence
(jobsift cold and cached) and under the same wrk load.

The generated stores are kept under ``/tmp/jobsift-bench-search`` (``JOBSIFT_BENCH_DIR``) and in the PostgreSQL
database ``jobsift_bench_search`` (``JOBSIFT_BENCH_POSTGRES_DB``) on ``JOBSIFT_BENCH_POSTGRES``
(``postgresql://postgres@127.0.0.1:5432``), with the settings of ``search_store.POSTGRES_SETTINGS``; ``--keep``
reuses them when they match the generator (otherwise they are built again).
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import parse_qsl

from werkzeug.datastructures import MultiDict

from bench import search_http, search_store
from bench.search_mix import pool, sequence
from store.db import Database
from store.search import PAGE_FACETS, SearchCache, SearchIndex, count_other_roles, facet_counts, search_postings
from store.search.keywords import parse_keywords
from web.params import SearchRequest, parse_search

TARGET_MIX_P95_MS = 50.0
TARGET_FILTER_P95_MS = 5.0
BACKENDS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Timings:
    label: str
    millis: list[float]
    computed: int = 0  # searches that computed something (cache misses), for the mix

    def percentile(self, p: float) -> float:
        ordered = sorted(self.millis)
        if not ordered:
            return float("nan")
        rank = max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[rank]

    def line(self, target: float | None = None) -> str:
        p95 = self.percentile(95)
        verdict = ""
        if target is not None:
            verdict = f" (target p95 <= {target:g} ms: {'met' if p95 <= target else 'NOT met'})"
        extra = f", computed {self.computed} of {len(self.millis)}" if self.computed else ""
        return (
            f"    {self.label:<34} n={len(self.millis):<5} p50 {self.percentile(50):8.1f} ms  p95 {p95:8.1f} ms  "
            f"p99 {self.percentile(99):8.1f} ms  mean {statistics.fmean(self.millis):8.1f} ms{extra}{verdict}"
        )


def _request(query: str) -> SearchRequest:
    return parse_search(MultiDict(parse_qsl(query, keep_blank_values=True)))


def page_calls(db: Database, cache: SearchCache, search: SearchRequest) -> None:
    """What the search page asks of the store (web/search/views.py)."""
    with db.reads() as session:
        search_postings(session, search.filters, search.page, search.per_page, cache=cache, summary=True)
        facet_counts(session, search.filters, PAGE_FACETS, cache=cache)
        count_other_roles(session, search.filters, cache=cache)


def result_calls(db: Database, cache: SearchCache, search: SearchRequest) -> None:
    """What the API asks for a result page without facets: the items and the total (web/api/views.py)."""
    with db.reads() as session:
        search_postings(session, search.filters, search.page, search.per_page, cache=cache, summary=True)


def _time(call: Callable[[], None]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def measure(
    db: Database,
    queries: list[str],
    mix: list[str],
    calls: Callable[[Database, SearchCache, SearchRequest], None],
    index: SearchIndex | None = None,
) -> tuple[Timings, Timings, Timings]:
    """(cold, cached, mix) timings of one class of searches through ``calls``. ``index``: the process's column
    index, loaded, as a web process holds it (it is not a cache of answers: "cold" means no cached answers)."""
    requests = {q: _request(q) for q in {*queries, *mix}}
    # Cold: each search with an empty cache of its own, and the index holding no full-text matches (they are
    # fetched again); cached: the same search again, with what it cached.
    caches = {query: SearchCache(index=index) for query in queries}

    def cold_call(query: str) -> None:
        if index is not None:
            index.forget()
        calls(db, caches[query], requests[query])

    cold = [_time(lambda q=query: cold_call(q)) for query in queries]  # type: ignore[misc]
    cached = [_time(lambda q=query: calls(db, caches[q], requests[q])) for query in queries]  # type: ignore[misc]
    caches.clear()
    fresh = SearchCache(index=index)
    if index is not None:
        index.forget()
    mixed = []
    computed = 0
    for query in mix:
        misses = fresh.misses
        mixed.append(_time(lambda q=query: calls(db, fresh, requests[q])))  # type: ignore[misc]
        computed += fresh.misses > misses
    return (
        Timings("cold (empty cache)", cold),
        Timings("cached", cached),
        Timings(f"mix of {len(mix)} (Zipf, from empty)", mixed, computed),
    )


def check_consistency(db: Database, queries: Sequence[str], index: SearchIndex | None = None) -> str:
    """Cached answers (and the index's) must equal uncached ones (SQL): compare both for some searches. A page by
    relevance is left out of the comparison: the index ranks it by its own rule, SQL by the backend's."""
    cache = SearchCache(index=index)
    for query in queries:
        search = _request(query)
        ranked = bool(parse_keywords(search.filters.q).required) and search.filters.sort in (None, "relevance")
        with db.sessions() as session:
            answers = []
            for use in (None, cache, cache):  # uncached, computed into the cache, answered from it
                page = search_postings(session, search.filters, search.page, search.per_page, cache=use)
                answers.append(
                    (
                        page.total,
                        [] if ranked and index is not None else [p.id for p in page.items],
                        facet_counts(session, search.filters, cache=use),
                        count_other_roles(session, search.filters, cache=use),
                    )
                )
        if not answers[0] == answers[1] == answers[2] and not _agree_again(db, search, index):
            return f"MISMATCH for {query!r}"
    return f"cached answers equal uncached ones for {len(queries)} searches"


def _agree_again(db: Database, search: SearchRequest, index: SearchIndex | None) -> bool:
    """One more comparison, for a search whose "posted within" line moved with the minute between two answers."""
    with db.sessions() as session:
        answers = [
            (
                search_postings(session, search.filters, search.page, search.per_page, cache=use).total,
                facet_counts(session, search.filters, cache=use),
            )
            for use in (None, SearchCache(index=index))
        ]
    return answers[0] == answers[1]


def in_process(backend: str, args: argparse.Namespace) -> dict[str, Timings]:
    db = Database(search_store.url_for(backend))
    keyword_pool = pool("keyword", args.pool)
    filter_pool = pool("filter", args.pool)
    results: dict[str, Timings] = {}
    try:
        index = None
        if not args.no_index:
            # The column index that counts the searches, loaded as a web process loads it at its
            # first search (in the background there; here before timing).
            index = SearchIndex(background=False)
            started = time.perf_counter()
            index.load(db.engine)
            print(
                f"  {backend}: column index of {index.size:,} postings loaded in {time.perf_counter() - started:.1f} s,"
                f" {index.nbytes() / 1e6:.0f} MB of arrays",
                flush=True,
            )
        # Bring the indexes into memory (the OS page cache, PostgreSQL's buffers) before timing anything.
        warm = SearchCache(index=index)
        for query in keyword_pool[:10] + filter_pool[:10]:
            page_calls(db, warm, _request(query))
        checked = check_consistency(db, keyword_pool[:4] + filter_pool[:40], index)
        print(f"  {backend}: {checked}", flush=True)
        for label, queries, calls, target in (
            ("keyword + filters, page", keyword_pool, page_calls, TARGET_MIX_P95_MS),
            ("filter only, result (items + total)", filter_pool, result_calls, TARGET_FILTER_P95_MS),
            ("filter only, page", filter_pool, page_calls, None),
        ):
            mix = sequence(queries, args.mix, seed=len(label))
            started = time.perf_counter()
            cold, cached, mixed = measure(db, queries, mix, calls, index)
            print(f"  {backend} {label} ({len(queries)} searches, {time.perf_counter() - started:.0f} s):")
            for timing in (cold, cached, mixed):
                print(timing.line(target), flush=True)
                results[f"{label} / {timing.label}"] = timing
    finally:
        db.dispose()
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--postings", type=int, default=1_000_000, help="generated postings (default 1,000,000)")
    parser.add_argument("--backend", choices=(*BACKENDS, "both"), default="both")
    parser.add_argument("--keep", action="store_true", help="reuse the generated stores when they match")
    parser.add_argument("--pool", type=int, default=100, help="distinct searches per class (default 100)")
    parser.add_argument("--mix", type=int, default=1000, help="searches in each Zipf sequence (default 1,000)")
    parser.add_argument("--processes", type=int, default=2, help="generator processes (default 2)")
    parser.add_argument("--duration", type=int, default=20, help="seconds of each wrk run (default 20)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (default 32)")
    parser.add_argument("--urls", type=int, default=20, help="search-page URLs per class for wrk (default 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--no-http", action="store_true", help="skip the measurements over HTTP")
    parser.add_argument("--no-inprocess", action="store_true", help="skip the in-process measurements")
    parser.add_argument("--no-datasette", action="store_true", help="skip the datasette comparison")
    parser.add_argument("--no-index", action="store_true", help="in-process: without the column index (SQL only)")
    args = parser.parse_args(argv)
    backends = list(BACKENDS) if args.backend == "both" else [args.backend]

    started = time.perf_counter()
    plans = search_store.ensure(backends, args.postings, args.keep, args.processes, log=print)
    print(f"stores ready in {time.perf_counter() - started:.0f} s")
    for backend in backends:
        print(f"== {backend}: {search_store.describe_plan(plans[backend])}")
        if not args.no_inprocess:
            in_process(backend, args)
        if not args.no_http:
            search_http.run(backend, args, with_datasette=backend == "sqlite" and not args.no_datasette)
