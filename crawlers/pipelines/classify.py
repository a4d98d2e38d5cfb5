from __future__ import annotations

from dataclasses import replace

from crawlers.classify.remote import classify_remote
from crawlers.classify.sector import classify_sector
from crawlers.classify.skills import extract_skills
from crawlers.items import Normalised
from crawlers.pipelines.base import CrawlerPipeline


def classify(item: Normalised, *, all_remote_board: bool, source_sector: str | None) -> Normalised:
    record, feed = item.record, item.feed
    return Normalised(
        feed=feed,
        record=replace(
            record,
            skills=tuple(extract_skills(record.title, record.description_text, feed.tags)),
            remote=classify_remote(
                # A flag, an enum value or free text: classify_remote tries it as structured, then falls through.
                structured=feed.remote,
                location=record.location or "",
                title=record.title,
                all_remote_board=all_remote_board,
            ),
            sector=classify_sector(record.company, record.description_text, default=source_sector),
        ),
    )


class ClassifyPipeline(CrawlerPipeline):
    def process_item(self, item: Normalised) -> Normalised:
        return classify(item, all_remote_board=self.spider.all_remote, source_sector=self.spider.sector)
