"""helpers.plots: what each figure draws for stated, derived, bounded and unknown months, read off the
artists; every figure for every month of the real data without a warning; the README entry point."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import warnings

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from helpers import plots
from helpers.errors import MonthError
from helpers.months import months_between
from helpers.tables import Tables, typed
from helpers.vocab import CORE_METRICS, COUNTRIES
from test_narrative import synthetic_tables


@pytest.fixture(scope="module")
def fake() -> Tables:
    return synthetic_tables()


@pytest.fixture(scope="module")
def ops(fake):
    """Figure 1 of the synthetic series (2023-01 to 2024-04), drawn once for the module."""
    fig = plots.operations_by_country(fake)
    yield fig
    plt.close(fig)


def artists(ax, gid: str) -> list:
    """The artists of an axes whose gid is ``gid`` (or starts with it, for 'bar 2023-01 …')."""
    return [a for a in ax.get_children() if (a.get_gid() or "") == gid or (a.get_gid() or "").startswith(gid + " ")]


def rect_at(collection, x: float):
    """(x, y, width, height) of the collection's rectangle centred on x, or None."""
    for path in collection.get_paths():
        (x0, y0), (x1, y1) = path.vertices.min(axis=0), path.vertices.max(axis=0)
        if abs((x0 + x1) / 2 - x) < 1e-9:
            return x0, y0, x1 - x0, y1 - y0
    return None


def bars(ax) -> dict[str, object]:
    return {a.get_gid().split()[1]: a for a in artists(ax, "bars")}


def segment_at(collection, x: float):
    for seg in collection.get_segments():
        if np.allclose(seg[:, 0], x):
            return tuple(seg[:, 1])
    return None


# --- conventions, read off the artists --------------------------------------------------------------

def test_stated_reported_and_derived_months_are_bars_of_their_value(ops, fake):
    all_ax, iraq_ax, syria_ax = ops.axes
    months = fake.months
    jan = rect_at(bars(all_ax)["stated"], months.index("2023-01"))
    assert jan[1:] == (0, 0.78, fake.cell("2023-01", "all", "operations").value)
    aug = rect_at(bars(all_ax)["reported"], months.index("2023-08"))
    assert aug[3] == fake.cell("2023-08", "all", "operations").value
    derived = bars(syria_ax)["derived"]
    assert derived.get_hatch() == "///"
    assert rect_at(derived, months.index("2023-03"))[3] == 13
    assert rect_at(bars(syria_ax)["stated"], months.index("2023-03")) is None


def test_bounded_months_are_ranges_with_caps_not_bars(ops, fake):
    all_ax, iraq_ax, _ = ops.axes
    may = fake.months.index("2023-05")
    ranges, caps = artists(all_ax, "ranges")[0], artists(all_ax, "range-caps")[0]
    assert segment_at(ranges, may) == (72, 79)
    cap_heights = sorted(seg[0, 1] for seg in caps.get_segments() if abs(seg[:, 0].mean() - may) < 1e-9)
    assert cap_heights == [72, 79]
    assert all(rect_at(b, may) is None for b in bars(all_ax).values())
    # "at least 23": a short stub up from 23 (no taller than the data says), ending in a triangle, no upper cap
    low, high = segment_at(artists(iraq_ax, "ranges")[0], may)
    top = iraq_ax.get_ylim()[1]
    assert low == 23 and high == pytest.approx(min(23 + top * plots.STUB, top * 0.97))
    open_ends = artists(iraq_ax, "range-open")[0]
    assert open_ends.get_marker() == "^" and may in list(open_ends.get_xdata())
    # a quarter's months: at most 94 each, a range from 0 to 94 with both caps
    jan24 = fake.months.index("2024-01")
    assert segment_at(ranges, jan24) == (0, 94)


