"""Months and periods: YYYY-MM text, month indexes, a month's first and last day, checking a month
against the data's range. No English here: month names are in ``words``."""

from __future__ import annotations

import calendar
import csv
import re
from datetime import date

from .config import Paths
from .errors import MonthError, TallyError

MONTH = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def check_month(month: object, first: str, last: str) -> str:
    """``month`` if it is YYYY-MM text within first..last; otherwise a one-line MonthError naming the range.

    Months are text: a number such as 202307 is refused, never coerced."""
    available = f"months available: {first} to {last}"
    if not isinstance(month, str) or not MONTH.fullmatch(month):
        raise MonthError(f"malformed month {month!r}: expected YYYY-MM; {available}")
    if not first <= month <= last:
        raise MonthError(f"no data for {month}; {available}")
    return month


def month_index(month: str | date) -> int:
    """Months since year 0 of a YYYY-MM text or a date, so that consecutive months have consecutive indexes."""
    if isinstance(month, str):
        return int(month[:4]) * 12 + int(month[5:7]) - 1
    return month.year * 12 + month.month - 1


def month_at(index: int) -> str:
    """The YYYY-MM of a month index."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_start(index: int) -> date:
    """The first day of a month index."""
    return date(index // 12, index % 12 + 1, 1)


def month_end(index: int) -> date:
    """The last day of a month index."""
    y, m = index // 12, index % 12 + 1
    return date(y, m, calendar.monthrange(y, m)[1])


def aligned(start: date, end: date) -> bool:
    """Does the period start on the first and end on the last day of a month? (dates or pandas Timestamps)"""
    return start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]


def shift(month: str, months: int) -> str:
    """The month ``months`` after (or, negative, before) ``month``."""
    return month_at(month_index(month) + months)


def months_between(first: str, last: str) -> list[str]:
    """Every month from ``first`` to ``last``, inclusive."""
    return [month_at(i) for i in range(month_index(first), month_index(last) + 1)]


def month_range(paths: Paths | None = None) -> tuple[str, str]:
    """The first and last month of the monthly series (``monthly.csv``), as YYYY-MM.

    Read without pandas, so that ``tally report`` checks the month asked for before anything
    heavy is loaded."""
    paths = paths or Paths.at()
    if not paths.monthly_csv.exists():
        raise TallyError(f"{paths.rel(paths.monthly_csv)} not found: run `tally build` first")
    with open(paths.monthly_csv, newline="", encoding="utf-8") as f:
        months = [row["month"] for row in csv.DictReader(f)]
    if not months:
        raise TallyError(f"{paths.rel(paths.monthly_csv)} has no months: run `tally build` first")
    return min(months), max(months)


def month_bounds(month: str):
    """First and last day of a YYYY-MM month, as pandas Timestamps."""
    import pandas as pd  # here: the rest of this module is read before anything heavy is loaded

    start = pd.Timestamp(f"{month}-01")
    return start, start + pd.offsets.MonthEnd(0)
