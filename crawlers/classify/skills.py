"""Which taxonomy skills a posting names, from its title, plain-text description and feed tags.

Every spelling in ``config/skills.toml`` is compiled into one regular expression, factored as a trie so a 5 KB
description is scanned in about a millisecond. Spellings that are also English words ("Go", "C", "Spring") are
"guarded": they are found like the others, then kept only where one of the skill's context rules fits (the rule
format is documented at the top of skills.toml). A rule that needs a neighbouring skill ("Python, Go") is tried
again whenever a neighbour starts to count, because the neighbour may itself be guarded ("Python, Go, Rust").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from config.taxonomy import (
    SEP_PLACEHOLDER,
    SKILL_PLACEHOLDER,
    VERSION_PLACEHOLDER,
    ContextRule,
    Skill,
    load_skills,
)

# Characters skipped between the words of a rule: emphasis and quotes survive HTML-to-text conversion.
_GAP = r"[\s*_\"'`“”‘’()\[\]]*"
_SEP = r"(?:[\s*_\"'`“”‘’]*(?:[,/&+|;()\[\]•·\n]|(?<!\w)(?:and/or|and|or|nor|plus)(?!\w))[\s*_\"'`“”‘’]*)+"
_VERSION = r"v?\d{1,2}(?:\.(?:\d+|x))*[a-z]?\+?(?:\s*-\s*\d{1,2}(?!\d))?(?!\w)"
# Room left for skipped characters and separators when bounding how far back a rule's words can start.
_SLACK = 12
# URLs and e-mail addresses name hosts and paths, not skills ("https://go.dev", "jobs@python.org").
_URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Right boundary of a spelling that ends in a word character. "#" and "++" continue a name ("C#", "C++").
_END = r"(?![\w#]|\+\+)"
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


@dataclass(frozen=True)
class _Rule:
    term: str
    veto: bool
    bare: bool
    # A neighbouring mention must exist and count, with the text between matching ``left``/``right``.
    left_skill: bool
    right_skill: bool
    left: re.Pattern[str]
    right: re.Pattern[str]
    window: int  # how far before the term ``left`` can start, when it is not anchored on a mention


@dataclass(frozen=True)
class _Entry:
    """What one spelling means for one skill."""

    skill: int
    guarded: bool
    rules: tuple[_Rule, ...]  # positive rules and vetoes for this spelling, any capitalisation


@dataclass(frozen=True)
class _Matcher:
    pattern: re.Pattern[str]
    entries: dict[str, tuple[_Entry, ...]]
    names: tuple[str, ...]


def _literal(token: str) -> str:
    options = []
    for word in token.split("|"):
        regex = re.escape(word)
        if word[0].isalnum() or word[0] == "_":
            regex = r"(?<!\w)" + regex
        if word[-1].isalnum() or word[-1] == "_":
            regex += r"(?!\w)"
        options.append(regex)
    return "(?:" + "|".join(options) + ")"


def _tokens_regex(tokens: Sequence[str]) -> str:
    parts = []
    for token in tokens:
        if token == SEP_PLACEHOLDER:
            parts.append(_SEP)
        elif token == VERSION_PLACEHOLDER:
            parts.append(_VERSION)
        else:
            parts.append(_literal(token))
    return _GAP.join(parts)


def _compile_rule(rule: ContextRule) -> _Rule:
    before, after = list(rule.before), list(rule.after)
    left_skill = bool(before) and before[0] == SKILL_PLACEHOLDER
    right_skill = bool(after) and after[-1] == SKILL_PLACEHOLDER
    if left_skill:
        before = before[1:]
    if right_skill:
        after = after[:-1]
    # Between two mentions the whole gap must fit; otherwise the words must end right before the term.
    left = _GAP + _tokens_regex(before) + _GAP if before else _GAP
    right = _GAP + _tokens_regex(after) + _GAP if after else _GAP
    if not left_skill:
        left += r"\Z"
    window = sum(_SLACK if token.startswith("{") else max(map(len, token.split("|"))) + _SLACK for token in before)
    return _Rule(
        term=rule.term,
        veto=rule.veto,
        bare=rule.bare,
        left_skill=left_skill,
        right_skill=right_skill,
        left=re.compile(left, re.IGNORECASE),
        right=re.compile(right, re.IGNORECASE),
        window=window + _SLACK,
    )


def _normalise_spelling(spelling: str) -> str:
    return " ".join(spelling.lower().split())


def _trie_regex(spellings: Iterable[str]) -> str:
    """One alternation for all spellings, factored on shared prefixes; longer spellings are tried first."""
    trie: dict[str, dict] = {}
    for spelling in spellings:
        node = trie
        for char in spelling:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: dict[str, dict], previous: str) -> str:
        branches = [
            (r"\s+" if char == " " else re.escape(char)) + emit(child, char)
            for char, child in sorted(node.items())
            if char
        ]
        if "" in node:
            branches.append(_END if previous.isalnum() or previous == "_" else "")
        if len(branches) == 1:
            return branches[0]
        return "(?:" + "|".join(branches) + ")"

    return r"(?<!\w)" + emit(trie, "")


def _build(skills: Sequence[Skill]) -> _Matcher:
    entries: dict[str, list[_Entry]] = {}
    for index, skill in enumerate(skills):
        compiled = [_compile_rule(rule) for rule in skill.context]
        for spelling in skill.spellings:
            key = _normalise_spelling(spelling)
            rules = tuple(rule for rule in compiled if rule.term.lower() == key)
            entries.setdefault(key, []).append(_Entry(index, key in skill.guarded, rules))
    pattern = re.compile(_trie_regex(sorted(entries)))
    return _Matcher(
        pattern=pattern,
        entries={key: tuple(value) for key, value in entries.items()},
        names=tuple(skill.name for skill in skills),
    )


@functools.cache
def _matcher() -> _Matcher:
    return _build(load_skills())


def _lower(text: str) -> str:
    """Lower-case without changing any offset, so matches in the lowered copy index the original."""
    lowered = text.lower()
    return lowered if len(lowered) == len(text) else text.translate(_ASCII_LOWER)


@dataclass
class _Mention:
    start: int
    end: int
    text: str  # as written, for the capitalisation check
    entries: tuple[_Entry, ...]
    skills: set[int] = field(default_factory=set)  # the entries that count here

    @property
    def counts(self) -> bool:
        return bool(self.skills)


def _hyphen_joined(text: str, start: int, end: int) -> bool:
    after = text[end : end + 2]
    before = text[max(0, start - 2) : start]
    return (len(after) == 2 and after[0] == "-" and after[1].isalnum()) or (
        len(before) == 2 and before[1] == "-" and before[0].isalnum()
    )


def _fits(rule: _Rule, text: str, mentions: list[_Mention], i: int) -> bool:
    mention = mentions[i]
    if not rule.bare and _hyphen_joined(text, mention.start, mention.end):
        return False
    if rule.left_skill:
        if i == 0 or not mentions[i - 1].counts:
            return False
        if not rule.left.fullmatch(text, mentions[i - 1].end, mention.start):
            return False
    elif not rule.left.search(text, max(0, mention.start - rule.window), mention.start):
        return False
    if rule.right_skill:
        if i + 1 == len(mentions) or not mentions[i + 1].counts:
            return False
        return rule.right.fullmatch(text, mention.end, mentions[i + 1].start) is not None
    return rule.right.match(text, mention.end) is not None


def _mentions(text: str, exact_case: bool) -> list[_Mention]:
    """Every spelling found in ``text``, each with the skills it counts for (possibly none)."""
    matcher = _matcher()
    text = _URL_OR_EMAIL.sub(lambda m: " " * len(m.group()), text)
    lowered = _lower(text)
    entries = matcher.entries
    mentions = [
        _Mention(m.start(), m.end(), text[m.start() : m.end()], entries.get(m[0]) or entries[_normalise_spelling(m[0])])
        for m in matcher.pattern.finditer(lowered)
    ]
    guarded: list[tuple[int, _Entry, list[_Rule], list[_Rule]]] = []
    for i, mention in enumerate(mentions):
        written = mention.text if exact_case else mention.text.lower()
        for entry in mention.entries:
            rules = [rule for rule in entry.rules if (rule.term if exact_case else rule.term.lower()) == written]
            if any(rule.veto and _fits(rule, text, mentions, i) for rule in rules):
                continue
            if not entry.guarded:
                mention.skills.add(entry.skill)
                continue
            positive = [rule for rule in rules if not rule.veto]
            neighbour = [rule for rule in positive if rule.left_skill or rule.right_skill]
            static = [rule for rule in positive if not (rule.left_skill or rule.right_skill)]
            if neighbour or static:
                guarded.append((i, entry, neighbour, static))
    # Neighbour rules first: they are the cheap ones, and they settle dense technology lists. A mention that
    # counts can confirm the guarded mentions next to it ("Python, Go, Rust"), so those are looked at again.
    waiting: dict[int, list[tuple[_Entry, list[_Rule]]]] = {}
    recheck: list[int] = []
    for i, entry, neighbour, static in guarded:
        if any(_fits(rule, text, mentions, i) for rule in neighbour) or any(
            _fits(rule, text, mentions, i) for rule in static
        ):
            mentions[i].skills.add(entry.skill)
            recheck += (i - 1, i + 1)
        elif neighbour:
            waiting.setdefault(i, []).append((entry, neighbour))
    while recheck and waiting:
        i = recheck.pop()
        for item in list(waiting.get(i, ())):
            entry, neighbour = item
            if any(_fits(rule, text, mentions, i) for rule in neighbour):
                mentions[i].skills.add(entry.skill)
                waiting[i].remove(item)
                recheck += (i - 1, i + 1)
    return mentions


def _scan(text: str, exact_case: bool) -> set[int]:
    """Indexes of the skills ``text`` names."""
    return {skill for mention in _mentions(text, exact_case) for skill in mention.skills}


def _scan_tag(tag: str) -> set[int]:
    matcher = _matcher()
    label = " ".join(tag.split())
    if not label:
        return set()
    # Slugs such as "Golang-Developer" use hyphens for spaces.
    variants = [label] if " " in label else [label, label.replace("-", " ").replace("_", " ")]
    for variant in variants:
        entries = matcher.entries.get(_normalise_spelling(variant))
        if entries:
            return {entry.skill for entry in entries}
    return _scan(variants[-1], exact_case=False)


def extract_skills(title: str, text: str, tags: Iterable[str] = ()) -> list[str]:
    """Canonical names of the skills a posting names, in taxonomy order, without duplicates."""
    found = _scan(title, exact_case=True) | _scan(text, exact_case=True)
    for tag in tags:
        found |= _scan_tag(tag)
    names = _matcher().names
    return [names[index] for index in sorted(found)]
