"""The reconciliation on small synthetic claims: one dataset per kind of disagreement, and the series rules."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers._files import write_processed_set
from helpers.build import to_csv_bytes
from helpers.config import Paths
from helpers.errors import MonthError, TallyError
from helpers.reconcile import (
    DISCREPANCY_COLUMNS,
    MONTHLY_COLUMNS,
    PERIOD_COLUMNS,
    discrepancies,
    month_range,
    monthly,
    periods,
    readings,
    reconcile,
)
from reconcile_fixtures import Claims, cell, month, months, one

JAN, FEB, MAR, APR, JUN = month(2023, 1), month(2023, 2), month(2023, 3), month(2023, 4), month(2023, 6)


def run(claims: Claims):
    return reconcile(claims.frame())


def where(row) -> tuple:
    return (row.period_start, row.period_end, row.country, row.metric)


# --- 1. headline against breakdown ----------------------------------------------------------------------


def april_release(c: Claims) -> Claims:
    c.add("centcom-2023-05-03", APR, "all", "operations", 35)
    for country, p, u in (("iraq", 25, 0), ("syria", 10, 1)):
        c.add("centcom-2023-05-03", APR, country, "partnered_operations", p)
        c.add("centcom-2023-05-03", APR, country, "us_only_operations", u)
    return c


def test_headline_vs_breakdown_names_both_readings():
    c = april_release(Claims())
    c.add("southfront-2023-05-05", APR, "all", "operations", 35)
    c.add("southfront-2023-05-05", APR, "iraq", "operations", 26)
    c.add("southfront-2023-05-05", APR, "syria", "partnered_operations", 10)
    c.add("southfront-2023-05-05", APR, "syria", "us_only_operations", 1)
    rec = run(c)
    row = one(rec.discrepancies, kind="headline_vs_breakdown")
    assert where(row) == ("2023-04-01", "2023-04-30", "all", "operations")
    assert (row.value_a, row.source_a, row.difference) == (35, "southfront-2023-05-05", 1)
    assert row.source_b == "southfront-2023-05-05"
    assert (row.value_b, row.side_b, row.parts_b, row.low_b, row.high_b) == (36, "breakdown", "36;1", 36, 37)
    assert "neither reading" in row.explanation
    assert "26 for operations in Iraq is not used" in row.resolution
    # the release itself counts partnered operations only; the source's Iraq 26 is not used
    assert one(rec.readings, source_id="centcom-2023-05-03").reading == "partnered_only"
    assert one(rec.readings, source_id="southfront-2023-05-05").reading == "neither"
    assert cell(rec.monthly, "2023-04", "iraq", "operations").value == 25


def test_reading_partnered_plus_us_only_is_recorded_without_a_discrepancy():
    year = months(2022, 1, 12)
    c = Claims()
    c.add("kurdistan24-2022-12-29", year, "all", "operations", 313)
    c.add("kurdistan24-2022-12-29", year, "iraq", "partnered_operations", 191)
    c.add("kurdistan24-2022-12-29", year, "syria", "partnered_operations", 108)
    c.add("kurdistan24-2022-12-29", year, "syria", "us_only_operations", 14)
    rec = run(c)
    reading = one(rec.readings, source_id="kurdistan24-2022-12-29")
    assert (reading.headline, reading.partnered, reading.us_only) == (313, 299, 14)
    assert reading.reading == "partnered_plus_us_only"
    assert rec.discrepancies.empty


# --- 2. country sums --------------------------------------------------------------------------------------


def test_country_sum_explains_a_difference_equal_to_us_only_operations():
    year = months(2022, 1, 12)
    c = Claims()
    for source in ("coffeeordie-2022-12-30", "kurdistan24-2022-12-29"):
        c.add(source, year, "all", "operations", 313)
        c.add(source, year, "iraq", "partnered_operations", 191)
        c.add(source, year, "syria", "partnered_operations", 108)
        c.add(source, year, "all", "us_only_operations", 14)
        c.add(source, year, "syria", "us_only_operations", 14)
    c.add("cheriworld-2022-12-29", year, "all", "operations", 313)
    c.add("cheriworld-2022-12-29", year, "iraq", "operations", 191)
    c.add("cheriworld-2022-12-29", year, "syria", "operations", 108)
    rec = run(c)
    row = one(rec.discrepancies, kind="country_sum")
    assert where(row) == ("2022-01-01", "2022-12-31", "all", "operations")
    assert (row.value_a, row.value_b, row.difference) == (313, 299, -14)
    assert (row.side_a, row.side_b, row.parts_b) == ("figure", "sum_of_countries", "191;108")
    assert row.source_a == row.source_b == "cheriworld-2022-12-29"
    assert "The difference, 14, equals the U.S.-only operations" in row.explanation
    assert "122 (derived) for Syria" in row.resolution  # 313 minus Iraq's 191 (Iraq had no U.S.-only operations)


# --- 3. cross-source --------------------------------------------------------------------------------------


def june_outlets(c: Claims) -> Claims:
    for source in ("kurdistan24-2023-07-06", "rudaw-2023-07-06", "antiwar-2023-07-06"):
        c.add(source, JUN, "all", "operations", 37)
        c.add(source, JUN, "iraq", "operations", 30)
        c.add(source, JUN, "syria", "operations", 7)
    return c


def test_cross_source_spots_a_total_read_as_a_country_figure():
    c = june_outlets(Claims())
    c.add("taskandpurpose-2023-08-09", JUN, "all", "operations", 44)
    c.add("taskandpurpose-2023-08-09", JUN, "iraq", "operations", 37)
    c.add("taskandpurpose-2023-08-09", JUN, "syria", "operations", 7)
    rec = run(c)
    iraq = one(rec.discrepancies, kind="cross_source", country="iraq")
    assert (iraq.period_start, iraq.period_end, iraq.metric) == ("2023-06-01", "2023-06-30", "operations")
    assert (iraq.value_a, iraq.value_b, iraq.source_b, iraq.difference) == (30, 37, "taskandpurpose-2023-08-09", 7)
    assert iraq.source_a == "antiwar-2023-07-06;kurdistan24-2023-07-06;rudaw-2023-07-06"
    assert "Task & Purpose's 37 is the all-country total that the others give" in iraq.explanation
    total = one(rec.discrepancies, kind="cross_source", country="all")
    assert (total.value_a, total.value_b, total.difference) == (37, 44, 7)
    assert "its own Iraq figure (37) plus its own Syria figure (7)" in total.explanation
    assert "more publishers give it (3 against 1)" in total.resolution
    june = cell(rec.monthly, "2023-06", "all", "operations")
    assert (june.value, june.basis) == (37, "reported")
    assert "the series prefers the value most outlets agree on" in june.note


def test_cross_source_when_an_outlets_months_do_not_add_up_to_its_own_total():
    sep, octo, both = month(2023, 9), month(2023, 10), months(2023, 9, 10)
    c = Claims()
    for source in ("earthpressnews-2023-11-01", "socialbites-2023-11-01"):
        c.add(source, sep, "all", "detained", 19).add(source, octo, "all", "detained", 19)
        c.add(source, both, "all", "detained", 78)
    c.add("basnews-2023-11-06", both, "all", "detained", 78)
    rec = run(c)
    row = one(rec.discrepancies, kind="cross_source")
    assert where(row) == ("2023-09-01", "2023-10-31", "all", "detained")
    assert (row.value_a, row.value_b, row.difference) == (78, 38, -40)
    assert (row.side_b, row.parts_b) == ("sum_of_months", "19;19")
    assert row.source_a == row.source_b == "earthpressnews-2023-11-01;socialbites-2023-11-01"
    assert "BasNews gives 78 as well" in row.explanation
    # 78 has three publishers, each month two: the months clash as equals and neither is used
    for code in ("2023-09", "2023-10"):
        m = cell(rec.monthly, code, "all", "detained")
        assert (m.basis, m.low, m.high) == ("bounded", 0, 78)
        assert "equally backed figures contradict each other" in m.note


# --- 4. period sums ---------------------------------------------------------------------------------------


def quarter(c: Claims) -> Claims:
    """CENTCOM's monthly releases for January to March 2023; February has 2 U.S.-only operations in Syria."""
    for (period, source, total, p_iraq, p_syria, u_syria) in (
        (JAN, "centcom-2023-02-02", 43, 33, 10, 0), (FEB, "centcom-2023-03-03", 48, 33, 15, 2),
        (MAR, "centcom-2023-04-05", 37, 28, 9, 0)):
        c.add(source, period, "all", "operations", total)
        c.add(source, period, "iraq", "partnered_operations", p_iraq)
        c.add(source, period, "iraq", "us_only_operations", 0)
        c.add(source, period, "syria", "partnered_operations", p_syria)
        c.add(source, period, "syria", "us_only_operations", u_syria)
    return c


