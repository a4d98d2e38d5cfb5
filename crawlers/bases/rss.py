"""RSS 2.0 feeds, and We Work Remotely's flavour of them."""

from __future__ import annotations

from typing import Any

from lxml import etree
from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting
from crawlers.parsers.html import clean_text

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


class RssSpider(FeedSpider):
    kind = "rss"

    def entries(self, response: Response) -> list[dict[str, Any]]:
        root = _parse_xml(response.body)
        if etree.QName(root).localname != "rss":
            raise FeedParseError(f"expected <rss>, found <{etree.QName(root).localname}>")
        return [_item_fields(item) for item in root.iterfind("./channel/item")]

    def posting(self, fields: dict[str, Any]) -> FeedPosting | None:
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
            # The XML parser has already undone the one level of escaping an RSS description carries.
            description_html=_first(fields.get("description")),
            date_posted=_first(fields.get("pubDate")) or None,
            tags=[categories] if isinstance(categories, str) else list(categories),
            raw=fields,
        )


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
