"""``python -m crawlers.preview KIND URL``: crawl one feed and print its postings as JSON lines, storing nothing.

Exit status 0 when the feed was read whole, 1 with one line on standard error when it was not.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from config.settings import ConfigError, load_settings
from crawlers.bases.feed import FeedSpider
from crawlers.settings import PIPELINES, scrapy_settings
from crawlers.spiders import SPIDERS

PREVIEW_PIPELINES = {
    **{path: order for path, order in PIPELINES.items() if not path.endswith("StorePipeline")},
    "crawlers.pipelines.output.JsonLinesPipeline": 900,
}


def main(
    argv: Sequence[str] | None = None,
    *,
    pipelines: Mapping[str, int] = PREVIEW_PIPELINES,
    spiders: Mapping[str, type[FeedSpider]] = SPIDERS,
) -> int:
    """Run one preview. ``pipelines`` and ``spiders`` let another front end (the web admin's) swap a stage or a
    platform's spider for one that reports more, and reuse the rest of the crawl's set-up."""
    from scrapy import signals
    from scrapy.crawler import CrawlerProcess

    parser = argparse.ArgumentParser(prog="python -m crawlers.preview")
    parser.add_argument("kind", choices=sorted(spiders))
    parser.add_argument("url")
    parser.add_argument("--name", default="Preview")
    parser.add_argument("--single-document", action="store_true", help="read only this document: no pages, no details")
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
    except ConfigError as exc:
        print(f"jobsift preview: configuration error: {exc}", file=sys.stderr)
        return 2
    scrapy = {**scrapy_settings(settings), "ITEM_PIPELINES": dict(pipelines), "LOG_LEVEL": "ERROR"}
    outcome: dict[str, Any] = {}

    def closed(spider: FeedSpider) -> None:
        outcome.update(complete=spider.complete, kind=spider.error_kind, message=spider.error_message)

    process = CrawlerProcess(scrapy)
    crawler = process.create_crawler(spiders[args.kind])
    crawler.signals.connect(closed, signal=signals.spider_closed)
    process.crawl(
        crawler,
        source_id=0,
        source_key="preview",
        source_name=args.name,
        feed_url=args.url,
        single_document=args.single_document,
    )
    process.start()
    if not outcome.get("complete"):
        reason = outcome.get("message") or outcome.get("kind") or "the crawl did not finish"
        print(f"jobsift preview: {reason}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
