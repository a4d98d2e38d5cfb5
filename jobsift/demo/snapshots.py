"""Feed snapshots for ``jobsift demo``: real captures plus deterministic generated boards.

The loopback demo server serves every route returned by :func:`demo_feeds`. The real captures in
``snapshots/`` (see ``snapshots/PROVENANCE.md``) are served byte for byte. The generated boards use
fictional companies, and each follows its format's real shape and quirks:

* Greenhouse job-board API: ``{"jobs": [...], "meta": {"total": N}}``, with ``content`` given as
  entity-escaped HTML.
* Lever postings API: a bare JSON array, ``createdAt`` in epoch milliseconds, ``lists[].content``
  as ``<li>`` fragments.
* We Work Remotely RSS 2.0: "Company: Position" titles, entity-escaped descriptions, RFC-822 dates.

For a given ``now``, the output is fully deterministic. All randomness comes from one
``random.Random`` with a fixed seed, and ``now`` only shifts the generated dates.
"""

from __future__ import annotations

import html
import json
import random
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from importlib import resources

from config.taxonomy import sector_names
from jobsift.demo.server import Route

__all__ = ["DemoSource", "Route", "demo_feeds"]


@dataclass(frozen=True)
class DemoSource:
    """One feed the demo crawls: a company board or a multi-employer board."""

    key: str
    name: str
    kind: str
    path: str
    sector: str | None


_SEED = 0x4A0B5F7
_JSON = "application/json"
_RSS = "application/rss+xml; charset=utf-8"
_MAX_AGE_S = 45 * 86400
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

# Typographic characters, spelled as escapes to keep the source ASCII.
_RSQUO = "\u2019"
_NDASH = "\u2013"
_MDASH = "\u2014"
_NBSP = "\u00a0"

# --------------------------------------------------------------------------------------------------------
# Real captures
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Capture:
    file: str
    key: str
    name: str
    kind: str
    path: str
    sector: str | None
    content_type: str


_CAPTURES: tuple[_Capture, ...] = (
    _Capture(
        "greenhouse/gitlab_jobs_content_trimmed_by_committer.json",
        "greenhouse-gitlab",
        "GitLab",
        "greenhouse",
        "/greenhouse/v1/boards/gitlab/jobs?content=true",
        "Technology",
        _JSON,
    ),
    _Capture(
        "greenhouse/amplitude_jobs_content_2jobs_full_strings.json",
        "greenhouse-amplitude",
        "Amplitude",
        "greenhouse",
        "/greenhouse/v1/boards/amplitude/jobs?content=true",
        "Technology",
        _JSON,
    ),
    _Capture(
        "greenhouse/duolingo_jobs_content_trimmed_by_committer.json",
        "greenhouse-duolingo",
        "Duolingo",
        "greenhouse",
        "/greenhouse/v1/boards/duolingo/jobs?content=true",
        "Education",
        _JSON,
    ),
    _Capture(
        "lever/palantir_postings_trimmed_by_committer.json",
        "lever-palantir",
        "Palantir",
        "lever",
        "/lever/v0/postings/palantir?mode=json",
        "Technology",
        _JSON,
    ),
    _Capture(
        "lever/idealistconsulting_postings_2_full_strings.json",
        "lever-idealistconsulting",
        "Idealist Consulting",
        "lever",
        "/lever/v0/postings/idealistconsulting?mode=json",
        "Staffing & consulting",
        _JSON,
    ),
    _Capture(
        "lever/leverdemo_postings_mode_json_2015.json",
        "lever-leverdemo",
        "Lever",
        "lever",
        "/lever/v0/postings/leverdemo?mode=json",
        "Technology",
        _JSON,
    ),
    _Capture(
        "wwr/weworkremotely_remote-back-end-programming-jobs_2022-11-07.rss",
        "wwr-back-end",
        "We Work Remotely",
        "weworkremotely",
        "/wwr/categories/remote-back-end-programming-jobs.rss",
        None,
        _RSS,
    ),
    _Capture(
        "wwr/weworkremotely_remote-jobs_rss_2026-07-10.xml",
        "wwr-all",
        "We Work Remotely",
        "weworkremotely",
        "/wwr/remote-jobs.rss",
        None,
        _RSS,
    ),
)


def _read_capture(relative: str) -> bytes:
    return resources.files("jobsift.demo").joinpath("snapshots", *relative.split("/")).read_bytes()


# --------------------------------------------------------------------------------------------------------
# Fictional companies
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Company:
    name: str
    slug: str
    sector: str
    kind: str  # "greenhouse" | "lever"
    does: str
    hq: str
    stacks: tuple[str, ...]
    cloud: str
    locations: tuple[str, ...]


_T, _FS, _HC, _RE = "Technology", "Financial services", "Healthcare", "Retail & e-commerce"
_GOV, _EDU, _MED, _ME = "Government", "Education", "Media & entertainment", "Manufacturing & energy"
_TL, _NP, _SC = "Transportation & logistics", "Nonprofit", "Staffing & consulting"
_GH, _LV = "greenhouse", "lever"

