"""The spider for each kind of source.

Sources are data (rows in the store that admins add at runtime), so a per-source spider is its platform base given the
source's key, name and URL: there is nothing per source left to write as code.
"""

from __future__ import annotations

from crawlers.bases.arbeitnow import ArbeitnowSpider
from crawlers.bases.ashby import AshbySpider
from crawlers.bases.feed import FeedSpider
from crawlers.bases.greenhouse import GreenhouseSpider
from crawlers.bases.himalayas import HimalayasSpider
from crawlers.bases.hn import HackerNewsSpider
from crawlers.bases.jobicy import JobicySpider
from crawlers.bases.jsonld import JsonLdSpider
from crawlers.bases.lever import LeverSpider
from crawlers.bases.personio import PersonioSpider
from crawlers.bases.recruitee import RecruiteeSpider
from crawlers.bases.remoteok import RemoteOkSpider
from crawlers.bases.remotive import RemotiveSpider
from crawlers.bases.rss import RssSpider, WeWorkRemotelySpider
from crawlers.bases.smartrecruiters import SmartRecruitersSpider
from crawlers.bases.workable import WorkableSpider

SPIDERS: dict[str, type[FeedSpider]] = {
    spider.kind: spider
    for spider in (
        GreenhouseSpider,
        LeverSpider,
        AshbySpider,
        WorkableSpider,
        SmartRecruitersSpider,
        RecruiteeSpider,
        PersonioSpider,
        RemoteOkSpider,
        RemotiveSpider,
        ArbeitnowSpider,
        JobicySpider,
        HimalayasSpider,
        WeWorkRemotelySpider,
        RssSpider,
        HackerNewsSpider,
        JsonLdSpider,
    )
}


def spider_for(kind: str) -> type[FeedSpider]:
    try:
        return SPIDERS[kind]
    except KeyError:
        raise ValueError(f"no spider for source kind {kind!r} (known: {', '.join(sorted(SPIDERS))})") from None
