"""classify_sector: company overrides, source defaults and text cues from the captured descriptions."""

from __future__ import annotations

import pytest

from config.taxonomy import sector_names
from crawlers.classify import classify_sector
from crawlers.classify.sector import about_sections, sector_hits
from crawlers.classify.text import Text

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
PAIRED = (
    "Paired is a global staffing and recruiting agency that specializes in pairing remote work with top-tier talent!"
)
OFFICE_HOURS = (
    "Office Hours is an on-demand expert network that connects leading organizations with trusted experts across "
    "various knowledge domains. Our platform handles the complexities behind the scenes— screening, compliance, "
    "scheduling, and payments—so knowledge sharing stays focused on meaningful insights and real impact. Our "
    "customers include the fastest-growing digital health companies, technology companies, institutional "
    "investment firms, consulting firms and AI Labs."
)
VERSAPAY = (
    "Versapay turns accounts receivable (AR) into a competitive advantage. Inefficient AR processes slow cash flow "
    "and stall growth. Versapay removes friction, unlocks working capital, and accelerates momentum."
)
WEALTHSIMPLE = (
    "Wealthsimple's mission is to help everyone achieve financial freedom – by making financial services simple, "
    "transparent, and low-cost. We're Canada's largest fintech, trusted by over 3 million clients with more than "
    "$100 billion in assets."
)
OSMIND = (
    "Osmind is a technology, services, and data company focused exclusively on psychiatry. Mental health "
    "disorders are one of the leading causes of death worldwide."
)
PEARL = (
    "About Pearl Talent\n\nPearl works with the top 1% of candidates from around the world and connects them with "
    "the best startups in the US and EU. Our clients have raised over $5B in aggregate."
)
# Role text (Versapay's, cue-free) that pushes whatever follows out of the employer's introduction.
ROLE_TEXT = (
    "As a Senior Software Developer on the Cash App Squad, you will work with a talented group of engineers to "
    "ensure that we deliver high quality software. You will design, build and maintain services, review code, "
    "mentor other developers and take part in planning. You will own features from the first sketch to the "
    "release, work closely with product managers and designers, write tests, improve our tooling, and help keep "
    "our systems fast and reliable. You will also help with on-call duties, write documentation, and share what "
    "you learn with the rest of the team in demos, written notes and our weekly engineering meetings.\n\n"
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
        # nor is a lead of less than one and a half times: 5 healthcare cues against 4 financial ones, all after
        # the introduction
        ROLE_TEXT + "Patients, clinicians, hospitals, physicians and nurses use our payments, insurance, lending and "
        "banking products.",
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


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # what the employer does, in its own introduction
        (PAIRED, "Staffing & consulting"),  # "staffing and recruiting", "agency"
        (OFFICE_HOURS, "Staffing & consulting"),  # "expert network", "consulting firms" beat payments, digital health
        (VERSAPAY, "Financial services"),  # "accounts receivable", "working capital"
        (WEALTHSIMPLE, "Financial services"),  # "financial services", "fintech" beat "clients"
        (OSMIND, "Healthcare"),  # "psychiatry", "mental health"
    ],
)
def test_employer_cues(text: str, expected: str) -> None:
    assert classify_sector("", text) == expected


def test_introduction_cues_weigh_more() -> None:
    assert ROLE_TEXT.strip() and sector_hits(ROLE_TEXT) == {}
    # Two cues where the employer introduces itself decide; the same two in the role's text do not.
    assert classify_sector("", PAIRED) == "Staffing & consulting"
    assert classify_sector("", ROLE_TEXT + PAIRED) == "Technology"
    # An "About <employer>" section counts as an introduction wherever it stands, and so does a company word in
    # its heading ("Talent"): "Our clients" alone would not decide.
    assert classify_sector("", ROLE_TEXT + PEARL) == "Staffing & consulting"
    assert classify_sector("", ROLE_TEXT + PEARL.replace("About Pearl Talent", "About Pearl")) == "Technology"


def test_a_repeated_cue_counts_twice_at_most() -> None:
    # A logistics role names logistics over and over: that is the role, not the employer.
    repeated = ROLE_TEXT + "Logistics, logistics and more logistics: you will run our logistics. " * 3
    assert sector_hits(repeated) == {"Transportation & logistics": 12}
    assert classify_sector("", repeated) == "Technology"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("About Truelogic\n\nAt Truelogic we are", [("truelogic", 15)]),
        ("Who We Are:\n\nNotion is", [("", 11)]),
        ("Who are we and why should you join us?\n\nBetterHelp", [("", 38)]),
        ("A little more about us\n\nWe", [("us", 22)]),
        ("🌎About garden3d\n\nWe are", [("garden3d", 15)]),
        # sections about the role, the candidate and the team are not the employer's introduction
        ("About the Role\n\nYou will\n\nAbout You\n\nYou have\n\nAbout the Team\nWe", []),
        ("About the role (on-site in our London office)\n\nYou", []),
        # "about" inside a sentence or a list item is no heading
        ("We care about people.\n- Passionate about Community Phone's mission", []),
    ],
)
def test_about_sections(text: str, expected: list[tuple[str, int]]) -> None:
    assert [(name, at) for at, name in about_sections(Text(text))] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Mental Health Coverage - we offer several programs to support your mental health and wellness goals.",
        "$10,000 annual charitable donation matching",
        "Mental health benefits, volunteer time off and matching gifts.",
    ],
)
def test_benefits_name_no_sector(text: str) -> None:
    assert sector_hits(text) == {}
