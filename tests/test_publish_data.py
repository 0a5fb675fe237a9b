"""The published data: one schema for every table, the Data Package descriptor, committed current outputs."""

from __future__ import annotations

import shutil
import subprocess

import pandas as pd
import pytest

from conftest import REPO
from helpers import schema
from helpers.build import CLAIM_COLUMNS
from helpers.config import Paths
from helpers.curate import FIGURE_COLUMNS, FIGURES_SCHEMA, SOURCE_COLUMNS, SOURCES_SCHEMA
from helpers.reconcile import DISCREPANCY_COLUMNS, MONTHLY_COLUMNS, PERIOD_COLUMNS, READING_COLUMNS

PROCESSED = ("claims", "monthly", "discrepancies", "periods", "readings")


def _text(path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


# --- one schema ------------------------------------------------------------------------------------------------


def test_the_schema_names_the_columns_the_code_writes_in_order():
    assert schema.TABLES["sources"].columns == SOURCE_COLUMNS
    assert schema.TABLES["figures"].columns == FIGURE_COLUMNS
    assert list(schema.TABLES["claims"].columns) == CLAIM_COLUMNS
    assert list(schema.TABLES["monthly"].columns) == MONTHLY_COLUMNS
    assert list(schema.TABLES["discrepancies"].columns) == DISCREPANCY_COLUMNS
    assert list(schema.TABLES["periods"].columns) == PERIOD_COLUMNS
    assert list(schema.TABLES["readings"].columns) == READING_COLUMNS


@pytest.mark.parametrize("name", list(schema.TABLES))
def test_every_committed_file_has_the_schemas_header_and_passes_its_pandera_schema(name):
    table = schema.TABLES[name]
    df = _text(REPO / table.path)
    assert tuple(df.columns) == table.columns, table.path
    schema.pandera_schema(name).validate(df, lazy=True)
    if table.primary_key:
        dupes = df[df.duplicated(list(table.primary_key), keep=False)]
        assert dupes.empty, f"{table.path}: key {table.primary_key} repeated"


def _failures(pandera_schema, frame) -> set[tuple]:
    import pandera.pandas as pa

    try:
        pandera_schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        return {(int(r["index"]), r["column"], r["check"]) for _, r in exc.failure_cases.iterrows()}
    return set()


def test_pandera_schema_from_the_definitions_finds_what_curate_finds():
    sources = _text(REPO / "data/raw/sources.csv")
    figures = _text(REPO / "data/raw/figures.csv")
    sources.loc[0, "kind"] = "blog"
    sources.loc[1, "url"] = "ftp://example.org/x"
    sources.loc[2, "published"] = "2023-02-30"
    sources.loc[3, "release_number"] = "2023-01"
    sources.loc[4, "source_id"] = "Not A Slug"
    sources.loc[5, "publisher"] = " "
    figures.loc[0, "value"] = "-3"
    figures.loc[1, "value"] = "twelve"
    figures.loc[2, "mention"] = "0"
    figures.loc[3, "country"] = "jordan"
    figures.loc[4, "period_end"] = "2023/01/31"
    figures.loc[5, "qualifier"] = ""
    found = _failures(schema.pandera_schema("sources"), sources)
    assert found == _failures(SOURCES_SCHEMA, sources)
    assert (0, "kind", "unknown value; must be one of centcom_release, centcom_statement, news, lig, other") in found
    assert (2, "published", "malformed date; expected YYYY-MM-DD") in found
    found = _failures(schema.pandera_schema("figures"), figures)
    assert found == _failures(FIGURES_SCHEMA, figures)
    assert {(0, "value", "must not be negative"), (1, "value", "must be a whole number"),
            (2, "mention", "must be a positive whole number (or empty for 1)")} <= found


# --- data/README.md and datapackage.json come from it ----------------------------------------------------------


def test_data_readme_tables_are_generated_from_the_schema():
    text = (REPO / "data" / "README.md").read_text(encoding="utf-8")
    assert text == schema.readme_with_tables(text), "data/README.md's column tables are stale: run `make docs`"
    assert "| `basis` | `stated`, `reported`, `derived`, `bounded`, `unknown` |" in text
    assert "Every `source_id` is a `source_id` of `raw/sources.csv`." in text


def test_datapackage_json_is_generated_from_the_schema():
    assert (REPO / "datapackage.json").read_text(encoding="utf-8") == schema.descriptor_text(), \
        "datapackage.json is stale: run `make docs`"


def test_make_docs_check_names_a_stale_file(tmp_path):
    (tmp_path / "data").mkdir()
    shutil.copy(REPO / "data" / "README.md", tmp_path / "data" / "README.md")
    (tmp_path / "datapackage.json").write_text("{}\n")
    assert schema.write_docs(tmp_path, check=True) == ["datapackage.json"]
    assert (tmp_path / "datapackage.json").read_text() == "{}\n"
    assert schema.write_docs(tmp_path) == ["datapackage.json"]
    assert schema.write_docs(tmp_path, check=True) == []


def test_descriptor_has_keys_licences_and_sources():
    d = schema.descriptor()
    res = {r["name"]: r for r in d["resources"]}
    assert res["monthly"]["schema"]["primaryKey"] == ["month", "country", "metric"]
    assert res["figures"]["schema"]["foreignKeys"] == [
        {"fields": ["source_id"], "reference": {"resource": "sources", "fields": ["source_id"]}}]
    assert d["licenses"][0]["name"] == "CC-BY-4.0"
    assert d["sources"] and d["version"]


def _copy_package(tmp_path):
    dest = tmp_path / "pkg"
    for rel in ["datapackage.json", *(t.path for t in schema.TABLES.values())]:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REPO / rel, dest / rel)
    return dest