_COMPANIES: tuple[_Company, ...] = (
    # Technology
    _Company(
        "Quillstack", "quillstack", _T, _GH,
        "builds code review, merge queue and release tooling used by more than 9,000 engineering teams",
        "San Francisco, CA", ("go", "python"), "Google Cloud",
        ("Remote - US", "San Francisco, CA", "Remote - Canada"),
    ),
    _Company(
        "Nimbleforge", "nimbleforge", _T, _LV,
        "runs an observability platform that ingests more than two trillion log lines and spans a day",
        "Seattle, WA", ("go", "rust"), "AWS",
        ("Remote - US", "Seattle, WA", "Remote, Europe"),
    ),
    _Company(
        "Hollowmere Data", "hollowmere", _T, _GH,
        "makes a managed streaming and change-data-capture service for teams that have outgrown nightly batch jobs",
        "Berlin, Germany", ("java", "kotlin", "python"), "AWS",
        ("Berlin, Germany", "Remote, Europe", "Amsterdam, Netherlands"),
    ),
    _Company(
        "Fable & Fern", "fableandfern", _T, _GH,
        "builds a shared document and whiteboard workspace for distributed product teams",
        "New York, NY", ("node", "ruby"), "AWS",
        ("New York, NY", "Remote - US", "London, UK (Hybrid)"),
    ),
    _Company(
        "Cobaltreef Security", "cobaltreef", _T, _GH,
        "protects cloud workloads with agentless posture management and runtime threat detection",
        "Austin, TX", ("go", "python"), "AWS",
        ("Austin, TX; Remote - US", "Remote - US", "Remote, UK"),
    ),
    _Company(
        "Driftmark Analytics", "driftmark", _T, _GH,
        "helps product teams understand user behavior with event analytics and warehouse-native dashboards",
        "Denver, CO", ("python", "node"), "Google Cloud",
        ("Denver, CO", "Remote - US", "Hybrid - Toronto"),
    ),
    _Company(
        "Ironbough Cloud", "ironbough", _T, _GH,
        "runs a developer-friendly hosting platform for containers, Postgres and object storage in 14 regions",
        "Amsterdam, Netherlands", ("go", "elixir", "rust"), "our own bare-metal regions",
        ("Amsterdam, Netherlands", "Remote, Europe", "Lisbon, Portugal"),
    ),
    _Company(
        "Tessarine AI", "tessarine", _T, _LV,
        "builds an evaluation and deployment platform for machine-learning models",
        "San Francisco, CA", ("python", "rust"), "Google Cloud",
        ("San Francisco, CA", "New York, NY", "Remote - US"),
    ),
    _Company(
        "Orchardline", "orchardline", _T, _GH,
        "makes payroll, time-tracking and HR software for small and mid-sized businesses",
        "Atlanta, GA", ("ruby", "java"), "AWS",
        ("Atlanta, GA", "Remote - US"),
    ),
    # Financial services
    _Company(
        "Ledgerlight", "ledgerlight", _FS, _LV,
        "provides payment acceptance, payouts and double-entry ledger APIs to online platforms",
        "London, UK", ("java", "kotlin", "go"), "AWS",
        ("London, UK (Hybrid)", "Remote, UK", "Dublin, Ireland"),
    ),
    _Company(
        "Harborview Mutual", "harborviewmutual", _FS, _GH,
        "is a policyholder-owned property and casualty insurer, founded in 1911, that is rebuilding its policy "
        "administration and claims systems",
        "Hartford, CT", ("dotnet", "java"), "Azure",
        ("Hartford, CT", "Remote - US"),
    ),
    _Company(
        "Cinderpeak Bank", "cinderpeak", _FS, _GH,
        "is a digital-first community bank offering business checking, lending and treasury services",
        "Charlotte, NC", ("java", "python"), "AWS",
        ("Charlotte, NC", "New York, NY", "Remote - US"),
    ),
    _Company(
        "Tarnbrook Markets", "tarnbrook", _FS, _GH,
        "builds low-latency trading, market-data and risk systems for institutional investors",
        "Chicago, IL", ("java", "rust", "python"), "a hybrid of colocated hardware and AWS",
        ("Chicago, IL", "New York, NY", "London, UK (Hybrid)"),
    ),
    _Company(
        "Kestrel Valley Credit Union", "kestrelvalleycu", _FS, _GH,
        "serves 340,000 members across the Pacific Northwest with savings, auto loans and mortgages",
        "Portland, OR", ("dotnet",), "Azure",
        ("Portland, OR", "Remote - US"),
    ),
    _Company(
        "Brassbell Insurance", "brassbell", _FS, _LV,
        "sells renters, pet and small-business insurance entirely online",
        "Columbus, OH", ("python", "node"), "AWS",
        ("Columbus, OH", "Remote - US"),
    ),
    _Company(
        "Northwick Lending", "northwicklending", _FS, _GH,
        "underwrites mortgages and home-equity lines with an automated decisioning platform",
        "Dallas, TX", ("java", "dotnet"), "Azure",
        ("Dallas, TX", "Remote - US", "Austin, TX; Remote - US"),
    ),
    # Healthcare
    _Company(
        "Prairiewell Health", "prairiewell", _HC, _GH,
        "provides virtual primary care and chronic-condition programs to 1.2 million members through employers "
        "and health plans",
        "Minneapolis, MN", ("python", "go"), "AWS",
        ("Remote - US", "Minneapolis, MN"),
    ),
    _Company(
        "Bluefen Medical", "bluefenmedical", _HC, _GH,
        "builds electronic health record and revenue-cycle software for independent clinics",
        "Nashville, TN", ("dotnet", "java"), "Azure",
        ("Nashville, TN", "Remote - US"),
    ),
    _Company(
        "Sagebrush Diagnostics", "sagebrushdx", _HC, _GH,
        "operates clinical laboratories and the software that routes 80,000 test orders a day",
        "Salt Lake City, UT", ("java", "python"), "Google Cloud",
        ("Salt Lake City, UT", "Remote - US"),
    ),
    _Company(
        "CarePlume", "careplume", _HC, _LV,
        "coordinates home-health visits, caregiver scheduling and family updates for home-care agencies",
        "Boston, MA", ("ruby", "node"), "AWS",
        ("Boston, MA", "Remote - US", "Hybrid - Toronto"),
    ),
    # Retail & e-commerce
    _Company(
        "Basketry", "basketry", _RE, _GH,
        "is a marketplace connecting 40,000 independent makers with shoppers in 30 countries",
        "New York, NY", ("php", "python"), "Google Cloud",
        ("New York, NY", "Remote - US", "Remote, Europe"),
    ),
    _Company(
        "Juniper & Rye", "juniperandrye", _RE, _GH,
        "delivers groceries from regional farms and bakeries in under two hours",
        "Toronto, ON", ("ruby", "go"), "AWS",
        ("Hybrid - Toronto", "Remote - Canada"),
    ),
    _Company(
        "Velvet Aisle", "velvetaisle", _RE, _LV,
        "runs online and in-store retail for three independent apparel brands",
        "London, UK", ("php", "node"), "AWS",
        ("London, UK (Hybrid)", "Remote, UK", "Berlin, Germany"),
    ),
    _Company(
        "Marrowfield Market", "marrowfield", _RE, _GH,
        "operates 180 neighborhood grocery stores and a fast-growing order-ahead and pickup business",
        "Columbus, OH", ("java", "dotnet"), "Azure",
        ("Columbus, OH", "Remote - US"),
    ),
    # Government and public agencies
    _Company(
        "Civic Relay", "civicrelay", _GOV, _LV,
        "is a digital services contractor that modernizes benefits, licensing and permitting systems for state and "
        "federal agencies",
        "Washington, DC", ("python", "java", "ruby"), "AWS GovCloud",
        ("Washington, DC", "Arlington, VA", "Remote - US"),
    ),
    _Company(
        "Larkspur County Office of Digital Services", "larkspurcounty", _GOV, _GH,
        "is the county agency that builds and runs online services for 900,000 residents, from property tax "
        "payments to building permits",
        "Raleigh, NC", ("dotnet", "python"), "Azure Government",
        ("Raleigh, NC",),
    ),
    _Company(
        "Greystile Federal", "greystilefederal", _GOV, _GH,
        "is a federal systems integrator supporting veterans' health, tax processing and defense logistics programs",
        "Arlington, VA", ("java", "dotnet", "python"), "AWS GovCloud and Azure Government",
        ("Arlington, VA", "Washington, DC", "Remote - US"),
    ),
    # Education
    _Company(
        "Lanternwise", "lanternwise", _EDU, _GH,
        "builds adaptive math and reading practice used in 11,000 K-12 schools",
        "Pittsburgh, PA", ("python", "elixir"), "AWS",
        ("Pittsburgh, PA", "Remote - US"),
    ),
    _Company(
        "Slateboard Learning", "slateboard", _EDU, _LV,
        "makes a course platform and credentialing service for community colleges and workforce programs",
        "Remote", ("ruby", "node"), "AWS",
        ("Remote - US", "Remote - Canada"),
    ),
    _Company(
        "Upper Fenwick Community College", "upperfenwick", _EDU, _GH,
        "is a public two-year college serving 28,000 students across four campuses",
        "Richmond, VA", ("dotnet", "php"), "Azure",
        ("Richmond, VA",),
    ),
    # Media & entertainment
    _Company(
        "Loudwater Audio", "loudwater", _MED, _GH,
        "streams live and on-demand music to 20 million listeners and pays independent artists directly",
        "Los Angeles, CA", ("go", "python", "kotlin"), "Google Cloud",
        ("Los Angeles, CA", "Remote - US", "London, UK (Hybrid)"),
    ),
    _Company(
        "Paper Kiln Studios", "paperkiln", _MED, _LV,
        "is an independent games studio behind two cross-platform multiplayer titles",
        "Montreal, QC", ("dotnet", "go"), "AWS",
        ("Montreal, QC", "Remote - Canada", "Hybrid - Toronto"),
    ),
    _Company(
        "The Daily Tributary", "dailytributary", _MED, _GH,
        "is a reader-funded regional newsroom publishing investigations, data journalism and newsletters",
        "Portland, OR", ("php", "python"), "AWS",
        ("Remote - US", "Portland, OR"),
    ),
    # Transportation & logistics
    _Company(
        "Haulcrest Logistics", "haulcrest", _TL, _GH,
        "is a freight brokerage and visibility platform moving 3,000 truckloads a day across North America",
        "Chicago, IL", ("java", "go", "python"), "AWS",
        ("Chicago, IL", "Remote - US"),
    ),
    _Company(
        "Spurline Freight", "spurline", _TL, _GH,
        "books and tracks intermodal rail and ocean shipments for mid-market shippers",
        "Amsterdam, Netherlands", ("kotlin", "python"), "Google Cloud",
        ("Amsterdam, Netherlands", "Remote, Europe", "Warsaw, Poland"),
    ),
    _Company(
        "Kitebound Mobility", "kitebound", _TL, _LV,
        "runs fleet management and routing software for municipal transit and delivery fleets",
        "Munich, Germany", ("go", "java", "rust"), "Azure",
        ("Munich, Germany", "Berlin, Germany", "Remote, Europe"),
    ),
    # Manufacturing & energy
    _Company(
        "Voltmere Energy", "voltmere", _ME, _LV,
        "operates virtual power plants that balance home batteries, EV chargers and heat pumps on the grid",
        "Austin, TX", ("python", "elixir", "go"), "AWS",
        ("Austin, TX; Remote - US", "Remote - US", "Denver, CO"),
    ),
    _Company(
        "Anvilmoor Industries", "anvilmoor", _ME, _GH,
        "makes precision-machined components and runs a connected-factory platform across nine plants",
        "Milwaukee, WI", ("dotnet", "python"), "Azure",
        ("Milwaukee, WI", "Remote - US"),
    ),
    # Nonprofit
    _Company(
        "Gleanwell Foundation", "gleanwell", _NP, _GH,
        "funds and builds open-source tools that help food banks track donations and distribution",
        "Remote", ("python", "ruby"), "Google Cloud",
        ("Remote - US", "Remote, Europe"),
    ),
    _Company(
        "Lamplight Literacy Alliance", "lamplightliteracy", _NP, _GH,
        "runs adult-literacy and digital-skills programs with 600 partner libraries",
        "Philadelphia, PA", ("php", "node"), "AWS",
        ("Philadelphia, PA", "Remote - US"),
    ),
    # Staffing & consulting
    _Company(
        "Keel & Compass Consulting", "keelandcompass", _SC, _LV,
        "is an engineering consultancy that builds and modernizes back-end platforms for banks, insurers and "
        "retailers",
        "London, UK", ("java", "dotnet", "python", "node"), "AWS and Azure",
        ("London, UK (Hybrid)", "Remote, Europe", "Lisbon, Portugal", "Warsaw, Poland"),
    ),
    _Company(
        "Quarryhill Talent Partners", "quarryhill", _SC, _GH,
        "is a technical staffing firm that places contract and permanent engineers with clients across North "
        "America",
        "Toronto, ON", ("java", "dotnet", "python", "php"), "AWS and Azure",
        ("Remote - US", "Hybrid - Toronto", "New York, NY"),
    ),
)  # fmt: skip

# location -> (ISO country, workplace type, currency, Lever "allLocations")
_LOCATIONS: dict[str, tuple[str, str, str, tuple[str, ...]]] = {
    "Remote - US": ("US", "remote", "USD", ("Remote - US",)),
    "Remote - Canada": ("CA", "remote", "CAD", ("Remote - Canada",)),
    "Remote, Europe": ("DE", "remote", "EUR", ("Remote, Europe",)),
    "Remote, UK": ("GB", "remote", "GBP", ("Remote, UK",)),
    "San Francisco, CA": ("US", "hybrid", "USD", ("San Francisco, CA",)),
    "Seattle, WA": ("US", "hybrid", "USD", ("Seattle, WA",)),
    "New York, NY": ("US", "hybrid", "USD", ("New York, NY",)),
    "Austin, TX; Remote - US": ("US", "remote", "USD", ("Austin, TX", "Remote - US")),
    "Austin, TX": ("US", "hybrid", "USD", ("Austin, TX",)),
    "Denver, CO": ("US", "hybrid", "USD", ("Denver, CO",)),
    "Atlanta, GA": ("US", "onsite", "USD", ("Atlanta, GA",)),
    "Hartford, CT": ("US", "hybrid", "USD", ("Hartford, CT",)),
    "Charlotte, NC": ("US", "onsite", "USD", ("Charlotte, NC",)),
    "Chicago, IL": ("US", "hybrid", "USD", ("Chicago, IL",)),
    "Portland, OR": ("US", "hybrid", "USD", ("Portland, OR",)),
    "Columbus, OH": ("US", "onsite", "USD", ("Columbus, OH",)),
    "Dallas, TX": ("US", "onsite", "USD", ("Dallas, TX",)),
    "Minneapolis, MN": ("US", "hybrid", "USD", ("Minneapolis, MN",)),
    "Nashville, TN": ("US", "onsite", "USD", ("Nashville, TN",)),
    "Salt Lake City, UT": ("US", "hybrid", "USD", ("Salt Lake City, UT",)),
    "Boston, MA": ("US", "hybrid", "USD", ("Boston, MA",)),
    "Washington, DC": ("US", "onsite", "USD", ("Washington, DC",)),
    "Arlington, VA": ("US", "onsite", "USD", ("Arlington, VA",)),
    "Raleigh, NC": ("US", "hybrid", "USD", ("Raleigh, NC",)),
    "Richmond, VA": ("US", "onsite", "USD", ("Richmond, VA",)),
    "Pittsburgh, PA": ("US", "hybrid", "USD", ("Pittsburgh, PA",)),
    "Los Angeles, CA": ("US", "hybrid", "USD", ("Los Angeles, CA",)),
    "Milwaukee, WI": ("US", "onsite", "USD", ("Milwaukee, WI",)),
    "Philadelphia, PA": ("US", "hybrid", "USD", ("Philadelphia, PA",)),
    "Hybrid - Toronto": ("CA", "hybrid", "CAD", ("Toronto, ON",)),
    "Montreal, QC": ("CA", "onsite", "CAD", ("Montr\u00e9al, QC",)),
    "London, UK (Hybrid)": ("GB", "hybrid", "GBP", ("London, UK",)),
    "Dublin, Ireland": ("IE", "hybrid", "EUR", ("Dublin, Ireland",)),
    "Berlin, Germany": ("DE", "hybrid", "EUR", ("Berlin, Germany",)),
    "Munich, Germany": ("DE", "onsite", "EUR", ("M\u00fcnchen, Germany",)),
    "Amsterdam, Netherlands": ("NL", "hybrid", "EUR", ("Amsterdam, Netherlands",)),
    "Lisbon, Portugal": ("PT", "hybrid", "EUR", ("Lisbon, Portugal",)),
    "Warsaw, Poland": ("PL", "hybrid", "EUR", ("Warsaw, Poland",)),
}

