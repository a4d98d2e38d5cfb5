"""Any site that marks its job pages up with schema.org JobPosting (JSON-LD, or microdata where there is no JSON-LD).

The source's feed URL is one of:

(a) a job page: its JobPostings are the postings;
(b) a listing page without JobPostings: links on it that look like job pages (same host; see
    :func:`looks_like_job_url`; at most ``MAX_LISTING_LINKS``) are fetched, one level deep, and their JobPostings are
    the postings. A listing with no such link is a complete crawl with zero postings;
(c) a sitemap (``<urlset>``, or ``<sitemapindex>`` whose child sitemaps are fetched too, gzipped or not): every
    same-host ``<loc>`` page is fetched (at most ``MAX_SITEMAP_URLS`` URLs, child sitemaps included).

Completeness follows FeedSpider: the feed URL is the only "page" and every other fetch is a detail; any detail or
child sitemap that doesn't answer 200 fails the crawl, and so does a cap being reached (the postings beyond it were
not seen, so none may be closed). A fetched job page with nothing usable on it (no JobPosting, not HTML) is skipped,
not an error: listing and sitemap links are guesses.
"""

from __future__ import annotations

import html
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar
from urllib.parse import parse_qsl, urldefrag, urljoin, urlsplit

from lxml import etree
from lxml.html import HtmlElement
from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting
from crawlers.parsers.jsonld import NotHtml, PageJobs, base_url, page_jobs, parse_html

MAX_LISTING_LINKS = 500
MAX_SITEMAP_URLS = 5000
# A gzipped sitemap may inflate to this much and no more (the protocol's own limit is 50 MB uncompressed).
MAX_SITEMAP_BYTES = 50 * 1024 * 1024

