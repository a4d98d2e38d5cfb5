"""Reading the source forms: every field checked, every problem a message beside its field, nothing raised."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from werkzeug.datastructures import MultiDict

from config.sources import platform_terms, valid_key
from config.taxonomy import sector_names

MAX_INTERVAL_MINUTES = 30 * 24 * 60
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")


def whole_number(raw: str, low: int, high: int) -> int | None:
    """``raw`` as an int within [low, high], or None (ASCII digits only: "²" is a digit to str.isdigit)."""
    if not raw.isascii() or not raw.isdigit() or len(raw) > 9:
        return None
    value = int(raw)
    return value if low <= value <= high else None


def url_problem(url: str, what: str = "The URL") -> str | None:
    """Why ``url`` can't be a feed or terms address: not http(s), no host, too long, or spaces in it."""
    if len(url) > 2000:
        return f"{what} is too long (at most 2,000 characters)."
    if _SPACE_OR_CONTROL.search(url):
        return f"{what} can't contain spaces or line breaks."
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return f"{what} must be an http or https address."
    return None


@dataclass
class SourceFields:
    """What the form said (to show it again) and, when ``ok``, the values to save."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    name: str = ""
    key: str | None = None
    sector: str | None = None
    interval_minutes: int = 0
    terms: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


FIELDS = (
    "name", "key", "sector", "interval_minutes", "min_interval_minutes", "attribution", "republish_jobposting",
    "terms_url",
)  # fmt: skip


def initial_values(
    *, name: str, kind: str, key: str = "", sector: str | None = None, interval: int | None = None,
    terms: dict[str, Any] | None = None,
) -> dict[str, str]:  # fmt: skip
    """The form's fields for a source of this kind: its own values, else the platform's terms."""
    # A source saved without some term (an old row, a bare import) shows the platform's.
    terms = {**platform_terms(kind), **(terms or {})}
    minimum = int(terms.get("min_interval_minutes", 0) or 0)
    return {
        "name": name,
        "key": key,
        "sector": sector or "",
        "interval_minutes": str(interval if interval is not None else max(360, minimum)),
        "min_interval_minutes": str(minimum),
        "attribution": str(terms.get("attribution", "")),
        "republish_jobposting": "1" if terms.get("republish_jobposting") else "",
        "terms_url": str(terms.get("terms_url", "")),
    }


def _minutes(raw: str, label: str, errors: dict[str, str], name: str, low: int) -> int:
    if not raw.isascii() or not raw.isdigit():
        errors[name] = f"{label} must be a whole number of minutes."
        return 0
    value = whole_number(raw, low, MAX_INTERVAL_MINUTES)
    if value is None:
        errors[name] = f"{label} must be between {low} and {MAX_INTERVAL_MINUTES} minutes (30 days)."
        return 0
    return value


def read_source_fields(form: MultiDict[str, str], *, with_key: bool) -> SourceFields:
    values = {name: form.get(name, "").strip() for name in FIELDS}
    values["republish_jobposting"] = "1" if form.get("republish_jobposting") else ""
    read = SourceFields(values)
    errors = read.errors

    name = values["name"]
    if not name:
        errors["name"] = "Give the source a name: the employer or board as people know it."
    elif len(name) > 200 or _CONTROL.search(name):
        errors["name"] = "The name must be at most 200 characters, on one line."
    read.name = name

    if with_key and values["key"]:
        if not valid_key(values["key"]):
            errors["key"] = "A key is lower-case letters, digits and dashes (at most 100), not starting with a dash."
        read.key = values["key"]

    sector = values["sector"]
    if sector and sector not in sector_names():
        errors["sector"] = "Choose a sector from the list, or none."
    read.sector = sector or None

    minimum = _minutes(values["min_interval_minutes"], "The minimum interval", errors, "min_interval_minutes", 1)
    interval = _minutes(values["interval_minutes"], "The interval", errors, "interval_minutes", 1)
    if "interval_minutes" not in errors and "min_interval_minutes" not in errors and interval < minimum:
        errors["interval_minutes"] = f"The interval can't be below the platform's minimum of {minimum} minutes."
    read.interval_minutes = interval

    attribution = values["attribution"]
    if len(attribution) > 500 or _CONTROL.search(attribution):
        errors["attribution"] = "The attribution must be at most 500 characters, on one line."
    terms_url = values["terms_url"]
    problem = url_problem(terms_url, "The terms URL") if terms_url else None
    if problem:
        errors["terms_url"] = problem
    read.terms = {
        "min_interval_minutes": minimum,
        "attribution": attribution,
        "republish_jobposting": bool(values["republish_jobposting"]),
        "terms_url": terms_url,
    }
    return read


PLATFORM_LABELS = {
    "greenhouse": "Greenhouse",
    "lever": "Lever",
    "ashby": "Ashby",
    "workable": "Workable",
    "smartrecruiters": "SmartRecruiters",
    "recruitee": "Recruitee",
    "personio": "Personio",
    "remoteok": "Remote OK",
    "remotive": "Remotive",
    "arbeitnow": "Arbeitnow",
    "jobicy": "Jobicy",
    "himalayas": "Himalayas",
    "weworkremotely": "We Work Remotely",
    "hn": "Hacker News “Who is hiring?”",
    "rss": "RSS or Atom feed",
    "jsonld": "Careers page or sitemap with JobPosting markup",
}


def platform_label(kind: str) -> str:
    return PLATFORM_LABELS.get(kind, kind)
