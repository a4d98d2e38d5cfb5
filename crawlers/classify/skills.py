"""Which taxonomy skills a posting names, from its title, plain-text description and feed tags.

Spellings in ``config/skills.toml`` are grouped by their first word ("golang" under "golang", ".net core" under
"net") and each group is compiled into one regular expression, factored as a trie. One pass of an Aho-Corasick
automaton over the folded text (``crawlers.classify.text.word_hits``) finds where each first word stands as a whole
word, and only those groups are tried, only at those offsets, so a 5 KB description costs tens of microseconds rather
than the millisecond one regular expression over every character took. (A group that is its first word alone, such
as "python", is not tried: the boundaries its expression would check are checked in Python.) The longest spelling
wins where several start at one offset, and mentions never overlap. Spellings that are also English words ("Go",
"C", "Spring") are "guarded": they are found like the others, then kept only where one of the skill's context rules
fits (the rule format is documented at the top of skills.toml). A rule that needs a neighbouring skill ("Python,
Go") is tried again whenever a neighbour starts to count, because the neighbour may itself be guarded ("Python, Go,
Rust"). A rule with words before the term first looks for one of them in the folded text (``_needles``), a far
cheaper test than its regular expression, which is only tried where it can fit.
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
    # Words of which ``left`` needs one in the window (see ``_needles``): (framed by spaces, for the folded text) or
    # (as written, lower-cased, for the lower-cased text); both empty when no word is needed. ``left_always``: there
    # are no words before the term, so ``left`` fits everywhere.
    left_framed: tuple[bytes, ...]
    left_plain: tuple[str, ...]
    left_always: bool


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
    # First words whose group is that word alone ("python"): the boundaries of its pattern are checked in Python.
    plain: frozenset[bytes]
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
            # "(?<!\w)" before the word, written after its first character: led by a character rather than a
            # look-behind, an alternative that cannot start at a position is given up at once. (The first character
            # is not a newline, so "." matches it.)
            first = re.escape(word[0])
            regex = first + r"(?<!\w.)" + regex[len(first) :]
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
    framed, plain = _needles(before) if not left_skill else ((), ())
    return _Rule(
        term=rule.term,
        veto=rule.veto,
        bare=rule.bare,
        left_skill=left_skill,
        right_skill=right_skill,
        left=re.compile(left, re.IGNORECASE),
        right=re.compile(right, re.IGNORECASE),
        window=window + _SLACK,
        left_framed=framed,
        left_plain=plain,
        left_always=not left_skill and not before,
    )


def _needles(before: Sequence[str]) -> tuple[tuple[bytes, ...], tuple[str, ...]]:
    """A cheap test that a rule's words before the term can be in a window, tried before the regular expression.

    ``left`` must consume one of the spellings of each word token of the rule inside the window (``_fits``), so when
    the window's lower-cased text is ASCII, one of them stands there in lower case: as a whole word of the folded
    text when it is ASCII letters and digits (``_literal`` puts word boundaries around those), else as a substring.
    (Outside ASCII, case-insensitive matching has exceptions, such as "ſ" for "s": the regular expression alone
    decides there.) One token is tested: the one with the fewest substrings, then the fewest spellings.
    """
    best: tuple[int, int] | None = None
    needles: tuple[tuple[bytes, ...], tuple[str, ...]] = ((), ())
    for token in before:
        if token.startswith("{"):
            continue
        words = token.split("|")
        if not all(word.isascii() for word in words):
            continue
        framed = tuple(b" " + word.lower().encode() + b" " for word in words if word.isalnum())
        plain = tuple(word.lower() for word in words if not word.isalnum())
        rank = (len(plain), len(words))
        if best is None or rank < best:
            best, needles = rank, (framed, plain)
    return needles


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
        plain=frozenset(
            word
            for (word, offset), spellings in grouped.items()
            if spellings == [word.decode()] and len(groups[word]) == 1
        ),
        entries={key: tuple(value) for key, value in entries.items()},
        names=tuple(skill.name for skill in skills),
        categories=tuple(skill.category for skill in skills),
        index={skill.name: i for i, skill in enumerate(skills)},
        languages=frozenset(i for i, skill in enumerate(skills) if skill.category == "language"),
    )


@functools.cache
def _matcher() -> _Matcher:
    return _build(load_skills())


# A spelling found in the text: (start, end, words as written (for the capitalisation check), the skills it counts
# for). A tuple, not an object: a description holds dozens. The set is shared and frozen when no rule can add to it.
_Mention = tuple[int, int, str, "set[int] | frozenset[int]"]


def _hyphen_joined(text: str, start: int, end: int) -> bool:
    after = text[end : end + 2]
    before = text[max(0, start - 2) : start]
    return (len(after) == 2 and after[0] == "-" and after[1].isalnum()) or (
        len(before) == 2 and before[1] == "-" and before[0].isalnum()
    )


def _fits(rule: _Rule, scanned: Text, mentions: list[_Mention], i: int) -> bool:
    text = scanned.text
    start, end = mentions[i][0], mentions[i][1]
    if not rule.bare and _hyphen_joined(text, start, end):
        return False
    if rule.left_skill:
        if i == 0 or not mentions[i - 1][3]:
            return False
        if not rule.left.fullmatch(text, mentions[i - 1][1], start):
            return False
    elif not rule.left_always:
        window = max(0, start - rule.window)
        if (rule.left_framed or rule.left_plain) and scanned.lower[window:start].isascii():
            # The words the rule needs before the term are not there: ``left`` cannot fit (``_needles``).
            # Bytes window..start + 1 of the padded text frame characters window - 1..start.
            padded = scanned.padded[window : start + 2]
            lowered = scanned.lower[window:start]
            if not any(word in padded for word in rule.left_framed) and not any(
                word in lowered for word in rule.left_plain
            ):
                return False
        if not rule.left.search(text, window, start):
            return False
    if rule.right_skill:
        if i + 1 == len(mentions) or not mentions[i + 1][3]:
            return False
        return rule.right.fullmatch(text, end, mentions[i + 1][0]) is not None
    return rule.right.match(text, end) is not None


register_words(lambda: _matcher().words)


def _any_fits(rules: tuple[_Rule, ...], scanned: Text, mentions: list[_Mention], i: int) -> bool:
    # A loop, not any() over a generator: this runs for every guarded mention, and the generator costs more.
    for rule in rules:  # noqa: SIM110
        if _fits(rule, scanned, mentions, i):
            return True
    return False


def _spans(scanned: Text) -> list[tuple[int, int]]:
    """(start, end) of every spelling in the text, leftmost first, the longest where several start together."""
    matcher = _matcher()
    groups, plain = matcher.groups, matcher.plain
    lowered = scanned.lower
    found = []
    # Word hits come in text order, so spans do too unless a spelling starts before its first word (".NET"): only
    # then are they sorted.
    ordered = True
    last = -1
    size = len(lowered)
    for word, at in word_hits(scanned):
        if word in plain:
            # What the group's pattern checks around the word (``_build``: ``_NOT_AFTER_WORD``,
            # ``_NOT_AFTER_DOTTED``, ``_END``); the word itself stands at ``at`` in the lower-cased text, as its folded
            # copy has it. ("\w" is what ``str.isalnum`` or "_" is.)
            end = at + len(word)
            if at > 0:
                before = lowered[at - 1]
                if before.isalnum() or before == "_" or (before == "." and at > 1 and lowered[at - 2].isalnum()):
                    continue
            if end < size:
                after = lowered[end]
                if after.isalnum() or after == "_" or after == "#" or lowered.startswith("++", end):
                    continue
            if at <= last:
                ordered = False
            last = at
            found.append((at, end))
            continue
        entries = groups.get(word)
        if entries is None:
            continue
        for offset, pattern in entries:
            if at >= offset:
                m = pattern.match(lowered, at - offset)
                if m is not None:
                    span = m.span()
                    if span[0] <= last:
                        ordered = False
                    last = span[0]
                    found.append(span)
    if len(found) > 1:
        if not ordered:
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
    mentions: list[_Mention] = []
    checked: list[tuple[int, tuple[_Step, ...]]] = []
    cache = _steps_cache
    for start, end in _spans(scanned):
        written = text[start:end]
        spelling = lowered[start:end]
        steps = cache.get((spelling, written, exact_case))
        if steps is None:
            steps = _steps(spelling, written, exact_case)
        fixed, checks = steps
        if checks:
            checked.append((len(mentions), checks))
            mentions.append((start, end, written, set(fixed)))
        else:
            mentions.append((start, end, written, fixed))
    if not checked:
        return mentions
    # Vetoes never read the neighbouring mentions: they are settled first.
    guarded: list[tuple[int, int, tuple[_Rule, ...], tuple[_Rule, ...]]] = []
    for i, checks in checked:
        for skill, is_guarded, vetoes, neighbour, static in checks:
            if vetoes and _any_fits(vetoes, scanned, mentions, i):
                continue
            if not is_guarded:
                mentions[i][3].add(skill)  # type: ignore[union-attr]
            else:
                guarded.append((i, skill, neighbour, static))
    # Neighbour rules first: they are the cheap ones, and they settle dense technology lists. A mention that
    # counts can confirm the guarded mentions next to it ("Python, Go, Rust"), so those are looked at again.
    waiting: dict[int, list[tuple[int, tuple[_Rule, ...]]]] = {}
    recheck: list[int] = []
    for i, skill, neighbour, static in guarded:
        if _any_fits(neighbour, scanned, mentions, i) or _any_fits(static, scanned, mentions, i):
            mentions[i][3].add(skill)  # type: ignore[union-attr]
            recheck += (i - 1, i + 1)
        elif neighbour:
            waiting.setdefault(i, []).append((skill, neighbour))
    while recheck and waiting:
        i = recheck.pop()
        for item in list(waiting.get(i, ())):
            skill, neighbour = item
            if _any_fits(neighbour, scanned, mentions, i):
                mentions[i][3].add(skill)  # type: ignore[union-attr]
                waiting[i].remove(item)
                recheck += (i - 1, i + 1)
    return mentions


def _found(scanned: Text, exact_case: bool) -> dict[int, str]:
    """The skills a text names, each with its first counting mention as written."""
    found: dict[int, str] = {}
    for _, _, written, skills in _mentions(scanned, exact_case):
        for skill in skills:
            found.setdefault(skill, written)
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
    for start, _, _, skills in mentions:
        if not languages.isdisjoint(skills):
            by_line.setdefault(text.rfind("\n", 0, start) + 1, set()).update(skills & languages)
    spans = []
    for line_start, named in by_line.items():
        if len(named) < CATALOGUE_LANGUAGES:
            continue
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        start = line_start
        ends = [m.end() for m in _SENTENCE_END.finditer(text, line_start, line_end)] + [line_end]
        for end in ends:
            inside: set[int] = set()
            for mention in mentions:
                if start <= mention[0] < end:
                    inside |= mention[3] & languages
            if len(inside) >= CATALOGUE_LANGUAGES:
                spans.append((start, end))
            start = end
    return spans


def _found_in_description(scanned: Text, kinds: frozenset[str]) -> dict[int, str]:
    """The skills a description names where they count: in a section of one of ``kinds``, outside catalogues."""
    mentions = [mention for mention in _mentions(scanned, exact_case=True) if mention[3]]
    if not mentions:
        return {}
    catalogues = _catalogue_spans(scanned.text, mentions, _matcher().languages)
    found: dict[int, str] = {}
    parts = sections(scanned)
    # Mentions come in text order: each is in the section of the last heading at or before it (``Sections.kind_at``).
    starts, section_kinds = parts.starts, parts.kinds
    count = len(starts)
    heading = 0
    kind = NONE
    for start, _, written, skills in mentions:
        while heading < count and starts[heading] <= start:
            kind = section_kinds[heading]
            heading += 1
        if kind not in kinds:
            continue
        if catalogues and any(begin <= start < end for begin, end in catalogues):
            continue
        for skill in skills:
            found.setdefault(skill, written)
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
