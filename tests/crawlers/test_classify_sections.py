"""Description sections (crawlers/classify/sections.py): headings from the captured feeds and what they open."""

from __future__ import annotations

import pytest

from crawlers.classify.sections import COMPANY, NONE, REQUIREMENTS, ROLE, heading_kind, sections
from crawlers.classify.text import Text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Requirements", REQUIREMENTS),
        ("Minimum Qualifications:", REQUIREMENTS),
        ("What You'll Work With", ROLE),
        ("What we’re looking for", REQUIREMENTS),
        ("It’s a plus if you have", REQUIREMENTS),
        ("NICE-TO-HAVES", REQUIREMENTS),
        ("Tech You'll Touch", REQUIREMENTS),
        ("🧑‍💻 Our Tech Stack", REQUIREMENTS),
        ("About you", REQUIREMENTS),
        ("Key Responsibilities", ROLE),
        ("About the Role", ROLE),
        ("About Engineering at LawnStarter", ROLE),
        ("What will you do?", ROLE),
        ("About us:", COMPANY),
        ("About LawnStarter", COMPANY),
        ("Here are just some of our Core Beliefs:", COMPANY),
        ("🎁 Perks & Benefits", COMPANY),
        ("Why join us?", COMPANY),
        ("Company Description", COMPANY),  # the longer phrase wins over "description"
        ("Our Application Process", COMPANY),
        # not headings, or headings of no known kind
        ("Redis", None),
        ("Health insurance options including medical, dental, vision", None),
        ("- Experience with Python", None),
        ("We believe in using the right tool for the job.", None),
        ("", None),
    ],
)
def test_heading_kind(line: str, expected: str | None) -> None:
    assert heading_kind(line) == expected


def test_a_section_lasts_until_the_next_known_heading() -> None:
    text = "Intro with Go\nAbout Files.com\nWe use Ruby\nRedis\nRequirements\n- Java\nBenefits\n- PTO"
    parts = sections(Text(text))
    assert [parts.kind_at(text.index(word)) for word in ("Intro", "Ruby", "Redis", "Java", "PTO")] == [
        NONE,
        COMPANY,
        COMPANY,  # "Redis" on its own line names no kind of section
        REQUIREMENTS,
        COMPANY,
    ]
