"""Salary parsing from structured feed values, salary fields and descriptions, table-style on real corpus strings."""

from __future__ import annotations

import pytest

from crawlers.parsers import salary as salary_module
from crawlers.parsers.salary import Salary, annualise, normalise_period, parse_salary

# (salary field text, (min, max, currency, period)); a None expectation means no salary.
FIELD_CASES = [
    # The examples.
    ("$120k–150k", (120_000, 150_000, "USD", "year")),
    ("€60.000 - 75.000 per year", (60_000, 75_000, "EUR", "year")),
    ("$50-75/hour", (50, 75, "USD", "hour")),
    ("up to 90K GBP", (None, 90_000, "GBP", "year")),
    ("USD 120,000 - 150,000", (120_000, 150_000, "USD", "year")),
    ("£45,000 to £55,000 pa", (45_000, 55_000, "GBP", "year")),
    ("120.000€", (120_000, 120_000, "EUR", "year")),
    ("$150K+", (150_000, None, "USD", "year")),
    ("CHF 100'000", (100_000, 100_000, "CHF", "year")),
    ("CHF 100’000 - 120’000 p.a.", (100_000, 120_000, "CHF", "year")),
    ("₹12 LPA", (1_200_000, 1_200_000, "INR", "year")),
    ("₹12-15 LPA", (1_200_000, 1_500_000, "INR", "year")),
    ("45 000 - 55 000 EUR", (45_000, 55_000, "EUR", "year")),
    ("€2.500,50 monthly", (2500.5, 2500.5, "EUR", "month")),
    ("£400 per day", (400, 400, "GBP", "day")),
    ("£350/day", (350, 350, "GBP", "day")),
    ("$2,000 per week", (2000, 2000, "USD", "week")),
    ("£3,000 pm", (3000, 3000, "GBP", "month")),
    ("€45 ph", (45, 45, "EUR", "hour")),
    ("$60 hourly", (60, 60, "USD", "hour")),
    ("$95,000 yearly", (95_000, 95_000, "USD", "year")),
    ("$95,000 annual", (95_000, 95_000, "USD", "year")),
    ("$95k per annum", (95_000, 95_000, "USD", "year")),
    ("$1.2m", None),  # a million a year is outside what we trust as a salary
    # Remotive "salary" text, verbatim from the two captures.
    ("$14/hour", (14, 14, "USD", "hour")),
    ("$14/hr", (14, 14, "USD", "hour")),
    ("$18 - $22/hr", (18, 22, "USD", "hour")),
    ("$50-$75 /hour", (50, 75, "USD", "hour")),
    ("$90 - $150 /hour", (90, 150, "USD", "hour")),
    ("$120 - $170 /hour", (120, 170, "USD", "hour")),
    ("$170k - $200k", (170_000, 200_000, "USD", "year")),
    ("$20k -$35k", (20_000, 35_000, "USD", "year")),
    ("$31,2k- $52k", (31_200, 52_000, "USD", "year")),
    ("$40- $60k", (40_000, 60_000, "USD", "year")),
    ("$60k-$130k (depending on experience)", (60_000, 130_000, "USD", "year")),
    ("$60k–$72k", (60_000, 72_000, "USD", "year")),
    ("$45,000 - $50,000", (45_000, 50_000, "USD", "year")),
    ("$12K", (12_000, 12_000, "USD", "year")),
    ("$3k - $10k", (3_000, 10_000, "USD", "year")),
    # OTE is parsed as stated when it is the only figure (see the module's docstring).
    ("OTE $25k - $35k", (25_000, 35_000, "USD", "year")),
    ("-", None),
    # Ashby compensation summaries.
    ("$211.4K – $290.6K • Offers Equity", (211_400, 290_600, "USD", "year")),
    ("CA$102.8K – CA$137K", (102_800, 137_000, "CAD", "year")),
    # Hacker News first lines.
    ("€70-100k + equity", (70_000, 100_000, "EUR", "year")),
    ("$125K-$200K + equity", (125_000, 200_000, "USD", "year")),
    ("$185,000 - $200,000 per year base", (185_000, 200_000, "USD", "year")),
    ("150-250k+ + equity + benefits", (150_000, 250_000, None, "year")),
    # Lines from descriptions that also appear as salary fields elsewhere.
    ("$65,900.00 - $112,700.00 / AnnuallyThe", (65_900, 112_700, "USD", "year")),
    ("$130,000/year - $150,000/year + equity", (130_000, 150_000, "USD", "year")),
    ("$1800 - $2200 AUD / Monthly", (1800, 2200, "AUD", "month")),
    ("$15 - $30/hourpay", (15, 30, "USD", "hour")),
    ("$25 - $27 (per hour)", (25, 27, "USD", "hour")),
    ("$60,675- $101, 125 annually", (60_675, 101_125, "USD", "year")),
    ("USD 7-8k/month", (7_000, 8_000, "USD", "month")),
    ("$5 o $6K USD per month", (5_000, 6_000, "USD", "month")),
    ("$139,200—$235,200 USD", (139_200, 235_200, "USD", "year")),
    ("$64—$64 USD", (64, 64, "USD", "hour")),
    ("PLN 350,700 - 474,400", (350_700, 474_400, "PLN", "year")),
    # No salary.
    ("Competitive", None),
    ("DOE", None),
    ("Competitive salary + equity", None),
    ("$0", None),
    ("$0 - $0", None),
    ("$150k - $20k", None),  # low end far above the high end
    ("$5 - $500k", None),  # ends far apart
    ("$5,000,000 per year", None),
    ("$3,000 per hour", None),
]