_COUNTRY_NAMES: dict[str, str] = {
    "US": "United States",
    "CA": "Canada",
    "GB": "United Kingdom",
    "IE": "Ireland",
    "DE": "Germany",
    "NL": "Netherlands",
    "PT": "Portugal",
    "PL": "Poland",
}

_CURRENCY: dict[str, tuple[str, float]] = {
    "USD": ("$", 1.0),
    "CAD": ("CA$", 1.05),
    "GBP": ("\u00a3", 0.62),
    "EUR": ("\u20ac", 0.66),
}

_PAY_TITLE: dict[str, str] = {
    "US": "United States Salary Range",
    "CA": "Canada Salary Range",
    "GB": "UK Base Salary Range",
}

# --------------------------------------------------------------------------------------------------------
# Technology stacks and sector vocabulary
# --------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stack:
    lang: str
    frameworks: tuple[str, ...]
    extras: tuple[str, ...]
    titles: tuple[str, ...]


_STACKS: dict[str, _Stack] = {
    "python": _Stack(
        "Python",
        ("Django", "FastAPI", "Flask"),
        ("Celery", "SQLAlchemy", "pytest", "asyncio", "Pydantic"),
        (
            "Senior Software Engineer (Python)",
            "Backend Engineer (Python)",
            "Python Developer",
            "Senior Backend Engineer, Django",
            "Software Engineer II - Python/FastAPI",
        ),
    ),
    "java": _Stack(
        "Java",
        ("Spring Boot",),
        ("Hibernate", "JUnit 5", "Gradle", "Maven", "Spring Cloud"),
        (
            "Java Developer",
            "Senior Java Engineer (Spring Boot)",
            "Backend Engineer - Java",
            "Lead Java Developer",
            "Software Engineer, Java Microservices",
        ),
    ),
    "kotlin": _Stack(
        "Kotlin",
        ("Spring Boot", "Ktor"),
        ("coroutines", "Gradle", "Exposed", "JUnit 5"),
        ("Senior Backend Engineer (Kotlin)", "Kotlin Backend Developer", "Software Engineer, Kotlin/JVM"),
    ),
    "go": _Stack(
        "Go",
        ("gRPC", "the standard library"),
        ("Protocol Buffers", "sqlc", "pgx", "OpenTelemetry"),
        ("Go Engineer", "Senior Backend Engineer (Go)", "Software Engineer, Go", "Golang Developer"),
    ),
    "ruby": _Stack(
        "Ruby",
        ("Ruby on Rails",),
        ("Sidekiq", "RSpec", "Hotwire", "ActiveRecord"),
        ("Ruby on Rails Developer", "Senior Rails Engineer", "Backend Engineer (Ruby/Rails)"),
    ),
    "php": _Stack(
        "PHP",
        ("Laravel", "Symfony"),
        ("PHPUnit", "Composer", "Laravel Horizon", "Doctrine"),
        ("PHP/Laravel Developer", "Senior PHP Developer (Symfony)", "Backend Developer - PHP"),
    ),
    "node": _Stack(
        "Node.js",
        ("NestJS", "Express", "Fastify"),
        ("TypeScript", "Prisma", "Jest", "BullMQ"),
        (
            "Full-Stack Developer (Node.js/React)",
            "Senior Node.js Engineer",
            "Backend Engineer (TypeScript)",
            "Full Stack Engineer, TypeScript",
        ),
    ),
    "dotnet": _Stack(
        "C#",
        (".NET 8", "ASP.NET Core"),
        ("Entity Framework Core", "xUnit", "Azure Service Bus", "MediatR"),
        (".NET Developer", "Senior C# / .NET Engineer", "Software Engineer II, .NET", "Backend Developer (C#)"),
    ),
    "rust": _Stack(
        "Rust",
        ("Tokio", "Axum"),
        ("serde", "tonic", "sqlx"),
        ("Rust Engineer", "Senior Systems Engineer (Rust)", "Backend Engineer - Rust"),
    ),
    "elixir": _Stack(
        "Elixir",
        ("Phoenix",),
        ("Ecto", "Oban", "LiveView", "OTP"),
        ("Elixir Engineer", "Backend Engineer (Elixir/Phoenix)", "Senior Elixir Developer"),
    ),
}

_GENERIC_BACKEND_TITLES: tuple[str, ...] = (
    "Backend Engineer",
    "Senior Backend Engineer",
    "Senior Software Engineer, Backend",
    "Staff Platform Engineer",
    "API Engineer",
    "Software Engineer II - Backend",
    "Principal Engineer, Integrations",
    "Engineering Manager, Backend",
    "Senior Software Engineer, Payments Infrastructure",
    "Backend Engineer, Core Services",
    "Associate Software Engineer",
)

_DATA_TITLES: tuple[str, ...] = (
    "Data Platform Engineer (Spark)",
    "Senior Data Engineer",
    "Data Engineer, Streaming",
)

_PLATFORM_TITLES: tuple[str, ...] = (
    "Site Reliability Engineer",
    "Senior DevOps Engineer",
    "Platform Engineer (Kubernetes)",
)

_DATABASES = ("PostgreSQL", "PostgreSQL", "MySQL", "MongoDB", "SQL Server", "DynamoDB")
_QUEUES = ("Kafka", "RabbitMQ", "Amazon SQS", "Google Pub/Sub", "Kafka", "NATS")

_BANK_TEAMS = ("Payments", "Ledger", "Risk", "Lending", "Onboarding", "Treasury")

_SECTOR_WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    _T: {
        "domain": (
            "our public REST and GraphQL APIs",
            "usage-based billing and entitlements",
            "search and indexing",
            "webhooks and integrations",
            "authentication and single sign-on",
            "multi-tenant data isolation",
        ),
        "teams": ("Platform", "Core API", "Integrations", "Billing", "Developer Experience", "Identity"),
        "compliance": ("SOC 2", "ISO 27001", "GDPR"),
        "volume": ("tens of thousands of requests per second", "billions of events a month"),
    },
    _FS: {
        "domain": (
            "card authorization and settlement",
            "the double-entry ledger",
            "fraud scoring",
            "KYC and onboarding",
            "loan origination",
            "treasury and cash management",
        ),
        "teams": _BANK_TEAMS,
        "compliance": ("PCI DSS", "SOX", "SOC 2", "FFIEC guidance"),
        "volume": ("over $4B in annual payment volume", "about 2 million transactions a day"),
    },
    _HC: {
        "domain": (
            "FHIR and HL7 integrations with health systems",
            "patient scheduling",
            "claims and eligibility checks",
            "clinical messaging",
            "lab order routing",
            "care-plan management",
        ),
        "teams": ("Clinical Platform", "Interoperability", "Scheduling", "Revenue Cycle", "Member Experience"),
        "compliance": ("HIPAA", "HITRUST", "SOC 2"),
        "volume": ("millions of clinical messages a week", "80,000 orders a day"),
    },
    _RE: {
        "domain": (
            "checkout and payments",
            "the product catalog",
            "inventory and fulfillment",
            "order management",
            "search and recommendations",
            "promotions and pricing",
        ),
        "teams": ("Checkout", "Catalog", "Fulfillment", "Search", "Pricing", "Marketplace"),
        "compliance": ("PCI DSS", "GDPR"),
        "volume": ("peak holiday traffic of 30x our normal load", "hundreds of thousands of orders a week"),
    },
    _GOV: {
        "domain": (
            "benefits eligibility",
            "permit and license processing",
            "case management",
            "online payments for residents",
            "identity verification",
            "document intake and OCR pipelines",
        ),
        "teams": ("Benefits Delivery", "Permitting", "Identity", "Case Management", "Payments"),
        "compliance": ("FedRAMP", "NIST 800-53", "Section 508"),
        "volume": ("hundreds of thousands of applications a year", "a public-facing service used by millions"),
    },
    _EDU: {
        "domain": (
            "the gradebook and rostering",
            "LTI integrations with learning management systems",
            "assessment delivery",
            "course catalog and enrollment",
            "learner progress analytics",
        ),
        "teams": ("Learning Platform", "Assessments", "Integrations", "Student Systems"),
        "compliance": ("FERPA", "COPPA", "WCAG 2.1"),
        "volume": ("millions of practice sessions a week", "enrollment peaks at the start of every term"),
    },
    _MED: {
        "domain": (
            "content ingestion and transcoding",
            "recommendations",
            "subscriptions and paywalls",
            "live event streaming",
            "ad decisioning",
            "matchmaking and game services",
        ),
        "teams": ("Content Platform", "Playback", "Subscriptions", "Game Services", "Recommendations"),
        "compliance": ("GDPR", "COPPA"),
        "volume": ("20 million monthly listeners", "traffic spikes every time a story breaks"),
    },
    _TL: {
        "domain": (
            "shipment tracking",
            "route optimization",
            "carrier integrations over EDI and APIs",
            "rating and quoting",
            "dispatch and telematics",
        ),
        "teams": ("Visibility", "Routing", "Carrier Network", "Pricing", "Telematics"),
        "compliance": ("ISO 27001", "SOC 2"),
        "volume": ("location pings from 40,000 vehicles", "3,000 loads a day"),
    },
    _ME: {
        "domain": (
            "telemetry ingestion from field devices",
            "grid forecasting",
            "meter data management",
            "machine monitoring on the factory floor",
            "dispatch of distributed energy resources",
        ),
        "teams": ("Grid Platform", "Device Cloud", "Forecasting", "Factory Systems"),
        "compliance": ("IEC 62443", "NERC CIP"),
        "volume": ("a million telemetry points a minute", "data from nine plants and 4,000 machines"),
    },
    _NP: {
        "domain": (
            "donor and volunteer management",
            "grant tracking",
            "distribution planning for partner agencies",
            "program reporting",
        ),
        "teams": ("Product Engineering", "Data", "Partner Tools"),
        "compliance": ("GDPR", "SOC 2"),
        "volume": ("data from 1,400 partner agencies", "a few hundred thousand records a month"),
    },
    _SC: {
        "domain": (
            "client API modernization projects",
            "legacy-to-cloud migrations",
            "integration platforms for client systems",
            "data migrations between core systems",
        ),
        "teams": ("Delivery", "Platform Practice", "Client Services"),
        "compliance": ("PCI DSS", "SOC 2", "HIPAA"),
        "volume": ("a portfolio of 20 active client engagements", "systems for clients in three regulated industries"),
    },
}  # fmt: skip

