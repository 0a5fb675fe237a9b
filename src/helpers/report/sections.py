"""The pieces of the monthly report notebook that the narrative and the plots do not give.

Its title and headline, the figures as embedded images, the by-country table, the month's
disagreements, its sources as links and the note on method. Each function returns an object
the notebook displays; any text that comes from the data is HTML-escaped, and a link is only
made of an http(s) address, so a source titled ``<script>`` shows as text.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import warnings
from concurrent.futures import ProcessPoolExecutor
from html import escape
from types import SimpleNamespace

import pandas as pd

from .. import narrative, plots, reconcile
from ..tables import Tables
from ..vocab import BAND, CORE_METRICS, DISCREPANCY_KINDS
from ..words import COUNTRY_WORDS, metric_words, month_name, span_name
from ._warm import collector_paused, end_with_parent
from .render import FIGURE_JOBS, META_KEY

UNPUBLISHED = "not published"
HEADLINE_LABELS = {"operations": "operations", "killed": "killed", "detained": "detained"}
COUNTRY_ORDER = ("iraq", "syria", "all")
BASIS_WORDS = {
    "stated": "stated by CENTCOM",
    "reported": "reported by outlets",
    "derived": "derived",
    "bounded": "within limits",
    "unknown": "not published",
}
KIND_WORDS = {
    "centcom_release": "CENTCOM release",
    "centcom_statement": "CENTCOM statement",
    "news": "news report",
    "lig": "Lead Inspector General report",
    "other": "other document",
}


class Shown:
    """Something the notebook displays: a MIME bundle and its metadata."""

    def __init__(self, data: dict[str, str], metadata: dict | None = None):
        self.data = data
        self.metadata = metadata or {}

    def _repr_mimebundle_(self, include=None, exclude=None):
        return self.data, self.metadata


def _label(metric: str) -> str:
    """'Partnered operations', 'ISIS operatives killed': the metric's words as a label."""
    noun = metric_words(metric)
    return noun[0].upper() + noun[1:]


def _html(html: str, text: str) -> Shown:
    return Shown({"text/html": html, "text/plain": text})


def _markdown(md: str) -> Shown:
    return Shown({"text/markdown": md, "text/plain": md})


def _safe_markdown(md: str) -> str:
    """Markdown with any raw HTML in it shown as text (``&`` and ``<`` escaped; Markdown itself kept)."""
    return md.replace("&", "&amp;").replace("<", "&lt;")


def _int(value) -> int | None:
    return None if pd.isna(value) else int(value)


def _amount(row) -> str:
    """A cell of the series in figures: 31; 23 to 79; at least 23; at most 94; not published."""
    value, low, high = _int(row["value"]), _int(row["low"]) or 0, _int(row["high"])
    if value is not None:
        return f"{value:,}"
    if low and high is not None:
        return f"{low:,} to {high:,}"
    if low:
        return f"at least {low:,}"
    if high is not None:
        return f"at most {high:,}"
    return UNPUBLISHED


def _month_rows(month: str, data) -> pd.DataFrame:
    """The monthly series' rows for one month, from loaded tables (or a project copy); the month checked."""
    t = Tables.of(data)
    t.check(month)
    return t.monthly[t.monthly["month"] == month]


def headline(month: str, data=None) -> dict[str, str]:
    """Operations, killed and detained in Iraq and Syria together, in words ("31", "at least 23"; for a
    month known only through a span, "about 34 a month (102 for Apr–Jun 2024)")."""
    return narrative.headline_figures(month, tables=Tables.of(data))


def _headline_item(figure: str, label: str) -> str:
    """31 operations; about 34 operations a month (102 for Apr–Jun 2024); operations not published."""
    if figure == UNPUBLISHED:
        return f"{label} {figure}"
    if " a month" in figure:
        return figure.replace(" a month", f" {label} a month", 1)
    if " this month" in figure:
        return figure.replace(" this month", f" {label} this month", 1)
    return f"{figure} {label}"


