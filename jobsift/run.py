"""``jobsift run``: the site, the scheduler and local crawl workers as one process tree, for a single machine; and
``jobsift crawl``'s foreground crawl through the same batching.

The site is served from this process; the scheduler is a child (``jobsift scheduler`` with the local pool), and it
starts one process per crawl batch. On Ctrl-C or SIGTERM the site stops taking requests, the scheduler gets SIGTERM
and lets the batches in flight finish (each lands whole or not at all), and the command exits 0.
"""

from __future__ import annotations

import io
import logging
import os
import queue
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from types import FrameType

import click

from config.settings import Settings
from crawlers.dispatch import Batch, LocalDispatcher, feed_host, lease_for, make_batches
from crawlers.scheduler import CrawlScheduler, scheduler_id
from store.db import Database
from store.queries.schedule import claim_sources, release_sources

log = logging.getLogger(__name__)

# Beyond the batches' own timeout, how long the scheduler may take to stop before it is killed.
STOP_GRACE_SECONDS = 30


def alert_job(settings: Settings) -> Callable[[CrawlScheduler], None]:
    """The scheduler's ``configure``: the alert pass (match new postings, cut digests, send) every minute, in the one
    scheduler process beside crawling. It lives in ``web.alerts``, which ``crawlers`` may not import; this package
    wires the two."""

    def configure(scheduler: CrawlScheduler) -> None:
        from web.alerts.runner import PASS_SECONDS, AlertRunner

        scheduler.add_periodic("alerts", AlertRunner(settings).run_once, seconds=PASS_SECONDS)

    return configure


def run_all(settings: Settings, host: str, port: int, *, tick_seconds: float) -> int:
    from werkzeug.serving import make_server

    from web import create_app

    app = create_app(settings)
    try:
        server = make_server(host, port, app, threaded=True)
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on {host}:{port}: {exc.strerror}; choose another with --port"
        ) from None

    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    # One machine, one pool: the scheduler crawls locally even if a Redis URL is configured for other setups.
    env = {k: v for k, v in os.environ.items() if k != "JOBSIFT_REDIS_URL"}
    env.update({k: v for k, v in settings.child_environ().items() if k != "JOBSIFT_REDIS_URL"})
    scheduler = subprocess.Popen([sys.executable, "-m", "jobsift", "scheduler", "--tick", str(tick_seconds)], env=env)
    web = threading.Thread(target=server.serve_forever, name="jobsift-web", daemon=True)
    web.start()
    shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host
    click.echo(f"jobsift is serving at http://{shown}:{server.server_port}/ and crawling (Ctrl-C to stop)")
    if settings.smtp is None:
        click.echo(f"emails are saved under {settings.mail_sink_dir}: see http://{shown}:{server.server_port}/dev/mail")
    code = 0
    try:
        while not stop.wait(1):
            if scheduler.poll() is not None:
                click.echo(f"jobsift: the scheduler exited with {scheduler.returncode}; stopping", err=True)
                code = 1
                break
        click.echo("stopping: finishing the crawl batches in flight")
    finally:
        server.shutdown()
        server.server_close()
        code = max(code, _stop_child(scheduler, settings.batch_timeout + STOP_GRACE_SECONDS))
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return code


def crawl_now(
    settings: Settings, database: Database, sources: list[tuple[int, str]], *, progress: bool = True
) -> set[int]:
    """Crawl ``(source id, feed URL)`` pairs now in the local pool, batched as the scheduler does, with a progress bar.

    The sources are claimed first (whether due or not), so a source the scheduler is crawling right now is left alone;
    returns the ids of those, which were not crawled. Ctrl-C lets the batches in flight finish and starts no others.
    """
    owner, urls, now = f"crawl:{scheduler_id()}", dict(sources), datetime.now(UTC)
    batches = []
    with database.transaction() as session:
        for number, batch in enumerate(make_batches(sources, settings.batch_size), 1):
            token = f"{owner}/{number}"
            ids = claim_sources(
                session, batch.source_ids, owner=token, now=now, lease=lease_for(settings), due_only=False
            )
            if ids:
                batches.append(Batch(tuple(ids), frozenset(feed_host(urls[i]) for i in ids), token))
    claimed = {i for b in batches for i in b.source_ids}
    finished: queue.Queue[Batch] = queue.Queue()
    pool = LocalDispatcher(settings, on_done=lambda batch, _code: finished.put(batch))
    pool.dispatch(batches)
    bar_file = sys.stderr if progress else io.StringIO()
    try:
        with click.progressbar(length=len(claimed), label=f"crawling {len(claimed)} source(s)", file=bar_file) as bar:
            for _ in batches:
                bar.update(len(finished.get()))
    except KeyboardInterrupt:
        click.echo("\nstopping: finishing the batches in flight (each lands whole or not at all)", err=True)
        unstarted = pool.close(timeout=settings.batch_timeout)
        with database.transaction() as session:
            for batch in unstarted:
                release_sources(session, batch.source_ids, batch.owner)
        raise click.Abort() from None
    pool.close(timeout=0)
    return {i for i, _ in sources} - claimed


def _stop_child(process: subprocess.Popen[bytes], timeout: float) -> int:
    """SIGTERM, wait up to ``timeout``, then SIGKILL; 0 if it stopped cleanly (or had already ended)."""
    if process.poll() is not None:
        return 0 if process.returncode == 0 else 1
    process.send_signal(signal.SIGTERM)
    try:
        return 0 if process.wait(timeout=timeout) == 0 else 1
    except subprocess.TimeoutExpired:
        log.error("the scheduler did not stop within %ss; killing it", timeout)
        process.kill()
        process.wait()
        return 1
