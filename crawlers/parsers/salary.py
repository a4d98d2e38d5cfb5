"""Salaries: structured feed values, a free-text salary field, or a salary stated in a description.

``parse_salary`` reads, in order, the feed's structured values, its free-text salary field and the posting's plain-text
description, and returns the first salary it can trust. Decisions a reader might not guess:

- A bare ``$`` is taken as US dollars; a code beside it wins (``$1,800 AUD``, ``CA$102K``).
- OTE (on-target earnings: base plus expected commission) is parsed as stated when it is the only figure, since it is
  what the posting offers; a base salary in the same text wins over it. The evidence keeps the word for the reader.
- ``₹12 LPA`` (lakh per annum) is parsed: 12 lakh = 1,200,000 INR a year.
- A period left unstated is inferred from the larger amount, in the currency's major-unit scale: under 500 an hour
  (RemoteOK's ``salary_min: 25``), under 10,000 a month, otherwise a year.
- A single figure is both ends (``Base Salary: $115,000``); "up to X" has no minimum and "X+" / "from X" no maximum.
- Nonsense gives None: zeros, a low end far above the high end (a slight inversion is swapped), ends more than ten times
  apart, or amounts implausible for their period (a "$50M" funding round is not a yearly salary).
- In a description a figure counts only with a currency and either a range or a pay word before it ("salary", "base",
  "compensation", "pay", "rate", "OTE", ...), and not when the nearest cue before it is a bonus, budget, funding round
  or the like, or when it is followed by "years", "%", "employees", "per seat" and such.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# Working time a year in each period: 52 weeks, 260 working days, 2,080 working hours.
_PER_YEAR = {"year": 1, "month": 12, "week": 52, "day": 260, "hour": 2080}


def annualise(amount: float | None, period: str | None) -> float | None:
    """The yearly equivalent of an amount stated per ``period``; None when either is unknown."""
    if amount is None or period not in _PER_YEAR:
        return None
    return round(amount * _PER_YEAR[period], 2)


@dataclass(frozen=True)
class Salary:
    min: float | None
    max: float | None
    currency: str | None  # ISO 4217 code: "USD", "EUR", "GBP", ...
    period: str | None  # "year" | "month" | "week" | "day" | "hour"
    annual_min: float | None
    annual_max: float | None
    evidence: str  # the text (or structured values) the salary came from, <= 120 chars


EVIDENCE_LENGTH = 120

_SYMBOLS = {
    "CA$": "CAD",
    "C$": "CAD",
    "US$": "USD",
    "AU$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "HK$": "HKD",
    "R$": "BRL",
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",
    "₹": "INR",
    "₱": "PHP",
    "zł": "PLN",
}
# PHP is left out of the codes: in a job posting it is far more often the language than the peso.
_CODES = [
    "USD", "EUR", "GBP", "CHF", "CAD", "AUD", "NZD", "INR", "JPY", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF", "BRL",
    "MXN", "ZAR", "SGD", "HKD", "CNY", "ILS", "AED", "RON", "BGN", "UAH", "IDR", "KRW", "ARS", "CLP", "COP", "NGN",
    "KES", "PKR", "EGP", "THB", "MYR", "VND", "TRY",
]  # fmt: skip
# Roughly how many units of the currency make one US dollar, euro or pound, for the plausibility bounds and the
# period inference, which are written in those units.
_SCALE = {
    "INR": 85, "JPY": 150, "KRW": 1400, "IDR": 16000, "VND": 25000, "HUF": 360, "CLP": 950, "COP": 4000, "ARS": 1000,
    "NGN": 1500, "PKR": 280, "PHP": 57, "THB": 35, "TRY": 35, "UAH": 41, "EGP": 48, "KES": 130, "MXN": 18, "ZAR": 18,
    "CZK": 23, "SEK": 10, "NOK": 10, "DKK": 7, "PLN": 4, "CNY": 7, "HKD": 8, "BRL": 5, "MYR": 4.5, "RON": 4.5,
}  # fmt: skip
_PLAUSIBLE = {"hour": (2, 1_000), "day": (20, 5_000), "week": (100, 25_000), "month": (200, 150_000),
              "year": (2_000, 1_000_000)}  # fmt: skip

_SYMBOL_RE = "|".join(re.escape(s) for s in sorted(_SYMBOLS, key=len, reverse=True))
_CODE_RE = "|".join(_CODES)
_CURRENCY = rf"(?:{_SYMBOL_RE}|\b(?:{_CODE_RE})\b)"
# Thousands groups with one separator throughout ("60.000", "100'000", "45 000", "1,500,000"), then decimals; or plain
# digits with an optional decimal part ("31,2" is the European 31.2).
_NUMBER = (
    r"\d{1,3}(?P<sep>,\s?|[.'’ \u00a0\u202f])\d{3}(?:(?P=sep)\d{3})*(?![\d])(?:[.,]\d{1,2}(?!\d))?"
    r"|\d+(?:[.,]\d{1,2}(?!\d))?"
)
_MULTIPLIERS = {"k": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "million": 1e6, "billion": 1e9,
                "thousand": 1e3, "lpa": 1e5, "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5}  # fmt: skip
_SUFFIX = (
    r"\s?(?:k|K)(?![A-Za-z])|(?:mm|MM|mn|m|M|bn|B)(?![A-Za-z])|\s(?:million|billion|thousand|lakhs?|lacs?)\b|\s?LPA\b"
)
_AMOUNT_RE = re.compile(
    rf"(?<![\w.,])(?P<pre>{_CURRENCY})?\s?(?P<num>{_NUMBER})(?P<suf>{_SUFFIX})?(?P<plus>\s?\+)?"
    rf"(?:\s?(?P<post>{_CURRENCY}))?",
)
_PERIOD_WORDS = [
    ("hour", r"(?:/\s*|\bper\s+|\ban?\s+)(?:hours?|hrs?\b|h\b)|\bhourly|\bp\.?h\b\.?|\bp/h\b"),
    ("day", r"(?:/\s*|\bper\s+|\ba\s+)(?:days?|diem)|\bdaily|\bp\.?d\b\.?|\bday rate"),
    ("week", r"(?:/\s*|\bper\s+|\ba\s+)(?:weeks?|wk\b)|\bweekly|\bp\.?w\b\.?"),
    ("month", r"(?:/\s*|\bper\s+|\ba\s+)(?:month(?:ly)?|mo\b|mth\b)|\bmonthly|\bp\.?m\b\.?"),
    (
        "year",
        r"(?:/\s*|\bper\s+|\ba\s+)(?:year(?:ly)?|yrs?\b|annum|annual(?:ly)?|y\b)|\byearly|\bannual(?:ly)?|\bp\.?a\b\.?"
        r"|\bp/a\b|\bLPA\b",
    ),
]
_PERIOD_RE = re.compile("|".join(f"(?P<{name}>{rx})" for name, rx in _PERIOD_WORDS), re.IGNORECASE)
# What may sit between an amount and its period: "$25 - $27 (per hour)", "$1800 - $2200 AUD / Monthly", "90K gross pa".
_PERIOD_GAP = re.compile(r"[\s(),:\-–]*(?:(?:gross|brutto|base|salary|total|usd|eur|gbp|ote|pay)[\s(),:]*)*", re.I)
_RANGE_SEP = re.compile(r"\s*(?:(?P<period>/\s*[a-z]+)\s*)?(?:-|–|—|−|~|\bto\b|\band\b|\btill\b|\bo\b)\s*$", re.I)
_PAY_WORDS = (
    "salary", "salaries", "compensation", "comp", "pay", "paid", "base", "wages?", "rate", "remuneration", "ote",
    "on[- ]target", "earnings", "earn", "income", "package", "gehalt", "salaire", "stipendio", "retribuci[oó]n",
)  # fmt: skip
_PAY_CUE = re.compile(rf"\b(?:{'|'.join(_PAY_WORDS)})\b", re.I)
_OTE_CUE = re.compile(r"\b(?:ote|on[- ]target|total (?:compensation|comp|cash)|total target)\b", re.I)
# Each word starts with a plain character (see _cue_branches).
_NEGATIVE_WORDS = (
    "raised?", "raising", "funding", "funded", "series [a-f]", "revenue", "valuation", "valued", "investment",
    "investors?", "assets", "arr", "budget", "bonus", "stipend", "perks?", "allowance", r"reimburse\w*", "referral",
    "reward", "signing", "discounts?", "commission", "401k?", "grant", "prize", "spend", "spent", "processes",
    "processed", "worth", "gmv", "donations", "pricing", "price", "fees?", "loans?", "deposits?", "transactions",
    "leave", "parental", "vacation", "holidays?", "pto", "relocation", "equipment", "office", "wellness", "learning",
    "training", "conferences?", "gym", "coworking", "internet", "meals?", "lunch", "each (?:sale|deal|order)",
    "every (?:sale|deal|order)", "per (?:sale|deal|order)", "a (?:sale|deal|order)",
)  # fmt: skip
_NEGATIVE_CUE = re.compile(rf"\b(?:{'|'.join(_NEGATIVE_WORDS)})\b", re.I)
_NEGATIVE_AFTER = re.compile(
    r"\s*(?:\+\s*)?(?:%|percent|years?\b|yrs?\b|employees|people|users|customers|stars|members|companies|"
    r"per\s+(?:\d+\s+)?(?!(?:hours?|hr|h|days?|diem|weeks?|wk|months?|mo|mth|years?|yr|annum)\b)[a-z]+|"
    r"words|articles|in\s+(?:funding|revenue|"
    r"assets|sales|arr|annual|gross|cash|donations)|series\b|funding|revenue|valuation|arr\b|raised|investment)",
    re.I,
)
# "up to $90K", "starts at 💵7000 USD": a word, then at most a few marks, then the amount.
_UPTO = re.compile(
    r"(?:\bup\s*to|\bcapped\s+at|\bupto|\bmax(?:imum)?\.?|\bas much as|\bunder|\bless than|≤|<)\W{0,3}$", re.I
)
_FROM = re.compile(
    r"(?:\bfrom|\bstarting(?:\s+at|\s+from)?|\bstarts?\s+at|\bat least|\bminimum|\bmin\.?|\bfloor\b.{0,30}?at|≥|>)"
    r"\W{0,3}$",
    re.I,
)


# Cheap tests run before the full grammar. Every amount holds a digit, so a text without one states no salary. An
# amount starts at most four characters before its number's first digit (a three-character currency and a space), so
# the amount pattern, preceded by up to four characters taken lazily and matched there, finds the leftmost amount
# starting in those five positions: what a search would find, without trying the long pattern at every position.
_DIGIT = re.compile(r"\d")
_AMOUNT_AT = re.compile(rf"[\s\S]{{0,4}}?(?P<amount>{_AMOUNT_RE.pattern})")
_CODE_SET = frozenset(_CODES)
_LAKH_SUFFIXES = frozenset({"lpa", "lakh", "lakhs", "lac", "lacs"})
_NUMBER_NOISE = re.compile(r"[\s'’\u00a0\u202f]")
_GROUPED = re.compile(r"(\d{1,3}(?:([.,])\d{3})(?:\2\d{3})*)(?:[.,](\d{1,2}))?")
_GROUP_MARK = re.compile(r"[.,]")
_CODE_SHAPE = re.compile(r"[A-Z]{3}")
# A match of _UPTO or _FROM ends in one of these characters followed by at most three marks (and a final newline), so
# it can only exist when one of these matches within the last six characters: a few positions instead of thirty.
_UPTO_END = re.compile(r"[otxm.srn≤<]\W{0,3}$", re.I)
_FROM_END = re.compile(r"[mgtn.≥>]\W{0,3}$", re.I)


def _cue_branches(words: tuple[str, ...]) -> str:
    """``\\b(?:words)\\b`` as an alternation for lower-cased text (see ``_fold``), several times faster than the words
    with IGNORECASE: they are grouped by their first character and each group is led by it, the word boundary checked
    just after it (``(?<!\\w.)``), so that the engine rejects a group on its first character. Same matches."""
    groups: dict[str, list[str]] = {}
    for word in words:
        groups.setdefault(word[0], []).append(word[1:])
    return "|".join(rf"{re.escape(first)}(?<!\w.)(?:{'|'.join(rests)})\b" for first, rests in groups.items())


# The last cue in a lower-cased string: the greedy lead gives back one character at a time, so the cue words are tried
# from the end backwards and the first found is the rightmost. No cue word holds another one after its start, so
# that is the last match a scan from the start would find too. (The leading \b, implied by each branch, is cheaper
# to try at each position than the branches.)
_LAST_CUE = re.compile(
    rf"[\s\S]*\b(?:(?P<negative>{_cue_branches(_NEGATIVE_WORDS)})|(?P<pay>{_cue_branches(_PAY_WORDS)}))"
)
_LAST_PAY_CUE = re.compile(rf"[\s\S]*\b(?P<pay>{_cue_branches(_PAY_WORDS)})")
# Over every code point, lower-casing reads a text as IGNORECASE does for these patterns except for these three: "İ"
# lower-cases to two characters, and IGNORECASE also matches "ı" to "i" and "ſ" to "s".
_FOLD_EXCEPTIONS = ("İ", "ı", "ſ")


def _fold(text: str) -> str | None:
    """``text`` lower-cased for the ``_cue_branches`` patterns, or None when that could read differently."""
    if text.isascii() or not any(c in text for c in _FOLD_EXCEPTIONS):
        return text.lower()
    return None


@dataclass(slots=True)
class _Amount:
    value: float
    multiplied: bool  # had a k/m/lakh suffix
    plus: bool
    lakh: bool
    start: int
    end: int


def parse_salary(
    text: str | None = None,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    currency: str | None = None,
    period: str | None = None,
    description: str = "",
) -> Salary | None:
    """The salary a posting states, from structured values, then the salary field ``text``, then the description."""
    from_text = _field_salary(text) if text and text.strip() else None
    structured = _from_structured(minimum, maximum, currency, period, from_text)
    if structured is not None:
        return structured
    if from_text is not None:
        return from_text
    if description:
        return _from_text(description, require_context=True)
    return None


@functools.lru_cache(maxsize=4096)
def _field_salary(text: str) -> Salary | None:
    """A salary field's salary: feeds repeat a few field values ("$120k - $150k", "Competitive") across postings."""
    return _from_text(text, require_context=False)


