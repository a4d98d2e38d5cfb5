"""Which taxonomy skills a posting names, from its title, plain-text description and feed tags.

Spellings in ``config/skills.toml`` are grouped by their first word ("golang" under "golang", ".net core" under
"net") and each group is compiled into one regular expression, factored as a trie. A text is scanned through its
word set (``crawlers.classify.text``): only the groups whose first word occurs in the text are tried, and only at the
offsets where that word stands, so a 5 KB description costs tens of microseconds rather than the millisecond one
regular expression over every character took. The longest spelling wins where several start at one offset, and
mentions never overlap. Spellings that are also English words ("Go", "C", "Spring") are
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
from crawlers.classify.sections import NONE, REQUIREMENTS, ROLE, sections
from crawlers.classify.text import Text

# Characters skipped between the words of a rule: emphasis and quotes survive HTML-to-text conversion.
_GAP = r"[\s*_\"'`“”‘’()\[\]]*"
_SEP = r"(?:[\s*_\"'`“”‘’]*(?:[,/&+|;()\[\]•·\n]|(?<!\w)(?:and/or|and|or|nor|plus)(?!\w))[\s*_\"'`“”‘’]*)+"
_VERSION = r"v?\d{1,2}(?:\.(?:\d+|x))*[a-z]?\+?(?:\s*-\s*\d{1,2}(?!\d))?(?!\w)"
# Room left for skipped characters and separators when bounding how far back a rule's words can start.
_SLACK = 12
# Right boundary of a spelling that ends in a word character. "#" and "++" continue a name ("C#", "C++").
_END = r"(?![\w#]|\+\+)"
_FIRST_WORD = re.compile(r"[a-z0-9]+")


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
    # First word of a group of spellings -> (offset of that word in the spellings, their trie) for each offset.
    groups: dict[bytes, tuple[tuple[int, re.Pattern[str]], ...]]
    words: frozenset[bytes]
    entries: dict[str, tuple[_Entry, ...]]
    names: tuple[str, ...]
    categories: tuple[str, ...]
    index: dict[str, int]  # canonical name -> position
    languages: frozenset[int]  # positions of the skills in the "language" category


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

    # No look-behind: the caller checks the left boundary, and a leading look-behind stops the regex engine from
    # skipping ahead to its first literal.
    return emit(trie, "")


def _build(skills: Sequence[Skill]) -> _Matcher:
    entries: dict[str, list[_Entry]] = {}
    for index, skill in enumerate(skills):
        compiled = [_compile_rule(rule) for rule in skill.context]
        for spelling in skill.spellings:
            key = _normalise_spelling(spelling)
            rules = tuple(rule for rule in compiled if rule.term.lower() == key)
            entries.setdefault(key, []).append(_Entry(index, key in skill.guarded, rules))
    grouped: dict[tuple[bytes, int], list[str]] = {}
    for key in entries:
        first = _FIRST_WORD.search(key)
        if first is None:
            raise ValueError(f"skills.toml: spelling {key!r} has no ASCII letter or digit to find it by")
        grouped.setdefault((first[0].encode(), first.start()), []).append(key)
    groups: dict[bytes, list[tuple[int, re.Pattern[str]]]] = {}
    for (word, offset), spellings in sorted(grouped.items()):
        groups.setdefault(word, []).append((offset, re.compile(_trie_regex(sorted(spellings)))))
    return _Matcher(
        groups={word: tuple(value) for word, value in groups.items()},
        words=frozenset(groups),
        entries={key: tuple(value) for key, value in entries.items()},
        names=tuple(skill.name for skill in skills),
        categories=tuple(skill.category for skill in skills),
        index={skill.name: i for i, skill in enumerate(skills)},
        languages=frozenset(i for i, skill in enumerate(skills) if skill.category == "language"),
    )


@functools.cache
def _matcher() -> _Matcher:
    return _build(load_skills())


@dataclass(slots=True)
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


def _spans(scanned: Text) -> list[tuple[int, int]]:
    """(start, end) of every spelling in the text, leftmost first, the longest where several start together."""
    matcher = _matcher()
    lowered = scanned.lower
    found = []
    for word in matcher.words & scanned.wordset:
        at_offsets = scanned.find_word(word)
        for offset, pattern in matcher.groups[word]:
            for at in at_offsets:
                start = at - offset
                if start < 0 or (start and (lowered[start - 1].isalnum() or lowered[start - 1] == "_")):
                    continue
                # The last part of a dotted name ("Next.js", "Ember.js") is not a name of its own.
                if start > 1 and lowered[start - 1] == "." and lowered[start - 2].isalnum() and offset == 0:
                    continue
                m = pattern.match(lowered, start)
                if m is not None:
                    found.append((start, m.end()))
    if len(found) > 1:
        found.sort(key=lambda span: (span[0], -span[1]))
        spans, end = [], 0
        for span in found:
            if span[0] >= end:
                spans.append(span)
                end = span[1]
        return spans
    return found


_Plan = tuple[tuple[_Rule, ...], tuple[_Rule, ...], tuple[_Rule, ...]]
_plans: dict[tuple[int, str, bool], _Plan] = {}


def _plan(entry: _Entry, written: str, exact_case: bool) -> _Plan:
    """The vetoes, neighbour rules and other positive rules of a spelling as written (a few hundred per taxonomy)."""
    key = (id(entry), written, exact_case)
    plan = _plans.get(key)
    if plan is None:
        rules = [rule for rule in entry.rules if (rule.term if exact_case else rule.term.lower()) == written]
        positive = [rule for rule in rules if not rule.veto]
        plan = (
            tuple(rule for rule in rules if rule.veto),
            tuple(rule for rule in positive if rule.left_skill or rule.right_skill),
            tuple(rule for rule in positive if not (rule.left_skill or rule.right_skill)),
        )
        if len(_plans) < 100_000:  # spellings as written in real text: bounded in practice, capped anyway
            _plans[key] = plan
    return plan


def _mentions(scanned: Text, exact_case: bool) -> list[_Mention]:
    """Every spelling found in the text, each with the skills it counts for (possibly none)."""
    entries = _matcher().entries
    text, lowered = scanned.text, scanned.lower
    mentions = []
    for start, end in _spans(scanned):
        spelling = lowered[start:end]
        entry = entries.get(spelling) or entries[_normalise_spelling(spelling)]
        mentions.append(_Mention(start, end, text[start:end], entry))
    guarded: list[tuple[int, _Entry, tuple[_Rule, ...], tuple[_Rule, ...]]] = []
    for i, mention in enumerate(mentions):
        written = mention.text if exact_case else mention.text.lower()
        for entry in mention.entries:
            vetoes, neighbour, static = _plan(entry, written, exact_case)
            if vetoes and any(_fits(rule, text, mentions, i) for rule in vetoes):
                continue
            if not entry.guarded:
                mention.skills.add(entry.skill)
            elif neighbour or static:
                guarded.append((i, entry, neighbour, static))
    # Neighbour rules first: they are the cheap ones, and they settle dense technology lists. A mention that
    # counts can confirm the guarded mentions next to it ("Python, Go, Rust"), so those are looked at again.
    waiting: dict[int, list[tuple[_Entry, tuple[_Rule, ...]]]] = {}
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


def _found(scanned: Text, exact_case: bool) -> dict[int, str]:
    """The skills a text names, each with its first counting mention as written."""
    found: dict[int, str] = {}
    for mention in _mentions(scanned, exact_case):
        for skill in mention.skills:
            found.setdefault(skill, mention.text)
    return found


# A sentence naming this many programming languages is a catalogue ("proficient in React & Python, React & Golang,
# ... Vue & .NET", "any popular language such as Python, Java, C#, JavaScript, Go, C/C++"): what an agency hires for
# or what the posting would accept, not a stack. None of its mentions count. Six still make a stack: "Python + at
# least one statically typed language (C#/.NET, C++, Java, Scala, Go)".
CATALOGUE_LANGUAGES = 7
_SENTENCE_END = re.compile(r"[.!?;](?=\s)")


def _catalogue_spans(text: str, mentions: list[_Mention], languages: frozenset[int]) -> list[tuple[int, int]]:
    """(start, end) of the sentences that name at least ``CATALOGUE_LANGUAGES`` languages."""
    by_line: dict[int, set[int]] = {}
    for mention in mentions:
        named = mention.skills & languages
        if named:
            by_line.setdefault(text.rfind("\n", 0, mention.start) + 1, set()).update(named)
    spans = []
    for line_start, named in by_line.items():
        if len(named) < CATALOGUE_LANGUAGES:
            continue
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        start = line_start
        ends = [m.end() for m in _SENTENCE_END.finditer(text, line_start, line_end)] + [line_end]
        for end in ends:
            inside = set()
            for mention in mentions:
                if start <= mention.start < end:
                    inside |= mention.skills & languages
            if len(inside) >= CATALOGUE_LANGUAGES:
                spans.append((start, end))
            start = end
    return spans


def _found_in_description(scanned: Text, kinds: frozenset[str]) -> dict[int, str]:
    """The skills a description names where they count: in a section of one of ``kinds``, outside catalogues."""
    mentions = [mention for mention in _mentions(scanned, exact_case=True) if mention.skills]
    if not mentions:
        return {}
    text = scanned.text
    catalogues = _catalogue_spans(text, mentions, _matcher().languages)
    found: dict[int, str] = {}
    parts = sections(scanned)
    for mention in mentions:
        if catalogues and any(start <= mention.start < end for start, end in catalogues):
            continue
        if parts.kind_at(mention.start) not in kinds:
            continue
        for skill in mention.skills:
            found.setdefault(skill, mention.text)
    return found


# Which sections of a description count, by the title family's scope (roles.toml ``description_skills``).
_SCOPE_KINDS = {
    "all": frozenset({NONE, ROLE, REQUIREMENTS}),
    "requirements": frozenset({ROLE, REQUIREMENTS}),
    "none": frozenset(),
}


@functools.lru_cache(maxsize=8192)
def title_skills(title: str) -> tuple[tuple[str, str], ...]:
    """(canonical name, words as written) of the skills a title names, in taxonomy order."""
    names = _matcher().names
    found = _found(Text(title), exact_case=True)
    return tuple((names[index], found[index]) for index in sorted(found))


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
    return set(_found(Text(variants[-1]), exact_case=False))


@functools.lru_cache(maxsize=4096)
def _tag_skills(tag: str) -> frozenset[int]:
    # Boards reuse a small vocabulary of tags.
    return frozenset(_scan_tag(tag))


def find_skills(
    title: Text, description: Text, tags: Iterable[str] = (), *, scope: str = "all"
) -> dict[str, list[tuple[str, str]]]:
    """Canonical name -> where it was found, as (field, words as written), in taxonomy order.

    ``field`` is "title", "description" or "tags". A description's mentions count outside company sections and
    catalogues (``crawlers.classify.sections``, ``CATALOGUE_LANGUAGES``). ``scope`` is the title family's
    ``description_skills`` (roles.toml): "requirements" reads only the sections a heading names as the role's or its
    requirements', and not the title; "none" reads neither.
    """
    where: dict[int, list[tuple[str, str]]] = {}
    kinds = _SCOPE_KINDS[scope]
    if title.text and scope == "all":
        index = _matcher().index
        for name, written in title_skills(title.text):
            where.setdefault(index[name], []).append(("title", written))
    if description.text and kinds:
        for skill, written in _found_in_description(description, kinds).items():
            where.setdefault(skill, []).append(("description", written))
    for tag in tags:
        for skill in _tag_skills(tag):
            evidence = where.setdefault(skill, [])
            if not any(field_name == "tags" for field_name, _ in evidence):
                evidence.append(("tags", tag.strip()))
    names = _matcher().names
    return {names[index]: where[index] for index in sorted(where)}


def skill_category(name: str) -> str:
    matcher = _matcher()
    return matcher.categories[matcher.names.index(name)]


def extract_skills(title: str, text: str, tags: Iterable[str] = ()) -> list[str]:
    """Canonical names of the skills a posting names, in taxonomy order, without duplicates."""
    return list(find_skills(Text(title), Text(text), tags))
