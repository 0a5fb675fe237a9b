"""Validation of data/raw: one line per problem, naming the file, the line and the column."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import pytest

from helpers.cli import main
from helpers.curate import FIGURE_COLUMNS, load_raw, validate
from helpers.errors import DataError

FIG = "data/raw/figures.csv"


def _rewrite(path, edit):
    rows = list(csv.reader(io.StringIO(path.read_text())))
    edit(rows)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue())


def _set(row_no: int, column: str, value: str):
    """An edit that sets one field; row_no is the file line (header = 1)."""
    def edit(rows):
        rows[row_no - 1][rows[0].index(column)] = value
    return edit


def _check(project, capsys):
    code = main(["check", "--root", str(project.root)])
    return code, capsys.readouterr().err.strip().splitlines()


def test_curated_data_is_valid(repo, capsys):
    assert main(["check", "--root", str(repo.root)]) == 0
    out = capsys.readouterr().out
    sources, figures = load_raw(repo)
    assert out.strip() == f"tally check: ok, {len(figures)} figures from {len(sources)} sources in data/raw"


@pytest.mark.parametrize(
    "line, column, value, expected",
    [
        (3, "source_id", "no-such-source", f"{FIG}:3: source_id: unknown source_id 'no-such-source'"),
        (4, "value", "-5", f"{FIG}:4: value: must not be negative"),
        (5, "value", "12.5", f"{FIG}:5: value: must be a whole number"),
        (6, "country", "jordan", f"{FIG}:6: country: unknown value"),
        (7, "metric", "beheadings", f"{FIG}:7: metric: unknown value"),
        (8, "qualifier", "roughly", f"{FIG}:8: qualifier: unknown value"),
        (9, "period_start", "2023-02-30", f"{FIG}:9: period_start: malformed date"),
        (10, "period_end", "31/12/2022", f"{FIG}:10: period_end: malformed date"),
        (11, "metric", "", f"{FIG}:11: metric: missing required value"),
        (12, "entry", "typed", f"{FIG}:12: entry: unknown value"),
    ],
)
def test_bad_field_is_reported_with_file_line_and_column(project, capsys, line, column, value, expected):
    _rewrite(project.figures_csv, _set(line, column, value))
    code, lines = _check(project, capsys)
    assert code == 1
    assert any(msg.startswith(expected) for msg in lines), lines
    assert lines[-1] == "tally check: 1 problem(s) found"


def test_period_end_before_start(project, capsys):
    def edit(rows):
        i = rows[0].index("period_end")
        rows[4][i] = "2001-01-01"
    _rewrite(project.figures_csv, edit)
    code, lines = _check(project, capsys)
    assert code == 1
    assert lines[0].startswith(f"{FIG}:5: period_end: 2001-01-01 is before period_start")


def test_duplicate_key(project, capsys):
    def edit(rows):
        rows.insert(21, list(rows[20]))
    _rewrite(project.figures_csv, edit)
    code, lines = _check(project, capsys)
    assert code == 1
    assert lines[0] == f"{FIG}:22: source_id: duplicate key (source, period, country, metric) of line 21"


def test_unknown_source_kind(project, capsys):
    _rewrite(project.sources_csv, _set(2, "kind", "blog"))
    code, lines = _check(project, capsys)
    assert code == 1
    assert lines[0].startswith("data/raw/sources.csv:2: kind: unknown value; must be one of centcom_release")


def test_malformed_published_date(project, capsys):
    _rewrite(project.sources_csv, _set(3, "published", "Aug 9 2023"))
    code, lines = _check(project, capsys)
    assert lines[0].startswith("data/raw/sources.csv:3: published: malformed date")


def test_missing_column(project, capsys):
    def edit(rows):
        i = rows[0].index("qualifier")
        for row in rows:
            del row[i]
    _rewrite(project.figures_csv, edit)
    code, lines = _check(project, capsys)
    assert code == 1
    assert f"{FIG}:1: qualifier: missing column" in lines


def test_not_valid_csv(project, capsys):
    with project.figures_csv.open("a") as fh:
        fh.write('centcom-2023-08-09,2023-07-01,2023-07-31,,all,"operations\n')
    code, lines = _check(project, capsys)
    n = len(project.figures_csv.read_text().splitlines())
    assert code == 1
    assert lines[0] == f"{FIG}:{n}: not valid CSV: unexpected end of data"


def test_wrong_number_of_fields(project, capsys):
    with project.figures_csv.open("a") as fh:
        fh.write("centcom-2023-08-09,2023-07-01,2023-07-31\n")
    n = len(project.figures_csv.read_text().splitlines())
    code, lines = _check(project, capsys)
    assert lines[0] == f"{FIG}:{n}: expected {len(FIGURE_COLUMNS)} fields, found 3"


def test_all_problems_are_collected_before_reporting(project, capsys):
    def edit(rows):
        _set(3, "value", "-1")(rows)
        _set(30, "country", "iran")(rows)
        _set(300, "qualifier", "circa")(rows)
    _rewrite(project.figures_csv, edit)
    code, lines = _check(project, capsys)
    assert [l.split(":")[1] for l in lines[:-1]] == ["3", "30", "300"]
    assert lines[-1] == "tally check: 3 problem(s) found"


def test_load_raw_raises_data_error_with_the_same_lines(project):
    _rewrite(project.figures_csv, _set(3, "value", "many"))
    with pytest.raises(DataError) as err:
        load_raw(project)
    assert err.value.problems == validate(project)[2]


def test_exit_status_of_the_installed_command(project):
    _rewrite(project.figures_csv, _set(3, "country", "yemen"))
    run = subprocess.run([sys.executable, "-m", "helpers.cli", "check", "--root", str(project.root)],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr.startswith(f"{FIG}:3: country: unknown value")
    assert "Traceback" not in run.stderr
