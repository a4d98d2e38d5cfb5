"""The phrases every classifier looks for in a description, in one table, so a description is scanned once.

Sector cues and the boilerplate phrases that hide them (sectors.toml), employment-type phrases and workplace
phrases (roles.toml) share one ``Phrases`` scan: each match is tagged with the classifier it belongs to. Where two
phrases start at one word the longer wins, as within each table, so "health insurance" still hides "insurance".
"""

from __future__ import annotations

import functools

from config.taxonomy import EMPLOYMENT_TYPES, load_roles, load_sectors, sector_ignore_phrases
from crawlers.classify.text import Phrases, Text

SECTOR, EMPLOYMENT, WORKPLACE = "sector", "employment", "workplace"


@functools.cache
def description_phrases() -> Phrases:
    values: dict[str, tuple[str, str | None]] = {}
    for sector in load_sectors():
        for cue in sector.cues:
            values[cue] = (SECTOR, sector.name)
    # An ignored phrase that is also a cue is ignored, as when the ignore list was applied first.
    for phrase in sector_ignore_phrases():
        values[phrase] = (SECTOR, None)
    roles = load_roles()
    for kind in EMPLOYMENT_TYPES:
        for phrase in roles.employment_description.get(kind, ()):
            values.setdefault(phrase, (EMPLOYMENT, kind))
    # Onsite first: "not a remote position" and "5 days a week in the office" are onsite phrases.
    for workplace in ("onsite", "hybrid", "remote"):
        for phrase in roles.workplace.get(workplace, ()):
            values.setdefault(phrase, (WORKPLACE, workplace))
    return Phrases(values)


def matches(scanned: Text, kind: str) -> tuple[tuple[tuple[bytes, ...], str | None], ...]:
    """(words as found, value) of the ``kind`` phrases in a description, in text order."""
    by_kind = scanned.memo.get("description_phrases")
    if by_kind is None:
        # One scan for every kind, sorted out once.
        lists: dict[str, list[tuple[tuple[bytes, ...], str | None]]] = {SECTOR: [], EMPLOYMENT: [], WORKPLACE: []}
        for words, (which, value) in description_phrases().scan(scanned):  # type: ignore[misc]
            lists[which].append((words, value))
        by_kind = scanned.memo["description_phrases"] = {which: tuple(found) for which, found in lists.items()}
    return by_kind[kind]  # type: ignore[index]
