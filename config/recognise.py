"""Which platform a pasted URL or a payload belongs to, and the feed URL to crawl for it.

Admins paste what they see in a browser (``https://boards.greenhouse.io/gitlab``, ``https://jobs.lever.co/palantir``);
jobsift crawls the platform's API (``https://boards-api.greenhouse.io/v1/boards/gitlab/jobs?content=true``). A URL
that names no known platform is recognised from its content instead.

Pure functions over text (no fetching), so the command line, the crawlers and the web admin share one rule. They live in
``config`` because the web may not import crawler code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Recognised:
    kind: str
    feed_url: str
    board: str | None = None


class Unrecognised(ValueError):
    """Neither the URL nor the content says which platform this is."""


class NotASource(ValueError):
    """A URL that can't be a source as given; the message says why, for people."""


def _first_segment(path: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    return parts[0] if parts else None


def _after(path: str, marker: str) -> str | None:
    parts = [p for p in path.split("/") if p]
    if marker in parts and parts.index(marker) + 1 < len(parts):
        return parts[parts.index(marker) + 1]
    return None


def recognise_url(url: str) -> Recognised | None:
    """The platform and feed URL for a known job-board URL, or None when the host is no known platform."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path
    if host == "boards-api.greenhouse.io":
        return Recognised("greenhouse", url, _after(path, "boards"))
    if host in {"boards.greenhouse.io", "job-boards.greenhouse.io", "job-boards.eu.greenhouse.io"}:
        board = _first_segment(path) if _first_segment(path) != "embed" else None
        if board:
            return Recognised(
                "greenhouse", f"https://boards-api.greenhouse.io/v1/boards/{board}/jobs?content=true", board
            )
    if host in {"api.lever.co", "api.eu.lever.co"}:
        return Recognised("lever", url, _after(path, "postings"))
    if host in {"jobs.lever.co", "jobs.eu.lever.co"} and _first_segment(path):
        api = "api.eu.lever.co" if ".eu." in host else "api.lever.co"
        board = _first_segment(path)
        return Recognised("lever", f"https://{api}/v0/postings/{board}?mode=json", board)
    if host == "api.ashbyhq.com":
        return Recognised("ashby", url, _after(path, "job-board"))
    if host == "jobs.ashbyhq.com" and _first_segment(path):
        board = _first_segment(path)
        return Recognised(
            "ashby", f"https://api.ashbyhq.com/posting-api/job-board/{board}?includeCompensation=true", board
        )
    if host == "apply.workable.com":
        board = _after(path, "accounts") or _first_segment(path)
        if board and board != "api":
            return Recognised("workable", f"https://apply.workable.com/api/v3/accounts/{board}/jobs", board)
    if host == "api.smartrecruiters.com":
        return Recognised("smartrecruiters", url, _after(path, "companies"))
    if host in {"jobs.smartrecruiters.com", "careers.smartrecruiters.com"} and _first_segment(path):
        board = _first_segment(path)
        feed = f"https://api.smartrecruiters.com/v1/companies/{board}/postings?limit=100&offset=0"
        return Recognised("smartrecruiters", feed, board)
    if host.endswith(".recruitee.com"):
        board = host.removesuffix(".recruitee.com")
        return Recognised("recruitee", f"https://{board}.recruitee.com/api/offers/", board)
    match = re.fullmatch(r"([a-z0-9-]+)\.jobs\.personio\.(de|com)", host)
    if match:
        return Recognised("personio", f"https://{host}/xml?language=en", match.group(1))
    if host == "remoteok.com":
        return Recognised("remoteok", "https://remoteok.com/api")
    if host == "remotive.com":
        return Recognised("remotive", url if "/api/" in path else "https://remotive.com/api/remote-jobs")
    if host == "arbeitnow.com":
        return Recognised("arbeitnow", url if "/api/" in path else "https://www.arbeitnow.com/api/job-board-api")
    if host == "jobicy.com":
        return Recognised("jobicy", url if "/api/" in path else "https://jobicy.com/api/v2/remote-jobs?count=100")
    if host == "himalayas.app":
        return Recognised("himalayas", url if "/api" in path else "https://himalayas.app/jobs/api?limit=20&offset=0")
    if host == "weworkremotely.com":
        feed = url if path.endswith(".rss") else "https://weworkremotely.com/remote-jobs.rss"
        return Recognised("weworkremotely", feed)
    if host in {"hn.algolia.com", "news.ycombinator.com"}:
        feed = (
            url
            if host == "hn.algolia.com"
            else "https://hn.algolia.com/api/v1/search_by_date?tags=story,author_whoishiring"
        )
        return Recognised("hn", feed)
    return None


def recognise_content(body: bytes) -> str:
    """The platform a payload comes from, by its shape; raises Unrecognised with the reason."""
    text = body.lstrip(b"\xef\xbb\xbf \t\r\n")[:2_000_000]
    head = text[:2048].lower()
    if head.startswith((b"<?xml", b"<rss", b"<feed", b"<workzag", b"<urlset", b"<sitemapindex")):
        if b"<workzag-jobs" in head:
            return "personio"
        if b"<urlset" in head or b"<sitemapindex" in head:
            return "jsonld"
        if b"weworkremotely.com" in text[:20_000]:
            return "weworkremotely"
        return "rss"
    if head.startswith((b"<!doctype html", b"<html")) or b"<head" in head:
        return "jsonld"
    try:
        data = json.loads(text)
    except ValueError:
        raise Unrecognised("the content is neither JSON, XML nor HTML") from None
    kind = _json_kind(data)
    if kind is None:
        raise Unrecognised("the JSON matches no known job-feed format")
    return kind


def _json_kind(data: object) -> str | None:
    if isinstance(data, list):
        objects = [d for d in data[:3] if isinstance(d, dict)]
        first = objects[0] if objects else {}
        if any("legal" in d or "position" in d for d in objects):
            return "remoteok"
        if "hostedUrl" in first or "postings" in first:
            return "lever"
        return None
    if not isinstance(data, dict):
        return None
    jobs = data.get("jobs")
    first = jobs[0] if isinstance(jobs, list) and jobs and isinstance(jobs[0], dict) else {}
    if "hits" in data and ("nbHits" in data or "nbPages" in data):
        return "hn"
    if "children" in data and ("story_id" in data or "title" in data):
        return "hn"
    if "offers" in data:
        return "recruitee"
    if "content" in data and "totalFound" in data:
        return "smartrecruiters"
    if "results" in data and "total" in data:
        return "workable"
    if "data" in data and isinstance(data["data"], list):
        return "arbeitnow"
    if "0-legal-notice" in data or "job-count" in data or "candidate_required_location" in first:
        return "remotive"
    if "jobGeo" in first or "jobSlug" in first or "friendlyNotice" in data:
        return "jobicy"
    if "totalCount" in data or "applicationLink" in first:
        return "himalayas"
    if "absolute_url" in first or ("meta" in data and isinstance(jobs, list)):
        return "greenhouse"
    if "jobUrl" in first or "apiVersion" in data:
        return "ashby"
    return None


def resolve_source_url(url: str, kind: str | None = None) -> Recognised:
    """The platform, feed URL and board of a pasted URL, optionally with the platform given.

    A URL of a known platform becomes that platform's feed (unless another ``kind`` is given, which takes the URL as
    the feed itself); a URL of no known platform needs ``kind``. Raises NotASource with a message for people.
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise NotASource(f"{url}: only http and https URLs can be sources")
    recognised = recognise_url(url)
    if recognised is not None and (kind is None or kind == recognised.kind):
        return recognised
    if kind is not None:
        return Recognised(kind, url)
    raise NotASource(f"{url}: not a job board jobsift recognises")


def kind_from_path(url: str) -> str:
    """For a URL of no known platform: a feed if its path says so, else a page with JobPosting markup."""
    path = url.split("?")[0].lower()
    if path.endswith((".rss", ".atom", "/feed", "/rss", "feed.xml", "rss.xml")):
        return "rss"
    return "jsonld"
