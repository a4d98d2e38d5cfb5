"""classify_posting on real postings from the captured feeds (tests/fixtures), and the contract of its result."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import pytest

from config.taxonomy import sector_names, skill_names
from crawlers.classify import Classification, Evidence, PostingText, classify_posting
from crawlers.classify.corpus import corpus_postings
from crawlers.classify.posting import salary_lines
from crawlers.classify.text import Text
from crawlers.parsers.salary import parse_salary
from tests.conftest import FIXTURES

WWR_BACKEND = "wwr/weworkremotely_remote-back-end-programming-jobs_2022-11-07.rss"
HIMALAYAS = "himalayas/himalayas_api_jobs_offset0_limit20.json"
ARBEITNOW = "arbeitnow/arbeitnow_job-board-api_5jobs.json"
ASHBY_RAMP = "ashby/ramp_job_board_trimmed_by_committer.json"
REMOTIVE = "remotive/remotive_api_remote-jobs_2026-05.json"
LEVER_DEMO = "lever/leverdemo_postings_group_location_2015.json"
HN = "hn/algolia_comments_story_47975571_2026-05.json"


@functools.cache
def postings(path: str) -> tuple[PostingText, ...]:
    return tuple(corpus_postings(FIXTURES / path))


def posting(path: str, title: str, location: str | None = None) -> PostingText:
    found = [p for p in postings(path) if p.title == title and (location is None or p.location == location)]
    assert found, f"no posting {title!r} in {path}"
    return found[0]


def all_fixture_postings() -> list[PostingText]:
    out: list[PostingText] = []
    for path in sorted(Path(FIXTURES).rglob("*")):
        if path.is_file() and path.suffix in (".json", ".xml", ".rss", ".html"):
            try:
                out += corpus_postings(path)
            except Exception:  # a capture a base refuses (an error payload) has no postings
                continue
    return out


@pytest.mark.parametrize(
    ("path", "title", "location", "expected"),
    [
        # WWR back-end board: regions from the feed, stack from the title
        (
            WWR_BACKEND,
            "Senior C# and PostgreSQL Backend Developer",
            None,
            {"is_backend": True, "remote": "remote", "remote_regions": (), "seniority": "senior"},
        ),
        (
            WWR_BACKEND,
            "Founding Engineer (Backend)",
            None,
            {"is_backend": True, "remote": "remote", "remote_regions": ("US",)},
        ),
        (
            WWR_BACKEND,
            "Technical Writer – Mobile, Golang, Augmented Reality",
            None,
            {"is_backend": False},
        ),
        (WWR_BACKEND, "Senior Software Engineer, Data", None, {"is_backend": False, "seniority": "senior"}),
        # Himalayas: the feed's seniority and regions, a contract in the title
        (
            HIMALAYAS,
            "Senior Software Engineer (Python) - Contractor",
            None,
            {"is_backend": True, "employment_type": "contract", "remote": "remote", "seniority": "senior"},
        ),
        (HIMALAYAS, "Flutter Developer", None, {"is_backend": False}),
        # Arbeitnow: remote false is not remote; a city says nothing more
        (ARBEITNOW, "Technical Co-Founder/CTO aureas", None, {"remote": "onsite", "seniority": "lead"}),
        # Remotive: free-text regions, an all-remote board
        (REMOTIVE, "Senior Full-stack React Developer", None, {"is_backend": True, "remote": "remote"}),
        (
            REMOTIVE,
            "Marketing Manager, Content & AI Enablement",
            None,
            {"is_backend": False, "remote": "remote", "remote_regions": ("US",)},
        ),
        # Lever demo: generic titles and non-engineering roles at a city
        (LEVER_DEMO, "Back-End Engineer", None, {"is_backend": True, "remote": "unknown"}),
        (LEVER_DEMO, "Front-End Engineer", None, {"is_backend": False}),
        (LEVER_DEMO, "Tests / QA Engineer", None, {"is_backend": False}),
        (LEVER_DEMO, "Full Stack Engineer - UI/UX", None, {"is_backend": True}),
        (LEVER_DEMO, "VP Global Sales Engineering", None, {"is_backend": False, "seniority": "lead"}),
        (LEVER_DEMO, "Product Marketing Intern", None, {"seniority": "intern", "employment_type": "internship"}),
    ],
)
def test_real_postings(path: str, title: str, location: str | None, expected: dict[str, object]) -> None:
    result = classify_posting(posting(path, title, location))
    assert {key: getattr(result, key) for key in expected} == expected


def test_every_field_has_its_evidence() -> None:
    result = classify_posting(posting(WWR_BACKEND, "Senior C# and PostgreSQL Backend Developer"))
    assert "C#" in result.skills and "PostgreSQL" in result.skills
    assert Evidence("title", "C#") in result.evidence["skill:C#"]
    assert Evidence("title", "Backend") in result.evidence["is_backend"]
    assert Evidence("title", "Senior") in result.evidence["seniority"]
    assert result.evidence["remote"][0].field in {"feed", "location", "config"}
    for key, found in result.evidence.items():
        assert found, key
        assert all(isinstance(item, Evidence) and 0 < len(item.text) <= 120 for item in found), key
    skill_keys = {key.removeprefix("skill:") for key in result.evidence if key.startswith("skill:")}
    assert skill_keys == set(result.skills)


def test_generic_title_is_decided_by_the_description_stack() -> None:
    stack = "We build APIs in Python and Django on PostgreSQL."
    front = "You will build our design system in React, HTML and CSS."
    backend = classify_posting(PostingText(title="Software Engineer", description_text=stack))
    frontend = classify_posting(PostingText(title="Software Engineer", description_text=front))
    assert backend.is_backend and not frontend.is_backend
    assert Evidence("title", "Software Engineer") in backend.evidence["is_backend"]
    assert backend.evidence["is_backend"][-1].field == "description"


def test_structured_values_come_first() -> None:
    text = PostingText(
        title="Junior Backend Engineer (Contract)",
        description_text="This is a full-time position. We are unable to sponsor visas. 5+ years of experience.",
        remote_structured="hybrid",
        location="Remote - US",
        seniority_raw="Senior",
        employment_type_raw="FULL_TIME",
        salary_min=120000,
        salary_max=150000,
        salary_currency="USD",
        salary_period="year",
    )
    result = classify_posting(text)
    # Seniority is the exception: the title's level comes before the feed's (tests/labelled/README.md).
    assert (result.remote, result.seniority, result.employment_type) == ("hybrid", "junior", "full_time")
    assert result.remote_regions == ()  # regions are for remote jobs
    assert result.visa_sponsorship == "not_offered"
    assert result.salary is not None and (result.salary.min, result.salary.max) == (120000, 150000)
    assert result.evidence["salary"][0].field == "feed"
    assert result.evidence["remote"] == (Evidence("feed", "hybrid"),)


def test_source_default_and_company_override_are_config_evidence() -> None:
    by_default = classify_posting(PostingText(title="x", description_text="", source_sector="Education"))
    assert by_default.sector == "Education" and by_default.evidence["sector"] == (Evidence("config", "Education"),)
    override = classify_posting(PostingText(title="x", description_text="banks banks banks", company="GitLab Inc."))
    assert override.sector == "Technology" and override.evidence["sector"][0].field == "config"
    with pytest.raises(ValueError, match="unknown default sector"):
        classify_posting(PostingText(title="x", description_text="", source_sector="Fintech"))


def test_tags_back_skills_but_never_add_them() -> None:
    result = classify_posting(
        PostingText(title="Backend Engineer", description_text="We write Go services.", tags=("golang", "rust"))
    )
    assert result.skills == ("Go",)
    assert Evidence("tags", "golang") in result.evidence["skill:Go"]


def test_every_fixture_posting_gets_valid_values() -> None:
    seen = all_fixture_postings()
    assert len(seen) > 300
    names, sectors = set(skill_names()), set(sector_names())
    for text in seen:
        result = classify_posting(text)
        assert isinstance(result, Classification)
        assert set(result.skills) <= names
        assert list(result.skills) == sorted(result.skills, key=skill_names().index)
        assert result.remote in {"remote", "hybrid", "onsite", "unknown"}
        assert result.sector in sectors
        assert result.seniority in {"intern", "junior", "mid", "senior", "lead", "unknown"}
        assert result.employment_type in {None, "full_time", "part_time", "contract", "temporary", "internship"}
        assert result.visa_sponsorship in {"offered", "not_offered", "not_stated"}
        assert result.remote == "remote" or result.remote_regions == ()


def test_salary_shortcut_never_changes_an_answer() -> None:
    """classify_posting hands parse_salary only the lines of a description that hold a currency."""
    checked = 0
    for text in all_fixture_postings():
        full = parse_salary(None, description=text.description_text)
        assert parse_salary(None, description=salary_lines(Text(text.description_text))) == full, text.title
        checked += full is not None
    assert checked > 20


def test_posting_text_is_frozen_and_defaults_are_empty() -> None:
    text = PostingText(title="Backend Engineer", description_text="")
    with pytest.raises(dataclasses.FrozenInstanceError):
        text.title = "x"  # type: ignore[misc]
    result = classify_posting(text)
    assert result.remote == "unknown" and result.salary is None and result.visa_sponsorship == "not_stated"


@pytest.mark.parametrize(
    ("title", "description", "skills"),
    [
        # business roles report no skills: the words name the product or the customers' tools (Greenhouse, GitLab)
        (
            "Account Executive - Italy",
            "GitLab is built on Git.\n\nRequirements\n\n- Experience selling to AWS users",
            (),
        ),
        (
            "UX Designer",
            "Requirements\n\n- Ability to bring your designs to life (CSS, HTML, and Javascript) is a plus",
            (),
        ),
        # engineering-adjacent roles: only the role's and the requirements' sections (WWR, Draft.dev)
        (
            "Technical Writer – Mobile, Golang, Augmented Reality",
            "Ever used machine learning in that space, or Kubernetes?\n\nRequirements\n\n- Experience with Python",
            ("Python",),
        ),
        # engineering roles: everything but the company's sections
        (
            "Senior Backend Engineer",
            "We use Kotlin.\n\nAbout us\n\nOur product runs on Elixir.\n\nRequirements\n\n- PostgreSQL",
            ("Kotlin", "PostgreSQL"),
        ),
    ],
)
def test_the_title_family_decides_which_skills_count(title: str, description: str, skills: tuple[str, ...]) -> None:
    result = classify_posting(PostingText(title=title, description_text=description))
    assert result.skills == skills
