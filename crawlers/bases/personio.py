"""Personio XML feed: ``GET {company}.jobs.personio.de/xml`` (``?language=en`` optional), ``<workzag-jobs>``.

The feed has no job URL: it is built as ``https://{company}.jobs.personio.de/job/{id}`` from the feed URL's subdomain.
When the feed is served from elsewhere (a mirror, a test server) the company is the source name, lower-cased and
without spaces, which is how Personio forms most subdomains.
"""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import urlsplit

from lxml import etree
from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting

# No entity expansion and no network: a feed is untrusted input (billion laughs, XXE).
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
_PERSONIO_HOST = re.compile(r"([a-z0-9-]+)\.jobs\.personio\.(de|com)")


class PersonioSpider(FeedSpider):
    kind = "personio"

    def entries(self, response: Response) -> list[dict[str, Any]]:
        try:
            root = etree.fromstring(response.body.lstrip(b"\xef\xbb\xbf \t\r\n"), parser=_PARSER)
        except etree.XMLSyntaxError as exc:
            raise FeedParseError(f"not well-formed XML ({exc})") from None
        if etree.QName(root).localname != "workzag-jobs":
            raise FeedParseError(f"expected <workzag-jobs>, found <{etree.QName(root).localname}>")
        return [_fields(position) for position in root.iterfind("position")]

    def posting(self, fields: dict[str, Any]) -> FeedPosting:
        position_id = fields["id"]
        if not position_id:
            raise ValueError("a <position> with an empty <id>")
        offices = [fields.get("office"), *fields.get("additionalOffices", [])]
        contract = fields.get("employmentType") or None
        # employmentType is the contract ("permanent", "intern", "freelance", ...) and schedule the hours
        # ("full-time"); a permanent contract says least, so there the hours stand in for it.
        employment = (fields.get("schedule") or contract) if contract in (None, "permanent") else contract
        return FeedPosting(
            external_id=position_id,
            url=f"{self._board()}/job/{position_id}",
            title=fields["name"],
            company=fields.get("subcompany") or self.source_name,
            description_html="\n".join(
                f"<h3>{html.escape(d['name'], quote=False)}</h3>{d['value']}" if d["name"] else d["value"]
                for d in fields.get("jobDescriptions", [])
                if d["value"]
            ),
            # "Remote" appears, if at all, as an office name: the classifier reads it from the location.
            location="; ".join(dict.fromkeys(o for o in offices if o)) or None,
            date_posted=fields.get("createdAt") or None,
            employment_type=employment,
            seniority=fields.get("seniority") or None,
            tags=list(dict.fromkeys(t for t in (fields.get("department"), fields.get("recruitingCategory")) if t)),
            raw=fields,
        )

    def _board(self) -> str:
        match = _PERSONIO_HOST.fullmatch(urlsplit(self.feed_url).hostname or "")
        if match:
            return f"https://{match.group(1)}.jobs.personio.{match.group(2)}"
        company = re.sub(r"\s+", "", self.source_name.lower())
        return f"https://{company}.jobs.personio.de"


def _fields(position: etree._Element) -> dict[str, Any]:
    """A <position>'s children by name; offices and job descriptions as lists."""
    fields: dict[str, Any] = {}
    for child in position:
        if not isinstance(child.tag, str):
            continue
        name = etree.QName(child).localname
        if name == "additionalOffices":
            fields[name] = [(o.text or "").strip() for o in child.iterfind("office") if (o.text or "").strip()]
        elif name == "jobDescriptions":
            fields[name] = [
                {"name": (d.findtext("name") or "").strip(), "value": (d.findtext("value") or "").strip()}
                for d in child.iterfind("jobDescription")
            ]
        else:
            fields.setdefault(name, (child.text or "").strip())
    return fields
