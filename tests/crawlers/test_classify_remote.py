"""classify_remote against the structured values and location/title strings of the captured feeds."""

from __future__ import annotations

import pytest

from config.taxonomy import REMOTE_STATUSES
from crawlers.classify import classify_remote
from crawlers.classify.remote import remote_status
from crawlers.classify.text import Text


@pytest.mark.parametrize(
    ("structured", "location", "expected"),
    [
        # Ashby isRemote, Workable/Arbeitnow/Recruitee remote
        (True, "", "remote"),
        (True, "Toronto, Ontario", "remote"),
        (False, "", "onsite"),
        (False, "Heidelberg", "onsite"),
        (False, "Berlin (Hybrid)", "hybrid"),
        # Lever workplaceType: remote while categories.location is a city (idealistconsulting)
        ("remote", "Chicago, IL", "remote"),
        ("hybrid", "London, United Kingdom", "hybrid"),  # palantir
        ("onsite", "", "onsite"),
        ("unspecified", "", "unknown"),
        ("unspecified", "Remote, Italy", "remote"),
        # Ashby workplaceType
        ("Remote", "LatAm", "remote"),
        ("Hybrid", "New York, NY (HQ)", "hybrid"),
        ("OnSite", "", "onsite"),
        # Workable workplace
        ("on_site", "", "onsite"),
        # schema.org jobLocationType
        ("TELECOMMUTE", "", "remote"),
        # the structured value wins over the text
        ("onsite", "Remote", "onsite"),
        ("remote", "Berlin (Hybrid)", "remote"),
        # OpenAI's board: both fields null
        (None, "San Francisco", "unknown"),
        ("", "San Francisco", "unknown"),
        ("flexible", "Remote - US", "remote"),
    ],
)
def test_structured_value_comes_first(structured: str | bool | None, location: str, expected: str) -> None:
    assert classify_remote(structured=structured, location=location) == expected


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        # Greenhouse location.name
        ("Remote, Italy", "remote"),
        ("Remote, Bangalore", "remote"),
        ("Remote, United States", "remote"),
        ("London, UK", "unknown"),
        ("Bangalore, India", "unknown"),
        ("Pittsburgh, PA", "unknown"),
        ("New York, NY", "unknown"),
        # Ashby location / secondaryLocations
        ("Remote (Canada)", "remote"),
        ("Remote (US)", "remote"),
        ("New York, NY (HQ)", "unknown"),
        ("Toronto, Ontario", "unknown"),
        # RemoteOK location
        ("Remote - US", "remote"),
        ("Remote - Americas", "remote"),
        ("Canada (Remote)", "remote"),
        ("USA Remote", "remote"),
        ("Remote, USA", "remote"),
        ("Remoto", "remote"),
        ("World Wide", "remote"),
        ("United States - Remote Flexibility", "remote"),
        ("San Francisco, CA | New York City, NY | Seattle, WA", "unknown"),
        ("Saint Louis, MO, USA", "unknown"),
        ("APAC-C1", "unknown"),
        ("", "unknown"),
        # Remotive candidate_required_location, WWR region
        ("Worldwide", "remote"),
        ("Anywhere in the World", "remote"),
        ("USA", "unknown"),
        ("USA Only", "unknown"),
        # Arbeitnow location
        ("Remote", "remote"),
        ("Hamburg, Berlin", "unknown"),
        # HN "Who is hiring" location segments
        ("Remote (worldwide)", "remote"),
        ("Remote (EU only)", "remote"),
        ("REMOTE (US)", "remote"),
        ("NYC (in-person 5x/week)", "onsite"),
        ("Hybrid NYC (2-3 days in office)", "hybrid"),
        ("London (3 days a week in the office)", "hybrid"),
        ("London (5 days in office)", "onsite"),
        ("Los Angeles, CA (HYBRID) / Hyderabad, India", "hybrid"),
        # Both offered: the narrower promise is the safe label.
        ("HYBRID (London, Paris, Montpellier) or REMOTE (UTC-1 to UTC+2)", "hybrid"),
        ("Berlin (Hybrid)", "hybrid"),
        ("Hybrid - London", "hybrid"),
        ("On-site", "onsite"),
        ("On-site Washington D.C. and surrounding suburbs", "onsite"),
        ("In office", "onsite"),
        ("San Francisco (No Remote)", "onsite"),
        ("Munich, Germany (Homeoffice)", "remote"),
    ],
)
def test_location_text(location: str, expected: str) -> None:
    assert classify_remote(location=location) == expected


