"""Jobicy API: ``GET jobicy.com/api/v2/remote-jobs?count=50&geo=...&industry=...&tag=...``.

The body is ``{"apiVersion", "documentationUrl", "friendlyNotice", "jobCount", "lastUpdate", "appliedFilters",
"success", "jobs": [...]}`` (trimmed captures keep only ``jobs``), one page. See corpus/FORMATS.md, "Jobicy API".
"""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting
from crawlers.parsers.html import unescape_once
from crawlers.parsers.text_repair import (
    joined,
    positive_amount,
    required_id,
    required_text,
    split_list,
    string_list,
)

_PERIODS = {
    "yearly": "year",
    "annual": "year",
    "annually": "year",
    "monthly": "month",
    "weekly": "week",
    "daily": "day",
    "hourly": "hour",
}


class JobicySpider(FeedSpider):
    kind = "jobicy"
    all_remote = True

    def entries(self, response: Response) -> list[Any]:
        data = FeedSpider.json(response)
        if isinstance(data, dict) and data.get("success") is False:
            raise FeedParseError(f"Jobicy answered success=false: {str(data.get('message') or '')[:200]}")
        if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
            raise FeedParseError('expected an object with a "jobs" list')
        return data["jobs"]

    def posting(self, job: dict[str, Any]) -> FeedPosting:
        if not isinstance(job, dict):
            raise TypeError(f"expected an object, got {type(job).__name__}")
        geo = split_list(job.get("jobGeo"))
        salary_min, salary_max = positive_amount(job.get("salaryMin")), positive_amount(job.get("salaryMax"))
        # Currency and period come on every salaried job; they mean nothing without an amount.
        currency = (job.get("salaryCurrency") or "").strip() or None
        period = _PERIODS.get(str(job.get("salaryPeriod") or "").strip().lower())
        has_salary = salary_min is not None or salary_max is not None
        return FeedPosting(
            external_id=required_id(job, "id"),
            url=required_text(job, "url"),
            title=required_text(job, "jobTitle"),
            company=job.get("companyName") or self.source_name,
            description_html=_description(job),
            # "LATAM,  Hong Kong,  Mexico": a comma list padded with double spaces.
            location=", ".join(geo) or None,
            remote_regions=geo,
            date_posted=job.get("pubDate") or None,
            # jobType and jobIndustry are arrays of HTML-escaped strings ("Product &amp; Operations"): one unescape.
            employment_type=joined([unescape_once(t) for t in string_list(job.get("jobType"))]),
            seniority=(job.get("jobLevel") or "").strip() or None,
            salary_min=salary_min,
            salary_max=salary_max,
            salary_currency=currency if has_salary else None,
            salary_period=period if has_salary else None,
            tags=string_list([unescape_once(t) for t in string_list(job.get("jobIndustry"))]),
            raw=job,
        )


def _description(job: dict[str, Any]) -> str:
    """``jobDescription`` (HTML); ``jobExcerpt`` only when there is no description.

    The excerpt is text already entity-escaped for HTML (``&hellip;``, ``&gt;``), so it is wrapped, not escaped again.
    """
    description = job.get("jobDescription") or ""
    if description.strip():
        return description
    excerpt = (job.get("jobExcerpt") or "").strip()
    return f"<p>{excerpt}</p>" if excerpt else ""
