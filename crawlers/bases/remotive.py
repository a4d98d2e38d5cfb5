"""Remotive API: ``GET remotive.com/api/remote-jobs`` (optionally ``?category=...&search=...&limit=N``).

The body is ``{"00-warning", "0-legal-notice", "job-count", "total-job-count", "jobs": [...]}``, one page with every
job. See corpus/FORMATS.md, "Remotive API".
"""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting
from crawlers.parsers.text_repair import required_id, required_text, split_list, string_list


class RemotiveSpider(FeedSpider):
    kind = "remotive"
    all_remote = True

    def entries(self, response: Response) -> list[Any]:
        # One saved capture starts with a UTF-8 byte-order mark; json.loads refuses one at the start of a str.
        data = FeedSpider.json(response)
        if not isinstance(data, dict) or not isinstance(data.get("jobs"), list):
            raise FeedParseError('expected an object with a "jobs" list')
        return data["jobs"]

    @staticmethod
    def description_from_raw(raw: dict[str, Any]) -> str:
        return raw.get("description") or ""

    def posting(self, job: dict[str, Any]) -> FeedPosting:
        if not isinstance(job, dict):
            raise TypeError(f"expected an object, got {type(job).__name__}")
        where = " ".join((job.get("candidate_required_location") or "").split()) or None
        salary = (job.get("salary") or "").strip()
        return FeedPosting(
            external_id=required_id(job, "id"),
            url=required_text(job, "url"),
            title=required_text(job, "title"),
            company=job.get("company_name") or self.source_name,
            # As the feed gave it, tracking pixel (<img .../blank.gif?source=public_api>) included: the sanitiser
            # drops every <img>, and the raw item keeps what Remotive served.
            description_html=self.description_from_raw(job),
            description_in_raw=True,
            location=where,
            # Free text such as "USA" or "Americas, Europe, Asia, Oceania": where the remote worker may live.
            remote=where,
            remote_regions=split_list(where),
            # ISO without a zone ("2026-05-15T14:00:51"): UTC, which is how the date parser reads a naive time.
            date_posted=job.get("publication_date") or None,
            # full_time / contract / freelance / part_time ("" on some jobs).
            employment_type=(job.get("job_type") or "").strip() or None,
            # Free text ("$60k–$72k", "$50-$75 /hour", "OTE $25k - $35k"); "" or "-" when there is none.
            salary_text=salary if any(c.isalnum() for c in salary) else None,
            tags=string_list([job.get("category")] + (job.get("tags") or [])),
            raw=job,
        )
