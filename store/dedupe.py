"""One job seen on several boards is one listing: the keys that find such postings, and the rule that accepts a match.

A company board, RemoteOK and We Work Remotely may all carry the same opening. Two keys find candidates:
- the canonical URL of where one applies (tracking parameters, fragments, ``www.`` and a trailing ``/apply`` dropped),
  since a remote board's apply link usually leads to the company's own ATS page;
- a fingerprint of the company and the title, each normalised ("Sr. Back-end Engineer (m/f/d) - Remote" and
  "Senior Backend Engineer" are one title).

A candidate is accepted only when the titles agree and the locations do not contradict each other, so two openings
with one title in two cities stay apart, as do two roles behind one generic careers link. Postings of one source are
never merged: a board that lists a title twice means two openings.
"""

from __future__ import annotations

import functools
import hashlib
import re
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from config.taxonomy import normalize_company

# Query parameters that say where a visitor came from, not which job it is.
_TRACKING = re.compile(
    r"^(?:utm_\w+|ref|referrer|refid|source|src|trk|trackingid|gclid|fbclid|msclkid|mc_cid|mc_eid|_hsenc|_hsmi"
    r"|lever-source|lever-origin|gh_src|ashby_source|sourcetype|campaign)$",
    re.IGNORECASE,
)
# The application form of a posting is the posting: ".../jobs/123/apply" is ".../jobs/123".
_APPLY_SUFFIX = re.compile(r"/(?:apply|application|applications/new)/?$", re.IGNORECASE)
# Paths that are a careers page, not one job: a link to them identifies no posting.
_GENERIC_PATH = re.compile(r"^/?(?:(?:careers?|jobs?|join(?:-us)?|work-with-us|about)/?)?$", re.IGNORECASE)

_GENDER = re.compile(r"\(\s*[mwfdx]\s*/\s*[mwfdx](?:\s*/\s*[mwfdx])?\s*\)|\b[mwf]/[mwf]/[dx]\b", re.IGNORECASE)
_WORKPLACE_SEGMENT = re.compile(
    r"\s*(?:[-–—|:,]\s*|\(|\[)\s*(?:fully\s+)?(?:remote|hybrid|on-?site|anywhere|worldwide)\b[^)\]]*[)\]]?\s*$",
    re.IGNORECASE,
)
_TITLE_WORDS = {
    "sr": "senior",
    "snr": "senior",
    "jr": "junior",
    "jnr": "junior",
    "eng": "engineer",
    "engr": "engineer",
    "dev": "developer",
    "mgr": "manager",
}
_JOINED = [
    (re.compile(r"\bback[\s-]+end\b"), "backend"),
    (re.compile(r"\bfront[\s-]+end\b"), "frontend"),
    (re.compile(r"\bfull[\s-]+stack\b"), "fullstack"),
    (re.compile(r"\bdev[\s-]?ops\b"), "devops"),
]
_PLACE_WORDS = re.compile(r"[a-z]{3,}")
# Words of a location that name no place.
_NOT_PLACES = frozenset(
    {"remote", "hybrid", "onsite", "site", "office", "anywhere", "worldwide", "only", "based", "within", "from",
     "and", "the", "time", "zone", "zones", "timezone", "flexible", "global", "multiple", "locations", "location",
     "work", "home", "first", "friendly", "candidates", "country", "countries"}
)  # fmt: skip


def canonical_url(url: str | None) -> str | None:
    """The address of a posting without what varies between links to it; None for no URL or a generic page."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    host = parts.hostname.lower().removeprefix("www.")
    path = _APPLY_SUFFIX.sub("", parts.path).rstrip("/")
    query = sorted((k, v) for k, v in parse_qsl(parts.query, keep_blank_values=False) if not _TRACKING.match(k))
    if _GENERIC_PATH.match(path) and not query:
        return None
    return urlunsplit(("https", host, path, urlencode(query), ""))


@functools.lru_cache(maxsize=8192)
def normalise_title(title: str) -> str:
    """A title as a key: case, punctuation, gender marks, a trailing workplace segment and abbreviations folded."""
    text = _GENDER.sub(" ", title)
    text = _WORKPLACE_SEGMENT.sub("", text).casefold()
    for pattern, replacement in _JOINED:
        text = pattern.sub(replacement, text)
    words = re.sub(r"[^\w+#]+", " ", text).split()
    return " ".join(_TITLE_WORDS.get(word, word) for word in words)


def fingerprint(company: str, title: str) -> str | None:
    """A key of company and title, the same for one job however a board writes them; None when either is empty."""
    company_key, title_key = normalize_company(company), normalise_title(title)
    if not company_key or not title_key:
        return None
    return hashlib.sha256(f"{company_key}\x1f{title_key}".encode()).hexdigest()[:32]


@functools.lru_cache(maxsize=8192)
def _places(location: str | None) -> frozenset[str]:
    return frozenset(w for w in _PLACE_WORDS.findall((location or "").casefold()) if w not in _NOT_PLACES)


def same_listing(title_a: str, location_a: str | None, title_b: str, location_b: str | None) -> bool:
    """Whether two postings found by a shared key are one job: same title, and places that do not contradict.

    Locations contradict when both name places and share none ("Berlin" and "London"); a location that names no place
    ("Remote", empty) contradicts nothing.
    """
    if normalise_title(title_a) != normalise_title(title_b):
        return False
    places_a, places_b = _places(location_a), _places(location_b)
    return not (places_a and places_b and not places_a & places_b)
