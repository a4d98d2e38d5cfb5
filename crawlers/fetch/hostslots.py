"""One request limit per host for the whole batch process, not per source.

Each source of a batch is its own Scrapy crawler, with a downloader of its own, so Scrapy's
``CONCURRENT_REQUESTS_PER_DOMAIN`` only holds within one source: a batch of fifty boards on one ATS host would send it
a hundred requests at once. This middleware makes every crawler of the process share one slot count per host, so a
batch may hold hundreds of sources across many hosts and each host still sees at most ``CONCURRENT_REQUESTS_PER_DOMAIN``
requests in flight from us.

It sits last before the download handler: a request takes a slot just before it goes on the wire and gives it back
when its response or error comes back, before redirects and retries are decided (those requests queue again).
"""

from __future__ import annotations

import asyncio
from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached

_SLOT = "jobsift_host_slot"


class HostSlots:
    """The process's per-host semaphores (made on first use, inside the running event loop)."""

    def __init__(self, per_host: int) -> None:
        self.per_host = max(1, per_host)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    def for_host(self, host: str) -> asyncio.Semaphore:
        slot = self._hosts.get(host)
        if slot is None:
            slot = self._hosts[host] = asyncio.Semaphore(self.per_host)
        return slot


_process_slots: HostSlots | None = None


def process_slots(per_host: int) -> HostSlots:
    """The one :class:`HostSlots` of this process: every crawler of a batch shares it."""
    global _process_slots
    if _process_slots is None or _process_slots.per_host != max(1, per_host):
        _process_slots = HostSlots(per_host)
    return _process_slots


class HostSlotMiddleware:
    def __init__(self, slots: HostSlots) -> None:
        self.slots = slots

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(process_slots(crawler.settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN")))

    async def process_request(self, request: Request) -> None:
        host = (urlparse_cached(request).hostname or "").lower()
        # A cancelled wait (the crawl stopping) leaves the semaphore as it was: asyncio hands the slot on.
        await self.slots.for_host(host).acquire()
        request.meta[_SLOT] = host

    def process_response(self, request: Request, response: Response) -> Response:
        self._release(request)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        self._release(request)

    def _release(self, request: Request) -> None:
        # Idempotent: a request holds at most one slot, whatever path its answer takes back up the chain.
        host = request.meta.pop(_SLOT, None)
        if host is not None:
            self.slots.for_host(host).release()
