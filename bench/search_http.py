"""The HTTP half of ``bench search``: gunicorn serving the site on a generated store, wrk, and datasette beside it.

wrk runs a Lua script that draws each request's URL with Zipf weights from a list: the heads of the keyword and filter
pools of ``bench/search_mix.py`` (``--urls`` of each). Every server is warmed up first: ``/healthz`` is asked until
each gunicorn worker says its search index has loaded (as a deploy waits before sending traffic), then the URLs are
requested round after round until steady, then the measured run. jobsift's "cold (fresh server)" pass in sequence is
taken before that: its first searches are counted in SQL while the index loads. Servers are started by this process
and stopped before it returns.

datasette serves the same SQLite file (immutable), configured to use jobsift's FTS5 table (``fts_table``,
``fts_pk``: the table is external-content, which datasette does not detect by itself). A jobsift search becomes the
datasette table query that filters and facets the same way: ``_search`` for the keywords, the open / not duplicate /
back-end conditions and the filters as column filters, a skill as a ``_where`` subquery on posting_skills, newest
first, 20 rows of the columns a result list shows, and ``_facet`` for the five column facets. datasette cannot facet
on skills (they live in another table); jobsift's side is ``/api/v1/postings?...&facets=1``, which answers every one
of its facets, skills and sources included, so it does more. datasette has no relevance order in its table API, so
both sides sort newest first.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from bench import search_store
from bench.search_mix import pool

ROOT = Path(__file__).resolve().parents[1]
WRK = os.environ.get("WRK", "/usr/bin/wrk")
DATASETTE_DB = "jobsift"
TARGET_RPS = 150.0
# The side-by-side wrk runs: long enough, with a timeout long enough, that datasette's slow answers count.
SIDE_BY_SIDE_SECONDS = 60
COLUMNS = ("id", "title", "company", "location", "remote", "sector", "seniority", "posted_at", "salary_annual_max")
COLUMN_FACETS = ("remote", "sector", "seniority", "employment_type", "visa_sponsorship")
_POSTED = {"24h": timedelta(hours=24), "7d": timedelta(days=7), "30d": timedelta(days=30)}

_LUA = """
local paths = %(paths)s
local weights = %(weights)s
local cumulative, total = {}, 0
for i, w in ipairs(weights) do total = total + w; cumulative[i] = total end
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
end
function init(args)
  math.randomseed(7919 * id)
end
function request()
  local r = math.random() * total
  local lo, hi = 1, #cumulative
  while lo < hi do
    local mid = math.floor((lo + hi) / 2)
    if cumulative[mid] < r then lo = mid + 1 else hi = mid end
  end
  return wrk.format("GET", paths[lo])
end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %%d, "duration_us": %%d, "bytes": %%d, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"status": %%d, "timeout": %%d, "p50": %%d, "p90": %%d, "p99": %%d, "max": %%d, "mean": %%f}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean))
end
"""


def _lua_list(values: list[str] | list[float]) -> str:
    return "{" + ", ".join(json.dumps(v) for v in values) + "}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 600) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            time.sleep(0.5)
    raise RuntimeError(f"nothing answered {url} within {seconds:.0f} s")


@contextmanager
def _serving(command: list[str], env: dict[str, str], probe: str) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server in its own process group until the block ends; it is always stopped, by its own id."""
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        _wait_until_up(probe, process)
        yield process
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if process.stderr is not None:
            errors = process.stderr.read().decode(errors="replace").strip()
            if process.returncode not in (0, -signal.SIGTERM) and errors:
                print(errors[-2000:])
            process.stderr.close()


