"""Properties of the monthly series, on claims drawn from a hidden true series (hypothesis)."""

from __future__ import annotations

import calendar
import math
from datetime import date

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.reconcile import reconcile
from helpers.vocab import bounds
from reconcile_fixtures import Claims

METRICS = ("operations", "partnered_operations", "us_only_operations", "killed")
QUALIFIERS = ("exact", "at_least", "more_than", "nearly", "about", "up_to")
OUTLETS = ("kurdistan24", "rudaw", "antiwar", "pledgetimes", "taskandpurpose")
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def truths(draw):
    """A true series for 2 to 6 months of 2023: partnered, U.S.-only and killed per country; one reading."""
    n = draw(st.integers(2, 6))
    plus = draw(st.booleans())  # the headline counts U.S.-only operations too
    truth = {}
    for m in range(1, n + 1):
        for c in ("iraq", "syria"):
            p, u = draw(st.integers(0, 40)), draw(st.integers(0, 3))
            truth[(m, c, "partnered_operations")], truth[(m, c, "us_only_operations")] = p, u
            truth[(m, c, "operations")] = p + (u if plus else 0)
            truth[(m, c, "killed")] = draw(st.integers(0, 20))
        for metric in METRICS:
            truth[(m, "all", metric)] = truth[(m, "iraq", metric)] + truth[(m, "syria", metric)]
    return n, truth


def last_day(m: int) -> int:
    return calendar.monthrange(2023, m)[1]


@st.composite
def true_claim(draw, n: int, truth: dict, publishers=("centcom",) + OUTLETS):
    """A figure that holds for the true series: exact, qualified, or over days that are not whole months."""
    first = draw(st.integers(1, n))
    last = draw(st.integers(first, min(n, first + 3)))
    country, metric = draw(st.sampled_from(("all", "iraq", "syria"))), draw(st.sampled_from(METRICS))
    total = sum(truth[(m, country, metric)] for m in range(first, last + 1))
    start, end, value = date(2023, first, 1), date(2023, last, last_day(last)), total
    if draw(st.booleans()) and last > first:  # a span cut inside its first and last months
        start = date(2023, first, draw(st.integers(2, 28)))
        end = date(2023, last, draw(st.integers(1, last_day(last) - 1)))
        inner = sum(truth[(m, country, metric)] for m in range(first + 1, last))
        value = draw(st.integers(inner, total))
    qualifier = draw(st.sampled_from(QUALIFIERS))
    shown = max(0, value + draw(st.integers(-3, 3)))
    low, high = bounds(shown, qualifier)
    if not (low <= value and (high is None or value <= high)):
        qualifier, shown = "exact", value
    publisher = draw(st.sampled_from(publishers))
    source = f"{publisher}-2023-{min(n + 1, 12):02d}-{draw(st.integers(1, 28)):02d}"
    attributed = "outlet" if publisher != "centcom" and draw(st.booleans()) else "centcom"
    return source, (start, end), country, metric, shown, qualifier, attributed


def frame(specs):
    c = Claims()
    for source, period, country, metric, value, qualifier, attributed in specs:
        c.add(source, period, country, metric, value, qualifier=qualifier, attributed=attributed)
    return c.frame()


@st.composite
def worlds(draw, least: int = 1):
    n, truth = draw(truths())
    specs = draw(st.lists(true_claim(n, truth), min_size=least, max_size=14))
    return n, truth, specs


def cells(monthly):
    """(month, country, metric) -> (low, high, value), high infinite when there is no upper limit."""
    out = {}
    for r in monthly.itertuples():
        high = math.inf if pd.isna(r.high) else int(r.high)
        value = None if pd.isna(r.value) else int(r.value)
        out[(r.month, r.country, r.metric)] = (int(r.low), high, value)
    return out


@SETTINGS
@given(worlds())
def test_bounds_are_ordered_and_hold_the_truth(world):
    n, truth, specs = world
    for (month, country, metric), (low, high, value) in cells(reconcile(frame(specs)).monthly).items():
        assert 0 <= low <= high
        if value is not None:
            assert low == value == high
        m = int(month[5:])
        if metric in METRICS and m <= n:
            assert low <= truth[(m, country, metric)] <= high, (month, country, metric)


@SETTINGS
@given(worlds(least=2), st.data())
def test_bounds_only_narrow_as_figures_are_added(world, data):
    n, truth, specs = world
    k = data.draw(st.integers(1, len(specs) - 1))
    fewer, more = cells(reconcile(frame(specs[:k])).monthly), cells(reconcile(frame(specs)).monthly)
    for key, (low, high, _) in fewer.items():
        if key in more:
            assert more[key][0] >= low and more[key][1] <= high, key


@st.composite
def noise(draw, n: int):
    """An outlet's figure that may be anything at all."""
    first = draw(st.integers(1, n))
    last = draw(st.integers(first, n))
    return (f"{draw(st.sampled_from(OUTLETS))}-2023-{min(n + 1, 12):02d}-{draw(st.integers(1, 28)):02d}",
            (date(2023, first, 1), date(2023, last, last_day(last))), draw(st.sampled_from(("all", "iraq", "syria"))),
            draw(st.sampled_from(METRICS)), draw(st.integers(0, 90)), draw(st.sampled_from(QUALIFIERS)),
            draw(st.sampled_from(("centcom", "outlet"))))


@SETTINGS
@given(truths(), st.data())
def test_the_series_never_contradicts_a_stated_centcom_figure(world, data):
    n, truth = world
    centcom = data.draw(st.lists(true_claim(n, truth, publishers=("centcom",)), min_size=1, max_size=10))
    outlets = data.draw(st.lists(noise(n), max_size=12))
    got = cells(reconcile(frame(outlets + centcom)).monthly)
    for source, (start, end), country, metric, value, qualifier, _ in centcom:
        if qualifier == "exact" and start.day == 1 and start.month == end.month and end.day == last_day(end.month):
            low, high, shown = got[(f"2023-{start.month:02d}", country, metric)]
            assert shown == value == truth[(start.month, country, metric)]
