"""schema.org JobPosting objects in an HTML page: JSON-LD blocks and microdata, as plain dicts of JSON-LD shape.

Pure functions over an lxml document; no network. Pages are untrusted: a block that is too large, too deeply nested
or not JSON is skipped (and counted), never fatal to the page's other blocks.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import lxml.etree
import lxml.html

# One ld+json block larger than this is not a job posting but an accident or an attack; it is skipped.
MAX_BLOCK_CHARS = 2_000_000
# Deeper JSON is skipped before anything walks it, so no walk below can run out of stack.
MAX_JSON_DEPTH = 64
MAX_BLOCKS = 100
# Nested microdata items (JobPosting > Place > PostalAddress is 3).
MAX_MICRODATA_DEPTH = 8

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_COMMENT_WRAPPERS = re.compile(r"^\s*(?://\s*)?(?:<!--|<!\[CDATA\[)|(?://\s*)?(?:-->|\]\]>)\s*$")
_URL_ELEMENTS = {"a": "href", "area": "href", "link": "href", "img": "src", "audio": "src", "video": "src",
                 "source": "src", "embed": "src", "iframe": "src", "track": "src", "object": "data"}  # fmt: skip
_SPACES = re.compile(r"\s+")


class NotHtml(ValueError):
    """The text can't be parsed as an HTML document."""


@dataclass
class PageJobs:
    """What a page holds: its JobPosting objects, its canonical URL, and how many ld+json blocks were unreadable."""

    jobs: list[dict[str, Any]] = field(default_factory=list)
    canonical: str | None = None
    bad_blocks: int = 0
    source: str = ""  # "json-ld", "microdata" or "" when the page has none


def parse_html(text: str) -> lxml.html.HtmlElement:
    """An lxml document for a page's text (a leading XML declaration is dropped: lxml refuses it in a str)."""
    text = _XML_DECLARATION.sub("", text, count=1)
    if not text.strip():
        raise NotHtml("empty document")
    try:
        return lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise NotHtml(str(exc)) from None


def page_jobs(doc: lxml.html.HtmlElement, page_url: str) -> PageJobs:
    """Every JobPosting on the page: from JSON-LD if it has any, else from microdata (never both, to avoid twins)."""
    result = PageJobs(canonical=canonical_url(doc, base_url(doc, page_url)))
    for data in _ld_json_blocks(doc, result):
        ids = _node_ids(data)
        result.jobs += [_resolve_references(job, ids) for job in _find_typed(data, "JobPosting", 0)]
    if result.jobs:
        result.source = "json-ld"
        return result
    result.jobs = microdata_items(doc, "JobPosting", page_url)
    result.source = "microdata" if result.jobs else ""
    return result


def canonical_url(doc: lxml.html.HtmlElement, page_url: str) -> str | None:
    for link in doc.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        href = (link.get("href") or "").strip()
        if "canonical" in rel and href:
            url = urljoin(page_url, href)
            return url if urlsplit(url).scheme in {"http", "https"} else None
    return None


def base_url(doc: lxml.html.HtmlElement, page_url: str) -> str:
    """What relative links resolve against: the page URL, or its ``<base href>``."""
    for base in doc.iter("base"):
        href = (base.get("href") or "").strip()
        if href:
            return urljoin(page_url, href)
    return page_url


def is_type(node: Any, name: str) -> bool:
    """``@type`` names ``name``: a string or a list, bare ("JobPosting") or as an IRI ("https://schema.org/JobPosting")."""
    if not isinstance(node, dict):
        return False
    types = node.get("@type")
    for value in types if isinstance(types, list) else [types]:
        if isinstance(value, str) and re.split(r"[/:#]", value.strip())[-1].lower() == name.lower():
            return True
    return False


# -- JSON-LD ------------------------------------------------------------------------------------------------------


def _ld_json_blocks(doc: lxml.html.HtmlElement, result: PageJobs) -> Iterator[Any]:
    scripts = [
        s for s in doc.iter("script") if (s.get("type") or "").split(";")[0].strip().lower() == "application/ld+json"
    ]
    for script in scripts[:MAX_BLOCKS]:
        text = script.text or ""
        if len(text) > MAX_BLOCK_CHARS:
            result.bad_blocks += 1
            continue
        text = _COMMENT_WRAPPERS.sub("", text).strip()
        if not text:
            continue
        try:
            # strict=False: raw newlines and tabs inside strings are common in hand-written blocks.
            data = json.loads(text, strict=False)
        except (ValueError, RecursionError):
            result.bad_blocks += 1
            continue
        if not _depth_within(data, MAX_JSON_DEPTH):
            result.bad_blocks += 1
            continue
        yield data
    result.bad_blocks += max(0, len(scripts) - MAX_BLOCKS)


