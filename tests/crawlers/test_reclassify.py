"""`jobsift reclassify` re-derives every normalised field from the stored raw values, without fetching anything."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from config.settings import Settings
from crawlers.reclassify import reclassify
from jobsift.demo.server import FeedServer
from store.db import Database
from store.models import Posting, PostingSkill, Source
from tests.crawlers.test_crawl import add_sources, crawl, fixture_route


def snapshot(db: Database) -> dict[int, tuple[object, ...]]:
    with db.transaction() as s:
        return {
            p.id: (
                p.title, p.remote, p.sector, p.description_text, p.content_hash, tuple(k.skill for k in p.skills),
                p.first_seen_at, p.last_seen_at, p.updated_at, p.closed_at,
            )
            for p in s.scalars(select(Posting).options(selectinload(Posting.skills)))
        }  # fmt: skip


def test_reclassify_restores_derived_fields_and_leaves_lifecycle_alone(settings: Settings, db: Database) -> None:
    routes = {
        "/v1/boards/gitlab/jobs": fixture_route("greenhouse/gitlab_jobs_content_trimmed_by_committer.json"),
        "/v0/postings/palantir": fixture_route("lever/palantir_postings_trimmed_by_committer.json"),
        "/categories/remote-back-end-programming-jobs.rss": fixture_route(
            "wwr/weworkremotely_remote-back-end-programming-jobs_2022-11-07.rss", "application/rss+xml"
        ),
    }
    with FeedServer(routes) as server:
        ids = add_sources(db, server)
        crawl(settings, *ids.values())
    crawled = snapshot(db)
    # Greenhouse's raw item holds the description, so the store keeps it once; Lever builds its description from
    # several fields of the item, so the built HTML is kept beside it.
    with db.transaction() as s:
        kept_apart = dict(
            s.execute(
                select(Source.kind, func.count(Posting.description_raw))
                .join(Source, Source.id == Posting.source_id)
                .group_by(Source.kind)
            ).all()
        )
    assert kept_apart["greenhouse"] == 0 and kept_apart["lever"] > 0

    # A freshly crawled store re-derives to exactly itself.
    first = reclassify(db)
    assert (first.examined, first.changed) == (65, 0)

    # Damage what classification derives (as an older classifier would have left it), and close one posting.
    # Three Greenhouse postings (their description comes back from the raw item) and two Lever ones (from the copy).
    with db.transaction() as s:
        by_source = {
            key: sorted(s.scalars(select(Posting.id).where(Posting.source_id == ids[key])))
            for key in ("gitlab", "palantir")
        }
    victims = by_source["gitlab"][:3] + by_source["palantir"][:2]
    with db.transaction() as s:
        s.execute(
            update(Posting)
            .where(Posting.id.in_(victims))
            .values(remote="unknown", sector="Other", description_html="", description_text="", content_hash="stale")
        )
        s.execute(PostingSkill.__table__.delete().where(PostingSkill.posting_id.in_(victims)))
        s.execute(update(Posting).where(Posting.id == victims[0]).values(closed_at=crawled[victims[0]][6]))
    result = jobsift_reclassify(settings)
    assert "examined 65 postings, changed 5" in result

    after = snapshot(db)
    for pid, row in crawled.items():
        expected = row if pid != victims[0] else (*row[:9], row[6])
        assert after[pid] == expected, pid
    assert reclassify(db).changed == 0


def jobsift_reclassify(settings: Settings) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "jobsift", "reclassify"],
        env={**os.environ, **settings.child_environ()},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout
