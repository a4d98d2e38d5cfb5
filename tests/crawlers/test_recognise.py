from __future__ import annotations

from pathlib import Path

import pytest

from config.recognise import Recognised, Unrecognised, recognise_content, recognise_url
from crawlers.spiders import SPIDERS
from tests.conftest import FIXTURES


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://boards.greenhouse.io/gitlab", Recognised("greenhouse", "https://boards-api.greenhouse.io/v1/boards/gitlab/jobs?content=true", "gitlab")),
        ("https://job-boards.greenhouse.io/gitlab/jobs/8503792002", Recognised("greenhouse", "https://boards-api.greenhouse.io/v1/boards/gitlab/jobs?content=true", "gitlab")),
        ("https://jobs.lever.co/palantir", Recognised("lever", "https://api.lever.co/v0/postings/palantir?mode=json", "palantir")),
        ("https://jobs.eu.lever.co/acme/", Recognised("lever", "https://api.eu.lever.co/v0/postings/acme?mode=json", "acme")),
        ("https://jobs.ashbyhq.com/ramp", Recognised("ashby", "https://api.ashbyhq.com/posting-api/job-board/ramp?includeCompensation=true", "ramp")),
        ("https://apply.workable.com/acme/", Recognised("workable", "https://apply.workable.com/api/v3/accounts/acme/jobs", "acme")),
        ("https://jobs.smartrecruiters.com/ServiceNow", Recognised("smartrecruiters", "https://api.smartrecruiters.com/v1/companies/ServiceNow/postings?limit=100&offset=0", "ServiceNow")),
        ("https://channable.recruitee.com/", Recognised("recruitee", "https://channable.recruitee.com/api/offers/", "channable")),
        ("https://personio.jobs.personio.de/", Recognised("personio", "https://personio.jobs.personio.de/xml?language=en", "personio")),
        ("https://remoteok.com/remote-dev-jobs", Recognised("remoteok", "https://remoteok.com/api")),
        ("https://remotive.com/remote-jobs/software-dev", Recognised("remotive", "https://remotive.com/api/remote-jobs")),
        ("https://www.arbeitnow.com/", Recognised("arbeitnow", "https://www.arbeitnow.com/api/job-board-api")),
        ("https://weworkremotely.com/categories/remote-back-end-programming-jobs.rss", Recognised("weworkremotely", "https://weworkremotely.com/categories/remote-back-end-programming-jobs.rss")),
        ("https://news.ycombinator.com/item?id=47975571", Recognised("hn", "https://hn.algolia.com/api/v1/search_by_date?tags=story,author_whoishiring")),
        ("https://careers.example.com/jobs", None),
    ],
)  # fmt: skip
def test_recognise_url(url: str, expected: Recognised | None) -> None:
    assert recognise_url(url) == expected
    if expected is not None:
        assert expected.kind in SPIDERS


@pytest.mark.parametrize(
    ("fixture", "kind"),
    [
        ("greenhouse/gitlab_jobs_content_trimmed_by_committer.json", "greenhouse"),
        ("lever/palantir_postings_trimmed_by_committer.json", "lever"),
        ("lever/leverdemo_postings_group_location_2015.json", "lever"),
        ("ashby/highlightta_job_board_with_compensation.json", "ashby"),
        ("workable/apply_workable_api_v3_jobs_trimmed_by_committer.json", "workable"),
        ("smartrecruiters/servicenow_postings_list_trimmed_by_committer.json", "smartrecruiters"),
        ("recruitee/channable_offers_trimmed_by_committer.json", "recruitee"),
        ("personio/personio_own_feed_xml_1position.xml", "personio"),
        ("remoteok/remoteok_api_2026-05-16.json", "remoteok"),
        ("remotive/remotive_api_remote-jobs_2026-07_with_BOM.json", "remotive"),
        ("arbeitnow/arbeitnow_job-board-api_5jobs.json", "arbeitnow"),
        ("jobicy/jobicy_remote-jobs_v2_with_metadata_strings_trimmed_by_committer.json", "jobicy"),
        ("himalayas/himalayas_api_jobs_offset0_limit20.json", "himalayas"),
        ("wwr/weworkremotely_remote-jobs_rss_2026-07-10.xml", "weworkremotely"),
        ("atom/atom_made_for_tests.xml", "rss"),
        ("hn/algolia_search_whoishiring_stories.json", "hn"),
        ("jsonld/indeed_au_viewjob_senior_devops_papercut_2026-08.html", "jsonld"),
    ],
)
def test_recognise_content_of_every_captured_format(fixture: str, kind: str) -> None:
    assert recognise_content(Path(FIXTURES / fixture).read_bytes()) == kind


@pytest.mark.parametrize("body", [b"", b"hello", b'{"foo": 1}', b"[1, 2]", b"\x00\xff\xfe"])
def test_unknown_content_is_refused_with_a_reason(body: bytes) -> None:
    with pytest.raises(Unrecognised):
        recognise_content(body)
