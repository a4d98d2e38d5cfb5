"""schema.org JobPosting markup for a posting page, for sources whose terms allow republishing it.

Remotive and Jobicy forbid passing their listings to Google Jobs, so their sources carry
``republish_jobposting = false`` (config/sources.toml) and their pages get no markup.
"""

from __future__ import annotations

from typing import Any

from store.models import Posting

_EMPLOYMENT = {
    "full_time": "FULL_TIME",
    "part_time": "PART_TIME",
    "contract": "CONTRACTOR",
    "temporary": "TEMPORARY",
    "internship": "INTERN",
}
_UNIT = {"year": "YEAR", "month": "MONTH", "week": "WEEK", "day": "DAY", "hour": "HOUR"}


def may_republish(posting: Posting) -> bool:
    return bool((posting.source.terms or {}).get("republish_jobposting", False))


def job_posting(posting: Posting, page_url: str) -> dict[str, Any] | None:
    """The JobPosting object for a posting, or None when its source's terms do not allow it."""
    if not may_republish(posting):
        return None
    data: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": posting.title,
        "description": posting.description_html or posting.description_text,
        "identifier": {"@type": "PropertyValue", "name": posting.source.name, "value": posting.external_id},
        "datePosted": (posting.posted_at or posting.first_seen_at).date().isoformat(),
        "hiringOrganization": {
            "@type": "Organization",
            "name": posting.company,
            **({"sameAs": posting.company_url} if posting.company_url else {}),
        },
        "url": page_url,
        "directApply": False,
    }
    if posting.valid_through:
        data["validThrough"] = posting.valid_through.isoformat()
    if posting.employment_type in _EMPLOYMENT:
        data["employmentType"] = _EMPLOYMENT[posting.employment_type]
    if posting.remote == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
        regions = list(posting.remote_regions or [])
        data["applicantLocationRequirements"] = [
            {"@type": "AdministrativeArea", "name": region} for region in regions
        ] or {"@type": "AdministrativeArea", "name": "Anywhere"}
    if posting.location and posting.remote != "remote":
        data["jobLocation"] = {
            "@type": "Place",
            "address": {"@type": "PostalAddress", "addressLocality": posting.location},
        }
    if posting.salary_currency and (posting.salary_min or posting.salary_max) and posting.salary_period in _UNIT:
        value: dict[str, Any] = {"@type": "QuantitativeValue", "unitText": _UNIT[posting.salary_period]}
        if posting.salary_min:
            value["minValue"] = posting.salary_min
        if posting.salary_max:
            value["maxValue"] = posting.salary_max
        data["baseSalary"] = {"@type": "MonetaryAmount", "currency": posting.salary_currency, "value": value}
    return data
