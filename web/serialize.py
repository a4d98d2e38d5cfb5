from __future__ import annotations

from typing import Any

from store.models import Posting


def posting_summary(posting: Posting) -> dict[str, Any]:
    return {
        "id": posting.id,
        "title": posting.title,
        "company": posting.company,
        "location": posting.location,
        "remote": posting.remote,
        "sector": posting.sector,
        "skills": [s.skill for s in posting.skills],
        "employment_type": posting.employment_type,
        "remote_regions": list(posting.remote_regions or []),
        "seniority": posting.seniority,
        "is_backend": posting.is_backend,
        "visa_sponsorship": posting.visa_sponsorship,
        "salary": _salary(posting),
        "posted_at": posting.posted_at.isoformat() if posting.posted_at else None,
        "first_seen_at": posting.first_seen_at.isoformat(),
        "closed_at": posting.closed_at.isoformat() if posting.closed_at else None,
        "url": posting.url,
        "apply_url": posting.apply_url or posting.url,
        "source": posting.source.key,
    }


def posting_detail(posting: Posting) -> dict[str, Any]:
    return {
        **posting_summary(posting),
        "description_html": posting.description_html,
        "description_text": posting.description_text,
        "evidence": posting.evidence or {},
    }


def _salary(posting: Posting) -> dict[str, Any] | None:
    if posting.salary_min is None and posting.salary_max is None:
        return None
    return {
        "min": posting.salary_min,
        "max": posting.salary_max,
        "currency": posting.salary_currency,
        "period": posting.salary_period,
        "annual_min": posting.salary_annual_min,
        "annual_max": posting.salary_annual_max,
    }
