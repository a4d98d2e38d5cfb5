from __future__ import annotations

from scrapy.exceptions import DropItem

from crawlers.items import FeedPosting
from crawlers.parsers.html import clean_text
from crawlers.pipelines.base import CrawlerPipeline


class ValidatePipeline(CrawlerPipeline):
    """Drop items that can't be a posting, counting each reason in the crawl stats rather than failing silently."""

    def process_item(self, item: FeedPosting) -> FeedPosting:
        for name in ("external_id", "title", "url"):
            if not clean_text(getattr(item, name)):
                self.count(f"dropped/missing_{name}")
                raise DropItem(f"{self.spider.source_key}: item without {name}")
        if not item.url.startswith(("http://", "https://")):
            self.count("dropped/bad_url")
            raise DropItem(f"{self.spider.source_key}: item URL is not http(s): {item.url[:100]!r}")
        if not item.description_html.strip():
            self.count("missing/description")
        return item
