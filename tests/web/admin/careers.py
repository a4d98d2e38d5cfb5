"""Careers pages holding several JobPostings, some of them broken, made from the one real JobPosting page we have.

Provenance: every page here starts from ``tests/fixtures/jsonld/indeed_au_viewjob_senior_devops_papercut_2026-08.html``
(team corpus entry 44, ``corpus/jsonld/``; provenance in ``tests/fixtures/PROVENANCE.md``): a saved copy of an Indeed AU
job page with one JS-escaped ``application/ld+json`` JobPosting (Senior DevOps Engineer, PaperCut Software). A page is
that real page, byte for byte, except that its one ld+json block is replaced by one block per JobPosting below. Each
JobPosting is the page's real one, unchanged or with the one change its name says, made here to stand for a way
employers' markup goes wrong. The ``identifier`` values (PC-102 ...) are made up, so the broken ones can be told apart.
The listing page (``LISTING``) is made up too: two links, like a careers index.
"""

from __future__ import annotations

import copy
import json
import re
from functools import cache
from typing import Any

from tests.conftest import FIXTURES

REAL_PAGE = FIXTURES / "jsonld/indeed_au_viewjob_senior_devops_papercut_2026-08.html"
_BLOCK = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


@cache
def _real() -> tuple[str, str, dict[str, Any]]:
    page = REAL_PAGE.read_text(encoding="utf-8")
    [block] = _BLOCK.findall(page)
    return page, block, json.loads(block)


def _variant(identifier: str, **changes: Any) -> dict[str, Any]:
    """The real JobPosting with an identifier and the changes (None removes the property)."""
    job = copy.deepcopy(_real()[2])
    job["identifier"] = {"@type": "PropertyValue", "name": "PaperCut", "value": identifier}
    for name, value in changes.items():
        if value is None:
            job.pop(name, None)
        else:
            job[name] = value
    return job


def whole() -> dict[str, Any]:
    """The real JobPosting as it is (it has no identifier)."""
    return copy.deepcopy(_real()[2])


def no_title() -> dict[str, Any]:
    """No title (nor name): the crawler can't make a posting of it at all, and the crawl counts as failed."""
    return _variant("PC-102", title=None)


def blank_title() -> dict[str, Any]:
    """A title that is only an entity: validation drops it ("item without title")."""
    return _variant("PC-103", title="&nbsp;")


def no_description_or_date() -> dict[str, Any]:
    """No description and no datePosted: stored all the same, and flagged by the markup report."""
    return _variant("PC-104", description=None, datePosted=None)


def page(*jobs: dict[str, Any]) -> bytes:
    """The real page with its ld+json block replaced by one block per JobPosting."""
    text, block, _ = _real()
    blocks = '</script>\n<script type="application/ld+json">'.join(json.dumps(job) for job in jobs)
    return text.replace(block, blocks, 1).encode("utf-8")


LISTING = b"""<!doctype html>
<html lang="en"><head><title>Careers</title></head>
<body><h1>Open roles</h1><ul>
<li><a href="/careers/jobs/devops-sydney.html">Senior DevOps Engineer, Sydney</a></li>
<li><a href="/careers/jobs/devops-melbourne.html">Senior DevOps Engineer, Melbourne</a></li>
</ul></body></html>
"""
