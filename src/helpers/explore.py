"""Tables for the exploration notebooks: who said what, CENTCOM's cadence, and rates."""

from __future__ import annotations

import pandas as pd

from .config import Paths
from .tables import read_claims
from .vocab import CENTCOM_KINDS, CORE_METRICS, DISCREPANCY_KINDS, RUNNING_METRICS, STOCK_METRICS


def claims(paths: Paths | None = None) -> pd.DataFrame:
    """The built ``claims.csv`` of a project copy (run ``tally build`` first)."""
    return read_claims((paths or Paths.at()).claims_csv)


def figures_by_source(claims: pd.DataFrame) -> pd.DataFrame:
    """One row per source: who published it, when, how many figures, and the span they cover."""
    g = claims.groupby("source_id", sort=False)
    out = pd.DataFrame({
        "publisher": g["publisher"].first(),
        "kind": g["kind"].first(),
        "published": g["published"].first(),
        "figures": g.size(),
        "core_figures": g["metric"].agg(lambda m: int(m.isin(CORE_METRICS).sum())),
        "first_day": g["period_start"].min(),
        "last_day": g["period_end"].max(),
        "url": g["url"].first(),
    })
    return out.sort_values(["published", "publisher"], na_position="last")


def figures_by_kind(claims: pd.DataFrame) -> pd.DataFrame:
    """Count of figures by source kind (rows) and metric (columns), core metrics first."""
    table = pd.crosstab(claims["kind"], claims["metric"])
    order = [m for m in CORE_METRICS if m in table] + sorted(c for c in table if c not in CORE_METRICS)
    return table[order]


def month_coverage(claims: pd.DataFrame) -> pd.DataFrame:
    """For each calendar month stated on its own, how many sources of each kind gave core figures for it."""
    months = claims[(claims["period_kind"] == "month") & claims["metric"].isin(CORE_METRICS)].copy()
    months["month"] = months["period_start"].dt.strftime("%Y-%m")
    table = months.groupby(["month", "kind"])["source_id"].nunique().unstack(fill_value=0)
    return table.rename_axis(columns=None)


def centcom_cadence(claims: pd.DataFrame) -> pd.DataFrame:
    """CENTCOM's own statements in order: the span each covers, its length and wording, and the countries split."""
    own = claims[claims["kind"].isin(CENTCOM_KINDS) & claims["metric"].isin(CORE_METRICS)]
    g = own.groupby(["source_id", "period_start", "period_end"], sort=False)
    out = pd.DataFrame({
        "published": g["published"].first(),
        "period_kind": g["period_kind"].first(),
        "days": g["period_days"].first(),
        "wording": g["period_wording"].first(),
        "countries": g["country"].agg(lambda c: ", ".join(sorted(set(c)))),
        "metrics": g["metric"].agg(lambda m: ", ".join(x for x in CORE_METRICS if x in set(m))),
    }).reset_index()
    return out.sort_values(["published", "period_start"]).reset_index(drop=True)


def rates(monthly: pd.DataFrame) -> pd.DataFrame:
    """Killed and detained per operation, by month and country, where all three are determined."""
    known = monthly[monthly["metric"].isin(["operations", "killed", "detained"])]
    wide = known.pivot_table(index=["month", "country"], columns="metric", values="value", aggfunc="first")
    wide = wide.dropna(subset=["operations"])
    wide = wide[wide["operations"] > 0]
    out = pd.DataFrame(index=wide.index)
    for metric in ("killed", "detained"):
        if metric in wide:
            out[f"{metric}_per_operation"] = (wide[metric] / wide["operations"]).round(2)
    return out.reset_index()


def operations_per_day(claims: pd.DataFrame) -> pd.DataFrame:
    """Operations per day for every exact all-country operations claim, so months, quarters and
    rolling spans compare on one scale."""
    ops = claims[(claims["metric"] == "operations") & (claims["qualifier"] == "exact")
                 & claims["attributed_to"].isin(["centcom", "outlet"])
                 & claims["period_days"].notna() & (claims["period_kind"] != "instant")].copy()
    ops["centcom_first"] = ~ops["kind"].isin(CENTCOM_KINDS)  # keep CENTCOM's own row where outlets repeat it
    ops = ops.sort_values(["centcom_first", "published", "source_id"], kind="mergesort")
    out = ops[["source_id", "publisher", "country", "period_start", "period_end", "period_kind", "period_days",
               "period_wording", "value"]].copy()
    out["per_day"] = (out["value"] / out["period_days"].astype(float)).round(2)
    return out.drop_duplicates(["country", "period_start", "period_end", "value"]).sort_values(
        ["period_start", "period_end", "country"], kind="mergesort").reset_index(drop=True)



def discrepancy_counts(discrepancies: pd.DataFrame) -> pd.DataFrame:
    """How many disagreements of each kind, with what each kind means."""
    counts = discrepancies["kind"].value_counts()
    return pd.DataFrame({"kind": list(DISCREPANCY_KINDS), "meaning": list(DISCREPANCY_KINDS.values()),
                         "found": [int(counts.get(k, 0)) for k in DISCREPANCY_KINDS]})


def cases(discrepancies: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The disagreements of one kind, with the figures in conflict, the explanation and the resolution."""
    cols = ["period_start", "period_end", "country", "metric", "value_a", "qualifier_a", "side_a", "source_a",
            "value_b", "qualifier_b", "side_b", "parts_b", "source_b", "difference", "explanation", "resolution"]
    return discrepancies.loc[discrepancies["kind"] == kind, cols].reset_index(drop=True)


def month_sum(monthly: pd.DataFrame, start: str, end: str, country: str, metric: str) -> pd.DataFrame:
    """The monthly series from ``start`` to ``end`` (YYYY-MM) for one country and metric, with a total row:
    the arithmetic behind a multi-month figure laid out."""
    rows = monthly[(monthly["country"] == country) & (monthly["metric"] == metric)
                   & (monthly["month"] >= start) & (monthly["month"] <= end)]
    rows = rows[["month", "value", "low", "high", "basis", "note"]].reset_index(drop=True)
    values = pd.to_numeric(rows["value"], errors="coerce")
    known = values.notna().all()
    total = {"month": "total", "value": int(values.sum()) if known else None,
             "low": None, "high": None, "basis": "" if known else "incomplete",
             "note": f"sum of {len(rows)} months" if known else
             "cannot be summed: " + ", ".join(rows.loc[values.isna(), "month"]) + " not determined"}
    return pd.concat([rows, pd.DataFrame([total])], ignore_index=True)


def point_in_time(claims: pd.DataFrame) -> pd.DataFrame:
    """The counts of a state at one moment (camp populations, detainees held) and the counts that run
    over time (detainees transferred so far), one row per figure: its date (the end of its period), the
    start a running count runs from, the value with its bounds, and whose figure it is."""
    rows = claims[claims["metric"].isin(STOCK_METRICS + RUNNING_METRICS)].copy()
    rows["running"] = rows["metric"].isin(RUNNING_METRICS)
    rows["date"] = rows["period_end"]
    rows["since"] = rows["period_start"].where(rows["running"])
    cols = ["metric", "country", "date", "since", "value", "qualifier", "low", "high", "publisher", "attributed_to",
            "source_id", "claim_id"]
    return rows[cols].sort_values(["metric", "country", "date", "claim_id"], kind="mergesort").reset_index(drop=True)


def show_in_full() -> None:
    """Show tables' text in full in a notebook (explanations, notes): no column cut off, no row of columns
    elided. pandas' documented display options."""
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_columns", None)
    pd.set_option("display.width", None)
