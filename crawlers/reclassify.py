"""Re-run normalisation and classification over stored postings, from the raw values kept beside the normalised ones.

No feed is fetched: every input the crawl's pipeline used is stored (the ``*_raw`` columns, the feed's structured
salary, the feed's tags), so an improved normaliser or classifier can be applied to the whole store. Only postings whose
result differs are written, and their lifecycle (first/last seen, updated, closed) is left as it was.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from crawlers.bases.feed import FeedSpider
from crawlers.items import FeedPosting, Normalised
from crawlers.pipelines.classify import classify
from crawlers.pipelines.normalise import normalise
from crawlers.spiders import SPIDERS
from store.db import Database
from store.models import Posting, Source
from store.queries.postings import rewrite_postings
from store.records import PostingRecord

BATCH = 500


@dataclass
class ReclassifyCounts:
    examined: int = 0
    changed: int = 0


def _remote(value: str | None) -> str | bool | None:
    # Booleans were stored as "true"/"false" (see normalise._raw_text).
    return {"true": True, "false": False}.get(value or "", value)


def feed_posting(posting: Posting, spider: type[FeedSpider] | None = None) -> FeedPosting:
    """The feed posting a stored row was made from, rebuilt from its raw columns (and, where the store kept no copy
    of the description, from the raw item by the platform's spider)."""
    description = posting.description_raw
    from_raw = spider.description_from_raw(posting.raw) if description is None and spider is not None else None
    return FeedPosting(
        external_id=posting.external_id,
        url=posting.url,
        apply_url=posting.apply_url,
        title=posting.title_raw,
        company=posting.company_raw or posting.company,
        description_html=from_raw if from_raw is not None else description or "",
        description_in_raw=from_raw is not None,
        location=posting.location_raw,
        remote=_remote(posting.remote_raw),
        date_posted=posting.posted_raw,
        employment_type=posting.employment_type_raw,
        salary_min=posting.salary_min_raw,
        salary_max=posting.salary_max_raw,
        salary_currency=posting.salary_currency_raw,
        salary_period=posting.salary_period_raw,
        salary_text=posting.salary_raw,
        tags=list(posting.tags_raw or []),
        valid_through=posting.valid_through_raw,
        remote_regions=list(posting.remote_regions_raw or []),
        seniority=posting.seniority_raw,
        company_url=posting.company_url,
        raw=posting.raw,
    )


def rederive(posting: Posting, source: Source) -> PostingRecord:
    spider = SPIDERS.get(source.kind)
    feed = feed_posting(posting, spider)
    item = Normalised(feed=feed, record=normalise(feed))
    return classify(item, all_remote_board=bool(spider and spider.all_remote), source_sector=source.sector).record


def reclassify(db: Database, source_keys: list[str] | None = None) -> ReclassifyCounts:
    counts = ReclassifyCounts()
    with db.transaction() as session:
        query = select(Source)
        if source_keys:
            query = query.where(Source.key.in_(source_keys))
        sources = {s.id: s for s in session.scalars(query)}
        session.expunge_all()
    last_id = 0
    while True:
        # Keyset batches, each its own transaction: a store of a million postings never sits in one.
        with db.transaction() as session:
            batch = list(
                session.scalars(
                    select(Posting)
                    .where(Posting.id > last_id, Posting.source_id.in_(list(sources)))
                    .order_by(Posting.id)
                    .limit(BATCH)
                )
            )
            if not batch:
                return counts
            changed = {}
            for posting in batch:
                record = rederive(posting, sources[posting.source_id])
                if record.content_hash() != posting.content_hash:
                    changed[posting.id] = record
            session.expunge_all()
            rewrite_postings(session, changed)
        counts.examined += len(batch)
        counts.changed += len(changed)
        last_id = batch[-1].id
