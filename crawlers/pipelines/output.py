"""The last stage of a preview: each normalised posting as one JSON line on standard output, nothing stored."""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from crawlers.items import Normalised
from crawlers.pipelines.base import CrawlerPipeline


def preview_line(item: Normalised) -> dict[str, Any]:
    record = item.record
    salary = None
    if record.salary_min is not None or record.salary_max is not None:
        salary = {
            "min": record.salary_min,
            "max": record.salary_max,
            "currency": record.salary_currency,
            "period": record.salary_period,
            "annual_min": record.salary_annual_min,
            "annual_max": record.salary_annual_max,
        }
    return {
        "external_id": record.external_id,
        "title": record.title,
        "company": record.company,
        "location": record.location,
        "remote": record.remote,
        "remote_regions": list(record.remote_regions),
        "skills": list(record.skills),
        "sector": record.sector,
        "seniority": record.seniority,
        "is_backend": record.is_backend,
        "salary": salary,
        "salary_text": record.salary_raw,
        "posted_at": record.posted_at.isoformat().replace("+00:00", "Z") if record.posted_at else None,
        "valid_through": record.valid_through.isoformat().replace("+00:00", "Z") if record.valid_through else None,
        "url": record.url,
        "apply_url": record.apply_url or record.url,
        "employment_type": record.employment_type,
        "visa_sponsorship": record.visa_sponsorship,
        "description_text": record.description_text,
        "evidence": record.evidence,
    }


class JsonLinesPipeline(CrawlerPipeline):
    reader_gone = False

    def process_item(self, item: Normalised) -> Normalised:
        if self.reader_gone:
            return item
        try:
            sys.stdout.write(json.dumps(preview_line(item), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader stopped early (``| head``): like any Unix filter, stop writing quietly.
            self.reader_gone = True
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        self.count("previewed")
        return item
