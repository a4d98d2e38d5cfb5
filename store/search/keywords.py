"""What a person typed in the keyword box, made safe for any full-text backend.

Only words survive parsing: every character that means something to FTS5 or tsquery syntax is dropped, so no input can
raise a syntax error, and the backends render words with bound parameters or quoted tokens only.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

MAX_TERMS = 32
_CLAUSE = re.compile(r'(-?)"([^"]*)"|(-?)(\S+)')
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_STEMMER = snowballstemmer.stemmer("english")
_STEMMING = threading.Lock()  # a stemmer keeps the word it works on: one thread at a time


@dataclass(frozen=True)
class KeywordQuery:
    """Each entry is a phrase: a tuple of words that must appear together (a single word is a phrase of one)."""

    required: tuple[tuple[str, ...], ...] = ()
    excluded: tuple[tuple[str, ...], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.required or self.excluded)


def parse_keywords(text: str) -> KeywordQuery:
    """``python "event sourcing" -php`` -> required (python), (event, sourcing); excluded (php).

    A token with inner punctuation such as ``node.js`` or ``ci/cd`` becomes a phrase of its words, which is how the
    search indexes tokenised it. Input past MAX_TERMS words is ignored rather than refused.
    """
    required: list[tuple[str, ...]] = []
    excluded: list[tuple[str, ...]] = []
    budget = MAX_TERMS
    for match in _CLAUSE.finditer(text):
        negate = bool(match.group(1) or match.group(3))
        body = match.group(2) if match.group(2) is not None else match.group(4)
        words = tuple(w.lower() for w in _WORD.findall(body))[:budget]
        if not words:
            continue
        budget -= len(words)
        target = excluded if negate else required
        if words not in target:
            target.append(words)
        if budget <= 0:
            break
    return KeywordQuery(tuple(required), tuple(excluded))


@lru_cache(maxsize=1 << 16)
def stem(word: str) -> str:
    """A lower-case word's English stem (Snowball, as PostgreSQL's ``english`` configuration stems it)."""
    with _STEMMING:
        return _STEMMER.stemWord(word)  # type: ignore[no-any-return]


def stems(text: str) -> tuple[str, ...]:
    """The stems of the words of ``text``, in order: how relevance ranking compares a phrase with a title."""
    return tuple(stem(word.lower()) for word in _WORD.findall(text))
