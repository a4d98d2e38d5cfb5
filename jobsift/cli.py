"""The ``jobsift`` command."""

from __future__ import annotations

import re
import signal
import sys
import threading
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from urllib.parse import urlsplit

import click

from config.settings import ConfigError, Settings, configure_logging, load_settings
from crawlers.spiders import SPIDERS
from jobsift.admin_cli import admin
from jobsift.sources_cli import sources
from store.db import Database
from store.migrate import SchemaOutOfDate, current_revision, ensure_schema, head_revision, upgrade
from store.queries.crawl_runs import last_runs_since
from store.queries.sources import get_sources


def _settings() -> Settings:
    try:
        settings = load_settings()
    except ConfigError as exc:
        raise click.ClickException(f"configuration error: {exc}") from None
    configure_logging(settings)
    return settings


def _database(settings: Settings) -> Database:
    db = Database(settings.database_url)
    try:
        ensure_schema(db.engine)
    except SchemaOutOfDate as exc:
        raise click.ClickException(str(exc)) from None
    return db


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """jobsift: back-end developer jobs from public feeds."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Alembic revision to migrate to.")
def db_upgrade(revision: str) -> None:
    """Migrate the database to the newest schema."""
    settings = _settings()
    database = Database(settings.database_url)
    before = current_revision(database.engine)
    upgrade(database.engine, revision)
    after = current_revision(database.engine)
    click.echo(f"database {_redacted(settings.database_url)}: {before or 'empty'} -> {after}")


@db.command("current")
def db_current() -> None:
    """Show the database's schema revision and the code's."""
    settings = _settings()
    database = Database(settings.database_url)
    click.echo(f"database: {current_revision(database.engine) or 'empty'}; code: {head_revision(database.engine)}")


@main.command()
@click.argument("keys", nargs=-1)
@click.option("--all", "crawl_all", is_flag=True, help="Crawl every enabled source.")
def crawl(keys: Sequence[str], crawl_all: bool) -> None:
    """Crawl sources now, in the foreground, with a progress bar, and print what happened.

    Sources are batched by feed host as the scheduler does, one fresh process a batch, in the local pool
    (JOBSIFT_CRAWL_WORKERS at once). A source the scheduler is crawling right now is skipped.
    """
    if not keys and not crawl_all:
        raise click.UsageError("name one or more source keys, or pass --all")
    settings = _settings()
    database = _database(settings)
    with database.transaction() as session:
        sources = get_sources(session, None if crawl_all else list(keys), enabled_only=crawl_all)
        found = {s.key: (s.id, s.url) for s in sources}
    missing = sorted(set(keys) - set(found))
    if missing:
        raise click.ClickException(f"unknown source: {', '.join(missing)}")
    if not found:
        click.echo("no enabled sources to crawl")
        return
    started, batch_start = time.monotonic(), datetime.now(UTC)
    from jobsift.run import crawl_now

    held = crawl_now(settings, database, list(found.values()))
    if held:
        names = sorted(k for k, (i, _) in found.items() if i in held)
        click.echo(f"skipped {len(names)} source(s) being crawled by the scheduler: {', '.join(names)}")
    crawled = {k: i for k, (i, _) in found.items() if i not in held}
    failures = _print_summary(database, crawled, batch_start, time.monotonic() - started) if crawled else 0
    sys.exit(1 if failures else 0)


@main.command()
@click.option(
    "--tick", default=15.0, show_default=True, type=click.FloatRange(0.1, 3600), help="Seconds between dispatch ticks."
)
@click.option("--queue", default="jobsift-crawl", show_default=True, help="The RQ queue (with JOBSIFT_REDIS_URL).")
def scheduler(tick: float, queue: str) -> None:
    """Run the one scheduler: crawl due sources in a local pool, or through RQ when JOBSIFT_REDIS_URL is set.

    Stops cleanly on SIGTERM or Ctrl-C: no new batches, and those in flight finish.
    """
    from crawlers.dispatch import RQDispatcher
    from crawlers.scheduler import serve
    from jobsift.run import alert_job

    settings = _settings()
    _database(settings).dispose()
    dispatcher = RQDispatcher(settings, settings.redis_url, queue) if settings.redis_url else None
    sys.exit(serve(settings, dispatcher, tick_seconds=tick, configure=alert_job(settings)))


@main.command()
@click.option("--queue", default="jobsift-crawl", show_default=True, help="The RQ queue to take crawl batches from.")
@click.option("--burst", is_flag=True, help="Exit when the queue is empty.")
def worker(queue: str, burst: bool) -> None:
    """Crawl batches from the RQ queue on JOBSIFT_REDIS_URL (run any number, on any machine).

    Stops cleanly on SIGTERM or Ctrl-C: the current batch finishes first.
    """
    from crawlers.dispatch import run_worker

    settings = _settings()
    if not settings.redis_url:
        raise click.ClickException(
            "jobsift worker takes crawl batches from Redis: set JOBSIFT_REDIS_URL (e.g. redis://127.0.0.1:6379/0). "
            "Without Redis, `jobsift scheduler` (or `jobsift run`) crawls in a local process pool."
        )
    _database(settings).dispose()
    try:
        run_worker(settings, queue, burst=burst)
    except Exception as exc:  # redis.exceptions.ConnectionError at start-up, say
        raise click.ClickException(f"worker stopped: {exc}") from None


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--tick", default=15.0, show_default=True, type=click.FloatRange(0.1, 3600), help="Seconds between dispatch ticks."
)
def run(host: str, port: int, tick: float) -> None:
    """Serve the site and crawl on schedule in local workers: everything on one machine, until Ctrl-C or SIGTERM."""
    from jobsift.run import run_all

    settings = _settings()
    _database(settings).dispose()
    try:
        code = run_all(settings, host, port, tick_seconds=tick)
    except SchemaOutOfDate as exc:
        raise click.ClickException(str(exc)) from None
    sys.exit(code)


def _print_summary(database: Database, sources: dict[str, int], since: datetime, elapsed: float) -> int:
    """A table of each source's run in this batch; returns how many failed (a source with no run failed)."""
    failures = 0
    totals = {"new": 0, "updated": 0, "unchanged": 0, "closed": 0}
    click.echo(f"{'source':32} {'status':8} {'new':>5} {'upd':>5} {'same':>5} {'closed':>6}  error")
    with database.transaction() as session:
        runs = last_runs_since(session, list(sources.values()), since)
        for key, source_id in sorted(sources.items()):
            run = runs.get(source_id)
            if run is None:
                click.echo(f"{key[:32]:32} {'no run':8}  the crawl did not start; see the log above")
                failures += 1
                continue
            failures += run.status != "success"
            totals["new"] += run.postings_new
            totals["updated"] += run.postings_updated
            totals["unchanged"] += run.postings_unchanged
            totals["closed"] += run.postings_closed
            error = f"{run.error_kind}: {run.error_message}" if run.error_kind else ""
            click.echo(
                f"{key[:32]:32} {run.status:8} {run.postings_new:5} {run.postings_updated:5} "
                f"{run.postings_unchanged:5} {run.postings_closed:6}  {error[:100]}"
            )
    click.echo(
        f"{len(sources)} sources in {elapsed:.1f}s: {totals['new']} new, {totals['updated']} updated, "
        f"{totals['unchanged']} unchanged, {totals['closed']} closed, {failures} failed"
    )
    return failures


