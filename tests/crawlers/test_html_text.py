"""Description HTML: the fast text extraction and entity decoding agree with the slow references."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from crawlers.parsers.html import clean_text, html_to_text, sanitize_html, sanitized_to_text, unescape

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _fixture_fragments() -> list[str]:
    """Every HTML-looking string in the JSON fixtures, as captured and with one level of escaping undone."""
    fragments: set[str] = set()
    for path in sorted(FIXTURES.rglob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
        except ValueError:
            continue  # hostile fixtures are not JSON on purpose
        for text in _strings(data):
            if "<" in text or "&lt;" in text:
                fragments.add(text)
                fragments.add(html.unescape(text))
    return sorted(fragments)


FRAGMENTS = _fixture_fragments()


def test_fixtures_hold_enough_html_to_compare() -> None:
    assert len(FRAGMENTS) > 300


def test_text_of_sanitised_html_matches_the_tree_walk_on_every_fixture() -> None:
    mismatched = []
    for fragment in FRAGMENTS:
        clean = sanitize_html(fragment, base_url="https://example.com/jobs/")
        if sanitized_to_text(clean) != html_to_text(clean):
            mismatched.append(fragment[:80])
    assert mismatched == []


def test_unescape_matches_the_standard_library_on_every_fixture() -> None:
    assert [s[:60] for s in FRAGMENTS if unescape(s) != html.unescape(s)] == []


@pytest.mark.parametrize(
    "text",
    [
        "&lt;p&gt;Python &amp;amp; Go&lt;/p&gt;",  # escaped twice: decoded once
        "&amp;lt;b&amp;gt;",
        "Tom &amp; Jerry &quot;quoted&quot; &#39;single&#39; &#x27;hex&#x27;",
        "&nbsp;indented&nbsp;",
        "AT&T and R&D",  # bare ampersands: the slow path
        "&ltb&gt; legacy entity without a semicolon",
        "&eacute;quipe &copy; 2026 &#8212; &#x2014;",
        "&ampfoo; &amp",
        "&&lt;",
        "no entities at all",
        "",
    ],
)
def test_unescape_edge_cases(text: str) -> None:
    assert unescape(text) == html.unescape(text)


@pytest.mark.parametrize(
    ("clean", "text"),
    [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<ul><li>Python</li><li>SQL</li></ul>", "- Python\n\n- SQL"),
        ("<p>Line<br>break</p>", "Line\n\nbreak"),
        ('<p><b>Bold</b> and <a href="https://x.example/" rel="nofollow">link</a></p>', "Bold and link"),
        ("<p>a\u00a0\u00a0b\u200bc \t d</p>", "a b c d"),
        ("<p>&lt;script&gt; stays text &amp; more</p>", "<script> stays text & more"),
        ("<div>\n\n\n<p>  spaced  </p>\n\n\n</div>", "spaced"),
    ],
)
def test_sanitized_to_text(clean: str, text: str) -> None:
    assert sanitized_to_text(clean) == text
    assert html_to_text(clean) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("  Senior   Engineer\n(Remote) ", "Senior Engineer (Remote)"),
        ("R&amp;D &lt;b&gt;Lead&lt;/b&gt;", "R&D Lead"),  # decoded, then the tags it spelled are dropped
        ("<b>Bold</b>\u200bTitle", "Bold Title"),
        (42, "42"),
    ],
)
def test_clean_text(value: object, text: str) -> None:
    assert clean_text(value) == text
