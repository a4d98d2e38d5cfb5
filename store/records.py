"""The normalised posting the store accepts. Crawlers build these; the store never sees a crawler type."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class PostingRecord:
    external_id: str
    url: str
    title: str
    title_raw: str
    company: str
    company_raw: str | None = None
    apply_url: str | None = None
    location: str | None = None
    location_raw: str | None = None
    remote: str = "unknown"
    remote_raw: str | None = None
    sector: str = "Other"
    employment_type: str | None = None
    employment_type_raw: str | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = None
    salary_raw: str | None = None
    description_html: str = ""
    description_text: str = ""
    description_raw: str | None = None
    posted_at: datetime | None = None
    posted_raw: str | None = None
    valid_through: datetime | None = None
    valid_through_raw: str | None = None
    remote_regions_raw: tuple[str, ...] = ()
    tags_raw: tuple[str, ...] = ()
    seniority_raw: str | None = None
    company_url: str | None = None
    skills: tuple[str, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict)

    def content_hash(self) -> str:
        """A stable digest of everything stored, so a re-crawl can tell changed from unchanged."""
        # A shallow field map: dataclasses.asdict would deep-copy the raw payload first, for nothing.
        payload = {f.name: getattr(self, f.name) for f in _FIELDS}
        blob = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=_jsonable, separators=(",", ":"))
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


_FIELDS = fields(PostingRecord)


def _jsonable(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)