# Insurers get their own vocabulary rather than the banking/payments one.
_INSURANCE_WORDS: dict[str, tuple[str, ...]] = {
    "domain": (
        "policy administration",
        "claims intake and adjudication",
        "quoting and rating",
        "underwriting rules",
        "premium billing",
        "first notice of loss",
    ),
    "teams": ("Claims", "Policy", "Underwriting", "Billing", "Agent Portal"),
    "compliance": ("SOC 2", "state insurance data-security rules", "PCI DSS"),
    "volume": ("1.5 million active policies", "tens of thousands of claims a month"),
}
_INSURERS = frozenset({"harborviewmutual", "brassbell", "oakhaven-insurtech"})


def _words(company: _Company) -> dict[str, tuple[str, ...]]:
    return _INSURANCE_WORDS if company.slug in _INSURERS else _SECTOR_WORDS[company.sector]


_CULTURE: dict[str, tuple[str, ...]] = {
    _T: (
        "We are a product-led company with a small, senior engineering team. We write things down, ship in small "
        "increments and keep meetings to a minimum.",
        "We believe great software comes from teams who own what they build, from the first design doc to the "
        "pager. Most of our work happens asynchronously across time zones.",
    ),
    _FS: (
        "Money movement has to be correct, so we invest in testing, reconciliation and clear runbooks. We're also "
        "a place where engineers talk to customers and regulators, not just tickets.",
        "We are regulated, and we treat that as a design constraint rather than an excuse to move slowly.",
    ),
    _HC: (
        "Every system we build sits somewhere in a patient's journey. We take privacy and reliability seriously "
        "and work closely with clinicians to understand what actually helps.",
        "Our engineers, clinicians and operations staff work as one team. We measure success in patient outcomes, "
        "not feature counts.",
    ),
    _RE: (
        "We're a retailer that happens to write a lot of software. Engineers spend time in stores and warehouses "
        "and see how their work affects customers and staff.",
        "Our peak season is unforgiving, so we plan for capacity, practise game days and keep our systems boring "
        "in the best way.",
    ),
    _GOV: (
        "We build public services that have to work for everyone: people on old phones, slow connections, screen "
        "readers and second languages. Accessibility and plain language are part of the job.",
        "We work in the open wherever we can, publish our code, and measure success by whether residents can get "
        "what they need without calling us.",
    ),
    _EDU: (
        "Teachers and students are our users, and their time is precious. We test with classrooms and ship "
        "carefully around the school calendar.",
        "We're a mission-driven team of educators and engineers who believe good tools can widen access to learning.",
    ),
    _MED: (
        "Our audience notices every second of buffering and every broken link. We care about performance and "
        "craft, and we like working with editors, artists and designers.",
        "We're a creative company with an engineering culture: small teams, lots of autonomy and a bias for shipping.",
    ),
    _TL: (
        "Freight runs around the clock, and so do our systems. We value pragmatic engineering, solid integrations "
        "and data you can trust at 3 a.m.",
        "We work closely with dispatchers, carriers and drivers. Many of our best product ideas start with a "
        "ride-along.",
    ),
    _ME: (
        "Our software controls physical equipment, so we value safety, testing and careful rollouts. Engineers "
        "work alongside hardware, field and operations teams.",
        "We're decarbonizing a century-old industry one integration at a time, and we need people who like hard, "
        "real-world problems.",
    ),
    _NP: (
        "We're a small nonprofit team, so every engineer has real ownership. Our tools are used by volunteers and "
        "staff who have little time for training, so simplicity matters.",
        "We build open-source software and share what we learn with the wider sector.",
    ),
    _SC: (
        "Our consultants work embedded in client teams, so we value clear communication, pragmatism and leaving "
        "codebases better than we found them.",
        "We invest in our people with paid certifications, a learning budget and bench time between engagements.",
    ),
}

# --------------------------------------------------------------------------------------------------------
# Text templates
# --------------------------------------------------------------------------------------------------------

_INTRO_TEMPLATES: tuple[str, ...] = (
    "As {a_title} on the {team} team, you'll build and run the services behind {domain}. The team works in "
    "{lang} on {cloud} and ships to production many times a day.",
    "We're looking for {a_title} to join the {team} team. You'll work on {domain} and {domain2}, taking "
    "features from a rough idea to production and owning them afterwards.",
    "The {team} team owns {domain}. It handles {volume} and is central to how {company} works, and we're "
    "hiring {a_title} to help us scale it.",
    "This is a hands-on role for someone who enjoys the unglamorous parts of back-end work: data modeling, "
    "migrations, queues, retries and the dashboards that tell you it all works. You'll join the {team} team "
    "and focus on {domain}.",
    "{company} is growing, and so is the load on {domain}. As {a_title}, you'll help redesign the services "
    "behind it, moving from a single {lang} application towards well-bounded services on {cloud}.",
    "You'll be one of the first engineers on our new {team} team, responsible for {domain}. Expect real "
    "ownership, a lot of autonomy and a short path from idea to production.",
)

_BACKEND_RESPONSIBILITIES: tuple[str, ...] = (
    "Design, build and operate {lang} services that power {domain}",
    "Own APIs end to end: schema design, implementation in {fw}, tests, rollout and on-call",
    "Model data in {db} and tune the queries, indexes and migrations behind high-traffic endpoints",
    "Build event-driven workflows on {queue} and make them idempotent, observable and easy to replay",
    "Break a legacy monolith into well-bounded services without pausing feature work",
    "Improve reliability with better alerting, SLOs and thorough post-incident follow-ups",
    "Review code and mentor engineers on testing, API design and operational readiness",
    "Work with product and design to scope features for {domain2} and ship them in small increments",
    "Integrate with third-party partners over REST, webhooks and SFTP, and make failures visible",
    "Profile and optimize hot paths, adding Redis caching where it actually helps",
    "Automate infrastructure with Terraform and ship through CI/CD to Kubernetes on {cloud}",
    "Write design docs and RFCs, and help the team make pragmatic trade-offs",
    "Harden authentication, authorization and audit logging across our services",
    "Build internal tools that make our support and operations teams faster",
    "Keep runtimes, dependencies and {fw} versions current, and pay down technical debt deliberately",
    "Expose GraphQL and gRPC endpoints used by our web and mobile clients",
    "Take part in a humane on-call rotation (roughly one week in eight)",
)

_BACKEND_REQUIREMENTS: tuple[str, ...] = (
    "Deep familiarity with {fw} and its ecosystem ({extra})",
    "Strong SQL skills and experience running {db} in production",
    "Experience designing REST APIs, and ideally GraphQL or gRPC, that other teams rely on",
    "Hands-on experience with Docker and Kubernetes, and with at least one major cloud (AWS, Azure or GCP)",
    "Comfort with asynchronous messaging such as {queue}",
    "You write tests as a matter of course and care about readable, maintainable code",
    "Clear written communication; much of our collaboration is asynchronous",
    "Experience with observability tooling such as OpenTelemetry, Prometheus, Grafana or Datadog",
    "Sound judgement about when to build, when to buy and when to leave something alone",
    "Familiarity with {compliance} requirements, or willingness to learn them quickly",
)

_NICE_TO_HAVE: tuple[str, ...] = (
    "Experience with {alt_lang}",
    "Exposure to {compliance} audits",
    "Contributions to open-source projects",
    "Experience with Elasticsearch or OpenSearch",
    "A background in {domain} or a related domain",
    "Experience migrating services between cloud providers",
    "Familiarity with event sourcing and CQRS",
    "Experience with feature flags and progressive delivery",
    "Working knowledge of Airflow, dbt or Spark",
    "Experience with Terraform or Pulumi",
    "Experience with MongoDB or another document store alongside a relational database",
)

_DATA_RESPONSIBILITIES: tuple[str, ...] = (
    "Build and operate batch and streaming pipelines with Spark, Kafka and Airflow",
    "Design lakehouse tables on Apache Iceberg or Delta Lake and keep them fast and well-partitioned",
    "Own data quality: contracts, tests and alerting for the datasets behind {domain}",
    "Expose curated data to analysts and services through dbt models and internal APIs",
    "Tune Spark jobs and cut our compute bill without slowing anyone down",
    "Partner with back-end teams to publish reliable change events from {db}",
)

_DATA_REQUIREMENTS: tuple[str, ...] = (
    "Production experience with Apache Spark (PySpark or Scala)",
    "Strong SQL and data modeling skills",
    "Experience orchestrating pipelines with Airflow, Dagster or similar",
    "Experience with Kafka or another event streaming platform",
    "Python as a daily language; Scala or Java is a plus",
    "Experience with a cloud data warehouse such as Snowflake, BigQuery or Redshift",
)

_PLATFORM_RESPONSIBILITIES: tuple[str, ...] = (
    "Run and evolve our Kubernetes platform on {cloud}, from cluster upgrades to multi-region failover",
    "Manage infrastructure as code with Terraform and keep it reviewable",
    "Build paved-road tooling in Go so product teams can ship services safely on their own",
    "Own CI/CD with GitHub Actions and Argo CD, and keep builds fast",
    "Lead incident response, run blameless reviews and drive the fixes to completion",
    "Improve observability with OpenTelemetry, Prometheus and Grafana",
)

_PLATFORM_REQUIREMENTS: tuple[str, ...] = (
    "Deep, hands-on experience running Kubernetes in production",
    "Terraform and at least one major cloud provider (AWS, Azure or Google Cloud)",
    "Proficiency in Go or Python for tooling and automation",
    "A solid grasp of networking, DNS, TLS and Linux internals",
    "Experience with PostgreSQL operations, backups and failover",
)

_YEARS_BY_LEVEL = ((1, 0), (3, 2), (5, 3), (8, 5))

