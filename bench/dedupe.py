"""Dedupe on real postings: every corpus file as a source of its own, every cross-source match the store would make.

Issue 4's target is no false merges. The shared corpus holds true duplicates (the two Lever demo captures list the same
postings; two Remotive captures share some; remote boards repeat company postings), and many near misses (one company's
several roles, one title at several companies). Each accepted pair is printed with how it matched, marked "same id"
when both sides carry the same external id on the same platform (a repeat capture: certainly one job); the others are
listed for a person to read. ``tests/store/test_dedupe_corpus.py`` pins the reviewed pairs.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from crawlers.classify.corpus import corpus_records
from crawlers.recognise import Unrecognised
from store.dedupe import same_listing

CORPUS_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


@dataclass(frozen=True)
class CorpusPosting:
    file: str
    external_id: str
    title: str
    company: str
    location: str | None
    canonical_url: str | None
    fingerprint: str | None


@dataclass(frozen=True)
class Match:
    a: CorpusPosting
    b: CorpusPosting
    by: str  # "url", "fingerprint" or "url+fingerprint"

    @property
    def same_id(self) -> bool:
        return self.a.external_id == self.b.external_id and Path(self.a.file).parent == Path(self.b.file).parent


def corpus_postings(corpus: Path = CORPUS_DIR) -> list[CorpusPosting]:
    postings = []
    for path in sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix != ".md"):
        try:
            records = corpus_records(path)
        except Unrecognised:
            continue
        for _, record, _ in records.values():
            postings.append(
                CorpusPosting(
                    file=str(path.relative_to(corpus)),
                    external_id=record.external_id,
                    title=record.title,
                    company=record.company,
                    location=record.location,
                    canonical_url=record.canonical_url,
                    fingerprint=record.fingerprint,
                )
            )
    return postings


def matches(postings: list[CorpusPosting]) -> Iterator[Match]:
    """Every pair from two different files that the store's rule would make one listing."""
    for i, a in enumerate(postings):
        for b in postings[i + 1 :]:
            if a.file == b.file:
                continue
            by = [
                name
                for name, key_a, key_b in (
                    ("url", a.canonical_url, b.canonical_url),
                    ("fingerprint", a.fingerprint, b.fingerprint),
                )
                if key_a and key_a == key_b
            ]
            if by and same_listing(a.title, a.location, b.title, b.location):
                yield Match(a, b, "+".join(by))


def main() -> None:
    postings = corpus_postings()
    found = list(matches(postings))
    repeats = sum(1 for m in found if m.same_id)
    print(f"{len(postings)} corpus postings, {len(found)} cross-file matches: {repeats} repeat captures (same id)")
    for m in found:
        if not m.same_id:
            print(f"  by {m.by}: {m.a.file} {m.a.external_id} {m.a.title!r} @ {m.a.company} [{m.a.location}]")
            print(f"        = {m.b.file} {m.b.external_id} {m.b.title!r} @ {m.b.company} [{m.b.location}]")
