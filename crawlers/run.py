"""One crawl batch per process: Scrapy's Twisted reactor can't be restarted, so every batch gets a fresh interpreter.

``python -m crawlers.run SOURCE_ID ...`` crawls those sources and exits; :func:`spawn_batch` runs that from a parent
process (the CLI, the scheduler, a worker) and waits for it.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence

from config.settings import ConfigError, Settings, load_settings
from crawlers.settings import scrapy_settings
from crawlers.spiders import spider_for
from store.db import Database
from store.queries.sources import get_sources_by_id

log = logging.getLogger(__name__)


def run_batch(settings: Settings, source_ids: Sequence[int], *, check_schema: bool = True) -> bool:
    """Crawl the sources in this process; False if a crawler could not start. Call at most once per process.

    ``check_schema=False`` when the parent already checked it (every :func:`spawn_batch` caller has): it saves a
    batch process importing Alembic, a tenth of its start-up.
    """
    db = Database(settings.database_url)
    try:
        if check_schema:
            from store.migrate import ensure_schema

            ensure_schema(db.engine)
        with db.transaction() as session:
            sources = get_sources_by_id(session, source_ids)
    finally:
        db.dispose()
    from crawlers.batch import BatchProcess  # Scrapy and Twisted load in batch processes only

    process = BatchProcess(scrapy_settings(settings))
    unknown_kind = False
    for source in sources:
        try:
            spider = spider_for(source.kind)
        except ValueError as exc:
            # One misconfigured source must not keep the batch's others from being crawled.
            log.error("source %s: %s", source.key, exc)
            unknown_kind = True
            continue
        process.add(
            spider,
            source_id=source.id,
            source_key=source.key,
            source_name=source.name,
            feed_url=source.url,
            sector=source.sector,
            etag=source.http_etag,
            last_modified=source.http_last_modified,
        )
    process.run()
    missing = set(source_ids) - {s.id for s in sources}
    if missing:
        log.error("no such sources: %s", sorted(missing))
    # Scrapy logs a crawler that failed to start (a broken pipeline, a bad setting) and carries on; say so in the exit
    # code, so that a parent never mistakes a batch that crawled nothing for one that found nothing.
    return not (process.bootstrap_failed or missing or unknown_kind)


def spawn_batch(
    source_ids: Sequence[int],
    environ: Mapping[str, str],
    *,
    timeout: float | None = None,
    quiet: bool = False,
    on_start: Callable[[subprocess.Popen[bytes]], None] | None = None,
) -> int:
    """Run one batch in a fresh Python process and wait for it; returns its exit code (124 when it timed out).

    The child gets a session of its own, so a Ctrl-C at the terminal reaches only the parent, which decides whether
    the batch finishes (a clean shutdown) or is stopped. A batch past ``timeout`` is killed with its process group:
    its crawls wrote nothing (each lands in one transaction at its end), and the stale-run sweep fails their runs.
    ``on_start`` receives the process, for a parent that may have to stop it early.
    """
    if not source_ids:
        return 0
    env = {**os.environ, **environ}
    cmd = [sys.executable, "-m", "crawlers.run", "--schema-checked", *map(str, source_ids)]
    output = subprocess.DEVNULL if quiet else None
    with subprocess.Popen(cmd, env=env, stdout=output, stderr=output, start_new_session=True) as process:
        if on_start is not None:
            on_start(process)
        try:
            return process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            log.error("crawl batch %s timed out after %ss", list(source_ids), timeout)
            kill_batch(process)
            return 124
        except BaseException:
            # The parent is going down (KeyboardInterrupt, SystemExit): take the batch with it rather than orphan it.
            kill_batch(process)
            raise


def kill_batch(process: subprocess.Popen[bytes], *, reap: bool = True) -> None:
    """Kill a batch's whole process group (the crawl and anything it started), and reap it unless another thread
    waits on it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    if reap:
        process.wait()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawlers.run", description="Crawl sources by id, then exit.")
    parser.add_argument("source_ids", nargs="+", type=int)
    parser.add_argument("--schema-checked", action="store_true", help="The caller checked the schema: skip it.")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"jobsift: configuration error: {exc}", file=sys.stderr)
        return 2
    return 0 if run_batch(settings, args.source_ids, check_schema=not args.schema_checked) else 1


if __name__ == "__main__":
    sys.exit(main())