def test_period_sum_names_the_other_reading_of_operations():
    c = quarter(Claims())
    c.add("taskandpurpose-2023-04-09", months(2023, 1, 3), "all", "operations", 130)
    rec = run(c)
    row = one(rec.discrepancies, kind="period_sum")
    assert where(row) == ("2023-01-01", "2023-03-31", "all", "operations")
    assert (row.value_a, row.value_b, row.source_b, row.difference) == (
        128, 130, "taskandpurpose-2023-04-09", 2)
    assert (row.side_a, row.qualifier_a, row.side_b, row.qualifier_b) == ("series_sum", "exact", "figure", "exact")
    assert "U.S.-only operations are counted in the monthly totals (2 in February 2023)" in row.explanation
    assert "partnered plus U.S.-only reading" in row.explanation
    assert one(rec.periods, period_start="2023-01-01", metric="operations").status == "disagrees"


def test_period_sum_names_another_sources_monthly_value():
    c = quarter(Claims())
    c.add("pledgetimes-2023-03-04", FEB, "all", "operations", 51)
    c.add("pledgetimes-2023-04-09", months(2023, 1, 3), "all", "operations", 131, attributed="outlet")
    rec = run(c)
    row = one(rec.discrepancies, kind="period_sum")
    assert (row.value_b, row.difference) == (131, 3)
    assert "It adds up if February 2023 is read as 51, as Pledge Times gives it, instead of 48" in row.explanation
    assert "an outlet's own figure ranks below figures quoted from CENTCOM" in row.resolution


