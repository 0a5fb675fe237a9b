"""The reconciliation: from claims to a monthly series, its discrepancies, and the multi-month checks.

``reconcile(claims)`` is pure: the claims table in, four tables out, the same every run. The
steps, each in its own module:

1. ``_groups``: claims grouped by (period, country, metric); a ranking picks each group's
   figure; the same figure given for two periods in words keeps the better-backed dates.
2. ``_network``: the interval network: every figure in use bounds a sum of months; intervals
   propagate through months, nested spans, countries and the two readings of operations; figures
   that contradict better-ranked ones are set aside.
3. ``_checks``: the seven kinds of disagreement, as discrepancy rows; ``_explain``: who said
   what and why a bound is what it is, the sentences of notes and explanations.
4. ``_series``: the ``monthly`` and ``periods`` rows; here, the four tables put together.

The processed tables are read back by ``helpers.tables``; ``monthly()``, ``discrepancies()``,
``periods()``, ``readings()``, ``month_range()`` and ``touching()`` are here too, for the notebooks.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pandas as pd

from ..months import month_index, month_range
from ..tables import (
    DISCREPANCY_COLUMNS,
    INT_COLUMNS,
    MONTHLY_COLUMNS,
    PERIOD_COLUMNS,
    READING_COLUMNS,
    discrepancies,
    monthly,
    periods,
    readings,
    touching,
)
from ..vocab import CORE_METRICS
from . import _checks as checks
from . import _counts as counts
from ._explain import Context
from ._groups import INF, aliases, make_groups, relabels, supersede_aliases, to_claims
from ._network import Series
from ._series import monthly_rows, period_rows

__all__ = ["DISCREPANCY_COLUMNS", "MONTHLY_COLUMNS", "PERIOD_COLUMNS", "READING_COLUMNS", "Reconciliation",
           "discrepancies", "month_range", "monthly", "periods", "readings", "reconcile", "touching"]


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
    pairs = aliases(groups) + relabels(groups)
    supersede_aliases(pairs)
    ctx = Context(records, groups, Series(groups))
    reading_records, headline_rows = checks.readings(ctx)
    rows = (headline_rows + checks.country_sums(ctx) + checks.group_conflicts(ctx) + checks.own_months(ctx)
            + checks.period_sums(ctx) + checks.period_wordings(ctx, pairs) + counts.same_source(ctx)
            + counts.running_counts(ctx))
    rows += checks.leftovers(ctx, rows)
    return Reconciliation(
        monthly=_frame(monthly_rows(ctx, *core_months(records)), MONTHLY_COLUMNS, "monthly"),
        discrepancies=_discrepancy_frame(rows),
        periods=_frame(period_rows(ctx), PERIOD_COLUMNS, "periods",
                       sort=["period_start", "period_end", "metric", "country", "status", "claimed_text"]),
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
    """The rows as a table of ``columns``, sorted by ``sort`` (which may name keys that are not columns)."""
    keys = [k for k in sort or () if k not in columns]
    df = pd.DataFrame(rows, columns=columns + keys)
    for col in ("period_start", "period_end", "period_start_b", "period_end_b", "span_start", "span_end"):
        if col in df:
            df[col] = df[col].map(lambda d: d.isoformat() if d is not None and not pd.isna(d) else "")
    for col in INT_COLUMNS[name]:
        df[col] = pd.array([None if v is None or v == INF or pd.isna(v) else int(v) for v in df[col]], dtype="Int64")
    for col in df.columns:
        if col not in INT_COLUMNS[name] and col not in keys:
            df[col] = df[col].fillna("").astype(str)
    if sort:
        df = df.sort_values(sort, kind="mergesort").reset_index(drop=True)
    return df[columns]


def _discrepancy_frame(rows: list[dict]) -> pd.DataFrame:
    seen: dict[str, int] = {}
    for r in rows:
        key = ("kind", "period_start", "period_end", "country", "metric", "label_a", "label_b")
        text = "|".join(str(r[k]) for k in key)
        base = "D" + hashlib.sha1(text.encode()).hexdigest()[:7]
        seen[base] = seen.get(base, 0) + 1
        r["discrepancy_id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"
    return _frame(rows, DISCREPANCY_COLUMNS, "discrepancies",
                  sort=["period_start", "period_end", "country", "metric", "kind", "discrepancy_id"])