@contextmanager
def gunicorn(backend: str, args: argparse.Namespace) -> Iterator[str]:
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="jobsift-bench-web-") as data_dir:
        env = {
            **os.environ,
            "JOBSIFT_DATABASE_URL": search_store.url_for(backend),
            "JOBSIFT_DATA_DIR": data_dir,
            "JOBSIFT_SECRET_KEY": secrets.token_urlsafe(40),
            "JOBSIFT_LOG_LEVEL": "WARNING",
        }
        command = [
            sys.executable, "-m", "gunicorn", "web.wsgi:app", "--bind", f"127.0.0.1:{port}",
            "--workers", str(args.workers), "--worker-class", "gthread", "--threads", str(args.threads),
            "--timeout", "120", "--log-level", "warning",
        ]  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        with _serving(command, env, f"{base}/api/openapi.json"):
            yield base


@contextmanager
def datasette() -> Iterator[str]:
    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="jobsift-bench-datasette-") as tmp:
        metadata = Path(tmp) / "metadata.json"
        metadata.write_text(
            json.dumps(
                {"databases": {DATASETTE_DB: {"tables": {"postings": {"fts_table": "postings_fts", "fts_pk": "id"}}}}}
            )
        )
        link = Path(tmp) / f"{DATASETTE_DB}.db"
        link.symlink_to(search_store.WORK_DIR / "search.db")
        command = [
            sys.executable, "-m", "datasette", "serve", "--immutable", str(link), "--metadata", str(metadata),
            "--host", "127.0.0.1", "--port", str(port),
            # The same work as jobsift's answer: no facet suggestions, and time to finish every query and facet
            # (by default datasette gives up on a query after 1 s and on a facet after 200 ms).
            "--setting", "suggest_facets", "off", "--setting", "sql_time_limit_ms", "60000",
            "--setting", "facet_time_limit_ms", "60000",
        ]  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        with _serving(command, dict(os.environ), f"{base}/-/versions.json"):
            yield base


def datasette_path(query: str, now: datetime) -> str:
    """The datasette table query that answers a jobsift search (see the module docstring)."""
    params = dict(parse_qsl(query))
    skills = [v for k, v in parse_qsl(query) if k == "skill"]
    out: list[tuple[str, str]] = [("closed_at__isnull", "1"), ("duplicate_of__isnull", "1"), ("is_backend", "1")]
    if params.get("q"):
        out.append(("_search", params["q"]))
    for name in ("remote", "sector", "seniority"):
        if params.get(name):
            out.append((name, params[name]))
    if params.get("employment_type"):
        out.append(("employment_type", params["employment_type"]))
    if params.get("visa"):
        out.append(("visa_sponsorship", params["visa"]))
    if params.get("region"):
        out += [("remote", "remote"), ("remote_regions__contains", f'"{params["region"]}"')]
    if params.get("min_salary"):
        out.append(("salary_annual_max__gte", params["min_salary"]))
    if params.get("salary"):
        out.append(("salary_annual_max__notnull", "1"))
    if params.get("posted"):
        out.append(("posted_at__gte", (now - _POSTED[params["posted"]]).strftime("%Y-%m-%d %H:%M:%S")))
    if params.get("company"):
        out.append(("company", params["company"]))
    for skill in skills:
        escaped = skill.replace("'", "''")
        out.append(("_where", f"id in (select posting_id from posting_skills where skill = '{escaped}')"))
    out += [("_sort_desc", "posted_at"), ("_size", "20"), ("_shape", "objects")]
    out += [("_col", c) for c in COLUMNS if c != "id"]
    out += [("_facet", f) for f in COLUMN_FACETS]
    # datasette pages by cursor, not by page number: both sides answer the first page.
    return f"/{DATASETTE_DB}/postings.json?{urlencode(out)}"


def jobsift_api_path(query: str) -> str:
    """jobsift's JSON API for the same search, newest first, with the column facets (as datasette is asked)."""
    params = [(k, v) for k, v in parse_qsl(query) if k not in {"sort", "page"}]  # page 1, as datasette
    return "/api/v1/postings?" + urlencode([*params, ("sort", "newest"), ("facets", "1")])


