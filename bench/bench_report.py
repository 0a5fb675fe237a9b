"""How fast ``tally report`` is, against the floor and against the naive way, measured in one run.

- floor: a kernel started the usual way (jupyter_client, this environment's ``python3``) until it
  answers, plus importing pandas, matplotlib and seaborn in it: what any report run has to pay;
- ``tally report --month``: the whole command, as a user runs it;
- naive: the ``papermill`` command line, then ``jupyter nbconvert --to html --no-input``, one month;
- ``tally report --all``: every month, against the naive pair once per month (timed on a few
  months and extrapolated to all of them).

The notebook's own cells (figures mostly, drawn one after another in the kernel) are reported
apart, from papermill's timings in the rendered report.

Runs on a scratch copy of the project (its data/ and notebooks/); ``make bench`` builds the data first.
Usage: python bench/bench_report.py [--repeat N] [--naive-months N] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MONTH = "2023-07"
AIM_MONTH = 1.6  # --month within 1.6 times the floor
AIM_ALL = 10  # --all at least 10 times faster than the naive pair once per month


def timed(cmd: list[str], **kwargs) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
    return time.perf_counter() - start


def floor() -> float:
    """A kernel started the usual way until it answers, plus the three imports, then shut down."""
    from jupyter_client.manager import start_new_kernel

    start = time.perf_counter()
    km, kc = start_new_kernel(kernel_name="python3", stderr=subprocess.DEVNULL)
    kc.execute_interactive("import pandas, matplotlib.pyplot, seaborn", timeout=60)
    elapsed = time.perf_counter() - start
    kc.stop_channels()
    km.shutdown_kernel(now=True)
    return elapsed


def tally(root: Path, *args: str) -> float:
    return timed([str(BIN / "tally"), "--root", str(root), "report", *args])


def naive(root: Path, month: str, out: Path) -> float:
    """papermill's command line, then nbconvert's, as a notebook user would run them."""
    notebook = root / "notebooks" / "monthly_report.ipynb"
    executed = out / f"{month}.ipynb"
    start = time.perf_counter()
    subprocess.run([str(BIN / "papermill"), str(notebook), str(executed), "-p", "month", month, "-k", "python3",
                    "--cwd", str(root), "--no-progress-bar"], check=True, capture_output=True)
    subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
                   check=True, capture_output=True)
    return time.perf_counter() - start


def cell_seconds(root: Path, month: str) -> float:
    nb = json.loads((root / "reports" / month / "report.ipynb").read_text())
    return sum(c["metadata"].get("papermill", {}).get("duration") or 0 for c in nb["cells"] if c["cell_type"] == "code")


def month_count(root: Path) -> list[str]:
    from helpers.config import Paths
    from helpers.months import month_range, months_between

    return months_between(*month_range(Paths.at(root)))


def scratch_copy(into: Path) -> Path:
    root = into / "copy"
    if not (ROOT / "data" / "processed" / "monthly.csv").exists():
        sys.exit("bench_report: data/processed/ is empty; run `make data` (or `tally build`) first")
    shutil.copytree(ROOT / "data", root / "data")
    shutil.copytree(ROOT / "notebooks", root / "notebooks")
    return root


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=7, help="runs of the floor and of --month, interleaved")
    ap.add_argument("--naive-months", type=int, default=3, help="months the naive pair is timed on")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="workers for --all")
    args = ap.parse_args()

    with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
        root = scratch_copy(Path(tmp))
        out = Path(tmp) / "naive"
        out.mkdir()
        months = month_count(root)
        tally(root, "--month", MONTH)  # once unmeasured: disk caches, .pyc files
        floors, singles, cells = [], [], []
        for _ in range(args.repeat):  # interleaved, so that a change in the machine's load hits both
            floors.append(floor())
            singles.append(tally(root, "--month", MONTH))
            cells.append(cell_seconds(root, MONTH))
        sample = [months[len(months) * (i + 1) // (args.naive_months + 1)] for i in range(args.naive_months)]
        naives = [naive(root, m, out) for m in sample]
        every = tally(root, "--all", "--jobs", str(args.jobs))
        all_cells = sum(cell_seconds(root, m) for m in months)

    f, one, c = statistics.median(floors), statistics.median(singles), statistics.median(cells)
    rest = statistics.median(s - c for s, c in zip(singles, cells))
    n = statistics.mean(naives)
    naive_all = n * len(months)
    rows = [
        ("floor: kernel start + pandas, matplotlib, seaborn", f"{f:6.2f} s", ""),
        (f"tally report --month {MONTH}", f"{one:6.2f} s",
         f"{one / f:4.2f} x floor (aim: at most {AIM_MONTH:.1f} x; {'met' if one / f <= AIM_MONTH else 'missed'})"),
        ("  best runs: --month against the floor", f"{min(singles):6.2f} s",
         f"{min(singles) / min(floors):4.2f} x floor's best ({min(floors):.2f} s); "
         "the machine's load varies run to run"),
        ("  of which the notebook's own cells (its figures)", f"{c:6.2f} s", ""),
        ("  the rest: start, warm imports, kernel, export, writing", f"{rest:6.2f} s", f"{rest / f:4.2f} x floor"),
        ("naive: papermill CLI + nbconvert CLI, one month", f"{n:6.2f} s", f"--month is {n / one:4.2f} x faster"),
        (f"tally report --all: {len(months)} months, {args.jobs} jobs", f"{every:6.2f} s",
         f"{every / len(months):4.2f} s a month"),
        (f"  the notebooks' own cells, all months, / {args.jobs} jobs", f"{all_cells / args.jobs:6.2f} s",
         "(a lower bound for --all)"),
        (f"naive x {len(months)} months (timed on {', '.join(sample)}; extrapolated)", f"{naive_all:6.1f} s",
         f"--all is {naive_all / every:4.1f} x faster (aim: at least {AIM_ALL:.0f} x; "
         f"{'met' if naive_all / every >= AIM_ALL else 'missed'})"),
    ]
    width = max(len(r[0]) for r in rows)
    print(f"bench_report ({os.cpu_count()} cores; medians of {args.repeat} interleaved runs for the floor and --month)")
    for label, value, ratio in rows:
        print(f"  {label:<{width}}  {value}  {ratio}")


if __name__ == "__main__":
    main()
