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
_PAY_CUE = re.compile(
    r"\b(?:salary|salaries|compensation|comp|pay|paid|base|wages?|rate|remuneration|ote|on[- ]target|earnings|earn|"
    r"income|package|gehalt|salaire|stipendio|retribuci[oó]n)\b",
    re.I,
)
_OTE_CUE = re.compile(r"\b(?:ote|on[- ]target|total (?:compensation|comp|cash)|total target)\b", re.I)
_NEGATIVE_CUE = re.compile(
    r"\b(?:raised?|raising|funding|funded|series [a-f]|revenue|valuation|valued|investment|investors?|assets|arr|"
    r"budget|bonus|stipend|perks?|allowance|reimburse\w*|referral|reward|signing|discounts?|commission|401k?|grant|"
    r"prize|spend|spent|processes|processed|worth|gmv|donations|pricing|price|fees?|loans?|deposits?|transactions|"
    r"leave|parental|vacation|holidays?|pto|relocation|equipment|office|wellness|learning|training|conferences?|gym|"
    r"coworking|internet|meals?|lunch|(?:each|every|per|a) (?:sale|deal|order))\b",
    re.I,
)
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


@dataclass(frozen=True)
class _Amount:
    value: float
    multiplied: bool  # had a k/m/lakh suffix
    currency: str | None
    coded: bool  # the currency was written as a code ("AUD"), which says more than a symbol ("$")
    plus: bool
    lakh: bool
    start: int
    end: int


@dataclass(frozen=True)
class _Candidate:
    low: float | None
    high: float | None
    currency: str | None
    period: str | None
    start: int
    end: int
    is_range: bool
    ote: bool


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
    from_text = _from_text(text, require_context=False) if text and text.strip() else None
    structured = _from_structured(minimum, maximum, currency, period, from_text)
    if structured is not None:
        return structured
    if from_text is not None:
        return from_text
    if description:
        return _from_text(description, require_context=True)
    return None


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
    return code if re.fullmatch(r"[A-Z]{3}", code) else None


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
    """The best salary stated in ``text``; in a description (``require_context``) only with a clear salary context."""
    candidates = [c for c in _candidates(text) if _acceptable(text, c, require_context)]
    # A base salary wins over OTE or total-compensation figures; otherwise the first stated.
    candidates.sort(key=lambda c: c.ote)
    for candidate in candidates:
        salary = _build(candidate.low, candidate.high, candidate.currency, candidate.period, _evidence(text, candidate))
        if salary is not None:
            return salary
    return None


def _amounts(text: str) -> list[_Amount]:
    found = []
    for match in _AMOUNT_RE.finditer(text):
        suffix = (match["suf"] or "").strip().lower()
        value = _parse_number(match["num"]) * _MULTIPLIERS.get(suffix, 1)
        written = [match[g].strip() for g in ("post", "pre") if match[g]]
        coded = [w for w in written if w.isalpha() and w.isupper()]
        code = _currency_code(coded[0] if coded else written[0]) if written else None
        found.append(
            _Amount(
                value=value,
                multiplied=bool(suffix),
                currency=code,
                coded=bool(coded),
                plus=bool(match["plus"]),
                lakh=suffix in ("lpa", "lakh", "lakhs", "lac", "lacs"),
                start=match.start(),
                end=match.end(),
            )
        )
    return found


def _parse_number(raw: str) -> float:
    """ "60.000" -> 60000, "1,500.50" -> 1500.5, "31,2" -> 31.2, "100'000" -> 100000, "2.500,50" -> 2500.5."""
    raw = re.sub(r"[\s'’\u00a0\u202f]", "", raw)
    grouped = re.fullmatch(r"(\d{1,3}(?:([.,])\d{3})(?:\2\d{3})*)(?:[.,](\d{1,2}))?", raw)
    if grouped:
        whole = re.sub(r"[.,]", "", grouped[1])
        return float(f"{whole}.{grouped[3]}") if grouped[3] else float(whole)
    return float(raw.replace(",", "."))