def url_set(args: argparse.Namespace) -> tuple[list[str], list[float]]:
    """The search-page queries wrk draws from, with Zipf weights (the pools' heads, keyword and filter interleaved)."""
    keyword, filters = pool("keyword", args.pool)[: args.urls], pool("filter", args.pool)[: args.urls]
    queries: list[str] = []
    weights: list[float] = []
    for rank, pair in enumerate(zip(keyword, filters, strict=True)):
        for query in pair:
            queries.append(query)
            weights.append(1.0 / (rank + 1))
    return queries, weights


def wrk(
    base: str, paths: list[str], weights: list[float], args: argparse.Namespace, timeout: int | None = None
) -> dict[str, float]:
    """wrk's figures for these paths; a request is a timeout error after 2 s (wrk's default) unless ``timeout``."""
    if shutil.which(WRK) is None:
        raise SystemExit(f"bench search: wrk is not at {WRK}: install Debian's wrk (make bench does), or set WRK")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_LUA % {"paths": _lua_list(paths), "weights": _lua_list(weights)})
    try:
        command = [WRK, "-t", "2", "-c", str(args.connections), "-d", f"{args.duration}s", "--latency"]
        if timeout:
            command += ["--timeout", f"{timeout}s"]
        output = subprocess.run(
            [*command, "-s", script.name, base],
            capture_output=True,
            text=True,
            check=True,
            timeout=args.duration + (timeout or 2) + 120,
        ).stdout
    finally:
        Path(script.name).unlink()
    line = next(line for line in output.splitlines() if line.startswith("WRK "))
    figures: dict[str, float] = json.loads(line[4:])
    figures["rps"] = figures["requests"] / (figures["duration_us"] / 1e6)
    return figures


def describe(label: str, f: dict[str, float]) -> str:
    errors = int(f["connect"] + f["read"] + f["write"] + f["timeout"])
    return (
        f"    {label:<44} {f['rps']:8.1f} req/s  latency p50 {f['p50'] / 1000:7.1f} ms  p90 {f['p90'] / 1000:7.1f} ms  "
        f"p99 {f['p99'] / 1000:7.1f} ms  max {f['max'] / 1000:7.1f} ms  non-2xx {int(f['status'])}  "
        f"socket errors {errors} (timeouts {int(f['timeout'])})"
    )


def sequential(base: str, paths: list[str]) -> tuple[list[float], int, int]:
    """Each path once, in order: milliseconds each, how many asked-for facets datasette left out (it drops those
    that time out), and error answers."""
    millis: list[float] = []
    missing = 0
    errors = 0
    for path in paths:
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(base + path, timeout=600) as response:
                body = response.read()
        except urllib.error.HTTPError as error:
            body = error.read()
            errors += 1
        millis.append((time.perf_counter() - started) * 1000)
        with suppress(ValueError, AttributeError):
            document = json.loads(body)
            if "facet_results" in document:
                missing += len(set(COLUMN_FACETS) - set(document["facet_results"]))
    return millis, missing, errors


