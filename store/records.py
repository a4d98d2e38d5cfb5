"""The normalised posting the store accepts. Crawlers build these; the store never sees a crawler type."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, fields
from datetime import datetime
from functools import cached_property
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
    # Classification (crawlers/classify): allowed regions of a restricted remote job, level, back-end relevance and
    # visa sponsorship. A record that was never classified counts as a back-end posting, so it is shown.
    remote_regions: tuple[str, ...] = ()
    seniority: str = "unknown"
    is_backend: bool = True
    visa_sponsorship: str = "not_stated"
    # The salary as the feed's structured fields gave it; salary_min .. salary_period above hold the salary as
    # classification read it (from these, or from the salary text or the description), and these its yearly figures.
    salary_min_raw: float | None = None
    salary_max_raw: float | None = None
    salary_currency_raw: str | None = None
    salary_period_raw: str | None = None
    salary_annual_min: float | None = None
    salary_annual_max: float | None = None
    # Why each classification came out as it did: {"remote": [{"field": "location", "text": "Remote (US)"}], ...}.
    evidence: dict[str, list[dict[str, str]]] = field(default_factory=dict)
    # Dedupe across sources: the posting's URL without tracking parameters, and a company + title + location key.
    canonical_url: str | None = None
    fingerprint: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)

    @cached_property
    def raw_json(self) -> str:
        """The raw payload as JSON text, serialised once for both the content hash and the ``raw`` column.

        Keys are sorted: PostgreSQL's JSONB keeps its own key order, and a payload read back must hash as it did.
        """
        return json.dumps(self.raw, ensure_ascii=False, sort_keys=True, default=_jsonable)

    def content_hash(self) -> str:
        """A stable digest of everything stored, so a re-crawl can tell changed from unchanged.

        Each field is framed by its type and length, so no two different records frame alike. The raw payload is
        hashed as serialised for storage.
        """
        parts: list[str] = []
        for name in _NAMES:
            value = self.raw_json if name == "raw" else getattr(self, name)
            if isinstance(value, str):
                parts.append(f"s{len(value)}:")
                parts.append(value)
            elif value is None:
                parts.append("n")
            elif isinstance(value, datetime):
                parts.append(f"d{value.isoformat()};")
            elif isinstance(value, tuple):
                parts.append(f"t{len(value)}:")
                parts.extend(f"{len(item)}:{item}" for item in value)
            elif isinstance(value, dict):
                blob = json.dumps(value, ensure_ascii=False, sort_keys=True, default=_jsonable)
                parts.append(f"j{len(blob)}:")
                parts.append(blob)
            else:
                parts.append(f"{type(value).__name__}{value!r};")
        return hashlib.sha256("".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


_NAMES = tuple(f.name for f in fields(PostingRecord))


def _jsonable(value: object) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value)
