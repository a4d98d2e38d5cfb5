"""RemoteOK API: ``GET remoteok.com/api``, a JSON array whose first element is a legal notice, not a job.

Quirks handled here (see corpus/FORMATS.md, "RemoteOK API"): descriptions (and some companies and locations) are
UTF-8 that was decoded as Latin-1 before being ``\\u``-escaped; every description ends with an anti-bot sentence whose
tag encodes the fetching client's IP; literal ``\\n`` pairs sit between tags; URLs use the mixed-case host
``remoteOK.com``; salary bounds of 0 mean unknown.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting
from crawlers.parsers.text_repair import (
    literal_newlines_to_newlines,
    positive_amount,
    repair_mojibake,
    required_id,
    required_text,
    strip_remoteok_antibot,
)

# The location is free text: a city ("San Francisco"), a country ("United States"), a remote marker with a region
# ("Remote - Americas", "Canada (Remote)") or empty. Only a location made entirely of remote markers and region names
# says where a remote worker may live; a city, or a city with its country ("Boston, MA, USA"), is where the job or the
# company sits, and is left to the location field alone. (Georgia is left out: on RemoteOK it is more often the state.)
_LOCATION_PARTS = re.compile(r"\s*(?:[,;|/()]|\s[-–—]\s)\s*")
_REMOTE_MARKER = re.compile(
    r"(?:\b(?:fully|100\s?%)\s+)?\bremot[eoa]\b(?:\s+(?:only|first|friendly|flexibility|ok|possible))?",
    re.IGNORECASE,
)
_WORLDWIDE = {"worldwide", "world wide", "anywhere", "anywhere in the world", "global", "globally", "international"}
_MACRO_REGIONS = {
    "americas", "north america", "northern america", "south america", "latin america", "latam", "central america",
    "caribbean", "europe", "eu", "eea", "emea", "eastern europe", "western europe", "central europe", "nordics",
    "scandinavia", "dach", "benelux", "apac", "asia", "asia pacific", "asia-pacific", "southeast asia", "south asia",
    "middle east", "mena", "africa", "oceania", "anz",
}  # fmt: skip
_COUNTRIES = frozenset(
    re.split(
        r"\s*\|\s*",
        """
    afghanistan|albania|algeria|andorra|angola|argentina|armenia|australia|austria|azerbaijan|bahamas|bahrain|
    bangladesh|barbados|belarus|belgium|belize|benin|bhutan|bolivia|bosnia and herzegovina|botswana|brazil|brunei|
    bulgaria|burkina faso|burundi|cambodia|cameroon|canada|cape verde|chad|chile|china|colombia|costa rica|croatia|
    cuba|cyprus|czechia|czech republic|denmark|dominican republic|ecuador|egypt|el salvador|estonia|eswatini|
    ethiopia|fiji|finland|france|gabon|gambia|germany|ghana|greece|guatemala|guinea|guyana|haiti|honduras|hong kong|
    hungary|iceland|india|indonesia|iran|iraq|ireland|israel|italy|ivory coast|côte d'ivoire|jamaica|japan|jordan|
    kazakhstan|kenya|kosovo|kuwait|kyrgyzstan|laos|latvia|lebanon|lesotho|liberia|libya|liechtenstein|lithuania|
    luxembourg|madagascar|malawi|malaysia|maldives|mali|malta|mauritius|mexico|moldova|monaco|mongolia|montenegro|
    morocco|mozambique|myanmar|namibia|nepal|netherlands|the netherlands|new zealand|nicaragua|niger|nigeria|
    north macedonia|norway|oman|pakistan|panama|papua new guinea|paraguay|peru|philippines|poland|portugal|
    puerto rico|qatar|romania|russia|rwanda|saudi arabia|senegal|serbia|sierra leone|singapore|slovakia|slovenia|
    somalia|south africa|south korea|korea|spain|sri lanka|sudan|suriname|sweden|switzerland|syria|taiwan|
    tajikistan|tanzania|thailand|togo|trinidad and tobago|tunisia|turkey|türkiye|turkmenistan|uganda|ukraine|
    united arab emirates|uae|united kingdom|uk|u.k.|great britain|england|scotland|wales|northern ireland|
    united states|united states of america|usa|us|u.s.|u.s.a.|uruguay|uzbekistan|venezuela|vietnam|viet nam|yemen|
    zambia|zimbabwe
""".strip(),
    )
)
_REGION_NAMES = _WORLDWIDE | _MACRO_REGIONS | _COUNTRIES


class RemoteOkSpider(FeedSpider):
    kind = "remoteok"
    all_remote = True

    def entries(self, response: Response) -> list[Any]:
        data = FeedSpider.json(response)
        if not isinstance(data, list):
            raise FeedParseError("expected a JSON array (legal notice, then jobs)")
        return data

    def posting(self, job: dict[str, Any]) -> FeedPosting | None:
        if not isinstance(job, dict):
            raise TypeError(f"expected an object, got {type(job).__name__}")
        # Element 0 is {"last_updated", "legal"}: no id and nothing of a job. A job-shaped element without an id
        # is a broken job, not a notice, and goes on to raise below.
        if job.get("id") in (None, "") and "position" not in job:
            return None
        location = repair_mojibake(job.get("location") or "").strip() or None
        description = repair_mojibake(job.get("description") or "")
        return FeedPosting(
            external_id=required_id(job, "id"),
            url=_lower_host(required_text(job, "url")),
            apply_url=_lower_host(job.get("apply_url") or "") or None,
            title=repair_mojibake(required_text(job, "position")).strip(),
            company=repair_mojibake(job.get("company") or "").strip() or self.source_name,
            description_html=strip_remoteok_antibot(literal_newlines_to_newlines(description)),
            location=location,
            # The board lists remote jobs only; an item carries no remote flag of its own.
            remote=None,
            date_posted=job.get("date") or job.get("epoch"),
            # 0 means unknown. The API names no currency or period; the site shows these fields in US dollars.
            # Most amounts look annual (30,000 to 474,400 in the captures), but some employers type an hourly rate
            # into the same fields (30/30; 25/27 for a job whose text says "$25 - $27 (per hour)"), so the period is
            # left to classification, which reads it from the amount.
            salary_min=positive_amount(job.get("salary_min")),
            salary_max=positive_amount(job.get("salary_max")),
            salary_currency="USD" if job.get("salary_min") or job.get("salary_max") else None,
            salary_period=None,
            tags=list(dict.fromkeys(t for t in (repair_mojibake(str(t)).strip() for t in job.get("tags") or []) if t)),
            remote_regions=_regions(location),
            raw=job,
        )


def _lower_host(url: str) -> str:
    """``https://remoteOK.com/remote-jobs/...`` with its host lower-cased; path and query keep their case."""
    if not url:
        return url
    parts = urlsplit(url.strip())
    return urlunsplit(parts._replace(netloc=parts.netloc.lower()))


def _regions(location: str | None) -> list[str]:
    """The regions a location names ("Remote - Americas" -> ["Americas"]), or [] when any part is not a region."""
    if not location:
        return []
    regions = []
    for part in _LOCATION_PARTS.split(location):
        name = _REMOTE_MARKER.sub("", part).strip(" -–—:")
        if not name:
            continue
        if name.lower() not in _REGION_NAMES:
            return []
        regions.append(name)
    return regions
