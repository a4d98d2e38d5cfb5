"""RSS 2.0 and Atom 1.0 feeds, and We Work Remotely's flavour of RSS."""

from __future__ import annotations

import html
import re
from copy import deepcopy
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting
from crawlers.parsers.html import clean_text, html_to_text

ATOM_NS = "http://www.w3.org/2005/Atom"

# No entity expansion and no network: a feed is untrusted input (billion laughs, XXE).
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)


def _parse_xml(body: bytes) -> etree._Element:
    try:
        return etree.fromstring(body.lstrip(b"\xef\xbb\xbf \t\r\n"), parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise FeedParseError(f"not well-formed XML ({exc})") from None


def _item_fields(item: etree._Element) -> dict[str, Any]:
    """Every child element by its local name (namespaced and custom elements alike), text only."""
    fields: dict[str, Any] = {}
    for child in item:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        value = child.text or ""
        if name == "content" and child.get("url"):
            value = child.get("url")
        if name in fields:
            existing = fields[name]
            fields[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            fields[name] = value
    return fields


def _first(value: Any) -> str:
    if isinstance(value, list):
        return value[0] if value else ""
    return value or ""


class AtomEntry(dict[str, Any]):
    """One Atom ``<entry>``, as :func:`_atom_fields` read it (a distinct type so :meth:`RssSpider.posting` can tell)."""


class RssSpider(FeedSpider):
    """RSS 2.0 (``<rss><channel><item>``) and Atom 1.0 (``<feed xmlns="http://www.w3.org/2005/Atom"><entry>``)."""

    kind = "rss"

    def entries(self, response: Response) -> list[dict[str, Any]]:
        root = _parse_xml(response.body)
        name = etree.QName(root)
        if name.localname == "feed" and name.namespace == ATOM_NS:
            return [_atom_fields(entry, response.url) for entry in root.iterfind(f"{{{ATOM_NS}}}entry")]
        if name.localname != "rss":
            raise FeedParseError(f"expected <rss> or an Atom <feed>, found <{name.localname}>")
        return [_item_fields(item) for item in root.iterfind("./channel/item")]

    def posting(self, fields: dict[str, Any]) -> FeedPosting | None:
        if isinstance(fields, AtomEntry):
            return self._atom_posting(fields)
        link = _first(fields.get("link")).strip()
        guid = _first(fields.get("guid")).strip() or link
        if not guid:
            return None
        categories = fields.get("category") or []
        return FeedPosting(
            external_id=guid,
            url=link or guid,
            title=clean_text(_first(fields.get("title"))),
            company=clean_text(_first(fields.get("creator")) or _first(fields.get("author"))) or self.source_name,
            # The XML parser has already undone the one level of escaping an RSS description carries;
            # <content:encoded> is the full body where a feed has both.
            description_html=_first(fields.get("encoded")).strip() or _first(fields.get("description")),
            date_posted=_first(fields.get("pubDate")) or None,
            tags=[categories] if isinstance(categories, str) else list(categories),
            raw=fields,
        )

    def _atom_posting(self, entry: AtomEntry) -> FeedPosting | None:
        link = entry["link"]
        entry_id = entry["id"] or link
        if not entry_id:
            return None
        return FeedPosting(
            external_id=entry_id,
            url=link or entry_id,
            title=entry["title"],
            company=entry["author"] or self.source_name,
            description_html=entry["content"] or entry["summary"],
            date_posted=entry["published"] or entry["updated"] or None,
            tags=list(entry["category"]),
            raw=dict(entry),
        )


def _atom_fields(entry: etree._Element, base_url: str) -> AtomEntry:
    """The parts of an Atom entry a posting needs: text constructs already turned into text (title) or HTML (content,
    summary); the alternate link made absolute against the feed's URL."""

    def child(name: str) -> etree._Element | None:
        return entry.find(f"{{{ATOM_NS}}}{name}")

    def text(name: str) -> str:
        element = child(name)
        return _plain_text(element).strip() if element is not None else ""

    title = child("title")
    author = entry.find(f"{{{ATOM_NS}}}author/{{{ATOM_NS}}}name")
    return AtomEntry(
        id=text("id"),
        title=_text_construct_as_text(title) if title is not None else "",
        link=_alternate_link(entry, base_url),
        updated=text("updated"),
        published=text("published"),
        content=_text_construct_as_html(child("content")),
        summary=_text_construct_as_html(child("summary")),
        author=clean_text(_plain_text(author)) if author is not None else "",
        category=[
            c.get("term", "").strip() for c in entry.iterfind(f"{{{ATOM_NS}}}category") if c.get("term", "").strip()
        ],
    )


def _alternate_link(entry: etree._Element, base_url: str) -> str:
    """The ``rel="alternate"`` link (rel defaults to alternate), preferring an HTML one."""
    alternates = [
        link
        for link in entry.iterfind(f"{{{ATOM_NS}}}link")
        if (link.get("rel") or "alternate").strip() == "alternate" and (link.get("href") or "").strip()
    ]
    if not alternates:
        return ""
    html_links = [
        link
        for link in alternates
        if (link.get("type") or "text/html").strip() in {"text/html", "application/xhtml+xml"}
    ]
    return urljoin(base_url, (html_links or alternates)[0].get("href", "").strip())


def _plain_text(element: etree._Element) -> str:
    """Text of an element and its descendants; entity references the parser left unexpanded are not text."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        if isinstance(node.tag, str) and node.text:
            parts.append(node.text)
        for sub in node:
            walk(sub)
            if sub.tail:
                parts.append(sub.tail)

    walk(element)
    return "".join(parts)


def _text_type(element: etree._Element) -> str:
    kind = (element.get("type") or "text").strip().lower()
    if kind in {"html", "text/html"}:
        return "html"
    if kind in {"xhtml", "application/xhtml+xml"}:
        return "xhtml"
    return "text" if kind == "text" or kind.startswith("text/") else "other"


def _text_construct_as_text(element: etree._Element) -> str:
    kind = _text_type(element)
    if kind == "html":
        # type="html": the element's text (XML-decoded once) is HTML; its text is that HTML rendered.
        return html_to_text(_plain_text(element))
    if kind == "xhtml":
        return html_to_text(_xhtml_inner(element))
    return re.sub(r"\s+", " ", _plain_text(element)).strip()


def _text_construct_as_html(element: etree._Element | None) -> str:
    if element is None or element.get("src"):
        # Out-of-line content (src=...) is not fetched.
        return ""
    kind = _text_type(element)
    if kind == "html":
        return _plain_text(element).strip()
    if kind == "xhtml":
        return _xhtml_inner(element).strip()
    if kind == "text":
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", _plain_text(element)) if p.strip()]
        return "".join(f"<p>{html.escape(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)
    return ""


def _drop_keeping_tail(node: etree._Element) -> None:
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)


def _xhtml_inner(element: etree._Element) -> str:
    """type="xhtml": the content is one XHTML ``<div>``; its inner markup, without namespaces, is the HTML."""
    divs = [c for c in element if isinstance(c.tag, str)]
    container = divs[0] if len(divs) == 1 and etree.QName(divs[0]).localname == "div" else element
    copy = deepcopy(container)
    for node in list(copy.iter()):
        if isinstance(node.tag, str):
            node.tag = etree.QName(node).localname
        elif node is not copy:
            # Comments, processing instructions and unexpanded entity references are not content.
            _drop_keeping_tail(node)
    etree.cleanup_namespaces(copy)
    inner = [html.escape(copy.text or "", quote=False)]
    inner += [etree.tostring(node, encoding="unicode", method="html") for node in copy]
    return "".join(inner)


class WeWorkRemotelySpider(RssSpider):
    """We Work Remotely: "Company: Position" titles, ``<region>`` as the remote/location signal, all remote."""

    kind = "weworkremotely"
    all_remote = True

    def posting(self, fields: dict[str, Any]) -> FeedPosting | None:
        posting = super().posting(fields)
        if posting is None:
            return None
        company, sep, position = posting.title.partition(": ")
        if sep:
            posting.company, posting.title = company.strip(), position.strip()
        region = clean_text(_first(fields.get("region")))
        posting.location = region or None
        posting.remote = region or True
        posting.employment_type = clean_text(_first(fields.get("type"))) or None
        skills = clean_text(_first(fields.get("skills")))
        posting.tags += [s.strip() for s in skills.split(",") if s.strip()]
        return posting
