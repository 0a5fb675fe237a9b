"""The written narrative of a month, and the typed tables it (and ``helpers.plots``) reads.

``month_facts(month)`` gathers every figure a month's summary uses, straight from the processed
tables; ``month_summary(month)`` turns them into short Markdown prose. No number is typed into
this module: each is read from ``monthly``, ``periods`` or ``discrepancies`` when the text is
rendered. A missing figure is said to be missing, never zero.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import pandas as pd

from .config import Paths
from .errors import MonthError
from .months import check_month, month_index, month_name, months_between, shift
from . import reconcile
from .build import read_claims
from .reconcile import touching
from .reconcile_text import period_phrase
from .vocab import CENTCOM_KINDS, COUNTRIES, CORE_METRICS, COUNTRY_WORDS, METRIC_NOUNS, METRICS

BASES = ("stated", "reported", "derived", "bounded", "unknown")
HEADLINE = ("operations", "killed", "detained")
SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
MAX_NAMES = 4  # sources named in a list before "and others"

COUNTRY_SCOPE = {"all": "in total", "iraq": "in Iraq", "syria": "in Syria"}
# As a thing that may be missing: "the number killed in Iraq".
METRIC_TOPICS = {
    "operations": "operations",
    "partnered_operations": "partnered operations",
    "us_only_operations": "U.S.-only operations",
    "killed": "the number killed",
    "detained": "the number detained",
}
QUALIFIER_WORDS = ("at least", "more than", "nearly", "about", "up to", "at most")


# --- months -------------------------------------------------------------------------------------------









def month_bounds(month: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day of a month."""
    start = pd.Timestamp(f"{month}-01")
    return start, start + pd.offsets.MonthEnd(0)




def day_name(day: pd.Timestamp) -> str:
    """9 August 2023."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def whole_months(start: pd.Timestamp, end: pd.Timestamp) -> bool:
    return start.day == 1 and end.is_month_end


def span_name(start: pd.Timestamp, end: pd.Timestamp) -> str:
    """January to March 2024 for whole months; 6 September to 4 November 2024 otherwise; the whole of 2023."""
    if whole_months(start, end) and start.year == end.year and start.month == 1 and end.month == 12:
        return f"the whole of {start.year}"
    return period_phrase(start.date(), end.date())




# --- figures as text ----------------------------------------------------------------------------------

def parse_figure(text: str) -> tuple[str, int] | None:
    """'more than 95' -> ('more than', 95); '94' -> ('', 94); anything else -> None."""
    m = re.fullmatch(rf"\s*(?:({'|'.join(QUALIFIER_WORDS)}) )?(\d[\d,]*)\s*", str(text))
    return (m.group(1) or "", int(m.group(2).replace(",", ""))) if m else None


def figure_values(text: str) -> list[int]:
    """The values a discrepancy's figure text stands for, for drawing: '191 + 108 = 299' -> [299];
    '36 partnered, or 37 with U.S.-only operations' -> [36, 37]; '33 for 6 September to 4 November
    2024 (60 days)' -> [33]; '122 (allowed by the figures in use)' -> [122]."""
    text = re.sub(r"\([^)]*\)", "", str(text))
    text = re.sub(r"\bfor\b.*", "", text)
    if "=" in text:
        text = text.rsplit("=", 1)[1]
    parts = re.split(r",? or |\band\b", text)
    return [int(m.group().replace(",", "")) for p in parts if (m := re.search(r"\d[\d,]*", p))]


def figure_words(text: str) -> str:
    """A figure as the prose writes it: small numbers in words, qualifiers kept."""
    parsed = parse_figure(text)
    if parsed is None:
        return str(text).strip()
    qualifier, value = parsed
    return f"{qualifier} {number(value)}".strip()


# --- the tables -------------------------------------------------------------------------------------------

def _ints(column: pd.Series) -> pd.Series:
    """Whole numbers with missing values (empty cells) as <NA>."""
    if pd.api.types.is_integer_dtype(column):
        return column.astype("Int64")
    text = column.astype("string").str.strip().replace("", pd.NA)
    return pd.to_numeric(text).astype("Int64")


def _dates(column: pd.Series) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(column):
        return column
    return pd.to_datetime(column.astype("string").replace("", pd.NA), format="ISO8601")


