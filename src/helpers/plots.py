"""Trend figures of the monthly series, one function per figure; each returns a matplotlib Figure.

Every function takes the tables (``tables.Tables``), a project's ``Paths``, or nothing (the
current project), plus an optional ``month`` to highlight and ``span`` (first, last month) to draw.
With a month and no span a figure draws the 24 months up to that month; with neither, the whole
series.

How a month is known is drawn the same way everywhere: bars for stated, reported and derived
figures (derived hatched); a vertical range with end caps for a month known only within limits
(a triangle where there is no upper limit, the limit written at the top where it is off the
scale); a grey hatched band marked "?" for a month with no figure, never a zero bar.

``python -m helpers.plots readme-figure OUT.png`` writes the README's example figure.
"""

from __future__ import annotations

import argparse
import calendar
import functools
import sys
import textwrap
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.collections import LineCollection, PatchCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D

from .config import Paths
from .errors import MonthError, TallyError
from .months import month_bounds, month_index, months_between, shift
from .tables import Tables
from .vocab import BASES, CORE_METRICS, COUNTRIES, HEADLINE
from .words import (
    BASIS_LABELS,
    COUNTRY_WORDS,
    METRIC_NOUNS,
    STATUS_LABELS,
    day_short,
    join,
    limits,
    metric_words,
    month_name,
    period_phrase,
    qualified,
    short_span,
)

# Choose a backend only when none is chosen yet (importing pyplot does not choose one): a
# notebook's inline backend, MPLBACKEND or a matplotlibrc stay as they are; scripts and tests
# draw headless instead of opening windows.
if matplotlib.get_backend(auto_select=False) is None:
    matplotlib.use("Agg")

WINDOW = 24  # months drawn up to a highlighted month
TITLE_PAD = 14  # points between a panel and its title: room for the event numbers
SCALE_CAP = 2.5  # an upper limit more than this times the largest value runs off the scale
PALETTE = sns.color_palette("colorblind")
BASIS_COLOURS = {
    "stated": PALETTE[0],
    "reported": PALETTE[9],
    "derived": PALETTE[2],
    "bounded": PALETTE[1],
    "unknown": "#c8c8c8",
}
STATUS_COLOURS = {"agrees": PALETTE[2], "disagrees": PALETTE[3], "cannot_check": "#555555", "derived": PALETTE[4]}
HIGHLIGHT = "#ffe9a8"
SPAN_COLOUR = "#cdb4db"  # a month drawn at the average of a longer span
EVENT_STYLE = {"color": "#444444", "linestyle": (0, (1, 2)), "linewidth": 1}
SOURCE_LINE = "Source: disis-tally, from CENTCOM releases and news reports"

THEME = {
    **sns.axes_style("whitegrid"),
    **sns.plotting_context("notebook", font_scale=0.78),
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "figure.titleweight": "bold",
    "figure.titlesize": 13,
    "axes.grid.axis": "y",
    "grid.color": "#e6e6e6",
    "legend.frameon": False,
    "hatch.linewidth": 0.8,
    "savefig.dpi": 150,
}


@functools.cache
def glyph_marker(char: str) -> MplPath:
    """A marker drawn as one character, centred and sized as matplotlib sizes a ``"$…$"`` marker,
    without its math-text parser (which a plain character does not need, and which takes some
    0.04 s to build before a report can start). In DejaVu Sans, matplotlib's own font, so the
    same on every machine."""
    glyph = TextPath((0, 0), char, prop=FontProperties(family="DejaVu Sans"))
    vertices = glyph.vertices.copy()
    for i, code in enumerate(glyph.codes):  # a closing vertex, ignored when drawn, is (0, 0): make it
        if code == MplPath.MOVETO:          # its outline's start, so that it neither widens the box
            start = vertices[i]             # nor shrinks the marker
        elif code == MplPath.CLOSEPOLY:
            vertices[i] = start
    glyph = MplPath(vertices, glyph.codes)
    box = glyph.get_extents()
    centre = Affine2D().translate(-box.xmin - box.width / 2, -box.ymin - box.height / 2)
    return centre.scale(1 / max(box.width, box.height)).transform_path(glyph)


def themed(draw):
    """Draw inside the project's theme, whatever the caller's rcParams."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with matplotlib.rc_context(THEME):
            return draw(*args, **kwargs)
    return wrapper


# --- months on the x axis -------------------------------------------------------------------------------

def window(t: Tables, month: str | None = None, span: tuple[str, str] | None = None) -> list[str]:
    """The months to draw: ``span`` if given; else the 24 months up to ``month``; else the series."""
    if span is not None:
        first, last = (t.check(m) for m in span)
        if first > last:
            raise MonthError(f"span {first} to {last} runs backwards; months available: {t.first} to {t.last}")
        return months_between(first, last)
    if month is not None:
        month = t.check(month)
        return months_between(max(t.first, shift(month, 1 - WINDOW)), month)
    return list(t.months)


def _x(day: pd.Timestamp, months: list[str], end: bool = False) -> float:
    """A day's position on the month axis, where month i spans i - 0.5 to i + 0.5 (``end``: the day's end)."""
    i = month_index(f"{day:%Y-%m}") - month_index(months[0])
    days = calendar.monthrange(day.year, day.month)[1]
    return i - 0.5 + (day.day if end else day.day - 1) / days


def _limits(months: list[str]) -> tuple[pd.Timestamp, pd.Timestamp]:
    return month_bounds(months[0])[0], month_bounds(months[-1])[1]


def _period_words(months: list[str]) -> str:
    return month_name(months[0]) if len(months) == 1 else f"{month_name(months[0])} to {month_name(months[-1])}"


def _month_axis(axes: list, months: list[str], highlight: str | None, labelled: list | None = None) -> None:
    """Month ticks for axes sharing the month axis, set once (shared axes share their ticker); labels on
    ``labelled`` axes only (default: the last). Every month is labelled for short spans, quarters or half
    years for longer ones; the highlighted month always, in bold, its neighbours making way."""
    labelled = labelled if labelled is not None else axes[-1:]
    n = len(months)
    step = 1 if n <= 14 else 3 if n <= 42 else 6
    major = [i for i, m in enumerate(months) if (int(m[5:]) - 1) % step == 0]
    if highlight in months:
        h = months.index(highlight)
        major = sorted({i for i in major if abs(i - h) > max(1, step // 2)} | {h})
    names = []
    for k, i in enumerate(major):
        m, new_year = months[i], k == 0 or months[major[k - 1]][:4] != months[i][:4]
        names.append(f"{calendar.month_abbr[int(m[5:])]}\n{m[:4]}" if new_year else calendar.month_abbr[int(m[5:])])
    axes[0].set_xlim(-0.6, n - 0.4)
    axes[0].set_xticks(major, names)
    for ax in axes:
        ax.tick_params(axis="x", which="major", length=4, labelbottom=ax in labelled)
        # a small mark for every month, as one collection (Tick objects are slow to make)
        ax.add_collection(LineCollection([[(i, 0), (i, 0.012)] for i in range(n)], colors="#999999",
                                         linewidths=0.6, transform=ax.get_xaxis_transform(), zorder=5,
                                         gid="month-marks"), autolim=False)
    if highlight in months:
        for ax in labelled:
            for tick, i in zip(ax.get_xticklabels(), major):
                tick.set_fontweight("bold" if months[i] == highlight else "normal")


def _highlight(ax, months: list[str], month: str | None) -> None:
    if month in months:
        i = months.index(month)
        ax.axvspan(i - 0.5, i + 0.5, color=HIGHLIGHT, zorder=0, gid=f"highlight {month}")


def _events(t: Tables, months: list[str]) -> list[tuple[int, float, object]]:
    """Events within the months drawn, numbered: (number, x, row)."""
    first, last = _limits(months)
    rows = [r for r in t.events.sort_values("date").itertuples(index=False) if first <= r.date <= last]
    return [(n, _x(r.date, months), r) for n, r in enumerate(rows, start=1)]


def _mark_events(axes, events, numbered=None) -> None:
    """A dotted line on every axis; the event's number above ``numbered`` axes (default: the first)."""
    for _, x, row in events:
        for ax in axes:
            ax.axvline(x, zorder=1, gid=f"event {row.date:%Y-%m-%d}", **EVENT_STYLE)
    for ax in numbered if numbered is not None else axes[:1]:
        for number, x, _ in events:
            ax.annotate(str(number), xy=(x, 1), xycoords=("data", "axes fraction"), xytext=(0, 3),
                        textcoords="offset points", ha="center", va="bottom", fontsize=7, color="#333333",
                        bbox={"boxstyle": "circle,pad=0.2", "fc": "white", "ec": "#444444", "lw": 0.6})


