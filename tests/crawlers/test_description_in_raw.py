"""Where a platform's raw item holds the description, the store keeps it once (in ``raw``) and ``jobsift reclassify``
rebuilds it from there: the rebuilt HTML must be exactly what the crawl had, after the item's trip through JSON."""

from __future__ import annotations

import json
from pathlib import Path

from crawlers.classify.corpus import corpus_records
from crawlers.recognise import Unrecognised, recognise_content
from crawlers.spiders import SPIDERS
from tests.conftest import FIXTURES


def _payloads() -> list[Path]:
    return sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.suffix in (".json", ".xml", ".rss", ".html"))


def test_descriptions_kept_only_in_raw_come_back_exactly() -> None:
    checked: dict[str, int] = {}
    for path in _payloads():
        try:
            kind = recognise_content(path.read_bytes())
            records = corpus_records(path, kind)
        except Unrecognised:
            continue
        except Exception:  # a capture the base refuses (an error payload) has no postings
            continue
        for feed, record, _ in records.values():
            if not feed.description_in_raw:
                assert record.description_raw == (feed.description_html or None), path
                continue
            assert record.description_raw is None, path
            stored = json.loads(json.dumps(feed.raw))
            assert SPIDERS[kind].description_from_raw(stored) == feed.description_html, (path, feed.external_id)
            checked[kind] = checked.get(kind, 0) + 1
    assert set(checked) == {"greenhouse", "ashby", "himalayas", "remotive"}, checked
    assert min(checked.values()) >= 2, checked
