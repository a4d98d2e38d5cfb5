from __future__ import annotations

from typing import Self, cast

from scrapy.crawler import Crawler

from crawlers.bases.feed import FeedSpider


class CrawlerPipeline:
    """Holds the crawler, as Scrapy 2.13+ expects, and exposes its spider typed as a feed spider."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    @property
    def spider(self) -> FeedSpider:
        return cast(FeedSpider, self.crawler.spider)

    def count(self, key: str) -> None:
        assert self.crawler.stats is not None
        self.crawler.stats.inc_value(f"jobsift/{key}")
