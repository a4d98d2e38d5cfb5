"""Classification stage: every classifier of crawlers/classify applied to a normalised posting, evidence kept."""

from __future__ import annotations

import logging
from dataclasses import replace

from crawlers.classify.posting import Classification, PostingText, classify_posting
from crawlers.items import FeedPosting, Normalised
from crawlers.pipelines.base import CrawlerPipeline
from store.records import PostingRecord

log = logging.getLogger(__name__)


def posting_text(
    feed: FeedPosting, record: PostingRecord, *, all_remote_board: bool = False, source_sector: str | None = None
) -> PostingText:
    """The classifier's input for one posting: text from the normalised record, signals as the feed gave them.

    The salary is the feed's own (structured values and salary text): the classifier parses it, and a normalised
    record may hold the parsed salary rather than what the feed said.
    """
    return PostingText(
        title=record.title,
        description_text=record.description_text,
        company=record.company,
        location=record.location or "",
        remote_structured=feed.remote,
        remote_regions=tuple(record.remote_regions_raw),
        tags=tuple(feed.tags),
        seniority_raw=record.seniority_raw,
        employment_type_raw=record.employment_type_raw,
        salary_min=feed.salary_min,
        salary_max=feed.salary_max,
        salary_currency=feed.salary_currency,
        salary_period=feed.salary_period,
        salary_text=feed.salary_text,
        all_remote_board=all_remote_board,
        source_sector=source_sector,
    )


def classified(record: PostingRecord, result: Classification) -> PostingRecord:
    """The record with what classification decided; the feed's own values stay in the ``*_raw`` fields."""
    salary = result.salary
    return replace(
        record,
        skills=result.skills,
        remote=result.remote,
        remote_regions=result.remote_regions,
        sector=result.sector,
        seniority=result.seniority,
        employment_type=result.employment_type or record.employment_type,
        visa_sponsorship=result.visa_sponsorship,
        is_backend=result.is_backend,
        salary_min=salary.min if salary else None,
        salary_max=salary.max if salary else None,
        salary_currency=salary.currency if salary else None,
        salary_period=salary.period if salary else None,
        salary_annual_min=salary.annual_min if salary else None,
        salary_annual_max=salary.annual_max if salary else None,
        evidence={
            key: [{"field": e.field, "text": e.text} for e in found] for key, found in sorted(result.evidence.items())
        },
    )


def classify(item: Normalised, *, all_remote_board: bool, source_sector: str | None) -> Normalised:
    text = posting_text(item.feed, item.record, all_remote_board=all_remote_board, source_sector=source_sector)
    return Normalised(feed=item.feed, record=classified(item.record, classify_posting(text)))


class ClassifyPipeline(CrawlerPipeline):
    def process_item(self, item: Normalised) -> Normalised:
        try:
            return classify(item, all_remote_board=self.spider.all_remote, source_sector=self.spider.sector)
        except Exception:
            # A classifier bug must not cost the posting: it is stored with default classification, the error is
            # counted on the crawl run, and `jobsift reclassify` fixes it once the classifier is.
            log.exception("%s: could not classify posting %s", self.spider.source_key, item.record.external_id)
            self.count("classify_errors")
            return item
