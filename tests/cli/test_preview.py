"""`jobsift preview FILE`: every real capture (and hand-made sample) previews with the right number of postings and
the right first posting, format by format, without touching the store."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

# fixture, postings, first posting's external_id and title
PREVIEWS = [
    ('arbeitnow/arbeitnow_job-board-api_5jobs.json', 5, 'ml-product-engineer-heidelberg-60723', 'ML Product Engineer'),
    ('arbeitnow/arbeitnow_job-board-api_trimmed_by_committer.json', 3, 'praktikant-marketing-event-student-in-offenburg-442686', 'Praktikant Marketing/Event (m/w/d) - Student: in'),
    ('ashby/highlightta_job_board_with_compensation.json', 2, '90fb3621-899e-4b59-925d-25080ec91e18', 'Senior Technical Recruiter'),
    ('ashby/notion_job_board_trimmed_by_committer.json', 3, '05e14247-17c4-4e98-9a13-53828a4e2f13', 'Business Development Representative, New York'),
    ('ashby/openai_job_board_trimmed_by_committer.json', 2, '8fb1615c-34bf-47c4-a1d1-b7b2f836bbd3', 'Technical Program Manager, Compute Infrastructure'),
    ('ashby/ramp_job_board_trimmed_by_committer.json', 3, '34413f8d-26bf-4bbc-8ade-eb309a0e2245', 'Security Engineer, Cloud'),
    ('ashby/truelogic_job_board_3jobs.json', 3, '09bb501c-e72d-4c9e-8df3-212ac53e69d9', 'Senior Front-end Engineer - Open Application'),
    ('atom/atom_made_for_tests.xml', 3, 'tag:careers.example.com,2026:job-101', 'Backend & Platform Engineer (Go)'),
    ('greenhouse/amplitude_jobs_content_2jobs_full_strings.json', 2, '8636903002', 'Customer Data Scientist - Experimentation'),
    ('greenhouse/gitlab_jobs_content_trimmed_by_committer.json', 3, '8503792002', 'Account Executive - Italy'),
    ('himalayas/himalayas_api_jobs_offset0_limit20.json', 20, 'https://himalayas.app/companies/sixt/jobs/business-development-manager', 'Business Development Manager'),
    ('hn/algolia_comments_story_47975571_2026-05.json', 17, '48147597', 'Backend Engineer (Mid-level & Senior)'),
    ('hn/algolia_items_48747976_july2026_trimmed_by_committer.json', 4, '48747987', 'CaseLight is looking for a U.S.-based developer for a 20–25% equity partnership.'),
    ('hn/algolia_search_whoishiring_stories.json', 0, None, None),
    ('jobicy/jobicy_remote-jobs_5jobs.json', 5, '150172', 'Senior Manager, Change Enablement - Cox Automotive Fleet'),
    ('jobicy/jobicy_remote-jobs_v2_trimmed_by_committer.json', 3, '150798', '(Senior) Product Director, Local Growth'),
    ('jobicy/jobicy_remote-jobs_v2_with_metadata_strings_trimmed_by_committer.json', 4, '145880', 'Senior Software Engineer (Contract)'),
    ('jsonld/indeed_au_viewjob_senior_devops_papercut_2026-08.html', 1, 'https://au.indeed.com/viewjob?jk=54f1f8af68d722d2', 'Senior DevOps Engineer'),
    ('jsonld/microdata_made_for_tests.html', 1, 'EF-4711', 'Senior Backend Engineer (Python)'),
    ('lever/idealistconsulting_postings_2_full_strings.json', 2, 'a24ec4e5-5caa-473d-abd4-b71f09a8167b', '(1099 Contract) Nonprofit Salesforce Consultant: Enterprise Project Manager'),
    ('lever/leverdemo_postings_group_location_2015.json', 28, '0dc2f930-e8b5-4e41-8f08-ab4e8e63aedf', 'Product Marketing Intern'),
    ('lever/palantir_postings_trimmed_by_committer.json', 3, 'ac978161-6f46-4f6b-ad9e-a258e642751c', 'Administrative Business Partner'),
    ('personio/personio_own_feed_xml_1position.xml', 1, '1834171', 'Staff Software Engineer, Data Platform'),
    ('recruitee/channable_offers_trimmed_by_committer.json', 2, '2631774', 'Account Executive France'),
    ('recruitee/offers_sanitized_acme_full_descriptions.json', 2, '2700825', '(Senior) Financial Accountant (f/m/d) - Berlin/Brandenburg Region, Germany'),
    ('remoteok/remoteok_api_2026-03-17.json', 96, '1130788', 'Benefits Advisor Leadership Training Program'),
    ('remoteok/remoteok_api_2026-05-16.json', 50, '1131612', 'IT Support Technician'),
    ('remotive/remotive_api_remote-jobs_2026-05.json', 18, '2088711', 'Senior Full-stack React Developer'),
    ('remotive/remotive_api_remote-jobs_2026-07_with_BOM.json', 35, '2090903', 'Data Labeling Specialists'),
    ('smartrecruiters/servicenow_postings_list_trimmed_by_committer.json', 3, '744000138497339', 'Sr Product Security Engineer'),
    ('workable/apply_workable_api_v3_jobs_trimmed_by_committer.json', 3, 'F8427A442D', 'Senior Python Software Engineer/Open-Source Contributor - US Remote'),
    ('wwr/weworkremotely_remote-back-end-programming-jobs_2022-11-07.rss', 59, 'https://weworkremotely.com/remote-jobs/findox-inc-senior-csharp-and-postgresql-backend-developer-3', 'Senior C# and PostgreSQL Backend Developer'),
    ('wwr/weworkremotely_remote-jobs_rss_2026-07-10.xml', 4, 'https://weworkremotely.com/remote-jobs/mathmo-maths-coach', 'Maths Coach'),
]  # fmt: skip

FIELDS = {
    "external_id", "title", "company", "location", "remote", "remote_regions", "skills", "sector", "seniority",
    "is_backend", "salary", "posted_at", "apply_url", "employment_type", "visa_sponsorship", "description_text",
}  # fmt: skip


def preview(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jobsift", "preview", *args],
        env={**os.environ, "JOBSIFT_DATA_DIR": str(data_dir)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(("fixture", "count", "first_id", "first_title"), PREVIEWS, ids=[p[0] for p in PREVIEWS])
def test_every_capture_previews(tmp_path: Path, fixture: str, count: int, first_id: str, first_title: str) -> None:
    result = preview(str(FIXTURES / fixture), data_dir=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(lines) == count
    if lines:
        assert (lines[0]["external_id"], lines[0]["title"]) == (first_id, first_title)
    for line in lines:
        assert set(line) >= FIELDS
        assert isinstance(line["external_id"], str) and line["title"]
        assert line["remote"] in {"remote", "hybrid", "onsite", "unknown"}
        assert line["posted_at"] is None or line["posted_at"].endswith("Z")
    assert not (tmp_path / "jobsift.db").exists(), "preview must not create or touch the store"


def test_salary_is_annualised(tmp_path: Path) -> None:
    result = preview(str(FIXTURES / "ashby/highlightta_job_board_with_compensation.json"), data_dir=tmp_path)
    salaries = [line["salary"] for line in map(json.loads, result.stdout.splitlines()) if line["salary"]]
    assert salaries
    for salary in salaries:
        assert salary["period"] == "year" and salary["annual_min"] == salary["min"]


def test_name_fills_in_the_employer_a_feed_does_not_name(tmp_path: Path) -> None:
    fixture = str(FIXTURES / "lever/palantir_postings_trimmed_by_committer.json")
    result = preview(fixture, "--name", "Palantir", data_dir=tmp_path)
    assert {json.loads(line)["company"] for line in result.stdout.splitlines()} == {"Palantir"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["{fixtures}/lever/error_404_invalid_account_2015.json"], "matches no known job-feed format; pass --kind"),
        (["{fixtures}/lever/error_404_invalid_account_2015.json", "--kind", "lever"], "Document not found"),
        (["{fixtures}/wwr/weworkremotely_remote-jobs_rss_2026-07-10.xml", "--kind", "greenhouse"], "not JSON"),
        (["no-such-file.json"], "neither a file nor an http(s) URL"),
    ],
)
def test_an_unreadable_target_exits_1_with_one_clear_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = preview(*(a.format(fixtures=FIXTURES) for a in args), data_dir=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and message in errors[0], result.stderr
