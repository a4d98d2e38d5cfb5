"""``jobsift sources ...``: the command-line side of what admins do with sources.

Add a feed by pasting a board URL, list, import and export (the format of ``config/sources.toml``), enable, disable
and remove. Nothing here fetches a feed: ``jobsift preview URL`` shows what a source would yield before it is added.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from sqlalchemy.orm import Session

from config.network import check_feed_host
from config.recognise import NotASource, resolve_source_url
from config.settings import Settings
from config.sources import default_sources, parse_import
from config.taxonomy import sector_names
from crawlers.spiders import SPIDERS
from store.db import Database
from store.models import Source
from store.queries.postings import open_postings_by_source
from store.queries.sources import (
    SourceProblem,
    add_source,
    export_entries,
    get_sources,
    import_sources,
    remove_source,
    save_entry,
)


@contextmanager
def _context() -> Iterator[tuple[Settings, Database]]:
    from jobsift.cli import _database, _settings

    settings = _settings()
    database = _database(settings)
    try:
        yield settings, database
    finally:
        database.dispose()


@click.group()
def sources() -> None:
    """The feeds jobsift crawls."""


@sources.command("seed")
def sources_seed() -> None:
    """Add the default sources of config/sources.toml that the store does not have yet (edited ones are kept)."""
    with _context() as (_, database):
        now = datetime.now(UTC)
        added = []
        with database.transaction() as session:
            existing = {s.key for s in get_sources(session, removed=True)}
            for default in default_sources():
                if default.key not in existing:
                    save_entry(session, default, now)
                    added.append(default.key)
        click.echo(f"added {len(added)} source(s){': ' + ', '.join(added) if added else ''}")


@sources.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON object a source, for scripts.")
def sources_list(as_json: bool) -> None:
    """Every source with its state."""
    with _context() as (_, database), database.transaction() as session:
        rows = get_sources(session)
        open_counts = open_postings_by_source(session)
        if as_json:
            for s in rows:
                click.echo(json.dumps({**_describe(s), "open_postings": open_counts.get(s.id, 0)}))
            return
        click.echo(f"{'key':32} {'kind':15} {'state':8} {'open':>5} {'fails':>5}  last success")
        for s in rows:
            state = "enabled" if s.enabled else "disabled"
            last = s.last_success_at.strftime("%Y-%m-%d %H:%M") if s.last_success_at else "never"
            click.echo(
                f"{s.key[:32]:32} {s.kind:15} {state:8} {open_counts.get(s.id, 0):5} {s.consecutive_failures:5}  {last}"
            )


@sources.command("add")
@click.argument("url")
@click.option("--kind", type=click.Choice(sorted(SPIDERS)), help="The platform, when the URL doesn't say.")
@click.option("--name", help="The employer or board as shown to people.")
@click.option("--key", help="A short unique slug (made from the platform and board when omitted).")
@click.option("--sector", type=click.Choice(sector_names()), help="The employer's sector, for a company board.")
def sources_add(url: str, kind: str | None, name: str | None, key: str | None, sector: str | None) -> None:
    """Add the feed behind a board URL (https://jobs.lever.co/acme becomes Lever's API feed for acme)."""
    with _context() as (settings, database):
        try:
            found = resolve_source_url(url, kind)
        except NotASource as exc:
            hint = "" if kind else f"; pass --kind (one of {_kinds()})"
            raise click.ClickException(f"{exc}{hint}") from None
        _check_host(found.feed_url, settings.allow_private_networks)
        host = urlsplit(url.strip()).hostname or ""
        with database.transaction() as session:
            try:
                added = add_source(
                    session,
                    kind=found.kind,
                    feed_url=found.feed_url,
                    now=datetime.now(UTC),
                    key=key,
                    key_base=f"{found.kind}-{found.board or host}",
                    name=name or found.board or host or None,
                    sector=sector,
                )
            except SourceProblem as exc:
                raise click.ClickException(str(exc)) from None
        verb = "restored" if added.restored else "added"
        click.echo(f"{verb} {added.source.key} ({found.kind}, {found.feed_url})")


@sources.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def sources_import(file: Path) -> None:
    """Add or update the sources of a file in the format of config/sources.toml (as `sources export` writes it)."""
    with _context() as (settings, database):
        try:
            entries = parse_import(file.read_text(encoding="utf-8"), str(file)).sources
        except (ValueError, UnicodeDecodeError) as exc:
            raise click.ClickException(str(exc)) from None
        for entry in entries:
            problem = check_feed_host(urlsplit(entry.url).hostname or "", settings.allow_private_networks).refused
            if problem:
                raise click.ClickException(
                    f"{file}: source {entry.key!r}: {entry.url}: {problem}; nothing was imported"
                )
        with database.transaction() as session:
            try:
                done = import_sources(session, entries, datetime.now(UTC), str(file))
            except SourceProblem as exc:
                raise click.ClickException(str(exc)) from None
        click.echo(f"imported {len(entries)} source(s): {len(done.added)} added, {len(done.updated)} updated")


@sources.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
def sources_export(file: Path | None) -> None:
    """Write every source in the format `sources import` reads (to FILE, or standard output)."""
    from config.sources import render_sources

    with _context() as (_, database):
        with database.transaction() as session:
            entries = export_entries(session)
        text = render_sources(entries)
        if file is None:
            click.echo(text, nl=False)
        else:
            file.write_text(text, encoding="utf-8")
            click.echo(f"exported {len(entries)} source(s) to {file}", err=True)


def _change(keys: Sequence[str], verb: str, action: Callable[[Session, Source, datetime], str]) -> None:
    with _context() as (_, database):
        now = datetime.now(UTC)
        with database.transaction() as session:
            found = {s.key: s for s in get_sources(session, list(keys))}
            missing = [k for k in keys if k not in found]
            if missing:
                raise click.ClickException(f"no such source(s): {', '.join(missing)}; nothing was {verb}")
            for key in keys:
                click.echo(f"{key}: {action(session, found[key], now)}")


def _set_enabled(enabled: bool) -> Callable[[Session, Source, datetime], str]:
    state = "enabled" if enabled else "disabled"

    def apply(_: Session, source: Source, __: datetime) -> str:
        source.enabled = enabled
        return state

    return apply


@sources.command("enable")
@click.argument("keys", nargs=-1, required=True)
def sources_enable(keys: Sequence[str]) -> None:
    """Crawl these sources again on schedule."""
    _change(keys, "enabled", _set_enabled(True))


@sources.command("disable")
@click.argument("keys", nargs=-1, required=True)
def sources_disable(keys: Sequence[str]) -> None:
    """Stop crawling these sources; their postings stay as they are."""
    _change(keys, "disabled", _set_enabled(False))


@sources.command("remove")
@click.argument("keys", nargs=-1, required=True)
def sources_remove(keys: Sequence[str]) -> None:
    """Take sources out of service: their open postings are closed (never deleted) and they leave every list."""

    def remove(session: Session, source: Source, now: datetime) -> str:
        return f"removed, {remove_source(session, source, now)} open posting(s) closed"

    _change(keys, "removed", remove)


def _describe(source: Source) -> dict[str, Any]:
    return {
        "key": source.key,
        "name": source.name,
        "kind": source.kind,
        "url": source.url,
        "sector": source.sector,
        "enabled": source.enabled,
        "interval_minutes": source.interval_minutes,
        "consecutive_failures": source.consecutive_failures,
        "last_success_at": source.last_success_at.isoformat() if source.last_success_at else None,
        "last_error": source.last_error,
    }


def _check_host(feed_url: str, allow_private: bool) -> None:
    check = check_feed_host(urlsplit(feed_url).hostname or "", allow_private)
    if check.refused:
        raise click.ClickException(f"{feed_url}: {check.refused}")
    if check.warning:
        click.echo(f"warning: {check.warning}", err=True)


def _kinds() -> str:
    return ", ".join(sorted(SPIDERS))