def title(month: str, data=None) -> Shown:
    """The report's heading and headline figures; its metadata names the month rendered.

    ``data``, here and below: the notebook's ``Tables``, or a project copy's ``Paths``."""
    figures = headline(month, data)
    name = month_name(month)
    line = " · ".join(_headline_item(figures[m], label) for m, label in HEADLINE_LABELS.items())
    if all(v == UNPUBLISHED for v in figures.values()):
        line = "No figure published for the month"
    md = f"# Defeat-ISIS figures for Iraq and Syria: {name}\n\n**{line}** (Iraq and Syria together)\n"
    return Shown({"text/markdown": md, "text/plain": md},
                 {META_KEY: {"month": month, "title": f"D-ISIS figures, {name}", "headline": figures}})


def summary(month: str, tables: Tables | None = None) -> Shown:
    """The narrative of the month (``narrative.month_summary``), any raw HTML in it shown as text."""
    return _markdown(_safe_markdown(narrative.month_summary(month, tables=tables)))


def figure(fig) -> Shown:
    """A matplotlib figure as SVG at its own size, with its title as alternative text; the figure is closed.

    Vector, not pixels: sharp at any zoom and in print, and cheaper to make than a PNG, since text
    is written as text for the browser to draw rather than rasterised glyph by glyph.
    The text is set in the figure's fonts where the reader has them (DejaVu Sans, else the usual
    sans-serif fallbacks). Byte-identical for the same figure: fixed ids, no date."""
    import matplotlib
    import matplotlib.pyplot as plt

    svg = io.BytesIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "disis-tally"}):
        fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    plt.close(fig)
    alt = _figure_title(fig)
    return Shown({"image/svg+xml": svg.getvalue().decode("utf-8"), "text/plain": alt},
                 {"image/svg+xml": {"alt": alt}})


# The report's figures, by the name the notebook shows them under.
FIGURES = {
    "killed_detained": plots.killed_detained_by_country,
    "year_to_date": plots.year_to_date,
    "multi_month": plots.multi_month_claims,
    "disagreements": plots.disagreements,
    "operations": plots.operations_by_country,
    "coverage": plots.coverage,
}


def figures(month: str, tables: Tables | None = None, jobs: int | None = None) -> SimpleNamespace:
    """The report's figures for ``month`` as displayable images, by name (``figures.operations``).

    Drawn over ``jobs`` processes (default: ``$TALLY_FIGURE_JOBS``, else 1), forked from this one by
    ``concurrent.futures`` so that they start with the tables and libraries loaded; the same images
    whatever the number."""
    t = Tables.of(tables)
    month = t.check(month)
    if jobs is None:
        jobs = int(os.environ.get(FIGURE_JOBS) or 1)
    jobs = min(jobs, len(FIGURES))
    # matplotlib makes thousands of short-lived objects in reference cycles: no collection until drawn
    with collector_paused():
        if jobs < 2 or "fork" not in multiprocessing.get_all_start_methods():
            return SimpleNamespace(**{name: _draw(name, t, month) for name in FIGURES})
        global _drawing
        _drawing = t, month  # what the forked processes draw from: inherited, not pickled
        try:
            with warnings.catch_warnings():  # Python 3.12+ warns of forking a threaded process (a kernel is one)
                warnings.simplefilter("ignore", DeprecationWarning)
                with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                                         initializer=end_with_parent) as pool:
                    shown = list(pool.map(_draw_forked, FIGURES))
        finally:
            _drawing = None
    return SimpleNamespace(**dict(zip(FIGURES, shown)))


_drawing: tuple | None = None  # (tables, month) while figures() draws them in forked processes


def _draw(name: str, t: Tables, month: str) -> Shown:
    return figure(FIGURES[name](t, month=month))


def _draw_forked(name: str) -> Shown:
    return _draw(name, *_drawing)


