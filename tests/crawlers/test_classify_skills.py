"""extract_skills against sentences from the captured feeds (shared/corpus), plus the ambiguous-word traps."""

from __future__ import annotations

import pytest

from config.taxonomy import load_skills, skill_names
from crawlers.classify import extract_skills


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # HN "Who is hiring", Woosmap
        (
            "Stack: Python, Go, Rust, TypeScript, Valkey, Postgres, OpenSearch, Docker, AWS",
            ["Python", "Go", "TypeScript", "Rust", "PostgreSQL", "AWS", "Docker"],
        ),
        (
            "Significant experience with C/C++, Go, Swift, and/or Rust *Even if you don’t fit all of these",
            ["Go", "Rust", "C++", "C", "Swift"],
        ),
        (
            "A variety of languages, including Java and Go for backend and Typescript for frontend",
            ["Java", "Go", "TypeScript"],
        ),
        ("Primary Languages: Proficiency in Go (Golang) and React (+3 years of experience).", ["Go", "React"]),
        ("we are open to specialized Back-end (Go) developers who are masters of their craft.", ["Go"]),
        ("at least 3+ years of experience working with GO language.", ["Go"]),
        ("Good knowledge of concurrency in Go - goroutines, channel patterns, Go ecosystem", ["Go"]),
        ("90%+ code base is written in Go. Developing high-volume, low-latency applications", ["Go"]),
        # (the line before it, "any popular language such as Python, Java, C#, JavaScript, Go, C/C++", is a catalogue)
        ("4+ years of working with SQL and NoSQL databases", ["SQL", "NoSQL"]),
        # six languages are still a stack (HN "Who is hiring", Oaktree Capital)
        (
            "Python + at least one statically typed/compiled language (C#/.NET, C++, Java, Scala, Go)",
            ["Python", "Java", "Go", "C#", "Scala", "C++", ".NET"],
        ),
        (
            "Strong experience in a statically typed/compiled language (C#/.NET, C++, Java, Scala, Go)",
            ["Java", "Go", "C#", "Scala", "C++", ".NET"],
        ),
        ("Required skills: Fluent C and good C++ or willingness to learn C++", ["C++", "C"]),
        ("Must Have Competencies: Writes production C/C++ at the register level", ["C++", "C"]),
        (
            "Languages: Java 11, C, C++, TypeScript, SQL, XML Databases: Oracle, PostgreSQL, MySQL, MS SQL Server",
            ["Java", "TypeScript", "C++", "C", "SQL", "PostgreSQL", "MySQL", "Oracle", "SQL Server"],
        ),
        (
            "Senior-level experience with Javascript, NodeJS, Express, Mongo Ability to create clean code",
            ["JavaScript", "Node.js", "Express", "MongoDB"],
        ),
        ("Experienced with backend-focused JS (e.g., Node.js, Express).", ["JavaScript", "Node.js", "Express"]),
        (
            "proficient in any of the following areas: React & Node, React & Ruby, PHP & Angular",
            ["Ruby", "PHP", "Node.js", "React", "Angular"],
        ),
        (
            "through Rest APIs, event streams, or queues using Node.js, Java, Python, or NetCore.",
            ["Python", "Java", "Node.js", ".NET", "REST"],
        ),
        (
            "PHP & Laravel, .NET & C#, Java & Spring, Unreal Engine & C++",
            ["Java", "PHP", "C#", "C++", ".NET", "Spring", "Laravel"],
        ),
        (
            "Framework: Eclipse Rich Client Platform, JUnit, Spring, Hibernate, Angular, JQuery",
            ["Spring", "Hibernate", "Angular"],
        ),
        ("Architect and maintain Rails applications (Rails 8)", ["Rails"]),
        (
            "Back-End Ruby (5+ years, expert-level) Ruby on Rails (Rails 6-8 preferred) PostgreSQL (or MySQL)",
            ["Ruby", "Rails", "PostgreSQL", "MySQL"],
        ),
        (
            "our business logic and is written in Ruby-on-Rails and backed by PostgreSQL and Redis",
            ["Ruby", "Rails", "PostgreSQL", "Redis"],
        ),
        ("Ruby & Ruby on Rails, React Native & Ruby, Svelte & Node", ["Ruby", "Node.js", "Rails", "React", "Svelte"]),
        ("Build elegant, performant features using **Swift (We’re 100% Swift!)** and **SwiftUI**", ["Swift"]),
        (
            "Strong Python skills, using either one of Django/Flask frameworks in development",
            ["Python", "Django", "Flask"],
        ),
        ("Familiarity with distributed computing frameworks such as Spark or Ray.", ["Spark"]),
        ("Experience using Python or R for statistical analysis, experimentation", ["Python", "R"]),
        ("Experience building REST APIs with Django REST Framework (DRF)", ["Django", "REST"]),
        ("Experience building APIs with gRPC or REST", ["REST", "gRPC"]),
        (
            "technologies (like: PostgreSQL, MySQL, MS-SQL, Oracle, Cassandra, MongoDB, Redis, Hadoop, DocumentDB)",
            ["PostgreSQL", "MySQL", "MongoDB", "Oracle", "SQL Server", "Redis", "Cassandra", "Hadoop"],
        ),
        (
            "Kenntnisse SQL (PostgreSQL, DB2, oracle, MSSql) Von Vorteil: Python Kenntnisse",
            ["Python", "SQL", "PostgreSQL", "Oracle", "SQL Server"],
        ),
        (
            "The AWS backend is built using a serverless approach using AppSync (GraphQL), DynamoDB",
            ["DynamoDB", "GraphQL", "AWS", "Serverless"],
        ),
        ("Serverless experience with AWS lambda or Azure functions", ["AWS", "Azure", "Serverless"]),
        ("Experience with Jira, Agile, CI/CD, Git, Code Reviews", ["Git", "CI/CD"]),
        ("Partial CI / CD in place; we use GitHub Actions", ["CI/CD"]),
        ("4+ years work experience with .NET PostgreSQL experience is a plus", [".NET", "PostgreSQL"]),
        ("Experience with C#, ASP.NET Core and Entity Framework", ["C#", ".NET", "ASP.NET"]),
        ("Knowledge of JS/Node.js and an ability to write QA scripts as needed", ["JavaScript", "Node.js"]),
        (
            "We mainly work with Python/Django. Comfortable with dockerising your code, defining standard REST "
            "end points. SQL knowledge is a plus. We use CI Jenkins pipelines and terraform",
            ["Python", "Django", "SQL", "REST", "Terraform"],
        ),
    ],
)
def test_names_the_skills_in_real_sentences(text: str, expected: list[str]) -> None:
    assert extract_skills("", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "Go" the verb and "Go-to-Market"
        ("The Go-to-Market Recruiting Team powers one of the company’s most important functions", []),
        ("Primary HR Business Partner and first point of contact for Go To Market Executives", []),
        ("Head of Go To Market, Python tooling", ["Python"]),
        ("Uncover actionable insights : Go beyond surface-level results to identify patterns", []),
        ("How to apply: Go here: https://build.a.team/remotivereferral + mention Remotive", []),
        ("Benefits 🚀 Where This Can Go You will define how kausable ships ML", []),
        ("If you’re looking for an easy job, go elsewhere.", []),
        ("We're a Google Cloud shop; Google Docs for everything else", ["Google Cloud"]),
        ("Google, Meta and Amazon alumni", []),
        # "C" as a letter
        ("Blackpoint Cyber is in hyper-growth mode, fueled by a recent $190m series C round.", []),
        ("Experience scaling accounting in a Series B / Series C SaaS environment.", []),
        ("targeting business owners and C-suite executives", []),
        ("tailoring communication from engineers to C-levels", []),
        ("running A/B/C tests on both narrative and adset", []),
        ("the detection of antibodies to HIV and Hepatitis C (HCV)", []),
        ("entity formations (C-corp / S-corp / LLC)", []),
        ("We're a Series C, Python-first company", ["Python"]),
        ("Objective-C and Swift developer", ["Swift"]),
        # "Spring", "Express", "Rails", "Oracle", "Spark", "Swift", "Rust", "Phoenix", "R", "REST", "React"
        ("Company-wide Holidays (including a spring and winter break)", []),
        ("Join our Spring 2026 internship cohort", []),
        ("near one of our offices (Arlington, VA; Silver Spring, MD; or Novi, MI)", []),
        ("Please express interest by sending your CV", []),
        ("Express interest through the form below", []),
        ("Ability to express a bold point of view, both to engage and challenge", []),
        ("travel brands including: Apple Vacations American Express Vacations CheapCaribbean", []),
        ("Familiarity with local payment rails and fiat-to-crypto conversion flows", []),
        ("including the former CFOs of Oracle and NetSuite.", []),
        ("Investing wisdom from the Oracle of Omaha", []),
        ("You’re the spark that turns a purchase into a transformation", []),
        ("company-wide events, including Town Halls and monthly Spark sessions", []),
        ("global investors, including Portage Ventures, Spark Capital, Tribe Capital", []),
        ("take swift & effective action to reach them", []),
        ("Swift delivery of every order", []),
        ("Our plants across the Rust Belt", []),
        ("manufacturing towns of the rust belt", []),
        ("with offices in New York, Phoenix, Seoul, and Tokyo", []),
        ("Relocation to Phoenix, AZ is required", []),
        ("feeding real-world usage insights back to R&D.", []),
        ("amaze the rest of us with your multi-tasking skills", []),
        ("time to rest and recharge; encryption at rest", []),
        ("You react with appropriate levels of urgency and tenacity", []),
        ("Create math node networks to make new connections", []),
        # names that contain other names
        ("Strong JavaScript skills", ["JavaScript"]),
        ("PostgreSQL and MySQL", ["PostgreSQL", "MySQL"]),
        ("NoSQL stores", ["NoSQL"]),
        ("SQL Server 2019", ["SQL Server"]),
        ("Migrating off Microsoft SQL Server and T-SQL procedures", ["SQL", "SQL Server"]),
        # hosts and addresses are not mentions
        ("Apply at https://golang.example.com/jobs or write to python@example.com", []),
    ],
)
def test_ambiguous_words_are_not_skills(text: str, expected: list[str]) -> None:
    assert extract_skills("", text) == expected


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Senior Back End Developer (Golang)", ["Go"]),
        ("Engenharia Software Engineer III Golang", ["Go"]),
        ("Senior Go Engineer", ["Go"]),
        ("Go/Python Developer", ["Python", "Go"]),
        ("Go To Market Strategist AI Trainer", []),
        ("Senior C# and PostgreSQL Backend Developer", ["C#", "PostgreSQL"]),
        ("C C++ Linux developer", ["C++", "C", "Linux"]),
        ("Tech Lead Full-Stack Rails Engineer", ["Rails"]),
        ("Sr. Ruby/RoR Software Engineer", ["Ruby", "Rails"]),
        ("Senior Java Engineer (Spring Boot)", ["Java", "Spring"]),
        ("Node.js Developer", ["Node.js"]),
    ],
)
def test_reads_the_title(title: str, expected: list[str]) -> None:
    assert extract_skills(title, "") == expected


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        # RemoteOK and Remotive tags are lower-cased labels: bare "go", "c", "spring" are the technologies.
        (["go", "golang", "backend"], ["Go"]),
        (["c", "embedded", "linux"], ["C", "Linux"]),
        (["spring", "java"], ["Java", "Spring"]),
        (["swift", "ios"], ["Swift"]),
        (["ruby/rails", "ror"], ["Ruby", "Rails"]),
        (["Typescript ", "react native", "node.js"], ["TypeScript", "Node.js", "React"]),
        (["REST", "Micro services", "CI/CD"], ["REST", "CI/CD", "Microservices"]),
        (["C-Suite", "digital nomad", "non tech", "Site Reliability"], []),
        # Himalayas categories are hyphenated slugs.
        (["Golang-Developer", "Python-Developer", "Java-Development"], ["Python", "Java", "Go"]),
        (["Business-Development", "Security-Clearance"], []),
    ],
)
def test_reads_feed_tags(tags: list[str], expected: list[str]) -> None:
    assert extract_skills("", "", tags) == expected


