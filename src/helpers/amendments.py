"""Curators' amendments to rows of ``data/raw/figures.csv`` (``data/raw/amendments.csv``).

The raw files are append-only, so a curation fix is not made by editing a row: it is a new row
here naming the figure's line, the field it sets and why. Two fields can be set:

- ``qualifier``: the row was copied wrongly from its source (an erratum of the curation, not a
  revision by the source: a source's revision is a new figure row from the source that revised it);
- ``scope``: what the figure counts, where it is not a tally of ISIS operatives: ``event`` (one
  strike or raid: its count bounds its month from below, never gives it) or ``mixed_groups`` (the
  count mixes ISIS with another group: kept as printed, never in the series).

A later amendment of the same line and field replaces an earlier one.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

import pandas as pd

from .config import Paths
from .vocab import QUALIFIERS, SCOPES

COLUMNS = ("line", "field", "value", "reason", "added")
FIELDS = {"qualifier": QUALIFIERS, "scope": SCOPES}


@dataclass(frozen=True)
class Amendment:
    line: int
    field: str
    value: str
    reason: str
    added: str


def _rows(paths: Paths) -> list[tuple[int, dict]]:
    if not paths.amendments_csv.exists():
        return []
    text = paths.amendments_csv.read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return [(reader.line_num, row) for row in reader]


def problems(paths: Paths, figure_lines: set[int] | None = None) -> list[str]:
    """Every problem in ``amendments.csv``, one line each (``file:LINE: column: what is wrong``)."""
    if not paths.amendments_csv.exists():
        return []
    label = paths.rel(paths.amendments_csv)
    try:
        rows = _rows(paths)
        with paths.amendments_csv.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), [])
    except (UnicodeDecodeError, csv.Error) as exc:
        return [f"{label}: not readable as UTF-8 CSV: {exc}"]
    if tuple(h.strip() for h in header) != COLUMNS:
        return [f"{label}:1: the header must be {','.join(COLUMNS)}"]
    if figure_lines is None:
        figure_lines = _figure_lines(paths)
    out = []
    for line, row in rows:
        if None in row or any(v is None for v in row.values()):
            out.append(f"{label}:{line}: expected {len(COLUMNS)} fields")
            continue
        if not row["line"].isdigit() or int(row["line"]) not in figure_lines:
            out.append(f"{label}:{line}: line: {row['line']!r} is not the line of a figure in data/raw/figures.csv")
        if row["field"] not in FIELDS:
            out.append(f"{label}:{line}: field: unknown field {row['field']!r}; must be one of {', '.join(FIELDS)}")
        elif row["value"] not in FIELDS[row["field"]]:
            out.append(f"{label}:{line}: value: {row['value']!r} is not a {row['field']}; must be one of "
                       f"{', '.join(FIELDS[row['field']])}")
        if not row["reason"].strip():
            out.append(f"{label}:{line}: reason: missing required value")
        try:
            date.fromisoformat(row["added"])
        except ValueError:
            out.append(f"{label}:{line}: added: malformed date; expected YYYY-MM-DD")
    return out


def _figure_lines(paths: Paths) -> set[int]:
    if not paths.figures_csv.exists():
        return set()
    with paths.figures_csv.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        next(reader, None)
        lines, start = set(), 2
        for _ in reader:
            lines.add(start)
            start = reader.line_num + 1
    return lines


def load(paths: Paths) -> list[Amendment]:
    """The amendments in file order (validated by ``tally check``)."""
    return [Amendment(int(r["line"]), r["field"], r["value"], r["reason"], r["added"]) for _, r in _rows(paths)]


def apply(figures: pd.DataFrame, amends: list[Amendment]) -> pd.DataFrame:
    """The figures with each amendment applied: ``scope`` set, ``qualifier`` corrected, and
    ``qualifier_as_curated`` keeping the qualifier a correction replaced (empty where none did)."""
    out = figures.copy()
    out["scope"] = "tally"
    out["qualifier_as_curated"] = ""
    at = {line: i for i, line in zip(out.index, out["line"])}
    for a in amends:
        i = at.get(a.line)
        if i is None:
            continue
        if a.field == "qualifier":
            if not out.at[i, "qualifier_as_curated"]:
                out.at[i, "qualifier_as_curated"] = out.at[i, "qualifier"]
            out.at[i, "qualifier"] = a.value
        else:
            out.at[i, a.field] = a.value
    return out


def appended_bytes(paths: Paths, new: list[Amendment]) -> bytes:
    """``amendments.csv`` with ``new`` appended (the header written if the file is new)."""
    old = paths.amendments_csv.read_bytes() if paths.amendments_csv.exists() else b""
    if old and not old.endswith(b"\n"):
        old += b"\n"
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    if not old:
        writer.writerow(COLUMNS)
    writer.writerows([(a.line, a.field, a.value, a.reason, a.added) for a in new])
    return old + buf.getvalue().encode("utf-8")
