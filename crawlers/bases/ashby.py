"""Ashby Posting API: ``GET api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true``."""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting

_EMPLOYMENT_TYPES = {
    "FullTime": "Full-time",
    "PartTime": "Part-time",
    "Contract": "Contract",
    "Intern": "Internship",
    "Temporary": "Temporary",
}
_PERIODS = {"YEAR": "year", "MONTH": "month", "WEEK": "week", "DAY": "day", "HOUR": "hour"}


class AshbySpider(FeedSpider):
    kind = "ashby"

    def entries(self, response: Response) -> list[Any]:
        data = self.json(response)
        if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
            raise FeedParseError('expected an object with a "jobs" list')
        return data["jobs"]

    @staticmethod
    def description_from_raw(raw: dict[str, Any]) -> str:
        return raw.get("descriptionHtml") or ""

    def posting(self, job: dict[str, Any]) -> FeedPosting | None:
        # Unlisted jobs are reachable only by direct link: the company chose not to advertise them.
        if job.get("isListed") is False:
            return None
        salary = _salary(job)
        workplace = job.get("workplaceType")
        return FeedPosting(
            external_id=str(job["id"]),
            url=job["jobUrl"],
            apply_url=job.get("applyUrl"),
            title=job["title"].strip(),
            company=self.source_name,
            description_html=self.description_from_raw(job),
            description_in_raw=True,
            location=_locations(job),
            # isRemote is true for hybrid jobs too, so the enum wins when there is one.
            remote=workplace if workplace else job.get("isRemote"),
            date_posted=job.get("publishedAt"),
            employment_type=_EMPLOYMENT_TYPES.get(job.get("employmentType"), job.get("employmentType")),
            salary_min=_amount(salary.get("minValue")),
            salary_max=_amount(salary.get("maxValue")),
            salary_currency=salary.get("currencyCode"),
            salary_period=_period(salary.get("interval")),
            salary_text=salary.get("text"),
            tags=list(dict.fromkeys(v for v in (job.get("department"), job.get("team")) if v)),
            raw=job,
        )


def _locations(job: dict[str, Any]) -> str | None:
    names = [job.get("location")] + [s.get("location") for s in job.get("secondaryLocations") or []]
    unique = dict.fromkeys(n.strip() for n in names if isinstance(n, str) and n.strip())
    return "; ".join(unique) or None


def _salary(job: dict[str, Any]) -> dict[str, Any]:
    """The salary component and the board's own summary, unless the company hides pay on its postings."""
    if job.get("shouldDisplayCompensationOnJobPostings") is False:
        return {}
    compensation = job.get("compensation") or {}
    # Components also carry equity and bonus ranges, which are not the salary.
    component = next(
        (c for c in compensation.get("summaryComponents") or [] if c.get("compensationType") == "Salary"), {}
    )
    return {**component, "text": compensation.get("compensationTierSummary") or None}


def _period(interval: object) -> str | None:
    # Intervals read "1 YEAR", "1 HOUR"; a multiple such as "2 WEEK" has no single-unit period.
    count, _, unit = str(interval or "").partition(" ")
    return _PERIODS.get(unit.upper()) if count == "1" else None


def _amount(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if value > 0 else None
