"""The sources page and the audit log page through: each page links to its neighbours, keeping the filter."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient

from store.db import Database
from store.queries.admin import record_audit
from tests.store.helpers import make_source


def _pager(html: str) -> str | None:
    found = re.search(r'<nav class="pager" aria-label="Pages">(.*?)</nav>', html, flags=re.S)
    return " ".join(found.group(1).split()) if found else None


def test_the_sources_pages_link_to_each_other_with_the_filter(admin_client: FlaskClient, db: Database) -> None:
    with db.transaction() as s:
        for n in range(101):  # 100 a page
            make_source(s, f"board-{n:03}", name=f"Board {n}", url=f"https://boards.example/{n}.json")
    first = _pager(admin_client.get("/admin/sources?q=board").text)
    assert first == '<span>Page 1 of 2</span> <a href="/admin/sources?q=board&amp;page=2" rel="next">Next</a>'
    second = _pager(admin_client.get("/admin/sources?q=board&page=2").text)
    assert second == '<a href="/admin/sources?q=board&amp;page=1" rel="prev">Previous</a> <span>Page 2 of 2</span>'
    assert _pager(admin_client.get("/admin/sources?q=board-05").text) is None  # one page: no pager


def test_the_audit_pages_link_to_each_other_with_the_filter(admin_client: FlaskClient, db: Database) -> None:
    start = datetime.now(UTC) - timedelta(hours=1)
    with db.transaction() as s:
        for n in range(101):  # 50 a page
            record_audit(
                s, action="pause", actor="ada@example.com", target="source:x", now=start + timedelta(seconds=n)
            )
    first = _pager(admin_client.get("/admin/audit?action=pause").text)
    assert first == '<span>Page 1 of 3</span> <a href="/admin/audit?action=pause&amp;page=2" rel="next">Older</a>'
    middle = _pager(admin_client.get("/admin/audit?action=pause&target=source:x&page=2").text)
    assert middle == (
        '<a href="/admin/audit?action=pause&amp;target=source:x&amp;page=1" rel="prev">Newer</a> '
        "<span>Page 2 of 3</span> "
        '<a href="/admin/audit?action=pause&amp;target=source:x&amp;page=3" rel="next">Older</a>'
    )
    assert _pager(admin_client.get("/admin/audit?action=login").text) is None
