"""The parser on real CENTCOM release texts (../shared/sources/releases/, beside the checkout).

Each text is parsed whole, its `url:`/`title:` header included (the parser must not need it), and
compared with the figures recorded for that release:

* the project's curated data (data/raw/sources.csv + figures.csv), matched by release number;
* the reference table ../shared/reference/figures.csv, matched by the URL in the text's header
  (read here, by the test only).

For each, (period, country, metric) -> (value, qualifier) must agree exactly for the metrics that the
record holds for that release. Skipped where the folder or the files are absent.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from helpers.parse import parse_file

ROOT = Path(__file__).parents[1]
# beside the checkout; DISIS_SHARED names it from elsewhere (a worktree one level deeper)
SHARED = Path(os.environ.get("DISIS_SHARED") or Path(__file__).parents[2] / "shared")
RELEASES = sorted((SHARED / "sources" / "releases").glob("*.txt"))
REFERENCE = SHARED / "reference" / "figures.csv"
SOURCES_CSV, FIGURES_CSV = ROOT / "data" / "raw" / "sources.csv", ROOT / "data" / "raw" / "figures.csv"

needs_releases = pytest.mark.skipif(not RELEASES, reason="../shared/sources/releases is absent")


def header_url(path: Path) -> str:
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        if line.startswith("url:"):
            return line.split(":", 1)[1].strip()
        if not line.strip():
            break
    raise AssertionError(f"{path.name} has no url: header")


def load(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def keyed(rows) -> dict[tuple, tuple]:
    return {(r["period_start"], r["period_end"], r["country"], r["metric"]): (int(float(r["value"])), r["qualifier"])
            for r in rows if r["period_start"][:1].isdigit() and r["period_end"][:1].isdigit()}


def parsed(path: Path) -> tuple[dict[tuple, tuple], object]:
    release = parse_file(path)
    return {(f.period_start.isoformat(), f.period_end.isoformat(), f.country, f.metric): (f.value, f.qualifier)
            for f in release.figures}, release


def compare(got: dict, want: dict) -> None:
    metrics = {k[3] for k in want}
    got = {k: v for k, v in got.items() if k[3] in metrics}
    assert got == want, (f"missing or different: {sorted(set(want.items()) - set(got.items()))}; "
                         f"extra: {sorted(set(got.items()) - set(want.items()))}")


@needs_releases
@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.name)
def test_release_against_reference(path):
    if not REFERENCE.exists():
        pytest.skip("../shared/reference/figures.csv is absent")
    url = header_url(path)
    want = keyed(r for r in load(REFERENCE) if r["source_url"] == url)
    assert want, f"no reference rows for {url}"
    got, release = parsed(path)
    compare(got, want)
    assert release.release_date and release.release_date.isoformat() == path.name[:10]


@needs_releases
@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.name)
def test_release_against_curated_data(path):
    if not (SOURCES_CSV.exists() and FIGURES_CSV.exists()):
        pytest.skip("data/raw/sources.csv or figures.csv does not exist yet")
    got, release = parsed(path)
    assert release.release_number, f"{path.name}: no release number read"
    ids = {s["source_id"] for s in load(SOURCES_CSV)
           if s.get("release_number", "").replace(" ", "") == release.release_number}
    if not ids:
        pytest.skip(f"release {release.release_number} is not curated yet")
    want = keyed(r for r in load(FIGURES_CSV) if r["source_id"] in ids)
    if not want:
        pytest.skip(f"no curated figures for release {release.release_number} yet")
    compare(got, want)


@needs_releases
@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.name)
def test_header_lines_change_nothing(path, tmp_path):
    text = path.read_text(encoding="utf-8")
    bare = tmp_path / path.name
    bare.write_text(text.split("\n\n", 1)[1], encoding="utf-8")  # the page text alone, as a user pastes it
    with_header, without = parse_file(path), parse_file(bare)
    assert with_header.figures == without.figures
    assert (with_header.release_date, with_header.release_number, with_header.title) == (
        without.release_date, without.release_number, without.title)


CORE = {"operations", "partnered_operations", "us_only_operations", "killed", "detained"}


@needs_releases
@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.name)
def test_no_core_figure_the_release_does_not_state(path):
    """Every operations, killed or detained figure is in the reference for that release, and its
    sentence holds its words: nothing is made up."""
    if not REFERENCE.exists():
        pytest.skip("../shared/reference/figures.csv is absent")
    want = keyed(r for r in load(REFERENCE) if r["source_url"] == header_url(path))
    release = parse_file(path)
    for e in release.explanations:
        f = e.figure
        if f.metric in CORE:
            key = (f.period_start.isoformat(), f.period_end.isoformat(), f.country, f.metric)
            assert want.get(key) == (f.value, f.qualifier), f"{path.name}: {key} = {f.value} is not stated"
            assert e.metric_words.strip("'") in e.sentence
