"""``data/raw/events.csv`` checked in plain Python (no pandas, no pandera), so that ``tally report``
can check it before it starts, as ``tally check`` and ``tally build`` do (through ``curate``).

One line a problem, ``data/raw/events.csv:LINE: column: what is wrong``, as ``curate`` reports.
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path

from .errors import DataError
from .vocab import FIRST_DATE, last_date

EVENT_COLUMNS = ("date", "label", "source_url", "note")
FORMULA_STARTS = ("=", "+", "-", "@")  # a spreadsheet runs a cell starting so as a formula
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _got(value: str) -> str:
    got = repr(value)
    return got if len(got) <= 40 else f"{got[:30]}... ({len(got):,} characters)"


def _row_problems(row: dict[str, str], where: str) -> list[str]:
    out = []
    for col, value in row.items():
        if "\x00" in value:
            out.append(f"{where}: {col}: contains a NUL byte")
    day = row["date"]
    if not day:
        out.append(f"{where}: date: missing required value")
    else:
        try:
            parsed = date.fromisoformat(day) if ISO_DATE.fullmatch(day) else None
        except ValueError:
            parsed = None
        if parsed is None:
            out.append(f"{where}: date: malformed date; expected YYYY-MM-DD (got {_got(day)})")
        elif not FIRST_DATE <= parsed <= last_date():
            out.append(f"{where}: date: date outside {FIRST_DATE} to {last_date()} (got {_got(day)})")
    if not row["label"]:
        out.append(f"{where}: label: missing required value")
    if row["source_url"] and not re.fullmatch(r"https?://\S+", row["source_url"]):
        out.append(f"{where}: source_url: must be an http(s) URL (got {_got(row['source_url'])})")
    for col in ("label", "note"):
        if row[col].startswith(FORMULA_STARTS):
            out.append(f"{where}: {col}: must not start with {row[col][0]!r} (a spreadsheet would run it as a formula)")
    return out


def events_problems(path: Path, label: str) -> list[str]:
    """Every problem of ``events.csv``, one line each; an absent file is no events, no problem."""
    path = Path(path)
    if not path.exists():
        return []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return [f"{label}: not valid UTF-8 text (byte {exc.start})"]
    problems: list[str] = []
    records: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    line = 1
    try:
        for fields in reader:
            records.append((line, fields))
            line = reader.line_num + 1
    except csv.Error as exc:
        problems.append(f"{label}:{line}: not valid CSV: {exc}")
    if not records:
        return problems + [f"{label}:1: no header line"]
    header = [h.strip() for h in records[0][1]]
    repeated = sorted({h for h in header if header.count(h) > 1})
    wrong = [f"{label}:1: {c or '(blank)'}: repeated column" for c in repeated]
    wrong += [f"{label}:1: {c}: missing column" for c in EVENT_COLUMNS if c not in header]
    wrong += [f"{label}:1: {c or '(blank)'}: unknown column" for c in dict.fromkeys(header) if c not in EVENT_COLUMNS]
    if wrong:  # which field is which is unknown: the rows are not read
        return wrong + problems
    for lineno, fields in records[1:]:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            problems.append(f"{label}:{lineno}: expected {len(header)} fields, found {len(fields)}")
            continue
        problems += _row_problems(dict(zip(header, (f.strip() for f in fields))), f"{label}:{lineno}")
    return problems


def check_events(path: Path, label: str) -> None:
    """DataError listing ``events.csv``'s problems, if it has any."""
    problems = events_problems(path, label)
    if problems:
        raise DataError(problems)
