"""The shared base: fetch a feed (every page of it, and a detail per item where the list lacks one), hand each body
to the platform's parser, and report how it went.

A crawl is *complete* only when every page and every detail was fetched and parsed. Pipelines close postings missing
from a complete crawl and never from an incomplete one, so a 500, a timeout, a garbled body or one unreadable item
can't expire live jobs.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, ClassVar

import scrapy
from scrapy.http import Response
from twisted.python.failure import Failure

from crawlers.fetch.freshness import fresh_for_seconds
from crawlers.fetch.guard import BlockedAddress, refusal
from crawlers.items import FeedPosting
from crawlers.parsers.text_repair import load_json

# A feed that pages forever (a bug, or a hostile server) is cut off here; the crawl then counts as incomplete.
MAX_PAGES = 200
_PARSE_ERRORS = (ValueError, KeyError, TypeError, AttributeError, IndexError)


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1")[:500] if value else None


class FeedParseError(ValueError):
    """The body is not the format this platform serves."""


class FeedSpider(scrapy.Spider):
    """Base of every platform spider.

    Subclasses set ``kind`` and implement :meth:`entries` (a page's items) and :meth:`posting` (one item). Paged
    feeds also implement :meth:`next_page`; feeds whose list lacks descriptions implement :meth:`detail_url` and
    :meth:`posting_with_detail`.
    """

    kind: ClassVar[str] = ""
    # True for boards where every posting is remote (We Work Remotely, RemoteOK, ...).
    all_remote: ClassVar[bool] = False
    # For feeds too large to read whole, newest first, whose postings carry their own expiry: read this many pages,
    # and let validThrough close postings instead of absence (a windowed crawl never closes what it did not reach).
    window_pages: ClassVar[int | None] = None

    def __init__(
        self,
        *,
        source_id: int,
        source_key: str,
        source_name: str,
        feed_url: str,
        sector: str | None = None,
        single_document: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(name=source_key, **kwargs)
        # A saved payload (jobsift preview FILE) is read as it is: no further pages or details are fetched.
        self.single_document = single_document
        self.source_id = source_id
        self.source_key = source_key
        self.source_name = source_name
        self.feed_url = feed_url
        self.sector = sector
        # Every feed id seen, including items a pipeline later drops: a posting whose item is merely malformed
        # today is still on the board and must not be closed.
        self.seen_ids: set[str] = set()
        self.http_status: int | None = None
        self.bytes_received = 0
        self.pages = 0
        self.unreadable_items = 0
        self.error_kind: str | None = None
        self.error_message: str | None = None
        self._last_page_seen = False
        self.windowed = False
        # Conditional requests: the validators of the last complete fetch go out with the first request; a 304
        # means the feed has not changed and nothing is parsed. Only a feed read in one request is validated as a
        # whole by its validators, so only such feeds keep them (see ``validators``).
        self.sent_validators = (etag, last_modified)
        self.received_validators: tuple[str | None, str | None] = (None, None)
        self.not_modified = False
        self.requests_made = 0
        # Seconds a 429/503 asked us to stay away, when that was too long to wait inside the crawl.
        self.retry_after: float | None = None
        # Seconds the feed's first answer says it stays fresh (cache headers): the next crawl is no sooner.
        self.fresh_for: int | None = None

    @property
    def complete(self) -> bool:
        return self._last_page_seen and self.error_kind is None

    def request(
        self, url: str, callback: Any, headers: dict[str, str] | None = None, **cb_kwargs: Any
    ) -> scrapy.Request:
        self.requests_made += 1
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.on_error,
            dont_filter=True,
            headers=headers,
            cb_kwargs=cb_kwargs,
            meta={"handle_httpstatus_all": True},
        )

    async def start(self) -> AsyncIterator[scrapy.Request]:
        etag, last_modified = self.sent_validators
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        yield self.request(self.feed_url, self.parse, headers=headers or None)

    @property
    def validators(self) -> tuple[str | None, str | None]:
        """What to send next time: this fetch's validators if the feed was read whole in one request."""
        if self.complete and self.requests_made == 1 and not self.not_modified:
            return self.received_validators
        return (None, None)

    def _answered(self, response: Response) -> bool:
        """Count the response; record a failure unless it is a 200."""
        if self.http_status is None or response.status != 200:
            self.http_status = response.status
        self.bytes_received += len(response.body)
        if response.status != 200:
            self.fail(f"http_{response.status}", f"{response.url} answered HTTP {response.status}")
            return False
        return True

    def parse(self, response: Response, **kwargs: Any) -> Iterator[FeedPosting | scrapy.Request]:
        if self.pages == 0 and response.status in (200, 304):
            self.fresh_for = fresh_for_seconds(
                _header(response, "Cache-Control"), _header(response, "Expires"), _header(response, "Date")
            )
        if response.status == 304 and self.pages == 0 and any(self.sent_validators):
            self.http_status = 304
            self.not_modified = True
            self._last_page_seen = True
            return
        if not self._answered(response):
            return
        if self.pages == 0:
            self.received_validators = (_header(response, "ETag"), _header(response, "Last-Modified"))
        self.pages += 1
        try:
            entries = list(self.entries(response))
        except (FeedParseError, *_PARSE_ERRORS) as exc:
            self.fail("parse_error", f"{response.url}: not a valid {self.kind} feed: {exc}")
            return
        for entry in entries:
            detail = None if self.single_document else self._guarded(self.detail_url, entry)
            if detail:
                yield self.request(detail, self.parse_detail, entry=entry)
            else:
                yield from self._emit(self.posting, entry)
        try:
            following = None if self.single_document else self.next_page(response, entries)
        except _PARSE_ERRORS as exc:
            self.fail("parse_error", f"{response.url}: unreadable paging information: {exc}")
            return
        if following and self.window_pages is not None and self.pages >= self.window_pages:
            self.windowed = True
            self._last_page_seen = True
        elif following and self.pages >= MAX_PAGES:
            self.fail("too_many_pages", f"{self.feed_url}: stopped after {MAX_PAGES} pages")
        elif following:
            yield self.request(following, self.parse)
        else:
            self._last_page_seen = True

    def parse_detail(self, response: Response, entry: Any) -> Iterator[FeedPosting]:
        if not self._answered(response):
            # Without its detail the list item still says the posting exists: keep it from being closed.
            yield from self._emit(self.posting, entry)
            return
        yield from self._emit(lambda e: self.posting_with_detail(e, response), entry)

    def _emit(self, build: Any, entry: Any) -> Iterator[FeedPosting]:
        posting = self._guarded(build, entry, count=True)
        if posting is not None:
            self.seen_ids.add(str(posting.external_id))
            yield posting

    def _guarded(self, build: Any, entry: Any, *, count: bool = False) -> Any:
        try:
            return build(entry)
        except _PARSE_ERRORS as exc:
            # One odd item must not cost the feed's other postings; but since we can't tell which posting it was, the
            # crawl no longer proves anything is gone, so it closes nothing.
            self.logger.warning("unreadable %s item: %s: %s", self.kind, type(exc).__name__, exc)
            if count:
                self.unreadable_items += 1
                self.fail("item_errors", f"an item could not be read ({type(exc).__name__}: {exc}); nothing was closed")
            return None

    def entries(self, response: Response) -> Iterable[Any]:
        """A page's items, parsed from the whole body; raise FeedParseError when it is not this format."""
        raise NotImplementedError

    def posting(self, entry: Any) -> FeedPosting | None:
        """One item as a posting, or None to skip it deliberately (e.g. an item with no id at all)."""
        raise NotImplementedError

    @staticmethod
    def description_from_raw(raw: dict[str, Any]) -> str | None:
        """The description HTML of a posting whose ``raw`` item holds it (``FeedPosting.description_in_raw``), as
        :meth:`posting` made it; None for platforms whose description can't be rebuilt from the item alone.
        ``jobsift reclassify`` calls this where the store kept no separate copy."""
        return None

    def next_page(self, response: Response, entries: list[Any]) -> str | None:
        """The URL of the next page, for paged feeds."""
        return None

    def detail_url(self, entry: Any) -> str | None:
        """Where to fetch what the list item lacks (its description), or None when the item is whole."""
        return None

    def posting_with_detail(self, entry: Any, response: Response) -> FeedPosting | None:
        raise NotImplementedError

    def on_error(self, failure: Failure) -> None:
        url = getattr(getattr(failure, "request", None), "url", self.feed_url)
        refused = refusal(url)
        if isinstance(failure.value, BlockedAddress) or refused:
            self.fail("blocked_private_address", f"{url}: {refused or failure.getErrorMessage()}")
            return
        kind = "timeout" if "Timeout" in type(failure.value).__name__ else "fetch_error"
        self.fail(kind, f"{url}: {type(failure.value).__name__}: {failure.getErrorMessage()}")

    def fail(self, kind: str, message: str) -> None:
        # The first error is the cause; later ones are usually consequences.
        if self.error_kind is None:
            self.error_kind, self.error_message = kind, message
        self.logger.warning("%s: %s", kind, message)

    @staticmethod
    def json(response: Response) -> Any:
        """The body as JSON, tolerating a UTF-8 byte-order mark; FeedParseError when it is not JSON."""
        try:
            return load_json(response.body)
        except ValueError as exc:
            raise FeedParseError(f"body is not JSON ({exc})") from None
