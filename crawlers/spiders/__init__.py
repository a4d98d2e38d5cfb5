"""The spider for each kind of source.

Sources are data (rows in the store that admins add at runtime), so a per-source spider is its platform base given the
source's key, name and URL: there is nothing per source left to write as code.
"""

from __future__ import annotations

from crawlers.bases.feed import FeedSpider
from crawlers.bases.greenhouse import GreenhouseSpider
from crawlers.bases.lever import LeverSpider
from crawlers.bases.rss import RssSpider, WeWorkRemotelySpider

SPIDERS: dict[str, type[FeedSpider]] = {
    spider.kind: spider for spider in (GreenhouseSpider, LeverSpider, RssSpider, WeWorkRemotelySpider)
}


def spider_for(kind: str) -> type[FeedSpider]:
    try:
        return SPIDERS[kind]
    except KeyError:
        raise ValueError(f"no spider for source kind {kind!r} (known: {', '.join(sorted(SPIDERS))})") from None