def _figure_title(fig) -> str:
    texts = [fig.get_suptitle()] if fig.get_suptitle() else []
    texts += [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center") if ax.get_title(loc)]
    return texts[0] if texts else "Figure"


def by_country(month: str, data=None) -> Shown:
    """The five core figures for Iraq, Syria and both, each with how it is known."""
    rows = _month_rows(month, data).set_index(["metric", "country"])
    head = "".join(f"<th>{escape(COUNTRY_WORDS[c])}</th>" for c in COUNTRY_ORDER)
    body = []
    for metric in CORE_METRICS:
        cells = []
        for country in COUNTRY_ORDER:
            if (metric, country) in rows.index:
                row = rows.loc[(metric, country)]
                basis = BASIS_WORDS.get(row["basis"], row["basis"])
                cells.append(f"<td>{escape(_amount(row))}<br><small>{escape(basis)}</small></td>")
            else:
                cells.append(f"<td>{UNPUBLISHED}</td>")
        body.append(f"<tr><th>{escape(_label(metric))}</th>{''.join(cells)}</tr>")
    html = (f'<table class="by-country"><thead><tr><th></th>{head}</tr></thead>'
            f"<tbody>{''.join(body)}</tbody></table>")
    return _html(html, f"by-country table for {month}")


def disagreements(month: str, data=None) -> Shown:
    """Every disagreement whose period touches the month: what and when, its explanation, and what the series keeps."""
    t = Tables.of(data)
    rows = reconcile.touching(t.discrepancies, t.check(month), month)
    if rows.empty:
        return _markdown(f"No disagreement between or within sources touches {month_name(month)}.")
    items = []
    for _, d in rows.iterrows():
        what = f"{_label(d['metric'])} in {COUNTRY_WORDS[d['country']]}"
        when = span_name(d["period_start"], d["period_end"])
        kind = DISCREPANCY_KINDS.get(d["kind"], d["kind"])
        items.append(f"<li><strong>{escape(what)}, {escape(when)}</strong> ({escape(kind)}). "
                     f"{escape(d['explanation'])} <em>{escape(d['resolution'])}</em></li>")
    return _html(f'<ul class="disagreements">{"".join(items)}</ul>', f"{len(rows)} disagreement(s) touching {month}")


def _link(url: str, text: str) -> str:
    """An escaped link; a URL that is not http(s) is shown as text, never made a link."""
    if str(url).startswith(("https://", "http://")):
        return f'<a href="{escape(url, quote=True)}">{escape(text)}</a>'
    return f"{escape(text)} ({escape(str(url))})"


def sources(month: str, data=None) -> Shown:
    """The documents behind the month's figures, CENTCOM's first, each linked to where it was read."""
    t = Tables.of(data)
    ids = {s for v in _month_rows(month, t)["source_ids"] for s in str(v).split(";") if s}
    table = t.claims.drop_duplicates("source_id").set_index("source_id")
    found = table.loc[sorted(ids & set(table.index))].reset_index()
    if found.empty:
        return _markdown(f"No source gives a figure for {month_name(month)}.")
    found["centcom_first"] = ~found["kind"].str.startswith("centcom")
    found = found.sort_values(["centcom_first", "published", "publisher"], na_position="last")
    items = []
    for _, s in found.iterrows():
        titled = isinstance(s["title"], str) and bool(s["title"])
        date = s["published"].strftime("%Y-%m-%d") if not pd.isna(s["published"]) else "undated"
        date += " (approx.)" if s["published_approx"] and not pd.isna(s["published"]) else ""
        about = [str(s["publisher"])] if titled else []
        about += [KIND_WORDS.get(s["kind"], s["kind"]), date]
        items.append(f"<li>{_link(s['url'], s['title'] if titled else str(s['publisher']))}: "
                     f"{escape(', '.join(about))}</li>")
    return _html(f'<ul class="sources">{"".join(items)}</ul>', f"{len(found)} source(s) for {month}")


def method_note() -> Shown:
    """How the figures are reconciled, and what they are not, in a few sentences."""
    band = round(BAND * 100)
    return _markdown(
        "Every figure comes from a public document listed above: CENTCOM's releases and the news reports "
        "that restate them. They are CENTCOM's claims, or an outlet's reading of them, not independent counts.\n\n"
        "Each month, country and metric has one value, marked by how it is known: *stated* in a CENTCOM "
        "release, *reported* by outlets only, *derived* from other figures (a total less a part), known only "
        "*within limits* (from multi-month totals and qualified figures), or *not published*. A month with no "
        f"figure is never shown as zero. \"Nearly N\" and \"about N\" are read as within {band} per cent of N. "
        "Headline operation counts may include U.S.-only operations or not, depending on the source.\n\n"
        "Where sources disagree, the series keeps CENTCOM's own latest figure first; every disagreement is "
        "listed with its likely explanation. Figures can change when a later release revises them: the data "
        "and the rules are in the project's `data/README.md`."
    )