# --- 5. period wording ------------------------------------------------------------------------------------


def test_period_wording_gives_both_lengths_in_days():
    since, sixty = (pd.Timestamp("2024-08-29").date(), pd.Timestamp("2024-11-04").date()), \
        (pd.Timestamp("2024-09-06").date(), pd.Timestamp("2024-11-04").date())
    c = Claims()
    for source in ("israelnationalnews-2024-11-05", "ru24-2024-11-05"):
        c.add(source, since, "all", "killed", 163, wording="since August 29")
    c.add("ny1-2024-11-05", sixty, "all", "killed", 163, wording="in the past 60 days")
    rec = run(c)
    row = one(rec.discrepancies, kind="period_wording")
    assert where(row) == ("2024-08-29", "2024-11-04", "all", "killed")
    assert (row.value_a, row.value_b, row.difference) == (
        163, 163, -8)
    assert (row.period_start_b, row.period_end_b) == ("2024-09-06", "2024-11-04")
    assert (row.source_a, row.source_b) == ("israelnationalnews-2024-11-05;ru24-2024-11-05", "ny1-2024-11-05")
    assert "'in the past 60 days'" in row.explanation and "they differ by 8 days" in row.explanation
    assert "the other period is not used to bound the months" in row.resolution
    sixty_row = one(rec.periods, period_start="2024-09-06")
    assert sixty_row.status == "cannot_check" and "does not start and end on month boundaries" in sixty_row.note


# --- 6. revision ------------------------------------------------------------------------------------------


def test_revision_by_centcom_itself_the_later_statement_wins():
    c = Claims()
    c.add("centcom-2023-02-02", JAN, "all", "killed", 11)
    c.add("centcom-2023-03-01", JAN, "all", "killed", 12)
    rec = run(c)
    row = one(rec.discrepancies, kind="revision")
    assert where(row) == ("2023-01-01", "2023-01-31", "all", "killed")
    assert (row.value_a, row.source_a, row.value_b, row.source_b, row.difference) == (
        12, "centcom-2023-03-01", 11, "centcom-2023-02-02", -1)
    assert "the later CENTCOM statement outranks the earlier one" in row.resolution
    jan = cell(rec.monthly, "2023-01", "all", "killed")
    assert (jan.value, jan.basis, jan.source_ids) == (12, "stated", "centcom-2023-03-01")


def test_revision_of_a_single_event_reported_through_outlets():
    raid = (pd.Timestamp("2024-08-29").date(),) * 2
    c = Claims()
    c.add("theepochtimes-2024-08-30", raid, "iraq", "killed", 15, qualifier="at_least")
    c.add("thisisbeirut-2024-09-13", raid, "iraq", "killed", 14)
    rec = run(c)
    row = one(rec.discrepancies, kind="revision")
    assert (row.value_a, row.value_b, row.qualifier_b, row.difference) == (14, 15, "at_least", 1)
    assert "a later figure for the same event" in row.explanation
    assert cell(rec.monthly, "2024-08", "iraq", "killed").low == 14


# --- 7. bounds --------------------------------------------------------------------------------------------


