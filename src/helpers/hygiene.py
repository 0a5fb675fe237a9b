"""Notebook hygiene: committed notebooks carry no outputs, and keep their cell tags.

``python -m helpers.hygiene install-filter`` sets up nbstripout as this checkout's git
filter (``make setup`` runs it), so outputs are stripped as notebooks are staged. The filter runs
``python -m helpers.hygiene strip``: nbstripout, without the format checkers nbformat never uses,
which would add a second to every notebook git reads (``helpers._formats``). The filter
never breaks git: without the project's ``.venv`` it uses an ``nbstripout`` on the PATH, or
passes the notebook through unchanged (and a test fails on a committed notebook with
outputs). ``.gitattributes`` names the filter, so a clone without it set up works as usual.
"""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

from ._formats import skip_format_checkers


def notebooks_with_outputs(folder: Path) -> list[str]:
    """The notebooks under ``folder`` with any code-cell output or execution count."""
    dirty = []
    for path in sorted(Path(folder).rglob("*.ipynb")):
        if ".ipynb_checkpoints" in path.parts:
            continue
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "code" and (cell.get("outputs") or cell.get("execution_count")):
                dirty.append(str(path))
                break
    return dirty


def enter_project() -> Path:
    """The project's folder; a notebook run from outside it (papermill, another folder) moves into it.

    The nearest folder up from the working folder with ``data/raw``, else the checkout this
    package was installed from.
    """
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / "data" / "raw").is_dir():
            return folder
    checkout = Path(__file__).resolve().parents[2]
    if not (checkout / "data" / "raw").is_dir():
        raise FileNotFoundError(f"no disis-tally project in {here} or above: open the notebooks with "
                                "`make lab` in the project's folder")
    os.chdir(checkout)
    return checkout


def strip(args: list[str]) -> None:
    """Run nbstripout with its command-line ``args`` (a notebook on stdin by default), without loading
    the format checkers nbformat never uses; exit with its status."""
    skip_format_checkers()
    from nbstripout import main

    sys.argv = ["nbstripout", *args]
    sys.exit(main())


def _fallback(python: str, nbstripout_args: str) -> str:
    """A shell command running nbstripout with ``python`` if it exists, else one on the PATH, else ``cat``."""
    py = shlex.quote(python)
    return (f"if [ -x {py} ]; then exec {py} -m helpers.hygiene strip {nbstripout_args}; "
            f"elif command -v nbstripout >/dev/null 2>&1; then exec nbstripout {nbstripout_args}; "
            f"else exec cat {nbstripout_args.split()[-1] if nbstripout_args else ''}; fi")


def filter_settings(python: str | None = None) -> dict[str, str]:
    """The git config that makes nbstripout this checkout's notebook filter, failing soft."""
    python = str(Path(python or sys.executable).absolute())
    # textconv gets the file name appended: run through ``sh -c`` so that it lands in "$1"
    textconv = "sh -c " + shlex.quote(_fallback(python, '-t "$1"')) + " nbstripout-textconv"
    return {
        "filter.nbstripout.clean": _fallback(python, ""),
        "filter.nbstripout.smudge": "cat",
        "filter.nbstripout.required": "false",
        "diff.ipynb.textconv": textconv,
    }


def install_filter(python: str | None = None, cwd: Path | None = None) -> int:
    """Install nbstripout as the git filter of the checkout at ``cwd`` (default: here); idempotent."""
    for key, value in filter_settings(python).items():
        done = subprocess.run(["git", "config", "--local", key, value], cwd=cwd, check=False)
        if done.returncode != 0:
            return done.returncode
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["install-filter"]:
        sys.exit(install_filter())
    if sys.argv[1:2] == ["strip"]:
        strip(sys.argv[2:])
    print("usage: python -m helpers.hygiene install-filter | strip [nbstripout's options]", file=sys.stderr)
    sys.exit(2)
