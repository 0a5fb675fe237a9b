"""Time ``make report`` and ``make test`` on fresh clones, installing with uv and with pip, side by side.

Each target runs on its own fresh clone (no ``.venv``), so its time includes creating the
environment and installing every dependency. ``--cold`` gives uv and pip empty package caches.
Not run by ``make bench`` (it takes minutes): ``.venv/bin/python bench/fresh_clone.py``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def timed(target: str, installer: str, cold: bool) -> tuple[float, int]:
    """Seconds for ``make TARGET`` on a fresh clone, and its exit status."""
    with tempfile.TemporaryDirectory(prefix="fresh-clone-") as tmp:
        clone = Path(tmp) / "clone"
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(clone)], check=True)
        env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
        env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if "/.venv/" not in p + "/")
        if cold:
            env["UV_CACHE_DIR"] = str(Path(tmp) / "uv-cache")
            env["PIP_NO_CACHE_DIR"] = "1"
        start = time.perf_counter()
        done = subprocess.run(["make", target, f"INSTALLER={installer}"], cwd=clone, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start, done.returncode


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--targets", nargs="+", default=["report", "test"])
    ap.add_argument("--installers", nargs="+", default=["uv", "pip"])
    ap.add_argument("--cold", action="store_true", help="empty uv and pip caches")
    args = ap.parse_args()
    print(f"fresh clone of {REPO} on {os.cpu_count()} cores{' (cold caches)' if args.cold else ''}")
    print(f"{'target':<10}" + "".join(f"{i:>14}" for i in args.installers))
    failed = False
    for target in args.targets:
        cells = []
        for installer in args.installers:
            seconds, status = timed(target, installer, args.cold)
            failed |= status != 0
            cells.append(f"{seconds:>12.1f} s" + ("" if status == 0 else f" (exit {status})"))
        print(f"make {target:<5}" + "".join(f"{c:>14}" for c in cells), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
