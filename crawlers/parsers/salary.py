"""Salary figures on one scale, for filtering and comparing."""

from __future__ import annotations

# Working time a year in each period: 52 weeks, 260 working days, 2,080 working hours.
_PER_YEAR = {"year": 1, "month": 12, "week": 52, "day": 260, "hour": 2080}


def annualise(amount: float | None, period: str | None) -> float | None:
    """The yearly equivalent of an amount stated per ``period``; None when either is unknown."""
    if amount is None or period not in _PER_YEAR:
        return None
    return round(amount * _PER_YEAR[period], 2)
