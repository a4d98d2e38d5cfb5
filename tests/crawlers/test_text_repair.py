"""The pure helpers behind the remote-board bases: mojibake repair, RemoteOK's anti-bot sentence, JSON with a BOM."""

from __future__ import annotations

import json

import pytest

from crawlers.parsers.text_repair import (
    joined,
    literal_newlines_to_newlines,
    load_json,
    positive_amount,
    repair_mojibake,
    required_id,
    required_text,
    split_list,
    string_list,
    strip_remoteok_antibot,
)
from tests.conftest import FIXTURES

ANTIBOT = (
    "Please mention the word **REFORMS** and tag RMTkyLjAuMi4x when applying to show you read the job post completely"
    " (#RMTkyLjAuMi4x). This is a beta feature to avoid spam applicants. Companies can search these words to find"
    " applicants that read this and see they're human."
)


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        ("What You\u00e2\u0080\u0099ll Do", "What You’ll Do"),
        ("Remote (Full Time)\u00c2\u00a0", "Remote (Full Time)\u00a0"),
        ("Gda\u00c5\u0084sk", "Gdańsk"),
        ("Z\u00c3\u00b3calo Health", "Zócalo Health"),
        ("\u00e2\u0080\u0093 work from anywhere", "– work from anywhere"),
        ("\u00f0\u009f\u009a\u0080 launch", "🚀 launch"),
    ],
)
def test_mojibake_is_repaired(broken: str, repaired: str) -> None:
    assert repair_mojibake(broken) == repaired


@pytest.mark.parametrize(
    "correct",
    [
        "plain ASCII <p>text</p>",
        "café, naïve, München",  # Latin-1 letters whose bytes are not UTF-8
        "Gdańsk, café",  # a letter outside Latin-1: the string was decoded properly
        "We’re hiring – 🚀",  # already decoded: characters outside Latin-1
        "Straße ½ £",  # Latin-1 only, but not a valid UTF-8 byte sequence
        "",
    ],
)
def test_correct_text_is_untouched(correct: str) -> None:
    assert repair_mojibake(correct) == correct


def test_mixed_text_that_fails_the_round_trip_stays_as_is() -> None:
    # Mojibake next to a properly decoded character: the whole-string round trip fails, so nothing changes.
    mixed = "We\u00e2\u0080\u0099re – here"
    assert repair_mojibake(mixed) == mixed
    # A lone lead byte is not UTF-8 either.
    assert repair_mojibake("caf\u00c3") == "caf\u00c3"


def test_mojibake_repair_is_applied_once_only() -> None:
    twice_broken = "\u00c3\u00a2\u00c2\u0080\u00c2\u0099"  # ’ broken twice
    assert repair_mojibake(twice_broken) == "\u00e2\u0080\u0099"


def test_mojibake_repair_refuses_non_text() -> None:
    with pytest.raises(TypeError):
        repair_mojibake(None)  # type: ignore[arg-type]


def test_antibot_sentence_and_its_breaks_are_stripped() -> None:
    description = f"<p>Body</p><br/><br/>{ANTIBOT}"
    assert strip_remoteok_antibot(description) == "<p>Body</p>"


@pytest.mark.parametrize(
    "variant",
    [
        ANTIBOT.replace("**REFORMS**", "<b>REFORMS</b>"),
        ANTIBOT.replace("**REFORMS**", "<strong>REFORMS</strong>"),
        ANTIBOT.replace("they're", "they&#39;re"),
        ANTIBOT.replace("they're", "they’re"),
        ANTIBOT.replace("RMTkyLjAuMi4x", "ROjox"),
    ],
)
def test_antibot_sentence_in_html_or_other_spellings_is_stripped(variant: str) -> None:
    assert strip_remoteok_antibot(f"<p>Body</p><p>{variant}</p>") == "<p>Body</p><p></p>"


def test_text_that_only_mentions_words_is_not_stripped() -> None:
    text = "<p>Please mention the word count of your essay when applying.</p>"
    assert strip_remoteok_antibot(text) == text


def test_literal_backslash_n_between_tags_becomes_a_newline_only_there() -> None:
    assert literal_newlines_to_newlines("<p>a</p>\\n<p>b</p>") == "<p>a</p>\n<p>b</p>"
    assert literal_newlines_to_newlines('<code>printf("\\n")</code>') == '<code>printf("\\n")</code>'


def test_load_json_accepts_a_byte_order_mark() -> None:
    body = (FIXTURES / "remotive/remotive_api_remote-jobs_2026-07_with_BOM.json").read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    with pytest.raises(ValueError, match="BOM"):
        json.loads(body.decode("utf-8"))
    assert load_json(body)["job-count"] == 35


@pytest.mark.parametrize("body", [b"\xff\xfe{}", b'{"a": "\xe9"}', b'{"jobs": [', b""])
def test_load_json_rejects_non_utf8_and_truncated_bodies(body: bytes) -> None:
    with pytest.raises(ValueError):
        load_json(body)


def test_split_list_trims_and_folds_double_spaces() -> None:
    assert split_list("LATAM,  Hong Kong,  Mexico") == ["LATAM", "Hong Kong", "Mexico"]
    assert split_list(" , ,") == []
    assert split_list(None) == []
    with pytest.raises(TypeError):
        split_list(["LATAM"])  # type: ignore[arg-type]


def test_list_helpers() -> None:
    assert string_list([" a ", None, "", "a", "b"]) == ["a", "b"]
    assert string_list(None) == []
    with pytest.raises(TypeError):
        string_list("ab")  # type: ignore[arg-type]
    assert joined(["Senior", " Lead "]) == "Senior, Lead"
    assert joined([]) is None
    assert joined(None) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0, None), (None, None), ("", None), (True, None), (-5, None), ("abc", None), (30, 30.0), ("1200.5", 1200.5)],
)
def test_positive_amount(value: object, expected: float | None) -> None:
    assert positive_amount(value) == expected


def test_required_fields() -> None:
    assert required_id({"id": 42}, "id") == "42"
    assert required_id({"id": " 7 "}, "id") == "7"
    with pytest.raises(KeyError):
        required_id({}, "id")
    with pytest.raises(TypeError):
        required_id({"id": None}, "id")
    with pytest.raises(TypeError):
        required_id({"id": True}, "id")
    with pytest.raises(ValueError):
        required_id({"id": "  "}, "id")
    assert required_text({"t": ""}, "t") == ""
    with pytest.raises(TypeError):
        required_text({"t": None}, "t")
    with pytest.raises(KeyError):
        required_text({}, "t")
