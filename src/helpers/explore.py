"""Tables for the exploration notebooks: who said what, CENTCOM's cadence, and rates."""

from __future__ import annotations

import pandas as pd

from .build import read_claims
from .config import Paths
from .vocab import CORE_METRICS

CENTCOM_KINDS = ("centcom_release", "centcom_statement")


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