@pytest.mark.parametrize(("text", "expected"), FIELD_CASES)
def test_salary_field(text: str, expected: tuple | None) -> None:
    assert _summary(parse_salary(text)) == expected


# (description excerpt, (min, max, currency, period)): a salary stated in plain text needs a clear salary context.
DESCRIPTION_CASES = [
    (
        "The estimated base salary range for this role is $285,000 - $330,000 per year.",
        (285_000, 330_000, "USD", "year"),
    ),
    ("U.S. Base Salary Range: $108,830- $159,000", (108_830, 159_000, "USD", "year")),
    ("Pay Range: $27.02 - $48.55 per hour", (27.02, 48.55, "USD", "hour")),
    ("Compensation: USD $40–$60 per hour, commensurate with experience.", (40, 60, "USD", "hour")),
    ("Salary Range: PLN 350,700 - 474,400 + bonus", (350_700, 474_400, "PLN", "year")),
    (
        "The pay scale in on a contract basis, ranging**$150-200k/year** based on experience.",
        (150_000, 200_000, "USD", "year"),
    ),
    ("- €2,500–3,500/month (contractor)", (2500, 3500, "EUR", "month")),
    ("Rate: 15 USD per hour (rates vary per country.", (15, 15, "USD", "hour")),
    ("Compensation range: $1800 - $2200 AUD / Monthly", (1800, 2200, "AUD", "month")),
    (
        "Salary floor for this role begins at $110,000+ per year, depending on experience.",
        (110_000, None, "USD", "year"),
    ),
    ("The national salary range for this position is $125K to $140K USD annually.", (125_000, 140_000, "USD", "year")),
    ("Our salary range for this role is between 60k - 90k CAD per annum", (60_000, 90_000, "CAD", "year")),
    ("Salary Range: $ $122,980.78 - $162,381.96 /year", (122_980.78, 162_381.96, "USD", "year")),
    ("Compensation: - Medium: 4 000 - 6 000 USD per month", (4000, 6000, "USD", "month")),
    ("Our compensation starts at 💵7000 USD", (7000, None, "USD", "month")),
    ("The salary for this position is capped at $145,000/year.", (None, 145_000, "USD", "year")),
    ("$140,000 - $170,000 a year", (140_000, 170_000, "USD", "year")),
    ("$15 - $30 an hour", (15, 30, "USD", "hour")),
    ("Package - €75–90k OTE, uncapped (yes, uncapped)", (75_000, 90_000, "EUR", "year")),
    # The estimated hourly rate comes first; the annualised figure and the commission target are not it.
    (
        "In this role, based in New York City, the estimated hourly rate is $33.65 - $38.70 per hour with a 30k "
        "annual commission target, annualized to salary range of $100,000 - $115,000 per year.",
        (33.65, 38.70, "USD", "hour"),
    ),
    # A base salary wins over OTE in the same text.
    (
        "Compensation for this position consists of $220,000+ salary + 10-12% commission. OTE is $350,000 - $400,000.",
        (220_000, None, "USD", "year"),
    ),
    # Several figures of one kind: the base salary, not the bonus, stipend or total.
    (
        "- Base Salary: $115,000\n- Bonus at Target Performance: 10% (~$11,500, with potential for upside.\n"
        "- Estimated Total Compensation at Target: $126,500+\n- Annual Benefits Stipend: $21,393",
        (115_000, 115_000, "USD", "year"),
    ),
    # Not salaries.
    ("We automate how over $200B in annualized spend flows in and out of 70,000+ companies.", None),
    ("Fueled by a recent $190m series C round.", None),
    ("We just raised a $50M Series B led by great investors.", None),
    ("Generous 401k plan with a 4% match.", None),
    ("5+ years of experience with Python; we are 120 employees.", None),
    ("Individual growth budget of €1,500 or 2% of your base salary (whichever is higher).", None),
    ("- Up to a $1500 added bonus", None),
    ("- Paid parental leave - €1000", None),
    ("- Competitive pay rate: $315 per blog post with opportunity for increased rates", None),
    ("The rate of pay is $20 per 100 words", None),
    ("Each sale is between $250 and $2,500.", None),
    ("Access to a $200K+ perk marketplace with discounts on 150+ global services.", None),
    ("Pricing is $50/month per seat.", None),
    ("We offer a $20,000 signing bonus.", None),
    ("Enterprise platforms charge $100+ per seat with 20-seat minimums.", None),
    ("Looking to earn up to 45K in their first year", None),  # no currency in a description
    ("We commit USD 1000 annually to help you level up your skills.", None),
    ("Competitive salary and equity.", None),
]


