"""A posting text prepared once for every classifier: lower-cased, and split into words at C speed.

Regular expressions over a whole 5 KB description cost 50-100 microseconds each in CPython, so the classifiers
avoid them. What is cheap is ``str.lower``, ``bytes.translate``, ``bytes.split``, set intersection and
``bytes.find``: the text is folded once to a bytes copy where every character that is not an ASCII letter or digit
is a space, one byte per character (so a word found at byte ``i`` starts at character ``i`` of the text). The set
of its words tells each classifier which of its cues can occur at all, usually very few, and only those are
located and checked with a regular expression anchored at the found position.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping

# ASCII letters lower-cased, digits kept, every other byte (punctuation, "_", and all of Latin-1 above 127) a space.
_FOLD = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else c + 32 if 65 <= c <= 90 else 32 for c in range(256))
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def lower_same_length(text: str) -> str:
    """Lower-case without changing any offset ("İ" lowers to two characters), so offsets index the original."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


def blank_links(text: str) -> str:
    """URLs and e-mail addresses replaced by spaces: they name hosts and paths ("https://go.dev"), not skills."""
    if "http" in text or "www." in text:
        text = _URL.sub(lambda m: " " * len(m.group()), text)
    if "@" in text:
        # The e-mail pattern backtracks over every word of a text, so it only looks around each "@".
        parts = []
        done = 0
        at = text.find("@")
        while at >= 0:
            start = max(done, at - 64)
            for m in _EMAIL.finditer(text, start, at + 256):
                if m.start() <= at < m.end():
                    parts.append(text[done : m.start()])
                    parts.append(" " * (m.end() - m.start()))
                    done = m.end()
                    break
            at = text.find("@", max(at + 1, done))
        parts.append(text[done:])
        text = "".join(parts)
    return text


class Text:
    """One field of a posting, prepared for scanning. ``text`` is the input with links blanked."""

    __slots__ = ("_words", "_wordset", "lower", "memo", "padded", "text")

    def __init__(self, text: str, *, links: bool = True) -> None:
        self.text = blank_links(text) if links else text
        self.lower = lower_same_length(self.text)
        # Framed by spaces so that every word is found as b" word ", the first and last included.
        self.padded = b" " + self.lower.encode("latin-1", "replace").translate(_FOLD) + b" "
        self._words: list[bytes] | None = None
        self._wordset: frozenset[bytes] | None = None
        # Results that several classifiers share, computed once per text (crawlers.classify.cues).
        self.memo: dict[str, object] = {}

    @property
    def words(self) -> list[bytes]:
        if self._words is None:
            self._words = self.padded.split()
        return self._words

    @property
    def wordset(self) -> frozenset[bytes]:
        if self._wordset is None:
            self._wordset = frozenset(self.words)
        return self._wordset

    def find_word(self, word: bytes) -> list[int]:
        """Offsets in ``text`` where ``word`` (lower-case ASCII letters and digits) stands as a whole word."""
        needle = b" " + word + b" "
        padded = self.padded
        found = []
        at = padded.find(needle)
        while at >= 0:
            found.append(at)  # the frame's leading space makes the byte offset of the space the word's offset
            at = padded.find(needle, at + len(word) + 1)
        return found

    def has(self, word: bytes) -> bool:
        return word in self.wordset

    def locate(self, words: tuple[bytes, ...], limit: int = 120) -> str:
        """The first place ``words`` (as a phrase matched them) stand in ``text``, as written there; for evidence."""
        match = _phrase_regex(words).search(self.lower)
        if match is None:
            return b" ".join(words).decode("latin-1")
        return self.text[match.start() : match.end()][:limit]


@functools.lru_cache(maxsize=4096)
def _phrase_regex(words: tuple[bytes, ...]) -> re.Pattern[str]:
    parts = [re.escape(word.decode("latin-1")) for word in words]
    return re.compile(r"(?<![a-z0-9])" + r"[^a-z0-9]+".join(parts) + r"[a-z0-9]*")


def phrase_words(phrase: str) -> tuple[bytes, ...]:
    """A phrase as the words ``Text`` splits text into."""
    return tuple(Text(phrase, links=False).words)


class Phrases:
    """Phrases matched over a text's words: longest first, left to right, never overlapping, with an optional plural
    ("s", "es") on the last word.

    Only positions holding a word a phrase can start with are looked at, and the text's word set says at C speed
    which those words are: most texts hold a handful of them among hundreds of words.
    """

    __slots__ = ("by_words", "lengths", "pairs")

    def __init__(self, phrases: Mapping[str, object]) -> None:
        self.by_words: dict[tuple[bytes, ...], object] = {}
        for phrase, value in phrases.items():
            words = phrase_words(phrase)
            if words:
                self.by_words[words] = value
        lengths: dict[bytes, set[int]] = {}
        for key in self.by_words:
            lengths.setdefault(key[0], set()).add(len(key))
            # A plural form ("banks") starts only one-word phrases: only a phrase's last word takes a plural.
            if len(key) == 1:
                for suffix in (b"s", b"es"):
                    lengths.setdefault(key[0] + suffix, set()).add(1)
        # A word a phrase can start with -> the lengths, longest first, of the phrases it can start.
        self.lengths = {word: tuple(sorted(n, reverse=True)) for word, n in lengths.items()}
        # The first two words of the longer phrases (the second also as a plural): most positions where a phrase's
        # first word stands ("our", "data") are ruled out by one lookup.
        self.pairs = frozenset(
            (key[0], key[1] + suffix) for key in self.by_words if len(key) > 1 for suffix in (b"", b"s", b"es")
        )

    def _lookup(self, span: tuple[bytes, ...]) -> tuple[bool, object]:
        by_words = self.by_words
        if span in by_words:
            return True, by_words[span]
        last = span[-1]
        for suffix in (b"es", b"s"):
            if last.endswith(suffix) and len(last) > len(suffix):
                singular = (*span[:-1], last[: -len(suffix)])
                if singular in by_words:
                    return True, by_words[singular]
        return False, None

    def scan(self, scanned: Text) -> list[tuple[int, int, object]]:
        """(start, end, value) of each match, as word indexes."""
        lengths = self.lengths
        candidates = lengths.keys() & scanned.wordset
        if not candidates:
            return []
        words = scanned.words
        matches = []
        end = 0
        for i in [i for i, word in enumerate(words) if word in candidates] if len(words) > 8 else range(len(words)):
            if i < end or words[i] not in candidates:
                continue
            pair = (words[i], words[i + 1]) in self.pairs if i + 1 < len(words) else False
            for n in lengths[words[i]]:
                if i + n > len(words) or (n > 1 and not pair):
                    continue
                found, value = self._lookup(tuple(words[i : i + n]))
                if found:
                    matches.append((i, i + n, value))
                    end = i + n
                    break
        return matches
