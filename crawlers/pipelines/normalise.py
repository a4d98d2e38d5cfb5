from __future__ import annotations

from crawlers.items import FeedPosting, Normalised
from crawlers.parsers.dates import parse_date
from crawlers.parsers.html import clean_text, sanitize_html, sanitized_to_text
from crawlers.pipelines.base import CrawlerPipeline
from store.dedupe import canonical_url, fingerprint
from store.records import PostingRecord

_EMPLOYMENT_TYPES = {
    "full-time": "full_time",
    "full time": "full_time",
    "fulltime": "full_time",
    "full_time": "full_time",
    "permanent": "full_time",
    "part-time": "part_time",
    "part time": "part_time",
    "part_time": "part_time",
    "contract": "contract",
    "contractor": "contract",
    "freelance": "contract",
    "temporary": "temporary",
    "internship": "internship",
    "intern": "internship",
}


def _raw_text(value: object) -> str | None:
    if value is None or value == "":
        return None
    return str(value).lower() if isinstance(value, bool) else str(value)


def normalise(feed: FeedPosting) -> PostingRecord:
    """The record a feed posting becomes before classification (remote and sector still at their defaults)."""
    description = sanitize_html(feed.description_html, base_url=feed.url)
    employment_raw = clean_text(feed.employment_type) or None
    title = clean_text(feed.title)[:500]
    company = clean_text(feed.company)[:300]
    return PostingRecord(
        external_id=clean_text(feed.external_id)[:255],
        url=feed.url.strip(),
        apply_url=(feed.apply_url or "").strip() or None,
        title=title,
        title_raw=feed.title,
        company=company,
        company_raw=feed.company,
        location=clean_text(feed.location)[:500] or None,
        location_raw=feed.location,
        remote_raw=_raw_text(feed.remote),
        employment_type=_EMPLOYMENT_TYPES.get((employment_raw or "").lower()),
        employment_type_raw=employment_raw,
        # Floats always: 120000 and 120000.0 are one salary, and must hash alike whichever way they arrived.
        salary_min=None if feed.salary_min is None else float(feed.salary_min),
        salary_max=None if feed.salary_max is None else float(feed.salary_max),
        salary_currency=(feed.salary_currency or "").upper()[:3] or None,
        salary_period=feed.salary_period,
        # Structured salaries keep their raw form in ``raw``; this holds free text such as "$120k-150k".
        salary_raw=(feed.salary_text or "").strip() or None,
        salary_min_raw=None if feed.salary_min is None else float(feed.salary_min),
        salary_max_raw=None if feed.salary_max is None else float(feed.salary_max),
        salary_currency_raw=(feed.salary_currency or "").strip()[:16] or None,
        salary_period_raw=(feed.salary_period or "").strip()[:32] or None,
        description_html=description,
        description_text=sanitized_to_text(description),
        # Kept apart only when the raw item can't give it back (FeedPosting.description_in_raw).
        description_raw=None if feed.description_in_raw else feed.description_html or None,
        posted_at=parse_date(feed.date_posted),
        posted_raw=_raw_text(feed.date_posted),
        valid_through=parse_date(feed.valid_through),
        valid_through_raw=_raw_text(feed.valid_through),
        remote_regions_raw=tuple(r for r in (clean_text(region) for region in feed.remote_regions) if r),
        tags_raw=tuple(t for t in (clean_text(tag) for tag in feed.tags) if t),
        seniority_raw=clean_text(feed.seniority) or None,
        company_url=(feed.company_url or "").strip() or None,
        raw=feed.raw,
        canonical_url=canonical_url(feed.apply_url or feed.url),
        fingerprint=fingerprint(company, title),
    )


class NormalisePipeline(CrawlerPipeline):
    def process_item(self, item: FeedPosting) -> Normalised:
        record = normalise(item)
        if item.date_posted is not None and record.posted_at is None:
            self.count("unparsed/date_posted")
        return Normalised(feed=item, record=record)
