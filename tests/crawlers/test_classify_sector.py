"""classify_sector: company overrides, source defaults and text cues from the captured descriptions."""

from __future__ import annotations

import pytest

from config.taxonomy import sector_names
from crawlers.classify import classify_sector
from crawlers.classify.sector import sector_hits

# Opening paragraphs of real descriptions (shared/corpus).
CLOVER_HEALTH = (
    "At Clover Health , we’re focused on improving the health of our members by leveraging technology and "
    "data-driven insights to provide personalized, high-quality care. As a Medicare Advantage plan, we aim to "
    "empower our members by helping them navigate the complexities of healthcare and live healthier lives. We are "
    "passionate about making healthcare easier, more affordable, and more accessible for everyone."
)
DOXIMITY = (
    "Doximity is transforming the healthcare industry. Join our mission to help every physician be more "
    "productive and provide better care for their patients."
)
GIVEDIRECTLY = (
    "GiveDirectly has delivered more than $1B in cash directly to 2+ million people living in poverty across 15 "
    "countries since 2011. We believe cash transfers are one of the most scalable, cost-effective, and dignified "
    "forms of aid, with the research to back it up."
)
TEYA = (
    "Teya is a payment and software service provider, headquartered in London serving small, local businesses "
    "across Europe. Founded in 2019, we build easy to use, integrated tools that enable our members to accept "
    "payments and boost business performance. We’re here because we see banks and legacy service providers "
    "making things harder for them."
)
CACI = (
    "Minimum Clearance Required to Start: Top Secret. CACI - FEDERAL, Inc. is seeking full-time Reviewers for the "
    "Department of Homeland Security (DHS) Background Investigation’s Program. Reviewers work with investigators "
    "to determine the suitability of current and prospective Federal employees and contractors for security "
    "clearances."
)
MATHMO = (
    "The role is four live Zoom sessions a week with GCSE students across the UK. You need to be comfortable "
    "with higher-tier GCSE and A Level, have a natural way with teenagers, and genuinely care about education."
)
SIXT = (
    "At SIXT we’re not just shaping the future of transportation, we’re building a culture where entrepreneurial "
    "spirit and innovation thrive. Our Remarketing team plays a pivotal role in our business by ensuring our "
    "vehicles find new homes with the same premium service our customers expect."
)
AURORA_SOLAR = (
    "Aurora Solar is a fast-growing Series C company on a mission to create a future of solar energy for all. "
    "Aurora makes the software that is enabling society to transition to a world powered by solar power."
)
TRUELOGIC = (
    "At Truelogic we are a leading provider of nearshore staff augmentation services headquartered in New York. "
    "For over two decades, we’ve been delivering top-tier technology solutions to companies of all sizes."
)
WHATNOT = (
    "Whatnot is the largest livestream shopping platform in North America and Europe to buy, sell, and discover "
    "the things you love. Whether it's trading cards, fashion, electronics, or live plants, our sellers are "
    "building real businesses across hundreds of categories."
)
MARKETING_ARCHITECTS = (
    "At Marketing Architects, we believe TV advertising is still the most powerful marketing channel. But the "
    "typical process for TV is expensive, difficult to scale and to measure."
)
GITLAB = (
    "GitLab is the intelligent orchestration platform for DevSecOps. GitLab enables organizations to increase "
    "developer productivity, improve operational efficiency, reduce security and compliance risk."
)
BLACKPOINT = (
    "Blackpoint Cyber is the leading provider of world-class cybersecurity threat hunting, detection and "
    "remediation technology. Founded by former National Security Agency (NSA) cyber operations experts who "
    "applied their learnings to bring national security-grade technology solutions to commercial customers "
    "around the world, Blackpoint Cyber is positioned as a trusted authority in cybersecurity."
)
# Benefits and legal boilerplate that name insurance, health care, degrees and federal law.
BOILERPLATE = (
    "Benefits: Medical, dental, vision, health insurance, life insurance and disability insurance. Health "
    "Savings Account, 401(k), mental health days, tuition reimbursement and bank holidays. Requirements: a "
    "college degree or equivalent education and experience; high school diploma. We are an equal opportunity "
    "employer and comply with federal law and all applicable federal, state and local laws; as a federal "
    "contractor we do not discriminate on the basis of military status or protected veteran status."
)