def test_bounds_a_qualified_figure_that_cannot_hold_with_an_exact_one():
    span = (pd.Timestamp("2024-08-29").date(), pd.Timestamp("2024-11-04").date())
    c = Claims()
    for source in ("964media-2024-11-05", "israelnationalnews-2024-11-05"):
        c.add(source, span, "all", "operations", 95)
    for source in ("ariseright-2024-11-05", "ru24-2024-11-05"):
        c.add(source, span, "all", "operations", 95, qualifier="more_than")
    rec = run(c)
    row = one(rec.discrepancies, kind="bounds")
    assert where(row) == ("2024-08-29", "2024-11-04", "all", "operations")
    assert (row.value_a, row.value_b, row.qualifier_b, row.difference) == (95, 95, "more_than", 1)
    assert (row.low_b, pd.isna(row.high_b)) == (96, True)
    assert row.source_b == "ariseright-2024-11-05;ru24-2024-11-05"
    assert "More than 95 allows at least 96, which cannot hold together with 95" in row.explanation
    assert "an exact figure is preferred to a qualified one" in row.resolution


def test_bounds_across_two_readings_of_one_period():
    year, shifted = months(2025, 1, 12), (pd.Timestamp("2025-01-02").date(), pd.Timestamp("2026-01-01").date())
    c = Claims()
    for source in ("ianslive-2025-12-30", "israelnationalnews-2025-12-30"):
        c.add(source, year, "syria", "detained", 300, qualifier="more_than")
    c.add("finanznachrichten-2026-01-02", shifted, "syria", "detained", 300)
    rec = run(c)
    row = one(rec.discrepancies, kind="bounds")
    assert (row.value_a, row.qualifier_a, row.value_b, row.difference, row.country) == (
        300, "more_than", 300, -1, "syria")


# --- the series -------------------------------------------------------------------------------------------


def test_month_derived_from_a_span_and_the_other_months():
    c = Claims()
    for m, value in ((1, 11), (2, 22), (4, 13)):
        c.add(f"centcom-2023-{m + 1:02d}-05", month(2023, m), "all", "killed", value)
    c.add("taskandpurpose-2023-05-09", months(2023, 1, 4), "all", "killed", 55)
    rec = run(c)
    march = cell(rec.monthly, "2023-03", "all", "killed")
    assert (march.value, march.low, march.high, march.basis) == (9, 9, 9, "derived")
    assert march.note == ("Derived: 9, because the figure for January to April 2023 is 55 (Task & Purpose) and "
                          "January 2023, February 2023 and April 2023 add up to 46.")
    assert "taskandpurpose-2023-05-09" in march.source_ids.split(";")
    assert one(rec.periods, period_start="2023-01-01").status == "agrees"


def test_one_country_as_all_minus_the_other_and_operations_when_there_are_no_us_only():
    rec = run(quarter(Claims()))
    jan = cell(rec.monthly, "2023-01", "iraq", "operations")
    assert (jan.value, jan.basis) == (33, "derived")  # 33 partnered and no U.S.-only operations
    feb = cell(rec.monthly, "2023-02", "syria", "operations")
    assert (feb.value, feb.basis) == (15, "derived")  # 48 in all minus Iraq's 33: the partnered reading
    assert "Iraq and Syria together have 48" in feb.note


def test_half_minus_quarter_gives_a_derived_span_and_bounds_each_month():
    c = Claims()
    c.add("centcom-2024-04-05", months(2024, 1, 3), "all", "operations", 94)
    c.add("centcom-2024-07-17", months(2024, 1, 6), "all", "operations", 196)
    rec = run(c)
    q2 = one(rec.periods, span_kind="derived")
    assert (q2.period_start, q2.period_end, q2.claimed, q2.qualifier, q2.status) == (
        "2024-04-01", "2024-06-30", 102, "exact", "derived")
    assert q2.source_ids == "centcom-2024-04-05;centcom-2024-07-17"
    may = cell(rec.monthly, "2024-05", "all", "operations")
    assert (may.low, may.high, may.basis) == (0, 102, "bounded")
    assert cell(rec.monthly, "2024-02", "all", "operations").high == 94


def test_other_parties_never_enter_the_series():
    c = Claims()
    c.add("sdf-2024-08-12", months(2024, 1, 1), "syria", "detained", 233, attributed="other")
    c.add("centcom-2024-02-05", months(2024, 1, 1), "syria", "detained", 20)
    rec = run(c)
    jan = cell(rec.monthly, "2024-01", "syria", "detained")
    assert (jan.value, jan.basis, jan.source_ids) == (20, "stated", "centcom-2024-02-05")
    row = one(rec.discrepancies, kind="cross_source")
    assert (row.value_a, row.value_b) == (20, 233)
    assert "only CENTCOM's figures enter the series" in row.resolution


