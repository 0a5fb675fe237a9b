"""Benchmark of the reconciliation, and of the whole build, as the data grows.

Times ``helpers.reconcile.reconcile`` on the curated claims and on synthetic claims 10 and 100 times
larger, made from the real ones: more years (the whole record repeated, shifted five years at a
time) and more sources (each figure also reported by extra outlets). ``helpers.build.build`` is
timed end to end on a scratch copy of the real data. Prints the times and growth factors side by
side; the aim is under a second on the real data and growth no worse than linear.

A third shape (issue 18): many figures that share one period, country and metric (8,000, 16,000 and
32,000 outlets all giving July 2023's Iraq operations, of seven different values), appended to a
scratch copy of data/raw/ and built end to end with ``tally build``'s ``build``. Before the fix a
group's claims were compared field by field with each other (8,000: 6.7 s, 16,000: 27 s,
32,000: 142 s); the aim is that doubling the rows no more than about doubles the time.

Usage: PYTHONPATH=src python bench/bench_build.py [--repeat N] [--crowded-only]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd

from helpers.build import build, load_claims
from helpers.config import Paths
from helpers.reconcile import reconcile

REPO = Path(__file__).resolve().parents[1]
SCALES = {1: (1, 1), 10: (5, 2), 100: (25, 4)}  # factor: (blocks of years, copies of each source)


def scaled(claims: pd.DataFrame, blocks: int, copies: int) -> pd.DataFrame:
    """The claims repeated over ``blocks`` five-year blocks, each source also printed by ``copies - 1`` outlets."""
    frames = []
    for b in range(blocks):
        shifted = claims.copy()
        for col in ("published", "period_start", "period_end"):
            shifted[col] = shifted[col] + pd.DateOffset(years=5 * b)
        for k in range(copies):
            copy = shifted.copy()
            suffix = f"-b{b}c{k}"
            copy["source_id"] = copy["source_id"] + suffix
            copy["claim_id"] = copy["claim_id"] + suffix
            if k:
                copy["kind"] = "news"  # the extra copies are outlets reporting the same figures
                copy["publisher"] = copy["publisher"] + f" (reprint {k})"
            frames.append(copy)
    return pd.concat(frames, ignore_index=True)


def timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def time_build(repeat: int) -> float:
    with tempfile.TemporaryDirectory() as tmp:
        paths = Paths.at(tmp)
        shutil.copytree(REPO / "data" / "raw", paths.raw)
        return timed(lambda: build(paths), repeat)


CROWDED = (8_000, 16_000, 32_000)


def crowded_copy(folder: Path, n: int) -> Paths:
    """A scratch copy of data/raw/ with ``n`` more outlets, each giving Iraq's operations of July 2023."""
    paths = Paths.at(folder)
    shutil.copytree(REPO / "data" / "raw", paths.raw)
    sources = "".join(f"outlet-{i:05d},news,Outlet {i},,https://example.org/news/{i},2023-08-15,false,,\n"
                      for i in range(n))
    figures = "".join(f"outlet-{i:05d},2023-07-01,2023-07-31,,iraq,operations,{20 + i % 7},exact,hand,centcom,,\n"
                      for i in range(n))
    with paths.sources_csv.open("a") as fh:
        fh.write(sources)
    with paths.figures_csv.open("a") as fh:
        fh.write(figures)
    return paths


def time_crowded(repeat: int) -> None:
    """``build`` end to end as the figures sharing one period, country and metric double."""
    print(f"\n{'one period, country, metric':<30}{'rows':>8}{'build s':>10}{'rows x':>8}{'time x':>8}")
    base = None
    for n in CROWDED:
        with tempfile.TemporaryDirectory() as tmp:
            paths = crowded_copy(Path(tmp), n)
            seconds = timed(lambda: build(paths), repeat)
        base = base or (n, seconds)
        print(f"{'':<30}{n:>8}{seconds:>10.2f}{n / base[0]:>8.1f}{seconds / base[1]:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the median is shown")
    parser.add_argument("--crowded-only", action="store_true", help="time only the shape of issue 18")
    args = parser.parse_args()
    if args.crowded_only:
        time_crowded(1)
        return
    claims = load_claims(Paths.at(REPO))
    print(f"{'data':<22}{'claims':>8}{'size x':>8}{'reconcile s':>13}{'time x':>8}")
    base = None
    for factor, (blocks, copies) in SCALES.items():
        data = scaled(claims, blocks, copies)
        seconds = timed(lambda: reconcile(data), args.repeat if factor < 100 else 1)
        base = base or seconds
        label = "real" if factor == 1 else f"synthetic x{factor}"
        print(f"{label:<22}{len(data):>8}{len(data) / len(claims):>8.1f}{seconds:>13.3f}{seconds / base:>8.1f}")
    print(f"\nbuild end to end (real data, scratch copy): {time_build(args.repeat):.3f} s")
    time_crowded(1)


if __name__ == "__main__":
    main()
