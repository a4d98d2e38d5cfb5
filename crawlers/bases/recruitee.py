"""Recruitee careers site API: ``GET {company}.recruitee.com/api/offers/``."""

from __future__ import annotations

from typing import Any

from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting

# Codes pair the hours with the contract ("fulltime_permanent", "parttime_fixed_term"); the hours are what
# employment type means here. Other codes ("freelance", "internship", ...) read as they are.
_HOURS = {"fulltime": "Full-time", "parttime": "Part-time"}


class RecruiteeSpider(FeedSpider):
    kind = "recruitee"

    def entries(self, response: Response) -> list[Any]:
        data = self.json(response)
        if not isinstance(data, dict) or not isinstance(data.get("offers"), list):
            raise FeedParseError('expected an object with an "offers" list')
        return data["offers"]

    def posting(self, offer: dict[str, Any]) -> FeedPosting:
        salary = offer.get("salary") or {}
        low, high = _amount(salary.get("min")), _amount(salary.get("max"))
        stated = low is not None or high is not None
        code = offer.get("employment_type_code")
        return FeedPosting(
            external_id=str(offer["id"]),
            # careers_url is canonical and is often the company's own domain (jobs.example.com/o/{slug}).
            url=offer["careers_url"],
            apply_url=offer.get("careers_apply_url"),
            title=offer["title"],
            company=offer.get("company_name") or self.source_name,
            description_html="\n".join(p for p in (offer.get("description"), offer.get("requirements")) if p),
            location=offer.get("location") or _place(offer),
            remote=_workplace(offer),
            # "YYYY-MM-DD HH:MM:SS UTC", left to the date parser; created_at is the draft's, not the publication's.
            date_posted=offer.get("published_at") or offer.get("created_at"),
            employment_type=_HOURS.get(str(code).split("_")[0], code) if code else None,
            salary_min=low,
            salary_max=high,
            salary_currency=salary.get("currency") if stated else None,
            salary_period=salary.get("period") if stated else None,
            valid_through=offer.get("close_at"),
            seniority=offer.get("experience_code") or None,
            tags=[t for t in [offer.get("department"), *(offer.get("tags") or [])] if isinstance(t, str) and t],
            raw=offer,
        )


def _place(offer: dict[str, Any]) -> str | None:
    return ", ".join(p for p in (offer.get("city"), offer.get("country")) if p) or None


def _workplace(offer: dict[str, Any]) -> str | None:
    # Hybrid first: a job open to hybrid work is often flagged remote as well, and the narrower flag is the truth.
    for flag, value in (("hybrid", "hybrid"), ("remote", "remote"), ("on_site", "onsite")):
        if offer.get(flag) is True:
            return value
    return None


def _amount(value: object) -> float | None:
    """Amounts come as strings; "0", "" and null all mean no figure was given."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None