def test_lower_case_ambiguous_words_count_only_in_tags() -> None:
    assert extract_skills("", "we go, we rust, we spring") == []
    assert extract_skills("", "", ["go", "rust", "spring"]) == ["Go", "Rust", "Spring"]


def test_result_is_in_taxonomy_order_without_duplicates() -> None:
    found = extract_skills("Python Developer (Django)", "Docker, python 3, PYTHON, Django and docker", ["python"])
    assert found == ["Python", "Django", "Docker"]
    order = skill_names()
    assert [order.index(name) for name in found] == sorted(order.index(name) for name in found)


def test_context_needs_the_skill_next_door_to_count() -> None:
    # Rust is confirmed only through Go, which is confirmed only through Python.
    assert extract_skills("", "Python, Go, Rust") == ["Python", "Go", "Rust"]
    assert extract_skills("", "C, Swift, Rust, Go, Python") == ["Python", "Go", "Rust", "C", "Swift"]
    assert extract_skills("", "Go, Rust") == []


@pytest.mark.parametrize(
    ("skill", "spelling"),
    [
        (skill.name, spelling)
        for skill in load_skills()
        for spelling in skill.spellings
        if spelling.lower() not in skill.guarded
    ],
)
def test_every_unguarded_spelling_names_its_skill(skill: str, spelling: str) -> None:
    assert skill in extract_skills("", f"Experience with {spelling} is required.")


