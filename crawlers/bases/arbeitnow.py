"""Arbeitnow job board API: ``GET www.arbeitnow.com/api/job-board-api?page=N``.

The body is ``{"data": [...], "links": {"next": url | null, ...}, "meta": {...}}``. Pages are followed through
``links.next``; a page without ``links`` (the trimmed captures dropped it) or with ``links.next`` null is the last.
See corpus/FORMATS.md, "Arbeitnow API".
"""

from __future__ import annotations

import re
from typing import Any

from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting
from crawlers.parsers.html import unescape_once
from crawlers.parsers.text_repair import joined, required_id, required_text, string_list

_FOOTER = re.compile(
    r'<p>\s*Find\b[^<]*<a\s[^>]*href="https?://(?:www\.)?arbeitnow\.com[^"]*"[^>]*>[^<]*</a>[^<]*(?:</a>|</p>)?\s*$',
    re.IGNORECASE,
)


class ArbeitnowSpider(FeedSpider):
    kind = "arbeitnow"
    # Not an all-remote board, unlike the other four here: Arbeitnow lists German on-site jobs with a per-job
    # ``remote`` boolean (false for 7 of the 8 captured jobs, located in Heidelberg, Munich, Berlin...).
    all_remote = False

    def entries(self, response: Response) -> list[Any]:
        data = _payload(response)
        return data["data"]

    def posting(self, job: dict[str, Any]) -> FeedPosting:
        if not isinstance(job, dict):
            raise TypeError(f"expected an object, got {type(job).__name__}")
        remote = job.get("remote")
        if remote is not None and not isinstance(remote, bool):
            raise TypeError(f"'remote' is {type(remote).__name__}, not a boolean")
        return FeedPosting(
            external_id=required_id(job, "slug"),
            url=required_text(job, "url"),
            title=required_text(job, "title"),
            company=job.get("company_name") or self.source_name,
            description_html=_description(job.get("description") or ""),
            location=(job.get("location") or "").strip() or None,
            remote=remote,
            date_posted=job.get("created_at"),
            # Free text in German or English ("professional / experienced", "geschäftsleitung", "Side"), kept whole.
            employment_type=joined(job.get("job_types")),
            tags=string_list(job.get("tags")),
            raw=job,
        )

    def next_page(self, response: Response, entries: list[Any]) -> str | None:
        links = _payload(response).get("links")
        if links is None:
            return None
        if not isinstance(links, dict):
            raise TypeError(f'"links" is {type(links).__name__}, not an object')
        following = links.get("next")
        if following is None or following == "":
            return None
        if not isinstance(following, str):
            raise TypeError(f'"links.next" is {type(following).__name__}, not a URL')
        url = response.urljoin(following)
        if url == response.url:
            raise ValueError(f'"links.next" points back at this page ({url})')
        return url


def _payload(response: Response) -> dict[str, Any]:
    data = FeedSpider.json(response)
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise FeedParseError('expected an object with a "data" list')
    return data


def _description(text: str) -> str:
    """The description as HTML.

    Most items send HTML with numeric entities (``&#x26;``), which stays as it is. Some (3 of the 8 captured, e.g.
    one with Greenhouse's ``content-intro`` block) send the body entity-escaped (``&lt;p&gt;``) with no tag in it:
    the body then gets exactly one unescape, so escaped text entities (``&amp;nbsp;``) become entities, not
    characters. Either way Arbeitnow appends its own unescaped credit line, "<p>Find <a href=...>Jobs in Germany</a>
    on Arbeitnow</a>", which is set aside while the body is judged and kept as sent (the terms ask for the link).
    """
    footer = _FOOTER.search(text)
    body, credit = (text[: footer.start()], footer.group()) if footer else (text, "")
    if "<" not in body and "&lt;" in body:
        body = unescape_once(body)
    return body + credit