@pytest.mark.parametrize(("description", "expected"), DESCRIPTION_CASES)
def test_salary_in_description(description: str, expected: tuple | None) -> None:
    assert _summary(parse_salary(description=description)) == expected


# Structured values as feeds give them: (minimum, maximum, currency, period) -> expected.
STRUCTURED_CASES = [
    ((211400, 290600, "USD", "1 YEAR"), (211_400, 290_600, "USD", "year")),  # Ashby compensation component
    ((115000, 115000, "USD", "yearly"), (115_000, 115_000, "USD", "year")),  # Jobicy
    ((151000, None, "USD", "yearly"), (151_000, None, "USD", "year")),  # Jobicy, minimum only
    ((54800, 115000, "USD", "year"), (54_800, 115_000, "USD", "year")),  # Himalayas
    ((55200, 66000, "EUR", "year"), (55_200, 66_000, "EUR", "year")),
    (("5253", "6152", "EUR", "month"), (5253, 6152, "EUR", "month")),  # Recruitee amounts are strings
    ((110000, 160000, None, None), (110_000, 160_000, None, "year")),  # RemoteOK: no currency, no period
    ((25, 27, None, None), (25, 27, None, "hour")),  # RemoteOK: an hourly rate by its size
    ((114, 225, None, None), (114, 225, None, "hour")),
    ((4000, 6000, "usd", None), (4000, 6000, "USD", "month")),
    ((50000, 70000, "$", "per-year-salary"), (50_000, 70_000, "USD", "year")),  # Lever interval
    ((0, 0, None, None), None),  # RemoteOK's "no salary"
    ((0, 90000, "GBP", "year"), (None, 90_000, "GBP", "year")),
    ((90000, 1000, "USD", "year"), None),
]


