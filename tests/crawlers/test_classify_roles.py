"""Back-end relevance, seniority, employment type and visa sponsorship (crawlers/classify/roles.py).

Titles and sentences are from the captured feeds (shared/corpus) unless marked otherwise.
"""

from __future__ import annotations

import pytest

from crawlers.classify.roles import backend, employment_type, seniority, skill_scope, visa
from crawlers.classify.text import Text

SERVER = {"Python": "Python", "PostgreSQL": "Postgres"}


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        # back-end by name, by stack in the title, by full-stack
        ("Senior Backend Engineer - Javascript Node", True),
        ("Back-End Developer (.Net Core / C#) - English & Russian / Ukranian Speaking, EU Remote", True),
        ("Founding Engineer (Backend)", True),
        ("Senior Software Engineer, Backend (Remote)", True),
        ("Ruby on Rails API Engineer", True),
        ("Senior Full-stack React Developer", True),
        ("Full Stack Engineer - UI/UX", True),
        ("Tech Lead Full-Stack Rails Engineer", True),
        # a qualifier after the role makes a generic title specific
        ("Software Engineer, Frontend", False),
        ("Senior Software Engineer, Data", False),
        ("Mobile Engineer, Android", False),
        # other engineering
        ("Senior Mobile Engineer (React Native)", False),
        ("Senior Site Reliability Engineer", False),
        ("Senior DevOps Engineer - LATAM", False),
        ("Tests / QA Engineer", False),
        ("Security Engineer, Cloud", False),
        ("Machine Learning Engineer", False),
        ("Senior Firmware Engineer", False),
        # engineering-adjacent and non-engineering
        ("Backend Support Engineer - Integrations - (LatAm)", False),
        ("Senior Sales Engineer", False),
        ("Technical Writer – Mobile, Golang, Augmented Reality", False),
        (".NET Developer Advocate", False),
        ("Engineering Manager Accelerator Platform", False),
        ("Head of Engineering", False),
        ("Product Designer", False),
        ("Account Executive - Italy", False),
        ("Multiple roles", False),
    ],
)
def test_title_decides(title: str, expected: bool) -> None:
    title_skills = {name: name for name in ("Python", "Ruby", "Rails", "C#", ".NET", "Node.js") if name in title}
    assert backend(title, title_skills, SERVER)[0] is expected


@pytest.mark.parametrize(
    ("description_skills", "expected"),
    [
        ({"Python": "Python", "PostgreSQL": "Postgres"}, True),
        ({"Go": "Golang"}, True),
        ({"Go": "Go", "React": "React"}, False),  # one server skill against a front-end one
        ({"Java": "Java", "Kafka": "Kafka", "React": "React"}, True),
        ({"React": "React", "CSS": "CSS"}, False),
        ({"Kubernetes": "Kubernetes"}, False),  # neither side: only a software title is taken as back-end
    ],
)
def test_generic_titles_need_a_server_side_stack(description_skills: dict[str, str], expected: bool) -> None:
    for title in ("Software Engineer", "Staff Engineer", "Product Engineer", "Lead Software Developer"):
        is_backend, evidence = backend(title, {}, description_skills)
        assert is_backend is (expected or ("Software" in title and set(description_skills) == {"Kubernetes"})), title
        assert evidence[0][0] == "title"


@pytest.mark.parametrize(
    ("title", "software"),
    [
        # a title that names software work, with no stack named either way (real titles from the corpus)
        ("Senior Software Engineer", "Software Engineer"),
        ("Senior Independent Software Developer", "Software Developer"),
        ("Software Engineer II", "Software Engineer"),
        ("Tech Lead - Software Engineering", "Software Engineering"),
        ("Senior SWE, Payments", "SWE"),
        # generic titles that need not be software (invented, but common on company boards)
        ("Process Engineer", None),
        ("Staff Engineer", None),
        ("Product Engineer", None),
        ("Business Developer", None),
        ("CNC Programmer", None),
        ("Software Engineer, Frontend", None),
    ],
)
def test_a_software_title_naming_no_stack_is_back_end(title: str, software: str | None) -> None:
    is_backend, evidence = backend(title, {}, {})
    assert is_backend is (software is not None)
    if software is not None:
        assert evidence == (("title", software),)
    # A front-end or mobile skill named decides even so.
    assert backend(title, {}, {"React": "React"})[0] is False


