"""tally build: claims with bounds, atomic replacement, byte-identical output."""

from __future__ import annotations

import os

import pandas as pd
import pytest

from helpers import build as build_mod
from helpers.build import build
from helpers.tables import read_claims
from helpers.cli import main
from helpers.curate import load_raw


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


def test_failed_build_leaves_previous_files_byte_identical(project, monkeypatch):
    build(project)
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

    monkeypatch.setattr(build_mod.os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        build(project)
    after = {p.name: p.read_bytes() for p in project.processed.iterdir()}
    assert after == before  # same files, same bytes, no temporary files left behind


def test_build_refuses_bad_raw_data_and_writes_nothing(project, capsys):
    build(project)
    before = {p.name: p.read_bytes() for p in project.processed.iterdir()}
    with project.figures_csv.open("a") as fh:
        fh.write("centcom-2023-08-09,2023-08-01,2023-08-31,,all,operations,-4,exact,hand,centcom,,\n")
    assert main(["build", "--root", str(project.root)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err[0].endswith(": value: must not be negative (got '-4')")
    assert err[-1] == "tally build: 1 problem(s) in data/raw; nothing was written"
    assert {p.name: p.read_bytes() for p in project.processed.iterdir()} == before
