"""``reports/index.html``: every month's report, newest first, with its headline figures.

A plain page with no script and nothing fetched, written next to the month folders it links.
"""

from __future__ import annotations

import datetime
import os
from html import escape
from pathlib import Path

import pandas as pd

from .. import __version__
from ..config import Paths
from ..words import limits, short_span
from .render import footer_date

HEADLINE = (("operations", "Operations"), ("killed", "Killed"), ("detained", "Detained"))

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>Defeat-ISIS figures for Iraq and Syria: monthly reports</title>
<style>
  body {{ font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #1a1a1a; max-width: 52rem;
         margin: 0 auto; padding: 1.5rem; line-height: 1.45; }}
  table {{ border-collapse: collapse; width: 100%; }}
  th, td {{ text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid #e3e3e3; }}
  td.n {{ font-variant-numeric: tabular-nums; }}
  td small {{ color: #666; display: block; }}
  tr.failed td {{ color: #a33; }}
  p.note, footer {{ color: #555; font-size: 0.9em; }}
</style>
</head>
<body>
<h1>Defeat-ISIS figures for Iraq and Syria</h1>
<p>One report a month, from disis-tally's reconciled series of U.S. Central Command's figures. The
figures below are for Iraq and Syria together, each with how it is known: <em>stated</em> by CENTCOM,
<em>reported</em> by outlets only, <em>derived</em> by exact arithmetic, the <em>average</em> of a longer span
(the month's own count is not published), known only within <em>limits</em>, or not known.</p>
<table>
<thead><tr><th>Month</th>{heads}</tr></thead>
<tbody>
{rows}
</tbody>
</table>
<footer><p>Rendered {rendered_on} by disis-tally {version}. Data under CC BY 4.0, code under MIT.</p></footer>
</body>
</html>
"""


def month_name(month: str) -> str:
    """July 2023."""
    return datetime.date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")


HOW = {"stated": "stated", "reported": "reported", "derived": "derived", "bounded": "limits", "unknown": "not known"}


def known(index_row, metric: str) -> tuple[str, str]:
    """A headline figure of ``tables.headline_index`` and how it is known: ("31", "stated"),
    ("about 34 a month", "average of Apr–Jun 2024: 102"), ("at most 102", "limits"), ("?", "not known")."""
    how = index_row[f"{metric}_how"]
    if how == "span_average":
        start, end = index_row[f"{metric}_span_start"], index_row[f"{metric}_span_end"]
        return (f"about {round(index_row[f'{metric}_average']):,} a month",
                f"average of {short_span(start, end)}: {int(index_row[f'{metric}_span_total']):,}")
    if how in ("stated", "reported", "derived"):
        return f"{int(index_row[metric]):,}", HOW[how]
    high = index_row[f"{metric}_high"]
    amount = limits(int(index_row[f"{metric}_low"]), None if pd.isna(high) else int(high))
    return (amount or "?"), HOW.get(how, how)


def row(month: str, rendered, error: str | None, index_row=None) -> str:
    """One month's line: a link and its headline figures with how each is known, or why it has no report."""
    if error is not None or rendered is None:
        why = f"not rendered: {error}" if error else "not rendered"
        return (f'<tr class="failed"><td>{escape(month_name(month))}</td>'
                f'<td colspan="{len(HEADLINE)}">{escape(why)}</td></tr>')
    link = f'<a href="{escape(month, quote=True)}/index.html">{escape(month_name(month))}</a>'
    if index_row is None:
        cells = "".join(f'<td class="n">{escape(str(rendered.headline.get(key, "")))}</td>' for key, _ in HEADLINE)
    else:
        cells = "".join('<td class="n">{}<small>{}</small></td>'.format(*map(escape, known(index_row, key)))
                        for key, _ in HEADLINE)
    return f"<tr><td>{link}</td>{cells}</tr>"


def write_index(paths: Paths, months: list[str], done: dict, failed: dict[str, str]) -> Path:
    """Write ``reports/index.html`` for ``months`` (newest first) and return its path."""
    from ..tables import headline_index

    index = {r["month"]: r for r in headline_index(paths).to_dict("records")}
    rows = "\n".join(row(m, done.get(m), failed.get(m), index.get(m)) for m in sorted(months, reverse=True))
    page = PAGE.format(
        heads="".join(f"<th>{label}</th>" for _, label in HEADLINE), rows=rows,
        rendered_on=footer_date(), version=__version__)
    target = paths.reports / "index.html"
    tmp = target.with_name(f".index.{os.getpid()}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target
