"""Raw to processed: ``claims.csv``, then the reconciliation's ``monthly``, ``discrepancies``, ``periods``
and ``readings``. Orchestration and writing only: the tables' columns and readers are in ``tables``.

Every output is computed and serialised in memory first; only then are the files replaced,
each through a temporary file and ``os.replace``, so a failed build leaves the previous
processed files as they were. ``MANIFEST.sha256`` is written last with every file's hash, and the
readers check it (``check_processed``): a build killed between two moves, or a processed file
changed since, is refused in one line until ``tally build`` runs again. The same inputs give
byte-identical files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ._files import raw_lock, write_processed_set
from .config import Paths
from .tables import CLAIM_COLUMNS
from .vocab import CORE_METRICS, bounds, period_days, period_kind


def claims_from_raw(sources: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Every figure joined with its source, with bounds and the period's length and kind."""
    if "scope" not in figures:
        figures = figures.assign(scope="tally", qualifier_as_curated="")
    df = figures.merge(sources, on="source_id", how="left", suffixes=("", "_source"), validate="many_to_one")
    df["claim_id"] = df["line"].map(lambda n: f"F{n:04d}")
    lows, highs, days, kinds = [], [], [], []
    for value, qualifier, start, end, scope, metric in zip(df["value"], df["qualifier"], df["period_start"],
                                                           df["period_end"], df["scope"], df["metric"]):
        low, high = bounds(value, qualifier)
        if scope == "event" and metric in CORE_METRICS:
            high = None  # one strike or raid: at least its count happened in its period, maybe more
        lows.append(low)
        highs.append(high)
        s = None if pd.isna(start) else start.date()
        e = None if pd.isna(end) else end.date()
        days.append(period_days(s, e))
        kinds.append(period_kind(s, e))
    df["low"] = pd.Series(lows, index=df.index, dtype="int64")
    df["high"] = pd.array(highs, dtype="Int64")
    df["period_days"] = pd.array(days, dtype="Int64")
    df["period_kind"] = kinds
    df = df[CLAIM_COLUMNS]
    order = ["period_start", "period_end", "metric", "country", "published", "source_id", "mention", "claim_id"]
    return df.sort_values(order, kind="mergesort", na_position="last").reset_index(drop=True)


def load_claims(paths: Paths | None = None) -> pd.DataFrame:
    """Claims built straight from the raw files (validated); the same table ``claims.csv`` holds."""
    from . import amendments
    from .curate import load_raw  # here: the validation library is slow to import, and reading needs none
    from .errors import DataError

    paths = paths or Paths.at()
    sources, figures = load_raw(paths)
    problems = amendments.problems(paths, set(figures["line"]))
    if problems:
        raise DataError(problems)
    return claims_from_raw(sources, amendments.apply(figures, amendments.load(paths)))


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """Serialise a table the one way the project writes CSV: ISO dates, empty for missing, LF."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map({True: "true", False: "false"})
    return out.to_csv(index=False, lineterminator="\n", na_rep="").encode("utf-8")


def processed_tables(paths: Paths) -> dict[Path, pd.DataFrame]:
    """Compute every processed table in memory, keyed by the file it goes to."""
    from .reconcile import reconcile  # the reconciliation needs the claims, not the other way round

    claims = load_claims(paths)
    rec = reconcile(claims)
    return {
        paths.claims_csv: claims,
        paths.monthly_csv: rec.monthly,
        paths.discrepancies_csv: rec.discrepancies,
        paths.periods_csv: rec.periods,
        paths.readings_csv: rec.readings,
    }


def build(paths: Paths | None = None) -> dict[Path, pd.DataFrame]:
    """Rebuild ``data/processed/`` from ``data/raw/``: all files or none."""
    paths = paths or Paths.at()
    with raw_lock(paths.raw, "build", paths.root):
        tables = processed_tables(paths)
        write_processed_set(paths.processed, {path: to_csv_bytes(df) for path, df in tables.items()})
    return tables
