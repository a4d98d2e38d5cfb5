"""The taxonomy files load, hold what the site filters on, and malformed entries are refused with a clear error."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from config import taxonomy
from config.taxonomy import (
    REMOTE_STATUSES,
    SKILL_CATEGORIES,
    Sector,
    Skill,
    company_sectors,
    load_sectors,
    load_skills,
    normalize_company,
    parse_sectors,
    parse_skills,
    sector_ignore_phrases,
    sector_names,
    skill_names,
)

REQUIRED_SKILLS = (
    "Python",
    "Java",
    "Ruby",
    "PHP",
    "Go",
    "JavaScript",
    "TypeScript",
    "Node.js",
    "C#",
    ".NET",
    "Kotlin",
    "Scala",
    "Rust",
    "Elixir",
    "C++",
    "C",
    "Swift",
    "Clojure",
    "Perl",
    "Django",
    "Flask",
    "FastAPI",
    "Rails",
    "Spring",
    "Laravel",
    "Express",
    "NestJS",
    "ASP.NET",
    "Phoenix",
    "Symfony",
    "SQL",
    "NoSQL",
    "PostgreSQL",
    "MySQL",
    "MongoDB",
    "Oracle",
    "SQL Server",
    "Redis",
    "Elasticsearch",
    "Cassandra",
    "DynamoDB",
    "SQLite",
    "Kafka",
    "RabbitMQ",
    "Spark",
    "Hadoop",
    "Airflow",
    "GraphQL",
    "REST",
    "gRPC",
    "Microservices",
    "AWS",
    "Azure",
    "Google Cloud",
    "Docker",
    "Kubernetes",
    "Terraform",
    "Linux",
    "Git",
    "CI/CD",
    "Serverless",
    "HTML",
    "CSS",
    "React",
    "Vue",
    "Angular",
    "J2EE",
)

SECTORS = (
    "Technology",
    "Financial services",
    "Healthcare",
    "Retail & e-commerce",
    "Government",
    "Education",
    "Media & entertainment",
    "Manufacturing & energy",
    "Transportation & logistics",
    "Nonprofit",
    "Staffing & consulting",
    "Other",
)


@pytest.mark.parametrize("name", REQUIRED_SKILLS)
def test_required_skill_is_present(name: str) -> None:
    assert name in skill_names()


def test_skills_are_typed_and_categorised() -> None:
    skills = load_skills()
    assert all(isinstance(skill, Skill) for skill in skills)
    assert {skill.category for skill in skills} <= set(SKILL_CATEGORIES)
    assert len(set(skill_names())) == len(skills)


@pytest.mark.parametrize(
    ("name", "spelling"),
    [
        ("Go", "golang"),
        ("PostgreSQL", "postgres"),
        ("Kubernetes", "k8s"),
        ("Google Cloud", "GCP"),
        ("Node.js", "node"),
        ("Node.js", "nodejs"),
        ("Rails", "ruby on rails"),
        ("Spring", "spring boot"),
        ("REST", "restful"),
        ("SQL Server", "ms sql"),
        ("SQL Server", "mssql"),
        ("CI/CD", "ci / cd"),
        ("AWS", "amazon web services"),
    ],
)
def test_alias(name: str, spelling: str) -> None:
    skill = next(skill for skill in load_skills() if skill.name == name)
    assert spelling.lower() in {alias.lower() for alias in skill.aliases}


@pytest.mark.parametrize(
    "name", ["Go", "C", "R", "Rust", "Swift", "Spring", "Express", "Rails", "Oracle", "Phoenix", "Flask", "Spark"]
)
def test_ambiguous_names_need_context(name: str) -> None:
    skill = next(skill for skill in load_skills() if skill.name == name)
    assert name.lower() in skill.guarded


def test_sectors_in_order() -> None:
    assert sector_names() == SECTORS
    assert all(isinstance(sector, Sector) for sector in load_sectors())
    assert all(sector.cues for sector in load_sectors() if sector.name != "Other")


@pytest.mark.parametrize(
    ("company", "sector"),
    [
        ("gitlab", "Technology"),
        ("amplitude", "Technology"),
        ("palantir", "Technology"),
        ("notion", "Technology"),
        ("openai", "Technology"),
        ("duolingo", "Education"),
        ("stripe", "Financial services"),
        ("ramp", "Financial services"),
        ("shopify", "Retail & e-commerce"),
    ],
)
def test_company_seed(company: str, sector: str) -> None:
    assert company_sectors()[company] == sector


def test_company_table_uses_known_sectors_and_normal_keys() -> None:
    table = company_sectors()
    assert set(table.values()) <= set(SECTORS)
    assert all(normalize_company(name) == name for name in table)


def test_company_sectors_is_a_copy() -> None:
    company_sectors()["gitlab"] = "Other"
    assert company_sectors()["gitlab"] == "Technology"


def test_company_words_are_loaded_in_region_key_form() -> None:
    words = {sector.name: sector.company_words for sector in taxonomy.load_sectors()}
    assert "health" in words["Healthcare"] and "real estate" in words["Other"]
    assert all(word == taxonomy.region_key(word) for sector in words.values() for word in sector)


def test_ignore_phrases_are_loaded() -> None:
    assert "health insurance" in sector_ignore_phrases()


def test_remote_statuses() -> None:
    assert REMOTE_STATUSES == ("remote", "hybrid", "onsite", "unknown")


def test_loaders_are_cached() -> None:
    assert load_skills() is load_skills()
    assert load_sectors() is load_sectors()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Stripe, Inc.", "stripe"),
        ("L21s GmbH", "l21s"),
        ("NILO BRANDS, INC.", "nilo brands"),
        ("Very LLC", "very"),
        ("Palantir Technologies Inc", "palantir"),
        ("The Church of Jesus Christ of Latter-day Saints", "church of jesus christ of latter day saints"),
        ("Washington University in St. Louis", "washington university in st louis"),
        ("ELECTE S.R.L", "electe"),
        ("Lemon.io", "lemonio"),
        ("Labs", "labs"),
        ("", ""),
    ],
)
def test_normalize_company(name: str, expected: str) -> None:
    assert normalize_company(name) == expected


GOOD_SKILL = '[[skill]]\nname = "Python"\ncategory = "language"\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no [[skill]] entries"),
        ("name = ", "not valid TOML"),
        ('[[skills]]\nname = "Python"\n', "unknown top-level key"),
        (GOOD_SKILL + '[[skill]]\nname = "python"\ncategory = "language"\n', "skill #2 ('python'): duplicate name"),
        (GOOD_SKILL + '[[skill]]\nname = "Go"\ncategory = "lang"\n', "skill #2 ('Go'): unknown category 'lang'"),
        (GOOD_SKILL + '[[skill]]\nname = "Go"\n', "skill #2 ('Go'): missing field 'category'"),
        (GOOD_SKILL + '[[skill]]\ncategory = "language"\n', "skill #2: missing field 'name'"),
        (GOOD_SKILL + '[[skill]]\nname = "Go"\ncategory = "language"\nalias = ["golang"]\n', "unknown field 'alias'"),
        (GOOD_SKILL + '[[skill]]\nname = "Go"\ncategory = "language"\naliases = "golang"\n', "must be a list"),
        (GOOD_SKILL + '[[skill]]\nname = "Go"\ncategory = "language"\naliases = ["go"]\n', "listed twice"),
        (
            GOOD_SKILL + '[[skill]]\nname = "Go"\ncategory = "language"\ncontext = ["in Go"]\n',
            "skill #2 ('Go'): context rule 'in Go' must put exactly one spelling in [brackets]",
        ),
        (
            GOOD_SKILL + '[[skill]]\nname = "Go"\ncategory = "language"\ncontext = ["in [Gopher]"]\n',
            "brackets 'Gopher', which is not the name or an alias",
        ),
        (
            GOOD_SKILL + '[[skill]]\nname = "Go"\ncategory = "language"\ncontext = ["[Go] {lang}"]\n',
            "unknown placeholder '{lang}'",
        ),
        (
            GOOD_SKILL + '[[skill]]\nname = "Go"\ncategory = "language"\ncontext = ["[Go] {skill} code"]\n',
            "{skill} only at its start or end",
        ),
        (
            GOOD_SKILL + '[[skill]]\nname = "Go"\ncategory = "language"\ncontext = ["[Go] code|"]\n',
            "empty alternative",
        ),
        (
            GOOD_SKILL + '[[skill]]\nname = "Go"\ncategory = "language"\ncontext = ["![Go] {sep} {skill}"]\n',
            "veto rule",
        ),
    ],
)
def test_malformed_skill_file_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"^skills\.toml: ") as error:
        parse_skills(text)
    assert message in str(error.value)


GOOD_SECTOR = '[[sector]]\nname = "Technology"\ncues = ["saas"]\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "no [[sector]] entries"),
        (GOOD_SECTOR + '[[sector]]\nname = "Technology"\ncues = []\n', "sector #2 ('Technology'): duplicate sector"),
        (GOOD_SECTOR + '[[sector]]\nname = "Healthcare"\n', "sector #2 ('Healthcare'): missing field 'cues'"),
        (GOOD_SECTOR + '[[sector]]\nname = "Healthcare"\ncues = ["SaaS"]\n', "'saas' is already a cue of 'Technology'"),
        (GOOD_SECTOR + '[companies]\ngitlab = "Tech"\n', "[companies] 'gitlab': unknown sector 'Tech'"),
        (GOOD_SECTOR + '[companies]\n"GitLab Inc" = "Technology"\n', "write the key as 'gitlab'"),
        ("ignore = [1]\n" + GOOD_SECTOR, "'ignore' must hold non-empty strings"),
        (GOOD_SECTOR + "[weights]\nbank = 2\n", "unknown top-level key"),
        (
            GOOD_SECTOR.replace("cues", 'company_words = ["Labs"]\ncues')
            + '[[sector]]\nname = "Healthcare"\ncompany_words = ["labs"]\ncues = ["clinic"]\n',
            "company word 'labs' is already a company word of 'Technology'",
        ),
    ],
)
def test_malformed_sector_file_is_refused(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=r"^sectors\.toml: ") as error:
        parse_sectors(text)
    assert message in str(error.value)


def test_parse_reports_the_given_source() -> None:
    with pytest.raises(ValueError, match=r"^custom\.toml: skill #1 \('Go'\): missing field 'category'"):
        parse_skills('[[skill]]\nname = "Go"\n', "custom.toml")


def test_imports_only_the_standard_library() -> None:
    # config is the bottom layer: nothing from the project, nothing installed.
    tree = ast.parse(Path(taxonomy.__file__).read_text(encoding="utf-8"))
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert modules
    assert {module.split(".")[0] for module in modules} <= set(sys.stdlib_module_names) | {"__future__"}


# --- roles.toml and regions.toml ------------------------------------------------------------------------------------


def test_roles_load_with_known_levels_and_skills() -> None:
    roles = taxonomy.load_roles()
    assert [family.backend for family in roles.families][:3] == [False, False, True]
    assert [family.description_skills for family in roles.families][:3] == ["none", "requirements", "all"]
    assert set(roles.headings) == set(taxonomy.HEADING_KINDS)
    assert any(family.backend == "stack" for family in roles.families)
    assert set(roles.seniority_title) == set(taxonomy.SENIORITY_LEVELS)
    assert set(roles.employment_feed) == set(taxonomy.EMPLOYMENT_TYPES)
    assert set(roles.stack_server) <= set(taxonomy.skill_names())
    assert roles.years_mid < roles.years_senior


def test_regions_load_with_unique_spellings() -> None:
    regions = taxonomy.load_regions()
    assert regions.aliases["usa"] == "US" and regions.aliases["latin america"] == "LATAM"
    # two-letter codes that are also US states are left out
    assert "ca" not in regions.aliases and "de" not in regions.aliases
    assert "worldwide" in regions.worldwide


_ROLES_OK = """
[[title_family]]
name = "x"
backend = true
phrases = ["backend"]
[stack]
min_server = 2
server = ["Python"]
client = ["React"]
[seniority]
feed = {senior = ["senior"]}
title = {senior = ["senior"]}
years = {mid = 2, senior = 5}
[employment]
feed = {contract = ["contract"]}
title = {}
description = {}
[visa]
negations = ["not"]
[workplace]
remote = ["fully remote"]
"""


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("backend = true", 'backend = "maybe"'), "backend must be"),
        (('server = ["Python"]', 'server = ["Cobol"]'), "unknown skill"),
        (('feed = {senior = ["senior"]}', 'feed = {expert = ["x"]}'), "unknown key"),
        (("years = {mid = 2, senior = 5}", "years = {mid = 5, senior = 2}"), "0 < mid < senior"),
        (('remote = ["fully remote"]', 'anywhere = ["x"]'), "unknown key"),
        (('phrases = ["backend"]', ""), "needs phrases or skills"),
        (("backend = true", 'backend = true\ndescription_skills = "some"'), "description_skills must be one of"),
        (("[workplace]", '[headings]\nabout = ["about us"]\n[workplace]'), "unknown key"),
        (
            ("[workplace]", '[headings]\ncompany = ["skills"]\nrequirements = ["skills"]\n[workplace]'),
            "listed under both",
        ),
    ],
)
def test_malformed_roles_file_is_refused(change: tuple[str, str], message: str) -> None:
    assert taxonomy.parse_roles(_ROLES_OK, "r.toml", ("Python", "React"))
    with pytest.raises(ValueError, match=message):
        taxonomy.parse_roles(_ROLES_OK.replace(*change), "r.toml", ("Python", "React"))


def test_malformed_regions_file_is_refused() -> None:
    with pytest.raises(ValueError, match="already a spelling of 'US'"):
        taxonomy.parse_regions('[regions]\nUS = ["usa"]\nCanada = ["usa"]\n', "g.toml")
    with pytest.raises(ValueError, match="unknown top-level"):
        taxonomy.parse_regions("[places]\n", "g.toml")
