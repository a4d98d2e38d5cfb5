from __future__ import annotations

import pytest

from store.search.keywords import MAX_TERMS, KeywordQuery, parse_keywords


@pytest.mark.parametrize(
    ("text", "required", "excluded"),
    [
        ("python", [("python",)], []),
        ("Python  Django", [("python",), ("django",)], []),
        ('"event sourcing" kafka', [("event", "sourcing"), ("kafka",)], []),
        ("golang -php", [("golang",)], [("php",)]),
        ('-"on call" rust', [("rust",)], [("on", "call")]),
        ("node.js", [("node", "js")], []),
        ("C++ c#", [("c",)], []),
        ("python python", [("python",)], []),
        ('AND OR NOT NEAR * ^ : ( ) "', [("and",), ("or",), ("not",), ("near",)], []),
        ("'; DROP TABLE postings; --", [("drop",), ("table",), ("postings",)], []),
        ("🚀 rocket", [("rocket",)], []),
        ("Zürich Straße", [("zürich",), ("straße",)], []),
        ("", [], []),
        ('"" - -- ***', [], []),
    ],
)
def test_parse_keywords(text: str, required: list[tuple[str, ...]], excluded: list[tuple[str, ...]]) -> None:
    assert parse_keywords(text) == KeywordQuery(tuple(required), tuple(excluded))


def test_huge_queries_are_cut_to_a_bounded_number_of_words() -> None:
    query = parse_keywords("word " * 5000)
    assert query.required == (("word",),)
    many = parse_keywords(" ".join(f"w{i}" for i in range(1000)))
    assert sum(len(p) for p in many.required) == MAX_TERMS