def _candidates(text: str) -> list[_Candidate]:
    amounts = _amounts(text)
    result = []
    index = 0
    while index < len(amounts):
        first = amounts[index]
        second = amounts[index + 1] if index + 1 < len(amounts) else None
        gap = _RANGE_SEP.match(text, first.end, second.start) if second else None
        if second is not None and gap is not None and gap.end() == second.start:
            low, high = _join_suffixes(first, second)
            inline = _PERIOD_RE.fullmatch(gap["period"].replace(" ", "")) if gap["period"] else None
            result.append(_candidate(text, first, second, low, high, inline))
            index += 2
            continue
        result.append(_candidate(text, first, None, first.value, first.value, None))
        index += 1
    return result


def _join_suffixes(first: _Amount, second: _Amount) -> tuple[float, float]:
    """Carry a k/m suffix written on one end only to the other: "$120k–150k", "$40- $60k", "USD 7-8k"."""
    low, high = first.value, second.value
    if first.multiplied != second.multiplied:
        unit = 1e5 if (first.lakh or second.lakh) else 1e3
        if first.multiplied and 0.1 <= (high * unit) / low <= 10:
            high *= unit
        elif second.multiplied and 0.1 <= (low * unit) / high <= 10:
            low *= unit
    return low, high


def _candidate(
    text: str, first: _Amount, second: _Amount | None, low: float, high: float, inline: re.Match[str] | None
) -> _Candidate:
    last = second or first
    ends = [a for a in (first, second) if a is not None and a.currency]
    currency = next((a.currency for a in ends if a.coded), ends[0].currency if ends else None)
    period = _period_after(text, last.end) or (inline.lastgroup if inline else None)
    period = period or _period_before(text, first.start)
    if first.lakh or last.lakh:
        period = period or "year"
    before = text[max(0, first.start - 30) : first.start]
    bottom: float | None = low
    top: float | None = high
    # In a range, "150-250k+" still states its top; the plus only says "or more".
    if second is None:
        if _UPTO.search(before):
            bottom = None
        elif first.plus or _FROM.search(before):
            top = None
    window = text[max(0, first.start - 60) : last.end + 25]
    return _Candidate(
        low=bottom,
        high=top,
        currency=currency,
        period=period,
        start=first.start,
        end=last.end,
        is_range=second is not None,
        ote=bool(_OTE_CUE.search(window)),
    )


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
    window = re.split(r"[.;\n]", text[max(0, start - 40) : start])[-1]
    found = _PERIOD_BEFORE_RE.findall(window)
    return _BEFORE_UNITS[found[-1].lower()] if found else None


def _acceptable(text: str, candidate: _Candidate, require_context: bool) -> bool:
    if _NEGATIVE_AFTER.match(text, candidate.end):
        return False
    # The nearest cue before the figure decides: "Base Salary: $X" counts, "Bonus at Target: 10% (~$X" does not.
    before = text[max(0, candidate.start - 80) : candidate.start]
    cues = [(m.start(), True) for m in _PAY_CUE.finditer(before)]
    cues += [(m.start(), False) for m in _NEGATIVE_CUE.finditer(before) if m.start() >= len(before) - 45]
    nearest = max(cues, default=None)
    if nearest is not None and not nearest[1]:
        return False
    if not require_context:
        return True
    if candidate.currency is None:
        return False
    return candidate.is_range or nearest is not None


def _evidence(text: str, candidate: _Candidate) -> str:
    start = candidate.start
    cues = [m.start() for m in _PAY_CUE.finditer(text, max(0, start - 40), start)]
    modifier = _UPTO.search(text, max(0, start - 30), start) or _FROM.search(text, max(0, start - 30), start)
    start = min([start, *cues[-1:], *([modifier.start()] if modifier else [])])
    end = candidate.end
    tail = _PERIOD_GAP.match(text, end, end + 30)
    after = _PERIOD_RE.match(text, tail.end() if tail else end, end + 40)
    if after:
        end = after.end()
    return " ".join(text[start:end].split())
