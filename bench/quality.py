"""``python -m bench quality [--errors] [--split dev|heldout]``: the classifier scored against hand-labelled postings.

The labels (``tests/labelled/labels.jsonl``, described in the README beside it) name real postings of the saved feed
payloads in the shared corpus by file and external id. Each posting is read from its file through the real platform
base and ``normalise``, exactly as a crawl would, then classified by ``classify_posting`` and compared with its label.
Figures are printed per split with the issue's targets beside them; ``--errors`` lists the mismatches of one split
(the dev split unless ``--split heldout``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crawlers.classify.posting import Classification
    from crawlers.items import FeedPosting
    from store.records import PostingRecord

ROOT = Path(__file__).resolve().parents[1]
LABELS_FILE = ROOT / "tests" / "labelled" / "labels.jsonl"
# The shared corpus sits beside the checkout (../shared/corpus), as the issue names it.
CORPUS_DIR = ROOT.parent / "shared" / "corpus"

SPLITS = ("dev", "heldout")
REMOTE_VALUES = ("remote", "hybrid", "onsite", "unknown")
SENIORITY_VALUES = ("intern", "junior", "mid", "senior", "lead", "unknown")
VISA_VALUES = ("offered", "not_offered", "not_stated")
SALARY_PERIODS = ("year", "month", "week", "day", "hour")
# The quality targets; the other figures are reported without one.
TARGETS = {
    "is_backend F1": 0.9,
    "remote accuracy": 0.9,
    "skills F1": 0.85,
    "sector accuracy": 0.75,
    "salary exact": 0.9,
}


@dataclass(frozen=True)
class SalaryLabel:
    min: float | None
    max: float | None
    currency: str | None
    period: str | None


@dataclass(frozen=True)
class Label:
    """One hand-labelled posting: which one it is, and what a careful reader says about it."""

    file: str  # path relative to the corpus directory
    external_id: str
    title: str
    split: str
    is_backend: bool
    remote: str
    skills: frozenset[str]
    sector: str
    seniority: str
    salary: SalaryLabel | None
    visa_sponsorship: str

    @property
    def key(self) -> tuple[str, str]:
        return (self.file, self.external_id)


def split_for(file: str, external_id: str) -> str:
    """The split a posting belongs to, fixed by a hash of its file and id: about two thirds dev, one third held out."""
    digest = hashlib.sha256(f"{file}\n{external_id}".encode()).digest()
    return "heldout" if int.from_bytes(digest[:4], "big") % 3 == 2 else "dev"


def load_labels(path: Path = LABELS_FILE) -> list[Label]:
    labels = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            labels.append(_label(json.loads(line)))
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path.name} line {number}: {exc}") from exc
    return labels


def _label(row: dict[str, Any]) -> Label:
    salary = row["salary"]
    return Label(
        file=row["file"],
        external_id=str(row["external_id"]),
        title=row["title"],
        split=row["split"],
        is_backend=row["is_backend"],
        remote=row["remote"],
        skills=frozenset(row["skills"]),
        sector=row["sector"],
        seniority=row["seniority"],
        salary=None if salary is None else SalaryLabel(**{k: salary[k] for k in ("min", "max", "currency", "period")}),
        visa_sponsorship=row["visa_sponsorship"],
    )


@cache
def corpus_file(path: Path) -> dict[str, tuple[FeedPosting, PostingRecord, bool]]:
    """Every posting of one saved payload, by external id, with its normalised record and whether the spider is an
    all-remote board.

    The file is read as ``jobsift preview FILE`` reads it (``crawlers.classify.corpus.corpus_records``): recognised
    by content, parsed by its platform base as one whole document (no further pages or detail requests), from a URL
    shaped like an API path so that bases that read the board from their URL (Workable) find one.
    """
    from crawlers.classify.corpus import corpus_records

    return corpus_records(path)


@dataclass(frozen=True)
class Mismatch:
    label: Label
    field: str
    expected: object
    got: object


@dataclass
class Tally:
    """Counts for one split, turned into figures by ``figures``."""

    postings: int = 0
    backend: dict[str, int] = field(default_factory=lambda: {"tp": 0, "fp": 0, "fn": 0})
    skills: dict[str, int] = field(default_factory=lambda: {"tp": 0, "fp": 0, "fn": 0})
    correct: dict[str, int] = field(default_factory=lambda: {"remote": 0, "sector": 0, "seniority": 0, "visa": 0})
    stated_salaries: int = 0
    exact_salaries: int = 0
    false_salaries: int = 0
    mismatches: list[Mismatch] = field(default_factory=list)

    def figures(self) -> dict[str, float | int]:
        n = self.postings or 1
        return {
            "postings": self.postings,
            **{f"is_backend {k}": v for k, v in _prf(self.backend).items()},
            "remote accuracy": self.correct["remote"] / n,
            **{f"skills {k}": v for k, v in _prf(self.skills).items()},
            "sector accuracy": self.correct["sector"] / n,
            "seniority accuracy": self.correct["seniority"] / n,
            "visa accuracy": self.correct["visa"] / n,
            "salary exact": self.exact_salaries / self.stated_salaries if self.stated_salaries else math.nan,
            "salaries stated": self.stated_salaries,
            "false salaries": self.false_salaries,
        }


def _prf(counts: dict[str, int]) -> dict[str, float]:
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "F1": f1}


def classify_label(label: Label, corpus_dir: Path = CORPUS_DIR) -> Classification:
    from crawlers.classify.posting import classify_posting
    from crawlers.pipelines.classify import posting_text

    postings = corpus_file(corpus_dir / label.file)
    feed, record, all_remote = postings[label.external_id]
    return classify_posting(posting_text(feed, record, all_remote_board=all_remote))


def evaluate(labels: Iterable[Label], corpus_dir: Path = CORPUS_DIR) -> Tally:
    """Classify every labelled posting and count agreements with its label."""
    tally = Tally()
    for label in labels:
        got = classify_label(label, corpus_dir)
        tally.postings += 1
        _count_binary(tally.backend, label.is_backend, got.is_backend)
        if label.is_backend != got.is_backend:
            tally.mismatches.append(Mismatch(label, "is_backend", label.is_backend, got.is_backend))
        predicted = set(got.skills)
        tally.skills["tp"] += len(predicted & label.skills)
        tally.skills["fp"] += len(predicted - label.skills)
        tally.skills["fn"] += len(label.skills - predicted)
        if predicted != label.skills:
            missed, extra = sorted(label.skills - predicted), sorted(predicted - label.skills)
            tally.mismatches.append(Mismatch(label, "skills", f"missed {missed}", f"extra {extra}"))
        for name, expected, value in (
            ("remote", label.remote, got.remote),
            ("sector", label.sector, got.sector),
            ("seniority", label.seniority, got.seniority or "unknown"),
            ("visa", label.visa_sponsorship, got.visa_sponsorship),
        ):
            if expected == value:
                tally.correct[name] += 1
            else:
                tally.mismatches.append(Mismatch(label, name, expected, value))
        _count_salary(tally, label, got.salary)
    return tally


def _count_binary(counts: dict[str, int], expected: bool, got: bool) -> None:
    if got and expected:
        counts["tp"] += 1
    elif got:
        counts["fp"] += 1
    elif expected:
        counts["fn"] += 1


def _count_salary(tally: Tally, label: Label, salary: Any) -> None:
    got = None if salary is None else SalaryLabel(salary.min, salary.max, salary.currency, salary.period)
    if label.salary is None:
        if got is not None:
            tally.false_salaries += 1
            tally.mismatches.append(Mismatch(label, "salary", None, _show_salary(got)))
        return
    tally.stated_salaries += 1
    if got is not None and salaries_equal(label.salary, got):
        tally.exact_salaries += 1
    else:
        tally.mismatches.append(Mismatch(label, "salary", _show_salary(label.salary), _show_salary(got)))


def salaries_equal(a: SalaryLabel, b: SalaryLabel) -> bool:
    def same(x: float | None, y: float | None) -> bool:
        return (x is None and y is None) or (x is not None and y is not None and math.isclose(x, y, abs_tol=0.005))

    return same(a.min, b.min) and same(a.max, b.max) and a.currency == b.currency and a.period == b.period


def _show_salary(salary: SalaryLabel | None) -> str:
    if salary is None:
        return "none"
    ends = "–".join("?" if v is None else f"{v:g}" for v in (salary.min, salary.max))
    return f"{ends} {salary.currency or '?'} per {salary.period or '?'}"


def format_figures(split: str, figures: dict[str, float | int]) -> list[str]:
    lines = [f"{split}: {figures['postings']} postings"]
    for name, value in figures.items():
        if name == "postings":
            continue
        target = TARGETS.get(name)
        shown = f"{value}" if isinstance(value, int) else "  n/a" if math.isnan(value) else f"{value:5.3f}"
        verdict = ""
        if target is not None:
            verdict = f"  (target >= {target})" + ("" if math.isnan(value) or value >= target else "  BELOW")
        lines.append(f"  {name:<22} {shown}{verdict}")
    return lines


def format_mismatches(mismatches: Sequence[Mismatch]) -> list[str]:
    lines = []
    for m in sorted(mismatches, key=lambda m: (m.field, m.label.file, m.label.external_id)):
        where = f"{m.label.file} {m.label.external_id}"
        lines.append(f"  {m.field:<10} {where}  {m.label.title[:60]!r}: expected {m.expected}, got {m.got}")
    return lines


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench quality", description=__doc__)
    parser.add_argument("--errors", action="store_true", help="list the mismatches of one split")
    parser.add_argument("--split", choices=SPLITS, default="dev", help="the split whose mismatches --errors lists")
    args = parser.parse_args(argv)
    labels = load_labels()
    for split in SPLITS:
        tally = evaluate(label for label in labels if label.split == split)
        print("\n".join(format_figures(split, tally.figures())))
        if args.errors and split == args.split:
            print(f"mismatches ({split}):")
            print("\n".join(format_mismatches(tally.mismatches)) or "  none")
