"""Retries that honour ``Retry-After``.

A 429 or 503 that says when to come back is retried after that wait when it is short; when it is long the crawl
gives up now and records the wait on the spider, so the source's next crawl is not scheduled before it.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response

# Longest wait spent inside a crawl; anything longer is left to the scheduler.
DEFAULT_MAX_WAIT_SECONDS = 30


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait per a Retry-After value (delta-seconds or an HTTP date); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class RetryAfterMiddleware(RetryMiddleware):
    max_wait: float = DEFAULT_MAX_WAIT_SECONDS

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = super().from_crawler(crawler)
        middleware.max_wait = crawler.settings.getfloat("JOBSIFT_RETRY_AFTER_MAX_WAIT", DEFAULT_MAX_WAIT_SECONDS)
        return middleware

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        if response.status in (429, 503) and not request.meta.get("dont_retry", False):
            header = response.headers.get("Retry-After")
            delay = retry_after_seconds(header.decode("latin-1") if header else None)
            if delay is not None and delay > self.max_wait:
                spider = self.crawler.spider
                previous = getattr(spider, "retry_after", None) or 0
                setattr(spider, "retry_after", max(previous, delay))  # noqa: B010 (any spider, typed or not)
                return response
            if delay:
                await asyncio.sleep(delay)
        return super().process_response(request, response)