def _from_structured(
    minimum: float | str | None,
    maximum: float | str | None,
    currency: str | None,
    period: str | None,
    from_text: Salary | None,
) -> Salary | None:
    low, high = _number(minimum), _number(maximum)
    if low is None and high is None:
        return None
    code = _currency_code(currency) or (from_text.currency if from_text else None)
    unit = normalise_period(period) or (from_text.period if from_text else None)
    shown = "–".join(f"{v:g}" for v in (low, high) if v is not None) if low != high else f"{low:g}"
    evidence = " ".join(part for part in (shown, code or "", f"per {unit}" if unit else "") if part)
    return _build(low, high, code, unit, evidence)


def _number(value: float | str | None) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(str(value).replace(",", "").strip())
    except ValueError:
        return None
    return number if number > 0 else None


def _currency_code(value: str | None) -> str | None:
    if not value:
        return None
    value = value.strip()
    if value in _SYMBOLS:
        return _SYMBOLS[value]
    code = value.upper()
    return code if _CODE_SHAPE.fullmatch(code) else None


def normalise_period(value: str | None) -> str | None:
    """A feed's period value ("yearly", "1 YEAR", "per-month-salary", "HOUR") as one of the five periods."""
    if not value:
        return None
    lowered = value.lower()
    for unit, words in (
        ("hour", ("hour", "hr")),
        ("day", ("day", "daily")),
        ("week", ("week",)),
        ("month", ("month",)),
        ("year", ("year", "annual", "annum")),
    ):
        if any(word in lowered for word in words):
            return unit
    return None