# --- the frame: title, legend, source line -------------------------------------------------------------------

def _new_figure(width: float, height: float) -> Figure:
    # Made through pyplot, so that the active backend (inline in a notebook) gives it its canvas,
    # then closed at once: the caller owns it, nothing piles up in pyplot, and a notebook shows a
    # returned figure once rather than twice.
    fig = plt.figure(figsize=(width, height))
    plt.close(fig)
    return fig


def source_line(t: Tables, files: tuple[str, ...]) -> str:
    """'Source: disis-tally, from CENTCOM releases and news reports; data/processed/monthly.csv.'"""
    names = [t.paths.rel(getattr(t.paths, f"{f}_csv")) if t.paths else f"data/processed/{f}.csv" for f in files]
    return f"{SOURCE_LINE}; {', '.join(names)}."


# Fixed margins, in points, from the theme's font sizes (ticks 8.6 pt, axis labels 9.4 pt). The figures
# are laid out by hand rather than by a layout engine, which measures every label twice per draw and
# doubles the time to draw a figure.
PT = 1 / 72
EDGE = 6  # figure edge to title, footer and legend
TITLE_LINE = 13 * 1.25
PANEL_TITLE = 10 + TITLE_PAD + 4  # a panel's title, its pad, and room above
TICK_LABELS = 5 * 8.6 * 0.62  # y tick labels of up to five characters ("1,000")
MONTH_LABELS = 2 * 8.6 * 1.2  # two-line month labels ("Jan\n2024")
Y_AXIS = TICK_LABELS + 2 * 9.4 * 1.25 + 24  # the tick labels, a two-line axis label and a gap before the next panel
X_AXIS = MONTH_LABELS + 8 + 9.4 * 1.3 + 6  # the month labels, the ticks and the axis label
FOOTER_LINE = 7.5 * 1.35
CHAR = 0.6  # a character's width, as a fraction of the font size (generous for DejaVu Sans)


def text_width(text: str, size: float) -> float:
    """An upper estimate of a line's width in points."""
    return len(text) * size * CHAR


def _legend_width(handles, title: str | None) -> float:
    labels = [h.get_label() for h in handles] + (title.split("\n") if title else [])
    return max(text_width(label, 8) for label in labels) + 8 * 3.2 + 2 * EDGE


def _layout(fig: Figure, top: float, bottom: float, left: float, right: float, row_gap: float) -> None:
    """Place the grid of axes by margins in points; rows ``row_gap`` apart, columns a y axis apart."""
    width, height = fig.get_size_inches() / PT
    rows, cols = fig.axes[0].get_subplotspec().get_gridspec().get_geometry()
    axes_height = (height - top - bottom - (rows - 1) * row_gap) / rows
    axes_width = (width - left - right - (cols - 1) * Y_AXIS) / cols
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height,
                        hspace=row_gap / axes_height, wspace=Y_AXIS / axes_width)


def _place_axis_labels(fig: Figure) -> None:
    """Axis labels at fixed distances from their axes (automatic placement measures every tick label
    of every panel sharing the axis, and is slow)."""
    for ax in fig.axes:
        box = ax.get_position()
        if ax.get_ylabel():
            ax.yaxis.set_label_coords(-(TICK_LABELS + 10) / (box.width * fig.get_figwidth() / PT), 0.5)
        if ax.get_xlabel():
            below = MONTH_LABELS + 12 if len(ax.get_xticks()) else 6
            ax.xaxis.set_label_coords(0.5, -below / (box.height * fig.get_figheight() / PT))


def _finish(fig: Figure, t: Tables, title: str, files: tuple[str, ...], events=(), handles=(),
            legend_title: str | None = None, left: float = Y_AXIS, panel_titles: bool = True) -> Figure:
    """Title, axes placed by margins, a legend right of the axes, and the source line (with the events'
    key) under the figure."""
    width, height = fig.get_size_inches() / PT
    fig.suptitle(title, x=EDGE / width, y=1 - EDGE / height, ha="left", va="top")
    lines = [source_line(t, files)]
    if events:
        key = "; ".join(f"({n}) {row.label}, {day_short(row.date)}"
                        for n, _, row in events)
        lines.append(f"Events: {key}.")
    text = "\n".join(w for line in lines for w in textwrap.wrap(line, int(width / text_width("x", 7.5) * 0.95)))
    fig.text(EDGE / width, EDGE / height, text, ha="left", va="bottom", fontsize=7.5, color="#555555", gid="source",
             parse_math=False)  # data text (event labels) is drawn as it is, never as math
    footer = (text.count("\n") + 1) * FOOTER_LINE + 2 * EDGE
    above = PANEL_TITLE if panel_titles else 18 if events else 8
    top = EDGE + (title.count("\n") + 1) * TITLE_LINE + 4 + above
    right = _legend_width(handles, legend_title) if handles else 3 * EDGE
    _layout(fig, top, footer + X_AXIS, left, right, PANEL_TITLE + 6)
    _place_axis_labels(fig)
    if handles:
        fig.legend(handles=list(handles), loc="upper left", bbox_to_anchor=(1 - (right - EDGE) / width,
                   1 - (top - above) / height), title=legend_title, fontsize=8, title_fontsize=8.5, alignment="left")
    return fig


def _basis_handles(drawn: set[str]) -> list:
    handles = []
    for basis in BASES:
        if basis not in drawn:
            continue
        if basis == "bounded":
            handles.append(Line2D([], [], color=BASIS_COLOURS[basis], linewidth=2.2, marker="_", markersize=9,
                                  label=BASIS_LABELS[basis]))
        elif basis == "unknown":
            handles.append(Patch(facecolor="#f2f2f2", edgecolor=BASIS_COLOURS[basis], hatch="xx",
                                 label=f"{BASIS_LABELS[basis]} (?)"))
        else:
            handles.append(Patch(facecolor=BASIS_COLOURS[basis], hatch="///" if basis == "derived" else None,
                                 edgecolor="white", label=BASIS_LABELS[basis]))
    if "span" in drawn:
        handles.append(Patch(facecolor=SPAN_COLOUR, hatch="..", edgecolor="white",
                             label="average of a longer span (label: its total)"))
    if "open" in drawn:
        handles.append(Line2D([], [], color=BASIS_COLOURS["bounded"], marker="^", linestyle="",
                              label="…no upper limit"))
    if "clipped" in drawn:
        handles.append(Line2D([], [], color=BASIS_COLOURS["bounded"], marker=glyph_marker("≤"), linestyle="",
                              markersize=7, label="…limit off the scale"))
    return handles


