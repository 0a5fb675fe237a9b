"""tally build: claims with bounds, atomic replacement, byte-identical output."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from helpers import build as build_mod
from helpers.build import build
from helpers.cli import main
from helpers.curate import load_raw
from helpers.tables import read_claims


def _claim(claims, **where):
    mask = pd.Series(True, index=claims.index)
    for col, value in where.items():
        mask &= claims[col] == (pd.Timestamp(value) if col.startswith("period_") else value)
    return claims[mask]


def test_every_curated_figure_becomes_a_claim(built):
    _, figures = load_raw(built)
    claims = read_claims(built.claims_csv)
    assert len(claims) == len(figures)
    assert sorted(claims["claim_id"]) == sorted(f"F{n:04d}" for n in figures["line"])


def test_real_value_july_2023_iraq_partnered(built):
    claims = read_claims(built.claims_csv)
    row = _claim(claims, source_id="centcom-2023-08-09", period_start="2023-07-01", period_end="2023-07-31",
                 country="iraq", metric="partnered_operations")
    assert len(row) == 1
    row = row.iloc[0]
    assert (row["value"], row["qualifier"], row["low"], row["high"]) == (20, "exact", 20, 20)
    assert row["url"] == "https://www.centcom.mil/MEDIA/PRESS-RELEASES/Press-Release-View/Article/3487913/"
    assert row["release_number"] == "20230809-01"
    assert (row["period_kind"], row["period_days"]) == ("month", 31)


def test_qualifiers_become_bounds(built):
    claims = read_claims(built.claims_csv)
    more = _claim(claims, source_id="centcom-2025-11-12", metric="operations").iloc[0]
    assert (more["value"], more["qualifier"], more["low"], pd.isna(more["high"])) == (22, "more_than", 23, True)
    nearly = _claim(claims, source_id="centcom-2025-12-17", metric="operations").iloc[0]
    assert (nearly["qualifier"], nearly["low"], nearly["high"]) == ("nearly", 72, 79)
    about = _claim(claims, source_id="finanznachrichten-2026-01-22", metric="killed").iloc[0]
    assert (about["qualifier"], about["low"], about["high"]) == ("about", 18, 22)
    up_to = _claim(claims, metric="killed", qualifier="up_to").iloc[0]
    assert (up_to["low"], up_to["high"]) == (0, 35)


def test_period_kinds(built):
    claims = read_claims(built.claims_csv)
    kinds = dict(zip(claims["claim_id"], claims["period_kind"]))
    q1 = _claim(claims, source_id="centcom-2024-04-05", country="all", metric="operations").iloc[0]
    assert kinds[q1["claim_id"]] == "quarter"
    h1 = _claim(claims, source_id="centcom-2024-07-17", country="all", metric="operations").iloc[0]
    assert (h1["period_kind"], h1["period_days"]) == ("half", 182)
    sixty = _claim(claims, source_id="ny1-2024-11-05", metric="operations").iloc[0]
    assert (sixty["period_kind"], sixty["period_days"], sixty["period_wording"]) == ("span", 60, "in the past 60 days")


def test_build_is_deterministic(project):
    build(project)
    first = {p.name: p.read_bytes() for p in project.processed.glob("*.csv")}
    build(project)
    second = {p.name: p.read_bytes() for p in project.processed.glob("*.csv")}
    assert set(first) == {"claims.csv", "monthly.csv", "discrepancies.csv", "periods.csv", "readings.csv"}
    assert first == second


def test_failed_build_leaves_previous_files_byte_identical(built_copy, monkeypatch):
    project = built_copy
    before = {p.name: p.read_bytes() for p in project.processed.iterdir()}
    with project.figures_csv.open("a") as fh:  # a valid new figure, so the new build would differ
        fh.write("centcom-2023-08-09,2023-08-01,2023-08-31,,all,operations,99,exact,hand,centcom,,\n")

    calls = {"n": 0}
    real_fsync = os.fsync

    def failing_fsync(fd):
        calls["n"] += 1
        if calls["n"] == 3:  # fail midway: two temporary files are already written
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        build(project)
    after = {p.name: p.read_bytes() for p in project.processed.iterdir()}
    assert after == before  # same files, same bytes, no temporary files left behind


def test_build_refuses_bad_raw_data_and_writes_nothing(built_copy, capsys):
    project = built_copy
    before = {p.name: p.read_bytes() for p in project.processed.iterdir()}
    with project.figures_csv.open("a") as fh:
        fh.write("centcom-2023-08-09,2023-08-01,2023-08-31,,all,operations,-4,exact,hand,centcom,,\n")
    assert main(["build", "--root", str(project.root)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith(": value: must not be negative (got '-4')")
    assert err[-1] == "tally build: 1 problem(s) in data/raw; nothing was written"
    assert {p.name: p.read_bytes() for p in project.processed.iterdir()} == before


# --- issue 18: the processed set changes as one; readers notice a partial, mixed or changed set ---

class Killed(BaseException):
    """What a kill looks like to the code it interrupts: nothing after it runs."""


def _kill_on_move(monkeypatch, after: int):
    """Let ``after`` renames by ``os.replace`` happen, then 'kill' the process at the next one."""
    real = os.replace
    calls = {"n": 0}

    def replace(src, dst):
        if calls["n"] == after:
            raise Killed(f"killed before moving {dst}")
        calls["n"] += 1
        real(src, dst)

    monkeypatch.setattr(os, "replace", replace)


def _readers(paths):
    """Every way the project reads a processed table back."""
    from helpers import reconcile
    from helpers.narrative import Tables

    return [lambda: read_claims(paths.claims_csv), lambda: reconcile.monthly(paths),
            lambda: reconcile.discrepancies(paths), lambda: reconcile.periods(paths),
            lambda: reconcile.readings(paths), lambda: Tables.load(paths)]


def _one_line_advising_build(exc_info, name=None):
    message = str(exc_info.value)
    assert "\n" not in message and "run `tally build`" in message
    if name:
        assert f"data/processed/{name}" in message


@pytest.mark.parametrize("after", [0, 1, 2, 4, 5])
def test_build_killed_between_two_moves_is_noticed_by_every_reader(built_copy, monkeypatch, after):
    # Failed before the fix: the files were moved one by one and a mix of old and new was read silently.
    from helpers.errors import TallyError

    project = built_copy
    with project.figures_csv.open("a") as fh:  # a valid new figure: the new build differs in every table
        fh.write("centcom-2023-08-09,2023-08-01,2023-08-31,,all,operations,99,exact,hand,centcom,,\n")
    with monkeypatch.context() as patch:
        _kill_on_move(patch, after)
        with pytest.raises(Killed):
            build(project)
    for read in _readers(project):
        with pytest.raises(TallyError) as err:
            read()
        _one_line_advising_build(err)
    assert main(["build", "--root", str(project.root)]) == 0  # a complete build makes the set whole again
    assert not list(project.processed.glob(".*.tmp"))  # and clears what the killed one left
    for read in _readers(project):
        read()
    assert read_claims(project.claims_csv)["value"].eq(99).any()


def test_manifest_lists_every_file_and_sha256sum_can_check_it(project):
    import hashlib

    build(project)
    lines = (project.processed / "MANIFEST.sha256").read_text().splitlines()
    names = sorted(p.name for p in project.processed.glob("*.csv"))
    assert [line.split("  ")[1] for line in lines] == names
    for line in lines:
        digest, name = line.split("  ")
        assert hashlib.sha256((project.processed / name).read_bytes()).hexdigest() == digest


def _rename_column(data: bytes) -> bytes:
    header, rest = data.split(b"\n", 1)
    first, others = header.split(b",", 1)
    return first + b"_renamed," + others + b"\n" + rest


@pytest.mark.parametrize("name", ["claims.csv", "monthly.csv", "discrepancies.csv", "periods.csv"])
@pytest.mark.parametrize("corrupt", [
    _rename_column,
    lambda data: data[:100] + b"\xff\xfe" + data[102:],  # not UTF-8
    lambda data: data[: len(data) // 2],  # truncated
    lambda data: b"",  # emptied
])
def test_a_corrupt_processed_file_gives_one_line_naming_it(built_copy, name, corrupt):
    # Failed before the fix: a traceback (KeyError, UnicodeDecodeError, ParserError) or a silent half table.
    from helpers.errors import TallyError
    from helpers.narrative import Tables

    project = built_copy
    path = project.processed / name
    path.write_bytes(corrupt(path.read_bytes()))
    with pytest.raises(TallyError) as err:
        Tables.load(project)
    _one_line_advising_build(err, name)


def test_processed_files_without_a_manifest_are_refused(built_copy):
    from helpers import reconcile
    from helpers.errors import TallyError

    project = built_copy
    (project.processed / "MANIFEST.sha256").unlink()
    with pytest.raises(TallyError, match=r"MANIFEST.sha256 is missing .*run `tally build`$"):
        reconcile.monthly(project)


# --- issue 18, item 17: a full disk names the file ------------------------------------------------------

def test_full_disk_names_the_file_and_leaves_nothing_half_written(built_copy, monkeypatch, capsys):
    # Failed before the fix: "tally build: : No space left on device", naming no file.
    import errno

    project = built_copy
    before = {p.name: p.read_bytes() for p in project.processed.iterdir()}
    with project.figures_csv.open("a") as fh:
        fh.write("centcom-2023-08-09,2023-08-01,2023-08-31,,all,operations,99,exact,hand,centcom,,\n")
    real_fsync, calls = os.fsync, {"n": 0}

    def fsync(fd):
        calls["n"] += 1
        if calls["n"] == 2:  # the second file staged: monthly.csv
            raise OSError(errno.ENOSPC, "No space left on device")  # as a write reports it: no filename
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    assert main(["build", "--root", str(project.root)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == ["tally build: data/processed/monthly.csv: No space left on device"]
    assert {p.name: p.read_bytes() for p in project.processed.iterdir()} == before


@pytest.mark.parametrize("name", ["monthly.csv", "claims.csv", "readings.csv"])
def test_report_refuses_a_corrupt_processed_file_in_one_line(built, tmp_path, capsys, name):
    # Failed before the fix: a traceback from the months' range or from the kernel (KeyError, ValueError).
    import shutil

    from helpers.config import Paths

    copy = Paths.at(tmp_path / "copy")
    shutil.copytree(built.data, copy.data)
    path = copy.processed / name
    path.write_bytes(_rename_column(path.read_bytes()))
    assert main(["report", "--root", str(copy.root)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"tally report: data/processed/{name} is not the file `tally build` last wrote (changed, "
                   "truncated or left from another build): run `tally build`"]
    assert not (copy.root / "reports").exists() or not any((copy.root / "reports").iterdir())


# --- issue 18, item 19: growth when many figures share one period, country and metric ----------------

def test_a_crowded_group_is_not_compared_claim_by_claim(repo, monkeypatch):
    # Not a timed test (bench/bench_build.py times it): it counts the comparisons of whole claims,
    # which grew with the square of a group's size (2,000 claims: about two million) before the fix.
    from helpers.reconcile import reconcile
    from helpers.reconcile._groups import Claim

    claims = build_mod.load_claims(repo)
    row = claims[(claims["metric"] == "operations") & (claims["country"] == "iraq")
                 & (claims["period_start"] == "2023-07-01") & (claims["period_end"] == "2023-07-31")].iloc[[0]]
    n = 2000
    extra = pd.concat([row] * n, ignore_index=True)
    extra["source_id"] = [f"outlet-{i:05d}" for i in range(n)]
    extra["claim_id"] = [f"X{i:05d}" for i in range(n)]
    extra["kind"], extra["attributed_to"] = "news", "centcom"
    extra["publisher"] = [f"Outlet {i}" for i in range(n)]
    extra["value"] = extra["low"] = [20 + i % 7 for i in range(n)]
    extra["high"] = pd.array(extra["value"], dtype="Int64")
    real_eq, calls = Claim.__eq__, {"n": 0}

    def counting_eq(self, other):
        calls["n"] += 1
        return real_eq(self, other)

    monkeypatch.setattr(Claim, "__eq__", counting_eq)
    result = reconcile(pd.concat([claims, extra], ignore_index=True))
    assert calls["n"] < 10 * n, calls["n"]
    july = result.monthly[(result.monthly["month"] == "2023-07") & (result.monthly["country"] == "iraq")
                          & (result.monthly["metric"] == "operations")]
    assert len(july) == 1


@pytest.mark.parametrize("row, expected", [
    ("2023-02-30,A raid,https://example.org/a,\n", ": date: malformed date; expected YYYY-MM-DD (got '2023-02-30')"),
    ("2023-02-03,A raid,https://example.org/a,,extra\n", ": expected 4 fields, found 5"),
])
def test_report_refuses_an_events_file_edited_after_the_build_in_one_line(built, tmp_path, capsys, row, expected):
    # Failed before the fix: the notebook failed naming neither file nor line (issue 18, item 12).
    import shutil

    from helpers.config import Paths

    copy = Paths.at(tmp_path / "copy")
    shutil.copytree(built.data, copy.data)
    with copy.events_csv.open("a") as fh:
        fh.write(row)
    n = len(copy.events_csv.read_text().splitlines())
    assert main(["report", "--root", str(copy.root)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"data/raw/events.csv:{n}{expected}", "tally report: 1 problem(s) in data/raw; nothing was written"]