# Sentences from the captured descriptions, repeated to a 5 KB description.


def test_find_skills_says_where_each_skill_was_found() -> None:
    from crawlers.classify.skills import find_skills
    from crawlers.classify.text import Text

    found = find_skills(
        Text("Senior Golang Developer"),
        Text("Stack: Python, Go and Postgres. See https://go.dev and mail jobs@python.org"),
        ("golang", "Kubernetes"),
    )
    assert found == {
        "Python": [("description", "Python")],
        "Go": [("title", "Golang"), ("description", "Go"), ("tags", "golang")],
        "PostgreSQL": [("description", "Postgres")],
        "Kubernetes": [("tags", "Kubernetes")],
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the word scan finds spellings at the very start and end of a text, next to punctuation and non-ASCII
        ("Go", []),
        ("Python", ["Python"]),
        ("«Python»—Django…", ["Python", "Django"]),
        ("Ingénieur Python/Django à Paris", ["Python", "Django"]),
        ("python_dev kubernetes_operator", []),  # joined by an underscore: one identifier, not a skill
        ("C#/.NET, ASP.NET Core", ["C#", ".NET", "ASP.NET"]),
        ("node.js", ["Node.js"]),  # not JavaScript from the "js" inside it
    ],
)
def test_word_scan_edges(text: str, expected: list[str]) -> None:
    assert extract_skills("", text) == expected


