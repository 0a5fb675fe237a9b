"""Citable, versioned, and the conventions a user expects: modes, git on notebooks, --version, --help."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from datetime import date
from importlib.metadata import version
from pathlib import Path

import pytest

import helpers
from conftest import REPO
from helpers import changelog
from helpers._files import write_atomically
from helpers.build import build
from helpers.cli import main, parser
from helpers.config import Paths

FIXTURES = Path(__file__).parent / "fixtures"
CFF_SCHEMA = FIXTURES / "publish" / "cff-1.2.0.schema.json"
RELEASE = FIXTURES / "ingest" / "2024-01-10_month_in_review.txt"
URL = "https://www.centcom.mil/MEDIA/PRESS-RELEASES/Press-Release-View/Article/9999999/synthetic/"


# --- citable and versioned -------------------------------------------------------------------------------------


def _cff_errors(data: dict) -> list[str]:
    import jsonschema

    schema = json.loads(CFF_SCHEMA.read_text())
    validator = jsonschema.validators.validator_for(schema)(schema, format_checker=jsonschema.FormatChecker())
    return [e.message for e in validator.iter_errors(data)]


def test_citation_cff_is_valid_cff_1_2():
    import yaml

    data = yaml.safe_load((REPO / "CITATION.cff").read_text())
    assert data["cff-version"] == "1.2.0"
    assert _cff_errors(data) == []
    broken = {k: v for k, v in data.items() if k != "authors"} | {"date-released": "21 November 2026"}
    errors = _cff_errors(broken)
    assert any("'authors' is a required property" in e for e in errors)
    assert any("date" in e for e in errors)


def test_the_version_is_one_and_shown_everywhere(capsys):
    import yaml

    assert version("disis-tally") == helpers.__version__
    assert str(yaml.safe_load((REPO / "CITATION.cff").read_text())["version"]) == helpers.__version__
    assert json.loads((REPO / "datapackage.json").read_text())["version"] == helpers.__version__
    assert f"## [{helpers.__version__}]" in (REPO / "CHANGELOG.md").read_text()
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"tally {helpers.__version__}\n"


def test_pyproject_reads_the_version_from_the_package():
    import tomllib

    project = tomllib.loads((REPO / "pyproject.toml").read_text())
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "helpers.__version__"}


def test_licences_are_stated():
    readme = (REPO / "README.md").read_text()
    assert "CC BY 4.0" in readme and "MIT" in readme
    assert "creativecommons.org/licenses/by/4.0" in (REPO / "LICENSE-DATA").read_text()
    assert (REPO / "LICENSE").read_text().startswith("MIT License")
    assert json.loads((REPO / "datapackage.json").read_text())["licenses"][0]["name"] == "CC-BY-4.0"


@pytest.mark.parametrize("command", ["check", "build", "parse", "ingest", "report"])
def test_every_command_help_shows_an_example(command, capsys):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert re.search(rf"^examples?:\n  tally {command}\b", capsys.readouterr().out, flags=re.M)


def test_tally_help_lists_examples():
    text = parser().format_help()
    assert "examples:" in text and "tally report --month" in text


# --- CHANGELOG.md's data section --------------------------------------------------------------------------------


def test_changelog_has_a_data_section_under_unreleased():
    text = (REPO / "CHANGELOG.md").read_text()
    unreleased = text[text.index("## [Unreleased]"):text.index(f"## [{helpers.__version__}]")]
    assert "\n### Data\n" in unreleased


def test_record_ingest_appends_to_the_data_section_only(tmp_path):
    root = Paths.at(tmp_path)
    shutil.copy(REPO / "CHANGELOG.md", tmp_path / "CHANGELOG.md")
    before = (tmp_path / "CHANGELOG.md").read_text()
    first = changelog.record_ingest(root, "centcom-2026-03-05", 11, opened=["D1234abc"], closed=[],
                                    url="https://example.mil/r", when=date(2026, 3, 6))
    second = changelog.record_ingest(root, "centcom-2026-04-04", 1, opened=[], closed=["D1234abc", "Dffff000"],
                                     when=date(2026, 4, 5))
    assert first == ("- 2026-03-06: added source `centcom-2026-03-05` (https://example.mil/r), 11 figures; "
                     "opened 1 disagreement (D1234abc); closed 0 disagreements.")
    assert second == ("- 2026-04-05: added source `centcom-2026-04-04`, 1 figure; opened 0 disagreements; "
                      "closed 2 disagreements (D1234abc, Dffff000).")
    after = (tmp_path / "CHANGELOG.md").read_text()
    data = before.index("### Data\n")  # the Unreleased data section, whatever it already lists
    end = before.index("\n\n## [", data)
    assert after == before[:end] + f"\n{first}\n{second}" + before[end:]


def test_record_ingest_creates_what_is_missing(tmp_path):
    (tmp_path / "CHANGELOG.md").write_text("# Changelog\n\n## [0.1.0] - 2026-11-21\n\n- first\n")
    line = changelog.record_ingest(Paths.at(tmp_path), "s", 2, when=date(2026, 1, 2))
    assert (tmp_path / "CHANGELOG.md").read_text() == (
        f"# Changelog\n\n## [Unreleased]\n\n### Data\n\n{line}\n\n## [0.1.0] - 2026-11-21\n\n- first\n")
    other = tmp_path / "other"
    other.mkdir()
    changelog.record_ingest(Paths.at(other), "s", 2, when=date(2026, 1, 2))
    assert (other / "CHANGELOG.md").read_text() == f"# Changelog\n\n## [Unreleased]\n\n### Data\n\n{line}\n"


def test_an_ingested_release_is_recorded_with_what_it_changed(project, capsys):
    """The whole path the lead wires into ingest: ingest, rebuild, compare the disagreements, record."""
    from helpers.reconcile import discrepancies

    build(project)
    before = discrepancies(project)
    assert main(["ingest", str(RELEASE), "--url", URL, "--root", str(project.root), "--yes"]) == 0
    build(project)
    after = discrepancies(project)
    opened, closed = changelog.disagreement_changes(before, after)
    assert set(opened) == set(after["discrepancy_id"]) - set(before["discrepancy_id"])
    assert set(closed) == set(before["discrepancy_id"]) - set(after["discrepancy_id"])
    added = (len(project.figures_csv.read_text().splitlines())
             - len((REPO / "data/raw/figures.csv").read_text().splitlines()))
    assert added == 11
    line = changelog.record_ingest(project, "centcom-2024-01-10", added, opened, closed, url=URL)
    assert "added source `centcom-2024-01-10`" in line and "11 figures" in line
    assert f"opened {len(opened)} disagreement" in line and f"closed {len(closed)} disagreement" in line
    assert line in (project.root / "CHANGELOG.md").read_text()


# --- file modes --------------------------------------------------------------------------------------------------


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def umask():
    old = os.umask(0o022)
    yield lambda m: os.umask(m)
    os.umask(old)


def test_build_writes_files_with_the_umasks_mode(project, umask):
    build(project)
    assert {p.name: _mode(p) for p in project.processed.glob("*.csv")} == {
        n: 0o644 for n in ("claims.csv", "monthly.csv", "discrepancies.csv", "periods.csv", "readings.csv")}
    umask(0o027)
    fresh = project.processed / "new.csv"
    write_atomically({fresh: b"x\n"})
    assert _mode(fresh) == 0o640


def test_rewriting_keeps_a_files_mode_and_ingest_keeps_the_raw_files_modes(project, umask, capsys):
    os.chmod(project.figures_csv, 0o664)
    os.chmod(project.sources_csv, 0o644)
    assert main(["ingest", str(RELEASE), "--url", URL, "--root", str(project.root), "--yes"]) == 0
    assert (_mode(project.figures_csv), _mode(project.sources_csv)) == (0o664, 0o644)
    assert not list(project.raw.glob(".*.tmp"))


# --- notebooks and git without the venv ---------------------------------------------------------------------------


def _git(cwd, *args, env=None):
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=env)


def _dirty(nb_path: Path) -> None:
    nb = json.loads(nb_path.read_text())
    cell = next(c for c in nb["cells"] if c["cell_type"] == "code")
    cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": ["output\n"]}]
    cell["execution_count"] = 7
    cell["source"] = ["# changed\n", *cell["source"]]
    nb_path.write_text(json.dumps(nb, indent=1) + "\n")


@pytest.fixture
def clone(tmp_path):
    if _git(REPO, "rev-parse", "--git-dir").returncode != 0:
        pytest.skip("not a git checkout")
    dest = tmp_path / "clone"
    run = _git(tmp_path, "clone", "--quiet", "--no-hardlinks", str(REPO), str(dest))
    assert run.returncode == 0, run.stderr
    for key, value in (("user.name", "test"), ("user.email", "test@disis-tally.invalid")):
        _git(dest, "config", key, value)
    # Files as old as the index are "racily clean": git would run the filter on every notebook
    # (a second or more each). Older files and a refreshed index leave it only the one changed.
    past = os.stat(dest / ".git" / "index").st_mtime - 60
    for nb in (dest / "notebooks").glob("*.ipynb"):
        os.utime(nb, (past, past))
    _git(dest, "update-index", "--refresh")
    return dest


def _notebook_round_trip(clone: Path, env: dict) -> str:
    """git status, add, commit and checkout of a changed notebook; the staged text."""
    nb = clone / "notebooks" / "01_sources.ipynb"
    _dirty(nb)
    for args in (("status", "--porcelain"), ("add", str(nb)), ("diff", "--cached", "--stat"),
                 ("commit", "-q", "-m", "nb"), ("checkout", "HEAD~1", "--", str(nb)), ("status", "--porcelain"),
                 ("checkout", "HEAD", "--", str(nb)), ("diff", "HEAD~1", "--", str(nb))):
        run = _git(clone, *args, env=env)
        assert run.returncode == 0 and "error" not in run.stderr.lower(), (args, run.stderr)
    return _git(clone, "show", "HEAD:notebooks/01_sources.ipynb").stdout


def _no_venv_env() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = "/usr/bin:/bin"
    return env


def test_git_on_notebooks_works_in_a_fresh_clone_without_the_venv(clone):
    assert not (clone / ".venv").exists()
    assert "filter=nbstripout" in (clone / ".gitattributes").read_text()
    _notebook_round_trip(clone, _no_venv_env())


def test_git_on_notebooks_works_when_the_venv_of_the_filter_is_gone(clone):
    from helpers.hygiene import install_filter

    assert install_filter(python=str(clone / ".venv" / "bin" / "python"), cwd=clone) == 0
    assert _git(clone, "config", "filter.nbstripout.required").stdout.strip() == "false"
    staged = _notebook_round_trip(clone, _no_venv_env())
    assert '"execution_count": 7' in staged  # nothing strips here, and nothing breaks


def test_the_installed_filter_strips_outputs(clone):
    from helpers.hygiene import install_filter

    assert install_filter(python=sys.executable, cwd=clone) == 0
    nb = clone / "notebooks" / "01_sources.ipynb"
    _dirty(nb)
    run = _git(clone, "add", str(nb))
    assert run.returncode == 0, run.stderr
    staged = json.loads(_git(clone, "show", ":notebooks/01_sources.ipynb").stdout)
    cells = [c for c in staged["cells"] if c["cell_type"] == "code"]
    assert cells[0]["source"][0] == "# changed\n"
    assert all(c["outputs"] == [] and c["execution_count"] is None for c in cells)


def test_notebooks_find_the_project_from_another_folder(tmp_path, monkeypatch, built):
    from helpers.hygiene import enter_project

    monkeypatch.chdir(built.notebooks if built.notebooks.exists() else built.root)
    assert enter_project() == built.root and Path.cwd() in (built.root, built.notebooks)
    monkeypatch.chdir(tmp_path)
    assert enter_project() == REPO
    assert Path.cwd() == REPO
    for nb in sorted((REPO / "notebooks").glob("0*.ipynb")):
        first_code = next(c for c in json.loads(nb.read_text())["cells"] if c["cell_type"] == "code")
        assert "hygiene.enter_project()" in "".join(first_code["source"]), nb.name


# --- make ------------------------------------------------------------------------------------------------------


def test_make_writes_bytecode_on_first_import_whatever_the_shell_says():
    """Under make, a PYTHONDONTWRITEBYTECODE in the environment does not make every process of a run compile
    its imports afresh (nothing is compiled at install)."""
    probe = "probe: ; @$(PY) -c 'import sys; print(sys.dont_write_bytecode)'"
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    out = subprocess.run(["make", "-s", "--eval", probe, "probe", f"PY={sys.executable}"], cwd=REPO, env=env,
                         capture_output=True, text=True)
    assert out.stdout.strip() == "False", out.stderr


def test_make_lab_takes_a_port():
    out = subprocess.run(["make", "-n", "lab", "PORT=8899"], cwd=REPO, capture_output=True, text=True).stdout
    assert "jupyter lab --notebook-dir=notebooks --port=8899" in out


def test_setup_installs_with_uv_when_it_can_and_falls_back_to_pip():
    out = subprocess.run(["make", "-n", "-B", ".venv/.installed"], cwd=REPO, capture_output=True, text=True).stdout
    assert "pip install --quiet --python .venv/bin/python -e '.[test]' pip" in out
    assert "-m pip install --quiet --disable-pip-version-check --no-compile -e '.[test]' || exit 1" in out
    assert "compileall" not in out.replace("-m compileall -q src/helpers", "")  # no bytecode compiled at install
    out = subprocess.run(["make", "-n", "-B", ".venv/.installed", "INSTALLER=pip"], cwd=REPO, capture_output=True,
                         text=True).stdout
    assert '[ "pip" = uv ]' in out