def _typed(df: pd.DataFrame, ints=(), dates=()) -> pd.DataFrame:
    """Integers as Int64, dates as timestamps, everything else as text with '' for missing."""
    df = df.copy()
    for col in df.columns:
        if col in ints:
            df[col] = _ints(df[col])
        elif col in dates:
            df[col] = _dates(df[col])
        else:
            df[col] = df[col].astype("string").fillna("").astype(object)
    return df


def typed_monthly(df: pd.DataFrame) -> pd.DataFrame:
    return _typed(df, ints=("value", "low", "high"))


def typed_periods(df: pd.DataFrame) -> pd.DataFrame:
    """``claimed`` stays text ("more than 95"); ``claimed_value`` is its number."""
    df = _typed(df, ints=("period_days", "series_sum", "difference"), dates=("period_start", "period_end"))
    parsed = [parse_figure(c) for c in df["claimed"]]
    df["claimed_value"] = pd.array([p[1] if p else None for p in parsed], dtype="Int64")
    return df


def typed_discrepancies(df: pd.DataFrame) -> pd.DataFrame:
    """``value_a`` and ``value_b`` stay text: they may read "191 + 108 = 299" or "nearly 80"."""
    return _typed(df, ints=("difference",), dates=("period_start", "period_end"))


def read_events(path: Path) -> pd.DataFrame:
    """``events.csv`` with its dates; an absent file is no events."""
    if not Path(path).exists():
        return pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]"), "label": [], "source_url": [], "note": []})
    return _typed(pd.read_csv(path, dtype=str, keep_default_na=False), dates=("date",))


def _read_processed(paths: Paths, name: str) -> pd.DataFrame:
    """A processed table through the reconciliation's notebook API (``reconcile.monthly()`` etc.)."""
    return getattr(reconcile, name)(paths)


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


@dataclass(frozen=True)
class Source:
    source_id: str
    name: str  # "CENTCOM's release of 9 August 2023" or "Task & Purpose"
    centcom: bool
    published: pd.Timestamp | None = None

    @property
    def short(self) -> str:
        """For figures: "CENTCOM, 9 Aug 2023" or the outlet's name."""
        if self.centcom and self.published is not None:
            return f"CENTCOM, {self.published.day} {calendar.month_abbr[self.published.month]} {self.published.year}"
        return "CENTCOM" if self.centcom else self.name


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
                monthly=typed_monthly(_read_processed(paths, "monthly")),
                discrepancies=typed_discrepancies(_read_processed(paths, "discrepancies")),
                periods=typed_periods(_read_processed(paths, "periods")),
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
                row.basis, ids)
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


def _source(row) -> Source:
    published = None if pd.isna(row.published) else row.published
    if row.kind in CENTCOM_KINDS:
        word = "statement" if row.kind == "centcom_statement" else "release"
        if published is None:
            return Source(row.source_id, f"an undated CENTCOM {word}", True)
        about = "about " if row.published_approx else ""
        return Source(row.source_id, f"CENTCOM's {word} of {about}{day_name(published)}", True, published)
    return Source(row.source_id, row.publisher or row.source_id, False, published)


# --- words --------------------------------------------------------------------------------------------------

def number(n: int) -> str:
    """One to nine in words, as wire style has it; larger numbers in figures, with thousands commas."""
    return SMALL[n] if 0 <= n < len(SMALL) else f"{n:,}"


def cell_amount(cell: Cell | None) -> str | None:
    """31; between 27 and 78; at least 11; at most 94; None when nothing is known."""
    if cell is None:
        return None
    if cell.known:
        return number(cell.value)
    if cell.high is not None and cell.low == cell.high:
        return number(cell.low)
    if cell.low and cell.high is not None:
        return f"between {number(cell.low)} and {number(cell.high)}"
    if cell.low:
        return f"at least {number(cell.low)}"
    if cell.high is not None:
        return f"at most {number(cell.high)}"
    return None


def floor_amount(cell: Cell | None) -> str | None:
    """The amount, if the cell is known or has a lower limit above zero."""
    return cell_amount(cell) if cell is not None and cell.floor else None


def join(words: list[str], unique: bool = True) -> str:
    """A; A and B; A, B and C (each once, unless not ``unique``: figures may repeat)."""
    words = [w for w in words if w]
    words = list(dict.fromkeys(words)) if unique else words
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def metric_words(metric: str) -> str:
    """A metric outside the series in the vocabulary's words: 'attacks claimed by ISIS'."""
    return re.split(r"[,(]", METRICS.get(metric, metric.replace("_", " ")))[0].strip()