def _build(
    low: float | None, high: float | None, currency: str | None, period: str | None, evidence: str
) -> Salary | None:
    """A Salary after the sanity checks; None when the figures are nonsense."""
    checked = _checked(low, high, currency, period)
    return None if checked is None else _salary(*checked, currency, evidence)


def _checked(
    low: float | None, high: float | None, currency: str | None, period: str | None
) -> tuple[float | None, float | None, str] | None:
    """The sanity checks of ``_build``: the ends (positive, in order) and the period, or None for nonsense."""
    if low is not None and low <= 0:
        low = None
    if high is not None and high <= 0:
        high = None
    if low is None and high is None:
        return None
    if low is not None and high is not None:
        if low > high:
            if low > high * 1.5:
                return None
            low, high = high, low
        if high > low * 10:
            return None
    scale = _SCALE.get(currency or "", 1)
    if period is None:
        period = _infer_period(max(v for v in (low, high) if v is not None) / scale)
    floor, ceiling = _PLAUSIBLE[period]
    if any(v is not None and not floor <= v / scale <= ceiling for v in (low, high)):
        return None
    return low, high, period


def _salary(low: float | None, high: float | None, period: str, currency: str | None, evidence: str) -> Salary:
    return Salary(
        min=low,
        max=high,
        currency=currency,
        period=period,
        annual_min=annualise(low, period),
        annual_max=annualise(high, period),
        evidence=evidence.strip()[:EVIDENCE_LENGTH],
    )


