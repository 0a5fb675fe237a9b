"""Totals for any span (`tally total`), read back against the figures they come from."""

from __future__ import annotations

import pytest

from helpers.build import load_claims
from helpers.cli import main
from helpers.reconcile.totals import Totals, by_year, parse_span, total


@pytest.fixture(scope="module")
def claims(built):
    return load_claims(built)


def _figure(claims, start, end, metric, country="all", kind="centcom_release"):
    rows = claims[(claims["period_start"] == start) & (claims["period_end"] == end) & (claims["metric"] == metric)
                  & (claims["country"] == country) & (claims["kind"] == kind) & (claims["qualifier"] == "exact")]
    assert rows["value"].nunique() == 1
    return int(rows["value"].iloc[0])


def test_bounds_alone_are_the_totals_bounds(claims):
    """``Totals.bounds`` (all the figures added at once, for charts) gives ``total``'s low and high for every
    running total of every year, metric and country: the same fixpoint, whatever the order."""
    totals = Totals(claims)
    years = range(claims["period_start"].min().year, claims["period_end"].max().year + 1)
    bounded = 0
    for year in years:
        for month in range(1, 13):
            span = f"{year}-01..{year}-{month:02d}"
            for metric in ("operations", "partnered_operations", "killed", "detained"):
                for country in ("all", "iraq", "syria"):
                    t = totals.total(span, metric, country)
                    expected = None if t.basis == "unknown" else (t.low, t.high)
                    assert totals.bounds(span, metric, country) == expected, (span, metric, country)
                    bounded += t.basis == "bounded"
    assert bounded > 50  # the check covers spans known only within limits, not just exact ones


def test_parse_span():
    assert parse_span("2024") == (2024 * 12, 2024 * 12 + 11)
    assert parse_span("2023-Q1") == (2023 * 12, 2023 * 12 + 2)
    assert parse_span("2024-H2") == (2024 * 12 + 6, 2024 * 12 + 11)
    assert parse_span("2025-07..2025-12") == (2025 * 12 + 6, 2025 * 12 + 11)
    assert parse_span("2023-03") == (2023 * 12 + 2,) * 2


def test_a_stated_half_year(claims):
    half = _figure(claims, "2024-01-01", "2024-06-30", "operations")
    t = total(claims, "2024-01..2024-06", "operations")
    assert (t.value, t.basis) == (half, "stated")
    assert f"{half} operations" in t.sentence and "CENTCOM's release of 17 July 2024" in t.sentence


def test_a_quarter_derived_by_subtraction(claims):
    half = _figure(claims, "2024-01-01", "2024-06-30", "operations")
    q1 = _figure(claims, "2024-01-01", "2024-03-31", "operations")
    t = total(claims, "2024-Q2", "operations")
    assert (t.value, t.basis) == (half - q1, "derived")
    assert f"by subtraction: {half} for January to June 2024 less {q1} for January to March 2024" in t.sentence
    assert {c.source_id for c in t.claims} >= {"centcom-2024-07-17", "centcom-2024-04-05"}


def test_a_qualified_figure_for_the_span_is_not_its_total(claims):
    # Stars and Stripes' "at least 34" for the first quarter of 2023; the months add up to more
    months = [_figure(claims, s, e, "operations", kind=k) for s, e, k in
              [("2023-01-01", "2023-01-31", "centcom_release"), ("2023-02-01", "2023-02-28", "news"),
               ("2023-03-01", "2023-03-31", "news")]]
    t = total(claims, "2023-Q1", "operations")
    assert (t.value, t.basis) == (sum(months), "derived")
    assert "Stars and Stripes" not in t.sentence


def test_a_year_known_only_from_below(claims):
    half = _figure(claims, "2024-01-01", "2024-06-30", "operations")
    t = total(claims, "2024", "operations")
    assert t.basis == "bounded" and t.high is None and t.low > half
    assert f"at least {t.low}" in t.sentence and f"{half} for January to June 2024" in t.sentence


def test_a_span_with_no_figure(claims):
    t = total(claims, "2026", "detained", "iraq")
    assert (t.basis, t.low, t.high, t.claims) == ("unknown", 0, None, [])


def test_year_table_covers_every_year(claims):
    table = by_year(claims, "operations")
    assert list(table["year"]) == list(range(2022, int(claims["period_end"].max().year) + 1))
    y2022 = table.set_index("year").loc[2022]
    assert (y2022["value"], y2022["basis"]) == (total(claims, "2022", "operations").value, "reported")


def test_cli_total(built, capsys):
    half = _figure(load_claims(built), "2024-01-01", "2024-06-30", "operations")
    assert main(["total", "2024-01..2024-06", "operations", "--root", str(built.root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"2024-01..2024-06 operations, Iraq and Syria: {half} (stated)"
    assert any("centcom-2024-07-17" in line for line in out[2:])


@pytest.mark.parametrize("args, message", [
    (["2024-13", "operations"], "malformed span '2024-13'"),
    (["2024", "kills"], "unknown metric 'kills'"),
    (["2024", "operations", "--country", "iran"], "unknown country 'iran'"),
    (["2025..2024", "operations"], "empty span '2025..2024'"),
])
def test_cli_total_bad_input(built, capsys, args, message):
    assert main(["total", *args, "--root", str(built.root)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("tally total: ") and message in err[0]
