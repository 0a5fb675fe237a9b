"""The exploration tables, checked on the curated data."""

from __future__ import annotations

import pandas as pd

from helpers import explore
from helpers.build import load_claims


def test_figures_by_source_counts_each_sources_figures(repo):
    claims = load_claims(repo)
    table = explore.figures_by_source(claims)
    assert table["figures"].sum() == len(claims)
    july = table.loc["centcom-2023-08-09"]
    assert (july["publisher"], july["figures"], july["core_figures"]) == ("U.S. Central Command", 11, 11)


def test_month_coverage_counts_sources_per_month(repo):
    cov = explore.month_coverage(load_claims(repo))
    assert cov.loc["2023-07", "centcom_release"] == 1
    assert cov.loc["2023-02", "centcom_release"] == 0  # February 2023 is known only through the news
    assert cov.loc["2023-06", "news"] == 7


def test_centcom_cadence_moves_from_months_to_longer_spans(repo):
    cadence = explore.centcom_cadence(load_claims(repo))
    kinds = list(cadence["period_kind"])
    reviews = cadence[cadence["published"].dt.year == 2023]  # the Month in Review releases
    assert len(reviews) == 3 and set(reviews["period_kind"]) == {"month"}
    assert kinds[0] == "span" and cadence["days"].iloc[0] == 3  # a release on three raids over 48 hours
    assert "quarter" in kinds and "half" in kinds
    assert set(cadence.loc[cadence["published"] >= pd.Timestamp("2025-01-01"), "countries"]) <= {"syria", "all"}


def test_operations_per_day_puts_spans_on_one_scale(repo):
    table = explore.operations_per_day(load_claims(repo))
    q1 = table[(table["period_kind"] == "quarter") & (table["country"] == "all")].iloc[0]
    assert (q1["source_id"], q1["value"], q1["period_days"], q1["per_day"]) == ("centcom-2024-04-05", 94, 91, 1.03)
    sixty = table[table["period_wording"] == "in last 60 days"].iloc[0]
    assert (sixty["period_days"], sixty["per_day"]) == (60, round(95 / 60, 2))
    assert "livemint-2024-08-12" not in set(table["source_id"])  # the SDF's count is not CENTCOM's


def test_rates_only_where_operations_are_known():
    monthly = pd.DataFrame({
        "month": ["2023-07"] * 3 + ["2023-08"] * 3,
        "country": ["all"] * 6,
        "metric": ["operations", "killed", "detained"] * 2,
        "value": [31, 5, 30, None, 7, 25],
    })
    rates = explore.rates(monthly)
    assert rates.to_dict("records") == [
        {"month": "2023-07", "country": "all", "killed_per_operation": 0.16, "detained_per_operation": 0.97}]


def test_discrepancy_counts_cover_every_kind(built):
    from helpers import reconcile

    disc = reconcile.discrepancies(built)
    counts = explore.discrepancy_counts(disc)
    assert list(counts["kind"]) == list(explore.DISCREPANCY_KINDS)
    assert counts["found"].sum() == len(disc)
    found = counts.set_index("kind")["found"]
    assert (found.drop("running_count") > 0).all()  # every kind occurs in the real data...
    assert found["running_count"] == 0  # ...but a running count that falls (test_curation makes one)


def test_month_sum_lays_out_the_january_to_july_2023_operations(built):
    from helpers import reconcile

    monthly = reconcile.monthly(built)
    table = explore.month_sum(monthly, "2023-01", "2023-07", "all", "operations")
    assert list(table["month"]) == [f"2023-0{m}" for m in range(1, 8)] + ["total"]
    months = pd.to_numeric(table["value"].iloc[:-1])
    assert table["value"].iloc[-1] == months.sum()
    assert months.iloc[0] == 43 and months.iloc[6] == 31  # CENTCOM's January and July releases