def _infer_period(amount: float) -> str:
    if amount < 500:
        return "hour"
    if amount < 10_000:
        return "month"
    return "year"


def _from_text(text: str, *, require_context: bool) -> Salary | None:
    """The best salary stated in ``text``; in a description (``require_context``) only with a clear salary context.

    A base salary wins over OTE or total-compensation figures; otherwise the first stated. The figures are read in
    order and each is examined only as far as needed: in a description one without a currency is dropped before any
    other test, and whether a figure is OTE is asked only when a later figure could still take its place.
    """
    amounts = _amounts(text)
    if require_context:
        # Past the last amount with a currency, a description has no figure left that could be taken.
        reachable = next((i + 1 for i in range(len(amounts) - 1, -1, -1) if _has_currency(amounts[i])), 0)
    else:
        reachable = len(amounts)
    fallback = None  # the first OTE salary, taken when no base salary follows
    count = len(amounts)
    index = 0
    while index < reachable:
        first = amounts[index]
        second = amounts[index + 1] if index + 1 < count else None
        gap = _RANGE_SEP.match(text, first.end(), second.start("amount")) if second is not None else None
        if second is None or gap is None or gap.end() != second.start("amount"):
            second = gap = None
        index += 1 if second is None else 2
        currency = _range_currency(first, second)
        if require_context and currency is None:
            continue  # _acceptable would refuse it
        start, end = first.start("amount"), (second or first).end()
        if _NEGATIVE_AFTER.match(text, end):
            continue
        pay, negative = _cues(text, start)
        if not _acceptable(pay, negative, currency, second is not None, require_context):
            continue
        low, high, period = _figures(text, _amount(first), _amount(second) if second else None, gap)
        checked = _checked(low, high, currency, period)
        if checked is None:
            continue
        salary = _salary(*checked, currency, _evidence(text, start, end, pay))
        if fallback is None and index >= reachable:
            return salary  # the last figure that could be taken, no OTE one before it: its being OTE changes nothing
        if not _OTE_CUE.search(text[max(0, start - 60) : end + 25]):
            return salary
        if fallback is None:
            fallback = salary
    return fallback


