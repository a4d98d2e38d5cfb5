"""Which taxonomy skills a posting names, from its title, plain-text description and feed tags.

Spellings in ``config/skills.toml`` are grouped by their first word ("golang" under "golang", ".net core" under
"net") and each group is compiled into one regular expression, factored as a trie. One pass of an Aho-Corasick
automaton over the folded text (``crawlers.classify.text.word_hits``) finds where each first word stands as a whole
word, and only those groups are tried, only at those offsets, so a 5 KB description costs tens of microseconds rather
than the millisecond one regular expression over every character took. The longest spelling wins where several
start at one offset, and mentions never overlap. Spellings that are also English words ("Go", "C", "Spring") are
"guarded": they are found like the others, then kept only where one of the skill's context rules fits (the rule
format is documented at the top of skills.toml). A rule that needs a neighbouring skill ("Python, Go") is tried
again whenever a neighbour starts to count, because the neighbour may itself be guarded ("Python, Go, Rust").
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from config.taxonomy import (
    SEP_PLACEHOLDER,
    SKILL_PLACEHOLDER,
    VERSION_PLACEHOLDER,
    ContextRule,
    Skill,
    load_skills,
)
from crawlers.classify.sections import NONE, REQUIREMENTS, ROLE, sections
from crawlers.classify.text import Text, register_words, word_hits

# Characters skipped between the words of a rule: emphasis and quotes survive HTML-to-text conversion.
_GAP = r"[\s*_\"'`“”‘’()\[\]]*"
_SEP = r"(?:[\s*_\"'`“”‘’]*(?:[,/&+|;()\[\]•·\n]|(?<!\w)(?:and/or|and|or|nor|plus)(?!\w))[\s*_\"'`“”‘’]*)+"
_VERSION = r"v?\d{1,2}(?:\.(?:\d+|x))*[a-z]?\+?(?:\s*-\s*\d{1,2}(?!\d))?(?!\w)"
# Room left for skipped characters and separators when bounding how far back a rule's words can start.
_SLACK = 12
# Right boundary of a spelling that ends in a word character. "#" and "++" continue a name ("C#", "C++").
_END = r"(?![\w#]|\+\+)"
_FIRST_WORD = re.compile(r"[a-z0-9]+")
# Left boundaries of a spelling, checked at the offset it is matched at ("\w" is what ``str.isalnum`` or "_" is).
_NOT_AFTER_WORD = r"(?<!\w)"
_NOT_AFTER_DOTTED = r"(?<![^\W_]\.)"


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
        # Matched where the first word stands, ``offset`` characters in: not right after a word character, and a
        # spelling led by its first word not as the last part of a dotted name ("Next.js", "Ember.js").
        lead = _NOT_AFTER_WORD + (_NOT_AFTER_DOTTED if offset == 0 else "")
        groups.setdefault(word, []).append((offset, re.compile(lead + _trie_regex(sorted(spellings)))))
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


class _Mention:
    __slots__ = ("end", "skills", "start", "text")

    def __init__(self, start: int, end: int, text: str, skills: set[int]) -> None:
        self.start = start
        self.end = end
        self.text = text  # as written, for the capitalisation check
        self.skills = skills  # the skills it counts for

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


register_words(lambda: _matcher().words)


def _any_fits(rules: tuple[_Rule, ...], text: str, mentions: list[_Mention], i: int) -> bool:
    # A loop, not any() over a generator: this runs for every guarded mention, and the generator costs more.
    for rule in rules:  # noqa: SIM110
        if _fits(rule, text, mentions, i):
            return True
    return False


def _spans(scanned: Text) -> list[tuple[int, int]]:
    """(start, end) of every spelling in the text, leftmost first, the longest where several start together."""
    groups = _matcher().groups
    lowered = scanned.lower
    found = []
    for word, at in word_hits(scanned):
        for offset, pattern in groups.get(word, ()):
            if at >= offset:
                m = pattern.match(lowered, at - offset)
                if m is not None:
                    found.append(m.span())
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
# (skill, guarded, vetoes, neighbour rules, other positive rules) of an entry that has rules to try.
_Step = tuple[int, bool, tuple[_Rule, ...], tuple[_Rule, ...], tuple[_Rule, ...]]
# The skills a spelling as written counts for without a rule to try, and the entries with rules to try.
_Steps = tuple[frozenset[int], tuple[_Step, ...]]
_steps_cache: dict[tuple[str, str, bool], _Steps] = {}


def _plan(entry: _Entry, written: str, exact_case: bool) -> _Plan:
    """The vetoes, neighbour rules and other positive rules of a spelling as written."""
    rules = [rule for rule in entry.rules if (rule.term if exact_case else rule.term.lower()) == written]
    positive = [rule for rule in rules if not rule.veto]
    return (
        tuple(rule for rule in rules if rule.veto),
        tuple(rule for rule in positive if rule.left_skill or rule.right_skill),
        tuple(rule for rule in positive if not (rule.left_skill or rule.right_skill)),
    )


def _steps(spelling: str, written: str, exact_case: bool) -> _Steps:
    """What a mention of ``spelling`` (lower-cased), written ``written``, takes to count, for each of its entries."""
    key = (spelling, written, exact_case)
    steps = _steps_cache.get(key)
    if steps is None:
        entries = _matcher().entries
        fixed: set[int] = set()
        checks: list[_Step] = []
        as_written = written if exact_case else written.lower()
        for entry in entries.get(spelling) or entries[_normalise_spelling(spelling)]:
            vetoes, neighbour, static = _plan(entry, as_written, exact_case)
            if not vetoes and not entry.guarded:
                fixed.add(entry.skill)
            elif not entry.guarded or neighbour or static:  # a guarded spelling without a rule never counts
                checks.append((entry.skill, entry.guarded, vetoes, neighbour, static))
        steps = (frozenset(fixed), tuple(checks))
        if len(_steps_cache) < 100_000:  # spellings as written in real text: bounded in practice, capped anyway
            _steps_cache[key] = steps
    return steps


def _mentions(scanned: Text, exact_case: bool) -> list[_Mention]:
    """Every spelling found in the text, each with the skills it counts for (possibly none)."""
    text, lowered = scanned.text, scanned.lower
    mentions = []
    checked: list[tuple[int, tuple[_Step, ...]]] = []
    for start, end in _spans(scanned):
        written = text[start:end]
        fixed, checks = _steps(lowered[start:end], written, exact_case)
        if checks:
            checked.append((len(mentions), checks))
        mentions.append(_Mention(start, end, written, set(fixed)))
    if not checked:
        return mentions
    # Vetoes never read the neighbouring mentions: they are settled first.
    guarded: list[tuple[int, int, tuple[_Rule, ...], tuple[_Rule, ...]]] = []
    for i, checks in checked:
        for skill, is_guarded, vetoes, neighbour, static in checks:
            if vetoes and _any_fits(vetoes, text, mentions, i):
                continue
            if not is_guarded:
                mentions[i].skills.add(skill)
            else:
                guarded.append((i, skill, neighbour, static))
    # Neighbour rules first: they are the cheap ones, and they settle dense technology lists. A mention that
    # counts can confirm the guarded mentions next to it ("Python, Go, Rust"), so those are looked at again.
    waiting: dict[int, list[tuple[int, tuple[_Rule, ...]]]] = {}
    recheck: list[int] = []
    for i, skill, neighbour, static in guarded:
        if _any_fits(neighbour, text, mentions, i) or _any_fits(static, text, mentions, i):
            mentions[i].skills.add(skill)
            recheck += (i - 1, i + 1)
        elif neighbour:
            waiting.setdefault(i, []).append((skill, neighbour))
    while recheck and waiting:
        i = recheck.pop()
        for item in list(waiting.get(i, ())):
            skill, neighbour = item
            if _any_fits(neighbour, text, mentions, i):
                mentions[i].skills.add(skill)
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