def test_every_set_aside_claim_appears_in_a_discrepancy():
    c = quarter(june_outlets(Claims()))
    c.add("taskandpurpose-2023-08-09", JUN, "iraq", "operations", 37)
    c.add("taskandpurpose-2023-04-09", months(2023, 1, 3), "all", "operations", 130)
    c.add("pledgetimes-2023-02-10", JAN, "iraq", "partnered_operations", 35)
    frame = c.frame()
    rec = reconcile(frame)
    listed = {cid for ids in rec.discrepancies["claim_ids"] for cid in ids.split(";")}
    set_aside = set(frame["claim_id"].iloc[-3:])  # T&P's Iraq 37, its 130, Pledge Times's Iraq 35
    assert set_aside <= listed


def test_tables_have_their_columns_and_are_deterministic():
    c = quarter(june_outlets(Claims()))
    first, second = run(c), run(c)
    assert list(first.monthly.columns) == MONTHLY_COLUMNS
    assert list(first.discrepancies.columns) == DISCREPANCY_COLUMNS
    assert list(first.periods.columns) == PERIOD_COLUMNS
    for name in ("monthly", "discrepancies", "periods", "readings"):
        assert to_csv_bytes(getattr(first, name)) == to_csv_bytes(getattr(second, name))
    assert len(first.monthly) == 6 * 3 * 5  # January to June 2023, three countries, five metrics
    assert first.monthly["month"].iloc[0] == "2023-01" and first.monthly["month"].iloc[-1] == "2023-06"


def test_empty_claims_give_empty_tables():
    rec = run(Claims())
    assert rec.monthly.empty and rec.discrepancies.empty and rec.periods.empty


# --- notebook API -----------------------------------------------------------------------------------------


@pytest.fixture
def written(tmp_path) -> Paths:
    paths = Paths.at(tmp_path)
    paths.processed.mkdir(parents=True)
    c = quarter(june_outlets(Claims()))
    c.add("taskandpurpose-2023-08-09", JUN, "iraq", "operations", 37)
    c.add("taskandpurpose-2023-04-09", months(2023, 1, 3), "all", "operations", 130)
    rec = run(c)
    write_processed_set(paths.processed, {  # as tally build writes them: with their manifest (issue 18)
        path: to_csv_bytes(df) for path, df in ((paths.monthly_csv, rec.monthly), (paths.discrepancies_csv,
        rec.discrepancies), (paths.periods_csv, rec.periods), (paths.readings_csv, rec.readings))})
    return paths


def test_api_reads_tables_for_a_month_a_span_or_everything(written):
    assert month_range(written) == ("2023-01", "2023-06")
    assert len(monthly(written)) == 90
    june = monthly(written, month="2023-06")
    assert set(june["month"]) == {"2023-06"} and june["value"].dtype == "Int64"
    assert len(monthly(written, start="2023-02", end="2023-03")) == 30
    assert set(discrepancies(written, month="2023-06")["kind"]) == {"cross_source"}
    assert set(discrepancies(written, month="2023-02")["kind"]) == {"period_sum"}  # the quarter touches February
    assert len(discrepancies(written)) == 2
    assert periods(written, start="2023-03")["status"].tolist() == ["disagrees"]
    assert periods(written, month="2023-05").empty


@pytest.mark.parametrize("bad", ["2023-13", "July", "2023-7", "23-07"])
def test_api_rejects_malformed_months_with_the_range(written, bad):
    with pytest.raises(MonthError, match=r"malformed month .*: expected YYYY-MM; months available: 2023-01 to 2023-06"):
        monthly(written, month=bad)


def test_api_rejects_months_outside_the_data(written):
    with pytest.raises(MonthError, match="no data for 2024-01; months available: 2023-01 to 2023-06"):
        discrepancies(written, month="2024-01")
    with pytest.raises(MonthError, match="comes after"):
        periods(written, start="2023-05", end="2023-02")


def test_api_without_a_build_says_so(tmp_path):
    with pytest.raises(TallyError, match="run `tally build` first"):
        monthly(Paths.at(tmp_path))


def test_api_readings_read_the_readings_table(written):
    got = readings(written, month="2023-02")
    assert got["source_id"].tolist() == ["centcom-2023-03-03"]
    assert got["reading"].tolist() == ["partnered_only"]
    assert got["period_start"].dtype.kind == "M"
    written.readings_csv.unlink()
    with pytest.raises(TallyError, match="readings.csv not found: run `tally build` first"):
        readings(written)