@pytest.mark.parametrize(
    ("company", "expected"),
    [
        ("GitLab", "Technology"),
        ("Amplitude", "Technology"),
        ("Palantir Technologies", "Technology"),
        ("palantir", "Technology"),
        ("Notion Labs, Inc.", "Technology"),
        ("OpenAI", "Technology"),
        ("Duolingo", "Education"),
        ("Duolingo, Inc.", "Education"),
        ("Stripe, Inc.", "Financial services"),
        ("ramp", "Financial services"),
        ("Shopify Inc.", "Retail & e-commerce"),
        ("Centene Corporation", "Healthcare"),
        ("CACI International Inc", "Government"),
        ("The Church of Jesus Christ of Latter-day Saints", "Nonprofit"),
        ("SIXT", "Transportation & logistics"),
        ("Washington University in St. Louis", "Education"),
        # Lever site slugs drop the spaces
        ("idealistconsulting", "Staffing & consulting"),
        ("Lemon.io", "Staffing & consulting"),
        ("A.Team", "Staffing & consulting"),
        ("Give Directly", "Nonprofit"),
        ("Bluelight Consulting", "Staffing & consulting"),
    ],
)
def test_company_override(company: str, expected: str) -> None:
    assert classify_sector(company) == expected


def test_override_beats_default_and_text() -> None:
    assert classify_sector("Duolingo", text=TEYA, default="Healthcare") == "Education"


def test_default_beats_text() -> None:
    assert classify_sector("Some Startup GmbH", text=TEYA, default="Education") == "Education"


@pytest.mark.parametrize("company", ["Some Startup", "GitLab"])
def test_unknown_default_is_refused(company: str) -> None:
    with pytest.raises(ValueError, match="Fintech"):
        classify_sector(company, default="Fintech")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (CLOVER_HEALTH, "Healthcare"),
        (DOXIMITY, "Healthcare"),
        (GIVEDIRECTLY, "Nonprofit"),
        (TEYA, "Financial services"),
        (CACI, "Government"),
        (MATHMO, "Education"),
        (SIXT, "Transportation & logistics"),
        (AURORA_SOLAR, "Manufacturing & energy"),
        (TRUELOGIC, "Staffing & consulting"),
        (WHATNOT, "Retail & e-commerce"),
        (MARKETING_ARCHITECTS, "Media & entertainment"),
        # a software employer with no other sector
        (GITLAB, "Technology"),
        # software evidence outweighs two "national security" hits
        (BLACKPOINT, "Technology"),
        # nothing to go on: an employer on a developer board that names no industry is most often a software company
        ("We are looking for a Data Analyst to join our team.", "Technology"),
        ("", "Technology"),
    ],
)
def test_text_cues(text: str, expected: str) -> None:
    assert classify_sector("", text) == expected


def test_boilerplate_counts_for_nothing() -> None:
    assert sector_hits(BOILERPLATE) == {}
    # Its insurance and health-care words do not outvote, nor even dilute, the employer's own cues.
    assert classify_sector("", BOILERPLATE + " Our clinicians and hospitals serve patients.") == "Healthcare"
    assert classify_sector("", BOILERPLATE + " We are a B2B SaaS company.") == "Technology"


@pytest.mark.parametrize(
    "text",
    [
        # a single mention is not a clear winner
        "Our customers include banks.",
        # a tie is not a clear winner
        "We build scheduling software used by hospitals and banks.",
        # nor is a lead of less than double: 3 healthcare hits against 2 financial ones
        "Patients, clinicians and hospitals rely on our payments and insurance products.",
    ],
)
def test_needs_a_clear_winner(text: str) -> None:
    # No winner: the default, not the sector that leads.
    assert classify_sector("", text) == "Technology"


def test_cues_match_plurals_and_whole_words_only() -> None:
    assert sector_hits("banks, hospitals, bankruptcy, hospitable") == {"Financial services": 1, "Healthcare": 1}


@pytest.mark.parametrize("text", [CLOVER_HEALTH, GITLAB, BOILERPLATE, "", "Anything at all"])
def test_always_returns_a_known_sector(text: str) -> None:
    assert classify_sector("Unknown Company Ltd", text) in sector_names()


@pytest.mark.parametrize(
    ("company", "expected"),
    [
        # a company that names its industry in its name (RemoteOK, Himalayas)
        ("Omada Health", "Healthcare"),
        ("Eleventh Hour Games", "Media & entertainment"),
        ("That's No Moon Entertainment", "Media & entertainment"),
        ("Marathon Talent", "Staffing & consulting"),
        ("Dewaele Real Estate Group", "Other"),
        ("Oaktree Capital", "Financial services"),  # the override table first
        ("DoorDash USA", "Transportation & logistics"),  # an override behind a country word
        ("Healthify", "Technology"),  # whole words only
        ("Exodus Movement Inc.", "Technology"),
    ],
)
def test_company_name_words(company: str, expected: str) -> None:
    assert classify_sector(company, "We build software.") == expected


def test_company_name_words_come_after_the_default() -> None:
    assert classify_sector("Omada Health", "", default="Nonprofit") == "Nonprofit"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Scale LLP, a national, fully distributed law firm. Our law firm grows.", "Other"),
        ("As one of the world's top game development studios, we ship AAA titles.", "Media & entertainment"),
        # proptech names real estate as its customers' industry
        ("AutoHDR edits real estate photos for real estate agents with AI.", "Technology"),
    ],
)
def test_more_text_cues(text: str, expected: str) -> None:
    assert classify_sector("", text) == expected