@pytest.mark.parametrize(
    ("title", "feed", "description", "expected"),
    [
        ("Backend Engineer", "Mid-level", "", "mid"),
        ("Backend Engineer", "Entry-level", "", "junior"),
        ("Backend Engineer", "mid_level", "", "mid"),
        ("Senior Backend Engineer", "Any", "", "senior"),  # a value that says nothing falls through
        ("Sr PHP Developer - High load, MySQL, GCP, Laminas", None, "", "senior"),
        ("Senior/Staff Ruby on Rails Engineer", None, "", "senior"),  # a range is its lower level
        ("Staff Backend Engineer Core Product", None, "", "lead"),  # Staff and Principal are lead
        ("Principal 3D Character Artist", None, "", "lead"),
        ("Staff Software Engineer, Product (Campinas)", "Senior", "", "lead"),  # the title before the feed
        ("Senior or Principal Engineer", None, "", "senior"),
        ("Senior Director Enterprise Sales", None, "", "lead"),  # not a range: a modifier
        ("CFO", "Senior", "", "lead"),
        ("Backend Engineer", "Senior", "- 1+ years of experience", "senior"),  # the feed before years
        ("Lead 3D Environment Artist", None, "", "lead"),
        ("Head of Forward Deployment Engineering", None, "", "lead"),
        ("Engineering Manager Workload Management", None, "", "lead"),
        ("Senior Director, Team Lead US Medical Affairs, COPD", None, "", "lead"),
        ("Mid/Senior AI Cinematic Video Editor", None, "", "mid"),  # a range names the level it accepts
        ("Ruby on Rails Engineer (Mid-Senior)", None, "", "mid"),
        ("ML Engineer Intern", None, "", "intern"),
        ("Praktikant Marketing/Event (m/w/d) - Student: in", None, "", "intern"),
        ("Entry Level Crypto Market Specialist", None, "", "junior"),
        ("Frontend Engineer II Core Product", None, "", "mid"),
        # years only when the title says nothing
        ("Backend Engineer", None, "- 5+ years of software development experience", "senior"),
        ("Backend Engineer", None, "You have 3-5 years of professional experience with Go.", "mid"),
        ("Backend Engineer", None, "At least 1 year of experience with Python", "junior"),
        ("Backend Engineer", None, "Experience: minimum 6 years", "senior"),
        ("Senior Backend Engineer", None, "1+ years of experience", "senior"),
        ("Backend Engineer", None, "We have been in business for 25 years.", "unknown"),
        ("Backend Engineer", None, "Founded 10 years ago, we serve 5,000 customers.", "unknown"),
        ("Backend Engineer", None, "", "unknown"),
    ],
)
def test_seniority(title: str, feed: str | None, description: str, expected: str) -> None:
    assert seniority(title, feed, Text(description))[0] == expected


def test_seniority_evidence_names_the_field() -> None:
    assert seniority("Backend Engineer", "Senior", Text(""))[1] == (("feed", "Senior"),)
    assert seniority("Junior Backend Engineer", "Senior", Text(""))[1] == (("title", "Junior"),)
    assert seniority("Sr. Backend Engineer", None, Text(""))[1] == (("title", "Sr"),)
    level, evidence = seniority("Backend Engineer", None, Text("You bring 7+ years of experience building APIs."))
    assert level == "senior" and evidence[0][0] == "description" and "7+ years" in evidence[0][1]


@pytest.mark.parametrize(
    ("title", "feed", "description", "expected"),
    [
        ("Backend Engineer", "Full-time", "", "full_time"),
        ("Backend Engineer", "FULL_TIME", "", "full_time"),
        ("Backend Engineer", "FullTime", "", "full_time"),
        ("Backend Engineer", "Contractor", "", "contract"),
        ("Backend Engineer", "freelance", "", "contract"),
        ("Backend Engineer", "CONTRACT (1099), 10-20 hrs/week", "", "contract"),
        ("Backend Engineer", "Contract / Part-time (10–40 hrs/wk)", "", "contract"),
        ("Backend Engineer", "part_time", "", "part_time"),
        ("Backend Engineer", "Internship", "", "internship"),
        ("Backend Engineer", "geschäftsleitung", "", None),  # not a type: falls through, and nothing else says
        ("(1099 Contract) Salesforce for Nonprofits: Solution Architect", None, "", "contract"),
        ("Senior Software Engineer (Contract)", None, "", "contract"),
        ("Java Developer (Full-Time)", None, "", "full_time"),
        ("Design Intern Summer 2026", None, "", "internship"),
        ("Backend Engineer", None, "This is a contract role for 6 months.", "contract"),
        ("Backend Engineer", None, "This is a part-time position (20h/week).", "part_time"),
        ("Backend Engineer", None, "A full-time, permanent position.", "full_time"),
        ("Backend Engineer", None, "Our contractors and full-time staff work together.", None),
    ],
)
def test_employment_type(title: str, feed: str | None, description: str, expected: str | None) -> None:
    assert employment_type(title, feed, Text(description))[0] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We are unable to sponsor visas for this role.", "not_offered"),
        ("Unfortunately we cannot offer visa sponsorship.", "not_offered"),
        ("Applicants must be authorized to work in the U.S. without the need for visa sponsorship.", "not_offered"),
        ("Candidates must be able to work in the US without sponsorship now or in the future.", "not_offered"),
        ("Visa sponsorship is not available for this position.", "not_offered"),
        ("We do not provide visa sponsorship.", "not_offered"),
        ("Visa sponsorship available for the right candidate.", "offered"),
        ("We offer visa sponsorship and relocation support to Berlin.", "offered"),
        ("We sponsor visas and help with relocation.", "offered"),
        ("Relocation and visa support provided.", "offered"),
        ("You must be authorized to work in the United States.", "not_stated"),
        ("Our sponsors include the Linux Foundation.", "not_stated"),
        ("", "not_stated"),
    ],
)
def test_visa_sponsorship(text: str, expected: str) -> None:
    assert visa(Text(text))[0] == expected


def test_visa_evidence_is_the_clause() -> None:
    text = "Great benefits. We are unable to sponsor visas at this time. Apply now."
    assert visa(Text(text)) == ("not_offered", (("description", "We are unable to sponsor visas at this time"),))


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Account Executive - Italy", "none"),
        ("UX Designer", "none"),
        ("Marketing Automation and Analytics Manager", "none"),  # the business word before the generic one
        ("Technical Writer – Mobile, Golang, Augmented Reality", "requirements"),
        ("Senior Sales Engineer", "requirements"),
        ("Tier II III UC Support Engineer", "requirements"),
        ("Engineering Manager Workload Management", "requirements"),
        ("Senior Backend Engineer", "all"),
        ("Senior Software Engineer", "all"),
        ("Front-End Engineer", "all"),
        ("GSD Telephone Operator", "all"),  # no family: nothing to say
    ],
)
def test_skill_scope(title: str, expected: str) -> None:
    assert skill_scope(title) == expected
