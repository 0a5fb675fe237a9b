"""The project's vocabulary: countries, metrics, qualifiers and kinds, and what a qualifier bounds."""

from __future__ import annotations

import calendar
import math
from datetime import date

COUNTRIES = ("all", "iraq", "syria")

# The five metrics of the monthly series.
CORE_METRICS = ("operations", "partnered_operations", "us_only_operations", "killed", "detained")

METRICS = {
    "operations": "D-ISIS operations as a headline total, as printed (a source may count partnered "
    "operations only, or partnered plus U.S.-only)",
    "partnered_operations": "operations conducted with partners (partnered, joint, alongside, in "
    "cooperation with partners)",
    "us_only_operations": "operations by U.S. forces alone (U.S.-only, unilateral)",
    "killed": "ISIS operatives killed",
    "detained": "ISIS operatives detained, captured, apprehended or arrested",
    "leaders_killed": "ISIS senior or mid-level leaders killed",
    "leaders_captured": "ISIS senior or mid-level leaders captured or detained",
    "leaders_killed_or_captured": "ISIS leaders killed or captured, not split",
    "killed_or_detained": "ISIS operatives killed or detained, not split",
    "isis_claimed_attacks": "attacks claimed by ISIS",
    "us_strikes": "U.S. air strikes",
    "strike_targets": "targets struck",
    "precision_munitions": "precision munitions used",
    "weapons_caches_destroyed": "ISIS weapons caches destroyed",
    "detainees_transferred": "ISIS detainees transferred (e.g. from Syria to Iraqi custody)",
    "isis_fighters_at_large": "estimated ISIS fighters at large (a point-in-time estimate)",
    "isis_detainees_in_facilities": "ISIS detainees held in detention facilities (point in time)",
    "al_hol_al_roj_population": "people in the al-Hol and al-Roj camps (point in time)",
    "isis_inspired_plots_in_us": "ISIS-inspired plots or attacks against targets in the United States",
    "us_personnel_injured": "U.S. personnel injured",
    "mortars_rockets_destroyed": "mortars and rockets of ISIS destroyed",
    "detainees_linked_to_detention_attack_plots": "detained ISIS members found to be involved in plots to attack "
    "detention facilities",
    "detainees_transferred_iraqi_nationals": "of the ISIS detainees transferred, those of Iraqi nationality",
    "detainees_transferred_syrian_nationals": "of the ISIS detainees transferred, those of Syrian nationality",
    "iraqi_citizens_repatriated": "Iraqi citizens repatriated from Syria (mostly from the al-Hol camp)",
    "iraqi_families_repatriated": "Iraqi families repatriated from Syria (mostly from the al-Hol camp)",
    "al_hol_children": "children in the al-Hol camp (point in time)",
    "iraqi_al_hol_residents": "Iraqi residents of the al-Hol camp (point in time)",
    "iraq_al_hol_population_returned_pct": "share of Iraq's al-Hol population returned home, in per cent (point in "
    "time)",
}

# Counts of a state at one moment (a camp's population, detainees held): a series of their own,
# never added up over time.
STOCK_METRICS = ("isis_fighters_at_large", "isis_detainees_in_facilities", "al_hol_al_roj_population",
                 "al_hol_children", "iraqi_al_hol_residents", "iraq_al_hol_population_returned_pct")
# Counts that run over time from a start: two counts from the same start never fall.
RUNNING_METRICS = ("detainees_transferred", "detainees_transferred_iraqi_nationals",
                   "detainees_transferred_syrian_nationals", "iraqi_citizens_repatriated",
                   "iraqi_families_repatriated")

QUALIFIERS = ("exact", "at_least", "more_than", "nearly", "about", "up_to")

SOURCE_KINDS = ("centcom_release", "centcom_statement", "news", "lig", "other")

# CENTCOM's own documents: their figures outrank outlets'.
CENTCOM_KINDS = ("centcom_release", "centcom_statement")

# How a month of the series is known (monthly.csv's basis), and the series' headline metrics.
BASES = ("stated", "reported", "derived", "bounded", "unknown")
HEADLINE = ("operations", "killed", "detained")