def topic(metric: str, country: str) -> str:
    """operations in Iraq; the number killed in Iraq and Syria; attacks claimed by ISIS in Syria."""
    return f"{METRIC_TOPICS.get(metric) or metric_words(metric)} in {COUNTRY_WORDS.get(country, country)}"


def nouns(metrics: list[str]) -> list[str]:
    """Each metric's noun, 'ISIS operatives' said once: 'ISIS operatives killed', then just 'detained'."""
    out, said = [], False
    for metric in metrics:
        noun = METRIC_NOUNS[metric]
        out.append(noun.removeprefix("ISIS operatives ") if said else noun)
        said = said or noun.startswith("ISIS operatives ")
    return out


# --- facts ------------------------------------------------------------------------------------------------------

def month_facts(month: str, paths: Paths | None = None, *, tables: Tables | None = None) -> dict:
    """Every figure the month's summary states, read from the tables, with what each is.

    Keys: ``month``; ``cells`` (country -> metric -> Cell); ``previous`` and ``year_before``
    (the months compared against, or None); ``changes``; ``ytd`` (the series summed from
    January); ``tallies`` (year-to-date claims ending in the month); ``uncertain`` (derived,
    bounded, upper-limit-only and unknown cells); ``spans`` (multi-month figures covering an
    uncertain cell); ``disagreements``; ``numbers`` (every number the summary may state).
    """
    t = tables or Tables.load(paths)
    month = t.check(month)
    facts = {"month": month, "cells": {c: {m: t.cell(month, c, m) for m in CORE_METRICS} for c in COUNTRIES},
             "changes": []}
    for key, other in (("previous", shift(month, -1)), ("year_before", shift(month, -12))):
        facts[key] = other if t.first <= other <= t.last else None
        if facts[key]:
            facts["changes"] += _changes(t, month, other, key)
    facts["ytd"] = _ytd(t, month)
    facts["tallies"] = _tallies(t, month)
    facts["uncertain"] = _uncertain(facts["cells"])
    facts["spans"] = _spans(t, month, facts["uncertain"], facts["tallies"])
    facts["disagreements"] = _disagreements(t, month)
    facts["numbers"] = sorted(_numbers(facts))
    return facts


def _changes(t: Tables, month: str, other: str, against: str) -> list[dict]:
    out = []
    for metric in HEADLINE:
        now, then = t.cell(month, "all", metric), t.cell(other, "all", metric)
        if now and then and now.known and then.known:
            out.append({"against": against, "month": other, "metric": metric, "from": then.value,
                        "to": now.value, "difference": now.value - then.value})
    return out


def _ytd(t: Tables, month: str) -> dict | None:
    """The all-country series summed from January: exact where every month is known, else its lower limit."""
    january = f"{month[:4]}-01"
    if month == january or january < t.first:
        return None
    months = months_between(january, month)
    totals = {}
    for metric in HEADLINE:
        cells = [t.cell(m, "all", metric) for m in months]
        if any(c is None for c in cells):
            continue
        low = sum(c.value if c.known else c.low for c in cells)
        inexact = [c.month for c in cells if not c.known]
        if low == 0 and inexact:
            continue  # only upper limits: the months' limits added up say little
        totals[metric] = {"low": low, "exact": not inexact, "inexact": inexact}
    return {"start": january, "end": month, "totals": totals} if totals else None


def _period_rows(t: Tables, month: str) -> pd.DataFrame:
    """``periods`` rows longer than a month that touch the month, with a figure."""
    p = t.periods
    if p.empty:
        return p
    p = touching(p, month, month)
    single = p["period_start"].dt.strftime("%Y-%m").eq(p["period_end"].dt.strftime("%Y-%m"))
    return p[~single & p["claimed_value"].notna()]


def _chosen(rows: pd.DataFrame) -> pd.DataFrame:
    """One figure per country and metric: an exact one where the sources give several."""
    rows = rows.assign(_exact=[parse_figure(c) is not None and parse_figure(c)[0] == "" for c in rows["claimed"]])
    rows = rows.sort_values("_exact", ascending=False, kind="mergesort")
    return rows.drop_duplicates(["country", "metric"]).drop(columns="_exact")