def test_unknown_months_are_hatched_bands_marked_never_zero_bars(ops, fake):
    all_ax, _, syria_ax = ops.axes
    june = fake.months.index("2023-06")
    band = artists(all_ax, "unknown")[0]
    assert band.get_hatch() == "xx"
    x, y, width, height = rect_at(band, june)
    assert (y, height) == (0, pytest.approx(all_ax.get_ylim()[1]))
    assert june in list(artists(all_ax, "unknown-marks")[0].get_xdata())
    assert all(rect_at(b, june) is None for b in bars(all_ax).values())
    may = fake.months.index("2023-05")  # Syria's operations for May are unknown too
    assert rect_at(artists(syria_ax, "unknown")[0], may) is not None


def test_an_upper_limit_far_above_the_values_runs_off_the_scale_and_is_written():
    rows = [("2023-01", 30, 30, 30, "stated"), ("2023-02", None, 0, 500, "bounded"),
            ("2023-03", None, 0, 500, "bounded"), ("2023-04", 20, 20, 20, "reported")]
    monthly = pd.DataFrame([{"month": m, "country": c, "metric": k, "value": v, "low": lo, "high": hi, "basis": b,
                             "source_ids": "", "note": ""}
                            for m, v, lo, hi, b in rows for c in COUNTRIES for k in CORE_METRICS])
    base = synthetic_tables()
    t = Tables(typed(monthly, "monthly"), base.discrepancies.iloc[0:0], base.periods.iloc[0:0], base.claims,
               base.events.iloc[0:0])
    fig = plots.operations_by_country(t)
    ax = fig.axes[0]
    top = ax.get_ylim()[1]
    assert top < 500
    # at most 500 and at least 0 says little of the month: an unknown band, no line from zero up the scale
    assert not artists(ax, "ranges") and rect_at(artists(ax, "unknown")[0], 1) is not None
    written = artists(ax, "range-clipped")
    assert [a.get_text() for a in written] == ["≤500"]  # once for the run of two months
    assert not artists(ax, "range-open")
    plt.close(fig)


def marker_pixels(marker) -> np.ndarray:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 2))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    ax.plot([0], [0], marker=marker, markersize=80, linestyle="", color="black")
    ax.set_axis_off()
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba())[..., 0].astype(int)


@pytest.mark.parametrize("char", ["≤", "?"])
def test_glyph_markers_look_like_math_text_markers(char):
    drawn, expected = marker_pixels(plots.glyph_marker(char)), marker_pixels(f"${char}$")
    assert (expected < 128).sum() > 1000  # a large, dark character
    assert (abs(drawn - expected) > 64).sum() <= 0.01 * (expected < 128).sum()


def test_highlight_window_events_and_source_line(fake):
    fig = plots.operations_by_country(fake, month="2023-10")
    ax = fig.axes[0]
    assert ax.get_xlim() == (-0.6, len(months_between(fake.first, "2023-10")) - 0.4)  # 24 months back, from the start
    assert artists(ax, "highlight 2023-10")
    event = artists(ax, "event 2023-10-07")[0]
    assert event.get_xdata()[0] == pytest.approx(9 - 0.5 + 6 / 31)
    text = {t.get_gid(): t.get_text() for t in fig.texts}["source"]
    assert "Source: disis-tally, from CENTCOM releases and news reports; data/processed/monthly.csv." in text
    assert "(1) Hamas attack on Israel, 7 Oct 2023" in text
    assert fig._suptitle.get_text() == "D-ISIS operations by country\nJanuary 2023 to October 2023"
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert {"stated by CENTCOM", "derived from other figures", "known only within limits", "not published (?)",
            "October 2023"} <= set(labels)
    assert fig.axes[-1].get_xticklabels()[-1].get_fontweight() == "bold"
    plt.close(fig)


def test_window_and_month_errors(fake):
    assert plots.window(fake) == fake.months
    assert plots.window(fake, "2024-04") == months_between("2023-01", "2024-04")
    assert plots.window(fake, span=("2023-03", "2023-05")) == ["2023-03", "2023-04", "2023-05"]
    with pytest.raises(MonthError, match="months available: 2023-01 to 2024-04"):
        plots.coverage(fake, month="2030-01")
    with pytest.raises(MonthError):
        plots.coverage(fake, month=202307)
    with pytest.raises(MonthError, match="runs backwards"):
        plots.window(fake, span=("2023-05", "2023-03"))


