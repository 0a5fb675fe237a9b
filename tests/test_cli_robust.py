"""Issue 18 at the command line: tally parse's limits, exit statuses (1 data, 2 usage), one line each."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers._files import MAX_TEXT_BYTES
from helpers.cli import main

RELEASE = Path(__file__).parent / "fixtures" / "ingest" / "2024-01-10_month_in_review.txt"


def _parse(capsys, *files):
    code = main(["parse", *map(str, files)])
    out, err = capsys.readouterr()
    return code, out, err.strip().splitlines()


def _with(tmp_path, old: str, new: str) -> Path:
    path = tmp_path / "release.txt"
    path.write_text(RELEASE.read_text().replace(old, new))
    return path


@pytest.mark.parametrize("number, shown", [
    ("1" + ",000" * 1500, "a number of 4,501 digits"),  # past Python's 4,300-digit limit for int()
    ("9,223,372,036,854,775,808", "9223372036854775808"),  # 2^63
    ("10,000,001", "10000001"),
])
def test_parse_refuses_a_value_over_the_maximum_in_one_line(tmp_path, capsys, number, shown):
    # Failed before the fix: ValueError traceback ("Exceeds the limit (4300 digits)"), or 2^63 printed.
    path = _with(tmp_path, "29 D-ISIS operations", f"{number} D-ISIS operations")
    code, out, err = _parse(capsys, path)
    assert code == 1
    assert err == [f"tally parse: {path}: {shown} is over the largest value allowed, 10,000,000"]
    assert out.splitlines() == ["file,period_start,period_end,country,metric,value,qualifier,period_wording,"
                                "release_date,release_number,title"]


def test_parse_accepts_the_maximum_itself(tmp_path, capsys):
    path = _with(tmp_path, "29 D-ISIS operations", "10,000,000 D-ISIS operations")
    code, out, _ = _parse(capsys, path)
    assert code == 0
    assert ",2023-12-01,2023-12-31,all,operations,10000000,exact," in out


def test_parse_refuses_dev_zero_in_one_line(capsys):
    # Failed before the fix: read without limit until MemoryError.
    code, _, err = _parse(capsys, "/dev/zero")
    assert code == 1
    assert err == [f"tally parse: /dev/zero: larger than {MAX_TEXT_BYTES:,} bytes; a release text is far "
                   "smaller, so it was not read"]


def test_parse_refuses_a_text_over_the_limit_and_reads_one_at_it(tmp_path, capsys):
    # Failed before the fix: a 20 MB text was parsed (15 s).
    text = RELEASE.read_bytes()
    big = tmp_path / "big.txt"
    big.write_bytes(text + b" " * (MAX_TEXT_BYTES + 1 - len(text)))
    at = tmp_path / "at.txt"
    at.write_bytes(text + b" " * (MAX_TEXT_BYTES - len(text)))
    code, out, err = _parse(capsys, big, at)
    assert code == 1
    assert err == [f"tally parse: {big}: larger than {MAX_TEXT_BYTES:,} bytes; a release text is far smaller, "
                   "so it was not read"]
    assert out.count(str(at)) == 11 and str(big) not in out  # the other file is still parsed


# --- exit statuses: 2 for usage errors, 1 for the data ------------------------------------------------

@pytest.mark.parametrize("argv", [
    ["report", "--month", "2023-13"],
    ["report", "--month", "July 2023"],
    ["report", "--jobs", "0"],
    ["report", "--jobs", "-3"],
    ["report", "--jobs", "two"],
    ["check", "--no-such-option"],
    ["frobnicate"],
])
def test_usage_errors_exit_2_in_one_line(built, capsys, argv):
    # Failed before the fix for the malformed months and --jobs 0/-3 (exit 1).
    try:
        code = main([*argv, "--root", str(built.root)])
    except SystemExit as exc:  # argparse's own usage errors
        code = exc.code
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert len([line for line in err if not line.startswith("usage:") and not line.startswith(" ")]) == 1, err
    assert not any("Traceback" in line for line in err)


def test_a_data_error_exits_1(project, capsys):
    with project.figures_csv.open("a") as fh:
        fh.write("centcom-2023-08-09,2023-08-01,2023-08-31,,all,operations,-4,exact,hand,centcom,,\n")
    assert main(["check", "--root", str(project.root)]) == 1


def test_installed_command_exit_statuses_and_no_traceback(project):
    """The real process: usage 2, data 1; stderr never holds a traceback."""
    def run(*argv):
        return subprocess.run([sys.executable, "-m", "helpers.cli", *argv], capture_output=True, text=True)

    usage = run("report", "--jobs", "0", "--root", str(project.root))
    assert usage.returncode == 2 and "--jobs: must be 1 or more, not 0" in usage.stderr
    data = run("parse", "/dev/zero")
    assert data.returncode == 1 and "Traceback" not in data.stderr and len(data.stderr.splitlines()) == 1


def test_a_reader_gone_away_is_no_error_to_report(built):
    """``tally total ... | head``: the command's stdout is closed before it writes; it says nothing."""
    proc = subprocess.Popen([sys.executable, "-m", "helpers.cli", "total", "2024", "operations", "--root",
                             str(built.root)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait() == 1
    assert err == ""
