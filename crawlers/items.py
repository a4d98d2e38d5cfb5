"""What a spider yields: a posting as the feed said it, before normalisation and classification."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from store.records import PostingRecord


@dataclass
class FeedPosting:
    """Raw values from one feed item, already decoded from the format's own escaping (HTML is HTML).

    Field names follow schema.org JobPosting where one fits; ``raw`` is the item exactly as parsed from the payload.
    """

    external_id: str
    url: str
    title: str
    company: str
    description_html: str = ""
    apply_url: str | None = None
    location: str | None = None
    # The feed's own remote signal: a boolean, an enum value such as "hybrid", or free text such as "USA Only".
    remote: str | bool | None = None
    date_posted: str | int | float | None = None
    employment_type: str | None = None
    salary_min: float | None = None
    salary_max: float | None = None
    salary_currency: str | None = None
    salary_period: str | None = None
    salary_text: str | None = None
    tags: list[str] = field(default_factory=list)
    # When the posting stops accepting applications (JSON-LD validThrough, Himalayas expiryDate, WWR expires_at).
    valid_through: str | int | float | None = None
    # Where a remote worker may live, as the feed states it: ["USA"], ["Europe", "UTC-3 to UTC+3"], "Worldwide".
    remote_regions: list[str] = field(default_factory=list)
    # The feed's own seniority value, if it has one (Personio <seniority>, Himalayas seniority[], Jobicy jobLevel).
    seniority: str | None = None
    # The employer's own site, when the feed gives one.
    company_url: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)
    # True when ``description_html`` is what the platform base's ``description_from_raw(raw)`` gives: the store then
    # keeps the description once, inside ``raw``, rather than again as ``description_raw``.
    description_in_raw: bool = False


@dataclass
class Normalised:
    """A feed posting and the record it becomes; classification refines ``record`` in place of the next stage."""

    feed: FeedPosting
    record: PostingRecord
