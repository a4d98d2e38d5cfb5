"""Himalayas API: ``GET himalayas.app/jobs/api?limit=20&offset=0``, paged by offset.

The body is ``{"comments", "updatedAt", "offset", "limit", "totalCount", "jobs": [...]}``. The next page is the same
URL with ``offset`` advanced by the number of jobs received, while ``offset + len(jobs) < totalCount`` and the page
was not empty. See corpus/FORMATS.md, "Himalayas API".
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting
from crawlers.parsers.text_repair import joined, positive_amount, required_id, required_text, string_list

WORLDWIDE = "Worldwide"


class HimalayasSpider(FeedSpider):
    kind = "himalayas"
    all_remote = True
    # About 100,000 postings in pages of 20, newest first, each with an expiryDate: the newest 500 are read.
    window_pages = 25

    def entries(self, response: Response) -> list[Any]:
        return _payload(response)["jobs"]

    @staticmethod
    def description_from_raw(raw: dict[str, Any]) -> str:
        return raw.get("description") or ""

    def posting(self, job: dict[str, Any]) -> FeedPosting:
        if not isinstance(job, dict):
            raise TypeError(f"expected an object, got {type(job).__name__}")
        # There is no numeric id: guid and applicationLink are the same job URL.
        url = required_text(job, "applicationLink")
        countries = string_list(job.get("locationRestrictions"))
        salary_min, salary_max = positive_amount(job.get("minSalary")), positive_amount(job.get("maxSalary"))
        has_salary = salary_min is not None or salary_max is not None
        return FeedPosting(
            external_id=required_id(job, "guid") if "guid" in job else url,
            url=url,
            apply_url=url,
            title=required_text(job, "title"),
            company=job.get("companyName") or self.source_name,
            description_html=self.description_from_raw(job),
            description_in_raw=True,
            # An empty locationRestrictions means the job is open worldwide.
            location=", ".join(countries) or WORLDWIDE,
            remote_regions=(countries or [WORLDWIDE]) + _utc_offsets(job.get("timezoneRestrictions")),
            date_posted=job.get("pubDate"),
            valid_through=job.get("expiryDate"),
            employment_type=(job.get("employmentType") or "").strip() or None,
            seniority=joined(job.get("seniority")),
            salary_min=salary_min,
            salary_max=salary_max,
            # ``currency`` is filled ("USD") even on jobs without a salary, so it only counts next to an amount.
            # Assumption: the API has no period field (FORMATS.md names none), and every captured amount is
            # annual-scale (54,800 to 200,000 across the 8 salaried jobs; a therapist's 133,120 is 64/hour x 2,080
            # hours, an hourly rate already annualised), so an amount is taken as yearly.
            salary_currency=((job.get("currency") or "").strip() or None) if has_salary else None,
            salary_period="year" if has_salary else None,
            tags=string_list((job.get("categories") or []) + (job.get("parentCategories") or [])),
            raw=job,
        )

    def next_page(self, response: Response, entries: list[Any]) -> str | None:
        if not entries:
            return None
        data = _payload(response)
        total = data["totalCount"]
        offset = data.get("offset")
        if offset is None:
            offset = int(dict(parse_qsl(urlsplit(response.url).query)).get("offset", 0))
        if not (_is_int(total) and _is_int(offset)):
            raise TypeError(f"totalCount/offset are not integers ({total!r}, {offset!r})")
        following = offset + len(entries)
        if following >= total:
            return None
        return _with_query(response.url, offset=str(following))


def _payload(response: Response) -> dict[str, Any]:
    data = FeedSpider.json(response)
    if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
        raise FeedParseError('expected an object with a "jobs" list')
    return data


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _with_query(url: str, **values: str) -> str:
    """``url`` with the given query parameters set (replaced in place, else appended); the others are kept."""
    parts = urlsplit(url)
    query, done = [], set()
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key in values:
            if key in done:
                continue
            value = values[key]
            done.add(key)
        query.append((key, value))
    query.extend((key, value) for key, value in values.items() if key not in done)
    return urlunsplit(parts._replace(query=urlencode(query)))


def _utc_offsets(values: list[Any] | None) -> list[str]:
    """Numeric UTC offsets (-5, 0, 5.5, 8.75) as "UTC-5", "UTC+0", "UTC+5:30", "UTC+8:45"."""
    if values is None:
        return []
    if not isinstance(values, list):
        raise TypeError(f"timezoneRestrictions is {type(values).__name__}, not a list")
    labels = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise TypeError(f"timezone offset {value!r} is not a number")
        sign = "-" if value < 0 else "+"
        hours, minutes = divmod(round(abs(value) * 60), 60)
        labels.append(f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else ""))
    return list(dict.fromkeys(labels))
