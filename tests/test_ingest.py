"""tally ingest: appends exactly the parsed rows, atomically; refuses a release already in the data."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from helpers.cli import main
from helpers.curate import load_raw

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"
RELEASE = FIXTURES / "2024-01-10_month_in_review.txt"
URL = "https://www.centcom.mil/MEDIA/PRESS-RELEASES/Press-Release-View/Article/9999999/synthetic/"


def _raw_bytes(project):
    return project.sources_csv.read_bytes(), project.figures_csv.read_bytes()


def _ingest(project, *extra):
    return main(["ingest", str(RELEASE), "--url", URL, "--root", str(project.root), *extra])


def test_without_yes_it_shows_the_figures_and_writes_nothing(project, capsys):
    before = _raw_bytes(project)
    assert _ingest(project) == 0
    out = capsys.readouterr().out
    assert "release of 2024-01-10, number 20240110-01: 11 figures, to be recorded as source centcom-2024-01-10" in out
    assert "2023-12-01..2023-12-31  syria  us_only_operations    1" in out
    assert "nothing written" in out
    assert _raw_bytes(project) == before


def test_yes_appends_exactly_the_parsed_rows(project, capsys):
    sources_before, figures_before = _raw_bytes(project)
    assert _ingest(project, "--yes") == 0
    sources_after, figures_after = _raw_bytes(project)
    assert sources_after.startswith(sources_before) and figures_after.startswith(figures_before)

    new_source = list(csv.DictReader(io.StringIO(sources_before.decode().splitlines()[0] + "\n"
                                                 + sources_after[len(sources_before):].decode())))
    assert [(s["source_id"], s["kind"], s["url"], s["published"], s["release_number"]) for s in new_source] == [
        ("centcom-2024-01-10", "centcom_release", URL, "2024-01-10", "20240110-01")]

    header = figures_before.decode().splitlines()[0]
    added = list(csv.DictReader(io.StringIO(header + "\n" + figures_after[len(figures_before):].decode())))
    got = {(r["country"], r["metric"]): int(r["value"]) for r in added}
    assert got == {
        ("all", "operations"): 29, ("all", "killed"): 6, ("all", "detained"): 41,
        ("iraq", "partnered_operations"): 17, ("iraq", "us_only_operations"): 0,
        ("iraq", "killed"): 4, ("iraq", "detained"): 15,
        ("syria", "partnered_operations"): 11, ("syria", "us_only_operations"): 1,
        ("syria", "killed"): 2, ("syria", "detained"): 26,
    }
    assert {(r["period_start"], r["period_end"], r["entry"], r["qualifier"]) for r in added} == {
        ("2023-12-01", "2023-12-31", "parsed", "exact")}
    sources, figures = load_raw(project)  # the result still validates
    assert (figures["source_id"] == "centcom-2024-01-10").sum() == len(added)


def test_second_ingest_of_the_same_release_is_refused(project, capsys):
    assert _ingest(project, "--yes") == 0
    after_first = _raw_bytes(project)
    capsys.readouterr()
    assert _ingest(project, "--yes") == 1
    err = capsys.readouterr().err
    assert "already in the data as source centcom-2024-01-10; nothing written" in err
    assert err.count("\n") == 1
    assert _raw_bytes(project) == after_first


def test_same_release_number_under_another_url_is_refused(project, capsys):
    assert _ingest(project, "--yes") == 0
    after_first = _raw_bytes(project)
    code = main(["ingest", str(RELEASE), "--url", URL + "copy", "--yes", "--root", str(project.root)])
    assert code == 1
    assert "release number 20240110-01 is already in the data" in capsys.readouterr().err
    assert _raw_bytes(project) == after_first


def test_a_text_with_no_figures_is_refused(project, capsys):
    before = _raw_bytes(project)
    code = main(["ingest", str(FIXTURES / "no_tally.txt"), "--url", URL, "--yes", "--root", str(project.root)])
    assert code == 1
    err = capsys.readouterr().err.strip()
    assert "no_tally.txt" in err and len(err.splitlines()) == 1
    assert _raw_bytes(project) == before


def test_existing_release_from_the_curated_data_is_refused(project, capsys, repo):
    sources, _ = load_raw(repo)
    url = sources.loc[sources["source_id"] == "centcom-2023-08-09", "url"].iloc[0]
    before = _raw_bytes(project)
    code = main(["ingest", str(RELEASE), "--url", url, "--yes", "--root", str(project.root)])
    assert code == 1
    assert "already in the data as source centcom-2023-08-09" in capsys.readouterr().err
    assert _raw_bytes(project) == before
