"""Cases the reconciliation finds in the curated data, asserted by value (the data is built in a scratch copy)."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers import reconcile as api
from helpers.build import load_claims
from helpers.reconcile import reconcile
from helpers.reconcile._groups import aliases, make_groups, supersede_aliases, to_claims
from helpers.reconcile._network import Series
from reconcile_fixtures import cell, one, rows


@pytest.fixture(scope="module")
def disc(built):
    return api.discrepancies(built)


@pytest.fixture(scope="module")
def monthly(built):
    return api.monthly(built)


@pytest.fixture(scope="module")
def periods(built):
    return api.periods(built)


@pytest.fixture(scope="module")
def claims(built):
    return load_claims(built)


def at(df, start, end, **where):
    return rows(df[(df["period_start"] == start) & (df["period_end"] == end)], **where)


def test_every_kind_of_disagreement_occurs(disc):
    counts = disc["kind"].value_counts().to_dict()
    assert set(counts) == {"headline_vs_breakdown", "country_sum", "cross_source", "period_sum", "period_wording",
                           "revision", "bounds", "same_source"}  # no running count falls in the real data


def test_task_and_purpose_reads_the_june_2023_total_as_iraq(disc):
    iraq = one(at(disc, "2023-06-01", "2023-06-30"), country="iraq", metric="operations")
    assert (iraq.kind, iraq.value_a, iraq.value_b, iraq.source_b, iraq.difference) == (
        "cross_source", 30, 37, "taskandpurpose-2023-08-09", 7)
    assert "Task & Purpose's 37 is the all-country total that the others give" in iraq.explanation
    total = one(at(disc, "2023-06-01", "2023-06-30"), country="all", metric="operations")
    assert (total.kind, total.value_a, total.value_b, total.difference) == ("cross_source", 37, 44, 7)
    assert "its own Iraq figure (37) plus its own Syria figure (7)" in total.explanation


def test_task_and_purpose_279_and_308_for_2023(disc, periods):
    jan_jul = one(at(disc, "2023-01-01", "2023-07-31"), kind="period_sum", metric="operations")
    assert (jan_jul.value_a, jan_jul.side_a, jan_jul.value_b, jan_jul.difference) == (269, "series_sum", 279, 10)
    assert ("U.S.-only operations are counted in the monthly totals (2 in February 2023 and 1 in April 2023) and "
            "June 2023 is read as 44, as Task & Purpose and Thin Line News give it, instead of 37"
            ) in jan_jul.explanation
    jan_aug = one(at(disc, "2023-01-01", "2023-08-31"), kind="period_sum", metric="operations")
    assert (jan_aug.value_b, jan_aug.difference) == (308, 3)
    assert "under the partnered plus U.S.-only reading" in jan_aug.explanation
    jan_oct = one(at(disc, "2023-01-01", "2023-10-31"), kind="period_sum", metric="operations")
    assert (jan_oct.value_b, jan_oct.source_b, jan_oct.difference) == (387, "dailymail-2023-12-07", 3)
    row = one(at(periods, "2023-01-01", "2023-07-31"), metric="operations")
    assert (row.series_sum, row.status, row.difference) == (269, "disagrees", 10)


def test_september_and_october_2023_detained_do_not_add_up_to_78(disc, monthly):
    row = one(at(disc, "2023-09-01", "2023-10-31"), kind="cross_source", metric="detained", country="all")
    assert (row.value_a, row.value_b, row.parts_b, row.difference) == (78, 38, (19, 19), -40)
    assert row.source_b == "earthpressnews-2023-11-01;socialbites-2023-11-01"
    sep, octo = cell(monthly, "2023-09", "all", "detained"), cell(monthly, "2023-10", "all", "detained")
    assert (sep.basis, sep.low, sep.high) == ("bounded", 0, 51)  # 516 for January to November leaves at most 51
    assert (octo.basis, octo.low, octo.high) == ("bounded", 27, 78)  # Kurdistan24's 27 for 7-29 October


ts = pd.Timestamp


def test_past_60_days_against_since_august_29(disc):
    found = at(disc, "2024-08-29", "2024-11-04", kind="period_wording", country="all")
    assert set(found["metric"]) == {"operations", "killed", "detained", "leaders_killed_or_captured"}
    for metric, value in (("operations", 95), ("killed", 163), ("detained", 33)):
        row = one(found, metric=metric)
        assert (row.value_a, row.period_start, row.period_end) == (value, ts("2024-08-29"), ts("2024-11-04"))
        assert (row.value_b, row.period_start_b, row.period_end_b) == (value, ts("2024-09-06"), ts("2024-11-04"))
        assert row.difference == -8 and "'in the past 60 days'" in row.explanation
        assert "ny1-2024-11-05" in row.source_b.split(";")


def test_more_than_95_against_exactly_95(disc):
    row = one(at(disc, "2024-08-29", "2024-11-04"), kind="bounds", metric="operations")
    assert (row.value_a, row.value_b, row.qualifier_b, row.difference) == (95, 95, "more_than", 1)
    assert row.source_b == "ariseright-2024-11-05;ru24-2024-11-05"


def test_january_2023_syria_operations_agree_with_the_release(disc, monthly, claims):
    """GFATF's and Eye of Euphrates' Syria 10 is what CENTCOM's release implies: 43 in all minus Iraq's 33
    (no U.S.-only operations)."""
    assert at(disc, "2023-01-01", "2023-01-31").empty
    reported = cell(monthly, "2023-01", "syria", "operations")
    assert (reported.value, reported.basis) == (10, "reported")
    gfatf = claims[claims["source_id"].isin(["gfatf-2023-02-03", "eyeofeuphrates-2023-02-16"])
                   & (claims["country"] == "syria") & (claims["metric"] == "operations")]
    without = reconcile(claims.drop(index=gfatf.index))
    syria = cell(without.monthly, "2023-01", "syria", "operations")
    assert (syria.value, syria.basis) == (10, "derived")
    assert "centcom-2023-02-02" in syria.source_ids.split(";")


def test_2022_partnered_plus_unilateral_reading_holds(claims, disc):
    rec = reconcile(claims)
    coffee = one(rec.readings, source_id="coffeeordie-2022-12-30")
    assert (coffee.headline, coffee.partnered, coffee.us_only) == (313, 299, 14)
    assert coffee.reading == "partnered_plus_us_only"
    assert set(rows(rec.readings, period_start="2022-01-01")["reading"]) == {"partnered_plus_us_only"}
    row = one(at(disc, "2022-01-01", "2022-12-31"), kind="country_sum", metric="operations")
    assert (row.value_a, row.value_b, row.parts_b, row.difference) == (313, 299, (191, 108), -14)
    assert row.source_a == "cheriworld-2022-12-29;njtoday-2022-12-29"
    assert "equals the U.S.-only operations" in row.explanation


def test_first_half_2024_minus_first_quarter_gives_the_second_quarter(periods):
    q2 = at(periods, "2024-04-01", "2024-06-30", span_kind="derived")
    got = {(r.country, r.metric): r.claimed for r in q2.itertuples()}
    assert got[("all", "operations")] == 102
    assert got[("iraq", "operations")] == 71
    assert got[("syria", "operations")] == 31
    assert (got[("all", "killed")], got[("all", "detained")]) == (26, 103)


def test_march_2023_killed_reported_and_derived_from_the_january_to_july_total(monthly, claims):
    march = cell(monthly, "2023-03", "all", "killed")
    assert (march.value, march.basis, march.source_ids) == (9, "reported", "eurasiareview-2023-04-05")
    # without the one source that gives March, the January to July total still derives the same 9
    eurasia = claims[claims["source_id"] == "eurasiareview-2023-04-05"]
    march = cell(reconcile(claims.drop(index=eurasia.index)).monthly, "2023-03", "all", "killed")
    assert (march.value, march.basis) == (9, "derived")
    assert march.note.startswith(
        "Derived: 9, because the figure for January to July 2023 is 81 (Task & Purpose and Thin Line News)")


def test_the_august_2024_raid_revision(disc):
    row = one(at(disc, "2024-08-29", "2024-08-29"), kind="revision")
    assert (row.country, row.metric, row.value_a, row.value_b, row.qualifier_b) == (
        "iraq", "killed", 14, 15, "at_least")
    assert (row.source_a, row.source_b) == ("thisisbeirut-2024-09-13", "theepochtimes-2024-08-30")


def test_stated_months_follow_centcom_and_outlets_fill_the_rest(monthly):
    july = cell(monthly, "2023-07", "iraq", "detained")
    assert (july.value, july.basis) == (24, "stated")  # Pledge Times' 7 is set aside
    assert "Pledge Times gives 7, not used because CENTCOM's own figure outranks" in july.note
    june = cell(monthly, "2023-06", "all", "operations")
    assert (june.value, june.basis) == (37, "reported")
    assert set(monthly["basis"]) == {"stated", "reported", "derived", "bounded", "unknown"}
    assert (monthly["month"].min(), monthly["month"].max()) == ("2022-01", "2026-01")


def test_every_set_aside_claim_is_in_a_discrepancy(claims, disc):
    groups = make_groups(to_claims(claims))
    supersede_aliases(aliases(groups))
    Series(groups)
    set_aside = {c.id for g in groups for c in g.rejected}
    set_aside |= {c.id for g in groups if g.status in ("rejected", "superseded") for c in g.accepted}
    listed = {cid for ids in disc["claim_ids"] for cid in ids.split(";")}
    assert len(set_aside) > 20 and set_aside <= listed