@pytest.mark.parametrize(("values", "expected"), STRUCTURED_CASES)
def test_structured_salary(values: tuple, expected: tuple | None) -> None:
    minimum, maximum, currency, period = values
    salary = parse_salary(minimum=minimum, maximum=maximum, currency=currency, period=period)
    assert _summary(salary) == expected


def test_structured_values_come_before_text_and_borrow_its_currency() -> None:
    salary = parse_salary("€70-100k", minimum=60000, maximum=80000)
    assert _summary(salary) == (60_000, 80_000, "EUR", "year")


def test_salary_field_comes_before_description() -> None:
    salary = parse_salary("$60k–$72k", description="COMPENSATION STRUCTURE\n\n$5 o $6K USD per month")
    assert _summary(salary) == (60_000, 72_000, "USD", "year")


def test_description_is_read_when_nothing_else_states_a_salary() -> None:
    salary = parse_salary("Competitive", minimum=0, maximum=0, description="Salary: €40,000 - €60,000 per year")
    assert _summary(salary) == (40_000, 60_000, "EUR", "year")


def test_annual_figures_and_evidence() -> None:
    salary = parse_salary(description="We pay well. The pay range is $50 - $75 per hour, plus benefits.")
    assert salary == Salary(
        min=50,
        max=75,
        currency="USD",
        period="hour",
        annual_min=104_000,
        annual_max=156_000,
        evidence="pay range is $50 - $75 per hour",
    )


def test_evidence_is_short() -> None:
    salary = parse_salary("Salary " + "very " * 40 + "good: $100,000 - $120,000 per year")
    assert salary is not None
    assert len(salary.evidence) <= 120


def test_nothing_given() -> None:
    assert parse_salary() is None
    assert parse_salary(None, description="") is None


@pytest.mark.parametrize(
    ("raw", "period"),
    [("yearly", "year"), ("1 YEAR", "year"), ("per-month-salary", "month"), ("HOUR", "hour"), ("Weekly", "week"),
     ("daily", "day"), ("annual", "year"), ("bogus", None), (None, None)],
)  # fmt: skip
def test_normalise_period(raw: str | None, period: str | None) -> None:
    assert normalise_period(raw) == period


def test_annualise() -> None:
    assert annualise(50, "hour") == 104_000
    assert annualise(5000, "month") == 60_000
    assert annualise(100, None) is None


# The fast path. parse_salary runs once per posting, so it first looks for a digit, then for an amount with a currency,
# and examines only the figures that could be taken; these check that the shortcuts never change an answer.
FILLER = "We build tools for 120 teams in 14 countries and ship 3 releases a week, with 2 offsites a year. " * 5


@pytest.mark.parametrize(
    "description",
    [
        "We are a remote-first team. Competitive salary and equity.",
        FILLER,  # numbers, no currency
        "Compensation: 90,000 - 110,000 per year",  # a salary-like range, but no currency
        "Salary: $",  # a currency with no amount
        "Pay: USD, EUR or GBP",
        "$$$ €€ £",
        FILLER + "Salary: paid in USD or €, monthly.",
    ],
)
def test_description_without_an_amount_with_a_currency_has_no_salary(description: str) -> None:
    assert parse_salary(description=description) is None


def test_text_without_a_digit_never_runs_the_amount_grammar(monkeypatch: pytest.MonkeyPatch) -> None:
    class Refused:
        def match(self, *args: object) -> None:
            raise AssertionError("the amount grammar ran on a text without a digit")

    monkeypatch.setattr(salary_module, "_AMOUNT_AT", Refused())
    assert parse_salary(description="Base salary: competitive, paid in USD or € (see the FAQ).") is None
    assert parse_salary("Salary: competitive, in EUR, negotiable (no digits here)") is None