def _span_entry(t: Tables, rows: pd.DataFrame) -> dict:
    """A multi-month period's figures by country and metric, with who gave them and whose they are."""
    rows = _chosen(rows)
    first = rows.iloc[0]
    figures: dict[str, dict[str, str]] = {}
    for country in COUNTRIES:
        for row in rows[rows["country"].eq(country)].itertuples():
            figures.setdefault(country, {})[row.metric] = row.claimed
    ids = [s for ids in rows["source_ids"] for s in ids.split(";") if s]
    return {"period_start": first.period_start, "period_end": first.period_end,
            "period_days": _int(first.period_days), "derived": first.span_kind == "derived",
            "figures": figures, "source_ids": list(dict.fromkeys(ids)),
            "attributed_to": sorted(t.attributed_to([c for ids in rows["claim_ids"] for c in ids.split(";") if c]))}


def _tallies(t: Tables, month: str) -> list[dict]:
    """Year-to-date figures (1 January to a day in the month) for both countries together."""
    rows = _period_rows(t, month)
    if rows.empty:
        return []
    start = pd.Timestamp(f"{month[:4]}-01-01")
    rows = rows[rows["period_start"].eq(start) & rows["period_end"].dt.strftime("%Y-%m").eq(month)
                & rows["country"].eq("all") & rows["metric"].isin(HEADLINE) & rows["span_kind"].ne("derived")]
    return [_span_entry(t, g) for _, g in rows.groupby(["period_start", "period_end"], sort=True)]


def _uncertain(cells: dict) -> dict[str, list[Cell]]:
    out = {"derived": [], "bounded": [], "upper": [], "unknown": []}
    for country in COUNTRIES:
        for metric in CORE_METRICS:
            cell = cells[country][metric]
            if cell is None or cell.basis in ("stated", "reported"):
                continue
            if cell.known:
                out["derived"].append(cell)
            elif cell.low > 0:
                out["bounded"].append(cell)
            elif cell.high is not None:
                out["upper"].append(cell)
            else:
                out["unknown"].append(cell)
    return out


def _spans(t: Tables, month: str, uncertain: dict, tallies: list[dict]) -> list[dict]:
    """Multi-month figures that cover the month where one of its figures is not known exactly."""
    wanted = {(c.country, c.metric) for kind in ("bounded", "upper", "unknown") for c in uncertain[kind]}
    rows = _period_rows(t, month)
    if not wanted or rows.empty:
        return []
    rows = rows[[(c, m) in wanted for c, m in zip(rows["country"], rows["metric"])]]
    named = {(e["period_start"], e["period_end"]) for e in tallies}
    out = []
    for (start, end, derived), group in rows.groupby(["period_start", "period_end", rows["span_kind"].eq("derived")],
                                                     sort=True):
        if not derived and (start, end) in named:
            group = group[group["country"].ne("all")]  # the all-country figures are named as a tally
        if not group.empty:
            out.append(_span_entry(t, group))
    return sorted(out, key=lambda s: (s["period_end"] - s["period_start"], s["period_start"]))


def _disagreements(t: Tables, month: str) -> list[dict]:
    """Disagreements whose period touches the month, in the table's order."""
    d = t.discrepancies
    if d.empty:
        return []
    return [row._asdict() for row in touching(d, month, month).itertuples(index=False)]


def _numbers(facts: dict) -> set[int]:
    """Every number the summary may state, as the facts hold it."""
    nums: set[int] = set()
    for country in facts["cells"].values():
        for cell in country.values():
            if cell is not None:
                nums.update(v for v in (cell.value, cell.low or None, cell.high) if v is not None)
    for ch in facts["changes"]:
        nums.update((ch["from"], ch["to"], abs(ch["difference"])))
    for total in (facts["ytd"] or {}).get("totals", {}).values():
        nums.add(total["low"])
    for span in facts["tallies"] + facts["spans"]:
        nums.update(p[1] for f in span["figures"].values() for c in f.values() if (p := parse_figure(c)))
    for d in facts["disagreements"]:
        nums.update(figure_values(d["value_a"]) + figure_values(d["value_b"]))
        nums.update(int(n) for n in re.findall(r"\d+", f"{d['value_a']} {d['value_b']}"))
        if d["difference"] is not None and not pd.isna(d["difference"]):
            nums.add(abs(int(d["difference"])))
    return nums


# --- prose --------------------------------------------------------------------------------------------------------

def month_summary(month: str, paths: Paths | None = None, *, tables: Tables | None = None) -> str:
    """The month in short Markdown paragraphs: headline, by country, year to date, what is uncertain,
    and the disagreements that touch it."""
    t = tables or Tables.load(paths)
    f = month_facts(month, tables=t)
    parts = [_headline(f, t), _by_country(f), _year_to_date(f, t), _uncertainty(f, t), _disagreement_list(f, t)]
    return "\n\n".join(p for p in parts if p) + "\n"


