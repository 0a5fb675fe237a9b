"""The one place that reads the processed tables: their columns, typed readers, and ``Tables``.

``Tables.load(paths)`` reads ``data/processed/`` (after ``tally build``) and ``data/raw/events.csv``
once per process and keeps them while the files are unchanged; the figures and the narrative read
them through it. ``monthly()``, ``discrepancies()``, ``periods()`` and ``readings()`` are the
notebooks' readers, one month or a span of months at a time. Integers are ``Int64`` (missing as
<NA>), dates timestamps, text ``''`` where empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from ._files import check_processed
from .config import Paths
from .errors import MonthError, TallyError
from .months import check_month, month_range, months_between
from .vocab import CENTCOM_KINDS, CORE_METRICS, COUNTRIES, HEADLINE
from .words import join, source_name

CLAIM_COLUMNS = [
    "claim_id", "source_id", "kind", "publisher", "title", "url", "published", "published_approx",
    "release_number", "attributed_to", "period_start", "period_end", "period_days", "period_kind",
    "period_wording", "country", "metric", "value", "qualifier", "low", "high", "entry", "mention", "note",
    "scope", "qualifier_as_curated",
]
MONTHLY_COLUMNS = ["month", "country", "metric", "value", "low", "high", "basis", "source_ids", "note",
                   "span_start", "span_end", "span_total", "span_basis", "span_average"]
# Each side of a disagreement: its number, how it is qualified, what it allows, what it is, and its parts.
SIDE_COLUMNS = ("value", "qualifier", "low", "high", "side", "parts")
DISCREPANCY_COLUMNS = ["discrepancy_id", "kind", "period_start", "period_end", "country", "metric",
                       *(f"{c}_a" for c in SIDE_COLUMNS), "source_a", *(f"{c}_b" for c in SIDE_COLUMNS), "source_b",
                       "period_start_b", "period_end_b", "difference", "explanation", "resolution", "claim_ids"]
PERIOD_COLUMNS = ["period_start", "period_end", "period_days", "span_kind", "country", "metric", "claimed",
                  "qualifier", "low", "high", "source_ids", "series_sum", "status", "difference", "note", "claim_ids"]
READING_COLUMNS = ["source_id", "publisher", "period_start", "period_end", "country", "headline", "partnered",
                   "us_only", "partnered_plus_us_only", "reading", "note", "claim_ids"]
INT_COLUMNS = {"monthly": ("value", "low", "high", "span_total"),
               "discrepancies": ("value_a", "low_a", "high_a", "value_b", "low_b", "high_b", "difference"),
               "periods": ("period_days", "claimed", "low", "high", "series_sum", "difference"),
               "readings": ("headline", "partnered", "us_only", "partnered_plus_us_only")}
# Lists of whole numbers, ';'-joined like the id lists: a side's parts (see data/README.md).
LIST_COLUMNS = {"discrepancies": ("parts_a", "parts_b")}
# Averages, written with one decimal: read as floats (NaN where empty).
FLOAT_COLUMNS = {"monthly": ("span_average",)}
DATE_COLUMNS = {"monthly": ("span_start", "span_end"),
                "discrepancies": ("period_start", "period_end", "period_start_b", "period_end_b"),
                "periods": ("period_start", "period_end"), "readings": ("period_start", "period_end")}
MAX_NAMES = 4  # sources named in a list before "and others"


# --- reading one table -----------------------------------------------------------------------------------------

def read_claims(path: Path) -> pd.DataFrame:
    """Read a written ``claims.csv`` back with its types (refused unless the last build wrote it)."""
    check_processed([path], Path(path).parents[2])
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in ("published", "period_start", "period_end"):
        df[col] = pd.to_datetime(df[col].replace("", None), format="%Y-%m-%d")
    df["published_approx"] = df["published_approx"].eq("true")
    for col in ("value", "low", "mention"):
        df[col] = df[col].astype("int64")
    for col in ("high", "period_days"):
        df[col] = pd.array([None if v == "" else int(v) for v in df[col]], dtype="Int64")
    return df


def read_table(path: Path, name: str, paths: Paths | None = None) -> pd.DataFrame:
    """A processed table (``monthly``, ``discrepancies``, ``periods`` or ``readings``) with its types."""
    if not Path(path).exists():
        where = paths.rel(path) if paths else str(path)
        raise TallyError(f"{where} not found: run `tally build` first")
    check_processed([path], paths.root if paths else None)  # a partial, mixed or changed set is refused
    return typed(pd.read_csv(path, dtype=str, keep_default_na=False), name)


def typed(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """A table's columns with their types: whole numbers as ``Int64``, dates as timestamps, the lists of
    numbers (``parts_a``, ``parts_b``) as tuples of ints, all other columns text ('' where empty)."""
    df = df.copy()
    ints, lists, dates = INT_COLUMNS[name], LIST_COLUMNS.get(name, ()), DATE_COLUMNS.get(name, ())
    for col in df.columns:
        if col in ints:
            text = df[col].astype("string").str.strip().replace("", pd.NA)
            df[col] = pd.to_numeric(text).astype("Int64")
        elif col in FLOAT_COLUMNS.get(name, ()):
            df[col] = pd.to_numeric(df[col].astype("string").str.strip().replace("", pd.NA)).astype(float)
        elif col in lists:
            df[col] = [v if isinstance(v, tuple) else tuple(int(x) for x in str(v).split(";") if x) for v in df[col]]
        elif col in dates:
            if not pd.api.types.is_datetime64_any_dtype(df[col]):
                df[col] = pd.to_datetime(df[col].astype("string").replace("", pd.NA), format="%Y-%m-%d")
        else:
            df[col] = df[col].astype("string").fillna("").astype(object)
    return df


def read_events(path: Path) -> pd.DataFrame:
    """``events.csv`` with its dates; an absent file is no events."""
    if not Path(path).exists():
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "label": [], "source_url": [], "note": []})
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["date"] = pd.to_datetime(df["date"].replace("", None), format="ISO8601")
    return df


# --- the notebooks' readers ---------------------------------------------------------------------------------------

def _window(paths: Paths, month, start, end) -> tuple[str, str] | None:
    """The months lo..hi asked for, checked against the series; None when none are asked (all rows)."""
    if month is None and start is None and end is None:
        return None
    first, last = month_range(paths)
    if month is not None:
        m = check_month(month, first, last)
        return m, m
    lo = check_month(start, first, last) if start is not None else first
    hi = check_month(end, first, last) if end is not None else last
    if lo > hi:
        raise MonthError(f"{lo} comes after {hi}; months available: {first} to {last}")
    return lo, hi


def touching(df: pd.DataFrame, lo: str, hi: str) -> pd.DataFrame:
    """Rows whose period overlaps the months lo..hi."""
    start = pd.Timestamp(f"{lo}-01")
    end = pd.Timestamp(f"{hi}-01") + pd.offsets.MonthEnd(0)
    keep = df["period_start"].le(end) & df["period_end"].ge(start)
    return df[keep.fillna(False)].reset_index(drop=True)


def _touching_window(df: pd.DataFrame, window: tuple[str, str] | None) -> pd.DataFrame:
    return df if window is None else touching(df, *window)


def monthly(paths: Paths | None = None, month=None, start=None, end=None) -> pd.DataFrame:
    """The monthly series (``monthly.csv``): all of it, one month, or the months start..end (YYYY-MM)."""
    paths = paths or Paths.at()
    window = _window(paths, month, start, end)
    df = read_table(paths.monthly_csv, "monthly", paths)
    return df if window is None else df[df["month"].between(*window)].reset_index(drop=True)


def discrepancies(paths: Paths | None = None, month=None, start=None, end=None) -> pd.DataFrame:
    """The discrepancies whose period touches the month, or the months start..end; all by default."""
    paths = paths or Paths.at()
    return _touching_window(read_table(paths.discrepancies_csv, "discrepancies", paths),
                            _window(paths, month, start, end))


def periods(paths: Paths | None = None, month=None, start=None, end=None) -> pd.DataFrame:
    """Multi-month figures against the monthly series (``periods.csv``), filtered like ``discrepancies``."""
    paths = paths or Paths.at()
    return _touching_window(read_table(paths.periods_csv, "periods", paths), _window(paths, month, start, end))


def readings(paths: Paths | None = None, month=None, start=None, end=None) -> pd.DataFrame:
    """Which reading of operations each source's headline uses (``readings.csv``), filtered like
    ``discrepancies``."""
    paths = paths or Paths.at()
    return _touching_window(read_table(paths.readings_csv, "readings", paths), _window(paths, month, start, end))


# --- Tables: what the figures and the narrative read ----------------------------------------------------------------

@dataclass(frozen=True, eq=False)
class Cell:
    """One month, country and metric of the series, as ``monthly.csv`` has it."""

    month: str
    country: str
    metric: str
    value: int | None
    low: int
    high: int | None
    basis: str
    source_ids: tuple[str, ...]
    # The tightest span with an exact total covering a month not known by itself (monthly.csv's span_*
    # columns), and the span's average for the month: an average, never the month's value.
    span_start: pd.Timestamp | None = None
    span_end: pd.Timestamp | None = None
    span_total: int | None = None
    span_basis: str = ""
    span_average: float | None = None

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def bounded(self) -> bool:
        """Known only within limits that say something (not "0 to no limit")."""
        return self.value is None and (self.low > 0 or self.high is not None)

    @property
    def floor(self) -> bool:
        """Known, or known to be at least something above zero."""
        return self.known or self.low > 0

    @property
    def in_span(self) -> bool:
        """Not known by itself, but inside a span whose total is known."""
        return self.value is None and self.span_total is not None

    @property
    def how(self) -> str:
        """How the month is known, for an index: stated, reported, derived, span_average (only the average
        of a span that covers it), bounded or unknown."""
        if self.known:
            return self.basis
        if self.in_span:
            return "span_average"
        return "bounded" if self.bounded else "unknown"

    @property
    def has_figure(self) -> bool:
        """A published or derived figure for the month, by itself or through a span that covers it."""
        return self.known or self.in_span


@dataclass(frozen=True)
class Source:
    source_id: str
    name: str  # "CENTCOM's release of 9 August 2023" or "Task & Purpose"
    centcom: bool
    published: pd.Timestamp | None = None
    short: str = ""  # for figures: "CENTCOM, 9 Aug 2023" or the outlet's name

    def __post_init__(self):
        if not self.short:
            object.__setattr__(self, "short", "CENTCOM" if self.centcom else self.name)


# Tables.load's tables, by project folder: (the files' stamps, the tables).
_loaded: dict[Path, tuple[tuple, "Tables"]] = {}


def _stamp(*files: Path) -> tuple:
    """What tells whether a file has changed since it was read: its inode, size and time of change."""
    stamps = []
    for path in files:
        try:
            st = Path(path).stat()
        except FileNotFoundError:
            stamps.append(None)
        else:
            stamps.append((st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
    return tuple(stamps)


@dataclass(frozen=True, eq=False)
class Tables:
    """The processed tables of a project copy, typed: what the figures and the narrative read."""

    monthly: pd.DataFrame
    discrepancies: pd.DataFrame
    periods: pd.DataFrame
    claims: pd.DataFrame
    events: pd.DataFrame
    paths: Paths | None = None

    @classmethod
    def load(cls, paths: Paths | None = None) -> "Tables":
        """Read ``data/processed/`` (after ``tally build``) and ``data/raw/events.csv``.

        The tables read are kept for the life of the process: a later call, while none of the
        files has changed, returns a copy of them without reading the files again (a report kernel
        forked from the warm process finds there the tables the warm process read)."""
        paths = paths or Paths.at()
        stamp = _stamp(paths.monthly_csv, paths.discrepancies_csv, paths.periods_csv, paths.claims_csv,
                       paths.events_csv)
        kept = _loaded.get(paths.root)
        if kept is None or kept[0] != stamp:
            kept = stamp, cls(
                monthly=read_table(paths.monthly_csv, "monthly", paths),
                discrepancies=read_table(paths.discrepancies_csv, "discrepancies", paths),
                periods=read_table(paths.periods_csv, "periods", paths),
                claims=read_claims(paths.claims_csv),
                events=read_events(paths.events_csv),
                paths=paths,
            )
            _loaded[paths.root] = kept
        return kept[1].copy()

    def copy(self) -> "Tables":
        """Tables with copies of these tables' frames: changing one changes nothing here."""
        return Tables(self.monthly.copy(), self.discrepancies.copy(), self.periods.copy(), self.claims.copy(),
                      self.events.copy(), self.paths)

    @classmethod
    def of(cls, data: "Tables | Paths | str | Path | None") -> "Tables":
        """Tables as given, or loaded from a project copy (``None``: the current project)."""
        if isinstance(data, Tables):
            return data
        if data is None or isinstance(data, Paths):
            return cls.load(data)
        return cls.load(Paths.at(data))

    @cached_property
    def totals(self):
        """``reconcile.totals.Totals`` over these tables' claims: the total of any span of months."""
        from .reconcile.totals import Totals  # the same layer; imported here as reconcile reads tables

        return Totals(self.claims)

    @cached_property
    def months(self) -> list[str]:
        """Every month of the series, in order."""
        present = sorted(set(self.monthly["month"]))
        return months_between(present[0], present[-1]) if present else []

    @property
    def first(self) -> str:
        return self.months[0]

    @property
    def last(self) -> str:
        return self.months[-1]

    def check(self, month: object) -> str:
        """The month, if it is well formed and in the series; else MonthError."""
        if not self.months:
            raise MonthError("the monthly series is empty: run `tally build` first")
        return check_month(month, self.first, self.last)

    @cached_property
    def _cells(self) -> dict[tuple[str, str, str], Cell]:
        cells = {}
        for row in self.monthly.itertuples(index=False):
            ids = tuple(s for s in str(row.source_ids).split(";") if s)
            cells[(row.month, row.country, row.metric)] = Cell(
                row.month, row.country, row.metric, _int(row.value), _int(row.low) or 0, _int(row.high),
                row.basis, ids, *_span(row))
        return cells

    def cell(self, month: str, country: str, metric: str) -> Cell | None:
        return self._cells.get((month, country, metric))

    @cached_property
    def _sources(self) -> dict[str, Source]:
        first = self.claims.drop_duplicates("source_id")
        return {row.source_id: _source(row) for row in first.itertuples(index=False)}

    def source(self, source_id: str) -> Source:
        return self._sources.get(source_id, Source(source_id, source_id, False))

    def sources(self, source_ids) -> list[Source]:
        """Sources from ids (a list, or ';'-joined text), CENTCOM's first, each name once."""
        if isinstance(source_ids, str):
            source_ids = [s for s in source_ids.split(";") if s]
        found = [self.source(s) for s in source_ids]
        ordered = [s for s in found if s.centcom] + [s for s in found if not s.centcom]
        seen, out = set(), []
        for s in ordered:
            if s.name not in seen:
                seen.add(s.name)
                out.append(s)
        return out

    @cached_property
    def _attributed(self) -> dict[str, str]:
        return dict(zip(self.claims["claim_id"], self.claims["attributed_to"]))

    def attributed_to(self, claim_ids) -> set[str]:
        """Whose figures the claims are (``centcom``, ``outlet``, ``lig``, ``other``), from ';'-joined ids."""
        ids = claim_ids.split(";") if isinstance(claim_ids, str) else claim_ids
        return {self._attributed[c] for c in ids if c in self._attributed}

    def names(self, source_ids, limit: int = MAX_NAMES, short: bool = False) -> str:
        """The sources in words: "CENTCOM's release of 9 August 2023, Kurdistan24 and Syriac Press"
        (``short``: "CENTCOM, 9 Aug 2023, Kurdistan24 …"); past ``limit``, "and others"."""
        names = list(dict.fromkeys(s.short if short else s.name for s in self.sources(source_ids)))
        if limit and len(names) > limit + 1:
            return ", ".join(names[:limit]) + " and others"
        return join(names)


