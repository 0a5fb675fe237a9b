"""Every notebook runs top to bottom on a built copy of the project; committed notebooks have no outputs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO
from helpers.hygiene import notebooks_with_outputs

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
NOTEBOOK_TIMEOUT = 240  # seconds for a whole notebook, kernel start included
CELL_TIMEOUT = 120


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes_top_to_bottom(notebook, built, tmp_path):
    folder = built.notebooks
    folder.mkdir(exist_ok=True)
    shutil.copy(notebook, folder / notebook.name)
    out = tmp_path / notebook.name
    jupyter = Path(sys.executable).with_name("jupyter")
    run = subprocess.run(
        [str(jupyter), "execute", "--kernel_name=python3", f"--timeout={CELL_TIMEOUT}",
         f"--output={out}", str(folder / notebook.name)],
        cwd=folder, capture_output=True, text=True, timeout=NOTEBOOK_TIMEOUT,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    executed = json.loads(out.read_text())
    errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    code_cells = [c for c in executed["cells"] if c["cell_type"] == "code"]
    assert code_cells and all(c.get("execution_count") for c in code_cells)


def test_committed_notebooks_have_no_outputs():
    assert notebooks_with_outputs(REPO / "notebooks") == []
    tracked = subprocess.run(["git", "ls-files", "notebooks/*.ipynb"], cwd=REPO, capture_output=True, text=True)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    for name in tracked.stdout.split():
        blob = subprocess.run(["git", "show", f"HEAD:{name}"], cwd=REPO, capture_output=True, text=True)
        if blob.returncode != 0:
            continue  # added but not yet committed
        nb = json.loads(blob.stdout)
        dirty = [c for c in nb["cells"] if c["cell_type"] == "code" and (c.get("outputs") or c.get("execution_count"))]
        assert dirty == [], f"{name} is committed with outputs"


def test_hygiene_detects_outputs(tmp_path):
    nb = {"cells": [{"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": "x = 1",
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": "1"}], "execution_count": 1}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "dirty.ipynb").write_text(json.dumps(nb))
    nb["cells"][0].update(outputs=[], execution_count=None)
    (tmp_path / "clean.ipynb").write_text(json.dumps(nb))
    assert notebooks_with_outputs(tmp_path) == [str(tmp_path / "dirty.ipynb")]


def test_the_git_filter_strips_outputs_and_keeps_tags(tmp_path):
    nb = {"cells": [{"cell_type": "code", "id": "a1", "metadata": {"tags": ["parameters"]},
                     "source": "month = '2023-07'",
                     "outputs": [{"output_type": "stream", "name": "stdout", "text": "x"}], "execution_count": 3}],
          "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
          "nbformat": 4, "nbformat_minor": 5}
    run = subprocess.run([sys.executable, "-m", "nbstripout"], input=json.dumps(nb),
                         capture_output=True, text=True, check=True)
    cell = json.loads(run.stdout)["cells"][0]
    assert cell["outputs"] == [] and cell["execution_count"] is None
    assert cell["metadata"]["tags"] == ["parameters"]
