"""Workable's public job board: ``GET apply.workable.com/api/v3/accounts/{account}/jobs`` lists the jobs without
descriptions; ``GET apply.workable.com/api/v2/accounts/{account}/jobs/{shortcode}`` gives each one's text.

The v3 list is POSTed with a JSON filter body by Workable's own board page, and FORMATS.md documents only that form.
We GET it with no filter (every published job) and pass the ``nextPage`` token as a ``token`` query parameter.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urljoin, urlsplit, urlunsplit

from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting

_ACCOUNT = re.compile(r"/accounts/([^/?#]+)")
# The v3 list abbreviates the two commonest types; other values (contract, temporary, ...) read as they are.
_EMPLOYMENT_TYPES = {"full": "Full-time", "part": "Part-time"}


class WorkableSpider(FeedSpider):
    kind = "workable"

    def entries(self, response: Response) -> list[Any]:
        data = self.json(response)
        if not isinstance(data, dict) or not isinstance(data.get("results"), list):
            raise FeedParseError('expected an object with a "results" list')
        self._account()  # without its account the feed URL can build neither detail nor job URLs
        return data["results"]

    def next_page(self, response: Response, entries: list[Any]) -> str | None:
        token = response.json().get("nextPage")
        if not token:
            return None
        parts = urlsplit(response.url)
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "token"]
        return urlunsplit(parts._replace(query=urlencode([*query, ("token", str(token))])))

    def detail_url(self, job: dict[str, Any]) -> str:
        # On the feed's own host (apply.workable.com in production) so a mirror or a test server can answer it too.
        return urljoin(
            self.feed_url, f"/api/v2/accounts/{self._account()}/jobs/{quote(str(job['shortcode']), safe='')}"
        )

    def posting(self, job: dict[str, Any]) -> FeedPosting:
        account, shortcode = self._account(), job["shortcode"]
        workplace = job.get("workplace")
        departments = job.get("department") or []
        return FeedPosting(
            external_id=str(shortcode),
            url=f"https://apply.workable.com/{account}/j/{shortcode}/",
            apply_url=f"https://apply.workable.com/{account}/j/{shortcode}/apply/",
            title=job["title"],
            company=self.source_name,
            location=_locations(job),
            remote=workplace if workplace else job.get("remote"),
            # Day precision: every job reads midnight UTC.
            date_posted=job.get("published"),
            employment_type=_EMPLOYMENT_TYPES.get(job.get("type"), job.get("type")),
            tags=[departments] if isinstance(departments, str) else [d for d in departments if d],
            raw=job,
        )

    def posting_with_detail(self, job: dict[str, Any], response: Response) -> FeedPosting:
        detail = self.json(response)
        posting = self.posting(job)
        parts = [
            detail.get("description") or "",
            f"<h3>Requirements</h3>{detail['requirements']}" if detail.get("requirements") else "",
            f"<h3>Benefits</h3>{detail['benefits']}" if detail.get("benefits") else "",
        ]
        posting.description_html = "\n".join(p for p in parts if p)
        posting.raw = {**job, "detail": detail}
        return posting

    def _account(self) -> str:
        match = _ACCOUNT.search(urlsplit(self.feed_url).path)
        if not match:
            raise FeedParseError(f"the feed URL names no account (…/accounts/{{account}}/jobs): {self.feed_url}")
        return match.group(1)


def _locations(job: dict[str, Any]) -> str | None:
    places = [p for p in job.get("locations") or [] if not p.get("hidden")] or [job.get("location") or {}]
    names = (", ".join(str(p[k]).strip() for k in ("city", "region", "country") if p.get(k)) for p in places)
    return "; ".join(dict.fromkeys(n for n in names if n)) or None
