"""The reconciliation: from claims to a monthly series, its discrepancies, and the multi-month checks.

``reconcile(claims)`` is pure: the claims table in, four tables out, the same every run. The
steps, each in its own module:

1. ``reconcile_groups``: claims grouped by (period, country, metric); a ranking picks each group's
   figure; the same figure given for two periods in words keeps the better-backed dates.
2. ``reconcile_network``: every figure in use bounds a sum of months; intervals propagate through
   months, nested spans, countries and the two readings of operations; figures that contradict
   better-ranked ones are set aside.
3. ``reconcile_checks``: the seven kinds of disagreement, as discrepancy rows.
4. here: the ``monthly``, ``periods`` and ``readings`` tables, and the notebook functions that read
   the processed CSVs back (``monthly()``, ``discrepancies()``, ``periods()``, ``readings()``,
   ``month_range()``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import reconcile_checks as checks
from .config import Paths
from ._files import check_processed
from .errors import MonthError, TallyError
from .months import check_month, month_range
from .reconcile_explain import (Context, behind, bound_note, claim_ids, figure_text, qualified_group, says,
                                source_ids, span)
from .reconcile_groups import INF, Group, aliases, make_groups, supersede_aliases, to_claims
from .reconcile_network import COUNTRIES, Series, nested, pieces
from .reconcile_text import (aligned, count_words, month_code, month_end, month_index, month_list, month_start,
                             months_phrase, period_phrase, qualified, sentence)
from .vocab import CORE_METRICS, period_kind

MONTHLY_COLUMNS = ["month", "country", "metric", "value", "low", "high", "basis", "source_ids", "note"]
DISCREPANCY_COLUMNS = ["discrepancy_id", "kind", "period_start", "period_end", "country", "metric", "value_a",
                       "source_a", "value_b", "source_b", "difference", "explanation", "resolution", "claim_ids"]
PERIOD_COLUMNS = ["period_start", "period_end", "period_days", "span_kind", "country", "metric", "claimed",
                  "source_ids", "series_sum", "status", "difference", "note", "claim_ids"]
READING_COLUMNS = ["source_id", "publisher", "period_start", "period_end", "country", "headline", "partnered",
                   "us_only", "partnered_plus_us_only", "reading", "note", "claim_ids"]
INT_COLUMNS = {"monthly": ("value", "low", "high"), "discrepancies": ("difference",),
               "periods": ("period_days", "series_sum", "difference"),
               "readings": ("headline", "partnered", "us_only", "partnered_plus_us_only")}


@dataclass
class Reconciliation:
    """The four tables ``reconcile`` returns; ``readings`` is the per-source reading of operations."""

    monthly: pd.DataFrame
    discrepancies: pd.DataFrame
    periods: pd.DataFrame
    readings: pd.DataFrame


def reconcile(claims: pd.DataFrame) -> Reconciliation:
    """Reconcile the claims table (see module docstring). No I/O; deterministic."""
    records = to_claims(claims)
    groups = make_groups(records)
    pairs = aliases(groups)
    supersede_aliases(pairs)
    ctx = Context(records, groups, Series(groups))
    reading_records, headline_rows = checks.readings(ctx)
    rows = (headline_rows + checks.country_sums(ctx) + checks.group_conflicts(ctx) + checks.own_months(ctx)
            + checks.period_sums(ctx) + checks.period_wordings(ctx, pairs))
    rows += checks.leftovers(ctx, rows)
    return Reconciliation(
        monthly=_frame(monthly_rows(ctx, *core_months(records)), MONTHLY_COLUMNS, "monthly"),
        discrepancies=_discrepancy_frame(rows),
        periods=_frame(period_rows(ctx), PERIOD_COLUMNS, "periods",
                       sort=["period_start", "period_end", "metric", "country", "status", "claimed"]),
        readings=_frame(reading_records, READING_COLUMNS, "readings",
                        sort=["period_start", "period_end", "source_id", "country"]),
    )


def core_months(records) -> tuple[int, int]:
    """First and last month any core-metric claim with a known period touches."""
    spans = [(month_index(c.start), month_index(c.end)) for c in records
             if c.metric in CORE_METRICS and c.start is not None and c.end is not None]
    if not spans:
        return (0, -1)
    return min(a for a, _ in spans), max(b for _, b in spans)


def _frame(rows: list[dict], columns: list[str], name: str, sort: list[str] | None = None) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=columns)
    for col in ("period_start", "period_end"):
        if col in df:
            df[col] = df[col].map(lambda d: d.isoformat() if d is not None and not pd.isna(d) else "")
    for col in INT_COLUMNS[name]:
        df[col] = pd.array([None if v is None or v == INF or pd.isna(v) else int(v) for v in df[col]], dtype="Int64")
    for col in df.columns:
        if col not in INT_COLUMNS[name]:
            df[col] = df[col].fillna("").astype(str)
    if sort:
        df = df.sort_values(sort, kind="mergesort").reset_index(drop=True)
    return df


def _discrepancy_frame(rows: list[dict]) -> pd.DataFrame:
    seen: dict[str, int] = {}
    for r in rows:
        key = ("kind", "period_start", "period_end", "country", "metric", "value_a", "value_b")
        text = "|".join(str(r[k]) for k in key)
        base = "D" + hashlib.sha1(text.encode()).hexdigest()[:7]
        seen[base] = seen.get(base, 0) + 1
        r["discrepancy_id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return _frame(rows, DISCREPANCY_COLUMNS, "discrepancies",
                  sort=["period_start", "period_end", "country", "metric", "kind", "discrepancy_id"])


# --- monthly --------------------------------------------------------------------------------------------


def monthly_rows(ctx: Context, first: int, last: int) -> list[dict]:
    rows = []
    for m in range(first, last + 1):
        for country in COUNTRIES:
            for metric in CORE_METRICS:
                rows.append(_month_row(ctx, ((m, m), country, metric)))
    return rows


def _month_row(ctx: Context, key) -> dict:
    (m, _), country, metric = key
    lo, hi = ctx.series.bounds(key)
    g = ctx.month_group(key)
    stated = g is not None and g.status == "used" and g.exact and lo == hi
    if stated:
        basis = "stated" if g.tier == 0 else "reported"
        claims, note = g.accepted, _stated_note(g)
    else:
        basis = "derived" if lo == hi else ("bounded" if lo > 0 or hi < INF else "unknown")
        claims = behind(ctx, key) if basis != "unknown" else []
        note = bound_note(ctx, key) if basis != "unknown" else "No figure covers this month."
        if g is not None and g.status == "rejected":
            note = note[:-1] + f"; {says(g.accepted, qualified_group(g))}, not used because {checks.why_set_aside(g)}."
        elif g is not None and g.status == "outside":
            note = (note[:-1] + f"; {says(g.accepted, qualified_group(g))}, a figure from another party that "
                    "never enters the series.")
    return {"month": month_code(m), "country": country, "metric": metric, "value": lo if lo == hi else None,
            "low": lo, "high": hi, "basis": basis, "source_ids": source_ids(claims), "note": note}


def _stated_note(g: Group) -> str:
    centcom = [c for c in g.accepted if c.tier == 0]
    outlets = [c for c in g.accepted if c.tier > 0]
    value = int(g.lo)
    if centcom:
        note = says(centcom, str(value))
        if outlets:
            n = len({c.publisher for c in outlets})
            note += f", and {count_words(n, 'outlet')} {'agrees' if n == 1 else 'agree'}"
    else:
        quoting = "quoting CENTCOM" if g.tier == 1 else "as the outlet's own figure"
        note = f"no CENTCOM document giving this figure was found; {says(g.accepted, str(value))}, {quoting}"
    if g.rejected:
        note += (f"; {says(g.rejected, figure_text(g.rejected))}, not used because "
                 f"{checks.why_chosen(g.accepted, g.rejected)}")
    return sentence(note)


# --- periods ----------------------------------------------------------------------------------------------


def span_kind(start, end) -> str:
    """two_month, quarter, half, year, ytd, months (other whole months) or rolling (not whole months)."""
    if not aligned(start, end):
        return "rolling"
    kind = period_kind(start, end)
    if kind in ("quarter", "half", "year"):
        return kind
    if month_index(end) - month_index(start) == 1:
        return "two_month"
    return "ytd" if start.month == 1 else "months"


def period_rows(ctx: Context) -> list[dict]:
    rows = []
    for g in ctx.groups:
        if g.metric not in CORE_METRICS or month_index(g.start) == month_index(g.end):
            continue
        buckets: dict[tuple, list] = {}
        for c in g.claims:
            buckets.setdefault((c.value, c.qualifier), []).append(c)
        for claims in buckets.values():
            rows.append(_period_row(ctx, g, claims))
    return rows + derived_rows(ctx)


def _period_row(ctx: Context, g: Group, claims) -> dict:
    lo, hi = max(c.lo for c in claims), min(c.hi for c in claims)
    first, last = month_index(g.start), month_index(g.end)
    keys = [((m, m), g.country, g.metric) for m in range(first, last + 1)]
    values = [ctx.series.value(k) for k in keys]
    total, diff = None, None
    if not aligned(g.start, g.end):
        status = "cannot_check"
        inner = (first + (g.start.day != 1), last - (g.end != month_end(last)))
        note = (f"{period_phrase(g.start, g.end)} does not start and end on month boundaries, so the monthly series "
                "cannot check it exactly")
        if inner[0] <= inner[1]:
            allowed = span(*ctx.series.bounds((inner, g.country, g.metric)))
            note += f"; the whole months inside it ({months_phrase(*inner)}) have {allowed}"
    elif all(v is not None for v in values):
        total = sum(values)
        status = "agrees" if lo <= total <= hi else "disagrees"
        diff = checks.gap((total, total), (lo, hi))
        note = f"The months add up to {total}"
        if status == "disagrees":
            note += f"; the figure is {abs(diff)} {'more' if diff > 0 else 'less'}"
    else:
        status = "cannot_check"
        missing = [k[0][0] for k, v in zip(keys, values) if v is None]
        lo_w, hi_w = ctx.series.bounds(((first, last), g.country, g.metric))
        unknown = (f"none of its {len(keys)} months is known" if len(missing) == len(keys) else
                   f"{month_list(missing)} {'is' if len(missing) == 1 else 'are'} not known" if len(missing) <= 4 else
                   f"{len(missing)} of its {len(keys)} months are not known")
        period = period_phrase(g.start, g.end)
        whole = f"put {period} at {int(lo_w)}" if lo_w == hi_w else f"allow {span(lo_w, hi_w)} for {period}"
        note = f"The months cannot be summed: {unknown}; the figures in use {whole}"
    note += "; " + _usage(g, claims)
    return {"period_start": g.start, "period_end": g.end, "period_days": g.days,
            "span_kind": span_kind(g.start, g.end), "country": g.country, "metric": g.metric,
            "claimed": qualified(claims[0].value, claims[0].qualifier), "source_ids": source_ids(claims),
            "series_sum": total, "status": status, "difference": diff, "note": sentence(note),
            "claim_ids": claim_ids(claims)}


def _usage(g: Group, claims) -> str:
    if all(c.tier == 3 for c in claims):
        return "another party's figure, kept for comparison only"
    if any(c in g.rejected for c in claims):
        return f"set aside within its period because {checks.why_chosen(g.accepted, claims)}"
    if g.status == "used":
        return "used to bound the months"
    if g.status == "superseded":
        return "not used: another reading of these dates is used (see period_wording)"
    return f"not used: {checks.why_set_aside(g)}"


def derived_rows(ctx: Context) -> list[dict]:
    """Spans derived as one figure in use minus another nested in it (a half year minus its first quarter)."""
    rows = []
    for sol in ctx.series.solutions:
        base = {k[0] for k in sol.net.keys if ctx.month_group(k) is not None}
        for outer, inner in nested(base):
            rest = [p for p in pieces(outer, inner) if p != inner]
            if len(rest) != 1:
                continue
            for country in COUNTRIES:
                for metric in sol.net.metrics:
                    keys = [(r, country, metric) for r in (outer, inner, rest[0])]
                    row = _derived_row(ctx, *keys)
                    if row:
                        rows.append(row)
    return rows


def _derived_row(ctx: Context, outer, inner, piece) -> dict | None:
    go, gi = ctx.month_group(outer), ctx.month_group(inner)
    if not (go and gi and go.status == gi.status == "used" and go.exact and gi.exact):
        return None
    value = int(go.lo - gi.lo)
    (first, last) = piece[0]
    months = [ctx.series.value(((m, m), piece[1], piece[2])) for m in range(first, last + 1)]
    total = sum(months) if all(v is not None for v in months) else None
    note = (f"Derived: {says(go.accepted, str(int(go.lo)))} for {months_phrase(*outer[0])} and "
            f"{says(gi.accepted, str(int(gi.lo)))} for {months_phrase(*inner[0])}, leaving {value} for "
            f"{months_phrase(first, last)}")
    if total is not None:
        note += f"; the monthly series gives {total}"
        note += ", which agrees" if total == value else f", {value - total:+d} apart"
    start, end = month_start(first), month_end(last)
    return {"period_start": start, "period_end": end, "period_days": (end - start).days + 1,
            "span_kind": "derived", "country": piece[1], "metric": piece[2], "claimed": str(value),
            "source_ids": source_ids(go.accepted + gi.accepted), "series_sum": total, "status": "derived",
            "difference": None if total is None else value - total, "note": sentence(note),
            "claim_ids": claim_ids(go.accepted + gi.accepted)}


# --- notebook API: the processed tables, read back ---------------------------------------------------------



def _read(path: Path, name: str, paths: Paths) -> pd.DataFrame:
    if not path.exists():
        raise TallyError(f"{paths.rel(path)} not found: run `tally build` first")
    check_processed([path], paths.root)  # issue 18: a partial, mixed or changed set is refused
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in INT_COLUMNS[name]:
        df[col] = pd.array([None if v == "" else int(v) for v in df[col]], dtype="Int64")
    for col in ("period_start", "period_end"):
        if col in df:
            df[col] = pd.to_datetime(df[col].replace("", None), format="%Y-%m-%d")
    return df


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
    df = _read(paths.monthly_csv, "monthly", paths)
    return df if window is None else df[df["month"].between(*window)].reset_index(drop=True)


def discrepancies(paths: Paths | None = None, month=None, start=None, end=None) -> pd.DataFrame:
    """The discrepancies whose period touches the month, or the months start..end; all by default."""
    paths = paths or Paths.at()
    return _touching_window(_read(paths.discrepancies_csv, "discrepancies", paths), _window(paths, month, start, end))


def periods(paths: Paths | None = None, month=None, start=None, end=None) -> pd.DataFrame:
    """Multi-month figures against the monthly series (``periods.csv``), filtered like ``discrepancies``."""
    paths = paths or Paths.at()
    return _touching_window(_read(paths.periods_csv, "periods", paths), _window(paths, month, start, end))


def readings(paths: Paths | None = None, month=None, start=None, end=None) -> pd.DataFrame:
    """Which reading of operations each source's headline uses (``readings.csv``), filtered like
    ``discrepancies``."""
    paths = paths or Paths.at()
    return _touching_window(_read(paths.readings_csv, "readings", paths), _window(paths, month, start, end))