@sources.command("resume")
@click.argument("keys", nargs=-1, required=True)
def sources_resume(keys: Sequence[str]) -> None:
    """Put sources paused after repeated failures back in rotation, due now, with a clean failure count."""
    from store.queries.schedule import resume_source

    settings = _settings()
    database = _database(settings)
    try:
        with database.transaction() as session:
            found = {s.key: s for s in get_sources(session, list(keys))}
            missing = sorted(set(keys) - set(found))
            if missing:
                raise click.ClickException(f"unknown source: {', '.join(missing)}")
            now = datetime.now(UTC)
            for key in keys:
                source = found[key]
                was = source.pause_reason
                resume_source(source, now)
                click.echo(f"{key}: resumed" + (f" (was: {was})" if was else " (was not paused)"))
    finally:
        database.dispose()


@main.command()
@click.argument("keys", nargs=-1)
def reclassify(keys: Sequence[str]) -> None:
    """Re-run normalisation and classification over stored postings (all, or those of the sources KEYS)."""
    from crawlers.reclassify import reclassify as run

    settings = _settings()
    database = _database(settings)
    started = time.monotonic()
    counts = run(database, list(keys) or None)
    click.echo(f"examined {counts.examined} postings, changed {counts.changed}, in {time.monotonic() - started:.1f}s")


