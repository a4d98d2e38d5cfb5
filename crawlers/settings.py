"""Scrapy settings for every crawl batch. Polite by default: identify ourselves, few parallel requests per host."""

from __future__ import annotations

import logging
from typing import Any

from config.settings import Settings

PIPELINES = {
    "crawlers.pipelines.validate.ValidatePipeline": 100,
    "crawlers.pipelines.normalise.NormalisePipeline": 200,
    "crawlers.pipelines.classify.ClassifyPipeline": 300,
    "crawlers.pipelines.store.StorePipeline": 900,
}


def max_level(a: str, b: str) -> str:
    return a if logging.getLevelName(a) >= logging.getLevelName(b) else b


def scrapy_settings(settings: Settings) -> dict[str, Any]:
    return {
        "JOBSIFT_DATABASE_URL": settings.database_url,
        "ITEM_PIPELINES": PIPELINES,
        "JOBSIFT_ALLOW_PRIVATE_NETWORKS": settings.allow_private_networks,
        "JOBSIFT_PAUSE_AFTER_FAILURES": settings.pause_after_failures,
        "TWISTED_DNS_RESOLVER": "crawlers.fetch.guard.GuardedResolver",
        "DOWNLOADER_MIDDLEWARES": {
            "crawlers.fetch.guard.PrivateAddressMiddleware": 50,
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "crawlers.fetch.retry.RetryAfterMiddleware": 550,
            # Per host across the whole batch process, not per source (each source is a crawler of its own); last
            # before the download handler, so a request holds its slot only while it is on the wire.
            "crawlers.fetch.hostslots.HostSlotMiddleware": 990,
        },
        "REDIRECT_MAX_TIMES": 5,
        "METAREFRESH_ENABLED": False,
        "USER_AGENT": settings.user_agent,
        "DOWNLOAD_TIMEOUT": settings.http_timeout,
        "DOWNLOAD_MAXSIZE": 50 * 1024 * 1024,
        "DOWNLOAD_WARNSIZE": 20 * 1024 * 1024,
        "CONCURRENT_REQUESTS": 16,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 2,
        # Items are parsed and normalised in Python, so running many at once only adds tasks: Scrapy starts this many
        # workers for every response, which cost more than the parsing on a batch of small feeds.
        "CONCURRENT_ITEMS": 8,
        # Documented public APIs are fetched as their terms allow; spiders that crawl web pages turn robots.txt on.
        "ROBOTSTXT_OBEY": False,
        "RETRY_TIMES": 2,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        # A batch is a short-lived child process; it must not open a control port.
        "REMOTE_CONTROL_ENABLED": False,
        # Scrapy's INFO is a stats dump per spider; the crawl's outcome is on its crawl run and in the CLI summary.
        "LOG_LEVEL": "DEBUG" if settings.log_level == "DEBUG" else max_level(settings.log_level, "WARNING"),
        "LOG_FORMATTER": "crawlers.logformat.QuietDropFormatter",
    }