def _extra_handles(month: str | None, months: list[str], events) -> list:
    handles = []
    if month in months:
        handles.append(Patch(facecolor=HIGHLIGHT, label=month_name(month)))
    if events:
        handles.append(Line2D([], [], label="event (key below)", **EVENT_STYLE))
    return handles


# --- one country and metric, month by month ------------------------------------------------------------------

def _cells(t: Tables, months: list[str], country: str, metric: str) -> list:
    return [t.cell(m, country, metric) for m in months]


def _top(cells: list, at_least: float = 0) -> float:
    """The y limit. With known values, upper limits far above them run off the scale (and are labelled);
    with none, the limits set the scale."""
    known = [c.value for c in cells if c and c.known] + [c.span_average for c in cells if c and c.in_span]
    floors = [c.low for c in cells if c and not c.known]
    highs = [c.high for c in cells if c and not c.known and not c.in_span and c.high is not None]
    if known:
        base = max(known + floors)
        top = max([base] + [h for h in highs if h <= SCALE_CAP * base])
    else:
        top = max(floors + highs + [1])
    return max(top * 1.12, at_least)


def _series_panel(ax, t: Tables, months: list[str], country: str, metric: str, alpha: float = 1.0,
                  at_least: float = 0, labels: bool = True) -> set[str]:
    """Bars, ranges, span blocks and unknown bands for one country and metric; returns what was drawn. Each
    kind is one artist (a bar container, line collections, a patch collection) to keep drawing fast.
    ``labels``: write each span's total and period on its block."""
    cells = _cells(t, months, country, metric)
    top = _top(cells, at_least)
    ax.set_xlim(-0.6, len(months) - 0.4)  # as _month_axis sets it; the labels here need it first
    ax.set_ylim(0, top)
    known = [(i, c) for i, c in enumerate(cells) if c is not None and c.known]
    spans = [(i, c) for i, c in enumerate(cells) if c is not None and c.in_span]
    # a month's own limits are drawn where they are tighter than its span: a ceiling below the span's average
    ranges = [(i, c) for i, c in enumerate(cells) if c is not None and c.bounded
              and (not c.in_span or (c.high is not None and c.high < c.span_average))]
    # a ceiling off the scale over a floor of zero says little of the month: drawn as unknown, its limit written
    loose = [(i, c) for i, c in ranges if c.low == 0 and (c.high is None or c.high > top)]
    ranges = [r for r in ranges if r not in loose]
    unknown = [(i, c) for i, c in enumerate(cells) if c is not None and not c.known and not c.bounded
               and not c.in_span] + loose
    drawn = _bars(ax, known, alpha) | _ranges(ax, ranges, top, alpha)
    if unknown:
        _unknown(ax, sorted(unknown, key=lambda u: u[0]), top)
        drawn.add("unknown")
    written = _label_clipped(ax, sorted(ranges + loose, key=lambda r: r[0]), top)
    if written:
        drawn.add("clipped")
    drawn |= _span_blocks(ax, spans, alpha, labels, written)
    ax.set_ylabel(f"{METRIC_NOUNS[metric]}\na month")
    ax.yaxis.get_major_locator().set_params(integer=True, nbins=5)
    return drawn


def _bars(ax, known: list, alpha: float) -> set[str]:
    """Stated, reported and derived months as bars (derived hatched): one collection per basis, gid
    'bars BASIS', its rectangles in month order."""
    drawn = set()
    for basis in ("stated", "reported", "derived"):
        cells = [(i, c) for i, c in known if (c.basis if c.basis in BASIS_COLOURS else "stated") == basis]
        if not cells:
            continue
        bars = [Rectangle((i - 0.39, 0), 0.78, c.value) for i, c in cells]
        ax.add_collection(PatchCollection(bars, facecolor=BASIS_COLOURS[basis], edgecolor="white",
                                          hatch="///" if basis == "derived" else None, linewidth=0, alpha=alpha,
                                          zorder=2, gid=f"bars {basis}"), autolim=False)
        drawn.add(basis)
    return drawn


def _span_blocks(ax, spans: list, alpha: float, labels: bool = True, taken: list | None = None) -> set[str]:
    """Months known only through a longer span: one block across the span's months at the span's average
    for each month (never the span's total), labelled once with the total and the period where ``labels``
    (gid 'span-blocks', its rectangles in month order; 'span-label START END'). Labels keep clear of each
    other and of the boxes in ``taken`` (in points from the axes' lower left)."""
    if not spans:
        return set()
    blocks = [Rectangle((i - 0.5, 0), 1, c.span_average) for i, c in spans]
    ax.add_collection(PatchCollection(blocks, facecolor=SPAN_COLOUR, edgecolor="none", hatch="..", alpha=alpha * 0.8,
                                      linewidth=0, zorder=2, gid="span-blocks"), autolim=False)
    runs: dict[tuple, list] = {}
    for i, c in spans:
        runs.setdefault((c.span_start, c.span_end), []).append((i, c))
    to_points = _Points(ax)
    placed = list(taken or [])
    for (start, end), run in sorted(runs.items(), key=lambda r: (min(i for i, _ in r[1]), r[0])):
        xs = [i for i, _ in run]
        height = max(c.span_average for _, c in run)
        ax.plot([min(xs) - 0.5, max(xs) + 0.5], [height, height], color=BASIS_COLOURS["stated"], linewidth=1.4,
                zorder=3, gid=f"span-top {start:%Y-%m-%d} {end:%Y-%m-%d}")
        if not labels:
            continue
        text = f"{run[0][1].span_total:,}\n{short_span(start, end)}"
        box = to_points.place(placed, (min(xs) + max(xs)) / 2, height / 2,
                              max(text_width(line, 6.5) for line in text.splitlines()) + 4, 2 * 6.5 * 1.15 + 3)
        placed.append(box)
        x, y = to_points.data((box[0] + box[1]) / 2, (box[2] + box[3]) / 2)
        ax.text(x, y, text, ha="center", va="center", fontsize=6.5, linespacing=1.1,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85},
                color="#333333", zorder=5, clip_on=False, parse_math=False,
                gid=f"span-label {start:%Y-%m-%d} {end:%Y-%m-%d}")
    return {"span"}


class _Points:
    """An axes' data coordinates in points from its lower left, as laid out before drawing (close enough to
    keep labels apart), and a free place for a label box."""

    def __init__(self, ax):
        (self.x0, self.x1), (self.y0, self.y1) = ax.get_xlim(), ax.get_ylim()
        box = ax.get_position()
        self.width = box.width * ax.figure.get_figwidth() * 72
        self.height = box.height * ax.figure.get_figheight() * 72

    def points(self, x: float, y: float) -> tuple[float, float]:
        return ((x - self.x0) / (self.x1 - self.x0) * self.width, (y - self.y0) / (self.y1 - self.y0) * self.height)

    def data(self, px: float, py: float) -> tuple[float, float]:
        return (self.x0 + px / self.width * (self.x1 - self.x0), self.y0 + py / self.height * (self.y1 - self.y0))

    def place(self, placed: list, x: float, y: float, width: float, height: float) -> tuple:
        """A box of ``width`` x ``height`` points centred as near (x, y) as it can be, within the axes and
        clear of the ``placed`` boxes (left, right, bottom, top): tried there, then higher, then lower."""
        cx, cy = self.points(x, y)
        cx = min(max(cx, width / 2 + 1), self.width - width / 2 - 1)
        cy = min(max(cy, height / 2 + 2), self.height - height / 2 - 2)
        step = height + 2
        tries = [cy + k * step for k in range(8)] + [cy - k * step for k in range(1, 8)]
        inside = [c for c in tries if height / 2 <= c <= self.height - height / 2] or [cy]
        for c in inside:
            box = (cx - width / 2, cx + width / 2, c - height / 2, c + height / 2)
            if not any(box[0] < b[1] and box[1] > b[0] and box[2] < b[3] and box[3] > b[2] for b in placed):
                return box
        return (cx - width / 2, cx + width / 2, inside[0] - height / 2, inside[0] + height / 2)


