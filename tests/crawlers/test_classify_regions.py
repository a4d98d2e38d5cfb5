"""Regions and time zones of restricted remote jobs (crawlers/classify/regions.py), on values from real feeds."""

from __future__ import annotations

import pytest

from crawlers.classify.regions import remote_regions


@pytest.mark.parametrize(
    ("feed_regions", "expected"),
    [
        (("USA",), ("US",)),
        (("United States",), ("US",)),
        (("Europe", "UTC-3 to UTC+3"), ("Europe", "UTC-3 to UTC+3")),
        (("LATAM",), ("LATAM",)),
        (("Americas", "Europe", "Asia", "Oceania"), ("Americas", "Europe", "Asia", "Oceania")),
        (("USA", "Canada", "USA timezones"), ("US", "Canada", "US time zones")),
        (("European timezones",), ("Europe time zones",)),
        (("UTC-6", "UTC+5:30"), ("UTC-6", "UTC+5:30")),
        (("Worldwide",), ()),
        (("Anywhere in the World",), ()),
        (("Northern America",), ("North America",)),
    ],
)
def test_feed_regions(feed_regions: tuple[str, ...], expected: tuple[str, ...]) -> None:
    assert remote_regions(feed_regions=feed_regions)[0] == expected


@pytest.mark.parametrize(
    ("location", "title", "expected"),
    [
        ("Remote - US", "", ("US",)),
        ("REMOTE (US)", "", ("US",)),
        ("Remote (EU only)", "", ("EU",)),
        ("Remote US", "", ("US",)),
        ("Remote, United States", "", ("US",)),
        ("USA Only", "", ("US",)),
        ("Latin America Only", "", ("LATAM",)),
        ("New York, NY (HQ); Remote (Canada); Remote (US); Miami, FL", "", ("Canada", "US")),
        ("Remote - EMEA", "", ("EMEA",)),
        ("Remote (CET ± 2)", "", ("CET±2",)),
        ("HYBRID (London, Paris, Montpellier) or REMOTE (UTC-1 to UTC+2)", "", ("UTC-1 to UTC+2",)),
        ("Remote (worldwide)", "", ()),
        ("Remote (Helsinki HQ)", "", ()),  # a city is not a region
        ("San Francisco, CA", "", ()),  # CA is California here, not Canada
        ("", "Senior C++ Developer - Remote - EU Time Zone", ("EU time zones",)),
        ("", "Golang Developer - Remote, Latin America", ("LATAM",)),
        ("", "Content Reviewer - US", ("US",)),
        ("", "US Tax Law AI Specialist", ()),  # the role's own words are not a region
        ("", "", ()),
    ],
)
def test_location_and_title(location: str, title: str, expected: tuple[str, ...]) -> None:
    assert remote_regions(location=location, title=title)[0] == expected


def test_free_text_remote_value_and_evidence() -> None:
    assert remote_regions(structured="USA Only") == (("US",), (("feed", "USA Only"),))
    assert remote_regions(structured="remote", location="Remote - EMEA") == (
        ("EMEA",),
        (("location", "Remote - EMEA"),),
    )
    # the feed's own list wins over the location
    assert remote_regions(feed_regions=("Brazil",), location="Remote - US")[0] == ("Brazil",)
