"""Raw to processed: ``claims.csv``, then the reconciliation's ``monthly``, ``discrepancies``, ``periods``
and ``readings``.

Every output is computed and serialised in memory first; only then are the files replaced,
each through a temporary file and ``os.replace``, so a failed build leaves the previous
processed files as they were. The same inputs give byte-identical files.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pandas as pd

from .config import Paths
from .vocab import bounds, period_days, period_kind

CLAIM_COLUMNS = [
    "claim_id", "source_id", "kind", "publisher", "title", "url", "published", "published_approx",
    "release_number", "attributed_to", "period_start", "period_end", "period_days", "period_kind",
    "period_wording", "country", "metric", "value", "qualifier", "low", "high", "entry", "mention", "note",
]
DATE_COLUMNS = ("published", "period_start", "period_end")


def claims_from_raw(sources: pd.DataFrame, figures: pd.DataFrame) -> pd.DataFrame:
    """Every figure joined with its source, with bounds and the period's length and kind."""
    df = figures.merge(sources, on="source_id", how="left", suffixes=("", "_source"), validate="many_to_one")
    df["claim_id"] = df["line"].map(lambda n: f"F{n:04d}")
    lows, highs, days, kinds = [], [], [], []
    for value, qualifier, start, end in zip(df["value"], df["qualifier"], df["period_start"], df["period_end"]):
        low, high = bounds(value, qualifier)
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
    from .curate import load_raw  # here: the validation library is slow to import, and reading needs none

    sources, figures = load_raw(paths or Paths.at())
    return claims_from_raw(sources, figures)


def read_claims(path: Path) -> pd.DataFrame:
    """Read a written ``claims.csv`` back with its types."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    for col in DATE_COLUMNS:
        df[col] = pd.to_datetime(df[col].replace("", None), format="%Y-%m-%d")
    df["published_approx"] = df["published_approx"].eq("true")
    for col in ("value", "low", "mention"):
        df[col] = df[col].astype("int64")
    for col in ("high", "period_days"):
        df[col] = pd.array([None if v == "" else int(v) for v in df[col]], dtype="Int64")
    return df


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """Serialise a table the one way the project writes CSV: ISO dates, empty for missing, LF."""
    out = df.copy()
    for col in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[col]):
            out[col] = out[col].dt.strftime("%Y-%m-%d")
        elif pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map({True: "true", False: "false"})
    return out.to_csv(index=False, lineterminator="\n", na_rep="").encode("utf-8")


def _mode(path: Path) -> int:
    """An existing file's mode (kept, as when writing in place); for a new file, 0666 less the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def write_atomically(files: dict[Path, bytes]) -> None:
    """Replace each file with its new bytes; nothing is touched until every temporary file is written."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            staged.append((tmp, path))
            os.chmod(fd, _mode(path))  # mkstemp makes 0600: give the file the mode a plain write would
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        os.replace(tmp, path)


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
    tables = processed_tables(paths)
    write_atomically({path: to_csv_bytes(df) for path, df in tables.items()})
    return tables
