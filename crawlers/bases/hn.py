"""Hacker News "Ask HN: Who is hiring?" threads, read through the Algolia HN API.

The source's feed URL is one of:

* a story search, e.g. ``https://hn.algolia.com/api/v1/search_by_date?tags=story,author_whoishiring``: the newest
  story titled "Ask HN: Who is hiring? (Month Year)" is picked (not "Who wants to be hired?" nor "Freelancer?"), then
  its comments are fetched from ``/api/v1/search?tags=comment,story_{ID}&hitsPerPage=1000`` (resolved against the
  search's own URL, so a mirror or a loopback server can serve it), following ``page``/``nbPages``;
* a comment search for one thread (``tags=comment,story_{ID}``), read as above without the story step;
* an item tree, ``/api/v1/items/{ID}``, whose direct ``children`` are the thread's top-level comments.

Completeness is FeedSpider's own: the story search is the first "page" and its :meth:`next_page` is the first comment
page, so ``_last_page_seen`` is only set once the last comment page has answered and parsed. A thread with more
comments than one Algolia search serves (1000 hits) is read as far as it goes and marked incomplete ("truncated").

Only top-level comments (``parent_id`` is the story) are postings: replies are questions and chatter. A comment's
first line, by the thread's convention "Company | Role | Location | REMOTE/ONSITE | Full-time | $salary | URL", gives
the fields; see :func:`split_first_line` for the rules.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import lxml.etree
import lxml.html
from scrapy.http import Response

from crawlers.bases.feed import FeedParseError, FeedSpider
from crawlers.items import FeedPosting

ITEM_URL = "https://news.ycombinator.com/item?id={id}"
COMMENTS_PATH = "/api/v1/search?tags=comment,story_{story_id}&hitsPerPage=1000"

# "Ask HN: Who is hiring? (May 2026)"; the other monthly threads ("Who wants to be hired?", "Freelancer? Seeking
# freelancer?") don't match.
_HIRING_TITLE = re.compile(r"^\s*Ask HN:\s*Who is hiring\?\s*\(\s*[A-Za-z]+\s+\d{4}\s*\)\s*$", re.IGNORECASE)
_DELETED_TEXTS = {"[deleted]", "[dead]", "[flagged]"}
# A top-level comment that says so at its start is deliberately not a posting ("Not hiring, but ...").
_NOT_A_JOB = re.compile(r"^\s*not\s+hiring\b", re.IGNORECASE)

# Separators, most reliable first: only the first kind present in the line is used.
_PIPE = re.compile(r"\s*\|+\s*")
_DASH = re.compile(r"\s+(?:--?|–|—)\s+")
_SLASH = re.compile(r"\s+/\s+")
_URL = re.compile(r"\bhttps?://[^\s|<>\"]+|\bwww\.[^\s|<>\"]+", re.IGNORECASE)
# A bare domain ("joinforage.com", "key.me"): only with a TLD from this list, so "Node.js" or "ASP.NET" are not URLs.
_BARE_DOMAIN = re.compile(
    r"^(?:[a-z0-9-]+\.)+(?:com|io|ai|co|org|net|dev|app|me|tech|xyz|so|sh|us|uk|de|fr|nl|eu|gg|in|cc|ly|health|jobs)"
    r"(?:/\S*)?$",
    re.IGNORECASE,
)
_PAREN_DOMAIN = re.compile(r"\s*\(\s*((?:[a-z0-9-]+\.)+[a-z]{2,})\s*\)\s*$", re.IGNORECASE)
_PAREN_WORKPLACE = re.compile(r"\s*\(([^()]*)\)\s*$")
_WORKPLACE = re.compile(
    r"\b(?:remote(?:ly)?|on[\s-]?site|hybrid|in[\s-]person|in[\s-](?:the[\s-])?office|wfh)\b", re.IGNORECASE
)
_EMPLOYMENT = re.compile(
    r"^(?:full[\s-]?time|part[\s-]?time|contract(?:ors?)?|contracting|freelance|intern(?:ship)?s?|permanent"
    r"|temporary|fractional)\b",
    re.IGNORECASE,
)
_CURRENCY_CODES = r"(?:USD|EUR|GBP|CAD|AUD|CHF|SEK|NOK|DKK|PLN|INR|JPY|SGD|NZD|BRL)"
_SALARY = re.compile(
    r"[$€£¥₹]\s?\d|\d\s?[kK]\b|\b\d{2,3}(?:,\d{3})+\b"
    rf"|\b{_CURRENCY_CODES}\s?\d|\d\s?{_CURRENCY_CODES}\b",
)
_HIRING_PREFIX = re.compile(r"^hiring\s*:?\s+", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
# Beyond these, a "company" is a sentence that happens to contain a separator: the line is not split.
_MAX_COMPANY_CHARS = 80
_MAX_COMPANY_WORDS = 10
FALLBACK_TITLE_CHARS = 80


@dataclass
class FirstLine:
    """What a comment's first line says; fields it doesn't state stay None."""

    company: str | None = None
    title: str | None = None
    location: str | None = None
    remote: str | None = None
    employment_type: str | None = None
    salary_text: str | None = None
    company_url: str | None = None
    segments: list[str] = field(default_factory=list)


class HackerNewsSpider(FeedSpider):
    kind = "hn"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        # The thread being read, once the story search has named it (or the first comment page has).
        self.story_id: int | None = None
        self.story_title: str | None = None

    # -- pages ----------------------------------------------------------------------------------------------------

    def entries(self, response: Response) -> list[dict[str, Any]]:
        data = self.json(response)
        if isinstance(data, dict) and isinstance(data.get("hits"), list):
            if self._shape(data) == "comments":
                return self._top_level_hits(data)
            # A story search has no postings of its own: it names the thread, which next_page() then fetches.
            story = _newest_hiring_story(data["hits"])
            self.story_id, self.story_title = int(story["objectID"]), story.get("title")
            return []
        if isinstance(data, dict) and isinstance(data.get("children"), list) and "id" in data:
            return self._direct_children(data)
        raise FeedParseError('expected an Algolia search result ("hits") or an item tree ("children")')

    def next_page(self, response: Response, entries: list[Any]) -> str | None:
        data = self.json(response)
        if not (isinstance(data, dict) and isinstance(data.get("hits"), list)):
            return None  # an item tree is one page
        if self._shape(data) == "stories":
            return urljoin(response.url, COMMENTS_PATH.format(story_id=self.story_id))
        page, pages = int(data.get("page") or 0), int(data.get("nbPages") or 0)
        if page + 1 >= pages:
            hits, per_page = int(data.get("nbHits") or 0), int(data.get("hitsPerPage") or 0)
            if per_page and hits > per_page * max(pages, 1):
                # Algolia serves at most 1000 hits of a search however it is paged: the rest of a bigger thread is
                # out of reach, so this crawl can't prove any posting gone. (The items endpoint has no such cap.)
                self.fail("truncated", f"{response.url}: {hits} comments, only {per_page * max(pages, 1)} reachable")
            return None
        story_id = self.story_id or _story_from_params(data)
        if story_id is None:
            raise ValueError("a paged comment search that names no story")
        return urljoin(response.url, COMMENTS_PATH.format(story_id=story_id) + f"&page={page + 1}")

    def _shape(self, data: dict[str, Any]) -> str:
        """ "comments" (one thread's comment search) or "stories" (the thread search), from the echoed tags or hits."""
        tags = _param_tags(data)
        if "comment" in tags:
            return "comments"
        if "story" in tags:
            return "stories"
        for hit in data["hits"]:
            if not isinstance(hit, dict):
                continue
            hit_tags = hit.get("_tags") or []
            if "comment" in hit_tags or "comment_text" in hit:
                return "comments"
            if "story" in hit_tags or hit.get("title"):
                return "stories"
        # An empty page that doesn't say: after the story search it is an (empty) comment page.
        return "comments" if self.story_id is not None else "stories"

    def _top_level_hits(self, data: dict[str, Any]) -> list[dict[str, Any]]:
        story_id = self.story_id or _story_from_params(data)
        kept = []
        for hit in data["hits"]:
            if not isinstance(hit, dict):
                raise FeedParseError(f"a hit is not an object: {hit!r:.80}")
            thread = story_id if story_id is not None else hit.get("story_id")
            if hit.get("parent_id") is not None and hit.get("parent_id") == thread:
                kept.append(hit)
        return kept

    @staticmethod
    def _direct_children(item: dict[str, Any]) -> list[dict[str, Any]]:
        children = [c for c in item["children"] if isinstance(c, dict)]
        if len(children) != len(item["children"]):
            raise FeedParseError("an item's children are not all objects")
        # Direct children are top-level by construction; the parent_id check guards against a reshaped tree.
        return [c for c in children if c.get("parent_id", item["id"]) == item["id"]]

    # -- one comment ----------------------------------------------------------------------------------------------

    def posting(self, comment: dict[str, Any]) -> FeedPosting | None:
        """One top-level comment. Deliberately not postings (None): deleted or dead comments, empty ones, and those
        whose first line opens with "Not hiring". Anything else is a posting, even when its first line can't be split:
        then the title is the first line's first 80 characters and the company is the source's name."""
        if comment.get("deleted") or comment.get("dead"):
            return None
        comment_id = comment.get("objectID") if "objectID" in comment else comment["id"]
        if comment_id is None or str(comment_id).strip() == "":
            raise ValueError("a comment without an id")
        comment_id = str(comment_id).strip()
        text = comment.get("comment_text") if "comment_text" in comment else comment.get("text")
        if text is None or (isinstance(text, str) and text.strip() in {"", *_DELETED_TEXTS}):
            return None
        if not isinstance(text, str):
            raise TypeError(f"comment text is a {type(text).__name__}")
        first = first_line(text)
        if not first or _NOT_A_JOB.match(first):
            return None
        parts = split_first_line(first)
        title = parts.title
        if not parts.company:
            title = first[:FALLBACK_TITLE_CHARS].rstrip()
        elif not title:
            title = f"Job at {parts.company}"
        return FeedPosting(
            external_id=comment_id,
            url=ITEM_URL.format(id=comment_id),
            title=title,
            company=parts.company or self.source_name,
            description_html=comment_html(text),
            location=parts.location,
            remote=parts.remote,
            date_posted=comment.get("created_at") or comment.get("created_at_i"),
            employment_type=parts.employment_type,
            salary_text=parts.salary_text,
            company_url=parts.company_url,
            raw=comment,
        )


def _newest_hiring_story(hits: list[Any]) -> dict[str, Any]:
    stories = [
        h
        for h in hits
        if isinstance(h, dict)
        and isinstance(h.get("title"), str)
        and _HIRING_TITLE.match(h["title"])
        and h.get("objectID")
    ]
    if not stories:
        raise FeedParseError('no "Ask HN: Who is hiring? (Month Year)" story in the search result')
    return max(stories, key=lambda h: (int(h.get("created_at_i") or 0), str(h.get("created_at") or "")))


def _param_tags(data: dict[str, Any]) -> list[str]:
    """The ``tags`` Algolia echoes in ``params`` ("tags=comment%2Cstory_47975571&..."), split on commas."""
    params = data.get("params")
    if not isinstance(params, str):
        return []
    tags: list[str] = []
    for value in parse_qs(params).get("tags", []):
        tags += [t.strip("() ") for t in re.split(r"[,()]", value) if t.strip("() ")]
    return tags


def _story_from_params(data: dict[str, Any]) -> int | None:
    for tag in _param_tags(data):
        if tag.startswith("story_") and tag[6:].isdigit():
            return int(tag[6:])
    return None


# -- comment text -------------------------------------------------------------------------------------------------

_PARAGRAPH = re.compile(r"<p\s*/?>", re.IGNORECASE)
_BLOCKS = {"pre", "ul", "ol", "blockquote", "table", "div"}


def comment_html(text: str) -> str:
    """The comment as well-formed HTML: each bare-``<p>``-separated paragraph in its own ``<p>...</p>``.

    The parser decodes the text's entities (``&#x2F;``, ``&#x27;``) exactly once; serialising re-escapes only what HTML
    needs (``&amp;``, ``&lt;``), so "&amp;lt;" in the comment stays the literal text "&lt;".
    """
    paragraphs = []
    for chunk in _PARAGRAPH.split(text):
        if not chunk.strip():
            continue
        try:
            root = lxml.html.fragment_fromstring(chunk, create_parent="div")
        except (lxml.etree.ParserError, ValueError):
            paragraphs.append(f"<p>{html.escape(html.unescape(chunk))}</p>")
            continue
        if not (root.text or "").strip() and len(root) and root[0].tag in _BLOCKS:
            # "<p><pre><code>...": a code block is not wrapped in a paragraph.
            paragraphs.append("".join(lxml.html.tostring(child, encoding="unicode") for child in root))
            continue
        root.tag = "p"
        paragraphs.append(lxml.html.tostring(root, encoding="unicode"))
    return "".join(paragraphs)


def first_line(text: str) -> str:
    """The comment's first non-empty line as plain text, entities decoded once; a link stands as its full href."""
    for chunk in _PARAGRAPH.split(text):
        if not chunk.strip():
            continue
        try:
            root = lxml.html.fragment_fromstring(chunk, create_parent="div")
        except (lxml.etree.ParserError, ValueError):
            continue
        for anchor in root.iter("a"):
            href = (anchor.get("href") or "").strip()
            label = anchor.text_content().strip()
            for child in list(anchor):
                anchor.remove(child)
            if href.lower().startswith(("http://", "https://")):
                # HN shortens long link text with "...": the href is the real URL; a worded label is kept beside it.
                url_like = label.lower().startswith(("http", "www.")) or label.endswith("...") or not label
                anchor.text = href if url_like else f"{label} {href}"
            else:
                anchor.text = label
        for line in root.text_content().split("\n"):
            if line.strip():
                return _SPACES.sub(" ", line).strip()
    return ""


def split_first_line(line: str) -> FirstLine:
    """Fields from a first line such as "Acme | Backend Engineer | Berlin | REMOTE (EU) | Full-time | $120k | acme.com".

    Rules (conservative: a field we are unsure of stays None):

    * Separators: "|" if the line has one; otherwise spaced dashes (" - ", " – ", " — "); otherwise " / " when it
      gives at least three parts. A line with none, or whose first part is longer than a company name can be (over
      80 characters or 10 words), is not split: the result has no company.
    * The first part is the company. A URL in it becomes ``company_url``; text after a spaced dash in it is a tagline
      and is dropped ("Clutch https://clutchapp.io - building ..." is "Clutch"); a trailing "(acme.io)" becomes the
      company URL and a trailing "(Remote US)" the remote hint.
    * Every other part is classified: one holding a URL is the URL (the first URL of the line is ``company_url``);
      one with a currency amount or a "k" figure is ``salary_text``; one starting with Full-time/Part-time/Contract/
      Intern/Freelance/Permanent is ``employment_type``; one starting with REMOTE/ONSITE/HYBRID/in-person is a
      workplace part. Anything else is free text.
    * ``title`` is the first free part (a leading "Hiring" is dropped). ``remote`` is the first part, other than the
      title, that names a workplace anywhere ("NYC (HYBRID)").
    * ``location`` is the part right after the title when it is free text or a workplace part (with "|" only; dash
      and slash lines are too loose for positions), else the remote part.
    """
    result = FirstLine()
    for separator, minimum in ((_PIPE, 2), (_DASH, 2), (_SLASH, 3)):
        parts = [p.strip() for p in separator.split(line)]
        parts = [p for p in parts if p]
        if len(parts) >= minimum:
            break
    else:
        return result
    positional = separator is _PIPE
    result.segments = parts
    company, rest = parts[0], parts[1:]

    urls: list[str] = []
    remote_hints: list[str] = []
    company = _company_part(company, urls, remote_hints)
    if not company or len(company) > _MAX_COMPANY_CHARS or len(company.split()) > _MAX_COMPANY_WORDS:
        return FirstLine(segments=parts)
    result.company = company

    kinds = [_kind(part) for part in rest]
    for part, kind in zip(rest, kinds, strict=True):
        if kind == "url":
            urls += _urls(part)
        elif kind == "salary" and result.salary_text is None:
            result.salary_text = part
        elif kind == "employment" and result.employment_type is None:
            result.employment_type = part
    title_at = next((i for i, kind in enumerate(kinds) if kind == "free"), None)
    if title_at is not None:
        result.title = _HIRING_PREFIX.sub("", rest[title_at]).strip() or rest[title_at]
    remote_hints += [
        part
        for i, part in enumerate(rest)
        if i != title_at and kinds[i] in {"free", "workplace"} and _WORKPLACE.search(part)
    ]
    result.remote = remote_hints[0] if remote_hints else None
    after = title_at + 1 if title_at is not None else None
    if positional and after is not None and after < len(rest) and kinds[after] in {"free", "workplace"}:
        result.location = rest[after]
    else:
        result.location = result.remote
    result.company_url = urls[0] if urls else None
    return result


def _company_part(part: str, urls: list[str], remote_hints: list[str]) -> str:
    found = _urls(part)
    urls += found
    text = _URL.sub(" ", part)
    text = _DASH.split(text, maxsplit=1)[0]
    domain = _PAREN_DOMAIN.search(text)
    if domain:
        urls.append("https://" + domain.group(1))
        text = text[: domain.start()]
    workplace = _PAREN_WORKPLACE.search(text)
    if workplace and _WORKPLACE.search(workplace.group(1)):
        remote_hints.append(workplace.group(1).strip())
        text = text[: workplace.start()]
    text = _SPACES.sub(" ", text).strip(" ,:;-–—")
    if not text and found:
        # "https://acme.com | Backend Engineer": the host is the best name there is.
        text = urlsplit(found[0]).hostname or ""
        text = text.removeprefix("www.")
    return text


def _kind(part: str) -> str:
    if _URL.search(part) or _BARE_DOMAIN.match(part):
        return "url"
    if _SALARY.search(part):
        return "salary"
    if _EMPLOYMENT.match(part):
        return "employment"
    if _WORKPLACE.match(part):
        return "workplace"
    return "free"


def _urls(part: str) -> list[str]:
    found = [m.group(0).rstrip(".,;:)") for m in _URL.finditer(part)]
    if not found and _BARE_DOMAIN.match(part.strip()):
        found = [part.strip()]
    return [url if url.lower().startswith(("http://", "https://")) else "https://" + url for url in found]


__all__ = ["HackerNewsSpider", "comment_html", "first_line", "split_first_line"]