# Non-back-end roles: title -> (family, responsibilities, requirements)
_OTHER_ROLES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    "Product Designer": (
        "design",
        (
            "Own end-to-end design for {domain}, from discovery and flows to high-fidelity prototypes in Figma",
            "Run usability sessions and turn what you learn into clear design decisions",
            "Partner with engineers and product managers to ship in small, measurable increments",
            "Contribute components and patterns to our design system",
        ),
        (
            "4+ years of product design experience on web or mobile products",
            "A portfolio that shows shipped work and the reasoning behind it",
            "Fluency in Figma and prototyping",
            "Comfort presenting work and giving and receiving critique",
        ),
    ),
    "Account Executive": (
        "sales",
        (
            "Own the full sales cycle for mid-market prospects, from discovery to close",
            "Build pipeline with marketing and sales development, and keep the CRM honest",
            "Run tailored demos that connect {company}'s product to each customer's goals",
            "Share customer feedback with product and engineering",
        ),
        (
            "3+ years of closing experience in B2B software sales",
            "A track record of meeting or exceeding quota",
            "Excellent written and verbal communication",
            "Experience with Salesforce or HubSpot",
        ),
    ),
    "iOS Engineer": (
        "mobile",
        (
            "Build features in Swift and SwiftUI for our iOS app",
            "Work with back-end engineers on the APIs the app relies on",
            "Improve app performance, accessibility and crash-free sessions",
            "Write unit and UI tests with XCTest",
        ),
        (
            "3+ years of professional iOS development in Swift",
            "Experience with SwiftUI, Combine or Swift concurrency",
            "An app in the App Store you can talk about",
            "Care for accessibility and detail",
        ),
    ),
    "Data Scientist": (
        "data-science",
        (
            "Design and analyze experiments that shape our roadmap",
            "Build models that forecast demand and flag anomalies in {domain}",
            "Turn messy data into clear recommendations for product and leadership",
            "Partner with data engineers on trustworthy datasets",
        ),
        (
            "Strong Python (pandas, scikit-learn) and SQL",
            "A solid grounding in statistics and experimental design",
            "Experience communicating results to non-technical audiences",
            "Familiarity with dbt and a cloud warehouse such as BigQuery or Snowflake",
        ),
    ),
    "QA Analyst": (
        "qa",
        (
            "Write and maintain test plans for new features and releases",
            "Automate regression suites with Playwright or Cypress",
            "Triage bugs with engineers and keep release quality visible",
            "Test APIs with Postman and contract tests",
        ),
        (
            "2+ years of software QA experience",
            "Experience with test automation in JavaScript or Python",
            "A methodical approach and clear bug reports",
            "Familiarity with Jira and CI pipelines",
        ),
    ),
    "Frontend Engineer (React)": (
        "frontend",
        (
            "Build accessible, fast interfaces in React and TypeScript",
            "Work with designers to evolve our component library",
            "Collaborate with back-end engineers on API contracts",
            "Improve Core Web Vitals and front-end observability",
        ),
        (
            "3+ years of professional React and TypeScript experience",
            "A strong grasp of HTML, CSS and accessibility",
            "Experience testing with Jest and Playwright",
            "Experience with Next.js is a plus",
        ),
    ),
    "Senior Product Manager": (
        "product",
        (
            "Own the roadmap for {domain}",
            "Talk to customers every week and turn their problems into clear bets",
            "Work with engineering and design to ship, measure and iterate",
            "Write crisp product briefs and keep stakeholders aligned",
        ),
        (
            "5+ years of product management experience",
            "Comfort with technical products and APIs",
            "Strong analytical skills, including SQL",
            "Excellent written communication",
        ),
    ),
}

_OTHER_TITLE_WEIGHTS: tuple[tuple[str, int], ...] = (
    ("Product Designer", 3),
    ("Account Executive", 3),
    ("iOS Engineer", 2),
    ("Data Scientist", 3),
    ("QA Analyst", 2),
    ("Frontend Engineer (React)", 3),
    ("Senior Product Manager", 2),
)

_BENEFITS_US: tuple[str, ...] = (
    "Medical, dental and vision coverage for you and your dependents",
    "A 401(k) plan with a 4% company match",
    "Flexible paid time off, with a minimum of 20 days encouraged",
    "16 weeks of fully paid parental leave",
    "A $1,500 yearly learning and conference budget",
    "Home-office stipend and the hardware you need",
    "Stock options or RSUs for every employee",
    "Four-day work weeks in August",
    "Monthly wellness and coworking stipend",
    "Company-wide offsite once a year",
    "Paid volunteer days",
    "Mental-health support through a leading provider",
    "Commuter benefits for hybrid roles",
    "Paid certifications and study time",
)

_BENEFITS_INTL: tuple[str, ...] = (
    "Private health insurance for you and your family",
    "Employer pension contributions of 6% of salary",
    *(b for b in _BENEFITS_US[2:] if not b.startswith(("Commuter", "Stock"))),
    "Public-transport pass or bike-leasing scheme",
    "Stock options for every employee",
)


def _home_country(company: _Company) -> str:
    return _LOCATIONS[company.locations[0]][0]


def _benefits(rng: random.Random, company: _Company, low: int, high: int) -> list[str]:
    pool = _BENEFITS_US if _home_country(company) == "US" else _BENEFITS_INTL
    return _pick(rng, pool, rng.randint(low, high))


def _eeo(rng: random.Random, company: _Company) -> str:
    pool = _EEO if _home_country(company) == "US" else _EEO[:3]
    return rng.choice(pool).format(company=company.name)


_EEO: tuple[str, ...] = (
    "{company} is an equal opportunity employer. We do not discriminate on the basis of race, religion, color, "
    "national origin, sex, sexual orientation, gender identity, age, veteran status or disability.",
    "We're committed to building a diverse team. If you're excited about this role but your experience doesn't "
    "match every requirement, we encourage you to apply anyway.",
    "{company} provides reasonable accommodations for candidates with disabilities throughout the hiring process. "
    "Let your recruiter know what would help.",
    "All qualified applicants will receive consideration for employment without regard to any characteristic "
    "protected by law. We participate in E-Verify.",
)

_PAY_DESCRIPTIONS: tuple[str, ...] = (
    "The base salary range below reflects the minimum and maximum target for new hires in this role. Final "
    "offers depend on experience, skills and location.",
    "This range is our good-faith estimate for base pay at the time of posting. Total compensation also includes "
    "equity and benefits.",
    "Our salary ranges are set by role, level and location. Where you fall within the range depends on "
    "job-related skills and experience.",
)

# Heading variants: (about the role, what you'll do, what you bring, nice to have, benefits)
_HEADINGS: tuple[tuple[str, str, str, str, str], ...] = (
    ("About the role", "What you'll do", "What you'll bring", "Nice to have", "Benefits"),
    ("The opportunity", "Responsibilities", "Requirements", "Bonus points", "What we offer"),
    ("About this role", "In this role, you will", "About you", "Preferred qualifications", "Perks & benefits"),
    ("Your mission", "Your impact", "What we're looking for", "It's a plus if you have", "Why join us"),
)

# --------------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------------


def _pick(rng: random.Random, items: Sequence[str], count: int) -> list[str]:
    """``count`` distinct items, kept in the order of ``items`` so lists read naturally."""
    chosen = rng.sample(range(len(items)), min(count, len(items)))
    return [items[i] for i in sorted(chosen)]


def _level(title: str) -> int:
    lowered = title.lower()
    if any(word in lowered for word in ("staff", "principal", "lead", "manager")):
        return 3
    if "senior" in lowered or "sr." in lowered:
        return 2
    if any(word in lowered for word in ("associate", "junior")):
        return 0
    return 1


def _salary(rng: random.Random, level: int, currency: str, sector: str) -> tuple[int, int]:
    base = (85_000, 120_000, 150_000, 185_000)[level]
    factor = _CURRENCY[currency][1]
    if sector in (_GOV, _NP, _EDU):
        factor *= 0.85
    low = base * factor * rng.uniform(0.92, 1.08)
    high = low * rng.uniform(1.25, 1.45)
    return int(round(low, -3)), int(round(high, -3))


def _office_location(location: str) -> str:
    """Greenhouse ``offices[].location`` style: "New York, NY, United States"."""
    country, _, _, names = _LOCATIONS[location]
    if country in ("US", "CA"):
        return f"{names[0]}, {_COUNTRY_NAMES[country]}"
    return names[0].replace(", UK", ", United Kingdom")


def _money(amount: int, currency: str) -> str:
    return f"{_CURRENCY[currency][0]}{amount:,}"


def _us_eastern_offset(moment: datetime) -> timedelta:
    """UTC offset of US Eastern time (Greenhouse's board time zone in the captures) at a UTC instant."""
    year = moment.year
    march = datetime(year, 3, 8, tzinfo=UTC)
    dst_start = march + timedelta(days=(6 - march.weekday()) % 7, hours=7)
    november = datetime(year, 11, 1, tzinfo=UTC)
    dst_end = november + timedelta(days=(6 - november.weekday()) % 7, hours=6)
    return timedelta(hours=-4) if dst_start <= moment < dst_end else timedelta(hours=-5)


def _gh_time(moment: datetime) -> str:
    return moment.astimezone(timezone(_us_eastern_offset(moment))).isoformat(timespec="seconds")


