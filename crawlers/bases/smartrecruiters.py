"""SmartRecruiters Posting API: ``GET api.smartrecruiters.com/v1/companies/{company}/postings?limit=100&offset=0``
lists postings without their job ad; ``GET .../postings/{id}`` gives each one's sections and public URLs."""

from __future__ import annotations

import html
import re
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting

_SECTIONS = ("companyDescription", "jobDescription", "qualifications", "additionalInformation")
_COMPANY = re.compile(r"/companies/([^/?#]+)")


class SmartRecruitersSpider(FeedSpider):
    kind = "smartrecruiters"

    def entries(self, response: Response) -> list[Any]:
        data = self.json(response)
        if not isinstance(data, dict) or not isinstance(data.get("content"), list):
            raise FeedParseError('expected an object with a "content" list')
        return data["content"]

    def next_page(self, response: Response, entries: list[Any]) -> str | None:
        data = response.json()
        offset, limit, total = int(data["offset"]), int(data["limit"]), int(data["totalFound"])
        if offset + limit >= total:
            return None
        if limit <= 0 or not entries:
            raise ValueError(f"empty page at offset {offset} of {total} postings")
        query = dict(parse_qsl(urlsplit(response.url).query, keep_blank_values=True))
        query.update(offset=str(offset + limit), limit=str(limit))
        return urlunsplit(urlsplit(response.url)._replace(query=urlencode(query)))

    def detail_url(self, posting: dict[str, Any]) -> str:
        ref = posting.get("ref")
        list_url = urlsplit(self.feed_url)
        # On the real API ``ref`` is exactly the URL derived below. It is followed only on the feed's own host, so
        # that a mirror or a test server serving the list serves the details too.
        if isinstance(ref, str) and urlsplit(ref)[:2] == list_url[:2]:
            return ref
        path = f"{list_url.path.rstrip('/')}/{quote(str(posting['id']), safe='')}"
        return urlunsplit(list_url._replace(path=path, query=""))

    def posting(self, posting: dict[str, Any]) -> FeedPosting:
        company = posting.get("company") or {}
        location = posting.get("location") or {}
        identifier = company.get("identifier") or _url_company(self.feed_url) or self.source_name
        experience = posting.get("experienceLevel") or {}
        labels = [(posting.get(key) or {}).get("label") for key in ("function", "department")]
        return FeedPosting(
            external_id=str(posting["id"]),
            url=f"https://jobs.smartrecruiters.com/{identifier}/{posting['id']}",
            title=posting["name"],
            company=company.get("name") or self.source_name,
            location=_location(location),
            # Both are booleans; a hybrid job is not remote, and "remote": false alone says on site.
            remote="hybrid" if location.get("hybrid") else location.get("remote"),
            date_posted=posting.get("releasedDate"),
            employment_type=(posting.get("typeOfEmployment") or {}).get("label"),
            seniority=experience.get("label") if experience.get("id") not in (None, "not_applicable") else None,
            tags=[label for label in labels if label],
            raw=posting,
        )

    def posting_with_detail(self, posting: dict[str, Any], response: Response) -> FeedPosting:
        detail = self.json(response)
        result = self.posting(posting)
        sections = (detail.get("jobAd") or {}).get("sections") or {}
        parts = []
        for key in _SECTIONS:
            section = sections.get(key) or {}
            if section.get("text"):
                heading = f"<h3>{html.escape(section['title'], quote=False)}</h3>" if section.get("title") else ""
                parts.append(heading + section["text"])
        result.description_html = "\n".join(parts)
        result.url = detail.get("postingUrl") or result.url
        result.apply_url = detail.get("applyUrl")
        result.raw = {**posting, "detail": detail}
        return result


def _location(location: dict[str, Any]) -> str | None:
    # fullLocation keeps a slot for an empty region ("Petah Tikva, , Israel"); without it the country is only a
    # lower-case ISO code.
    full = location.get("fullLocation")
    country = str(location.get("country") or "").upper()
    parts = str(full).split(",") if full else [location.get("city"), location.get("region"), country]
    return ", ".join(str(p).strip() for p in parts if p and str(p).strip()) or None


def _url_company(url: str) -> str | None:
    match = _COMPANY.search(urlsplit(url).path)
    return match.group(1) if match else None
