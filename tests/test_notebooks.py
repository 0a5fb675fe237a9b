"""Every notebook runs top to bottom on a built copy of the project; committed notebooks have no outputs."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import REPO
from helpers.hygiene import notebooks_with_outputs

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
CELL_TIMEOUT = 120  # seconds


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_executes_top_to_bottom(notebook, built):
    """In a plain python3 kernel, as JupyterLab runs it, working in the notebook's folder; nbclient raises
    CellExecutionError, with the cell and its traceback, at the first cell that fails."""
    import nbformat
    from nbclient import NotebookClient

    folder = built.notebooks
    folder.mkdir(exist_ok=True)
    shutil.copy(notebook, folder / notebook.name)
    nb = nbformat.read(folder / notebook.name, as_version=4)
    NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3",
                   resources={"metadata": {"path": str(folder)}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
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
    # the filter's command, run as git runs it; on exit it says whether the "iri" format checker
    # (a second to import, never used by nbformat) was kept out
    probe = ("import atexit, runpy, sys; "
             "atexit.register(lambda: print('iri checker:', sys.modules.get('rfc3987_syntax'), file=sys.stderr)); "
             "sys.argv = ['hygiene', 'strip']; runpy.run_module('helpers.hygiene', run_name='__main__')")
    run = subprocess.run([sys.executable, "-c", probe], input=json.dumps(nb), capture_output=True, text=True,
                         check=True)
    cell = json.loads(run.stdout)["cells"][0]
    assert cell["outputs"] == [] and cell["execution_count"] is None
    assert cell["metadata"]["tags"] == ["parameters"]
    assert "iri checker: None" in run.stderr


def test_the_git_filter_passes_nbstripouts_exit_status_on(tmp_path):
    run = subprocess.run([sys.executable, "-m", "helpers.hygiene", "strip"], input="not a notebook",
                         capture_output=True, text=True)
    assert run.returncode == 1 and "No valid notebook detected on stdin" in run.stderr
