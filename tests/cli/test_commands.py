from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import Settings


def jobsift(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jobsift", *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def head() -> str:
    from store.db import Database
    from store.migrate import head_revision

    revision = head_revision(Database("sqlite://").engine)
    assert revision
    return revision


def test_db_upgrade_migrates_a_fresh_database_and_is_idempotent(tmp_path: Path) -> None:
    env = {"JOBSIFT_DATA_DIR": str(tmp_path)}
    h = head()
    first = jobsift("db", "upgrade", env=env)
    assert first.returncode == 0, first.stderr
    assert f"empty -> {h}" in first.stdout
    assert (tmp_path / "jobsift.db").exists()
    second = jobsift("db", "upgrade", env=env)
    assert f"{h} -> {h}" in second.stdout
    assert f"database: {h}; code: {h}" in jobsift("db", "current", env=env).stdout


def test_db_upgrade_honours_the_database_url(settings: Settings) -> None:
    result = jobsift("db", "current", env=settings.child_environ())
    assert result.returncode == 0, result.stderr
    assert f"database: {head()};" in result.stdout


@pytest.mark.parametrize(
    ("variable", "value"), [("JOBSIFT_DATABASE_URL", "mysql://x/y"), ("JOBSIFT_HTTP_TIMEOUT", "-3")]
)
def test_bad_configuration_fails_at_start_with_a_clear_message(tmp_path: Path, variable: str, value: str) -> None:
    result = jobsift("db", "current", env={"JOBSIFT_DATA_DIR": str(tmp_path), variable: value})
    assert result.returncode == 1
    assert f"Error: configuration error: {variable}:" in result.stderr
    assert "Traceback" not in result.stderr


def test_crawl_needs_sources_and_names_unknown_ones(tmp_path: Path) -> None:
    env = {"JOBSIFT_DATA_DIR": str(tmp_path)}
    assert "name one or more source keys" in jobsift("crawl", env=env).stderr
    unknown = jobsift("crawl", "nope", env=env)
    assert unknown.returncode == 1
    assert "unknown source: nope" in unknown.stderr


def test_crawl_summary_reports_each_source_and_fails_if_any_did(settings: Settings) -> None:
    from datetime import UTC, datetime

    from jobsift.demo.server import FeedServer
    from store.db import Database
    from store.queries.sources import upsert_source
    from tests.crawlers.test_crawl import GREENHOUSE, fixture_route

    with FeedServer({GREENHOUSE: fixture_route("greenhouse/gitlab_jobs_content_trimmed_by_committer.json")}) as server:
        db = Database(settings.database_url)
        with db.transaction() as s:
            now = datetime.now(UTC)
            upsert_source(s, key="gitlab", name="GitLab", kind="greenhouse", url=server.url + GREENHOUSE, now=now)
            upsert_source(s, key="mystery", name="Mystery", kind="nope", url=server.url + "/x", now=now)
        db.dispose()
        result = jobsift("crawl", "gitlab", "mystery", env=settings.child_environ())
    assert result.returncode == 1
    lines = {line.split()[0]: line for line in result.stdout.splitlines() if line.strip()}
    assert lines["gitlab"].split()[1:6] == ["success", "3", "0", "0", "0"]
    assert "no run" in lines["mystery"]
    assert "2 sources in" in result.stdout and "3 new" in result.stdout and "1 failed" in result.stdout
    assert "no spider for source kind 'nope'" in result.stderr


def test_sources_seed_adds_the_defaults_once_and_keeps_edits(settings: Settings) -> None:
    from sqlalchemy import select

    from config.sources import default_sources
    from store.db import Database
    from store.models import Source

    first = jobsift("sources", "seed", env=settings.child_environ())
    assert first.returncode == 0, first.stderr
    assert f"added {len(default_sources())} source(s)" in first.stdout

    db = Database(settings.database_url)
    with db.transaction() as s:
        gitlab = s.scalars(select(Source).where(Source.key == "greenhouse-gitlab")).one()
        assert gitlab.terms["min_interval_minutes"] == 60
        gitlab.name = "GitLab (edited)"
    db.dispose()

    again = jobsift("sources", "seed", env=settings.child_environ())
    assert "added 0 source(s)" in again.stdout
    listing = jobsift("sources", "list", env=settings.child_environ()).stdout
    assert "greenhouse-gitlab" in listing and "wwr-back-end" in listing and "never" in listing
    db = Database(settings.database_url)
    with db.transaction() as s:
        assert s.scalars(select(Source.name).where(Source.key == "greenhouse-gitlab")).one() == "GitLab (edited)"
    db.dispose()