def _ranges(ax, ranges: list, top: float, alpha: float) -> set[str]:
    """Months known only within limits: a vertical line from the lower to the upper limit with caps.
    Where the upper limit is off the scale or there is none, a short stub up from the lower limit ends in a
    triangle ('range-open'): the month is at least that, and the mark stands no taller than the data says."""
    if not ranges:
        return set()
    colour, stub = BASIS_COLOURS["bounded"], top * STUB
    segments, caps, open_ends = [], [], []
    for i, cell in ranges:
        on_scale = cell.high is not None and cell.high <= top
        upper = cell.high if on_scale else min(cell.low + stub, top * 0.97)
        segments.append([(i, cell.low), (i, upper)])
        caps.append([(i - 0.22, cell.low), (i + 0.22, cell.low)])
        if on_scale:
            caps.append([(i - 0.22, cell.high), (i + 0.22, cell.high)])
        else:
            open_ends.append((i, upper))
    style = {"colors": [colour], "alpha": alpha, "zorder": 3}
    ax.add_collection(LineCollection(segments, linewidths=2.2, capstyle="butt", gid="ranges", **style), autolim=False)
    ax.add_collection(LineCollection(caps, linewidths=2, gid="range-caps", **style), autolim=False)
    if not open_ends:
        return {"bounded"}
    ax.plot([x for x, _ in open_ends], [y for _, y in open_ends], marker="^", markersize=6, linestyle="",
            color=colour, alpha=alpha, zorder=3, gid="range-open")
    return {"bounded", "open"}


STUB = 0.12  # the length of an open range's stub, as a share of the axis height


def _label_clipped(ax, ranges: list, top: float) -> list[tuple]:
    """Write '≤N' once at the start of each run of neighbouring months whose upper limit N is off the scale;
    returns the boxes written, in points (see ``_Points``)."""
    runs: list[list] = []
    for i, cell in ranges:
        if cell.high is None or cell.high <= top:
            continue
        if runs and runs[-1][-1][0] == i - 1 and runs[-1][-1][1].high == cell.high:
            runs[-1].append((i, cell))
        else:
            runs.append([(i, cell)])
    to_points = _Points(ax)
    boxes: list[tuple] = []
    for run in runs:
        i, cell = run[0]
        text = f"≤{cell.high:,}"
        width = text_width(text, 7)
        box = to_points.place(boxes, i - 0.3 + (width / 2) / to_points.width * (to_points.x1 - to_points.x0),
                              top * 0.985, width, 10)
        boxes.append(box)
        ax.text(*to_points.data(box[0], box[3]), text, ha="left", va="top", fontsize=7, fontweight="bold",
                color=BASIS_COLOURS["bounded"], zorder=4, gid=f"range-clipped {cell.month}",
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.85})
    return boxes


def _unknown(ax, unknown: list, top: float) -> None:
    """Months with no figure: hatched grey bands marked '?', never bars."""
    xs = [i for i, _ in unknown]
    bands = [Rectangle((i - 0.39, 0), 0.78, top) for i in xs]
    ax.add_collection(PatchCollection(bands, facecolor="#f2f2f2", edgecolor=BASIS_COLOURS["unknown"], hatch="xx",
                                      linewidth=0, zorder=1, gid="unknown"), autolim=False)
    ax.plot(xs, [top * 0.04] * len(xs), marker=glyph_marker("?"), markersize=5, linestyle="", color="#666666", zorder=2,
            gid="unknown-marks")


# --- figures 1 and 2: the series by country ----------------------------------------------------------------------

def _series_grid(t: Tables, month, months, rows: list[list[tuple[str, str]]], size, title) -> Figure:
    """A grid of series panels, rows x columns of (country, metric), sharing the month axis."""
    fig = _new_figure(*size)
    axes = fig.subplots(len(rows), len(rows[0]), sharex=True, squeeze=False)
    drawn: set[str] = set()
    for r, row in enumerate(rows):
        for c, (country, metric) in enumerate(row):
            ax = axes[r][c]
            _highlight(ax, months, month)
            drawn |= _series_panel(ax, t, months, country, metric)
            ax.set_title(COUNTRY_WORDS[country] if len(row) == 1 else f"{COUNTRY_WORDS[country]}: "
                         f"{METRIC_NOUNS[metric]}", fontsize=10, pad=TITLE_PAD, y=1)
    _month_axis(list(axes.flat), months, month, labelled=list(axes[-1]))
    for ax in axes[-1]:
        ax.set_xlabel("month")
    events = _events(t, months)
    _mark_events(list(axes.flat), events, numbered=list(axes[0]))
    handles = _basis_handles(drawn) + _extra_handles(month, months, events)
    return _finish(fig, t, title, ("monthly",), events, handles, "How the month is known")


@themed
def operations_by_country(data=None, month: str | None = None, span: tuple[str, str] | None = None) -> Figure:
    """Figure 1: D-ISIS operations a month, for Iraq and Syria together and for each."""
    t = Tables.of(data)
    months = window(t, month, span)
    rows = [[(country, "operations")] for country in COUNTRIES]
    return _series_grid(t, month, months, rows, (11, 7.6), f"D-ISIS operations by country\n{_period_words(months)}")


@themed
def killed_detained_by_country(data=None, month: str | None = None, span: tuple[str, str] | None = None) -> Figure:
    """Figure 2: ISIS operatives killed and detained a month, by country."""
    t = Tables.of(data)
    months = window(t, month, span)
    rows = [[(country, "killed"), (country, "detained")] for country in COUNTRIES]
    title = f"ISIS operatives killed and detained by country\n{_period_words(months)}"
    return _series_grid(t, month, months, rows, (13, 7.8), title)


# --- figure 3: multi-month claims over the months --------------------------------------------------------------

def _span_rows(t: Tables, months: list[str], country: str, metric: str) -> pd.DataFrame:
    """``periods`` rows for the country and metric that overlap the months drawn, one per period and figure."""
    p = t.periods
    first, last = _limits(months)
    keep = (p["country"].eq(country) & p["metric"].eq(metric) & p["claimed"].notna()
            & (p["period_end"] >= first) & (p["period_start"] <= last)
            & (p["period_start"].dt.strftime("%Y-%m") != p["period_end"].dt.strftime("%Y-%m")))
    kept = p[keep].drop_duplicates(["period_start", "period_end", "claimed"])
    return kept.sort_values(["period_start", "period_end"])


def per_month(claimed: int, start: pd.Timestamp, end: pd.Timestamp) -> float:
    """A multi-month figure's per-month average: over its calendar months, or its days at 365.25/12 a month."""
    if start.day == 1 and end.is_month_end:
        return claimed / (month_index(f"{end:%Y-%m}") - month_index(f"{start:%Y-%m}") + 1)
    return claimed / (((end - start).days + 1) * 12 / 365.25)