def _epoch_ms(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(milliseconds=1)


def _gh_escape(markup: str) -> str:
    """Escape HTML the way the Greenhouse job-board API does in ``content``."""
    return (
        markup.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )


def _xml_text(text: str) -> str:
    """Escape character data the way the WWR feed does: quotes are left alone."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_TAG = re.compile(r"<[^>]+>")
_BARE_AMP = re.compile(r"&(?!(?:[A-Za-z]+|#\d+|#x[0-9A-Fa-f]+);)")


def _amp(markup: str) -> str:
    """Turn bare ``&`` in generated HTML (e.g. "Fable & Fern") into ``&amp;``; entities stay as they are."""
    return _BARE_AMP.sub("&amp;", markup)


def _plain(markup: str) -> str:
    """Plain-text rendering in the style of Lever's ``*Plain`` fields."""
    text = re.sub(r">\n<", "><", markup)
    text = text.replace("<div><br></div>", "\n").replace("<br>", "\n")
    text = re.sub(r"</(div|p|li|h\d)>", "\n", text)
    return html.unescape(_TAG.sub("", text))


def _slug(text: str) -> str:
    text = text.lower().replace("c#", "csharp").replace(".net", "net").replace("&", "and").replace("+", "plus")
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _article(title: str) -> str:
    return f"an {title}" if title[0] in "AEIOU" else f"a {title}"


def _curly(text: str) -> str:
    return text.replace("'", _RSQUO)


# --------------------------------------------------------------------------------------------------------
# Postings (format-neutral)
# --------------------------------------------------------------------------------------------------------


@dataclass
class _Posting:
    title: str
    family: str  # backend | data | platform | design | sales | mobile | data-science | qa | frontend | product
    team: str
    location: str
    intro: str
    responsibilities: list[str]
    requirements: list[str]
    nice: list[str]
    stack_line: str
    salary: tuple[int, int] | None
    currency: str
    posted: datetime
    commitment: str


def _context(rng: random.Random, company: _Company, stack_key: str, team: str) -> dict[str, str]:
    words = _words(company)
    stack = _STACKS[stack_key]
    domain, domain2 = rng.sample(list(words["domain"]), 2)
    others = [key for key in _STACKS if key not in company.stacks]
    return {
        "company": company.name,
        "team": team,
        "lang": stack.lang,
        "fw": rng.choice(stack.frameworks),
        "extra": ", ".join(_pick(rng, stack.extras, 2)),
        "db": rng.choice(_DATABASES),
        "queue": rng.choice(_QUEUES),
        "cloud": company.cloud,
        "domain": domain,
        "domain2": domain2,
        "volume": rng.choice(words["volume"]),
        "compliance": rng.choice(words["compliance"]),
        "alt_lang": _STACKS[rng.choice(others)].lang,
    }


def _make_posting(rng: random.Random, company: _Company, now: datetime, location: str | None = None) -> _Posting:
    words = _words(company)
    team = rng.choice(words["teams"])
    stack_key = rng.choice(company.stacks)
    ctx = _context(rng, company, stack_key, team)
    roll = rng.random()
    if roll < 0.17:
        names = [name for name, weight in _OTHER_TITLE_WEIGHTS for _ in range(weight)]
        title = rng.choice(names)
        family, resp_pool, req_pool = _OTHER_ROLES[title]
        responsibilities = [r.format(**ctx) for r in resp_pool]
        requirements = [r.format(**ctx) for r in req_pool]
        nice: list[str] = []
        intro = (
            f"We're hiring {_article(title)} to join {company.name}. You'll work closely with the {team} team on "
            f"{ctx['domain']}."
        )
        stack_line = ""
    else:
        if roll < 0.25:
            title, family = rng.choice(_DATA_TITLES), "data"
            base_title = title
            resp_pool, req_pool = _DATA_RESPONSIBILITIES, _DATA_REQUIREMENTS
        elif roll < 0.32:
            title, family = rng.choice(_PLATFORM_TITLES), "platform"
            base_title = title
            resp_pool, req_pool = _PLATFORM_RESPONSIBILITIES, _PLATFORM_REQUIREMENTS
        else:
            family = "backend"
            if rng.random() < 0.62:
                title = rng.choice(_STACKS[stack_key].titles)
            else:
                title = rng.choice(_GENERIC_BACKEND_TITLES)
            base_title = title
            if rng.random() < 0.25 and "," not in title:
                title = f"{title}, {team}"
            resp_pool, req_pool = _BACKEND_RESPONSIBILITIES, _BACKEND_REQUIREMENTS
        level = _level(title)
        years, in_lang = _YEARS_BY_LEVEL[level]
        responsibilities = [r.format(**ctx) for r in _pick(rng, resp_pool, rng.randint(5, 7))]
        built = {"data": "data pipelines", "platform": "and running production infrastructure"}.get(
            family, "back-end systems"
        )
        lead = f"{years}+ years of professional experience building {built}"
        if family == "backend" and in_lang:
            lead += f", including at least {in_lang} with {ctx['lang']}"
        elif family == "backend":
            lead += f" (internships count), ideally with {ctx['lang']}"
        requirements = [lead, *[r.format(**ctx) for r in _pick(rng, req_pool, rng.randint(4, 6))]]
        if company.sector == _GOV and rng.random() < 0.7:
            requirements.append("U.S. citizenship and the ability to obtain a Public Trust clearance")
        nice = [n.format(**ctx) for n in _pick(rng, _NICE_TO_HAVE, rng.randint(2, 4))]
        intro = rng.choice(_INTRO_TEMPLATES).format(title=base_title, a_title=_article(base_title), **ctx)
        stack_line = (
            f"{ctx['lang']} ({ctx['fw']}), {ctx['db']}, Redis, {ctx['queue']}, Docker and Kubernetes on "
            f"{company.cloud}, with Terraform, GitHub Actions and {rng.choice(('Datadog', 'Grafana', 'Honeycomb'))}"
        )
    if location is None:
        location = rng.choice(company.locations)
    if rng.random() < 0.12 and family in ("backend", "platform") and "Remote" in location:
        title = f"{title} (Remote)"
    currency = _LOCATIONS[location][2]
    salary = _salary(rng, _level(title), currency, company.sector) if rng.random() < 0.55 else None
    offset = timedelta(milliseconds=rng.randrange(120_000, _MAX_AGE_S * 1000))
    commitment = "Contract" if (company.sector == _SC and rng.random() < 0.4) or rng.random() < 0.05 else "Full-time"
    return _Posting(
        title=title,
        family=family,
        team=team,
        location=location,
        intro=intro,
        responsibilities=responsibilities,
        requirements=requirements,
        nice=nice,
        stack_line=stack_line,
        salary=salary,
        currency=currency,
        posted=now - offset,
        commitment=commitment,
    )


def _board_postings(rng: random.Random, company: _Company, now: datetime) -> list[_Posting]:
    """4-12 postings for one board; the same title twice only when the locations differ."""
    postings: list[_Posting] = []
    seen: set[tuple[str, str]] = set()
    for _ in range(rng.randint(4, 12)):
        posting = _make_posting(rng, company, now)
        for _retry in range(3):
            if (posting.title, posting.location) not in seen:
                break
            posting = _make_posting(rng, company, now)
        seen.add((posting.title, posting.location))
        postings.append(posting)
    return postings


# --------------------------------------------------------------------------------------------------------
# Greenhouse
# --------------------------------------------------------------------------------------------------------


class _Ids:
    """Unique 10-digit Greenhouse-style ids (they end in ...002 like the real boards)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._seen: set[int] = set()

    def take(self, low: int, high: int) -> int:
        while True:
            value = self._rng.randrange(low, high) * 1000 + 2
            if value not in self._seen:
                self._seen.add(value)
                return value


def _gh_heading(style: int, text: str) -> str:
    if style == 0:
        return f"<h2>{text}</h2>"
    if style == 1:
        return f"<p><strong>{text}</strong></p>"
    return f"<h3><strong>{text}</strong></h3>"


def _gh_list(items: Sequence[str], numbered: bool) -> str:
    if numbered:
        rows = "".join(f'<li value="{i}">{item}.</li>\n' for i, item in enumerate(items, 1))
    else:
        rows = "".join(f"<li>{item}</li>\n" for item in items)
    return f"<ul>\n{rows}</ul>"


@dataclass(frozen=True)
class _GhStyle:
    heading_style: int
    headings: tuple[str, str, str, str, str]
    numbered: bool
    curly: bool
    intro_div: bool
    sourcepos: bool
    metadata_mode: int  # 0 null, 1 [], 2 entries
    url_mode: int  # 0 job-boards.greenhouse.io, 1 boards.greenhouse.io, 2 own domain
    requisition_mode: int  # 0 "R-12345", 1 "1234", 2 null
    company_name: str


def _gh_content(rng: random.Random, company: _Company, style: _GhStyle, posting: _Posting, benefits: list[str]) -> str:
    h_about, h_do, h_bring, h_nice, h_benefits = style.headings
    culture = rng.choice(_CULTURE[company.sector])
    about = f"{company.name} {company.does}."
    parts: list[str] = []
    if style.intro_div:
        parts.append(f'<div class="content-intro"><p>{about}</p>\n<p>{culture}</p></div>')
    else:
        parts.append(f"<p>{about} {culture}</p>\n")
    body: list[str] = [f"{_gh_heading(style.heading_style, h_about)}\n<p>{posting.intro}</p>"]
    body.append(f"{_gh_heading(style.heading_style, h_do)}\n{_gh_list(posting.responsibilities, style.numbered)}")
    body.append(f"{_gh_heading(style.heading_style, h_bring)}\n{_gh_list(posting.requirements, style.numbered)}")
    if posting.nice:
        body.append(f"{_gh_heading(style.heading_style, h_nice)}\n{_gh_list(posting.nice, False)}")
    if posting.stack_line:
        label = rng.choice(("Our stack:", "Tech we use:", "What we build with:"))
        body.append(f"<p><strong>{label}</strong>&nbsp;{posting.stack_line}.</p>")
    main = "\n".join(body)
    if style.sourcepos:
        main = re.sub(r"<(p|ul|li)>", lambda m: f'<{m.group(1)} data-sourcepos="1:1-1:80">', main, count=6)
    parts.append(main)
    country = _LOCATIONS[posting.location][0]
    if posting.salary and country in _PAY_TITLE:
        low, high = posting.salary
        parts.append(
            '<div class="content-pay-transparency"><div class="pay-input"><div class="description"><p><em>'
            f"{rng.choice(_PAY_DESCRIPTIONS)}</em></p></div>"
            f'<div class="title">{_PAY_TITLE[country]}</div><div class="pay-range">'
            f'<span>{_money(low, posting.currency)}</span><span class="divider">&mdash;</span>'
            f"<span>{_money(high, posting.currency)} {posting.currency}</span></div></div></div>"
        )
    items = "".join(f"<li>{b}</li>\n" for b in benefits)
    parts.append(
        f'<div class="content-conclusion"><h4><strong>{h_benefits}</strong></h4>\n'
        f"<ul>\n{items}</ul>\n<p>{_eeo(rng, company)}</p></div>"
    )
    markup = _amp("".join(parts))
    if style.curly:
        markup = _curly_text(markup)
    return _gh_escape(markup)


def _curly_text(markup: str) -> str:
    """Curl apostrophes in text only (attribute values here never contain apostrophes)."""
    return re.sub(r">([^<]*)<", lambda m: ">" + _curly(m.group(1)) + "<", markup)


def _gh_metadata(
    mode: int, ids: dict[str, int], posting: _Posting, rng: random.Random
) -> list[dict[str, object]] | None:
    if mode == 0:
        return None
    if mode == 1:
        return []
    workplace = _LOCATIONS[posting.location][1]
    entries: list[dict[str, object]] = [
        {
            "id": ids["Employment Type"],
            "name": "Employment Type",
            "value": "Contract" if posting.commitment == "Contract" else "Regular",
            "value_type": "single_select",
        },
        {
            "id": ids["Location Type"],
            "name": "Location Type",
            "value": {"remote": "Remote", "hybrid": "Hybrid", "onsite": "On-site"}[workplace],
            "value_type": "single_select",
        },
    ]
    if posting.salary and rng.random() < 0.6:
        low, high = posting.salary
        entries.append(
            {
                "id": ids["Salary Range"],
                "name": "Salary Range",
                "value": {"unit": posting.currency, "min_value": f"{low}.0", "max_value": f"{high}.0"},
                "value_type": "currency_range",
            }
        )
    entries.append({"id": ids["Featured Title"], "name": "Featured Title", "value": None, "value_type": "short_text"})
    return entries


def _greenhouse_board(rng: random.Random, company: _Company, now: datetime, ids: _Ids) -> tuple[bytes, int]:
    style = _GhStyle(
        heading_style=rng.randrange(3),
        headings=rng.choice(_HEADINGS),
        numbered=rng.random() < 0.2,
        curly=rng.random() < 0.5,
        intro_div=rng.random() < 0.8,
        sourcepos=rng.random() < 0.1,
        metadata_mode=rng.choice((0, 1, 2, 2)),
        url_mode=rng.choice((0, 0, 0, 1, 2)),
        requisition_mode=rng.randrange(3),
        company_name=company.name + (" " if rng.random() < 0.08 else ""),
    )
    meta_ids = {name: ids.take(4_000_000, 9_999_999) for name in ("Employment Type", "Location Type", "Salary Range")}
    meta_ids["Featured Title"] = ids.take(10_000_000, 99_999_999)
    departments = {team: ids.take(4_000_000, 4_200_000) for team in _words(company)["teams"]}
    root_department = ids.take(4_000_000, 4_200_000)
    offices = {loc: ids.take(4_000_000, 4_200_000) for loc in company.locations}
    benefits = _benefits(rng, company, 4, 7)
    jobs: list[dict[str, object]] = []
    for posting in _board_postings(rng, company, now):
        internal_id = ids.take(6_000_000, 6_999_999)
        requisition = (
            f"R-{rng.randrange(10000, 20000)}",
            str(rng.randrange(1000, 9999)),
            None,
        )[style.requisition_mode]
        content = _gh_content(rng, company, style, posting, benefits)
        metadata = _gh_metadata(style.metadata_mode, meta_ids, posting, rng)
        locations = [posting.location]
        if rng.random() < 0.12 and len(company.locations) > 1:
            # Same requisition posted twice, like the two "Brand Campaigns Director" posts in the Duolingo capture.
            locations.append(rng.choice([loc for loc in company.locations if loc != posting.location]))
        for location in locations:
            job_id = ids.take(4_000_000, 8_999_999)
            age = now - posting.posted
            updated = posting.posted + timedelta(
                seconds=rng.randrange(0, max(1, int(min(age, timedelta(days=12)).total_seconds())))
            )
            if style.url_mode == 0:
                url = f"https://job-boards.greenhouse.io/{company.slug}/jobs/{job_id}"
            elif style.url_mode == 1:
                url = f"https://boards.greenhouse.io/{company.slug}/jobs/{job_id}"
            else:
                url = f"https://careers.{company.slug}.example/jobs/{job_id}?gh_jid={job_id}"
            office_location = _office_location(location)
            jobs.append(
                {
                    "absolute_url": url,
                    "data_compliance": [
                        {
                            "type": "gdpr",
                            "requires_consent": False,
                            "requires_processing_consent": False,
                            "requires_retention_consent": False,
                            "retention_period": None,
                            "demographic_data_consent_applies": False,
                        }
                    ],
                    "internal_job_id": internal_id,
                    "location": {"name": location},
                    "metadata": metadata,
                    "id": job_id,
                    "updated_at": _gh_time(updated),
                    "requisition_id": requisition,
                    "title": posting.title,
                    "company_name": style.company_name,
                    "first_published": _gh_time(posting.posted),
                    "language": "en",
                    "application_deadline": None,
                    "content": content,
                    "departments": [
                        {
                            "id": departments[posting.team],
                            "name": posting.team,
                            "child_ids": [],
                            "parent_id": root_department,
                        }
                    ]
                    if rng.random() < 0.85
                    else [],
                    "offices": [
                        {
                            "id": offices[location],
                            "name": location,
                            "location": None if location.startswith("Remote") else office_location,
                            "child_ids": [],
                            "parent_id": None,
                        }
                    ]
                    if rng.random() < 0.8
                    else [],
                    "ai_disclaimer": None,
                    "include_ai_disclaimer": None,
                    "ai_opt_out_request_url": None,
                }
            )
    jobs.sort(key=lambda job: (str(job["title"]).lower(), str(job["id"])))
    payload = {"jobs": jobs, "meta": {"total": len(jobs)}}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), len(jobs)


# --------------------------------------------------------------------------------------------------------
# Lever
# --------------------------------------------------------------------------------------------------------

_LEVER_DEPARTMENT = {
    "backend": "Engineering",
    "data": "Engineering",
    "platform": "Engineering",
    "mobile": "Engineering",
    "frontend": "Engineering",
    "qa": "Engineering",
    "design": "Design",
    "sales": "Sales",
    "data-science": "Data",
    "product": "Product",
}


def _lever_block(style: int, heading: str | None, paragraphs: Sequence[str]) -> str:
    if style == 0:  # Palantir-like: bold heading, blank &nbsp; rows, newlines between divs
        rows: list[str] = []
        if heading:
            rows.append(f'<div><strong><span style="font-size: 18px;">{heading}</span></strong></div>')
        for paragraph in paragraphs:
            if rows:
                rows.append("<div>&nbsp;</div>")
            rows.append(f"<div>{paragraph}</div>")
        return "\n".join(rows)
    # Idealist-like: <div><br></div> between paragraphs, no newlines
    rows = [f"<div><b>{heading}</b></div>"] if heading else []
    rows.extend(f"<div>{paragraph}</div>" for paragraph in paragraphs)
    return "<div><br></div>".join(rows)


def _lever_site(rng: random.Random, company: _Company, now: datetime) -> tuple[bytes, int]:
    style = rng.randrange(2)
    curly = rng.random() < 0.5
    headings = rng.choice(_HEADINGS)
    benefits_as_list = rng.random() < 0.4
    benefits = _benefits(rng, company, 4, 6)
    rows: list[tuple[str, str, dict[str, object]]] = []
    for posting in _board_postings(rng, company, now):
        posting_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        country, workplace, currency, all_locations = _LOCATIONS[posting.location]
        culture = rng.choice(_CULTURE[company.sector])
        opening = _lever_block(style, f"About {company.name}", [f"{company.name} {company.does}.", culture])
        body_paragraphs = [posting.intro]
        if posting.stack_line:
            body_paragraphs.append(f"<b>Our stack:</b> {posting.stack_line}.")
        if posting.commitment == "Contract":
            body_paragraphs.append("<b>This is a 12-month contract role with the possibility of extension.</b>")
        body = _lever_block(style, headings[0] if style == 0 else None, body_paragraphs)
        lists = [
            {"text": headings[1], "content": "\n" + "".join(f"<li>{r}</li>\n" for r in posting.responsibilities)},
            {"text": headings[2], "content": "\n" + "".join(f"<li>{r}</li>\n" for r in posting.requirements)},
        ]
        if posting.nice:
            lists.append({"text": headings[3], "content": "\n" + "".join(f"<li>{n}</li>\n" for n in posting.nice)})
        if benefits_as_list:
            lists.append(
                {
                    "text": headings[4],
                    "content": "\n" + "".join(f"<li>{b}</li>\n" for b in benefits),
                }
            )
        additional_paragraphs: list[str] = []
        salary_range: dict[str, object] | None = None
        if posting.salary:
            low, high = posting.salary
            additional_paragraphs.append(
                f"The estimated base salary range for this position is {_money(low, currency)} - "
                f"{_money(high, currency)}/year. Final offers depend on experience and location."
            )
            if rng.random() < 0.7:
                salary_range = {"min": low, "max": high, "currency": currency, "interval": "per-year-salary"}
        if not benefits_as_list:
            additional_paragraphs.append("We offer: " + "; ".join(b[0].lower() + b[1:] for b in benefits) + ".")
        additional_paragraphs.append(f"<i>{_eeo(rng, company)}</i>")
        additional = _lever_block(style, "Compensation & benefits" if style == 0 else None, additional_paragraphs)
        if curly:
            opening, body, additional = _curly_text(opening), _curly_text(body), _curly_text(additional)
            for entry in lists:
                entry["content"] = _curly_text(entry["content"])
        opening, body, additional = _amp(opening), _amp(body), _amp(additional)
        for entry in lists:
            entry["content"] = _amp(entry["content"])
        categories: dict[str, object] = {}
        if posting.commitment != "Full-time" or rng.random() < 0.9:
            categories["commitment"] = posting.commitment
        if rng.random() < 0.6:
            categories["department"] = _LEVER_DEPARTMENT[posting.family]
        categories["location"] = all_locations[0]
        categories["team"] = posting.team
        categories["allLocations"] = list(all_locations)
        separator = "<div><br></div>" if style == 1 else "\n<div>&nbsp;</div>\n"
        opening_plain = _plain(opening).rstrip("\n")
        body_plain = _plain(body)
        hosted = f"https://jobs.lever.co/{company.slug}/{posting_id}"
        record: dict[str, object] = {
            "additionalPlain": _plain(additional),
            "additional": additional,
            "categories": categories,
            "createdAt": _epoch_ms(posting.posted),
            "descriptionPlain": _plain(opening + separator + body),
            "description": opening + separator + body,
            "id": posting_id,
            "lists": lists,
            "text": posting.title,
            "country": country,
            "workplaceType": workplace,
        }
        if salary_range:
            record["salaryRange"] = salary_range
        record.update(
            {
                "opening": opening,
                "openingPlain": opening_plain,
                "descriptionBody": body,
                "descriptionBodyPlain": body_plain,
                "hostedUrl": hosted,
                "applyUrl": hosted + "/apply",
            }
        )
        rows.append((posting.title.lower(), posting_id, record))
    rows.sort(key=lambda row: (row[0], row[1]))
    payload = [record for _, _, record in rows]
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"), len(payload)


# --------------------------------------------------------------------------------------------------------
# We Work Remotely RSS
# --------------------------------------------------------------------------------------------------------

# Employers on the generated WWR feed: (name, headquarters, <state>, sector for vocabulary, stacks)
_WWR_EMPLOYERS: tuple[tuple[str, str, str, str, tuple[str, ...]], ...] = (
    ("Bytewhistle", "Portland, Oregon", "Oregon", _T, ("go", "python")),
    ("Gridmoss", "Tallinn, Estonia", "Harjumaa", _ME, ("python", "elixir")),
    ("Pollenware", "Austin, Texas", "Texas", _T, ("ruby", "node")),
    ("Otterloop", "Vancouver, BC", "British Columbia", _MED, ("node", "go")),
    ("Cloudberry Ledger", "Oslo, Norway", "Oslo", _FS, ("kotlin", "java")),
    ("Kettlebyte", "Remote", "", _T, ("python", "node")),
    ("Stackmoor", "Dublin, Ireland", "Dublin", _T, ("java", "go")),
    ("Quietwire", "Denver, Colorado", "Colorado", _T, ("rust", "go")),
    ("Lindenfold", "Z\u00fcrich, Switzerland", "Z\u00fcrich", _FS, ("java", "python")),
    ("Mossgate Health", "Boston, MA", "Massachusetts", _HC, ("python", "dotnet")),
    ("Tinrook", "Krak\u00f3w, Poland", "Ma\u0142opolskie", _T, ("php", "node")),
    ("Helioforge", "San Diego, California", "California", _ME, ("python", "go")),
    ("Fjordly", "Copenhagen, Denmark", "Hovedstaden", _TL, ("kotlin", "python")),
    ("Periwink", "Toronto, Ontario", "Ontario", _RE, ("ruby", "node")),
    ("Saltmarsh Labs", "Charleston, SC", "South Carolina", _T, ("elixir", "ruby")),
    ("Yarrowsoft", "Wellington, New Zealand", "Wellington", _T, ("dotnet", "node")),
    ("Ambermill", "Manchester, UK", "Manchester", _RE, ("php", "python")),
    ("Drumlin Data", "Edinburgh, UK", "Edinburgh, City of", _T, ("python", "java")),
    ("Cobblepath", "Delaware, USA", "Delaware", _EDU, ("ruby", "node")),
    ("Rookery Pay", "London", "London", _FS, ("go", "java")),
    ("Emberlane", "Barcelona, Spain", "Barcelona", _MED, ("node", "python")),
    ("Foxglove Systems", "Raleigh, NC", "North Carolina", _GOV, ("java", "python")),
    ("Nettlefield", "Lisbon, Portugal", "Lisboa", _T, ("elixir", "go")),
    ("Sparrowhawk Freight", "Memphis, TN", "Tennessee", _TL, ("dotnet", "java")),
    ("Brambleway", "Bristol, UK", "Bristol, City of", _NP, ("php", "python")),
    ("Gullwing Games", "Helsinki, Finland", "Uusimaa", _MED, ("go", "dotnet")),
    ("Moonquarry", "Mexico City, Mexico", "Ciudad de M\u00e9xico", _T, ("node", "python")),
    ("Oakhaven Insurtech", "Des Moines, Iowa", "Iowa", _FS, ("java", "kotlin")),
    ("Pebblecast", "Berlin, Germany", "Berlin", _MED, ("go", "python")),
    ("Quaywise", "Singapore", "Singapore", _TL, ("java", "go")),
    ("Rivetry", "Detroit, Michigan", "Michigan", _ME, ("dotnet", "python")),
    ("Skiffworks", "Seattle, Washington", "Washington", _T, ("rust", "python")),
    ("Thistledown Learning", "Glasgow, UK", "Glasgow City", _EDU, ("python", "php")),
    ("Umberline", "Buenos Aires, Argentina", "Buenos Aires", _T, ("node", "go")),
    ("Hearth & Harbor", "Halifax, Nova Scotia", "Nova Scotia", _RE, ("ruby", "php")),
    ("Wickstone", "Cape Town, South Africa", "Western Cape", _FS, ("python", "go")),
    ("Zephyrine", "Montevideo, Uruguay", "Montevideo", _T, ("elixir", "node")),
    ("Larchmere Civic", "Ottawa, Ontario", "Ontario", _GOV, ("python", "ruby")),
)

_WWR_REGIONS: tuple[tuple[str, int], ...] = (
    ("Anywhere in the World", 24),
    ("USA Only", 11),
    ("Europe Only", 8),
    ("Americas Only", 6),
    ("Latin America Only", 6),
    ("North America Only", 2),
    ("Canada Only", 1),
    ("EMEA Only", 1),
)

_WWR_REGION_LOCATION = {
    "Europe Only": "Remote, Europe",
    "EMEA Only": "Remote, Europe",
    "Canada Only": "Remote - Canada",
}

_WWR_HEADER = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:media="http://search.yahoo.com/mrss">\n'
    "  <channel>\n"
    "    <title>We Work Remotely: Programming Jobs</title>\n"
    "    <link>https://weworkremotely.com/categories/remote-programming-jobs.rss</link>\n"
    "    <description>We Work Remotely: Programming Jobs</description>\n"
    "    <language>en-US</language>\n"
    "    <ttl>60</ttl>\n"
)
_WWR_ITEMS = 60


def _wwr_body(rng: random.Random, employer: str, sector: str, posting: _Posting, region: str) -> str:
    culture = rng.choice(_CULTURE[sector])
    does = rng.choice(_SECTOR_WORDS[sector]["domain"])
    if rng.random() < 0.7:  # <p><strong> sections, like the 2026 capture
        parts = [
            f"<p><strong>About {employer}</strong></p>",
            f"<p>{employer} is a fully remote team working on {does}. {culture}</p>",
            "<p><strong>About the role</strong></p>",
            f"<p>{posting.intro}</p>",
            "<p><strong>What you'll do</strong></p>",
            "<ul>\n" + "".join(f"<li>{r}</li>\n" for r in posting.responsibilities) + "</ul>",
            "<p><strong>What we're looking for</strong></p>",
            "<ul>\n" + "".join(f"<li>{r}</li>\n" for r in posting.requirements) + "</ul>",
        ]
        if posting.nice:
            parts.append("<p><strong>Nice to have</strong></p>")
            parts.append("<ul>\n" + "".join(f"<li>{n}</li>\n" for n in posting.nice) + "</ul>")
        if posting.stack_line:
            parts.append(f"<p><strong>Our stack:</strong>&nbsp;{posting.stack_line}.</p>")
        if posting.salary:
            low, high = posting.salary
            parts.append(
                f"<p><strong>Salary:</strong> {_money(low, posting.currency)} {_NDASH} "
                f"{_money(high, posting.currency)} {posting.currency} per year, depending on experience.</p>"
            )
        parts.append(f"<p>This role is open to candidates located in: {region}.</p>")
        return "\n".join(parts)
    # <div> layout with <div><br></div> spacers, like the 2022 capture
    blocks = [
        f"<div>{posting.intro}</div>",
        "<div><br></div>",
        "<div><strong>You:</strong></div><ul>\n" + "".join(f"<li>{r}</li>\n" for r in posting.requirements) + "</ul>",
        "<div><br></div>",
        "<div><strong>Position:</strong></div><ul>\n"
        + "".join(f"<li>{r}</li>\n" for r in posting.responsibilities)
        + "</ul>",
        "<div><br></div>",
        f"<div>{culture}</div>",
    ]
    if posting.stack_line:
        blocks.extend(["<div><br></div>", f"<div>Our technologies used:</div><div>{posting.stack_line}</div>"])
    return "".join(blocks) + "<div>\n<br><br>\n</div>"


def _wwr_feed(rng: random.Random, now: datetime) -> tuple[bytes, int]:
    regions = [name for name, weight in _WWR_REGIONS for _ in range(weight)]
    seen_slugs: dict[str, int] = {}
    items: list[tuple[datetime, str]] = []
    for _ in range(_WWR_ITEMS):
        name, hq, state, sector, stacks = rng.choice(_WWR_EMPLOYERS)
        cloud = rng.choice(("AWS", "Google Cloud", "Azure"))
        region = rng.choice(regions)
        location = _WWR_REGION_LOCATION.get(region, "Remote - US")
        company = _Company(name, _slug(name), sector, "rss", "", hq, stacks, cloud, (location,))
        posting = _make_posting(rng, company, now)
        while posting.family in ("design", "sales", "product", "qa", "data-science"):
            posting = _make_posting(rng, company, now)
        if posting.family in ("frontend", "mobile"):
            category = "Front-End Programming"
        elif "Full" in posting.title:
            category = "Full-Stack Programming"
        else:
            category = "Back-End Programming"
        job_type = "Contract" if rng.random() < 0.1 else "Full-Time"
        base = f"{_slug(name)}-{_slug(posting.title)}"
        count = seen_slugs.get(base, 0)
        seen_slugs[base] = count + 1
        job_url = f"https://weworkremotely.com/remote-jobs/{base}" + (f"-{count}" if count else "")
        has_logo = rng.random() < 0.9
        logo = f"{rng.randrange(168, 174):04d}/{rng.randrange(1000, 9999):04d}"
        site = f"https://www.{_slug(name).replace('-', '')}.example"
        if rng.random() < 0.07:
            headquarters = "<p>\n  <strong>Headquarters:</strong> \n</p>"
        else:
            headquarters = (
                f"<p>\n  <strong>Headquarters:</strong> {hq}\n"
                f'    <br /><strong>URL:</strong> <a href="{site}">{site}</a>\n</p>'
            )
        img = (
            f'<img src="https://we-work-remotely.imgix.net/logos/{logo}/logo.gif?ixlib=rails-4.0.0&w=50&h=50'
            '&dpr=2&fit=fill&auto=compress" />'
            if has_logo
            else ""
        )
        body = _amp(_wwr_body(rng, name, sector, posting, region))
        if rng.random() < 0.5:
            body = _curly_text(body)
        description = (
            f"{img}\n\n{headquarters}\n\n{body}\n\n"
            f'<p><strong>To apply:</strong> <a href="{job_url}">{job_url}</a></p>\n'
        )
        stack = _STACKS[stacks[0]]
        skills = ", ".join([stack.lang, stack.frameworks[0]]) if rng.random() < 0.5 else ""
        published = posting.posted.replace(microsecond=0)
        lines = ["    <item>\n"]
        if has_logo:
            logo_url = f"https://wwr-pro.s3.amazonaws.com/logos/{logo}/logo.gif"
            lines.append(f'      <media:content url="{logo_url}" type="image/png"/>\n')
        lines.extend(
            [
                f"      <title>{_xml_text(name)}: {_xml_text(posting.title)}</title>\n",
                f"      <region>{_xml_text(region)}</region>\n",
                "      <country></country>\n",
                f"      <state>{_xml_text(state)}</state>\n",
                f"      <skills>{_xml_text(skills)}</skills>\n",
                f"      <category>{category}</category>\n",
                f"      <type>{job_type}</type>\n",
                f"      <description>{_xml_text(description)}</description>\n",
                f"      <pubDate>{format_datetime(published)}</pubDate>\n",
                f"      <expires_at>{format_datetime(published + timedelta(days=30))}</expires_at>\n",
                f"      <guid>{job_url}</guid>\n",
                f"      <link>{job_url}</link>\n",
                "    </item>\n",
            ]
        )
        items.append((published, "".join(lines)))
    items.sort(key=lambda item: item[0], reverse=True)
    document = _WWR_HEADER + "".join(text for _, text in items) + "  </channel>\n</rss>\n"
    return document.encode("utf-8"), len(items)


# --------------------------------------------------------------------------------------------------------
# Public entry point
# --------------------------------------------------------------------------------------------------------


def demo_feeds(now: datetime) -> tuple[list[DemoSource], dict[str, Route]]:
    """Sources and the routes that serve them; routes keyed by the path WITHOUT the query string.

    ``now`` must be timezone-aware. Generated postings are dated ``now`` minus 0-45 days. The real
    captures keep their own dates and are served byte for byte.
    """
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("demo_feeds() needs a timezone-aware datetime")
    now = now.astimezone(UTC)
    rng = random.Random(_SEED)
    sources: list[DemoSource] = []
    routes: dict[str, Route] = {}

    def add(source: DemoSource, body: bytes, content_type: str) -> None:
        route_path = source.path.split("?", 1)[0]
        if route_path in routes or any(s.key == source.key for s in sources):
            raise RuntimeError(f"duplicate demo source {source.key} / {route_path}")
        if source.sector is not None and source.sector not in sector_names():
            raise RuntimeError(f"unknown sector {source.sector!r} for {source.key}")
        sources.append(source)
        routes[route_path] = Route(body=body, content_type=content_type)

    for capture in _CAPTURES:
        source = DemoSource(capture.key, capture.name, capture.kind, capture.path, capture.sector)
        add(source, _read_capture(capture.file), capture.content_type)

    ids = _Ids(rng)
    for company in _COMPANIES:
        if company.kind == _GH:
            body, _ = _greenhouse_board(rng, company, now, ids)
            path = f"/greenhouse/v1/boards/{company.slug}/jobs?content=true"
        else:
            body, _ = _lever_site(rng, company, now)
            path = f"/lever/v0/postings/{company.slug}?mode=json"
        add(DemoSource(f"{company.kind}-{company.slug}", company.name, company.kind, path, company.sector), body, _JSON)

    body, _ = _wwr_feed(rng, now)
    add(
        DemoSource(
            "wwr-programming", "We Work Remotely", "weworkremotely", "/wwr/categories/remote-programming-jobs.rss", None
        ),
        body,
        _RSS,
    )
    return sources, routes