@main.command()
@click.argument("target")
@click.option("--kind", type=click.Choice(sorted(SPIDERS)), help="The feed's platform (recognised when omitted).")
@click.option("--name", help="The employer, for feeds that don't name it (Lever, Ashby).")
def preview(target: str, kind: str | None, name: str | None) -> None:
    """Print the postings of a feed URL or a saved payload as JSON lines, without touching the store."""
    from pathlib import Path

    from config.recognise import Unrecognised, kind_from_path, recognise_content, recognise_url
    from jobsift.demo.server import FeedServer, Route

    settings = _settings()
    path = Path(target)
    if path.is_file():
        body = path.read_bytes()
        try:
            kind = kind or recognise_content(body)
        except Unrecognised as exc:
            raise click.ClickException(f"{target}: {exc}; pass --kind") from None
        # A saved payload goes through the very same fetch-and-parse path, served from loopback.
        route = Route(body=body, content_type=_content_type(body))
        environ = {**settings.child_environ(), "JOBSIFT_ALLOW_PRIVATE_NETWORKS": "1"}
        # Shaped like an API path, so that bases that read the board from their URL (Workable) find one.
        served = f"/preview/accounts/{re.sub(r'[^a-z0-9-]+', '-', path.stem.lower()).strip('-') or 'file'}/jobs"
        with FeedServer({served: route}) as server:
            code = _run_preview(kind, server.url + served, environ, name=name or path.stem, single_document=True)
    else:
        if not target.startswith(("http://", "https://")):
            raise click.ClickException(f"{target}: neither a file nor an http(s) URL")
        recognised = recognise_url(target)
        url = recognised.feed_url if recognised and (kind is None or kind == recognised.kind) else target
        kind = kind or (recognised.kind if recognised else kind_from_path(target))
        name = name or (recognised.board if recognised else None) or urlsplit(target).hostname or "preview"
        code = _run_preview(kind, url, settings.child_environ(), name=name)
    sys.exit(code)


def _content_type(body: bytes) -> str:
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:200].lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<urlset", b"<workzag")):
        return "application/xml"
    if head.startswith((b"<!doctype", b"<html")):
        return "text/html; charset=utf-8"
    return "application/json"


def _run_preview(kind: str, url: str, environ: dict[str, str], name: str, single_document: bool = False) -> int:
    import os
    import subprocess

    cmd = [sys.executable, "-m", "crawlers.preview", kind, url, "--name", name]
    if single_document:
        cmd.append("--single-document")
    return subprocess.run(cmd, env={**os.environ, **environ}, check=False).returncode


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
def web(host: str, port: int) -> None:
    """Serve the site (for production, run web.wsgi:app under gunicorn)."""
    settings = _settings()
    _serve(settings, host, port)


def _serve(settings: Settings, host: str, port: int) -> None:
    from werkzeug.serving import make_server

    from web import create_app

    try:
        app = create_app(settings)
    except SchemaOutOfDate as exc:
        raise click.ClickException(str(exc)) from None
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror}; choose another with --port"
        ) from None
    # Ctrl-C, or SIGTERM from a service manager (docker stop, systemd), stops it cleanly; both are handled here, so
    # that a SIGINT that a parent had set to be ignored (a background job of a script) still stops it.
    stop = threading.Event()
    previous = {sig: signal.signal(sig, lambda _signum, _frame: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)}
    serving = threading.Thread(target=server.serve_forever, name="jobsift-web", daemon=True)
    serving.start()
    shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
    click.echo(f"jobsift is serving at http://{shown}:{port}/  (Ctrl-C to stop)", err=False)
    try:
        while not stop.wait(1):
            pass
        click.echo("stopping")
    finally:
        server.shutdown()
        server.server_close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--no-serve", is_flag=True, help="Load the demo postings and exit without serving the site.")
def demo(host: str, port: int, no_serve: bool) -> None:
    """Fill the store from bundled feed snapshots (served on loopback, crawled for real), then serve the site."""
    from jobsift.demo.load import load_demo

    settings = _settings()
    database = _database(settings)
    started, batch_start = time.monotonic(), datetime.now(UTC)
    click.echo(f"jobsift demo: store {_redacted(settings.database_url)}")
    result = load_demo(settings, database, now=batch_start)
    failures = _print_summary(database, result.sources, batch_start, time.monotonic() - started)
    click.echo(f"{result.open_postings} open postings in the store, ready in {time.monotonic() - started:.1f}s")
    if failures:
        click.echo(f"warning: {failures} demo source(s) failed to load", err=True)
    if no_serve:
        sys.exit(1 if failures or result.open_postings == 0 else 0)
    from jobsift.demo.mail import alert_loop

    if settings.smtp is None:
        click.echo(f"emails are saved under {settings.mail_sink_dir}: see http://{host}:{port}/dev/mail")
    with alert_loop(settings):
        _serve(settings, host, port)


def _redacted(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


main.add_command(sources)
main.add_command(admin)