def _fetch(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def wait_for_index(base: str, workers: int, seconds: float = 900.0) -> str:
    """Ask /healthz until every worker process has said its search index is loaded (each answers for itself, and
    which one answers is up to the kernel), as a deploy would before sending traffic."""
    started = time.perf_counter()
    loaded: set[int] = set()
    while time.perf_counter() - started < seconds:
        with urllib.request.urlopen(base + "/healthz", timeout=60) as response:
            health = json.loads(response.read())
        if health["search_index"] in ("loaded", "off"):
            loaded.add(health["pid"])
            if len(loaded) >= workers or health["search_index"] == "off":
                return f"search index {health['search_index']} in {time.perf_counter() - started:.0f} s"
        else:
            time.sleep(0.2)
    return f"search index still loading after {seconds:.0f} s"


def warm_up(base: str, paths: list[str], concurrency: int, steady_ms: float = 250.0, rounds: int = 20) -> str:
    """Request every path (``concurrency`` at a time) round after round, until a whole round answers each within
    ``steady_ms``: every worker process has then computed and cached what these searches need (each gunicorn
    worker has a cache of its own, and which one serves a request is up to the kernel)."""
    started = time.perf_counter()
    done = 0
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        while done < rounds:
            done += 1
            if max(pool.map(_fetch, [base + path for path in paths * concurrency])) <= steady_ms:
                break
    return f"warm-up: {done} rounds of {len(paths) * concurrency} requests in {time.perf_counter() - started:.0f} s"


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def run(backend: str, args: argparse.Namespace, with_datasette: bool) -> None:
    queries, weights = url_set(args)
    pages = ["/?" + q if q else "/" for q in queries]
    concurrency = args.workers * args.threads
    print(
        f"  {backend} over HTTP: gunicorn {args.workers} workers x {args.threads} threads (gthread), wrk 2 threads, "
        f"{args.connections} connections, {len(pages)} search-page URLs drawn with Zipf weights; load average "
        f"{os.getloadavg()[0]:.1f} before",
        flush=True,
    )
    with gunicorn(backend, args) as base:
        print(f"    {wait_for_index(base, args.workers)}; search page {warm_up(base, pages, concurrency)}", flush=True)
        page = wrk(base, pages, weights, args)
        verdict = "met" if page["rps"] >= TARGET_RPS and not _errors(page) else "NOT met"
        print(
            describe(f"search page, {args.duration} s", page)
            + f"  (target >= {TARGET_RPS:.0f} req/s, no errors: {verdict})"
        )
        print(f"    load average after: {os.getloadavg()[0]:.1f}", flush=True)
    if not with_datasette:
        return
    side = argparse.Namespace(**{**vars(args), "duration": SIDE_BY_SIDE_SECONDS})
    api_paths = [jobsift_api_path(q) for q in queries]
    with gunicorn(backend, args) as base:  # a fresh server: its first pass is cold
        api_cold, _, api_errors = sequential(base, api_paths)
        wait_for_index(base, args.workers)
        warm_up(base, api_paths, concurrency)
        api_warm, _, _ = sequential(base, api_paths)
        api = wrk(base, api_paths, weights, side, timeout=SIDE_BY_SIDE_SECONDS)
    now = datetime.now(UTC)
    datasette_paths = [datasette_path(q, now) for q in queries]
    # datasette caches no results, and the OS already holds the file: in sequence once, then under load.
    with datasette() as ds:
        other_ms, missing, other_errors = sequential(ds, datasette_paths)
        other = wrk(ds, datasette_paths, weights, side, timeout=SIDE_BY_SIDE_SECONDS)
    print(
        f"  side by side on the same SQLite file, the same {len(queries)} searches as JSON (newest first, facets), "
        f"wrk {SIDE_BY_SIDE_SECONDS} s with a {SIDE_BY_SIDE_SECONDS} s timeout:"
    )
    print(describe("jobsift /api/v1/postings (gunicorn)", api))
    print(describe("datasette /jobsift/postings.json", other))
    ratio = f"{api['rps'] / other['rps']:.0f}x" if other["rps"] else "datasette completed no request"
    print(f"    under load, jobsift / datasette requests/s: {ratio}")
    for label, mine in (("cold (fresh server)", api_cold), ("cached", api_warm)):
        print(
            f"    in sequence, each URL once, jobsift {label}: median {_median(mine):.1f} ms, "
            f"total {sum(mine):.0f} ms; datasette: median {_median(other_ms):.1f} ms, total {sum(other_ms):.0f} ms; "
            f"datasette / jobsift: {_median(other_ms) / _median(mine):.1f}x median, "
            f"{sum(other_ms) / sum(mine):.1f}x total"
        )
    print(
        f"    error answers in sequence: jobsift {api_errors}, datasette {other_errors}; "
        f"facets datasette left out: {missing}"
    )


def _errors(figures: dict[str, float]) -> int:
    return int(figures["connect"] + figures["read"] + figures["write"] + figures["timeout"] + figures["status"])
