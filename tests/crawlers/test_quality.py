"""The hand-labelled postings: well-formed, found in the corpus, and classified to the issue's quality targets."""

from __future__ import annotations

import json
import math
from collections import Counter

import pytest

from bench.quality import (
    CORPUS_DIR,
    LABELS_FILE,
    REMOTE_VALUES,
    SALARY_PERIODS,
    SENIORITY_VALUES,
    TARGETS,
    VISA_VALUES,
    corpus_file,
    evaluate,
    format_figures,
    format_mismatches,
    load_labels,
    split_for,
)
from config.taxonomy import load_sectors, load_skills

FIELDS = {
    "file", "external_id", "title", "split", "is_backend", "remote", "skills", "sector", "seniority", "salary",
    "visa_sponsorship",
}  # fmt: skip
needs_corpus = pytest.mark.skipif(not CORPUS_DIR.is_dir(), reason=f"the shared corpus is not at {CORPUS_DIR}")


def _rows() -> list[dict]:
    return [json.loads(line) for line in LABELS_FILE.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_label_values_are_valid() -> None:
    skills = {skill.name for skill in load_skills()}
    sectors = {sector.name for sector in load_sectors()}
    problems = []
    for row in _rows():
        where = f"{row.get('file')} {row.get('external_id')}"
        if set(row) != FIELDS:
            problems.append(f"{where}: fields {sorted(set(row) ^ FIELDS)}")
            continue
        checks = {
            "title": isinstance(row["title"], str) and row["title"].strip() != "",
            "split": row["split"] == split_for(row["file"], row["external_id"]),
            "is_backend": isinstance(row["is_backend"], bool),
            "remote": row["remote"] in REMOTE_VALUES,
            "skills": isinstance(row["skills"], list) and set(row["skills"]) <= skills,
            "skills order": row["skills"] == sorted(set(row["skills"])),
            "sector": row["sector"] in sectors,
            "seniority": row["seniority"] in SENIORITY_VALUES,
            "visa_sponsorship": row["visa_sponsorship"] in VISA_VALUES,
            "salary": row["salary"] is None or _valid_salary(row["salary"]),
        }
        problems += [f"{where}: bad {name} {row.get(name.split()[0])!r}" for name, ok in checks.items() if not ok]
    assert problems == []


def _valid_salary(salary: dict) -> bool:
    if set(salary) != {"min", "max", "currency", "period"}:
        return False
    ends = [salary["min"], salary["max"]]
    if all(end is None for end in ends) or any(end is not None and not (isinstance(end, int | float) and end > 0)
                                               for end in ends):  # fmt: skip
        return False
    if None not in ends and salary["min"] > salary["max"]:
        return False
    currency = salary["currency"]
    return (currency is None or (len(currency) == 3 and currency.isupper())) and salary["period"] in SALARY_PERIODS


def test_each_posting_is_labelled_once_and_enough_are() -> None:
    keys = Counter((row["file"], row["external_id"]) for row in _rows())
    assert [key for key, count in keys.items() if count > 1] == []
    assert len(keys) >= 250
    splits = Counter(split for split in (row["split"] for row in _rows()))
    assert splits["dev"] > splits["heldout"] > 0


@needs_corpus
def test_every_labelled_posting_is_in_its_corpus_file() -> None:
    missing = [
        f"{label.file} {label.external_id}"
        for label in load_labels()
        if label.external_id not in corpus_file(CORPUS_DIR / label.file)
    ]
    assert missing == []


@needs_corpus
def test_dev_split_meets_the_issue_targets() -> None:
    tally = evaluate(label for label in load_labels() if label.split == "dev")
    figures = tally.figures()
    below = {name: round(float(figures[name]), 3) for name, target in TARGETS.items() if not figures[name] >= target}
    report = "\n".join([*format_figures("dev", figures), *format_mismatches(tally.mismatches)])
    assert not math.isnan(float(figures["salary exact"]))
    assert below == {}, report