def test_multi_month_figures_are_spans_at_their_monthly_average(fake):
    fig = plots.multi_month_claims(fake)
    ax = fig.axes[0]  # operations
    jan24 = fake.months.index("2024-01")
    quarter = artists(ax, "span 2024-01-01 2024-03-31 cannot_check")[0]
    assert list(quarter.get_xdata()) == [pytest.approx(jan24 - 0.5), pytest.approx(jan24 + 2.5)]
    assert quarter.get_ydata()[0] == pytest.approx(94 / 3)
    rolling = artists(ax, "span 2023-09-06 2023-11-04 cannot_check")[0]
    assert rolling.get_ydata()[0] == pytest.approx(95 * 365.25 / 12 / 60)
    assert artists(ax, "span 2023-12-01 2024-02-29 derived")[0].get_linestyle() == "--"
    labels = {t.get_text() for t in ax.texts}
    assert {"94", "more than 95", "279"} <= labels
    plt.close(fig)


def test_year_to_date_sums_the_series_and_marks_running_tallies(fake):
    fig = plots.year_to_date(fake)
    ax = fig.axes[0]
    tally = artists(ax, "tally 2023-07-31 279")[0]
    assert (tally.get_xdata()[0], tally.get_ydata()[0]) == (pytest.approx(6.5), 279)
    assert tally.get_marker() == "D"  # an outlet's
    assert artists(ax, "tally 2024-03-31 94")[0].get_marker() == "s"  # CENTCOM's own
    points = artists(ax, "cumulative 2023")[0]
    drawn = [m for m in fake.months if m.startswith("2023")]
    totals = [fake.totals.total(f"2023-01..{m}", "operations") for m in drawn]
    exact = [(drawn.index(f"{t.last // 12}-{t.last % 12 + 1:02d}") + 0.5, t.low) for t in totals if t.low == t.high]
    assert len(exact) >= 2  # tally total's year to date, a point at the end of each month it is exact for
    assert list(zip(points.get_xdata(), points.get_ydata())) == exact
    assert artists(ax, "cumulative-exact 2023")[0].get_ydata()[0] == 0  # from zero at the start of January
    assert any("279 Task & Purpose" == t.get_text() for t in ax.texts)
    plt.close(fig)


def test_disagreements_show_each_figure_and_the_series(fake):
    fig = plots.disagreements(fake, month="2023-07")
    ax = fig.axes[0]
    touching = fake.discrepancies[fake.discrepancies["period_start"] <= pd.Timestamp("2023-07-31")]
    assert len(ax.get_yticklabels()) == len(touching) == 2  # only those touching the months drawn
    assert [t.get_text() for t in ax.get_yticklabels()][0].startswith("Jan–Jul 2023 · Iraq and Syria · operations")
    assert artists(ax, "value-a 0") and artists(ax, "value-b 0")
    texts = " ".join(t.get_text() for t in ax.texts)
    assert "Kurdistan24: 37" in texts and "the series: 250" in texts
    assert artists(ax, "highlight-row 0")
    plt.close(fig)


def test_a_disagreements_markers_at_one_value_all_show(real):
    """The figure the series follows is a ring drawn on top, so the other figure or the series' own at (nearly)
    the same spot shows inside it; each row's written key uses the track's marks."""
    fig = plots.disagreements(real, month="2023-07")
    ax = fig.axes[0]
    values = [line for line in ax.lines if (line.get_gid() or "").startswith("value-")]
    rings = [line for line in values if line.get_marker() == "o"]  # side a, unless it is the series' own sum
    filled = [line for line in values if line.get_marker() != "o"]
    assert rings and filled
    assert all(line.get_markerfacecolor() == "none" for line in rings)
    assert min(line.get_zorder() for line in rings) > max(line.get_zorder() for line in filled)
    assert all(line.get_markersize() > max(f.get_markersize() for f in filled) for line in rings)
    legend = {h.get_label(): h for h in fig.legends[0].legend_handles}
    assert legend["the figure the series follows"].get_markerfacecolor() == "none"
    written = [t.get_text() for t in ax.texts if (t.get_gid() or "").startswith("written ")]
    assert any(w.startswith("◆ the series: ") for w in written) and any(w.startswith("○ ") for w in written)
    plt.close(fig)