def _int(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _span(row) -> tuple:
    """A monthly row's span columns (absent in tables written before they existed)."""
    total = _int(getattr(row, "span_total", None))
    if total is None:
        return ()
    return row.span_start, row.span_end, total, row.span_basis, float(row.span_average)


# --- which month: what the report command renders ---------------------------------------------------------------

def latest_with_figure(data: "Tables | Paths | None" = None) -> str:
    """The latest month with at least one published or derived figure for operations, killed or detained, in
    any country, by itself or through a span with a known total that covers it (``Cell.has_figure``)."""
    t = Tables.of(data)
    for month in reversed(t.months):
        if any((c := t.cell(month, country, metric)) is not None and c.has_figure
               for country in COUNTRIES for metric in HEADLINE):
            return month
    raise MonthError("no month of the series has a figure for operations, killed or detained")


def last_month_of_source(source_id: str, data: "Tables | Paths | None" = None) -> str:
    """The last month a source's core figures cover: the last whole month inside one of its periods (a
    "past 60 days" ending on the 4th covers the month before), else the month its period ends in; within
    the series. For ``make update``: the month to render after ingesting a release."""
    t = Tables.of(data)
    c = t.claims
    rows = c[c["source_id"].eq(source_id) & c["metric"].isin(CORE_METRICS) & c["period_end"].notna()]
    if rows.empty:
        raise TallyError(f"no figure of {source_id!r} for a core metric with a period is in the claims")
    months = []
    for start, end in zip(rows["period_start"], rows["period_end"]):
        last = end if end.is_month_end else end - pd.offsets.MonthEnd(1)
        whole = last >= start and (last - pd.offsets.MonthBegin(1) >= start or start.day == 1
                                   and last.to_period("M") == start.to_period("M"))
        months.append(f"{(last if whole else end):%Y-%m}")
    return max(min(max(months), t.last), t.first)


def headline_index(data: "Tables | Paths | None" = None, country: str = "all") -> pd.DataFrame:
    """For the reports' index: one row per month, and for each headline metric its figure and how it is known.

    Columns: ``month``; per metric (operations, killed, detained): ``{metric}`` (the month's value, or
    <NA>), ``{metric}_low``, ``{metric}_high`` (<NA>: no upper limit), ``{metric}_how`` (stated, reported,
    derived, span_average, bounded, unknown: ``Cell.how``), ``{metric}_average`` (the span's average for the
    month, NaN unless ``span_average``), ``{metric}_span_start``, ``{metric}_span_end``, ``{metric}_span_total``."""
    t = Tables.of(data)
    rows = []
    for month in t.months:
        row: dict = {"month": month}
        for metric in HEADLINE:
            cell = t.cell(month, country, metric)
            row[metric] = cell.value if cell else None
            row[f"{metric}_low"] = cell.low if cell else 0
            row[f"{metric}_high"] = cell.high if cell else None
            row[f"{metric}_how"] = cell.how if cell else "unknown"
            span = cell is not None and cell.in_span
            row[f"{metric}_average"] = cell.span_average if span else None
            row[f"{metric}_span_start"] = cell.span_start if span else None
            row[f"{metric}_span_end"] = cell.span_end if span else None
            row[f"{metric}_span_total"] = cell.span_total if span else None
        rows.append(row)
    out = pd.DataFrame(rows)
    for metric in HEADLINE:
        for col in (metric, f"{metric}_low", f"{metric}_high", f"{metric}_span_total"):
            out[col] = out[col].astype("Int64")
        out[f"{metric}_average"] = out[f"{metric}_average"].astype(float)
    return out


def _source(row) -> Source:
    published = None if pd.isna(row.published) else row.published
    args = (row.kind, row.publisher or row.source_id, published, bool(row.published_approx))
    return Source(row.source_id, source_name(*args), row.kind in CENTCOM_KINDS, published,
                  source_name(*args, short=True))
