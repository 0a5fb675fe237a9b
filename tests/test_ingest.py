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


# --- issue 18 ------------------------------------------------------------------------------------------

import os  # noqa: E402

import pytest  # noqa: E402


class Killed(BaseException):
    """What a kill looks like to the code it interrupts: nothing after it runs."""


def _without_number(tmp_path, **replace) -> Path:
    """The fixture release without its release number (as many releases print none), edited."""
    text = RELEASE.read_text().replace("Release Number 20240110-01\n", "")
    for old, new in replace.items():
        text = text.replace(old.replace("_", " "), new)
    path = tmp_path / "release.txt"
    path.write_text(text)
    return path


def test_ingest_killed_between_its_two_moves_leaves_no_source_without_figures(project, monkeypatch, capsys):
    # Failed before the fix: sources.csv was moved, figures.csv not; check accepted the orphan source
    # and a second ingest of the release was refused as already there.
    sources_before, figures_before = _raw_bytes(project)
    real = os.replace

    def replace(src, dst):
        if Path(dst).name == "figures.csv":
            raise Killed("killed between the two moves")
        real(src, dst)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", replace)
        with pytest.raises(Killed):
            _ingest(project, "--yes")
    capsys.readouterr()
    # The next command to take the lock finishes the ingest: both files, or (had it died earlier) neither.
    assert main(["check", "--root", str(project.root)]) == 0
    sources, figures = load_raw(project)
    assert sources["source_id"].eq("centcom-2024-01-10").sum() == 1
    assert (figures["source_id"] == "centcom-2024-01-10").sum() == 11
    sources_after, figures_after = _raw_bytes(project)
    assert sources_after.startswith(sources_before) and figures_after.startswith(figures_before)
    assert not [p.name for p in project.raw.iterdir() if p.name.endswith((".tmp", ".json"))]


def test_ingest_killed_before_its_moves_changes_nothing(project, monkeypatch, capsys):
    before = _raw_bytes(project)
    real = os.replace

    def replace(src, dst):
        if Path(dst).name == "sources.csv":
            raise Killed("killed before the first move")
        real(src, dst)

    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", replace)
        with pytest.raises(Killed):
            _ingest(project, "--yes")
    assert _raw_bytes(project) == before  # neither file was moved
    assert main(["check", "--root", str(project.root)]) == 0  # completes it: the journal was written
    sources, figures = load_raw(project)
    assert (figures["source_id"] == "centcom-2024-01-10").sum() == 11
    assert sources["source_id"].eq("centcom-2024-01-10").sum() == 1
    sources_after, figures_after = _raw_bytes(project)
    assert sources_after.startswith(before[0]) and figures_after.startswith(before[1])


def test_a_second_writer_is_refused_in_one_line_while_the_first_holds_data_raw(project, monkeypatch, capsys):
    # Failed before the fix: both ingests said "appended" and one release was lost. The hook runs the
    # second ingest (and a build) at the moment the first is about to write.
    from helpers import ingest as ingest_mod

    real = ingest_mod._validated_bytes
    seen = {}

    def hook(paths, source, figures):
        other = _without_number(project.root.parent, **{"Jan. 10, 2024": "Feb. 9, 2024",
                                                        "Jan 10, 2024": "Feb 9, 2024"})
        seen["ingest"] = main(["ingest", str(other), "--url", URL + "other", "--yes", "--root", str(project.root)])
        seen["build"] = main(["build", "--root", str(project.root)])
        seen["err"] = capsys.readouterr().err.splitlines()
        return real(paths, source, figures)

    monkeypatch.setattr(ingest_mod, "_validated_bytes", hook)
    assert _ingest(project, "--yes") == 0
    assert seen["ingest"] == 1 and seen["build"] == 1
    assert seen["err"] == [
        "tally ingest: data/raw is in use by tally ingest (pid %d); nothing was done, try again when it ends"
        % os.getpid(),
        "tally build: data/raw is in use by tally ingest (pid %d); nothing was done, try again when it ends"
        % os.getpid(),
    ]
    sources, figures = load_raw(project)
    assert sources["source_id"].eq("centcom-2024-01-10").sum() == 1
    assert not sources["published"].eq("2024-02-09").any()  # refused, not half-added
    assert (figures["source_id"] == "centcom-2024-01-10").sum() == 11
    assert main(["ingest", str(RELEASE), "--url", URL, "--root", str(project.root)]) == 1  # lock released


@pytest.mark.parametrize("variant", [
    URL.rstrip("/"),  # no trailing slash
    URL + "?utm_source=twitter",
    URL + "#main",
    URL.replace("https://www.centcom.mil", "HTTPS://WWW.CENTCOM.MIL"),
    URL.replace("https://", "http://"),
])
def test_a_release_without_number_is_not_ingested_again_under_a_variant_url(project, tmp_path, capsys, variant):
    # Failed before the fix: only the exact URL was compared; the same release went in again.
    release = _without_number(tmp_path)
    assert main(["ingest", str(release), "--url", URL, "--yes", "--root", str(project.root)]) == 0
    after_first = _raw_bytes(project)
    capsys.readouterr()
    assert main(["ingest", str(release), "--url", variant, "--yes", "--root", str(project.root)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "already in the data as source centcom-2024-01-10; nothing written" in err[0]
    assert _raw_bytes(project) == after_first


def test_a_release_without_number_is_recognised_by_its_date_and_figures(project, tmp_path, capsys):
    # Failed before the fix: a repost of the same release at another address went in a second time.
    release = _without_number(tmp_path)
    assert main(["ingest", str(release), "--url", URL, "--yes", "--root", str(project.root)]) == 0
    after_first = _raw_bytes(project)
    capsys.readouterr()
    repost = "https://www.dvidshub.net/news/123456/december-2023-month-review"
    assert main(["ingest", str(release), "--url", repost, "--yes", "--root", str(project.root)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.endswith("source centcom-2024-01-10, of the same date, already states exactly these 11 figures; "
                        "nothing written")
    assert _raw_bytes(project) == after_first
    # Different figures on the same day are another release, and go in.
    other = _without_number(tmp_path, **{"29 D-ISIS operations": "30 D-ISIS operations"})
    assert main(["ingest", str(other), "--url", repost, "--yes", "--root", str(project.root)]) == 0


def test_ingest_refuses_a_value_over_the_maximum(project, tmp_path, capsys):
    # Failed before the fix: 2^63 went into figures.csv, and build then died of OverflowError.
    release = _without_number(tmp_path, **{"29 D-ISIS operations": "9,223,372,036,854,775,808 D-ISIS operations"})
    before = _raw_bytes(project)
    assert main(["ingest", str(release), "--url", URL, "--yes", "--root", str(project.root)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"tally ingest: {release}: 9223372036854775808 is over the largest value allowed, 10,000,000"]
    assert _raw_bytes(project) == before