def _headline(f: dict, t: Tables) -> str:
    cells = f["cells"]["all"]
    name = month_name(f["month"])
    ops, killed, detained = (floor_amount(cells[m]) for m in HEADLINE)
    actions = [a for a in (killed and f"killing {killed} ISIS operatives", detained and f"detaining {detained}") if a]
    if ops:
        tail = f", {join(actions)}" if actions else ""
        text = [f"In {name}, U.S. and partner forces carried out {ops} D-ISIS operations in Iraq and Syria{tail}."]
    elif actions:
        verbs = [a.replace("killing", "killed").replace("detaining", "detained") for a in actions]
        text = [f"In {name}, U.S. and partner forces {join(verbs)} in Iraq and Syria.",
                "No count of the month's operations has been published."]
    else:
        text = [f"No D-ISIS figures for {name} alone have been published for Iraq and Syria."]
    text.append(_attribution(f, t))
    text += _change_sentences(f)
    return " ".join(s for s in text if s)


def _attribution(f: dict, t: Tables) -> str:
    """Whose figures the month's headline is: CENTCOM's own release, or outlets reporting them."""
    cells = [c for c in f["cells"]["all"].values() if c is not None and c.floor and c.basis != "derived"]
    cells = [c for c in cells if c.known] or cells  # bounded cells carry their spans' sources
    stated = [s for c in cells if c.basis == "stated" for s in c.source_ids if t.source(s).centcom]
    reported = [s for c in cells if c.basis != "stated" for s in c.source_ids if not t.source(s).centcom]
    if stated and not reported:
        return f"The figures are from {t.names(stated)}."
    if reported and not stated:
        return f"No CENTCOM release for the month is on record; the figures are as reported by {t.names(reported)}."
    if stated and reported:
        return f"The figures are from {t.names(stated)} and, where it is silent, {t.names(reported)}."
    return ""


CHANGE_SUBJECTS = {"operations": "operations", "killed": "the number killed", "detained": "the number detained"}


def _change_sentences(f: dict) -> list[str]:
    out = []
    for against in ("previous", "year_before"):
        changes = [c for c in f["changes"] if c["against"] == against]
        parts = []
        for c in changes:
            d, subject = c["difference"], CHANGE_SUBJECTS[c["metric"]]
            if d == 0:
                parts.append(f"{subject} {'were' if c['metric'] == 'operations' else 'was'} unchanged at {number(c['to'])}")
            else:
                parts.append(f"{subject} {'rose' if d > 0 else 'fell'} by {number(abs(d))} from {number(c['from'])}")
        if parts:
            out.append(f"Compared with {month_name(changes[0]['month'])}, {join(parts)}.")
    return out


def _by_country(f: dict) -> str:
    parts = []
    for country in ("iraq", "syria"):
        cells = f["cells"][country]
        ops, killed, detained = (floor_amount(cells[m]) for m in HEADLINE)
        figures = [x for x in (ops and f"{ops} operations", killed and f"{killed} killed",
                               detained and f"{detained} detained") if x]
        if figures:
            parts.append(f"{COUNTRY_WORDS[country]}, {join(figures)}")
    text = [f"{'; '.join(parts)}." if parts else "", _splits(f)]
    body = " ".join(s for s in text if s)
    return f"**By country.** {body[0].upper()}{body[1:]}" if body else ""


def _none_us_only(cells: dict) -> bool:
    us = cells["us_only_operations"]
    return us is not None and us.known and us.value == 0 and cells["partnered_operations"] is not None \
        and cells["partnered_operations"].known


def _splits(f: dict) -> str:
    """Partnered against U.S.-only operations: one sentence where none was U.S.-only anywhere, else one a country."""
    cells = f["cells"]
    if all(_none_us_only(cells[c]) for c in COUNTRIES):
        p = {c: number(cells[c]["partnered_operations"].value) for c in COUNTRIES}
        return (f"All {p['all']} operations were partnered ({p['iraq']} in Iraq, {p['syria']} in Syria); "
                "none was U.S.-only.")
    return " ".join(s for s in (_split(cells[c], c) for c in COUNTRIES) if s)