def _amounts(text: str) -> list[re.Match[str]]:
    """Every amount in ``text``, as ``_AMOUNT_RE.finditer`` finds them (see ``_AMOUNT_AT``): group "amount" is one."""
    found = []
    pos = 0
    while (digit := _DIGIT.search(text, pos)) is not None:
        start = max(pos, digit.start() - 4)
        match = _AMOUNT_AT.match(text, start)
        if match is None:
            pos = start + 5  # no amount starts in [start, start + 4]
        else:
            found.append(match)
            pos = match.end()
    return found


def _has_currency(match: re.Match[str]) -> bool:
    return match.group("pre", "post") != (None, None)


def _written_currency(match: re.Match[str]) -> tuple[str | None, bool]:
    """An amount's currency, and whether it was written as a code: a code wins over a symbol, and the one after the
    number over the one before it."""
    pre, post = match["pre"], match["post"]
    if post and post in _CODE_SET:
        return post, True
    if pre and pre in _CODE_SET:
        return pre, True
    if post or pre:
        return _SYMBOLS[post or pre], False
    return None, False


def _range_currency(first: re.Match[str], second: re.Match[str] | None) -> str | None:
    """The currency of a figure or range: a code on either end, else the first symbol."""
    code, coded = _written_currency(first)
    if coded or second is None:
        return code
    other, coded = _written_currency(second)
    return other if coded or code is None else code


