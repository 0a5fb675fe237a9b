"""``reports/index.html``: every month's report, newest first, with its headline figures.

A plain page with no script and nothing fetched, written next to the month folders it links.
"""

from __future__ import annotations

import datetime
import os
from html import escape
from pathlib import Path

from ..config import Paths
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
  tr.failed td {{ color: #a33; }}
  p.note, footer {{ color: #555; font-size: 0.9em; }}
</style>
</head>
<body>
<h1>Defeat-ISIS figures for Iraq and Syria</h1>
<p>One report a month, from disis-tally's reconciled series of U.S. Central Command's figures. The
figures below are for Iraq and Syria together; a range means the month is known only within limits.</p>
<table>
<thead><tr><th>Month</th>{heads}</tr></thead>
<tbody>
{rows}
</tbody>
</table>
<footer><p>Rendered {rendered_on}.</p></footer>
</body>
</html>
"""


def month_name(month: str) -> str:
    """July 2023."""
    return datetime.date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")


def row(month: str, rendered, error: str | None) -> str:
    """One month's line: a link and its headline figures, or why it has no report."""
    if error is not None or rendered is None:
        why = f"not rendered: {error}" if error else "not rendered"
        return (f'<tr class="failed"><td>{escape(month_name(month))}</td>'
                f'<td colspan="{len(HEADLINE)}">{escape(why)}</td></tr>')
    link = f'<a href="{escape(month, quote=True)}/index.html">{escape(month_name(month))}</a>'
    cells = "".join(f'<td class="n">{escape(str(rendered.headline.get(key, "")))}</td>' for key, _ in HEADLINE)
    return f"<tr><td>{link}</td>{cells}</tr>"


def write_index(paths: Paths, months: list[str], done: dict, failed: dict[str, str]) -> Path:
    """Write ``reports/index.html`` for ``months`` (newest first) and return its path."""
    rows = "\n".join(row(m, done.get(m), failed.get(m)) for m in sorted(months, reverse=True))
    page = PAGE.format(
        heads="".join(f"<th>{label}</th>" for _, label in HEADLINE), rows=rows,
        rendered_on=footer_date())
    target = paths.reports / "index.html"
    tmp = target.with_name(f".index.{os.getpid()}.tmp")
    tmp.write_text(page, encoding="utf-8")
    os.replace(tmp, target)
    return target