def _split(cells: dict, country: str) -> str:
    """Partnered against U.S.-only operations, where either is known."""
    partnered, alone = floor_amount(cells["partnered_operations"]), floor_amount(cells["us_only_operations"])
    where = COUNTRY_WORDS[country]
    if partnered and alone:
        us = cells["us_only_operations"]
        if us.known and us.value == 0:
            return f"In {where}, {partnered} operations were partnered and none was U.S.-only."
        return f"In {where}, {partnered} operations were partnered and {alone} U.S.-only."
    if partnered:
        return f"In {where}, {partnered} operations were partnered."
    if alone:
        us = cells["us_only_operations"]
        if us.known and us.value == 0:
            return f"In {where}, none of the operations was U.S.-only."
        return f"In {where}, {alone} operations {'was' if alone == 'one' else 'were'} U.S.-only."
    return ""


def _year_to_date(f: dict, t: Tables) -> str:
    ytd, text = f["ytd"], []
    if ytd:
        span = span_name(month_bounds(ytd["start"])[0], month_bounds(ytd["end"])[1])
        totals = ytd["totals"]
        figures = [f"{'' if x['exact'] else 'at least '}{number(x['low'])} {noun}"
                   for x, noun in zip(totals.values(), nouns(list(totals)))]
        text.append(f"From {span}, the monthly series adds up to {join(figures)}.")
        inexact = sorted({m for x in ytd["totals"].values() for m in x["inexact"]})
        if inexact:
            text.append(f"Where it says at least, {_months_list(inexact)} {'is' if len(inexact) == 1 else 'are'}"
                        " not known exactly.")
    for tally in f["tallies"]:
        span = span_name(tally["period_start"], tally["period_end"])
        text.append(f"{t.names(tally['source_ids'])} put {span} at {_figure_list(tally['figures']['all'])}.")
    return ("**Year to date.** " + " ".join(text)) if text else ""


def _figure_list(figures: dict) -> str:
    """94 operations, 18 ISIS operatives killed and 63 detained (headline metrics first)."""
    order = [m for m in CORE_METRICS if m in figures]
    return join([f"{figure_words(figures[m])} {noun}" for m, noun in zip(order, nouns(order))])


def _months_list(months: list[str]) -> str:
    """Runs of months: "January to September 2024"; "September to October and December 2023"."""
    runs: list[list[str]] = []
    for m in sorted(months):
        if runs and month_index(m) == month_index(runs[-1][-1]) + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    one_year = len({m[:4] for m in months}) == 1
    name = (lambda m: calendar.month_name[int(m[5:])]) if one_year else month_name
    words = join([" and ".join(name(m) for m in r) if len(r) <= 2 else f"{name(r[0])} to {name(r[-1])}" for r in runs])
    return f"{words} {months[0][:4]}" if one_year else words


def _uncertainty(f: dict, t: Tables) -> str:
    u, text = f["uncertain"], []
    if u["derived"]:
        items = [f"{topic(c.metric, c.country)} ({number(c.value)})" for c in u["derived"]]
        text.append(f"Derived from other figures rather than stated: {join(items)}.")
    if u["bounded"]:
        items = [f"{topic(c.metric, c.country)}, {cell_amount(c)}" for c in u["bounded"]]
        text.append(f"Known only within limits: {'; '.join(items)}.")
    if u["upper"]:
        if f["spans"] and len(u["upper"]) > 3:
            which = "other figures" if text else "month's figures"
            text.append(f"Only upper limits are known for the {which}, from the totals for longer periods below.")
        else:
            items = [f"{topic(c.metric, c.country)}, {cell_amount(c)}" for c in u["upper"]]
            text.append(f"Only an upper limit is known for {'; '.join(items)}.")
    if u["unknown"]:
        text.append(_unknown_sentence(u["unknown"], len(u["unknown"]) < sum(map(len, u.values()))))
    text += [_span_sentence(span, t) for span in f["spans"]]
    return ("**What is uncertain.** " + " ".join(text)) if text else ""


def _unknown_sentence(cells: list[Cell], others: bool) -> str:
    if len(cells) == len(COUNTRIES) * len(CORE_METRICS):
        return "No figure for the month has been published, for either country or in total."
    if others and len(cells) > len(CORE_METRICS):
        return "No other figure for the month has been published."
    by_metric = {}
    for c in cells:
        by_metric.setdefault(c.metric, []).append(COUNTRY_SCOPE[c.country])
    items = [f"{METRIC_TOPICS[m]} {join(scopes)}" for m, scopes in by_metric.items()]
    return f"Not published for the month: {'; '.join(items)}."


