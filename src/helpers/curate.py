"""Load and validate the hand-curated raw data (``data/raw/sources.csv``, ``figures.csv`` and
``events.csv``).

Validation collects every problem before it reports. Each problem is one line,
``data/raw/figures.csv:LINE: column: what is wrong``, LINE being the line in the file
(the header is line 1). Column checks are pandera schemas; reading the CSV is done by
hand so that a malformed file still yields line numbers. Beyond the columns' types: a header's
columns must be exactly the expected ones, each once; dates lie between 2014-01-01 and the end of
next year; values are at most ``vocab.MAX_VALUE``; numbers and dates are ASCII digits; no field
holds a NUL byte; no text field starts with ``=``, ``+``, ``-`` or ``@`` (a spreadsheet would run it
as a formula).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from ._events import events_problems
from ._files import JOURNAL
from .config import Paths
from .errors import DataError
from .vocab import ATTRIBUTIONS, COUNTRIES, ENTRIES, FIRST_DATE, MAX_VALUE, METRICS, QUALIFIERS, SOURCE_KINDS, last_date

SOURCE_COLUMNS = (
    "source_id", "kind", "publisher", "title", "url", "published", "published_approx",
    "release_number", "note",
)
FIGURE_COLUMNS = (
    "source_id", "period_start", "period_end", "period_wording", "country", "metric", "value",
    "qualifier", "entry", "attributed_to", "mention", "note",
)
FIGURE_KEY = ("source_id", "period_start", "period_end", "country", "metric", "mention")
# Free text: where a leading =, +, - or @ would be a formula to a spreadsheet.
TEXT_COLUMNS = {"sources": ("publisher", "title", "note"), "figures": ("period_wording", "note")}
FORMULA_STARTS = ("=", "+", "-", "@")

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
ISO_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"  # [0-9], not \d: full-width digits are not digits here
RELEASE_NUMBER = r"^[0-9]{8}-[0-9]{2}$"


def _is_date(text: str) -> bool:
    if not re.match(ISO_DATE, text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _dates_ok(s: pd.Series) -> pd.Series:
    return s.map(lambda v: v == "" or _is_date(v))


def _dates_plausible(s: pd.Series) -> pd.Series:
    """Well-formed dates between FIRST_DATE and the end of next year (malformed ones fail elsewhere)."""
    lo, hi = FIRST_DATE.isoformat(), last_date().isoformat()
    return s.map(lambda v: not _is_date(v) or lo <= v <= hi)


def _date_checks() -> list[pa.Check]:
    return [pa.Check(_dates_ok, error="malformed date; expected YYYY-MM-DD"),
            pa.Check(_dates_plausible, error=f"date outside {FIRST_DATE} to {last_date()}")]


def _not_too_large(s: pd.Series) -> pd.Series:
    return s.map(lambda v: not re.fullmatch(r"[0-9]+", v) or (len(v.lstrip("0")) <= len(str(MAX_VALUE))
                                                                and int(v) <= MAX_VALUE))


def _one_of(values) -> str:
    return "must be one of " + ", ".join(values)


def _required(s: pd.Series) -> pd.Series:
    return s.str.strip() != ""


def _col(*checks: pa.Check) -> pa.Column:
    return pa.Column(str, list(checks), nullable=False)


def _req_check() -> pa.Check:
    return pa.Check(_required, error="missing required value")


def _choice(values) -> pa.Check:
    return pa.Check(lambda s: s.isin(values) | (s == ""), error=f"unknown value; {_one_of(values)}")


SOURCES_SCHEMA = pa.DataFrameSchema(
    {
        "source_id": _col(_req_check(), pa.Check(lambda s: s.str.match(SLUG) | (s == ""),
                                                  error="must be a slug of lower-case letters, digits and hyphens")),
        "kind": _col(_req_check(), _choice(SOURCE_KINDS)),
        "publisher": _col(_req_check()),
        "title": _col(),
        "url": _col(_req_check(), pa.Check(lambda s: s.str.match(r"^https?://\S+$") | (s == ""),
                                           error="must be an http(s) URL")),
        "published": _col(*_date_checks()),
        "published_approx": _col(pa.Check(lambda s: s.isin(["true", "false", ""]), error="must be true or false")),
        "release_number": _col(pa.Check(lambda s: s.str.match(RELEASE_NUMBER) | (s == ""),
                                        error="malformed release number; expected YYYYMMDD-NN")),
        "note": _col(),
    },
    strict=False,
)

FIGURES_SCHEMA = pa.DataFrameSchema(
    {
        "source_id": _col(_req_check()),
        "period_start": _col(*_date_checks()),
        "period_end": _col(*_date_checks()),
        "period_wording": _col(),
        "country": _col(_req_check(), _choice(COUNTRIES)),
        "metric": _col(_req_check(), _choice(METRICS)),
        "value": _col(_req_check(),
                      pa.Check(lambda s: s.str.match(r"^-?[0-9]+$") | (s == ""), error="must be a whole number"),
                      pa.Check(lambda s: ~s.str.match(r"^-[0-9]+$"), error="must not be negative"),
                      pa.Check(_not_too_large, error=f"over the largest value allowed, {MAX_VALUE:,}")),
        "qualifier": _col(_req_check(), _choice(QUALIFIERS)),
        "entry": _col(_req_check(), _choice(ENTRIES)),
        "attributed_to": _col(_req_check(), _choice(ATTRIBUTIONS)),
        "mention": _col(pa.Check(lambda s: s.str.match(r"^[1-9][0-9]*$") | (s == ""),
                                 error="must be a positive whole number (or empty for 1)")),
        "note": _col(),
    },
    strict=False,
)

@dataclass
class _Table:
    """A raw CSV read as text, indexed by the line each record starts on."""

    frame: pd.DataFrame
    problems: list[str]


def _csv_records(text: str, label: str) -> tuple[list[tuple[int, list[str]]], list[str]]:
    """The records of a CSV text with the line each starts on; a CSV error stops the reading there."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    line = 1
    try:
        for fields in reader:
            records.append((line, fields))
            line = reader.line_num + 1
    except csv.Error as exc:
        return records, [f"{label}:{line}: not valid CSV: {exc}"]
    return records, []


