"""The default sources in ``sources.toml``, read and validated: what a fresh store is seeded with."""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from config.taxonomy import sector_names

SOURCES_FILE = "sources.toml"
DEFAULT_INTERVAL_MINUTES = 360
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]{0,99}$")


@dataclass(frozen=True)
class PlatformTerms:
    url: str
    min_interval_minutes: int
    attribution: str
    republish_jobposting: bool
    terms_url: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "min_interval_minutes": self.min_interval_minutes,
            "attribution": self.attribution,
            "republish_jobposting": self.republish_jobposting,
            "terms_url": self.terms_url,
        }


@dataclass(frozen=True)
class DefaultSource:
    key: str
    name: str
    kind: str
    url: str
    interval_minutes: int
    sector: str | None = None
    terms: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SourcesFile:
    platforms: dict[str, PlatformTerms]
    sources: tuple[DefaultSource, ...]


def parse_sources(
    text: str,
    source: str = SOURCES_FILE,
    sectors: tuple[str, ...] = (),
    *,
    platforms: dict[str, PlatformTerms] | None = None,
    schemes: tuple[str, ...] = ("https",),
) -> SourcesFile:
    """Validate and expand the file; raise ValueError naming the file and the bad entry.

    ``platforms`` are known before the file's own ``[platforms.*]`` (an import file names only its sources), and
    ``schemes`` the URL schemes a feed may have (the bundled defaults are all https).
    """
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{source}: {exc}") from None
    platforms = dict(platforms or {})
    for kind, raw in (document.get("platforms") or {}).items():
        where = f"{source}: [platforms.{kind}]"
        try:
            platforms[kind] = PlatformTerms(
                url=str(raw.get("url", "")),
                min_interval_minutes=int(raw["min_interval_minutes"]),
                attribution=str(raw.get("attribution", "")),
                republish_jobposting=bool(raw["republish_jobposting"]),
                terms_url=str(raw.get("terms_url", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{where}: missing or bad field {exc}") from None
    result: list[DefaultSource] = []
    seen: set[str] = set()
    for index, raw in enumerate(document.get("source") or []):
        key = str(raw.get("key", ""))
        where = f"{source}: [[source]] #{index + 1} ({key or 'no key'})"
        if not _KEY.match(key):
            raise ValueError(f"{where}: key must be lower-case letters, digits and dashes")
        if key in seen:
            raise ValueError(f"{where}: duplicate key")
        seen.add(key)
        kind = str(raw.get("kind", ""))
        terms = platforms.get(kind)
        if terms is None:
            raise ValueError(f"{where}: unknown kind {kind!r}; add [platforms.{kind}] first")
        if raw.get("url"):
            url = str(raw["url"])
        elif "{board}" in terms.url:
            if not raw.get("board"):
                raise ValueError(f"{where}: kind {kind!r} needs a board or a url")
            url = terms.url.replace("{board}", str(raw["board"]))
        else:
            url = ""
        if not url.startswith(tuple(f"{scheme}://" for scheme in schemes)):
            raise ValueError(f"{where}: needs an {' or '.join(schemes)} feed URL")
        sector = raw.get("sector")
        if sector is not None and sectors and sector not in sectors:
            raise ValueError(f"{where}: unknown sector {sector!r}")
        interval = int(raw.get("interval_minutes", max(DEFAULT_INTERVAL_MINUTES, terms.min_interval_minutes)))
        if interval < terms.min_interval_minutes:
            raise ValueError(f"{where}: interval_minutes below the platform's minimum of {terms.min_interval_minutes}")
        result.append(
            DefaultSource(
                key=key,
                name=str(raw.get("name") or key),
                kind=kind,
                url=url,
                interval_minutes=interval,
                sector=sector,
                terms=terms.as_dict(),
            )
        )
    return SourcesFile(platforms=platforms, sources=tuple(result))


@functools.cache
def _file() -> SourcesFile:
    text = (resources.files("config") / SOURCES_FILE).read_text(encoding="utf-8")
    return parse_sources(text, sectors=sector_names())


def default_sources() -> tuple[DefaultSource, ...]:
    return _file().sources


def platform_terms(kind: str) -> dict[str, Any]:
    """The terms every source of this platform carries (empty for a platform the file does not describe)."""
    terms = _file().platforms.get(kind)
    return terms.as_dict() if terms else {}


def platform_kinds() -> tuple[str, ...]:
    """Every platform the file describes, sorted: the kinds a source may have."""
    return tuple(sorted(_file().platforms))


_BOARD = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")


def board_feed_url(kind: str, board: str) -> str | None:
    """The feed URL of a platform's board by its name (``greenhouse`` + ``gitlab``), or None for a platform whose
    feeds have no board name (remote boards, RSS, careers pages). Raises ValueError for a malformed board name."""
    terms = _file().platforms.get(kind)
    if terms is None or "{board}" not in terms.url:
        return None
    if not _BOARD.match(board):
        raise ValueError("a board name is letters, digits, dots, dashes and underscores")
    return terms.url.replace("{board}", board)


def valid_key(key: str) -> bool:
    """Whether ``key`` can be a source's key: lower-case letters, digits and dashes, at most 100."""
    return bool(_KEY.match(key))


def parse_import(text: str, source: str) -> SourcesFile:
    """A file of sources to import: the defaults' format, its platforms known from the defaults, http or https."""
    return parse_sources(text, source, sector_names(), platforms=_file().platforms, schemes=("https", "http"))


def _toml_string(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(ch if ch >= " " else f"\\u{ord(ch):04x}" for ch in escaped) + '"'


def render_sources(sources: list[DefaultSource]) -> str:
    """Sources as ``[[source]]`` tables in the format of sources.toml, which ``jobsift sources import`` reads."""
    lines = [
        "# jobsift sources, as `jobsift sources export` writes them and `jobsift sources import` reads them.",
        "# The format of config/sources.toml: each [[source]] has key, name, kind, url, and optionally sector and",
        "# interval_minutes. Platform terms come from config/sources.toml.",
    ]
    for entry in sources:
        lines += ["", "[[source]]"]
        lines.append(f"key = {_toml_string(entry.key)}")
        lines.append(f"name = {_toml_string(entry.name)}")
        lines.append(f"kind = {_toml_string(entry.kind)}")
        lines.append(f"url = {_toml_string(entry.url)}")
        if entry.sector:
            lines.append(f"sector = {_toml_string(entry.sector)}")
        lines.append(f"interval_minutes = {entry.interval_minutes}")
    return "\n".join(lines) + "\n"