@pytest.mark.parametrize(
    ("location", "expected"),
    [
        # WWR <region> and Remotive candidate_required_location: where the remote worker may live
        ("USA Only", "remote"),
        ("Europe Only", "remote"),
        ("Latin America Only", "remote"),
        ("Americas, Europe, Asia, Oceania", "remote"),
        ("USA, Canada, USA timezones", "remote"),
        ("", "remote"),
        # an all-remote board can still carry a hybrid or office job
        ("Hybrid - London", "hybrid"),
        ("NYC (in-person 5x/week)", "onsite"),
    ],
)
def test_all_remote_board(location: str, expected: str) -> None:
    assert classify_remote(location=location, all_remote_board=True) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # Workable titles
        ("Senior Python Software Engineer/Open-Source Contributor - US Remote", "remote"),
        ("Senior Python Software Engineer/Open-Source Contributor - EMEA Remote", "remote"),
        ("Data/Infrastructure Advocate Engineer - EMEA Remote", "remote"),
        # Himalayas
        ("Golang Developer - Remote, Latin America", "remote"),
        ("Fully Remote Backend Engineer", "remote"),
        ("Backend Engineer (Hybrid)", "hybrid"),
        ("Backend Engineer | On-site", "onsite"),
        # the workplace words as part of the role
        ("Remote Sensing Engineer", "unknown"),
        ("Remote Patient Monitoring Nurse", "unknown"),
        ("Hybrid Cloud Architect", "unknown"),
        ("Remote Support Technician", "unknown"),
        # no workplace at all
        ("Account Executive - Italy", "unknown"),
        ("Senior Front-end Engineer - Open Application", "unknown"),
        ("Customer Experience Lab Technician (Netherlands)", "unknown"),
    ],
)
def test_title(title: str, expected: str) -> None:
    assert classify_remote(title=title) == expected


def test_location_is_read_before_title() -> None:
    assert classify_remote(location="Berlin (Hybrid)", title="Backend Engineer - Remote") == "hybrid"
    assert classify_remote(location="Berlin", title="Backend Engineer - Remote") == "remote"


def test_description_body_is_not_an_input() -> None:
    # "remote" anywhere in a body ("remote-friendly culture", "our remote customers") says nothing about the job.
    with pytest.raises(TypeError):
        classify_remote(location="Berlin", description="We are a remote-first company")  # type: ignore[call-arg]


def test_arguments_are_keyword_only() -> None:
    with pytest.raises(TypeError):
        classify_remote(True)  # type: ignore[misc]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"structured": True},
        {"structured": "weird"},
        {"location": "Remote, Italy"},
        {"title": "Hybrid Cloud Architect", "all_remote_board": True},
    ],
)
def test_always_returns_a_known_status(kwargs: dict[str, object]) -> None:
    assert classify_remote(**kwargs) in REMOTE_STATUSES  # type: ignore[arg-type]


# --- the workplace stated in a description, and evidence (remote_status) ------------------------------------------


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        ("This is a fully remote role open to candidates in Europe.", "remote"),
        ("The position is remote within the US.", "remote"),
        ("This is a hybrid role: 3 days a week in the office in Berlin.", "hybrid"),
        ("You will work 2 days per week in office.", "hybrid"),
        ("This is an on-site role at our Munich office.", "onsite"),
        ("This is not a remote position.", "onsite"),
        ("We work 5 days a week in the office.", "onsite"),
        # a bare "remote" says nothing about this job
        ("You will support remote teams and customers across remote sites.", "unknown"),
        ("We are a remote-friendly company.", "unknown"),
    ],
)
def test_description_phrases_state_the_workplace(description: str, expected: str) -> None:
    assert remote_status(location="Berlin", description=Text(description))[0] == expected


def test_fields_come_before_the_description() -> None:
    text = Text("This is a fully remote role.")
    assert remote_status(structured="hybrid", description=text)[0] == "hybrid"
    assert remote_status(location="Hybrid - London", description=text)[0] == "hybrid"
    assert remote_status(title="Engineer (On-site)", description=text)[0] == "onsite"
    # on an all-remote board a description that states hybrid work is believed
    assert remote_status(all_remote_board=True, description=Text("This is a hybrid role in NYC."))[0] == "hybrid"


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"structured": "Remote"}, ("remote", (("feed", "Remote"),))),
        ({"structured": False}, ("onsite", (("feed", "remote: false"),))),
        ({"location": "Remote, Italy"}, ("remote", (("location", "Remote"),))),
        ({"location": "Hybrid NYC (2-3 days in office)"}, ("hybrid", (("location", "Hybrid"),))),
        (
            {"title": "Senior C++ Developer - Remote - EU Time Zone"},
            ("remote", (("title", "Senior C++ Developer - Remote - EU Time Zone"),)),
        ),
        ({"all_remote_board": True}, ("remote", (("config", "a board that lists only remote jobs"),))),
        ({"location": "San Francisco"}, ("unknown", ())),
    ],
)
def test_evidence(kwargs: dict[str, object], expected: tuple[str, tuple[tuple[str, str], ...]]) -> None:
    assert remote_status(**kwargs) == expected  # type: ignore[arg-type]
