"""Real postings as classifier inputs: a saved feed payload parsed by its platform base and normalised.

Used by the benchmarks (``bench classify``, ``bench quality``) and the table tests, so all of them run on the same
texts the crawl pipeline sees. Nothing here runs during a crawl.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from crawlers.classify.posting import PostingText
from crawlers.items import FeedPosting
from crawlers.pipelines.classify import posting_text
from crawlers.pipelines.normalise import normalise
from store.records import PostingRecord


def corpus_url(path: Path) -> str:
    """A URL shaped like an API path, so that bases that read the board from their URL (Workable) find one."""
    board = re.sub(r"[^a-z0-9-]+", "-", path.stem.lower()).strip("-") or "file"
    return f"https://corpus.invalid/preview/accounts/{board}/jobs"


def board_name(path: Path) -> str:
    """The source name a crawl would have configured for a saved payload: the board slug its file name starts with
    ("highlightta" for ``ashby/highlightta_job_board_with_compensation.json``). Company-board feeds (Ashby, Lever,
    Greenhouse) do not name their company; the crawl takes it from the source."""
    return path.stem.split("_")[0] or path.stem


def parse_payload(
    body: bytes,
    kind: str,
    name: str = "Board",
    url: str = "https://feed.example/x",
    *,
    single_document: bool = True,
) -> Iterator[tuple[FeedPosting, bool]]:
    """What the platform base yields for one payload: postings, and whether its spider is an all-remote board.

    Read as ``jobsift preview --single-document`` reads it by default: one whole document, no further pages or detail
    requests (requests the base would make are ignored here).
    """
    from scrapy.http import Request, TextResponse

    from crawlers.spiders import spider_for

    spider = spider_for(kind)(
        source_id=0, source_key="corpus", source_name=name, feed_url=url, single_document=single_document
    )
    response = TextResponse(url=url, body=body, status=200, encoding="utf-8", request=Request(url))
    for item in spider.parse(response):
        if isinstance(item, FeedPosting):
            yield item, spider.all_remote


def corpus_records(path: Path, kind: str | None = None) -> dict[str, tuple[FeedPosting, PostingRecord, bool]]:
    """Every posting of one saved payload by external id (the first of repeats), with its normalised record and
    whether the spider is an all-remote board. The kind is recognised from the content unless given; an
    unrecognised file raises ``crawlers.recognise.Unrecognised``."""
    from crawlers.recognise import recognise_content

    body = path.read_bytes()
    kind = kind or recognise_content(body)
    postings: dict[str, tuple[FeedPosting, PostingRecord, bool]] = {}
    for feed, all_remote in parse_payload(body, kind, name=board_name(path), url=corpus_url(path)):
        if feed.external_id not in postings:
            postings[feed.external_id] = (feed, normalise(feed), all_remote)
    return postings


def corpus_postings(path: Path, kind: str | None = None) -> list[PostingText]:
    """Every posting of a saved payload file, as classifier input (an unrecognised file gives none)."""
    from crawlers.recognise import Unrecognised

    try:
        records = corpus_records(path, kind)
    except Unrecognised:
        return []
    return [posting_text(feed, record, all_remote_board=all_remote) for feed, record, all_remote in records.values()]
