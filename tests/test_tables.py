"""helpers.tables: the one reader of the processed tables, and the layers of the package."""

from __future__ import annotations

import ast
from pathlib import Path

import pandas as pd
import pytest

import helpers
from helpers.tables import DISCREPANCY_COLUMNS, PERIOD_COLUMNS, Tables, discrepancies, periods, typed

LAYERS = [
    {"vocab", "config", "errors", "months", "words", "hygiene", "files", "events", "schema"},
    {"curate", "amendments", "parse"},
    {"tables", "reconcile"},
    {"build", "ingest", "add", "changelog"},
    {"plots", "narrative", "explore"},
    {"report", "readme", "forked"},
    {"cli"},
]


def _layer(module: str) -> int:
    if module == "__version__":  # the package's own version, in its __init__
        return 0
    top = module.split(".")[0].removeprefix("_")
    top = top.split("_")[0] if top.startswith("report") else top
    return next((i for i, names in enumerate(LAYERS) if top in names), len(LAYERS))


def _imports(path: Path, package: str) -> set[str]:
    """The helpers modules a file imports (relative imports resolved within ``package``)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            target = ".".join(base[1:] + ([node.module] if node.module else []))
            if node.module is None:
                found |= {".".join(base[1:] + [a.name]) for a in node.names}
            elif target:
                found.add(target)
    return {f for f in found if f}


@pytest.mark.parametrize("module", ["vocab", "months", "words", "_files", "_events", "_formats", "curate", "amendments",
                                    "tables", "reconcile", "build", "ingest", "add", "changelog", "schema",
                                    "narrative", "plots", "explore"])
def test_lower_layers_never_import_higher_ones(module):
    root = Path(helpers.__file__).parent
    files = sorted((root / module).glob("*.py")) if (root / module).is_dir() else [root / f"{module}.py"]
    for path in files:
        package = f"helpers.{module}" if path.parent != root else "helpers"
        for target in _imports(path, package):
            if target.split(".")[0] == module.removeprefix("_") or target.split(".")[0] == module:
                continue
            assert _layer(target) <= _layer(module), f"{path.name} ({module}) imports {target}"


def test_every_module_is_on_the_package_map():
    root = Path(helpers.__file__).parent
    names = {p.stem for p in root.glob("*.py") if p.stem != "__init__"} | {p.name for p in root.iterdir()
                                                                          if (p / "__init__.py").exists()}
    for name in names:
        assert f"``{name}" in helpers.__doc__, name


def test_discrepancies_hold_their_numbers_in_columns_of_their_own(built):
    d = discrepancies(built)
    assert list(d.columns) == DISCREPANCY_COLUMNS
    for col in ("value_a", "value_b", "low_a", "low_b", "difference"):
        assert str(d[col].dtype) == "Int64"
    assert d["value_a"].notna().all() and d["value_b"].notna().all()
    sums = d[d["side_b"].isin(["sum_of_countries", "sum_of_months"])]
    assert not sums.empty and all(sum(p) == v for p, v in zip(sums["parts_b"], sums["value_b"]))
    for text in list(d["explanation"]) + list(d["resolution"]):
        assert text and text.endswith(".")
    p = periods(built)
    assert list(p.columns) == PERIOD_COLUMNS and str(p["claimed"].dtype) == "Int64"
    more = p[p["qualifier"].eq("more_than")]
    assert not more.empty and (more["low"] == more["claimed"] + 1).all() and more["high"].isna().all()


def test_typed_reads_text_and_numbers_alike():
    text = pd.DataFrame({"month": ["2023-07"], "country": ["all"], "metric": ["killed"], "value": [""],
                         "low": ["3"], "high": ["9"], "basis": ["bounded"], "source_ids": ["a;b"], "note": [""]})
    t = typed(text, "monthly")
    assert pd.isna(t.loc[0, "value"]) and (t.loc[0, "low"], t.loc[0, "high"]) == (3, 9)
    assert t.equals(typed(t, "monthly"))


def test_missing_processed_table_says_run_build(tmp_path):
    from helpers.config import Paths
    from helpers.errors import TallyError

    (tmp_path / "data" / "raw").mkdir(parents=True)
    with pytest.raises(TallyError, match=r"data/processed/monthly.csv not found: run `tally build` first"):
        Tables.load(Paths.at(tmp_path))