def _amount(match: re.Match[str]) -> _Amount:
    suffix = match["suf"]
    suffix = suffix.strip().lower() if suffix else ""
    return _Amount(
        value=_parse_number(match["num"]) * _MULTIPLIERS.get(suffix, 1),
        multiplied=bool(suffix),
        plus=bool(match["plus"]),
        lakh=suffix in _LAKH_SUFFIXES,
        start=match.start("amount"),
        end=match.end(),
    )


def _parse_number(raw: str) -> float:
    """ "60.000" -> 60000, "1,500.50" -> 1500.5, "31,2" -> 31.2, "100'000" -> 100000, "2.500,50" -> 2500.5."""
    if raw.isdecimal():
        return float(raw)
    raw = _NUMBER_NOISE.sub("", raw)
    grouped = _GROUPED.fullmatch(raw)
    if grouped:
        whole = _GROUP_MARK.sub("", grouped[1])
        return float(f"{whole}.{grouped[3]}") if grouped[3] else float(whole)
    return float(raw.replace(",", "."))


def _join_suffixes(first: _Amount, second: _Amount) -> tuple[float, float]:
    """Carry a k/m suffix written on one end only to the other: "$120k–150k", "$40- $60k", "USD 7-8k"."""
    low, high = first.value, second.value
    if first.multiplied != second.multiplied and low > 0 and high > 0:
        unit = 1e5 if (first.lakh or second.lakh) else 1e3
        if first.multiplied and 0.1 <= (high * unit) / low <= 10:
            high *= unit
        elif second.multiplied and 0.1 <= (low * unit) / high <= 10:
            low *= unit
    return low, high


def _figures(
    text: str, first: _Amount, second: _Amount | None, gap: re.Match[str] | None
) -> tuple[float | None, float | None, str | None]:
    """The low and high ends and the period of one figure or range, before the sanity checks."""
    if second is not None and gap is not None:
        low, high = _join_suffixes(first, second)
        inline = _PERIOD_RE.fullmatch(gap["period"].replace(" ", "")) if gap["period"] else None
    else:
        low = high = first.value
        inline = None
    last = second or first
    period = _period_after(text, last.end) or (inline.lastgroup if inline else None)
    period = period or _period_before(text, first.start)
    if first.lakh or last.lakh:
        period = period or "year"
    bottom: float | None = low
    top: float | None = high
    # In a range, "150-250k+" still states its top; the plus only says "or more".
    if second is None:
        before = text[max(0, first.start - 30) : first.start]
        tail = max(0, len(before) - 6)
        if _UPTO_END.search(before, tail) and _UPTO.search(before):
            bottom = None
        elif first.plus or (_FROM_END.search(before, tail) and _FROM.search(before)):
            top = None
    return bottom, top, period


