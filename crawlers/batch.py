"""The Scrapy process of one crawl batch: every source is a crawler of its own, started a few dozen at a time.

A batch may hold hundreds of sources across many hosts. Starting them all at once would keep hundreds of engines,
downloaders and buffers of postings alive together (half a gigabyte for 500 small boards); started
``LIVE_CRAWLERS`` at a time, a batch stays near the memory of a small one, and since hosts are served at most
``CONCURRENT_REQUESTS_PER_DOMAIN`` requests at a time across the process (:mod:`crawlers.fetch.hostslots`), more live
crawlers would only wait.
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from typing import Any

from scrapy import Spider
from scrapy.crawler import CrawlerProcess
from twisted.internet.defer import Deferred, DeferredList, DeferredSemaphore, succeed

LIVE_CRAWLERS = 32


class BatchProcess(CrawlerProcess):
    def __init__(self, settings: Mapping[str, Any], live: int = LIVE_CRAWLERS) -> None:
        super().__init__(dict(settings))
        self.live = live
        self.pending: list[tuple[type[Spider], dict[str, Any]]] = []
        self.stopping = False

    def add(self, spider: type[Spider], **kwargs: Any) -> None:
        """Queue a crawl; :meth:`run` starts them."""
        self.pending.append((spider, kwargs))

    def stop(self) -> Deferred[Any]:
        # A shutdown signal: crawls in flight stop as Scrapy stops them, and crawls not yet started never start.
        self.stopping = True
        return super().stop()

    def run(self) -> None:
        """Crawl everything queued, ``live`` crawlers at a time, and return when the last one has finished."""
        if not self.pending:
            return
        slots = DeferredSemaphore(self.live)
        launches = [slots.run(self._launch, spider, kwargs) for spider, kwargs in self.pending]
        DeferredList(launches).addBoth(self._stop)
        self.start(stop_after_crawl=False)

    def _launch(self, spider: type[Spider], kwargs: dict[str, Any]) -> Deferred[Any]:
        return succeed(None) if self.stopping else self.crawl(spider, **kwargs)

    @staticmethod
    def _stop(_: object) -> None:
        from twisted.internet import reactor

        # A signal may have stopped the reactor already.
        with contextlib.suppress(RuntimeError):
            reactor.stop()  # type: ignore[attr-defined]