@themed
def multi_month_claims(data=None, month: str | None = None, span: tuple[str, str] | None = None,
                       country: str = "all") -> Figure:
    """Figure 3: figures for a quarter, a half year or "60 days" drawn across their months at their
    per-month average, over the monthly series."""
    t = Tables.of(data)
    months = window(t, month, span)
    fig = _new_figure(11, 8.2)
    axes = fig.subplots(len(HEADLINE), 1, sharex=True, squeeze=False)[:, 0]
    drawn, statuses = set(), set()
    for ax, metric in zip(axes, HEADLINE):
        rows = _span_rows(t, months, country, metric)
        averages = [per_month(r.claimed, r.period_start, r.period_end) for r in rows.itertuples()]
        _highlight(ax, months, month)
        drawn |= _series_panel(ax, t, months, country, metric, alpha=0.5, at_least=max(averages, default=0) * 1.25,
                               labels=False)  # the span lines below carry the totals
        if ax is axes[0]:
            _month_axis(list(axes), months, month)  # shared by all three: the spans need the x limits
        statuses |= _draw_spans(ax, rows, averages, months)
        ax.set_title(f"{COUNTRY_WORDS[country]}: {METRIC_NOUNS[metric]}", fontsize=10, pad=TITLE_PAD, y=1)
    axes[-1].set_xlabel("month")
    events = _events(t, months)
    _mark_events(list(axes), events)
    handles = [Line2D([], [], color=STATUS_COLOURS[s], linewidth=2.5, linestyle="--" if s == "derived" else "-",
                      label=STATUS_LABELS[s]) for s in STATUS_COLOURS if s in statuses]
    handles += _basis_handles(drawn) + _extra_handles(month, months, events)
    title = f"Multi-month figures against the months, {COUNTRY_WORDS[country]}\n{_period_words(months)}"
    return _finish(fig, t, title, ("periods", "monthly"), events, handles,
                   "Lines: a total over several months,\nspread evenly (label: the total)")


def _draw_spans(ax, rows: pd.DataFrame, averages: list[float], months: list[str]) -> set[str]:
    """Each multi-month figure as a line across its dates at its per-month average, coloured by how it
    compares with the months; ticks where it starts and ends within the months drawn; its total above."""
    statuses, ends, labels = set(), [], []
    first, last = _limits(months)
    tick = ax.get_ylim()[1] * 0.025
    for row, avg in zip(rows.itertuples(index=False), averages):
        status = ("derived" if row.span_kind == "derived"
                  else row.status if row.status in STATUS_COLOURS else "cannot_check")
        statuses.add(status)
        colour = STATUS_COLOURS[status]
        x0 = _x(max(row.period_start, first), months)
        x1 = _x(min(row.period_end, last), months, end=True)
        ax.plot([x0, x1], [avg, avg], color=colour, linewidth=2.4, solid_capstyle="butt", zorder=4,
                linestyle="--" if status == "derived" else "-",
                gid=f"span {row.period_start:%Y-%m-%d} {row.period_end:%Y-%m-%d} {status}")
        ends += [([(x, avg - tick), (x, avg + tick)], colour)
                 for x, inside in ((x0, row.period_start >= first), (x1, row.period_end <= last)) if inside]
        labels.append(((x0 + x1) / 2, avg, qualified(row.claimed, row.qualifier), colour))
    if ends:
        ax.add_collection(LineCollection([e for e, _ in ends], colors=[c for _, c in ends], linewidths=1.2,
                                         zorder=4, gid="span-ends"))
    _place_labels(ax, labels)
    return statuses