def _header_problems(header: list[str], columns: tuple[str, ...], label: str) -> list[str]:
    """Missing and unknown columns of a header line."""
    problems = [f"{label}:1: {col}: missing column" for col in columns if col not in header]
    problems += [f"{label}:1: {col or '(blank)'}: unknown column" for col in header if col not in columns]
    return problems


def _body_rows(
    body: list[tuple[int, list[str]]], header: list[str], label: str
) -> tuple[list[dict], list[int], list[str]]:
    """The non-blank records as rows keyed by the header, their line numbers, and the problems met."""
    problems: list[str] = []
    rows, index = [], []
    for lineno, fields in body:
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            problems.append(f"{label}:{lineno}: expected {len(header)} fields, found {len(fields)}")
            continue
        nul = [col for col, f in zip(header, fields) if "\x00" in f]
        if nul:  # reported; the row is still read (a replacement character for the NUL) for its other checks
            problems += [f"{label}:{lineno}: {col}: contains a NUL byte" for col in nul]
            fields = [f.replace("\x00", "\ufffd") for f in fields]
        rows.append(dict(zip(header, (f.strip() for f in fields))))
        index.append(lineno)
    return rows, index, problems


def _read_table(path: Path, label: str, columns: tuple[str, ...]) -> _Table:
    """Read a CSV as strings with line numbers, reporting what makes it unreadable."""
    empty = pd.DataFrame(columns=list(columns), dtype=str)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        return _Table(empty, [f"{label}: file not found"])
    except UnicodeDecodeError as exc:
        return _Table(empty, [f"{label}: not valid UTF-8 text (byte {exc.start})"])
    records, problems = _csv_records(text, label)
    if not records:
        return _Table(empty, problems + [f"{label}:1: no header line"])
    (_, header), body = records[0], records[1:]
    header = [h.strip() for h in header]
    repeated = sorted({h for h in header if header.count(h) > 1})
    problems += [f"{label}:1: {col or '(blank)'}: repeated column" for col in repeated]
    if repeated:  # which field is which is unknown: the rows are not read
        return _Table(empty, problems)
    problems += _header_problems(header, columns, label)
    rows, index, row_problems = _body_rows(body, header, label)
    problems += row_problems
    frame = pd.DataFrame(rows, index=index, columns=header, dtype=str)
    for col in columns:
        if col not in frame:
            frame[col] = ""
    return _Table(frame[list(columns)].fillna(""), problems)


def _schema_problems(schema: pa.DataFrameSchema, frame: pd.DataFrame, label: str) -> list[str]:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        out = []
        for _, case in cases.iterrows():
            line = case["index"]
            col = case["column"]
            got = repr(case["failure_case"])
            got = got if len(got) <= 40 else f"{got[:30]}... ({len(got):,} characters)"
            out.append(f"{label}:{int(line)}: {col}: {case['check']} (got {got})")
        return out
    return []