# The kinds of disagreement the reconciliation finds (discrepancies.csv), in a few words each.
DISCREPANCY_KINDS = {
    "headline_vs_breakdown": "a source's headline total is not the sum of its own country figures",
    "country_sum": "Iraq plus Syria is not the all-country figure, for one source and period",
    "cross_source": "two sources give different values for the same period, country and metric",
    "period_sum": "a multi-month or year-to-date figure differs from the sum of the months",
    "period_wording": "the source's words say one span and the dates of the same figures elsewhere another",
    "revision": "the same publisher, or CENTCOM through different outlets, later gives another value",
    "bounds": "a qualified figure ('more than', 'nearly') cannot hold together with another figure",
    "same_source": "one source gives two different figures for the same period, country and metric",
    "running_count": "a count that runs over time falls, or two counts of it for the same day cannot both hold",
}

# Whose figure a row is, whatever the document that printed it.
ATTRIBUTIONS = ("centcom", "outlet", "lig", "other")

ENTRIES = ("hand", "parsed")

# What a figure counts, where a curator marks it (data/raw/amendments.csv).
SCOPES = ("tally", "event", "mixed_groups")

# What the number on one side of a disagreement is (discrepancies.csv, side_a and side_b).
SIDES = ("figure", "figures", "sum_of_countries", "sum_of_months", "breakdown", "series_sum", "series_limits")

PERIOD_KINDS = ("instant", "month", "quarter", "half", "year", "span", "unknown")

# The largest value a figure may have: far above any count the sources give (the al-Hol camp's
# 70,000 people), far below what a 64-bit column holds. check, parse and ingest all refuse more.
MAX_VALUE = 10_000_000


def whole_number(digits: str) -> int:
    """The value of a run of ASCII digits; ValueTooLarge over MAX_VALUE (checked on the length
    first, so a number of thousands of digits is refused, not converted)."""
    from .errors import ValueTooLarge

    if not digits.isascii() or not digits.isdigit():
        raise ValueError(f"not a whole number: {digits[:20]!r}")
    core = digits.lstrip("0")
    if len(core) > len(str(MAX_VALUE)) or int(core or "0") > MAX_VALUE:
        shown = core if len(core) <= 20 else f"a number of {len(core):,} digits"
        raise ValueTooLarge(f"{shown} is over the largest value allowed, {MAX_VALUE:,}")
    return int(core or "0")


# Dates a figure, source or event may have: from the campaign's start to the end of next year.
FIRST_DATE = date(2014, 1, 1)


def last_date() -> date:
    """The latest plausible date: the end of next year."""
    return date(date.today().year + 1, 12, 31)


# "nearly N" and "about N": a band of 10 per cent of N, documented in data/README.md.
BAND = 0.10


def bounds(value: int, qualifier: str) -> tuple[int, int | None]:
    """The (low, high) a qualified figure allows; high is None where there is no upper limit.

    exact N: N..N; at_least N: N..; more_than N: N+1..; nearly N: floor(0.9N)..N-1;
    about N: floor(0.9N)..ceil(1.1N); up_to N: 0..N.
    """
    v = int(value)
    if qualifier == "exact":
        return v, v
    if qualifier == "at_least":
        return v, None
    if qualifier == "more_than":
        return v + 1, None
    if qualifier == "nearly":
        return min(math.floor(v * (1 - BAND)), max(v - 1, 0)), max(v - 1, 0)
    if qualifier == "about":
        return math.floor(v * (1 - BAND)), math.ceil(v * (1 + BAND))
    if qualifier == "up_to":
        return 0, v
    raise ValueError(f"unknown qualifier {qualifier!r}")


def period_kind(start: date | None, end: date | None) -> str:
    """instant, month, quarter, half, year, span (any other range) or unknown."""
    if start is None or end is None:
        return "unknown"
    if start == end:
        return "instant"
    if start.day != 1 or end.day != calendar.monthrange(end.year, end.month)[1] or start.year != end.year:
        return "span"
    months = end.month - start.month + 1
    if months == 1:
        return "month"
    if months == 3 and start.month in (1, 4, 7, 10):
        return "quarter"
    if months == 6 and start.month in (1, 7):
        return "half"
    if months == 12:
        return "year"
    return "span"


def period_days(start: date | None, end: date | None) -> int | None:
    """Inclusive length of a period in days."""
    if start is None or end is None:
        return None
    return (end - start).days + 1