@pytest.mark.parametrize(("description", "expected"), DESCRIPTION_CASES)
def test_salary_in_a_long_description(description: str, expected: tuple | None) -> None:
    """The same answer with the excerpt inside a long description, other figures before and after it."""
    assert _summary(parse_salary(description=f"{FILLER}\n\n{description}\n\n{FILLER}")) == expected


@pytest.mark.parametrize(
    ("description", "expected"),
    [
        # A base salary after an OTE one in the same text, and an OTE figure alone after a bonus.
        (
            "OTE $150,000 - $180,000 with uncapped commission for the right hire.\n\nThe base salary is $90,000 - "
            "$110,000.",
            (90_000, 110_000, "USD", "year"),
        ),
        # Within 60 characters of an OTE cue both figures read as OTE, and the first stated wins.
        ("OTE $150,000 - $180,000. Base salary $90,000 - $110,000.", (150_000, 180_000, "USD", "year")),
        ("Bonus: $5,000. OTE is $120,000 - $140,000 per year.", (120_000, 140_000, "USD", "year")),
        # IGNORECASE reads "ſ" as "s" and "İ" as "i": cues are still found beside them (the slower path).
        ("Baſe ſalary: $100,000", (100_000, 100_000, "USD", "year")),
        ("İstanbul office. Salary: €50,000", (50_000, 50_000, "EUR", "year")),
        ("The ſtipend is $1,000 a month", None),
    ],
)
def test_salary_choice_in_description(description: str, expected: tuple | None) -> None:
    assert _summary(parse_salary(description=description)) == expected


SCAN_TEXTS = [
    *(text for text, _ in FIELD_CASES),
    *(text for text, _ in DESCRIPTION_CASES),
    "H1B visa, 401k, x86, v2.3, B2B, USD100, 1.5.2024 and then $1,500.50 or CA$102K",
    "  45 000 - 55 000 EUR,  ₹12-15 LPA, zł 9 000, 12,5k€ and 3 4 5 6 7 8",
    "Up to 90K GBP; from €70k; max. $120/hour; 150-250k+; at least 60.000 CHF p.a.",
    "İ ı ſ K: ſalary $5,000; Bonus: €1,000; BASE pay USD 7-8k/month; parental leave £300",
]


def test_amounts_are_the_ones_a_full_scan_finds() -> None:
    for text in SCAN_TEXTS:
        found = [(m.start("amount"), m.end()) for m in salary_module._amounts(text)]
        assert found == [(m.start(), m.end()) for m in salary_module._AMOUNT_RE.finditer(text)], text


def test_cue_lookup_agrees_with_a_scan_with_ignorecase() -> None:
    checked = 0
    for text in [*SCAN_TEXTS, FILLER]:
        for start in range(len(text) + 1):
            before = text[max(0, start - 80) : start]
            offset = max(0, start - 80)
            pay = max((offset + m.start() for m in salary_module._PAY_CUE.finditer(before)), default=-1)
            negative = max(
                (
                    offset + m.start()
                    for m in salary_module._NEGATIVE_CUE.finditer(before)
                    if m.start() >= len(before) - 45
                ),
                default=-1,
            )
            got_pay, got_negative = salary_module._cues(text, start)
            assert (got_negative > got_pay) == (negative > pay), (text, start)
            if negative <= pay:
                assert got_pay == pay, (text, start)
            checked += pay >= 0 or negative >= 0
    assert checked > 500


def _summary(salary: Salary | None) -> tuple | None:
    return None if salary is None else (salary.min, salary.max, salary.currency, salary.period)


@pytest.mark.parametrize("text", ["0k – 5", "$0 - $5k", "€5 - 0k", "USD 0k-0", "0-0k"])
def test_a_zero_end_with_a_suffix_on_one_end_never_crashes(text: str) -> None:
    # Carrying a "k" from one end to the other compares the ends by ratio: a zero end used to divide by zero.
    for salary in (parse_salary(text), parse_salary(description=f"Salary: {text}")):
        assert salary is None or all(end is None or end > 0 for end in (salary.min, salary.max))