def _formula_problems(frame: pd.DataFrame, columns: tuple[str, ...], label: str) -> list[str]:
    """Text fields a spreadsheet would run as formulas (refused: data/README.md, conventions)."""
    out = []
    for col in columns:
        for line, value in frame[col].items():
            if value.startswith(FORMULA_STARTS):
                out.append(f"{label}:{line}: {col}: must not start with {value[0]!r} (a spreadsheet would "
                           "run it as a formula)")
    return out


def _events_problems(paths: Paths) -> list[str]:
    """events.csv's problems (``_events``: plain Python, which ``tally report`` runs too)."""
    return events_problems(paths.events_csv, paths.rel(paths.events_csv))


def _cross_problems_sources(frame: pd.DataFrame, label: str) -> list[str]:
    out = []
    for col in ("source_id", "url"):
        firsts: dict[str, int] = {}
        for line, value in frame[col].items():
            if value and value in firsts:
                out.append(f"{label}:{line}: {col}: duplicate of line {firsts[value]} ({value})")
            firsts.setdefault(value, line)
    return out


def _cross_problems_figures(frame: pd.DataFrame, source_ids: set[str], label: str) -> list[str]:
    out = []
    seen: dict[tuple, int] = {}
    for line, row in frame.iterrows():
        sid = row["source_id"]
        if sid and sid not in source_ids:
            out.append(f"{label}:{line}: source_id: unknown source_id {sid!r} (not in data/raw/sources.csv)")
        start, end = row["period_start"], row["period_end"]
        if bool(start) != bool(end):
            missing = "period_start" if not start else "period_end"
            out.append(f"{label}:{line}: {missing}: missing required value "
                       "(give both dates, or neither for an unknown period)")
        elif start and end and _is_date(start) and _is_date(end) and end < start:
            out.append(f"{label}:{line}: period_end: {end} is before period_start {start}")
        key = tuple(row[c] or ("1" if c == "mention" else "") for c in FIGURE_KEY)
        if key in seen:
            out.append(
                f"{label}:{line}: source_id: duplicate key (source, period, country, metric) of line {seen[key]}"
            )
        else:
            seen[key] = line
    return out


def _order(problem: str) -> tuple:
    m = re.match(r"^(.*?):(\d+):", problem)
    return (m.group(1), int(m.group(2))) if m else (problem, 0)


def validate(paths: Paths) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Read the raw files as text; return sources and figures with every problem found in them and
    in ``events.csv``, one line each."""
    s_label, f_label = paths.rel(paths.sources_csv), paths.rel(paths.figures_csv)
    sources = _read_table(paths.sources_csv, s_label, SOURCE_COLUMNS)
    figures = _read_table(paths.figures_csv, f_label, FIGURE_COLUMNS)
    problems = sources.problems + figures.problems
    problems += _schema_problems(SOURCES_SCHEMA, sources.frame, s_label)
    problems += _cross_problems_sources(sources.frame, s_label)
    problems += _schema_problems(FIGURES_SCHEMA, figures.frame, f_label)
    problems += _cross_problems_figures(figures.frame, set(sources.frame["source_id"]), f_label)
    problems += _formula_problems(sources.frame, TEXT_COLUMNS["sources"], s_label)
    problems += _formula_problems(figures.frame, TEXT_COLUMNS["figures"], f_label)
    problems += _events_problems(paths)
    if (paths.raw / JOURNAL).exists():
        problems.append(f"{paths.rel(paths.raw / JOURNAL)}: an ingest was interrupted before it finished; "
                        "`tally check` completes it")
    problems = sorted(dict.fromkeys(problems), key=_order)
    return sources.frame, figures.frame, problems


def _to_date(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s.replace("", None), format="%Y-%m-%d")


def load_raw(paths: Paths | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The raw sources and figures as typed DataFrames; raises DataError listing every problem.

    Figures keep their file line in the column ``line``.
    """
    paths = paths or Paths.at()
    sources, figures, problems = validate(paths)
    if problems:
        raise DataError(problems)
    sources = sources.copy()
    sources["published"] = _to_date(sources["published"])
    sources["published_approx"] = sources["published_approx"].eq("true")
    figures = figures.copy()
    figures.insert(0, "line", figures.index.astype("int64"))
    figures["period_start"] = _to_date(figures["period_start"])
    figures["period_end"] = _to_date(figures["period_end"])
    figures["value"] = figures["value"].astype("int64")
    figures["mention"] = figures["mention"].replace("", "1").astype("int64")
    return sources.reset_index(drop=True), figures.reset_index(drop=True)


def load_sources(paths: Paths | None = None) -> pd.DataFrame:
    """The validated ``data/raw/sources.csv``."""
    return load_raw(paths)[0]


def load_figures(paths: Paths | None = None) -> pd.DataFrame:
    """The validated ``data/raw/figures.csv``."""
    return load_raw(paths)[1]
