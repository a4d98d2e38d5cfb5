"""Lever Postings API: ``GET api.lever.co/v0/postings/{site}?mode=json`` (also the EU host, api.eu.lever.co)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting

_INTERVALS = {
    "per-year-salary": "year",
    "per-month-salary": "month",
    "per-week-salary": "week",
    "per-day-wage": "day",
    "per-hour-wage": "hour",
}


class LeverSpider(FeedSpider):
    kind = "lever"

    def entries(self, response: Response) -> Iterator[Any]:
        data = self.json(response)
        if isinstance(data, dict) and data.get("ok") is False:
            raise FeedParseError(f"Lever error: {data.get('error')}")
        if not isinstance(data, list):
            raise FeedParseError("expected a JSON array of postings")
        for entry in data:
            # ?group=... wraps postings in [{"title": group, "postings": [...]}].
            if isinstance(entry, dict) and isinstance(entry.get("postings"), list):
                yield from entry["postings"]
            else:
                yield entry

    def posting(self, job: dict[str, Any]) -> FeedPosting:
        categories = job.get("categories") or {}
        salary = job.get("salaryRange") or {}
        return FeedPosting(
            external_id=str(job["id"]),
            url=job["hostedUrl"],
            apply_url=job.get("applyUrl"),
            title=job["text"],
            company=self.source_name,
            description_html=_description(job),
            location=categories.get("location"),
            remote=job.get("workplaceType"),
            date_posted=job.get("createdAt"),
            employment_type=categories.get("commitment"),
            salary_min=_number(salary.get("min")),
            salary_max=_number(salary.get("max")),
            salary_currency=salary.get("currency"),
            salary_period=_INTERVALS.get(str(salary.get("interval"))),
            salary_text=job.get("salaryDescriptionPlain") or None,
            tags=[v for v in (categories.get("team"), categories.get("department")) if v],
            raw=job,
        )


def _description(job: dict[str, Any]) -> str:
    """Lever splits a posting into an opening, a body, headed lists (``<li>`` with no ``<ul>``) and a closing."""
    if job.get("opening") or job.get("descriptionBody"):
        parts = [job.get("opening") or "", job.get("descriptionBody") or ""]
    else:
        body = job.get("description") or ""
        # The 2015 API gave plain text with newlines, not HTML.
        parts = [body if "<" in body else "".join(f"<p>{line}</p>" for line in body.split("\n") if line.strip())]
    for section in job.get("lists") or []:
        heading = section.get("text") or ""
        parts.append(f"<h3>{heading}</h3><ul>{section.get('content') or ''}</ul>")
    parts.append(job.get("additional") or "")
    return "\n".join(p for p in parts if p)


def _number(value: object) -> float | None:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
