"""`jobsift sources add | list | import | export | enable | disable | remove`."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import select

from config.settings import Settings
from jobsift.cli import main
from store.db import Database
from store.models import Posting, Source
from store.queries.postings import upsert_postings
from tests.store.helpers import NOW, record


def run(settings: Settings, *args: str, **env: str) -> Result:
    return CliRunner().invoke(main, ["sources", *args], env={**settings.child_environ(), **env})


def listed(settings: Settings) -> list[dict[str, object]]:
    result = run(settings, "list", "--json")
    assert result.exit_code == 0, result.output
    return [json.loads(line) for line in result.output.splitlines()]


def test_add_recognises_a_board_url_and_fills_in_the_platform_terms(settings: Settings) -> None:
    result = run(settings, "add", "https://jobs.lever.co/acme", "--name", "Acme", "--sector", "Technology")
    assert result.exit_code == 0, result.output
    assert "added lever-acme (lever, https://api.lever.co/v0/postings/acme?mode=json)" in result.output
    [source] = listed(settings)
    assert source["kind"] == "lever" and source["name"] == "Acme" and source["sector"] == "Technology"
    assert source["interval_minutes"] == 360 and source["enabled"] is True

    again = run(settings, "add", "https://jobs.lever.co/acme/")
    assert again.exit_code == 1
    assert "is already source 'lever-acme'" in again.output


def test_add_refuses_what_cannot_be_a_source(settings: Settings) -> None:
    cases = {
        "ftp://jobs.example.com/feed": "only http and https URLs",
        "https://careers.example.com/jobs": "not a job board jobsift recognises; pass --kind",
    }
    for url, message in cases.items():
        result = run(settings, "add", url)
        assert result.exit_code == 1 and message in result.output, result.output
    private = run(settings, "add", "http://127.0.0.1:9/feed.xml", "--kind", "rss", JOBSIFT_ALLOW_PRIVATE_NETWORKS="0")
    assert private.exit_code == 1
    assert "resolves to 127.0.0.1, a private address" in private.output
    private = run(settings, "add", "http://localhost:9/feed.xml", "--kind", "rss", JOBSIFT_ALLOW_PRIVATE_NETWORKS="0")
    assert private.exit_code == 1 and "a private address" in private.output
    assert listed(settings) == []
    # A name that does not resolve now is added with a warning: every fetch checks the address again.
    unresolvable = run(settings, "add", "https://no-such-host.invalid/feed.xml", "--kind", "rss")
    assert unresolvable.exit_code == 0
    assert "warning: the host 'no-such-host.invalid' does not resolve now" in unresolvable.output


def test_export_then_import_round_trips_and_import_updates_by_key(settings: Settings, tmp_path: Path) -> None:
    assert run(settings, "add", "https://boards.greenhouse.io/gitlab", "--sector", "Technology").exit_code == 0
    assert run(settings, "add", "http://127.0.0.1:8123/jobs.rss", "--kind", "rss", "--name", "Local").exit_code == 0
    exported = tmp_path / "sources.toml"
    assert run(settings, "export", str(exported)).exit_code == 0
    text = exported.read_text()
    assert 'key = "greenhouse-gitlab"' in text and 'url = "http://127.0.0.1:8123/jobs.rss"' in text

    edited = text.replace('name = "Local"', 'name = "Local feed"') + (
        '\n[[source]]\nkey = "lever-acme"\nname = "Acme"\nkind = "lever"\n'
        'url = "https://api.lever.co/v0/postings/acme?mode=json"\n'
    )
    exported.write_text(edited)
    result = run(settings, "import", str(exported))
    assert result.exit_code == 0, result.output
    assert "imported 3 source(s): 1 added, 2 updated" in result.output
    by_key = {s["key"]: s for s in listed(settings)}
    assert set(by_key) == {"greenhouse-gitlab", "lever-acme", "rss-127-0-0-1"}
    assert by_key["rss-127-0-0-1"]["name"] == "Local feed"


def test_a_bad_import_file_changes_nothing(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[source]]\nkey = "x"\nname = "X"\nkind = "nosuchkind"\nurl = "https://x.example/feed"\n')
    result = run(settings, "import", str(bad))
    assert result.exit_code == 1
    assert "unknown kind 'nosuchkind'" in result.output
    clash = tmp_path / "clash.toml"
    clash.write_text(
        '[[source]]\nkey = "one"\nkind = "lever"\nurl = "https://api.lever.co/v0/postings/acme?mode=json"\n'
        '[[source]]\nkey = "two"\nkind = "lever"\nurl = "https://api.lever.co/v0/postings/acme?mode=json"\n'
    )
    result = run(settings, "import", str(clash))
    assert result.exit_code == 1 and "polls the feed of source 'one'; nothing was imported" in result.output
    assert listed(settings) == []


def test_disable_enable_and_remove_which_closes_postings_but_keeps_them(settings: Settings, db: Database) -> None:
    assert run(settings, "add", "https://jobs.lever.co/acme").exit_code == 0
    with db.transaction() as s:
        source_id = s.scalars(select(Source.id)).one()
        upsert_postings(s, source_id, [record("1"), record("2")], NOW)

    assert "lever-acme: disabled" in run(settings, "disable", "lever-acme").output
    assert listed(settings)[0]["enabled"] is False
    assert "lever-acme: enabled" in run(settings, "enable", "lever-acme").output
    missing = run(settings, "remove", "lever-acme", "nope")
    assert missing.exit_code == 1 and "no such source(s): nope; nothing was removed" in missing.output

    removed = run(settings, "remove", "lever-acme")
    assert removed.exit_code == 0
    assert "lever-acme: removed, 2 open posting(s) closed" in removed.output
    assert listed(settings) == []
    with db.transaction() as s:
        assert [p.closed_at is not None for p in s.scalars(select(Posting))] == [True, True]

    # Adding the feed again brings the source back, with its history.
    restored = run(settings, "add", "https://jobs.lever.co/acme")
    assert "restored lever-acme" in restored.output
    assert [s["key"] for s in listed(settings)] == ["lever-acme"]