_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
_LOOKS_HTML = re.compile(rb"<\s*(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE)
_PAGE_ERRORS = (FeedParseError, NotHtml, ValueError, KeyError, TypeError, AttributeError, IndexError)

# Link heuristic, for listing pages. A path segment that names a job collection ...
_JOB_SEGMENTS = {
    "job", "jobs", "career", "careers", "position", "positions", "vacancy", "vacancies", "opening", "openings",
    "role", "roles", "offer", "offers", "stellenangebote", "stellen", "emplois", "empleos", "vagas",
}  # fmt: skip
# ... followed by one more segment that is not itself an index or a filter page ...
_NOT_JOB_PAGES = {
    "search", "category", "categories", "tag", "tags", "page", "feed", "rss", "atom", "location", "locations",
    "department", "departments", "team", "teams", "all", "index", "index.html", "filter", "alerts", "login",
}  # fmt: skip
# ... or a one-segment job page such as "/job-1234-backend-engineer" or "/viewjob?jk=...", or a query naming a job id.
_JOB_SLUG = re.compile(r"^(?:view-?job|job-?detail|jobs?[-_])", re.IGNORECASE)
_JOB_QUERY_KEYS = {"jk", "vjk", "gh_jid", "jobid", "job_id", "jobId", "jid", "posting_id", "lever-source"}

_PERIODS = {
    "year": "year", "years": "year", "yearly": "year", "annual": "year", "annually": "year", "ann": "year",
    "month": "month", "months": "month", "monthly": "month", "mon": "month",
    "week": "week", "weeks": "week", "weekly": "week", "wk": "week",
    "day": "day", "days": "day", "daily": "day",
    "hour": "hour", "hours": "hour", "hourly": "hour", "hr": "hour",
}  # fmt: skip


@dataclass(frozen=True)
class PageLink:
    """A URL to fetch: a page that may hold JobPostings, or a child sitemap."""

    url: str
    sitemap: bool = False


@dataclass(frozen=True)
class JobEntry:
    """One JobPosting found on a page, with what its posting needs from the page."""

    job: dict[str, Any]
    page_url: str
    canonical: str | None
    # Position among the page's JobPostings: the second and later ones without an identifier get "#2", "#3" ids.
    index: int = 0


class JsonLdSpider(FeedSpider):
    kind = "jsonld"
    # This spider crawls web pages rather than a documented API, so it honours robots.txt.
    custom_settings: ClassVar[dict[str, Any]] = {"ROBOTSTXT_OBEY": True}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._followed: set[str] = {urldefrag(self.feed_url)[0]}
        self._sitemap_urls = 0

    # -- the feed URL ---------------------------------------------------------------------------------------------

    def entries(self, response: Response) -> list[PageLink | JobEntry]:
        body = _body(response)
        root = _sitemap_root(body)
        if root is not None:
            return self._sitemap_links(root, response.url)
        doc = _document(response, body)
        found = page_jobs(doc, response.url)
        if found.jobs:
            return _job_entries(found, response.url)
        return self._listing_links(doc, response.url)

    def detail_url(self, entry: PageLink | JobEntry) -> str | None:
        return entry.url if isinstance(entry, PageLink) else None

    def posting(self, entry: PageLink | JobEntry) -> FeedPosting | None:
        if isinstance(entry, PageLink):
            # Reached only when the link's fetch failed, which has already made the crawl incomplete.
            return None
        return job_posting(entry, self.source_name)

    # -- details: job pages and child sitemaps --------------------------------------------------------------------

    def parse_detail(self, response: Response, entry: PageLink) -> Iterator[FeedPosting | Any]:
        if not self._answered(response):
            return
        if entry.sitemap:
            try:
                root = _sitemap_root(_body(response))
                if root is None:
                    raise FeedParseError("not a sitemap")
                links = self._sitemap_links(root, response.url)
            except (*_PAGE_ERRORS, etree.LxmlError) as exc:
                # A child sitemap is part of the feed: without it we don't know every posting.
                self.fail("parse_error", f"{response.url}: unreadable child sitemap: {exc}")
                return
            for link in links:
                yield self.request(link.url, self.parse_detail, entry=link)
            return
        try:
            found = page_jobs(_document(response, _body(response)), response.url)
        except _PAGE_ERRORS as exc:
            self.logger.info("skipped %s: %s", response.url, exc)
            return
        for job in _job_entries(found, response.url):
            yield from self._emit(self.posting, job)

    # -- links ----------------------------------------------------------------------------------------------------

    def _sitemap_links(self, root: etree._Element, url: str) -> list[PageLink]:
        index = etree.QName(root).localname == "sitemapindex"
        links = []
        for child in root:
            if not isinstance(child.tag, str) or etree.QName(child).localname not in {"url", "sitemap"}:
                continue
            loc = next((c for c in child if isinstance(c.tag, str) and etree.QName(c).localname == "loc"), None)
            # A <loc> with anything but text in it (an unexpanded entity reference, markup) is not a URL we trust.
            if loc is None or len(loc) or not (loc.text or "").strip():
                continue
            target = self._follow(urljoin(url, loc.text.strip()))
            if target is None:
                continue
            if self._sitemap_urls >= MAX_SITEMAP_URLS:
                self.fail("too_many_links", f"{self.feed_url}: stopped after {MAX_SITEMAP_URLS} sitemap URLs")
                break
            self._sitemap_urls += 1
            links.append(PageLink(target, sitemap=index))
        return links

    def _listing_links(self, doc: HtmlElement, page_url: str) -> list[PageLink]:
        base = base_url(doc, page_url)
        links: list[PageLink] = []
        for anchor in doc.iter("a"):
            href = (anchor.get("href") or "").strip()
            if not href:
                continue
            url = urljoin(base, href)
            if not looks_like_job_url(url):
                continue
            target = self._follow(url)
            if target is None:
                continue
            if len(links) >= MAX_LISTING_LINKS:
                self.fail("too_many_links", f"{page_url}: more than {MAX_LISTING_LINKS} job links; stopped there")
                break
            links.append(PageLink(target))
        return links

    def _follow(self, url: str) -> str | None:
        """The URL to request, or None: another host, not http(s), or already requested in this crawl."""
        url = urldefrag(url)[0]
        parts = urlsplit(url)
        if parts.scheme not in {"http", "https"} or not same_site(url, self.feed_url):
            return None
        if url in self._followed:
            return None
        self._followed.add(url)
        return url


def same_site(url: str, other: str) -> bool:
    """Same host, counting "www.example.com" and "example.com" as one (sitemaps often mix them)."""
    a, b = urlsplit(url).hostname or "", urlsplit(other).hostname or ""
    return bool(a) and a.removeprefix("www.") == b.removeprefix("www.")


def looks_like_job_url(url: str) -> bool:
    """Whether a link on a listing page looks like one job's page.

    True for a path with a job-collection segment (jobs, careers, positions, vacancies, openings, roles, offers, ...)
    followed by at least one more segment that isn't an index or filter page ("/jobs/1234-backend",
    "/careers/engineering/backend-dev", not "/jobs", "/jobs/search", "/careers/tags/go"); for a segment starting with
    "job-", "jobs_", "viewjob" or "jobdetail" ("/job-1234.html", "/viewjob?jk=..."); and for a query naming a job id
    (jk, gh_jid, jobid, job_id, ...).
    """
    parts = urlsplit(url)
    if any(key in _JOB_QUERY_KEYS for key, _ in parse_qsl(parts.query)):
        return True
    segments = [s for s in parts.path.lower().split("/") if s]
    for position, segment in enumerate(segments):
        if segment in _JOB_SEGMENTS:
            following = segments[position + 1 :]
            if following and following[-1] not in _NOT_JOB_PAGES and not set(following) & _NOT_JOB_PAGES:
                return True
        elif _JOB_SLUG.match(segment):
            return True
    return False


# -- bodies -------------------------------------------------------------------------------------------------------


def _body(response: Response) -> bytes:
    body = response.body
    if body[:2] == b"\x1f\x8b":
        # A .xml.gz sitemap served as a file (not as Content-Encoding, which Scrapy already undid).
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            body = inflater.decompress(body, MAX_SITEMAP_BYTES)
        except zlib.error as exc:
            raise FeedParseError(f"bad gzip body ({exc})") from None
        if inflater.unconsumed_tail:
            raise FeedParseError(f"gzip body inflates beyond {MAX_SITEMAP_BYTES} bytes")
    return body


def _sitemap_root(body: bytes) -> etree._Element | None:
    """The root of a sitemap body, or None when the body is not XML (an HTML page). XML that isn't a sitemap raises."""
    head = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"<?xml") and not re.match(rb"<(?:\w+:)?(?:urlset|sitemapindex)\b", head):
        return None
    if head.startswith(b"<?xml") and not re.search(rb"<(?:\w+:)?(?:urlset|sitemapindex)\b", head[:4096]):
        if _LOOKS_HTML.search(head[:4096]):
            return None  # XHTML with an XML declaration
        raise FeedParseError("XML that is neither a sitemap nor an HTML page")
    try:
        root = etree.fromstring(head, parser=_XML_PARSER)
    except etree.XMLSyntaxError as exc:
        raise FeedParseError(f"sitemap is not well-formed XML ({exc})") from None
    if etree.QName(root).localname not in {"urlset", "sitemapindex"}:
        raise FeedParseError(f"expected <urlset> or <sitemapindex>, found <{etree.QName(root).localname}>")
    return root


