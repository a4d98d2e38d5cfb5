"""The admin's preview of a feed before it is saved: a crawl in a child process, read back and summarised.

The crawl runs as ``python -m jobsift.admin_preview KIND URL`` (``crawlers.preview`` plus each careers-page posting's
JobPosting markup, and a line for each item that would not be stored): a child process, not an import, because the
web package imports no crawler code and Scrapy's reactor can't be restarted inside a web worker. It stores nothing,
fetches through the crawlers' guarded downloader (private addresses refused after DNS resolution) and is killed after
``JOBSIFT_PREVIEW_TIMEOUT`` seconds.

Its standard output is JSON lines of two kinds: a posting as jobsift would store it, and ``{"dropped": reason, ...}``
for an item the crawl read but would not store (with its ``markup`` on careers pages). The markup report counts both:
a JobPosting dropped for lacking a title is the markup an employer most needs to hear about.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from html import unescape
from typing import Any

from config.settings import Settings

PREVIEW_MODULE = "jobsift.admin_preview"
# Postings shown on the preview page; the counts cover all of them.
SHOWN = 10
# Items not stored, listed one by one on the preview page; the warning counts all of them.
DROPPED_SHOWN = 20

# Google's rules for JobPosting markup:
# https://developers.google.com/search/docs/appearance/structured-data/job-posting
GOOGLE_REQUIRED = ("title", "description", "datePosted", "hiringOrganization", "jobLocation")
GOOGLE_RECOMMENDED = ("validThrough", "employmentType", "baseSalary", "identifier", "directApply")


@dataclass(frozen=True)
class FieldCount:
    name: str
    required: bool
    present: int  # how many of the previewed postings' markup has it
    of: int

    @property
    def complete(self) -> bool:
        return self.present == self.of


# A dropped item's reason as shown, and how many distinct reasons the warning names.
REASON_LENGTH = 200
WARNING_REASONS = 3


@dataclass(frozen=True)
class Dropped:
    """An item the crawl read but would not store, and why (the crawler's own reason)."""

    reason: str
    label: str  # what names it for the admin: its title, else its id, else its page
    url: str | None = None


@dataclass
class PreviewResult:
    ok: bool
    error: str | None = None
    hint: str | None = None
    postings: list[dict[str, Any]] = field(default_factory=list)  # the first SHOWN
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    markup: list[FieldCount] = field(default_factory=list)  # careers pages only
    dropped: list[Dropped] = field(default_factory=list)  # every item read but not stored
    seconds: float = 0.0

    @property
    def found(self) -> int:
        """Items the crawl read: the postings it would store and the ones it would not."""
        return self.total + len(self.dropped)

    @property
    def dropped_shown(self) -> list[Dropped]:
        return self.dropped[:DROPPED_SHOWN]


PreviewRunner = Callable[[str, str, str], PreviewResult]


class SubprocessPreview:
    """Previews a feed (kind, feed URL, name) in a child process with the site's settings, within a time limit."""

    def __init__(self, environ: dict[str, str], timeout: float, module: str = PREVIEW_MODULE) -> None:
        self.environ = environ
        self.timeout = timeout
        self.module = module

    @classmethod
    def from_settings(cls, settings: Settings) -> SubprocessPreview:
        return cls(settings.child_environ(), settings.preview_timeout)

    def __call__(self, kind: str, url: str, name: str) -> PreviewResult:
        started = time.monotonic()
        command = [sys.executable, "-m", self.module, kind, url, "--name", name or "Preview"]
        try:
            done = subprocess.run(
                command,
                env={**os.environ, **self.environ},
                capture_output=True,
                timeout=self.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:
            return PreviewResult(
                ok=False,
                error=f"the feed did not answer in full within {self.timeout:g} seconds",
                hint="A slow or very large feed can still be saved: its crawls have longer. Or check the URL.",
                seconds=time.monotonic() - started,
            )
        except OSError as exc:
            return PreviewResult(ok=False, error=f"the preview could not start: {exc}")
        result = summarise(done.stdout.decode("utf-8", "replace"), kind)
        result.seconds = time.monotonic() - started
        if done.returncode != 0:
            result.ok = False
            result.error = _reason(done.stderr.decode("utf-8", "replace"), done.returncode)
            result.hint = explain(result.error)
        return result


def _reason(stderr: str, code: int) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in reversed(lines):
        if line.startswith("jobsift preview:"):
            return line.removeprefix("jobsift preview:").strip()
    return lines[-1][-500:] if lines else f"the preview process exited with status {code}"


_HINTS = (
    (
        r"an item could not be read",
        "Its other postings would be stored, but every crawl that meets this item counts as failed and closes "
        "nothing, and repeated failures pause the source.",
    ),
    (r"private address", "jobsift only crawls public addresses; a feed inside this network can't be a source."),
    (r"(?i)DNS lookup failed|CannotResolveHost|not resolve", "The host name does not resolve: check its spelling."),
    (r"answered HTTP (404|410)", "Nothing is at this address (any more): check the URL or board name."),
    (r"answered HTTP (401|403)", "The site refused the request: the feed may not be public."),
    (r"answered HTTP 429", "The site asks us to slow down; try the preview again later."),
    (r"answered HTTP 5\d\d", "The site had an error; it may be temporary."),
    (r"(?i)not a valid|not JSON|not XML|parse", "The answer is not in this platform's format: is the platform right?"),
    (r"(?i)timed? ?out|TimeoutError", "The site took too long to answer."),
    (r"(?i)connection was refused|ConnectionRefused", "Nothing is listening at that address."),
)


def explain(reason: str | None) -> str | None:
    """What an admin can do about a failed preview, for the usual reasons."""
    for pattern, hint in _HINTS:
        if reason and re.search(pattern, reason):
            return hint
    return None


def summarise(stdout: str, kind: str) -> PreviewResult:
    """Counts, warnings and the markup report of the JSON lines a preview printed."""
    postings: list[dict[str, Any]] = []
    dropped: list[dict[str, Any]] = []
    for line in stdout.splitlines():
        try:
            item = json.loads(line)
        except ValueError:
            continue
        if isinstance(item, dict):
            (dropped if "dropped" in item else postings).append(item)
    total = len(postings)
    counts = {
        "backend": sum(1 for p in postings if p.get("is_backend")),
        "remote": sum(1 for p in postings if p.get("remote") == "remote"),
        "salary": sum(1 for p in postings if p.get("salary")),
        "no_description": sum(1 for p in postings if not (p.get("description_text") or "").strip()),
        "no_date": sum(1 for p in postings if not p.get("posted_at")),
        "no_skills": sum(1 for p in postings if not p.get("skills")),
    }
    result = PreviewResult(
        ok=True, postings=postings[:SHOWN], total=total, counts=counts, dropped=[_dropped(d) for d in dropped]
    )
    if total == 0 and not dropped:
        result.warnings.append("The feed was read but lists no postings now; the source stores nothing until it does.")
    elif total and counts["backend"] == 0:
        result.warnings.append(
            "The posting is not back-end work: it would be stored but hidden from the default search."
            if total == 1
            else f"None of the {total} postings is back-end work: they would be stored but hidden from the default "
            "search."
        )
    if dropped:
        result.warnings.append(dropped_warning(result.dropped, result.found, kind))
    if counts["no_description"]:
        result.warnings.append(f"{counts['no_description']} of {total} postings have no description.")
    if counts["no_date"]:
        result.warnings.append(f"{counts['no_date']} of {total} postings have no date posted.")
    if kind == "jsonld" and result.found:
        # Every JobPosting found, stored or not: the ones dropped are what the employer most needs to fix.
        result.markup = markup_report([p.get("markup") or {} for p in postings + dropped])
        missing = [f.name for f in result.markup if f.required and not f.complete]
        if missing:
            result.warnings.append(
                "The JobPosting markup lacks fields Google requires: " + ", ".join(missing) + " (see the report)."
            )
    return result


def _dropped(line: dict[str, Any]) -> Dropped:
    reason = _shorten(str(line.get("dropped") or "no reason given"), REASON_LENGTH)
    url = line.get("url")
    # Linked from the page only when it is a web address: a dropped item's URL may be the very thing wrong with it.
    url = url if isinstance(url, str) and url.lower().startswith(("http://", "https://")) else None
    # The title as the feed gave it may be markup (an empty "<b></b>" is a reason to drop it): name it by its text.
    title = _text(str(line.get("title") or ""))
    label = title or str(line.get("external_id") or "") or _identifier(line.get("markup")) or "(no title)"
    return Dropped(reason=reason, label=label, url=url)


def _identifier(markup: Any) -> str:
    """A JobPosting's own identifier: a string, or a PropertyValue's value."""
    value = markup.get("identifier") if isinstance(markup, dict) else None
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("value", value.get("@value"))
    return str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""


def dropped_warning(dropped: list[Dropped], found: int, kind: str) -> str:
    """How many items would not be stored, of how many read, by reason: "2 of the 5 JobPostings found would not be
    stored: a JobPosting without a title (1), item without title (1)." (the most common reasons first, at most
    ``WARNING_REASONS`` of them: a reason can name its item, and a broken feed has one per item)"""
    reasons = sorted(Counter(d.reason for d in dropped).items(), key=lambda pair: (-pair[1], pair[0]))
    why = ", ".join(f"{reason} ({count})" for reason, count in reasons[:WARNING_REASONS])
    if len(reasons) > WARNING_REASONS:
        others = sum(count for _, count in reasons[WARNING_REASONS:])
        why += f", and {others} for {len(reasons) - WARNING_REASONS} other reasons (listed below)"
    if found == 1:
        return f"The {'JobPosting found' if kind == 'jsonld' else 'item read'} would not be stored: {why}."
    noun = "JobPostings found" if kind == "jsonld" else "items read"
    return f"{len(dropped)} of the {found} {noun} would not be stored: {why}."


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _has(markup: dict[str, Any], name: str) -> bool:
    value = markup.get(name)
    if isinstance(value, bool):
        return True
    if isinstance(value, str):
        return bool(_text(value))  # "<p></p>" or "&nbsp;" is no description, no title
    return value not in (None, [], {})


def _text(value: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]*>", " ", value)).split())


def _location(markup: dict[str, Any]) -> bool:
    if _has(markup, "jobLocation"):
        return True
    kinds = markup.get("jobLocationType")
    values = kinds if isinstance(kinds, list) else [kinds]
    remote = any(isinstance(v, str) and v.strip().upper() == "TELECOMMUTE" for v in values)
    return remote and _has(markup, "applicantLocationRequirements")


def markup_report(markups: list[dict[str, Any]]) -> list[FieldCount]:
    """Of each field Google requires or recommends for JobPosting, how many of these postings' markup has it."""
    of = len(markups)
    report = []
    for name in GOOGLE_REQUIRED:
        if name == "jobLocation":
            # A remote job may have jobLocationType TELECOMMUTE with applicantLocationRequirements instead.
            report.append(FieldCount(name, True, sum(1 for m in markups if _location(m)), of))
        else:
            report.append(FieldCount(name, True, sum(1 for m in markups if _has(m, name)), of))
    for name in GOOGLE_RECOMMENDED:
        report.append(FieldCount(name, False, sum(1 for m in markups if _has(m, name)), of))
    return report
