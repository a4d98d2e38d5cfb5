"""A posting text prepared once for every classifier: lower-cased, and folded to words at C speed.

Regular expressions over a whole 5 KB description cost 50-100 microseconds each in CPython, and so does a Python
loop over its words, so the classifiers avoid both. What is cheap is ``str.lower``, ``bytes.translate`` and an
Aho-Corasick automaton (``ahocorasick_rs``, in Rust): the text is folded once to a bytes copy where every character
that is not an ASCII letter or digit is a space, one byte per character (so a word found at byte ``i`` starts at
character ``i`` of the text). One pass of an automaton over that copy finds every word of a vocabulary
(``Vocabulary``: the first words of the skills' spellings, currency codes) where it stands as a whole word, and one
pass over the words joined by single spaces finds every phrase (``Phrases``). Only those places are then checked in
Python, or with a regular expression anchored at the found position.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Callable, Iterable, Mapping

import numpy as np
from ahocorasick_rs import BytesAhoCorasick, Implementation

# ASCII letters lower-cased, digits kept, every other byte (punctuation, "_", and all of Latin-1 above 127) a space.
_FOLD = bytes(c if 48 <= c <= 57 or 97 <= c <= 122 else c + 32 if 65 <= c <= 90 else 32 for c in range(256))
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_URL = re.compile(r"(?:https?://|www\.)\S+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_SPACE = ord(" ")
# The start and the end of an automaton's match (index, start, end).
_START = operator.itemgetter(1)
_END = operator.itemgetter(2)


def _automaton(patterns: Iterable[bytes]) -> BytesAhoCorasick:
    """An automaton that finds every pattern, overlapping ones included (``find_matches_as_indexes(..., True)``)."""
    return BytesAhoCorasick(list(patterns), implementation=Implementation.DFA)


_ASCII_BYTES = bytes(range(128))


def lower_same_length(text: str) -> str:
    """Lower-case without changing any offset ("İ" lowers to two characters), so offsets index the original."""
    if not text.isascii():
        # ``str.lower`` reads every character of a text with one outside ASCII through the Unicode tables. Most such
        # texts hold only a few, and those are caseless ("’", "—", emoji): then lower-casing the ASCII letters of
        # the UTF-8 bytes gives the same string, several times faster.
        encoded = text.encode("utf-8", "surrogatepass")
        others = encoded.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
        if others.lower() == others:
            return encoded.lower().decode("utf-8", "surrogatepass")
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

    __slots__ = ("_joined", "_words", "lower", "memo", "padded", "text")

    def __init__(self, text: str, *, links: bool = True) -> None:
        self.text = blank_links(text) if links else text
        self.lower = lower_same_length(self.text)
        # Framed by spaces so that every word is found as b" word ", the first and last included.
        self.padded = b" " + self.lower.encode("latin-1", "replace").translate(_FOLD) + b" "
        self._joined: bytes | None = None
        self._words: list[bytes] | None = None
        # Results that several classifiers share, computed once per text (crawlers.classify.cues).
        self.memo: dict[str, object] = {}

    @property
    def joined(self) -> bytes:
        """The words, each framed by single spaces: b" first second last " (b" " when there is none)."""
        if self._joined is None:
            # Each space that follows a space goes. The regular expression that squeezed runs of spaces tried a
            # match at every space (11 ns a byte); two vector comparisons over the bytes cost a third of that.
            folded = np.frombuffer(self.padded, np.uint8)
            keep = folded != _SPACE
            keep[1:] |= keep[:-1]
            keep[0] = True
            self._joined = folded[keep].tobytes()
        return self._joined

    @property
    def words(self) -> list[bytes]:
        if self._words is None:
            self._words = self.padded.split()
        return self._words

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

    def locate(self, words: tuple[bytes, ...], limit: int = 120) -> str:
        """The first place ``words`` (as a phrase matched them) stand in ``text``, as written there; for evidence."""
        match = _phrase_regex(words).search(self.lower)
        if match is None:
            return b" ".join(words).decode("latin-1")
        return self.text[match.start() : match.end()][:limit]


class Vocabulary:
    """Words (lower-case ASCII letters and digits) found wherever they stand as whole words, in one pass in C.

    ``offsets`` is what ``Text.find_word`` gives for each word, for all of them at once.
    """

    __slots__ = ("_automaton", "words")

    def __init__(self, words: Iterable[bytes]) -> None:
        self.words = tuple(sorted(set(words)))
        self._automaton = _automaton(b" " + word + b" " for word in self.words) if self.words else None

    def hits(self, scanned: Text) -> list[tuple[bytes, int]]:
        """(word, offset in ``text``) of every whole-word occurrence, in text order."""
        if self._automaton is None:
            return []
        words = self.words
        # The frame's leading space makes the byte offset of the space the word's offset in the text.
        return [
            (words[index], start) for index, start, _ in self._automaton.find_matches_as_indexes(scanned.padded, True)
        ]


@functools.lru_cache(maxsize=4096)
def _phrase_regex(words: tuple[bytes, ...]) -> re.Pattern[str]:
    parts = [re.escape(word.decode("latin-1")) for word in words]
    # The first word, then the look-behind that it does not continue a word: led by a literal, the search skips
    # ahead to where the first word stands instead of trying every position.
    first = r"(?<![a-z0-9]" + "." * len(words[0]) + ")"
    return re.compile(parts[0] + first + "".join(r"[^a-z0-9]+" + part for part in parts[1:]) + r"[a-z0-9]*")


def phrase_words(phrase: str) -> tuple[bytes, ...]:
    """A phrase as the words ``Text`` splits text into."""
    return tuple(Text(phrase, links=False).words)


# Every word a classifier looks for in a description, from each module that registered its words: one pass finds them
# all (``word_hits``).
_providers: list[Callable[[], Iterable[bytes]]] = []


def register_words(provider: Callable[[], Iterable[bytes]]) -> None:
    """Add the words ``provider()`` gives (called once, at the first scan) to those ``word_hits`` finds."""
    _providers.append(provider)
    shared_vocabulary.cache_clear()


@functools.cache
def shared_vocabulary() -> Vocabulary:
    return Vocabulary(word for provider in _providers for word in provider())


def word_hits(scanned: Text) -> list[tuple[bytes, int]]:
    """(word, offset) of every registered word standing as a whole word in the text, in text order; once per text."""
    vocabulary = shared_vocabulary()
    found = scanned.memo.get("word_hits")
    if found is None or found[0] is not vocabulary:  # type: ignore[index]
        found = scanned.memo["word_hits"] = (vocabulary, vocabulary.hits(scanned))
    return found[1]  # type: ignore[index]


class Phrases:
    """Phrases matched over a text's words: longest first, left to right, never overlapping, with an optional plural
    ("s", "es") on the last word.

    Every form of every phrase (as written, and with "es" or "s" on its last word) is one pattern, framed by spaces,
    of an automaton run over the text's words joined by single spaces (``Text.joined``): a form found where its
    singular is a phrase too means that phrase, as when the plural is taken off the text's word.
    """

    __slots__ = ("_automaton", "_forms", "by_words")

    def __init__(self, phrases: Mapping[str, object]) -> None:
        self.by_words: dict[tuple[bytes, ...], object] = {}
        for phrase, value in phrases.items():
            words = phrase_words(phrase)
            if words:
                self.by_words[words] = value
        # A form -> (rank, its words, value): the phrase written so (rank 0) wins over one with "es" (1) or "s" (2)
        # taken off its last word, in that order.
        forms: dict[bytes, tuple[int, tuple[bytes, ...], object]] = {}
        for key, value in self.by_words.items():
            for rank, suffix in enumerate((b"", b"es", b"s")):
                words = (*key[:-1], key[-1] + suffix)
                form = b" ".join(words)
                if form not in forms or forms[form][0] > rank:
                    forms[form] = (rank, words, value)
        ordered = sorted(forms)
        self._forms = tuple((forms[form][1], forms[form][2]) for form in ordered)
        self._automaton = _automaton(b" " + form + b" " for form in ordered) if ordered else None

    def scan(self, scanned: Text) -> list[tuple[tuple[bytes, ...], object]]:
        """(words as found in the text, value) of each match, in text order."""
        if self._automaton is None:
            return []
        hits = self._automaton.find_matches_as_indexes(scanned.joined, True)
        if not hits:
            return []
        if len(hits) > 1:
            # Leftmost first, and the longest of those starting at one word: two stable sorts with keys in C, the
            # second (start) keeping the order of the first (end, descending), cost less than one with a Python key.
            hits.sort(key=_END, reverse=True)
            hits.sort(key=_START)
        forms = self._forms
        matches = []
        end = 0
        for index, start, stop in hits:
            # Matches share the space between two words: one may start on the space another ends with.
            if start >= end:
                matches.append(forms[index])
                end = stop - 1
        return matches
