"""Greenhouse Job Board API: ``GET boards-api.greenhouse.io/v1/boards/{token}/jobs?content=true``."""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting
from crawlers.parsers.html import unescape_once


class GreenhouseSpider(FeedSpider):
    kind = "greenhouse"

    def entries(self, response: Response) -> list[Any]:
        data = self.json(response)
        if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
            raise FeedParseError('expected an object with a "jobs" list')
        return data["jobs"]

    def posting(self, job: dict[str, Any]) -> FeedPosting:
        location = (job.get("location") or {}).get("name")
        return FeedPosting(
            external_id=str(job["id"]),
            url=job["absolute_url"],
            title=job["title"],
            company=job.get("company_name") or self.source_name,
            description_html=self.description_from_raw(job),
            description_in_raw=True,
            location=location,
            remote=_metadata_value(job, "location type") or location,
            # first_published is when the post went up; updated_at moves on every edit.
            date_posted=job.get("first_published") or job.get("updated_at"),
            tags=[d["name"] for d in job.get("departments") or [] if d.get("name")],
            raw=job,
        )

    @staticmethod
    def description_from_raw(raw: dict[str, Any]) -> str:
        # Greenhouse escapes the HTML once more: one unescape gives the HTML itself.
        return unescape_once(raw.get("content") or "")


def _metadata_value(job: dict[str, Any], name: str) -> str | None:
    for entry in job.get("metadata") or []:
        if str(entry.get("name", "")).strip().lower() == name and isinstance(entry.get("value"), str):
            return entry["value"]
    return None