def _text(response: Response, body: bytes) -> str:
    if body is not response.body:
        return body.decode("utf-8", errors="replace")
    try:
        return str(response.text)
    except AttributeError:
        # A plain Response: Scrapy saw a binary body.
        raise FeedParseError("binary body, not an HTML page") from None


def _document(response: Response, body: bytes) -> HtmlElement:
    """The body as an HTML document; FeedParseError for JSON, binary or anything without <html>/<head>/<body>."""
    stripped = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in {b"{", b"["}:
        raise FeedParseError("JSON, not an HTML page or a sitemap")
    if not _LOOKS_HTML.search(stripped[:100_000]):
        raise FeedParseError("not an HTML page or a sitemap (no <html>, <head> or <body>)")
    return parse_html(_text(response, body))


def _job_entries(found: PageJobs, page_url: str) -> list[JobEntry]:
    return [JobEntry(job, page_url, found.canonical, index) for index, job in enumerate(found.jobs)]


# -- one JobPosting -----------------------------------------------------------------------------------------------


def job_posting(entry: JobEntry, source_name: str) -> FeedPosting:
    """A JobPosting object as a posting. No title (nor name) is a malformed item: it raises."""
    job = entry.job
    title = _text_of(job.get("title")) or _text_of(job.get("name"))
    if not title:
        raise ValueError("a JobPosting without a title")
    page = entry.canonical or entry.page_url
    external_id = _identifier(job.get("identifier")) or page
    if entry.index and not _identifier(job.get("identifier")):
        external_id = f"{page}#{entry.index + 1}"
    organization = _first_of(job.get("hiringOrganization"))
    salary = _salary(job.get("baseSalary"))
    return FeedPosting(
        external_id=external_id,
        url=page,
        title=title,
        company=_organization_name(organization) or source_name,
        description_html=_description(job.get("description")),
        location=_location(job.get("jobLocation")),
        remote="remote" if _telecommute(job.get("jobLocationType")) else None,
        date_posted=_text_of(job.get("datePosted")) or None,
        valid_through=_text_of(job.get("validThrough")) or None,
        employment_type=_employment(job.get("employmentType")),
        salary_min=salary.low,
        salary_max=salary.high,
        salary_currency=salary.currency,
        salary_period=salary.period,
        salary_text=salary.text,
        remote_regions=_regions(job.get("applicantLocationRequirements")),
        company_url=_organization_url(organization),
        raw=job,
    )


