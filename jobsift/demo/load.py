"""The demo's loading step: serve the bundled snapshots on loopback and crawl them through the real pipeline."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from config.settings import Settings
from config.sources import platform_terms
from crawlers.run import spawn_batch
from jobsift.demo.server import FeedServer
from jobsift.demo.snapshots import demo_feeds
from store.db import Database
from store.models import Posting
from store.queries.sources import upsert_source

# A loopback crawl of a few hundred postings takes seconds; this only stops a wedged child.
BATCH_TIMEOUT_SECONDS = 600


@dataclass(frozen=True)
class DemoLoad:
    sources: dict[str, int]
    open_postings: int
    exit_code: int


def load_demo(settings: Settings, database: Database, now: datetime) -> DemoLoad:
    # Generated postings are dated relative to the snapshot's day, not the second: a rerun the same day is a no-op
    # crawl, and the demo still looks fresh on any later day.
    snapshot_day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    demo_sources, routes = demo_feeds(snapshot_day)
    with FeedServer(routes) as server:
        with database.transaction() as session:
            # The server's port changes every run, so each run points the demo sources at it anew.
            ids = {
                source.key: upsert_source(
                    session,
                    key=source.key,
                    name=source.name,
                    kind=source.kind,
                    url=server.url + source.path,
                    sector=source.sector,
                    terms=platform_terms(source.kind),
                    now=now,
                ).id
                for source in demo_sources
            }
        # The demo's feeds are on loopback by design; real crawls keep refusing private addresses.
        environ = {**settings.child_environ(), "JOBSIFT_ALLOW_PRIVATE_NETWORKS": "1"}
        code = spawn_batch(list(ids.values()), environ, timeout=BATCH_TIMEOUT_SECONDS)
    with database.transaction() as session:
        open_postings = session.scalar(select(func.count()).select_from(Posting).where(Posting.closed_at.is_(None)))
    return DemoLoad(sources=ids, open_postings=open_postings or 0, exit_code=code)
