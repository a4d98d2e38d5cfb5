"""The sections of a description, as its headings open them: the company's, the requirements', the role's.

A heading is a short line of its own ("Requirements", "About us:", "🎁 Perks & Benefits"); the phrases that say what
kind of section it opens live in ``[headings]`` of config/roles.toml. A section lasts until the next heading of a
known kind: a short line that names no kind ("Redis", "Health insurance") changes nothing. Text before the first
known heading is in no section (``NONE``).

The skills classifier reads this to ignore what a description says about the company ("Our core applications are
built in ...", the product a salesperson sells) and, for engineering-adjacent titles, to count only what the
requirements ask for.
"""

from __future__ import annotations

import bisect
import functools

from config.taxonomy import load_roles
from crawlers.classify.text import Text, phrase_words

COMPANY, REQUIREMENTS, ROLE = "company", "requirements", "role"
NONE = ""
# Tried in this order when two phrases of one length match: "About you" is a requirements heading.
_ORDER = (REQUIREMENTS, ROLE, COMPANY)
_MAX_LENGTH = 80  # characters
_MAX_WORDS = 10
_LIST_MARKERS = ("- ", "* ", "• ", "· ")


@functools.cache
def _phrases() -> tuple[tuple[bytes, str, int], ...]:
    """(phrase framed by spaces, kind, words), longest first, then in ``_ORDER``."""
    headings = load_roles().headings
    out = []
    for rank, kind in enumerate(_ORDER):
        for phrase in headings.get(kind, ()):
            words = phrase_words(phrase)
            if words:
                out.append((b" " + b" ".join(words) + b" ", kind, len(words), rank))
    out.sort(key=lambda item: (-item[2], item[3]))
    return tuple((framed, kind, count) for framed, kind, count, _ in out)


@functools.lru_cache(maxsize=16384)
def heading_kind(line: str) -> str | None:
    """The kind of section ``line`` opens when it is a heading of a known kind, else None."""
    stripped = line.strip()
    if not stripped or len(stripped) > _MAX_LENGTH or stripped.startswith(_LIST_MARKERS):
        return None
    if stripped[-1] in ".,;":  # a sentence, not a heading
        return None
    words = phrase_words(stripped)
    if not words or len(words) > _MAX_WORDS:
        return None
    framed = b" " + b" ".join(words) + b" "
    for phrase, kind, _ in _phrases():
        if phrase in framed:
            return kind
    # "About Files.com", "About LawnStarter": about the employer ("About the role" and "About you" matched above).
    if words[0] == b"about" and len(words) > 1:
        return COMPANY
    return None


class Sections:
    """The known headings of one description: where each starts and the kind of section it opens."""

    __slots__ = ("kinds", "starts")

    def __init__(self, text: str) -> None:
        self.starts: list[int] = []
        self.kinds: list[str] = []
        at = 0
        for line in text.split("\n"):
            size = len(line)
            # Blank lines and list items, most of the short lines, are never headings (``heading_kind``).
            if 0 < size <= _MAX_LENGTH and not line.startswith(_LIST_MARKERS):
                kind = heading_kind(line)
                if kind is not None:
                    self.starts.append(at)
                    self.kinds.append(kind)
            at += size + 1

    def kind_at(self, offset: int) -> str:
        """The kind of section the character at ``offset`` is in (``NONE`` before the first known heading)."""
        index = bisect.bisect_right(self.starts, offset) - 1
        return self.kinds[index] if index >= 0 else NONE


def sections(scanned: Text) -> Sections:
    """The sections of a description, computed once per text."""
    found = scanned.memo.get("sections")
    if found is None:
        found = scanned.memo["sections"] = Sections(scanned.text)
    return found  # type: ignore[return-value]
