"""Real postings as classifier inputs: a saved feed payload parsed by its platform base and normalised.

Used by the benchmark and the table tests, so both run on the same texts the crawl pipeline sees. Nothing here runs
during a crawl.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from crawlers.classify.posting import PostingText
from crawlers.items import FeedPosting
from crawlers.pipelines.normalise import normalise
from store.records import PostingRecord


def posting_text(
    feed: FeedPosting, record: PostingRecord, *, all_remote_board: bool = False, source_sector: str | None = None
) -> PostingText:
    """The classifier's input for one normalised posting."""
    return PostingText(
        title=record.title,
        description_text=record.description_text,
        company=record.company,
        location=record.location or "",
        remote_structured=feed.remote,
        remote_regions=record.remote_regions_raw,
        tags=tuple(feed.tags),
        seniority_raw=record.seniority_raw,
        employment_type_raw=record.employment_type_raw,
        salary_min=record.salary_min,
        salary_max=record.salary_max,
        salary_currency=record.salary_currency,
        salary_period=record.salary_period,
        salary_text=record.salary_raw,
        all_remote_board=all_remote_board,
        source_sector=source_sector,
    )


def parse_payload(
    body: bytes, kind: str, name: str = "Board", url: str = "https://feed.example/x"
) -> Iterator[tuple[FeedPosting, bool]]:
    """What the platform base yields for one payload: postings (and requests for further pages, ignored here)."""
    from scrapy.http import Request, TextResponse

    from crawlers.spiders import spider_for

    spider = spider_for(kind)(source_id=0, source_key="corpus", source_name=name, feed_url=url)
    response = TextResponse(url=url, body=body, status=200, encoding="utf-8", request=Request(url))
    for item in spider.parse(response):
        if isinstance(item, FeedPosting):
            yield item, spider.all_remote


def corpus_postings(path: Path, kind: str | None = None) -> list[PostingText]:
    """Every posting of a saved payload file, as classifier input (an unrecognised file gives none)."""
    from crawlers.recognise import Unrecognised, recognise_content

    body = path.read_bytes()
    try:
        kind = kind or recognise_content(body)
    except Unrecognised:
        return []
    out = []
    # Shaped like an API path: bases that read the board from their URL (Workable) find one.
    url = f"https://feed.example/accounts/{path.stem}/jobs"
    for feed, all_remote in parse_payload(body, kind, name=path.stem, url=url):
        out.append(posting_text(feed, normalise(feed), all_remote_board=all_remote))
    return out