def _text_of(value: Any) -> str:
    """A property's text: a string, a number, the first usable list element, or an object's name/@value/value."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return next((text for text in (_text_of(v) for v in value) if text), "")
    if isinstance(value, dict):
        for key in ("name", "@value", "value"):
            text = _text_of(value.get(key))
            if text:
                return text
    return ""


def _first_of(value: Any) -> Any:
    if isinstance(value, list):
        return next((v for v in value if v not in (None, "", {})), None)
    return value


def _identifier(value: Any) -> str:
    value = _first_of(value)
    if isinstance(value, dict):
        return _text_of(value.get("value") if "value" in value else value.get("@value"))
    return _text_of(value)


def _organization_name(organization: Any) -> str:
    if isinstance(organization, dict):
        return _text_of(organization.get("name")) or _text_of(organization.get("legalName"))
    return _text_of(organization)


def _organization_url(organization: Any) -> str | None:
    if not isinstance(organization, dict):
        return None
    for key in ("sameAs", "url"):
        values = organization.get(key)
        for value in values if isinstance(values, list) else [values]:
            if isinstance(value, str) and value.strip().lower().startswith(("http://", "https://")):
                return value.strip()
    return None


def _description(value: Any) -> str:
    text = value if isinstance(value, str) else _text_of(value)
    # Some sites escape the HTML once more ("&lt;p&gt;..."): undo that level only when no real tag is present.
    if "<" not in text and re.search(r"&lt;/?[a-zA-Z][^&]*&gt;", text):
        text = html.unescape(text)
    return text.strip()


def _location(value: Any) -> str | None:
    places = value if isinstance(value, list) else [value]
    found: list[str] = []
    for place in places:
        text = _place(place)
        if text and text not in found:
            found.append(text)
    return "; ".join(found) or None


def _place(place: Any) -> str:
    if isinstance(place, str):
        return place.strip()
    if not isinstance(place, dict):
        return ""
    address = _first_of(place.get("address"))
    if isinstance(address, str):
        return address.strip()
    if isinstance(address, dict):
        parts: list[str] = []
        for key in ("addressLocality", "addressRegion", "addressCountry"):
            part = _text_of(address.get(key))
            if part and part not in parts:
                parts.append(part)
        if parts:
            return ", ".join(parts)
    return _text_of(place.get("name"))


def _telecommute(value: Any) -> bool:
    values = value if isinstance(value, list) else [value]
    return any(isinstance(v, str) and v.strip().upper() == "TELECOMMUTE" for v in values)


def _regions(value: Any) -> list[str]:
    regions: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        text = _text_of(item)
        if text and text not in regions:
            regions.append(text)
    return regions


def _employment(value: Any) -> str | None:
    values = value if isinstance(value, list) else [value]
    texts = [t for t in (_text_of(v) for v in values) if t]
    return ", ".join(dict.fromkeys(texts)) or None


@dataclass
class _Salary:
    low: float | None = None
    high: float | None = None
    currency: str | None = None
    period: str | None = None
    text: str | None = None


def _salary(value: Any) -> _Salary:
    """MonetaryAmount: ``currency`` and a ``value`` that is a number, or a QuantitativeValue with minValue/maxValue
    (or a single value) and ``unitText`` (YEAR, MONTH, HOUR, ...), which becomes a lower-case period."""
    amount = _first_of(value)
    if not isinstance(amount, dict):
        return _Salary()
    result = _Salary(currency=_text_of(amount.get("currency")).upper() or None)
    unit = _text_of(amount.get("unitText"))
    quantity = _first_of(amount.get("value"))
    if isinstance(quantity, dict):
        unit = _text_of(quantity.get("unitText")) or unit
        result.currency = result.currency or _text_of(quantity.get("currency")).upper() or None
        result.low, result.high = _number(quantity.get("minValue")), _number(quantity.get("maxValue"))
        single = _number(quantity.get("value"))
    else:
        single = _number(quantity)
        if single is None and isinstance(quantity, str) and quantity.strip():
            result.text = quantity.strip()  # "Competitive", "DOE"
    if result.low is None and result.high is None and single is not None:
        result.low = result.high = single
    if unit and (result.low is not None or result.high is not None or result.text):
        result.period = _PERIODS.get(unit.strip().lower(), unit.strip().lower())
    return result


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", "").replace(" ", "")
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 and number == number and number != float("inf") else None


__all__ = ["JobEntry", "JsonLdSpider", "PageLink", "job_posting", "looks_like_job_url", "same_site"]
