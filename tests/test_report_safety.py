"""``tally report`` on the user's machine: no code from the user's folder, a month's folder replaced
as one whatever ends the command (fault injection, no sleeps), its children ended with it, and
byte-identical renders under ``SOURCE_DATE_EPOCH``. Every render happens in a scratch copy."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers._files import write_processed_set
from helpers.config import Paths
from helpers.report import _folders, run_report

MONTH = "2023-06"
TALLY = Path(sys.executable).with_name("tally")


class Killed(BaseException):
    """What the injected fault raises: like a kill, no ``except Exception`` catches it."""


def copy_with(built: Paths, root: Path, *cells: str) -> Paths:
    """A copy of the built data, cut to 2023-05..2023-08, with a notebook of the given cells after
    the parameters cell and the title."""
    paths = Paths.at(root)
    shutil.copytree(built.data, paths.data)
    monthly = pd.read_csv(paths.monthly_csv, dtype=str, keep_default_na=False)
    files = {p: p.read_bytes() for p in paths.processed_files}  # rewritten as a set, with its manifest
    files[paths.monthly_csv] = monthly[monthly["month"].between("2023-05", "2023-08")].to_csv(
        index=False, lineterminator="\n").encode()
    write_processed_set(paths.processed, files)
    params = nbformat.v4.new_code_cell('month = "2023-05"', metadata={"tags": ["parameters"]})
    title = nbformat.v4.new_code_cell("from helpers.report import sections as report\nreport.title(month)")
    nb = nbformat.v4.new_notebook(cells=[params, title, *map(nbformat.v4.new_code_cell, cells)])
    paths.notebooks.mkdir(parents=True)
    nbformat.write(nb, paths.notebooks / "monthly_report.ipynb")
    return paths


def render(paths: Paths, month: str = MONTH) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run_report(paths, month=month, stdout=out, stderr=err) == 0, err.getvalue()


def printed(paths: Paths, month: str = MONTH) -> str:
    nb = json.loads((paths.reports / month / "report.ipynb").read_text())
    return "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", [])
                   if o.get("output_type") == "stream")


def hidden(reports: Path) -> list[str]:
    return sorted(p.name for p in reports.iterdir() if p.name.startswith("."))


# --- item 2: nothing imported from the user's folder -----------------------------------------------

def test_the_report_imports_nothing_from_the_users_folder(built, tmp_path):
    """The user stands in the project folder, which holds a ``calendar.py`` (a module pandas imports)
    and a module of its own: neither the warm process nor the kernel imports either."""
    paths = copy_with(built, tmp_path / "copy",
                      "try:\n    import tally_probe\n    print('imported')\nexcept ModuleNotFoundError:\n"
                      "    print('not importable')\nimport calendar\nprint(calendar.month_name[6])")
    marker = tmp_path / "imported.txt"
    for name in ("calendar.py", "tally_probe.py"):
        (paths.root / name).write_text(f"open({str(marker)!r}, 'a').write({name!r})\n"
                                       "raise ImportError('from the cwd')\n")
    run = subprocess.run([str(TALLY), "--root", str(paths.root), "report", "--month", MONTH], cwd=paths.root,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert not marker.exists(), marker.read_text()
    assert printed(paths) == "not importable\nJune\n"


# --- item 8: a month's folder replaced as one ----------------------------------------------------------

def report_folder(reports: Path, month: str, text: str) -> Path:
    folder = reports / month
    folder.mkdir(parents=True)
    (folder / "index.html").write_text(text)
    return folder


def new_report(reports: Path, month: str, text: str) -> Path:
    new = _folders.hidden(reports / month, "tmp")
    new.mkdir(parents=True)
    (new / "index.html").write_text(text)
    return new


def test_a_switch_is_one_step_where_the_system_allows(tmp_path, monkeypatch):
    """On Linux: the old and new folders are exchanged in one call; a kill after it (injected in the
    deletion of the old report) leaves the new report in place and a folder the next run deletes."""
    if _folders.RENAMEAT2 is None:
        pytest.skip("no renameat2 here: the two-rename switch is tested below")
    reports = tmp_path / "reports"
    report_folder(reports, MONTH, "old")
    new = new_report(reports, MONTH, "new")

    def killed(path, *args, **kwargs):
        raise Killed

    monkeypatch.setattr(_folders.shutil, "rmtree", killed)
    with pytest.raises(Killed):
        _folders.switch(new, reports / MONTH)
    monkeypatch.undo()
    assert (reports / MONTH / "index.html").read_text() == "new"
    assert (new / "index.html").read_text() == "old"  # the old report, not yet deleted
    monkeypatch.setattr(_folders, "_running", lambda pid: False)  # as if this process had been killed
    _folders.sweep(reports)
    assert hidden(reports) == [] and (reports / MONTH / "index.html").read_text() == "new"


def test_a_kill_between_the_two_renames_is_undone_by_the_next_run(built, tmp_path, monkeypatch):
    """Where the switch is two renames: a kill between them (injected in the second) leaves the old
    report set aside; the next ``tally report`` puts it back before anything else, then renders."""
    paths = copy_with(built, tmp_path / "copy")
    report_folder(paths.reports, MONTH, "old")
    new = new_report(paths.reports, MONTH, "new")
    monkeypatch.setattr(_folders, "RENAMEAT2", None)
    replace, calls = os.replace, []

    def second_rename_killed(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:
            raise Killed
        replace(src, dst)

    monkeypatch.setattr(_folders.os, "replace", second_rename_killed)
    with pytest.raises(Killed):
        _folders.switch(new, paths.reports / MONTH)
    monkeypatch.setattr(_folders.os, "replace", replace)
    # what a kill leaves (the handler that puts the old report back did not run): undo its work
    if (paths.reports / MONTH).exists():
        os.replace(paths.reports / MONTH, calls[0][1])
    assert not (paths.reports / MONTH).exists()
    assert sorted(n.rsplit(".", 1)[1] for n in hidden(paths.reports)) == ["old", "tmp"]

    monkeypatch.setattr(_folders, "_running", lambda pid: False)  # the killed command is gone
    _folders.sweep(paths.reports)
    assert (paths.reports / MONTH / "index.html").read_text() == "old"
    assert hidden(paths.reports) == []

    # and a whole run after such a kill: the month's folder back, then replaced, nothing hidden left
    new_report(paths.reports, MONTH, "left by a killed run")
    render(paths)
    assert "June 2023" in (paths.reports / MONTH / "index.html").read_text()
    assert hidden(paths.reports) == []


def test_an_error_in_the_second_rename_puts_the_old_report_back(tmp_path, monkeypatch):
    reports = tmp_path / "reports"
    report_folder(reports, MONTH, "old")
    new = new_report(reports, MONTH, "new")
    monkeypatch.setattr(_folders, "RENAMEAT2", None)
    replace, calls = os.replace, []

    def second_fails(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        replace(src, dst)

    monkeypatch.setattr(_folders.os, "replace", second_fails)
    with pytest.raises(OSError):
        _folders.switch(new, reports / MONTH)
    assert (reports / MONTH / "index.html").read_text() == "old"


def test_sweep_leaves_what_a_running_command_owns(tmp_path):
    reports = tmp_path / "reports"
    mine = new_report(reports, MONTH, "being written by this process")
    gone = reports / f".{MONTH}.999999999.0123abcd.tmp"  # no such process
    gone.mkdir()
    _folders.sweep(reports)
    assert mine.is_dir() and not gone.exists()


# --- item 9: SIGTERM ends the command's children ----------------------------------------------------

def gone(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")  # a zombie waiting for a parent that does not reap: it runs no more


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads processes from /proc (Linux)")
def test_sigterm_to_the_command_ends_its_warm_process_and_kernel(built, tmp_path):
    pids = tmp_path / "pids.txt"
    paths = copy_with(built, tmp_path / "copy",
                      f"import os, time\nopen({str(pids)!r}, 'w').write(f'{{os.getpid()}} {{os.getppid()}}\\n')\n"
                      "time.sleep(600)")
    command = subprocess.Popen([str(TALLY), "--root", str(paths.root), "report", "--month", MONTH],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while not (pids.exists() and pids.read_text().endswith("\n")):
            assert command.poll() is None and time.monotonic() < deadline, "the kernel never ran its cell"
            time.sleep(0.05)
        kernel, warm = map(int, pids.read_text().split())
        assert not gone(kernel) and not gone(warm)
        command.send_signal(signal.SIGTERM)
        assert command.wait(timeout=10) == -signal.SIGTERM
        deadline = time.monotonic() + 5
        while not (gone(kernel) and gone(warm)):
            assert time.monotonic() < deadline, "the warm process or the kernel outlived the command"
            time.sleep(0.05)
    finally:
        if command.poll() is None:
            command.kill()
            command.wait()
    _folders.sweep(paths.reports)  # what the next run does: nothing hidden is left
    assert not paths.reports.exists() or hidden(paths.reports) == []


# --- item 18: SOURCE_DATE_EPOCH -----------------------------------------------------------------------

def test_two_renders_under_source_date_epoch_are_byte_identical(built, tmp_path, monkeypatch):
    paths = copy_with(built, tmp_path / "copy", "from helpers import plots\nreport.figure(plots.coverage(month=month))")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    render(paths)
    first = {name: (paths.reports / MONTH / name).read_bytes() for name in ("index.html", "report.ipynb")}
    render(paths)
    for name, data in first.items():
        assert (paths.reports / MONTH / name).read_bytes() == data, name
    assert b"Rendered 2023-11-14 22:13 UTC" in first["index.html"]
    nb = json.loads(first["report.ipynb"])
    assert nb["metadata"]["papermill"]["start_time"].startswith("2023-11-14T22:13:20")
    assert {c["metadata"]["papermill"]["duration"] for c in nb["cells"]} == {0.0}


def test_a_malformed_source_date_epoch_is_one_line(built, tmp_path, monkeypatch):
    from helpers.errors import TallyError

    paths = copy_with(built, tmp_path / "copy")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    with pytest.raises(TallyError, match="SOURCE_DATE_EPOCH must be a number of seconds since 1970, not 'yesterday'"):
        render(paths)
