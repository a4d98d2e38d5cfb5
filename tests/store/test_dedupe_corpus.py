"""Dedupe on the real corpus: every repeat capture of a posting is one listing, and nothing else merges."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.dedupe import CORPUS_DIR, corpus_postings, matches

pytestmark = pytest.mark.skipif(not CORPUS_DIR.is_dir(), reason=f"the shared corpus is not at {CORPUS_DIR}")

# Matches between different ids, each read and judged one job: Lemon.io reposted its DevOps role on Remotive between
# the May and July captures (same company, title and regions; a new id).
REVIEWED = {
    ("remotive/remotive_api_remote-jobs_2026-05.json", "2090002"): (
        "remotive/remotive_api_remote-jobs_2026-07_with_BOM.json",
        "2091067",
    ),
}


def test_no_false_merges_and_every_repeat_capture_found() -> None:
    postings = corpus_postings()
    assert len(postings) > 400
    found = list(matches(postings))
    unexpected = [
        (m.a.file, m.a.external_id, m.b.file, m.b.external_id)
        for m in found
        if not m.same_id and REVIEWED.get((m.a.file, m.a.external_id)) != (m.b.file, m.b.external_id)
    ]
    assert unexpected == []
    repeats = {
        (a.file, a.external_id, b.file)
        for i, a in enumerate(postings)
        for b in postings[i + 1 :]
        if a.file != b.file and a.external_id == b.external_id and Path(a.file).parent == Path(b.file).parent
    }
    matched = {(m.a.file, m.a.external_id, m.b.file) for m in found if m.same_id}
    # Two Remotive postings changed title between captures ("Office Assistant" -> "Remote Office Assistant") and are
    # left apart: a missed merge costs a duplicate row, a false one hides a job.
    assert len(repeats - matched) == 2
    assert len(matched) >= 31
