"""Description HTML: decode each format's escaping, sanitise for display, and extract text for search."""

from __future__ import annotations

import html
import re
from urllib.parse import urljoin, urlsplit

import lxml.html
import nh3

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "h5", "h6",
    "hr", "i", "li", "ol", "p", "pre", "s", "small", "span", "strong", "sub", "sup", "table", "tbody", "td", "th",
    "thead", "tr", "u", "ul",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
_SAFE_SCHEMES = {"http", "https", "mailto"}
_BLOCK_TAGS = {
    "address", "article", "blockquote", "br", "dd", "div", "dl", "dt", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hr", "li", "ol", "p", "pre", "section", "table", "tr", "ul",
}  # fmt: skip
_INLINE_TAG = re.compile(r"<[^>]+>")


# The entities that escaped HTML is made of, nearly always. "&amp;" is decoded last, so "&amp;lt;" becomes "&lt;".
_COMMON_ENTITIES = (
    ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'"), ("&#x27;", "'"), ("&nbsp;", "\u00a0"),
)  # fmt: skip


def unescape(text: str) -> str:
    """:func:`html.unescape`, with a fast path for text whose entities are all common ones.

    ``html.unescape`` calls back into Python once per entity, and an escaped description has hundreds. When every
    ``&`` left after replacing the common entities starts an ``&amp;``, plain string replacement gives the same result.
    """
    if "&" not in text:
        return text
    fast = text
    for entity, char in _COMMON_ENTITIES:
        if entity in fast:
            fast = fast.replace(entity, char)
    if fast.count("&") == fast.count("&amp;"):
        return fast.replace("&amp;", "&")
    return html.unescape(text)


def unescape_once(text: str) -> str:
    """Undo one level of entity escaping (Greenhouse ``content`` is HTML that was itself escaped)."""
    return unescape(text)


def sanitize_html(fragment: str, base_url: str | None = None) -> str:
    """An allowlisted HTML fragment safe to show: no script, style, event handlers, images or ``javascript:``.

    Links are made absolute against ``base_url`` and get ``rel="nofollow noopener"``; tracking pixels go with ``img``.
    """
    if not fragment or not fragment.strip():
        return ""

    def keep_attribute(tag: str, attribute: str, value: str) -> str | None:
        if tag == "a" and attribute == "href":
            absolute = urljoin(base_url, value.strip()) if base_url else value.strip()
            return absolute if urlsplit(absolute).scheme.lower() in _SAFE_SCHEMES else None
        return value

    cleaned = nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        clean_content_tags={"script", "style", "noscript", "template", "iframe", "object"},
        attributes=_ALLOWED_ATTRIBUTES,
        attribute_filter=keep_attribute,
        url_schemes=_SAFE_SCHEMES,
        link_rel="nofollow noopener",
    )
    return cleaned.strip()


def html_to_text(fragment: str) -> str:
    """Readable plain text of an HTML fragment: block elements become line breaks, whitespace is folded."""
    if not fragment or not fragment.strip():
        return ""
    try:
        root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    except (ValueError, lxml.etree.ParserError):
        return _fold(unescape(_INLINE_TAG.sub(" ", fragment)))
    for bad in root.xpath("//script|//style|//noscript|//template"):
        bad.drop_tree()
    parts: list[str] = []
    _walk(root, parts)
    return _fold("".join(parts))


# Sanitised block elements carry no attributes (only a, td and th keep any), so each pattern is an exact tag.
_VOID_TAG = re.compile(r"<(?:br|hr)>")
_LI_START = re.compile(r"<li>")
_BLOCK_TAG = re.compile(r"</?(?:" + "|".join(sorted(_BLOCK_TAGS - {"br", "hr"})) + r")>")
_ANY_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*[^>]*>")


def sanitized_to_text(clean: str) -> str:
    """:func:`html_to_text` for the output of :func:`sanitize_html`, without parsing it again.

    That output is allowlisted and well-formed: block elements have no attributes, no script or style content is left,
    and ``>`` in attribute values is escaped. So a few regular-expression passes, each in C, can rewrite the tags: a
    void element (br, hr) is its own start and end, two line breaks in the tree walk; a list item starts a line with
    "- "; other block tags break the line; inline tags go. The text comes out as the tree walk gives it, many times
    faster.
    """
    text = _VOID_TAG.sub("\n\n", clean)
    text = _LI_START.sub("\n- ", text)
    text = _BLOCK_TAG.sub("\n", text)
    return _fold(unescape(_ANY_TAG.sub("", text)))


def _walk(element: lxml.html.HtmlElement, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    block = tag in _BLOCK_TAGS
    if block:
        parts.append("\n")
    if tag == "li":
        parts.append("- ")
    if element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)
    if block:
        parts.append("\n")


def _fold(text: str) -> str:
    # Runs of whitespace within a line (str.split's Unicode whitespace, and zero-width spaces) become one space, lines
    # lose their edge spaces, and blank lines collapse to one. String methods run in C, far faster here than regexes.
    if "\u200b" in text:
        text = text.replace("\u200b", " ")
    lines: list[str] = []
    blank = True  # no blank line before the first one of text
    for line in text.split("\n"):
        folded = " ".join(line.split())
        if folded:
            lines.append(folded)
            blank = False
        elif not blank:
            lines.append("")
            blank = True
    if blank and lines:
        lines.pop()
    return "\n".join(lines)


def clean_text(value: object) -> str:
    """A one-line field (title, company, location): entities decoded, whitespace folded, tags dropped."""
    if value is None:
        return ""
    text = unescape(str(value))
    if "<" in text:
        text = _INLINE_TAG.sub(" ", text)
    if "\u200b" in text:
        text = text.replace("\u200b", " ")
    return " ".join(text.split())