def _depth_within(data: Any, limit: int) -> bool:
    stack = [(data, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > limit:
            return False
        if isinstance(node, dict):
            stack += [(value, depth + 1) for value in node.values() if isinstance(value, dict | list)]
        elif isinstance(node, list):
            stack += [(value, depth + 1) for value in node if isinstance(value, dict | list)]
    return True


def _find_typed(node: Any, name: str, depth: int) -> Iterator[dict[str, Any]]:
    """Objects of a type anywhere in a block: top level, a list, ``@graph``, or nested (``mainEntity``, ItemList)."""
    if depth > MAX_JSON_DEPTH:
        return
    if isinstance(node, list):
        for value in node:
            yield from _find_typed(value, name, depth + 1)
    elif isinstance(node, dict):
        if is_type(node, name):
            yield node
            return
        for value in node.values():
            if isinstance(value, dict | list):
                yield from _find_typed(value, name, depth + 1)


def _node_ids(node: Any) -> dict[str, dict[str, Any]]:
    """Nodes that carry an ``@id`` and content, so that ``{"@id": "#org"}`` references in a @graph can be followed."""
    ids: dict[str, dict[str, Any]] = {}
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack += current
        elif isinstance(current, dict):
            if isinstance(current.get("@id"), str) and len(current) > 1:
                ids.setdefault(current["@id"], current)
            stack += [v for v in current.values() if isinstance(v, dict | list)]
    return ids


def _resolve_references(job: dict[str, Any], ids: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The job with its direct properties' bare ``{"@id": ...}`` references replaced by the nodes they name."""

    def resolve(value: Any) -> Any:
        if isinstance(value, dict) and set(value) == {"@id"} and isinstance(value["@id"], str):
            return ids.get(value["@id"], value)
        if isinstance(value, list):
            return [resolve(v) for v in value]
        return value

    return {key: resolve(value) for key, value in job.items()}


# -- microdata ----------------------------------------------------------------------------------------------------


def microdata_items(doc: lxml.html.HtmlElement, name: str, page_url: str) -> list[dict[str, Any]]:
    """Every microdata item of a schema.org type (``itemscope itemtype="http(s)://schema.org/{name}"``) as a dict
    shaped like JSON-LD: ``@type``, then each ``itemprop`` (a list when repeated; nested items as dicts)."""
    base = base_url(doc, page_url)
    items = []
    for element in doc.iter():
        if not isinstance(element.tag, str) or element.get("itemscope") is None:
            continue
        if name in _item_types(element):
            items.append(_microdata_item(element, base, 0))
    return items


def _item_types(element: lxml.html.HtmlElement) -> list[str]:
    types = []
    for iri in (element.get("itemtype") or "").split():
        parts = urlsplit(iri)
        if (parts.hostname or "").removeprefix("www.") == "schema.org":
            types.append(parts.path.strip("/").split("/")[-1])
    return types


def _microdata_item(element: lxml.html.HtmlElement, base: str, depth: int) -> dict[str, Any]:
    types = _item_types(element)
    item: dict[str, Any] = {"@type": types[0] if len(types) == 1 else types}
    for prop, names in _properties(element):
        if prop.get("itemscope") is not None:
            value: Any = _microdata_item(prop, base, depth + 1) if depth < MAX_MICRODATA_DEPTH else None
        elif "description" in names and prop.tag != "meta":
            value = _inner_html(prop)
        else:
            value = _property_value(prop, base)
        if value is None:
            continue
        for key in names:
            if key in item:
                existing = item[key]
                item[key] = [*existing, value] if isinstance(existing, list) else [existing, value]
            else:
                item[key] = value
    return item


def _properties(item: lxml.html.HtmlElement) -> Iterator[tuple[lxml.html.HtmlElement, list[str]]]:
    """The item's own properties in document order: ``itemprop`` descendants not inside a nested item."""
    stack = list(reversed([c for c in item if isinstance(c.tag, str)]))
    while stack:
        element = stack.pop()
        names = (element.get("itemprop") or "").split()
        if names:
            yield element, names
        if element.get("itemscope") is None:
            stack += reversed([c for c in element if isinstance(c.tag, str)])


def _property_value(element: lxml.html.HtmlElement, base: str) -> str | None:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag == "meta":
        return element.get("content")
    if tag in _URL_ELEMENTS:
        url = (element.get(_URL_ELEMENTS[tag]) or "").strip()
        return urljoin(base, url) if url else None
    if tag == "time" and element.get("datetime"):
        return element.get("datetime")
    if tag in {"data", "meter"} and element.get("value") is not None:
        return element.get("value")
    if element.get("content") is not None:
        # Widespread though not in the HTML spec: <span itemprop="minValue" content="65000">65,000</span>.
        return element.get("content")
    return _SPACES.sub(" ", element.text_content()).strip()


def _inner_html(element: lxml.html.HtmlElement) -> str:
    parts = [html.escape(element.text or "", quote=False)]
    parts += [lxml.html.tostring(child, encoding="unicode") for child in element]
    return "".join(parts).strip()
