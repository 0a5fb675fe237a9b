"""Notebook hygiene: committed notebooks carry no outputs, and keep their cell tags.

``python -m helpers.hygiene install-filter`` sets up nbstripout as this checkout's git
filter (``make setup`` runs it), so outputs are stripped as notebooks are staged.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


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


def install_filter() -> int:
    """Install nbstripout as the git filter of the current checkout (idempotent)."""
    cmd = [sys.executable, "-m", "nbstripout", "--install", "--python", sys.executable]
    return subprocess.run(cmd, check=False).returncode


if __name__ == "__main__":
    if sys.argv[1:] == ["install-filter"]:
        sys.exit(install_filter())
    print("usage: python -m helpers.hygiene install-filter", file=sys.stderr)
    sys.exit(2)