def _place_labels(ax, items: list[tuple[float, float, str, object]], fontsize: float = 7.5) -> None:
    """Labels above points, (x, y, text, colour) each; a label that would overlap one already placed
    moves up (or below its point) in steps of a line. Sizes are estimated from the axes' size before
    layout, which is close enough to keep labels apart."""
    if not items:
        return
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    box = ax.get_position()
    width_pt = box.width * ax.figure.get_figwidth() * 72
    height_pt = box.height * ax.figure.get_figheight() * 72
    line = fontsize * 1.5
    placed: list[tuple[float, float, float, float]] = []
    for x, y, text, colour in sorted(items, key=lambda item: (item[1], item[0])):
        cx, cy = (x - x0) / (x1 - x0) * width_pt, (y - y0) / (y1 - y0) * height_pt
        half = len(text) * fontsize * 0.31
        shift = max(0, half - cx) - max(0, cx + half - width_pt)  # keep the label within the axes
        cx += shift
        for offset in [3 + k * line for k in range(8)] + [-3 - line * (k + 1) for k in range(4)]:
            bottom = cy + offset
            clash = any(cx - half < right and cx + half > left and bottom < top and bottom + line > low
                        for left, right, low, top in placed)
            if not clash and bottom + line <= height_pt + line:
                break
        placed.append((cx - half, cx + half, bottom, bottom + line))
        ax.annotate(text, xy=(x, y), xytext=(shift, offset), textcoords="offset points", ha="center", va="bottom",
                    fontsize=fontsize, color=colour, fontweight="bold", zorder=5, annotation_clip=False,
                    parse_math=False, bbox={"boxstyle": "round,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75})


# --- figure 4: disagreements -----------------------------------------------------------------------------------

def _contested(t: Tables, months: list[str]) -> pd.DataFrame:
    d = t.discrepancies
    first, last = _limits(months)
    rows = d[(d["period_end"] >= first) & (d["period_start"] <= last)]
    return rows.sort_values(["period_start", "period_end", "country", "metric"], kind="mergesort")


def _series_value(t: Tables, row) -> int | None:
    """The series' own figure for a disagreement's period: a known month, or a whole-month period whose
    months are all known (``periods.series_sum``)."""
    start, end = row.period_start, row.period_end
    if not (start.day == 1 and end.is_month_end):
        return None
    months = months_between(f"{start:%Y-%m}", f"{end:%Y-%m}")
    cells = [t.cell(m, row.country, row.metric) for m in months]
    if cells and all(c is not None and c.known for c in cells):
        return sum(c.value for c in cells)
    return None


def _clip(name: str, width: int = 38) -> str:
    return name if len(name) <= width else name[: width - 1] + "…"


@themed
def disagreements(data=None, month: str | None = None, span: tuple[str, str] | None = None) -> Figure:
    """Figure 4: for each contested period, each source's figure beside the series' own. Each row is
    drawn to its own scale (0 to its largest figure), and the figures are written beside it."""
    t = Tables.of(data)
    months = window(t, month, span)
    rows = _contested(t, months)
    focus = month_bounds(month) if month in months else None
    labels = [f"{short_span(row.period_start, row.period_end)} · {COUNTRY_WORDS.get(row.country, row.country)}"
              f" · {metric_words(row.metric)} ({row.kind.replace('_', ' ')})" for row in rows.itertuples(index=False)]
    texts = [_disagreement_text(t, row) for row in rows.itertuples(index=False)]
    handles = [Line2D([], [], linestyle="", label="the figure the series follows", **MARKERS["a"]),
               Line2D([], [], linestyle="", label="the other figure", **MARKERS["b"]),
               Line2D([], [], linestyle="", label="the monthly series", **MARKERS["series"])]
    if focus:
        handles.append(Patch(facecolor=HIGHLIGHT, label=f"touches {month_name(month)}"))
    # wide enough for every label and written figure at full length: the track is TRACK points, the text its own
    left = max([text_width(label, 8) for label in labels] + [0]) + 12
    written = max([text_width(line, TEXT_SIZE) for text in texts for line in text.split("\n")] + [0]) + 8
    right_end = TEXT_AT + written / TRACK
    width = (left + TRACK * (right_end + 0.03) + _legend_width(handles, None)) * PT
    fig = _new_figure(max(10.0, width) if texts else 14, max(3.0, 1.7 + 0.42 * len(rows)))
    ax = fig.subplots()
    title = f"Where the sources disagree\nfigures for periods touching {_period_words(months)}"
    if rows.empty:
        ax.set_axis_off()
        ax.text(0.5, 0.5, "No disagreements touch these months.", ha="center", va="center", transform=ax.transAxes)
        return _finish(fig, t, title, ("discrepancies",), panel_titles=False)
    series_drawn = False
    for y, row in enumerate(rows.itertuples(index=False)):
        if focus and row.period_start <= focus[1] and row.period_end >= focus[0]:
            ax.axhspan(y - 0.5, y + 0.5, color=HIGHLIGHT, zorder=0, gid=f"highlight-row {y}")
        series_drawn |= _disagreement_row(ax, t, y, row)
        ax.text(TEXT_AT, y, texts[y], va="center", ha="left", fontsize=TEXT_SIZE, color="#333333", linespacing=1.25,
                parse_math=False, gid=f"written {y}")
    ax.set_yticks(range(len(rows)), labels, fontsize=8)
    ax.set_ylim(len(rows) - 0.5, -0.5)
    ax.set_xlim(-0.03, right_end)
    ax.set_xticks([])
    ax.grid(False)
    ax.axvline(TEXT_AT - 0.05, color="#cccccc", linewidth=0.8)
    ax.set_xlabel("each row is drawn from 0 (left) to its largest figure; the figures are written on the right")
    if not series_drawn:
        handles.pop(2)
    return _finish(fig, t, title, ("discrepancies", "monthly"), (), handles, None, left=left, panel_titles=False)


# Close figures share a spot on a track drawn from 0: the followed figure is a ring around the others, on top,
# so that a square or diamond at (nearly) the same value still shows inside it.
MARKERS = {"a": {"marker": "o", "color": PALETTE[0], "markerfacecolor": "none", "markeredgewidth": 1.6,
                 "markersize": 9, "zorder": 4},
           "b": {"marker": "s", "color": PALETTE[3], "markersize": 5, "zorder": 3},
           "series": {"marker": "D", "color": "#222222", "markersize": 4.5, "zorder": 3.5}}
TEXT_AT = 1.12  # where the written figures start, in the row's scale (the track runs 0 to 1)
TRACK = 150  # the track's width in points
TEXT_SIZE = 7.2


SERIES_SIDES = ("series_sum", "series_limits")


def side_values(row, x: str) -> list[int]:
    """The numbers a side of a disagreement draws: its figure or figures; for a breakdown the partnered
    operations with and without the U.S.-only ones; for the limits the series allows, each finite limit."""
    side, parts = getattr(row, f"side_{x}"), getattr(row, f"parts_{x}")
    if side == "figures":
        return list(parts)
    if side == "breakdown":
        return [parts[0], sum(parts)] if len(parts) > 1 else [parts[0]]
    if side == "series_limits":
        low, high = getattr(row, f"low_{x}"), getattr(row, f"high_{x}")
        if low == high:
            return [int(low)]
        return ([int(low)] if low > 0 else []) + ([] if pd.isna(high) else [int(high)])
    return [int(getattr(row, f"value_{x}"))]


def side_words(row, x: str) -> str:
    """A side as the figure writes it, from its columns: "more than 95"; "191 + 108 = 299"; "33 for
    6 Sep to 4 Nov 2024 (60 days)"."""
    side, value, parts = getattr(row, f"side_{x}"), int(getattr(row, f"value_{x}")), getattr(row, f"parts_{x}")
    qualifier = getattr(row, f"qualifier_{x}")
    if side == "figures":
        text = join([qualified(v, q) for v, q in zip(parts, qualifier.split(";"))], unique=False)
    elif side == "breakdown":
        text = f"{parts[0]:,} partnered" + (f", or {sum(parts):,} with U.S.-only operations" if len(parts) > 1 else "")
    elif side in ("sum_of_countries", "sum_of_months"):
        text = " + ".join(f"{p:,}" for p in parts) + f" = {value:,}"
    elif side == "series_limits":
        high = getattr(row, f"high_{x}")
        text = limits(getattr(row, f"low_{x}"), None if pd.isna(high) else high) or "any number"
    else:
        text = qualified(value, qualifier)
    start, end = (row.period_start, row.period_end) if x == "a" else (row.period_start_b, row.period_end_b)
    if row.kind == "period_wording" and not pd.isna(start):
        days = (end - start).days + 1
        text += f" for {period_phrase(start, end, short=True)} ({days} days)"
    return text


def _disagreement_row(ax, t: Tables, y: int, row) -> bool:
    """One disagreement: a grey track from 0 to the row's largest figure, a marker for each figure.
    Returns whether the series' own figure is among them."""
    from_series = {x: getattr(row, f"side_{x}") in SERIES_SIDES for x in ("a", "b")}
    series = _series_value(t, row)
    points = [(x, v) for x in ("a", "b") for v in side_values(row, x)]
    if series is not None and not any(from_series.values()):
        points.append(("series", series))
    scale = max([v for _, v in points] + [1])
    ax.plot([0, 1], [y, y], color="#dddddd", linewidth=4, solid_capstyle="round", zorder=1)
    for side, value in points:
        ax.plot([value / scale], [y], linestyle="", gid=f"value-{side} {y}",
                **MARKERS["series" if from_series.get(side) else side])
    return series is not None or any(from_series.values())


def _disagreement_text(t: Tables, row) -> str:
    """The two sides of a disagreement as written beside its track, in full (and the series' own figure)."""
    from_series = {x: getattr(row, f"side_{x}") in SERIES_SIDES for x in ("a", "b")}
    words = []
    for x, ids in (("a", row.source_a), ("b", row.source_b)):
        who = "the series" if from_series[x] else t.names(ids, limit=2, short=True)
        mark = "◆" if from_series[x] else "○" if x == "a" else "■"  # as the track draws it (MARKERS)
        words.append(f"{mark} {who}: {side_words(row, x)}")
    series = _series_value(t, row)
    if series is not None and not any(from_series.values()):
        words[-1] += f"   ◆ the series: {series:,}"
    return "\n".join(words)


# --- figure 5: year to date ---------------------------------------------------------------------------------------

def _cumulative(t: Tables, months: list[str], metric: str, country: str) -> list[tuple[int, int | None] | None]:
    """For each month drawn, the total from its January to its end as the figures allow it (``tally total``):
    (low, high), high None where there is no upper limit; None where nothing bounds it."""
    return [t.totals.bounds(f"{m[:4]}-01..{m}", metric, country) for m in months]


def _tallies(t: Tables, months: list[str], metric: str, country: str) -> pd.DataFrame:
    """``periods`` rows from 1 January to a later month of the same year, ending within the months drawn."""
    p = t.periods
    first, last = _limits(months)
    starts_january = p["period_start"].dt.strftime("%m-%d").eq("01-01")
    same_year = p["period_start"].dt.year.eq(p["period_end"].dt.year)
    longer = p["period_start"].dt.strftime("%Y-%m") != p["period_end"].dt.strftime("%Y-%m")
    keep = (p["metric"].eq(metric) & p["country"].eq(country) & starts_january & same_year & longer
            & p["span_kind"].ne("derived") & p["claimed"].notna() & p["period_end"].between(first, last))
    return p[keep].drop_duplicates(["period_end", "claimed", "qualifier"])


@themed
def year_to_date(data=None, month: str | None = None, span: tuple[str, str] | None = None,
                 country: str = "all") -> Figure:
    """Figure 5: the series summed from each January, with the running tallies sources gave."""
    t = Tables.of(data)
    months = window(t, month, span)
    fig = _new_figure(11, 8.2)
    axes = fig.subplots(len(HEADLINE), 1, sharex=True, squeeze=False)[:, 0]
    kinds: set[str] = set()
    for ax, metric in zip(axes, HEADLINE):
        _highlight(ax, months, month)
        if ax is axes[0]:
            _month_axis(list(axes), months, month)  # shared by all three: the labels need the x limits
        kinds |= _draw_cumulative(ax, t, months, metric, country)
        kinds |= _draw_tallies(ax, t, months, metric, country)
        ax.set_title(f"{COUNTRY_WORDS[country]}: {METRIC_NOUNS[metric]}, year to date", fontsize=10, pad=TITLE_PAD, y=1)
        ax.set_ylabel(f"{METRIC_NOUNS[metric]}\nsince 1 January")
    axes[-1].set_xlabel("month (totals at the end of each month)")
    events = _events(t, months)
    _mark_events(list(axes), events)
    styles = {
        "exact": Line2D([], [], color=PALETTE[0], marker="o", markersize=3.5, label="the series, summed"),
        "at_least": Line2D([], [], color=PALETTE[0], linestyle=(0, (4, 2)), label="…at least (not known exactly)"),
        "between": Patch(facecolor=PALETTE[0], alpha=0.15, label="…between these limits"),
        "outlet": Line2D([], [], marker="D", linestyle="", color=PALETTE[3], label="a running tally (outlet)"),
        "centcom": Line2D([], [], marker="s", linestyle="", color=PALETTE[0], markeredgecolor="black",
                          label="a running tally (CENTCOM)"),
    }
    handles = [styles[k] for k in styles if k in kinds] + _extra_handles(month, months, events)
    if not {"exact", "at_least", "between", "outlet", "centcom"} & kinds:
        axes[0].text(0.5, 0.5, "No year-to-date total is known for these months.", transform=axes[0].transAxes,
                     ha="center", va="center", fontsize=9, color="#555555")
    title = f"Year to date, {COUNTRY_WORDS[country]}: the series against running tallies\n{_period_words(months)}"
    return _finish(fig, t, title, ("monthly", "periods"), events, handles, None)


def _draw_cumulative(ax, t: Tables, months: list[str], metric: str, country: str) -> set[str]:
    """Each year's total to the end of each month: a line where it is exact, a dashed line at its lower limit
    where only that is known (never at zero), a band up to its upper limit where there is one."""
    cum = _cumulative(t, months, metric, country)
    kinds: set[str] = set()
    for year in sorted({m[:4] for m in months}):
        xs, low, high, starts = _year_to_date_points(months, cum, year)
        kinds |= _draw_cumulative_band(ax, xs, low, high, year)
        kinds |= _draw_cumulative_line(ax, xs, low, low == high, starts, year)
    ax.set_ylim(bottom=0)
    return kinds


def _year_to_date_points(months: list[str], cum: list, year: str) -> tuple[list[float], np.ndarray, np.ndarray, bool]:
    """One year's x positions (month ends) and its totals' lows and highs (NaN: not known, no upper limit);
    a year drawn from its January starts at zero, at the start of January."""
    idx = [i for i, m in enumerate(months) if m[:4] == year]
    starts = months[idx[0]].endswith("-01")
    xs = ([idx[0] - 0.5] if starts else []) + [i + 0.5 for i in idx]
    cells = ([(0, 0)] if starts else []) + [cum[i] for i in idx]
    low = np.array([np.nan if c is None else c[0] for c in cells], dtype=float)
    high = np.array([np.nan if c is None or c[1] is None else c[1] for c in cells], dtype=float)
    return xs, low, high, starts


def _draw_cumulative_band(ax, xs: list[float], low: np.ndarray, high: np.ndarray, year: str) -> set[str]:
    if not np.any(high > low):
        return set()
    ax.fill_between(xs, low, high, where=~np.isnan(high), color=PALETTE[0], alpha=0.15, linewidth=0,
                    zorder=2, gid=f"cumulative-band {year}")
    return {"between"}


def _draw_cumulative_line(ax, xs: list[float], low: np.ndarray, exact: np.ndarray, starts: bool,
                          year: str) -> set[str]:
    """Solid between exact totals, dashed where either end is only a lower limit; a dot on each exact one."""
    kinds = set()
    for k in range(1, len(xs)):
        if np.isnan(low[k - 1]) or np.isnan(low[k]) or (not exact[k] and low[k] == 0):
            continue  # nothing known, or only an upper limit: the band says it
        solid = exact[k - 1] and exact[k]
        ax.plot(xs[k - 1:k + 1], low[k - 1:k + 1], color=PALETTE[0], linewidth=1.6, zorder=3,
                linestyle="-" if solid else (0, (4, 2)), gid=f"cumulative-{'exact' if solid else 'low'} {year}")
        kinds.add("exact" if solid else "at_least")
    points = [k for k in range(len(xs)) if exact[k] and not (starts and k == 0)]
    if points:
        ax.plot([xs[k] for k in points], [low[k] for k in points], "o", color=PALETTE[0], markersize=3.5,
                zorder=4, gid=f"cumulative {year}")
        kinds.add("exact")
    return kinds


def _draw_tallies(ax, t: Tables, months: list[str], metric: str, country: str) -> set[str]:
    """Each running tally as a marker at the end of its period (a square for CENTCOM's own), labelled."""
    rows = _tallies(t, months, metric, country)
    kinds, labels = set(), []
    ax.set_ylim(0, max([ax.get_ylim()[1]] + [v * 1.25 for v in rows["claimed"]]))
    for row in rows.itertuples(index=False):
        centcom = any(s.centcom for s in t.sources(row.source_ids))
        kinds.add("centcom" if centcom else "outlet")
        x = _x(row.period_end, months, end=True)
        ax.plot([x], [row.claimed], "s" if centcom else "D", color=PALETTE[0] if centcom else PALETTE[3],
                markeredgecolor="black" if centcom else PALETTE[3], markersize=6, zorder=5,
                gid=f"tally {row.period_end:%Y-%m-%d} {row.claimed}")
        sources = t.sources(row.source_ids)
        who = sources[0].short + (" and others" if len(sources) > 2
                                  else f" and {sources[1].short}" if len(sources) == 2 else "")
        labels.append((x, row.claimed, f"{qualified(row.claimed, row.qualifier)} {_clip(who, 36)}", "#333333"))
    _place_labels(ax, labels, fontsize=7)
    return kinds


# --- figure 6: coverage -------------------------------------------------------------------------------------------

@themed
def coverage(data=None, month: str | None = None, span: tuple[str, str] | None = None) -> Figure:
    """Figure 6: how each month, country and metric is known, as a grid coloured by basis."""
    t = Tables.of(data)
    months = window(t, month, span)
    rows = [(c, m) for c in COUNTRIES for m in CORE_METRICS]
    codes = np.full((len(rows), len(months)), np.nan)
    for r, (country, metric) in enumerate(rows):
        for i, cell in enumerate(_cells(t, months, country, metric)):
            if cell is not None:
                basis = cell.basis if cell.basis in BASES else "unknown"
                codes[r, i] = len(BASES) if cell.in_span else BASES.index(basis)
    fig = _new_figure(12, 6.2)
    ax = fig.subplots()
    ax.pcolormesh(np.arange(len(months) + 1) - 0.5, np.arange(len(rows) + 1) - 0.5, codes,
                  cmap=ListedColormap([BASIS_COLOURS[b] for b in BASES] + [SPAN_COLOUR]), vmin=-0.5,
                  vmax=len(BASES) + 0.5,
                  edgecolors="white", linewidth=0.6, gid="coverage")
    ax.set_ylim(len(rows) - 0.5, -0.5)
    for r in range(len(CORE_METRICS), len(rows), len(CORE_METRICS)):
        ax.axhline(r - 0.5, color="black", linewidth=1.2)
    ax.set_yticks(range(len(rows)), [f"{COUNTRY_WORDS[c]}: {METRIC_NOUNS[m]}" for c, m in rows], fontsize=8)
    ax.grid(False)
    _month_axis([ax], months, month)
    ax.set_xlabel("month")
    if month in months:
        ax.add_patch(Rectangle((months.index(month) - 0.5, -0.5), 1, len(rows), fill=False, edgecolor="black",
                               linewidth=1.8, zorder=5, gid=f"highlight {month}"))
    events = _events(t, months)
    _mark_events([ax], events)
    present = {(list(BASES) + ["span"])[int(c)] for c in codes[~np.isnan(codes)]}
    handles = [Patch(facecolor=BASIS_COLOURS[b], label=BASIS_LABELS[b]) for b in BASES if b in present]
    if "span" in present:
        handles.append(Patch(facecolor=SPAN_COLOUR, label="average of a longer span"))
    if month in months:
        handles.append(Patch(facecolor="white", edgecolor="black", label=month_name(month)))
    if events:
        handles.append(Line2D([], [], label="event (key below)", **EVENT_STYLE))
    left = max(text_width(label.get_text(), 8) for label in ax.get_yticklabels()) + 12
    return _finish(fig, t, f"How each month is known\n{_period_words(months)}", ("monthly",), events, handles,
                   "Basis", left=left, panel_titles=False)


FIGURES = {
    "operations": operations_by_country,
    "killed_detained": killed_detained_by_country,
    "periods": multi_month_claims,
    "disagreements": disagreements,
    "year_to_date": year_to_date,
    "coverage": coverage,
}


def draw_all(data=None, month: str | None = None, span: tuple[str, str] | None = None) -> dict[str, Figure]:
    """Every figure for a month (or span), keyed as in ``FIGURES``."""
    t = Tables.of(data)
    return {name: draw(t, month=month, span=span) for name, draw in FIGURES.items()}


def readme_figure(out: Path, paths: Paths | None = None) -> Path:
    """The README's example: operations by country over the whole series."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    operations_by_country(Tables.load(paths)).savefig(out, dpi=110, metadata={"Software": None})
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.plots", description="Draw the project's figures.")
    sub = parser.add_subparsers(dest="command", required=True)
    readme = sub.add_parser("readme-figure", help="write the README's example figure (operations by country)")
    readme.add_argument("out", type=Path, help="the PNG to write, e.g. docs/example-figure.png")
    readme.add_argument("--root", type=Path, default=None, help="the project copy (default: found from the cwd)")
    args = parser.parse_args(argv)
    try:
        print(readme_figure(args.out, Paths.at(args.root)))
    except TallyError as exc:
        print(f"python -m helpers.plots: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())


# --- point-in-time counts: camps, detainees held, transfers so far --------------------------------------------

WHOSE_COLOURS = {"centcom": PALETTE[0], "outlet": PALETTE[1], "other": PALETTE[3], "lig": PALETTE[4]}
WHOSE_LABELS = {"centcom": "CENTCOM (its own or quoted)", "outlet": "an outlet's own figure",
                "other": "another party (e.g. the Iraqi government)", "lig": "Lead Inspector General"}


@themed
def point_in_time(table: pd.DataFrame, metrics: list[str] | None = None) -> Figure:
    """One panel per metric of ``explore.point_in_time``: each figure a dot at its date, coloured by whose it
    is; a qualified figure is a vertical range (an arrow where there is no upper limit)."""
    metrics = metrics or list(dict.fromkeys(table["metric"]))
    fig = _new_figure(8.5, 2.3 * len(metrics) + 0.6)
    axes = fig.subplots(len(metrics), 1, squeeze=False)[:, 0]
    seen: set[str] = set()
    for ax, metric in zip(axes, metrics):
        rows = table[table["metric"] == metric]
        for whose, part in rows.groupby("attributed_to", sort=True):
            colour = WHOSE_COLOURS.get(whose, "#555555")
            seen.add(whose)
            ax.scatter(part["date"], part["value"], s=22, color=colour, zorder=3)
            for _, r in part.iterrows():
                if r["low"] != r["value"] or pd.isna(r["high"]) or r["high"] != r["value"]:
                    top = r["value"] * 1.15 if pd.isna(r["high"]) else r["high"]
                    ax.annotate("", xy=(r["date"], top), xytext=(r["date"], r["low"]),
                                arrowprops={"arrowstyle": "-|>" if pd.isna(r["high"]) else "|-|",
                                            "color": colour, "lw": 1, "shrinkA": 0, "shrinkB": 0})
        words = metric_words(metric)
        ax.set_title(words[:1].upper() + words[1:], fontsize=10, parse_math=False)
        ax.set_ylim(bottom=0)
        ax.yaxis.set_major_formatter(matplotlib.ticker.StrMethodFormatter("{x:,.0f}"))
    handles = [Line2D([], [], marker="o", linestyle="", color=WHOSE_COLOURS[w], label=WHOSE_LABELS[w])
               for w in WHOSE_COLOURS if w in seen]
    fig.legend(handles=handles, loc="lower center", ncol=len(handles), fontsize=8)
    fig.suptitle("Counts at a moment and counts so far, as each source gave them")
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    return fig


@themed
def operations_per_day(table: pd.DataFrame) -> Figure:
    """One panel per country of ``explore.operations_per_day``: each exact operations figure a line across
    the days it covers at its operations per day; a month thin, a longer or shorter span thick."""
    countries = [c for c in COUNTRIES if c in set(table["country"])]
    fig = _new_figure(11, 2.2 * len(countries) + 1.2)
    axes = fig.subplots(len(countries), 1, sharex=True, squeeze=False)[:, 0]
    for ax, country in zip(axes, countries):
        rows = table[table["country"] == country]
        for month_long, part in rows.groupby(rows["period_kind"].eq("month"), sort=True):
            ax.hlines(part["per_day"], part["period_start"], part["period_end"] + pd.Timedelta(days=1),
                      color=PALETTE[0] if month_long else PALETTE[3], linewidth=1.6 if month_long else 4,
                      alpha=0.9, gid=f"per-day {country} {'months' if month_long else 'spans'}")
        ax.set_title(COUNTRY_WORDS[country], fontsize=10)
        ax.set_ylabel("operations\na day")
        ax.set_ylim(bottom=0)
    handles = [Line2D([], [], color=PALETTE[0], linewidth=1.6, label="a month's figure"),
               Line2D([], [], color=PALETTE[3], linewidth=4, label="a quarter, half year or other span")]
    fig.legend(handles=handles, loc="lower center", ncol=2, fontsize=8)
    fig.suptitle("Operations per day, each exact figure across the days it covers")
    fig.tight_layout(rect=(0, 0.05, 1, 1))
    return fig