def _period_after(text: str, end: int) -> str | None:
    gap = _PERIOD_GAP.match(text, end, end + 30)
    start = gap.end() if gap else end
    match = _PERIOD_RE.match(text, start, start + 25)
    return match.lastgroup if match else None


_PERIOD_BEFORE_RE = re.compile(r"\b(hourly|annual(?:ly)?|yearly|monthly|weekly|daily|day rate)\b", re.I)
_BEFORE_UNITS = {"hourly": "hour", "annual": "year", "annually": "year", "yearly": "year", "monthly": "month",
                 "weekly": "week", "daily": "day", "day rate": "day"}  # fmt: skip


def _period_before(text: str, start: int) -> str | None:
    """ "Annual salary: €X", "the estimated hourly rate is $33": a period word shortly before, in the same clause."""
    window = text[max(0, start - 40) : start]
    window = window[max(window.rfind("."), window.rfind(";"), window.rfind("\n")) + 1 :]
    found = _PERIOD_BEFORE_RE.findall(window)
    return _BEFORE_UNITS[found[-1].lower()] if found else None


def _cues(text: str, start: int) -> tuple[int, int]:
    """Where the last pay cue and the last negative cue start in the 80 characters before ``start``, read as a string
    of their own, a negative one only when it starts in the last 45 of them; -1 for none. The pay cue is exact
    whenever the negative one does not come after it, which is all that is asked then."""
    low = max(0, start - 80)
    before = text[low:start]
    near = len(before) - 45
    folded = _fold(before)
    if folded is None:
        pay = negative = -1
        for match in _PAY_CUE.finditer(before):
            pay = match.start()
        for match in _NEGATIVE_CUE.finditer(before):
            negative = match.start()
    else:
        last = _LAST_CUE.match(folded)
        if last is None:
            return -1, -1
        if last["pay"] is not None:
            return low + last.start("pay"), -1
        negative = last.start("negative")
        if negative >= near:
            return -1, low + negative
        last = _LAST_PAY_CUE.match(folded)
        pay = -1 if last is None else last.start("pay")
    return (-1 if pay < 0 else low + pay), (-1 if negative < max(near, 0) else low + negative)


def _acceptable(pay: int, negative: int, currency: str | None, is_range: bool, require_context: bool) -> bool:
    """Whether a figure reads as a salary, given its ``_cues`` (a description's figure also needs a currency)."""
    # The nearest cue before the figure decides: "Base Salary: $X" counts, "Bonus at Target: 10% (~$X" does not.
    if negative > pay:
        return False
    if not require_context:
        return True
    return currency is not None and (is_range or pay >= 0)


def _evidence(text: str, start: int, end: int, pay: int) -> str:
    """The figure's words, from the pay cue or "up to" before it (within 40 and 30 characters) to its period."""
    modifier = _modifier(text, max(0, start - 30), start)
    start = min([start, *([pay] if pay >= max(0, start - 40) else []), *([modifier.start()] if modifier else [])])
    tail = _PERIOD_GAP.match(text, end, end + 30)
    after = _PERIOD_RE.match(text, tail.end() if tail else end, end + 40)
    if after:
        end = after.end()
    return " ".join(text[start:end].split())


def _modifier(text: str, start: int, end: int) -> re.Match[str] | None:
    """``_UPTO.search(text, start, end) or _FROM.search(text, start, end)``, skipping each when it cannot match."""
    tail = max(start, end - 6)
    upto = _UPTO.search(text, start, end) if _UPTO_END.search(text, tail, end) else None
    if upto is None and _FROM_END.search(text, tail, end):
        return _FROM.search(text, start, end)
    return upto
