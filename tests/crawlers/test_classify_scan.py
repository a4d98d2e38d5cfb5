"""The one-pass scans of crawlers.classify.text against plain word-by-word references, on every fixture posting."""

from __future__ import annotations

import functools
from pathlib import Path

from crawlers.classify.corpus import corpus_postings
from crawlers.classify.cues import description_phrases
from crawlers.classify.text import Phrases, Text, Vocabulary, shared_vocabulary, word_hits
from tests.conftest import FIXTURES


@functools.cache
def descriptions() -> tuple[str, ...]:
    out: list[str] = []
    for path in sorted(Path(FIXTURES).rglob("*")):
        if path.is_file() and path.suffix in (".json", ".xml", ".rss", ".html"):
            try:
                out += [posting.description_text for posting in corpus_postings(path)]
            except Exception:  # a capture a base refuses (an error payload) has no postings
                continue
    return tuple(out)


def reference_scan(phrases: Phrases, scanned: Text) -> list[tuple[tuple[bytes, ...], object]]:
    """Word by word: at each word not inside a match, the longest phrase starting there, "es"/"s" off its last word."""
    words = scanned.words
    longest = max((len(key) for key in phrases.by_words), default=0)
    matches = []
    i = 0
    while i < len(words):
        for n in range(min(longest, len(words) - i), 0, -1):
            span = tuple(words[i : i + n])
            value = phrases.by_words.get(span)
            if value is None:
                for suffix in (b"es", b"s"):
                    last = span[-1]
                    if last.endswith(suffix) and len(last) > len(suffix):
                        value = phrases.by_words.get((*span[:-1], last[: -len(suffix)]))
                        if value is not None:
                            break
            if value is not None:
                matches.append((span, value))
                i += n
                break
        else:
            i += 1
    return matches


def test_phrases_match_as_a_word_by_word_scan_would() -> None:
    phrases = description_phrases()
    found = 0
    for text in descriptions():
        scanned = Text(text)
        result = phrases.scan(scanned)
        assert result == reference_scan(phrases, scanned), text[:80]
        found += len(result)
    assert found > 100


def test_phrases_take_the_longest_and_plurals_on_the_last_word() -> None:
    phrases = Phrases({"bank": "b", "health insurance": "h", "insurance": "i", "class": "c", "real estate agent": "r"})
    scanned = Text("Banks, health   insurances and Insurance; classes. Real-estate agents, real estate.")
    assert phrases.scan(scanned) == [
        ((b"banks",), "b"),
        ((b"health", b"insurances"), "h"),
        ((b"insurance",), "i"),
        ((b"classes",), "c"),
        ((b"real", b"estate", b"agents"), "r"),
    ]
    assert phrases.scan(Text("")) == []
    assert Phrases({}).scan(scanned) == []


def test_word_hits_are_every_whole_word_occurrence() -> None:
    vocabulary = shared_vocabulary()
    for text in descriptions():
        scanned = Text(text)
        expected = sorted((at, word) for word in vocabulary.words for at in scanned.find_word(word))
        assert [(at, word) for word, at in word_hits(scanned)] == expected, text[:80]


def test_vocabulary_finds_adjacent_and_repeated_words() -> None:
    vocabulary = Vocabulary([b"go", b"c", b"go2"])
    scanned = Text("Go go, C/C++ and go2 (Go)")
    assert vocabulary.hits(scanned) == [(b"go", 0), (b"go", 3), (b"c", 7), (b"c", 9), (b"go2", 17), (b"go", 22)]
    assert Vocabulary([]).hits(scanned) == []


def test_joined_is_the_words_framed_by_single_spaces() -> None:
    samples = ["", "   ", "!?", "Python", "-- Go, Rust --", "a  b", "C++ / C#, .NET;", "x" + " " * 40 + "y", "é€’ ok"]
    for text in (*samples, *descriptions()):
        scanned = Text(text)
        words = scanned.padded.split()
        assert scanned.joined == b" " + b"".join(word + b" " for word in words), text[:60]
