"""``jobsift sources ...``: the command-line side of what admins do with sources.

Add a feed by pasting a board URL, list, import and export (the format of ``config/sources.toml``), enable, disable
and remove. Nothing here fetches a feed: ``jobsift preview URL`` shows what a source would yield before it is added.
"""

from __future__ import annotations

import json
import re
import socket
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import click
from sqlalchemy.orm import Session

from config.settings import Settings
from config.sources import DEFAULT_INTERVAL_MINUTES, DefaultSource, default_sources, parse_import, platform_terms
from config.taxonomy import sector_names
from crawlers.fetch.guard import is_public
from crawlers.recognise import recognise_url
from crawlers.spiders import SPIDERS
from store.db import Database
from store.models import Source
from store.queries.postings import open_postings_by_source
from store.queries.sources import find_source_by_url, get_sources, remove_source, restore_source, upsert_source


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
                    _save(session, default, now)
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
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not parts.hostname:
            raise click.ClickException(f"{url}: only http and https URLs can be sources")
        recognised = recognise_url(url)
        if recognised is not None and (kind is None or kind == recognised.kind):
            kind, feed_url, board = recognised.kind, recognised.feed_url, recognised.board
        elif kind is not None:
            feed_url, board = url, None
        else:
            raise click.ClickException(f"{url}: not a job board jobsift recognises; pass --kind (one of {_kinds()})")
        problem = _address_problem(urlsplit(feed_url).hostname or "", settings.allow_private_networks)
        if problem:
            raise click.ClickException(f"{feed_url}: {problem}")
        now = datetime.now(UTC)
        with database.transaction() as session:
            existing = find_source_by_url(session, kind, feed_url)
            if existing is not None and existing.removed_at is None:
                raise click.ClickException(f"{feed_url} is already source {existing.key!r}")
            if existing is not None:
                restore_source(session, existing)
                click.echo(f"restored {existing.key} ({kind}, {feed_url})")
                return
            taken = {s.key for s in get_sources(session, removed=True)}
            if key is not None and key in taken:
                raise click.ClickException(f"key {key!r} is taken")
            key = key or _free_key(f"{kind}-{board or parts.hostname}", taken)
            terms = platform_terms(kind)
            interval = max(DEFAULT_INTERVAL_MINUTES, int(terms.get("min_interval_minutes", 0)))
            shown = name or board or parts.hostname or key
            entry = DefaultSource(
                key=key, name=shown, kind=kind, url=feed_url, interval_minutes=interval, sector=sector, terms=terms
            )
            _save(session, entry, now)
        click.echo(f"added {key} ({kind}, {feed_url})")


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
            problem = _address_problem(urlsplit(entry.url).hostname or "", settings.allow_private_networks)
            if problem:
                raise click.ClickException(
                    f"{file}: source {entry.key!r}: {entry.url}: {problem}; nothing was imported"
                )
        now = datetime.now(UTC)
        added = updated = 0
        with database.transaction() as session:
            by_key = {s.key: s for s in get_sources(session, removed=True)}
            for entry in entries:
                other = find_source_by_url(session, entry.kind, entry.url)
                if other is not None and other.key != entry.key:
                    raise click.ClickException(
                        f"{file}: source {entry.key!r} polls the feed of source {other.key!r}; nothing was imported"
                    )
                current = by_key.get(entry.key)
                if current is not None and current.removed_at is not None:
                    restore_source(session, current)
                _save(session, entry, now)
                added, updated = (added + 1, updated) if current is None else (added, updated + 1)
        click.echo(f"imported {len(entries)} source(s): {added} added, {updated} updated")


@sources.command("export")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path), required=False)
def sources_export(file: Path | None) -> None:
    """Write every source in the format `sources import` reads (to FILE, or standard output)."""
    from config.sources import render_sources

    with _context() as (_, database):
        with database.transaction() as session:
            entries = [
                DefaultSource(
                    key=s.key, name=s.name, kind=s.kind, url=s.url, interval_minutes=s.interval_minutes, sector=s.sector
                )
                for s in get_sources(session)
            ]
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


def _save(session: Session, entry: DefaultSource, now: datetime) -> None:
    upsert_source(
        session,
        key=entry.key,
        name=entry.name,
        kind=entry.kind,
        url=entry.url,
        sector=entry.sector,
        interval_minutes=entry.interval_minutes,
        terms=entry.terms,
        now=now,
    )


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


def _address_problem(host: str, allow_private: bool) -> str | None:
    """Why a feed's host can't be a source: it resolves to a private, loopback or link-local address.

    A host that does not resolve now is let through with a warning: the check that matters runs at every fetch
    (crawlers/fetch/guard.py), where a later DNS answer is refused the same way, so this one is for clear messages.
    """
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)}
    except (socket.gaierror, UnicodeError):
        click.echo(f"warning: the host {host!r} does not resolve now; its crawls fail until it does", err=True)
        return None
    private = sorted(a for a in addresses if not is_public(str(a)))
    if private and not allow_private:
        return f"the host {host!r} resolves to {private[0]}, a private address"
    return None


def _free_key(base: str, taken: set[str]) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", base.lower()).strip("-")[:90] or "source"
    key, n = slug, 2
    while key in taken:
        key, n = f"{slug}-{n}", n + 1
    return key


def _kinds() -> str:
    return ", ".join(sorted(SPIDERS))