def test_no_disagreements_is_said_not_drawn(fake):
    fig = plots.disagreements(fake, span=("2024-04", "2024-04"))
    assert [t.get_text() for t in fig.axes[0].texts] == ["No disagreements touch these months."]
    assert not fig.legends
    plt.close(fig)


def test_coverage_colours_each_cell_by_basis(fake):
    fig = plots.coverage(fake)
    mesh = artists(fig.axes[0], "coverage")[0]
    codes = np.asarray(mesh.get_array()).reshape(len(COUNTRIES) * len(CORE_METRICS), len(fake.months))
    row = {(c, m): i for i, (c, m) in enumerate((c, m) for c in COUNTRIES for m in CORE_METRICS)}
    for month, country, metric in [("2023-01", "all", "operations"), ("2023-03", "syria", "operations"),
                                   ("2023-05", "all", "operations"), ("2023-06", "iraq", "killed"),
                                   ("2023-08", "all", "detained")]:
        basis = fake.cell(month, country, metric).basis
        assert plots.BASES[int(codes[row[(country, metric)], fake.months.index(month)])] == basis
    plt.close(fig)


def test_figures_leave_pyplot_and_rcparams_alone(fake):
    before = dict(matplotlib.rcParams)
    figs = plots.draw_all(fake, month="2023-07")
    assert set(figs) == set(plots.FIGURES)
    assert plt.get_fignums() == []  # the caller owns the figures; nothing piles up in pyplot
    assert dict(matplotlib.rcParams) == before


@pytest.mark.parametrize("env, expected", [({}, "agg"), ({"MPLBACKEND": "svg"}, "svg")])
def test_backend_is_agg_only_when_none_is_chosen(env, expected):
    code = "import helpers.plots, matplotlib; print(matplotlib.get_backend())"
    clean = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    out = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip().lower() == expected


# --- the real data ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(plots.FIGURES))
def test_every_figure_for_every_month_draws_without_a_warning_or_math_text(real, name, monkeypatch):
    """Each figure for every month, warnings as errors, laid out and drawn (text included) without
    rasterising. One test per figure, so that pytest-xdist shares them among its workers.

    None needs matplotlib's math-text parser (the '≤' and '?' markers are glyph paths), so the warm
    process behind the reports need not build it."""
    from matplotlib import mathtext

    def refuse(self, *args, **kwargs):
        raise AssertionError("math text parsed")

    monkeypatch.setattr(mathtext.MathTextParser, "parse", refuse)
    draw, problems = plots.FIGURES[name], []
    for month in real.months:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            try:
                fig = draw(real, month=month)
                fig.draw_without_rendering()
                plt.close(fig)
            except Exception as exc:  # noqa: BLE001 - reported below, with the month
                problems.append(f"{name} for {month}: {type(exc).__name__}: {exc}")
    assert problems == []


def test_every_figure_of_the_whole_series_renders_to_png_without_a_warning(real):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for draw in plots.FIGURES.values():
            fig = draw(real)
            fig.savefig(io.BytesIO(), format="png", dpi=30)
            plt.close(fig)


