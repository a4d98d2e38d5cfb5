"""``python -m jobsift.admin_preview KIND URL [--name N]``: ``crawlers.preview`` for the web admin.

The same crawl, pipelines and JSON lines as ``python -m crawlers.preview`` (nothing is stored), with two additions the
web admin reads:

- each posting line of a careers-page source (``jsonld``) also carries ``markup``: the JobPosting object as found on
  the page. The admin reports from it which of Google's required and recommended fields the employer's markup has,
  which the normalised posting can't tell (a missing ``identifier`` is made up from the URL, say);
- every item that would not be stored gets a line of its own, ``{"dropped": reason, "url": ..., "title": ...,
  "markup": ...}`` (``markup`` for careers pages only): items a pipeline drops (validation) or fails on, and
  JobPostings the careers-page spider can't read at all (no title). The markup report must count exactly these
  postings: they are the ones the employer has to hear about.

Every item the spider yields ends as one posting line or one dropped line, so posting lines plus dropped lines are
every JobPosting found. The web admin runs this in a child process: Scrapy's reactor can't be restarted inside a web
worker, and the web package imports no crawler code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any, Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DropItem
from twisted.python.failure import Failure

from crawlers import preview
from crawlers.bases.jsonld import JobEntry, JsonLdSpider, PageLink
from crawlers.items import FeedPosting, Normalised
from crawlers.pipelines.base import CrawlerPipeline
from crawlers.pipelines.output import preview_line
from crawlers.spiders import SPIDERS


def write_line(line: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def dropped_line(reason: str, feed: FeedPosting | None, markup: dict[str, Any] | None) -> dict[str, Any]:
    line: dict[str, Any] = {
        "dropped": reason,
        "title": feed.title if feed else None,
        "external_id": feed.external_id if feed else None,
        "url": feed.url if feed else None,
    }
    if markup is not None:
        line["markup"] = markup
    return line


class MarkupLinesPipeline(CrawlerPipeline):
    """Each posting as one JSON line, with its JobPosting markup for careers pages; and a line for each item that a
    stage before this one dropped or failed on (Scrapy's item_dropped and item_error signals)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        pipeline = cls(crawler)
        crawler.signals.connect(pipeline.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(pipeline.item_error, signal=signals.item_error)
        return pipeline

    def process_item(self, item: Normalised) -> Normalised:
        line = preview_line(item)
        if self.spider.kind == "jsonld":
            line["markup"] = item.feed.raw
        write_line(line)
        self.count("previewed")
        return item

    def item_dropped(self, item: Any, exception: DropItem) -> None:
        # Validation says "<source key>: item without title"; the admin knows which source it is previewing.
        reason = str(exception).removeprefix(f"{self.spider.source_key}: ")
        self._dropped(item, reason)

    def item_error(self, item: Any, failure: Failure) -> None:
        self._dropped(item, f"{failure.type.__name__ if failure.type else 'error'}: {failure.getErrorMessage()}")

    def _dropped(self, item: Any, reason: str) -> None:
        feed = item.feed if isinstance(item, Normalised) else item if isinstance(item, FeedPosting) else None
        markup = feed.raw if feed is not None and self.spider.kind == "jsonld" else None
        write_line(dropped_line(reason, feed, markup))
        self.count("preview_dropped")


class MarkupSpider(JsonLdSpider):
    """The careers-page spider, which also says which JobPostings it could not read (a JobPosting with no title can't
    become a posting: the spider fails the item before any pipeline sees it). The crawl goes on exactly as before."""

    def posting(self, entry: PageLink | JobEntry) -> FeedPosting | None:
        try:
            return super().posting(entry)
        except Exception as exc:
            if isinstance(entry, JobEntry):
                write_line({**dropped_line(str(exc), None, entry.job), "url": entry.canonical or entry.page_url})
            raise


PIPELINES = {
    **{path: order for path, order in preview.PREVIEW_PIPELINES.items() if not path.endswith(".JsonLinesPipeline")},
    "jobsift.admin_preview.MarkupLinesPipeline": 900,
}


def main(argv: Sequence[str] | None = None) -> int:
    return preview.main(argv, pipelines=PIPELINES, spiders={**SPIDERS, "jsonld": MarkupSpider})


if __name__ == "__main__":
    sys.exit(main())
