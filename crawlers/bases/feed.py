"""The shared base: fetch one feed URL, hand the body to the platform's parser, and report how it went.

A crawl is *complete* only when the whole feed was fetched and parsed. Pipelines close postings missing from a complete
crawl and never from an incomplete one, so a 500, a timeout or a garbled body can't expire live jobs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawlers.items import FeedPosting


class FeedParseError(ValueError):
    """The body is not the format this platform serves."""


class FeedSpider(scrapy.Spider):
    """Base of every platform spider. Subclasses set ``kind`` and implement :meth:`entries` and :meth:`posting`."""

    kind: ClassVar[str] = ""
    # True for boards where every posting is remote (We Work Remotely, RemoteOK, ...).
    all_remote: ClassVar[bool] = False

    def __init__(
        self,
        *,
        source_id: int,
        source_key: str,
        source_name: str,
        feed_url: str,
        sector: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=source_key, **kwargs)
        self.source_id = source_id
        self.source_key = source_key
        self.source_name = source_name
        self.feed_url = feed_url
        self.sector = sector
        self.complete = False
        # Every feed id seen, including items a pipeline later drops: a posting whose item is merely malformed
        # today is still on the board and must not be closed.
        self.seen_ids: set[str] = set()
        self.http_status: int | None = None
        self.bytes_received = 0
        self.error_kind: str | None = None
        self.error_message: str | None = None

    async def start(self) -> AsyncIterator[scrapy.Request]:
        yield scrapy.Request(
            self.feed_url,
            callback=self.parse,
            errback=self.on_error,
            dont_filter=True,
            meta={"handle_httpstatus_all": True},
        )

    def parse(self, response: Response, **kwargs: Any) -> Iterator[FeedPosting]:
        self.http_status = response.status
        self.bytes_received += len(response.body)
        if response.status != 200:
            self.fail(f"http_{response.status}", f"{response.url} answered HTTP {response.status}")
            return
        try:
            entries = list(self.entries(response))
        except (FeedParseError, ValueError, KeyError, TypeError, AttributeError) as exc:
            self.fail("parse_error", f"{response.url}: not a valid {self.kind} feed: {exc}")
            return
        unreadable = 0
        for entry in entries:
            try:
                posting = self.posting(entry)
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                # One odd item must not cost the feed's other postings; but since we can't tell which posting it
                # was, the crawl no longer proves anything is gone, so it closes nothing.
                unreadable += 1
                self.logger.warning("unreadable %s item: %s: %s", self.kind, type(exc).__name__, exc)
                continue
            if posting is None:
                continue
            self.seen_ids.add(str(posting.external_id))
            yield posting
        if unreadable:
            self.fail("item_errors", f"{unreadable} of {len(entries)} items could not be read; nothing was closed")
        else:
            self.complete = True

    def entries(self, response: Response) -> Iterable[Any]:
        """The feed's items, as parsed from the whole body; raise FeedParseError when it is not this format."""
        raise NotImplementedError

    def posting(self, entry: Any) -> FeedPosting | None:
        """One item as a posting, or None to skip it deliberately (e.g. an item with no id at all)."""
        raise NotImplementedError

    def on_error(self, failure: Failure) -> None:
        kind = "timeout" if "Timeout" in type(failure.value).__name__ else "fetch_error"
        self.fail(kind, f"{self.feed_url}: {type(failure.value).__name__}: {failure.getErrorMessage()}")

    def fail(self, kind: str, message: str) -> None:
        # The first error is the cause; later ones are usually consequences.
        if self.error_kind is None:
            self.error_kind, self.error_message = kind, message
        self.complete = False
        self.logger.warning("%s: %s", kind, message)

    def json(self, response: Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise FeedParseError(f"body is not JSON ({exc})") from None