# Agency boilerplate (Remotive, Lemon.io), shortened: seven or more languages in one sentence are a catalogue.
LEMON_CATALOGUE = (
    "We have a variety of projects, so if you are proficient in React & Python, React & Golang, React & Java, Ruby, "
    "PHP & Vue, Vue & Node.js, React & .NET, iOS & Swift, Angular & PHP, Symfony & React, Svelte & TypeScript, "
    "Rust, Scala, C++, we would be happy to connect with you."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (LEMON_CATALOGUE, []),
        # the sentence is the unit: the requirement before it counts
        ("You have 5+ years of commercial experience with Python. " + LEMON_CATALOGUE, ["Python"]),
        (
            "- 6+ years building backend applications using any popular language such as Python, Java, C#, "
            "JavaScript, Go, C/C++",
            [],
        ),
    ],
)
def test_a_catalogue_of_languages_names_no_skill(text: str, expected: list[str]) -> None:
    assert extract_skills("", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # WWR, Files.com: the company's stack under "Core Beliefs" is not the role's
        (
            "Solid experience with Java.\n\nHere are just some of our Core Beliefs:\n\nOur core applications are "
            "built in Ruby and PHP. We use Rails, React, AWS, MySQL and Redis.",
            ["Java"],
        ),
        # "About <Company>" and benefits
        ("About SuperPlane\n\nSuperPlane is a control plane for CI/CD.\n\nRequirements\n\n- Python", ["Python"]),
        ("Requirements\n\n- Python\n\nPerks & Benefits\n\n- AWS credits for side projects", ["Python"]),
        # the role's own sections count, and text under no heading
        ("We build APIs in Kotlin.\n\nAbout the Role\n\n- Work on our PostgreSQL schema", ["Kotlin", "PostgreSQL"]),
    ],
)
def test_company_sections_name_no_skill(text: str, expected: list[str]) -> None:
    assert extract_skills("", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the last part of a dotted name is not "JS" (Remotive, Clipster; Lever demo)
        ("Golang services and a Next.js frontend", ["Go"]),
        ("a desire to learn Ember.js", []),
        ("React.js and Node.js", ["Node.js", "React"]),  # names of their own
        # a CI service is a tool, not the practice (Remotive, LawnStarter)
        ("Infra — AWS, Datadog, Sentry, GitHub Actions", ["AWS"]),
        ("CircleCI or GitLab CI pipelines", []),
        ("Continuous Integration with GitHub Actions", ["CI/CD"]),
    ],
)
def test_dotted_names_and_ci_services(text: str, expected: list[str]) -> None:
    assert sorted(extract_skills("", text)) == sorted(expected)
