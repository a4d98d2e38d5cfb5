from __future__ import annotations

import pytest

from config.sources import default_sources, parse_sources, platform_terms
from config.taxonomy import sector_names
from crawlers.spiders import SPIDERS

PLATFORM = """
[platforms.greenhouse]
url = "https://boards-api.greenhouse.io/v1/boards/{board}/jobs?content=true"
min_interval_minutes = 60
republish_jobposting = true
[platforms.rss]
url = ""
min_interval_minutes = 120
attribution = "via Example"
republish_jobposting = false
"""


def test_default_sources_are_valid_and_crawlable() -> None:
    sources = default_sources()
    assert len(sources) >= 10
    assert len({s.key for s in sources}) == len(sources)
    for source in sources:
        assert source.kind in SPIDERS, source.key
        assert source.url.startswith("https://"), source.key
        assert source.sector is None or source.sector in sector_names()
        assert source.interval_minutes >= source.terms["min_interval_minutes"]
    gitlab = next(s for s in sources if s.key == "greenhouse-gitlab")
    assert gitlab.url == "https://boards-api.greenhouse.io/v1/boards/gitlab/jobs?content=true"
    assert {"greenhouse", "lever", "weworkremotely"} <= {s.kind for s in sources}


def test_platform_terms_are_carried_per_kind() -> None:
    assert platform_terms("weworkremotely")["republish_jobposting"] is False
    assert platform_terms("weworkremotely")["attribution"]
    assert platform_terms("no-such-platform") == {}


def test_board_fills_the_platform_url_and_interval_defaults_to_six_hours() -> None:
    parsed = parse_sources(PLATFORM + '[[source]]\nkey = "acme"\nkind = "greenhouse"\nboard = "acme"\n')
    (acme,) = parsed.sources
    assert acme.url == "https://boards-api.greenhouse.io/v1/boards/acme/jobs?content=true"
    assert acme.interval_minutes == 360
    assert acme.name == "acme"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ('key = "Bad Key"\nkind = "greenhouse"\nboard = "x"', "key must be lower-case"),
        ('key = "a"\nkind = "workday"\nboard = "x"', "unknown kind 'workday'"),
        ('key = "a"\nkind = "greenhouse"', "needs a board"),
        ('key = "a"\nkind = "rss"\nurl = "http://insecure.example/feed"', "https feed URL"),
        ('key = "a"\nkind = "rss"\nurl = "https://x.example/f"\ninterval_minutes = 5', "below the platform's minimum"),
        ('key = "a"\nkind = "rss"\nurl = "https://x.example/f"\nsector = "Space"', "unknown sector 'Space'"),
    ],
)
def test_bad_entries_are_refused_naming_the_entry(entry: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_sources(PLATFORM + "[[source]]\n" + entry + "\n", sectors=sector_names())
    assert str(info.value).startswith("sources.toml: [[source]] #1")
    assert message in str(info.value)


def test_duplicate_keys_are_refused() -> None:
    entry = '[[source]]\nkey = "a"\nkind = "greenhouse"\nboard = "x"\n'
    with pytest.raises(ValueError, match="duplicate key"):
        parse_sources(PLATFORM + entry + entry)