def test_readme_figure_entry_point(real, tmp_path):
    out = tmp_path / "docs" / "example.png"
    assert plots.main(["readme-figure", str(out), "--root", str(real.paths.root)]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_readme_figure_without_processed_data_fails_in_one_line(project, tmp_path, capsys):
    assert plots.main(["readme-figure", str(tmp_path / "x.png"), "--root", str(project.root)]) == 1
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "tally build" in err


def _dollar_tables() -> Tables:
    """The synthetic tables with an event label and a publisher holding two dollar signs each."""
    base = synthetic_tables()
    events = pd.DataFrame({"date": [pd.Timestamp("2023-07-10")], "label": ["$5 million and $10 million"],
                           "source_url": ["https://example.org/e"], "note": [""]})
    claims = base.claims.copy()
    claims.loc[claims["source_id"].eq("kurdistan24-2023-08-10"), "publisher"] = "$5 Daily and $10 Weekly"
    return Tables(base.monthly, base.discrepancies, base.periods, claims, events)


def test_data_text_with_dollar_signs_is_drawn_as_plain_text(monkeypatch):
    """Issue 18 item 3: an event label or a publisher with two '$' is drawn as it is, never as math."""
    from matplotlib import mathtext

    def refuse(self, *args, **kwargs):
        raise AssertionError("math text parsed")

    monkeypatch.setattr(mathtext.MathTextParser, "parse", refuse)
    t = _dollar_tables()
    for draw in (plots.disagreements, plots.year_to_date, plots.operations_by_country):
        fig = draw(t, month="2023-07")
        with io.StringIO() as out:
            fig.savefig(out, format="svg")
        texts = [a.get_text() for a in fig.findobj(matplotlib.text.Text)]
        if draw is plots.disagreements:  # no events key here, but the sources' names
            assert any("$5 Daily and $10 Weekly: 37" in s for s in texts)
        else:
            assert any("$5 million and $10 million" in s for s in texts), draw.__name__
        plt.close(fig)


def test_disagreement_sides_are_drawn_from_their_numeric_columns(fake):
    """A breakdown draws the partnered operations with and without the U.S.-only ones; several figures
    draw each; a sum draws its total and writes its parts; limits draw each finite limit."""
    d = fake.discrepancies.copy()
    d.loc[0, ["value_b", "low_b", "high_b", "side_b"]] = [36, 36, 37, "breakdown"]
    d.at[0, "parts_b"] = (36, 1)
    d.loc[1, ["value_a", "qualifier_a", "low_a", "high_a", "side_a"]] = [8, "between", 8, 31, "series_limits"]
    t = Tables(fake.monthly, d, fake.periods, fake.claims, fake.events.iloc[0:0])
    rows = list(d.itertuples(index=False))
    assert plots.side_values(rows[0], "b") == [36, 37]
    assert plots.side_words(rows[0], "b") == "36 partnered, or 37 with U.S.-only operations"
    assert plots.side_values(rows[1], "a") == [8, 31] and plots.side_words(rows[1], "a") == "between 8 and 31"
    assert plots.side_values(rows[2], "b") == [38] and plots.side_words(rows[2], "b") == "27 + 11 = 38"
    assert plots.side_words(rows[3], "b") == "95 for 29 Aug to 4 Nov 2023 (68 days)"
    fig = plots.disagreements(t, month="2023-07")
    ax = fig.axes[0]
    xs = sorted(line.get_xdata()[0] for line in artists(ax, "value-b 1"))  # the row drawn second: 2023-07
    assert xs == [pytest.approx(36 / 37), pytest.approx(1.0)]
    plt.close(fig)


def test_operations_per_day_draws_each_figure_across_its_days_at_its_rate(real):
    from helpers import explore

    table = explore.operations_per_day(real.claims)
    fig = plots.operations_per_day(table)
    drawn = []
    for ax in fig.axes:
        for lines in ax.collections:
            drawn += [(round(seg[0, 1], 6), round(seg[1, 0] - seg[0, 0], 6)) for seg in lines.get_segments()]
    # each line: at value / days, as long as the days it covers (matplotlib dates count in days)
    expected = [(round(v / d, 2), float(d)) for v, d in zip(table["value"], table["period_days"])]
    assert sorted(drawn) == sorted((round(y, 6), float(w)) for y, w in expected)
    plt.close(fig)


@pytest.mark.parametrize("month", ["2023-07", "2025-12"])
def test_the_disagreements_chart_writes_every_figure_inside_the_figure(real, month):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = plots.disagreements(real, month=month)
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    ax = fig.axes[0]
    written = [t for t in ax.texts if (t.get_gid() or "").startswith("written ")]
    assert len(written) == len(ax.get_yticklabels()) > 0
    frame, box = fig.bbox, ax.get_window_extent(renderer)
    for text in written:
        extent = text.get_window_extent(renderer)
        assert box.x0 < extent.x0 and extent.x1 <= box.x1 and extent.x1 <= frame.x1, text.get_text()
        assert "…" not in text.get_text()  # names and figures in full
    plt.close(fig)