def _frictionless_errors(package_dir) -> dict[str, list[str]]:
    from frictionless import Package

    report = Package(str(package_dir / "datapackage.json")).validate()
    return {task.name: [e.type for e in task.errors] for task in report.tasks if not task.valid}


def test_frictionless_validates_the_package():
    """What `frictionless validate datapackage.json` does, on the repository's own files."""
    assert _frictionless_errors(REPO) == {}


def test_frictionless_fails_on_a_corrupted_copy(tmp_path):
    dest = _copy_package(tmp_path)
    figures = dest / "data/raw/figures.csv"
    lines = figures.read_text().splitlines(keepends=True)
    lines[1] = lines[1].replace(lines[1].split(",")[0], "no-such-source", 1)  # a dangling foreign key
    figures.write_text("".join(lines))
    monthly = dest / "data/processed/monthly.csv"
    lines = monthly.read_text().splitlines(keepends=True)
    monthly.write_text("".join(lines + [lines[1]]))  # a repeated primary key
    errors = _frictionless_errors(dest)
    assert set(errors) == {"figures", "monthly"}
    assert "foreign-key" in errors["figures"]
    assert "primary-key" in errors["monthly"]


# --- committed outputs are current -----------------------------------------------------------------------------


def test_processed_files_are_committed():
    tracked = subprocess.run(["git", "ls-files", "data/processed"], cwd=REPO, capture_output=True, text=True)
    if tracked.returncode != 0:
        pytest.skip("not a git checkout")
    assert sorted(tracked.stdout.split()) == sorted([f"data/processed/{n}.csv" for n in PROCESSED]
                                                    + ["data/processed/.gitkeep", "data/processed/MANIFEST.sha256"])


def stale_files(committed: Paths, rebuilt: Paths) -> list[str]:
    """The processed files of ``committed`` that differ from a rebuild's."""
    out = []
    for name in [f"{n}.csv" for n in PROCESSED] + ["MANIFEST.sha256"]:
        ours, fresh = committed.processed / name, rebuilt.processed / name
        if not ours.exists() or ours.read_bytes() != fresh.read_bytes():
            out.append(committed.rel(ours))
    return out


def test_committed_processed_files_are_current(built, repo):
    assert stale_files(repo, built) == [], "stale: run `make data` and commit data/processed/"


def test_a_stale_processed_file_is_named(built, tmp_path):
    copy = Paths.at(tmp_path / "copy")
    shutil.copytree(built.processed, copy.processed)
    with open(copy.monthly_csv, "a") as fh:
        fh.write("2099-01,all,killed,1,1,1,stated,x,\n")
    assert stale_files(copy, built) == ["data/processed/monthly.csv"]


def test_readme_line_loads_the_monthly_series(built, monkeypatch):
    import re

    from helpers.reconcile import monthly as read_monthly

    readme = (REPO / "README.md").read_text()
    data_section = readme[readme.index("## The data"):]
    line = re.search(r"```python\n(.*?)\n```", data_section, flags=re.S).group(1)
    assert line.count("\n") == 0 and "data/processed/monthly.csv" in line
    monkeypatch.chdir(REPO)
    scope = {"pd": pd}
    exec(line, scope)
    loaded, expected = scope["monthly"], read_monthly(built)
    assert list(loaded.columns) == list(expected.columns)
    row = loaded.set_index(["month", "country", "metric"]).loc[("2023-07", "all", "operations")]
    assert row["value"] == expected.set_index(["month", "country", "metric"]).loc[
        ("2023-07", "all", "operations"), "value"] == 31