def _span_sentence(span: dict, t: Tables) -> str:
    when = span_name(span["period_start"], span["period_end"])
    several = len(span["figures"]) > 1
    parts = [f"{_figure_list(figs)} in {COUNTRY_WORDS[c]}{' together' if several and c == 'all' else ''}"
             for c, figs in span["figures"].items()]
    if span["derived"]:
        return f"By subtraction, {when} comes to {'; '.join(parts)}."
    whose = {"other": " another party's (not CENTCOM's)", "lig": " a Lead Inspector General report's"}
    return f"{t.names(span['source_ids'])} gave{whose.get(_only(span), ' a')} total for {when}: {'; '.join(parts)}."


def _only(span: dict) -> str:
    """The one party whose figures a span's are, or '' when several."""
    return span["attributed_to"][0] if len(span["attributed_to"]) == 1 else ""


def _disagreement_list(f: dict, t: Tables) -> str:
    items = [_disagreement_sentence(d, t) for d in f["disagreements"]]
    return ("**Disagreements.**\n\n" + "\n".join(f"- {s}" for s in items)) if items else ""


SERIES_SIDE = re.compile(r"\((sum of the monthly series|allowed by the figures in use)\)")
PARTS_SUM = re.compile(r"\s*(\d+(?: \+ \d+)+) = (\d+)\s*")


def _disagreement_sentence(d: dict, t: Tables) -> str:
    """One sentence naming the sources and their figures, in the words the kind of disagreement needs."""
    start, end = d["period_start"], d["period_end"]
    when = f"{'on' if start == end else 'for'} {span_name(start, end)}"
    what = topic(d["metric"], d["country"])
    a, b = t.names(d["source_a"]), t.names(d["source_b"])
    va, vb = figure_words(d["value_a"]), figure_words(d["value_b"])
    kind = d["kind"]
    if kind == "period_sum" and (SERIES_SIDE.search(d["value_a"]) or SERIES_SIDE.search(d["value_b"])):
        series, claim, who = (d["value_a"], vb, b) if SERIES_SIDE.search(d["value_a"]) else (d["value_b"], va, a)
        total = figure_words(SERIES_SIDE.sub("", series))
        rest = (f"the figures the series uses allow {total}" if "allowed" in series
                else f"the monthly series adds up to {total}")
        return f"{who} put {what} {when} {_at(claim)}; {rest}."
    if parts := PARTS_SUM.fullmatch(d["value_b"]):
        pieces = [number(int(x)) for x in parts.group(1).split(" + ")]
        total = number(int(parts.group(2)))
        if kind == "country_sum" and len(pieces) == 2:
            return (f"{a} put {what} {when} {_at(va)}, but their figures for Iraq ({pieces[0]}) and Syria "
                    f"({pieces[1]}) add up to {total}.")
        which = "monthly figures" if whole_months(start, end) else "figures for its parts"
        return f"{a} put {what} {when} {_at(va)}, but their {which} ({join(pieces, unique=False)}) add up to {total}."
    if kind == "headline_vs_breakdown":
        return f"{a} put {what} {when} {_at(va)}, but its own country figures add up to {vb}."
    if kind == "period_wording":
        days = _int(d["difference"])
        gap = f"; the periods differ by {number(abs(days))} days" if days else ""
        return f"{a} gave {what} as {va}; {b} as {vb}{gap}."
    if kind == "revision":
        (first, v1, _), (later, v2, _) = _by_date(t, (a, va, d["source_a"]), (b, vb, d["source_b"]))
        return f"{first} put {what} {when} {_at(v1)}; {later} later put it {_at(v2)}."
    if kind == "bounds":
        return f"{a} put {what} {when} {_at(va)}, and {b} {_at(vb)}: they cannot both hold."
    return f"{a} put {what} {when} {_at(va)}; {b} {_at(vb)}."


def _at(figure: str) -> str:
    """'at 37', 'at more than 95', but 'at least 15' (not 'at at least 15')."""
    return figure if figure.startswith("at ") else f"at {figure}"


def _by_date(t: Tables, *sides):
    """The sides in order of publication (undated last)."""
    def when(side):
        dates = [s.published for s in t.sources(side[2]) if s.published is not None]
        return min(dates) if dates else pd.Timestamp.max
    return sorted(sides, key=when)
