"""Spans in the monthly series (issue 14): a month known only through a multi-month figure carries that span,
its total and its average; which month the report command renders; the index's figures."""

import pandas as pd
import pytest

from helpers.config import Paths
from helpers.tables import Tables, headline_index, last_month_of_source, latest_with_figure


@pytest.fixture(scope="module")
def real():
    paths = Paths.at()
    if not paths.monthly_csv.exists():
        pytest.skip("run `tally build` first")
    return Tables.load(paths)


def test_a_month_inside_a_derived_span_carries_it(real):
    row = real.monthly[(real.monthly["month"] == "2024-05") & (real.monthly["country"] == "all")
                       & (real.monthly["metric"] == "operations")].iloc[0]
    assert pd.isna(row["value"])  # never stated: the average is not the month's value
    assert row["span_start"] == pd.Timestamp("2024-04-01") and row["span_end"] == pd.Timestamp("2024-06-30")
    p = real.periods
    derived = p[(p["span_kind"] == "derived") & (p["period_start"] == row["span_start"])
                & (p["period_end"] == row["span_end"]) & (p["country"] == "all") & (p["metric"] == "operations")]
    assert row["span_total"] == derived["claimed"].iloc[0] and row["span_basis"] == "derived"
    assert row["span_average"] == pytest.approx(row["span_total"] / 3, abs=0.05)


def test_known_months_carry_no_span_and_every_span_covers_its_month(real):
    m = real.monthly
    assert m.loc[m["value"].notna(), "span_total"].isna().all()
    spans = m[m["span_total"].notna()]
    assert not spans.empty
    starts = pd.to_datetime(spans["month"] + "-01")
    assert (spans["span_start"] <= starts).all() and (spans["span_end"] >= starts + pd.offsets.MonthEnd(0)).all()
    assert set(spans["span_basis"]) <= {"stated", "reported", "derived"}
    # an average never exceeds the span's total, and no month's own upper limit is below zero
    assert (spans["span_average"] <= spans["span_total"]).all()


def test_the_default_month_has_a_figure(real):
    month = latest_with_figure(real)
    cells = [real.cell(month, c, m) for c in ("all", "iraq", "syria") for m in ("operations", "killed", "detained")]
    assert any(c.known or c.in_span for c in cells)
    later = [m for m in real.months if m > month]
    for m in later:
        assert not any((c := real.cell(m, x, y)).known or c.in_span for x in ("all", "iraq", "syria")
                       for y in ("operations", "killed", "detained"))


def test_last_month_of_a_release_is_the_last_month_its_figures_cover(real):
    c = real.claims
    half = c[(c["kind"] == "centcom_release") & (c["period_kind"] == "half") & (c["metric"] == "operations")]
    source = half["source_id"].iloc[0]
    assert last_month_of_source(source, real) == f"{half['period_end'].max():%Y-%m}"
    rolling = c[(c["period_wording"] != "") & (c["metric"] == "operations") & ~c["period_end"].dt.is_month_end]
    row = rolling.iloc[0]
    # a span running to a day inside a month covers, whole, the month before
    assert last_month_of_source(row["source_id"], real) < f"{row['period_end']:%Y-%m}" or \
        real.claims[real.claims["source_id"] == row["source_id"]]["period_end"].dt.is_month_end.any()


def test_headline_index_says_how_each_figure_is_known(real):
    index = headline_index(real)
    may = index[index["month"] == "2024-05"].iloc[0]
    assert may["operations_how"] == "span_average" and pd.isna(may["operations"])
    assert may["operations_span_total"] == real.cell("2024-05", "all", "operations").span_total
    july = index[index["month"] == "2023-07"].iloc[0]
    assert july["operations_how"] == "stated" and july["operations"] == real.cell("2023-07", "all", "operations").value
    assert set(index["operations_how"]) <= {"stated", "reported", "derived", "span_average", "bounded", "unknown"}


def test_no_drawn_mark_stands_taller_than_the_data_says_of_its_month(real):
    """Bars stop at the month's value, span blocks at the span's average (never its total), ranges at the
    month's own upper limit."""
    from helpers.plots import operations_by_country

    fig = operations_by_country(real, month="2024-05")
    countries = ("all", "iraq", "syria")
    months = [m for m in real.months if m <= "2024-05"][-24:]
    blocks = 0
    for ax, country in zip(fig.axes, countries):
        for coll in ax.collections:
            gid = coll.get_gid() or ""
            if not (gid.startswith("bars") or gid == "span-blocks"):
                continue
            for path in coll.get_paths():
                xs, ys = path.vertices[:, 0], path.vertices[:, 1]
                month = months[int(round(xs.mean()))]
                cell = real.cell(month, country, "operations")
                limit = cell.span_average if gid == "span-blocks" else cell.value
                assert ys.max() <= limit + 1e-9, (country, month, gid, ys.max(), limit)
                blocks += gid == "span-blocks"
    assert blocks > 0  # the 2024 quarters and 2022 are drawn as spans
    may = real.cell("2024-05", "all", "operations")
    assert may.span_average < may.span_total  # a block at the average is lower than the total it once reached
