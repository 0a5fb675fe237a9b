"""Adding hand-curated figures (`tally add`), curators' amendments, and the kinds of figure and
disagreement that the second curation brought: single events, other parties, mixed groups, a
relabelled period, one source with two figures, counts that run over time."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from helpers import amendments
from helpers.add import plan, published, site_slug
from helpers.build import load_claims
from helpers.cli import main
from helpers.reconcile import reconcile

FIXTURES = Path(__file__).parent / "fixtures" / "add"


def _raw(paths) -> dict:
    """The raw files' bytes (the lock file aside)."""
    return {p: p.read_bytes() for p in paths.raw.iterdir() if not p.name.startswith(".")}


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


# --- tally add -----------------------------------------------------------------------------------------


def test_site_slug_and_dates():
    assert site_slug("https://www.shafaq.com/en/x") == "shafaq"
    assert site_slug("https://english.alarabiya.net/News/x") == "alarabiya"
    assert site_slug("https://news.antiwar.com/2026/02/04/x") == "antiwar"
    assert published("2024-11-23") == ("2024-11-23", False, "")
    assert published("c. 2025-07-25") == ("2025-07-25", True, "date given as 'c. 2025-07-25'")
    assert published("c. 2024-10") == ("", True, "date given as 'c. 2024-10'")


def test_add_shows_without_writing(project, capsys):
    before = _raw(project)
    assert main(["add", str(FIXTURES / "new_figures.csv"), "--root", str(project.root)]) == 0
    out = capsys.readouterr().out
    assert "5 new figures from 3 sources (3 new), 0 already recorded" in out
    assert "nothing written" in out
    assert _raw(project) == before


def test_add_appends_sources_figures_and_scopes(project, capsys):
    n_sources, n_figures = len(_lines(project.sources_csv)), len(_lines(project.figures_csv))
    assert main(["add", str(FIXTURES / "new_figures.csv"), "--root", str(project.root), "--yes"]) == 0
    sources = list(csv.DictReader(project.sources_csv.open(encoding="utf-8")))[n_sources - 1:]
    figures = list(csv.DictReader(project.figures_csv.open(encoding="utf-8")))[n_figures - 1:]
    assert sorted(s["source_id"] for s in sources) == ["example-news-2023-07-06", "ministry-2024-03-02",
                                                        "raidwatch-2023-06-16"]
    raid = next(s for s in sources if s["source_id"] == "raidwatch-2023-06-16")
    assert (raid["published"], raid["published_approx"], raid["publisher"]) == ("2023-06-16", "true", "raidwatch.test")
    assert [(f["metric"], f["value"], f["mention"]) for f in figures if f["source_id"] == "example-news-2023-07-06"] \
        == [("operations", "37", "1"), ("killed", "13", "1"), ("killed", "31", "2")]
    gov = next(f for f in figures if f["source_id"] == "ministry-2024-03-02")
    assert (gov["attributed_to"], gov["entry"]) == ("other", "hand")
    # the raid's scope is an amendment naming the figure's own line
    raid_line = n_figures + 1 + [f["source_id"] for f in figures].index("raidwatch-2023-06-16")
    marks = amendments.load(project)
    assert amendments.Amendment(raid_line, "scope", "event", "marked when the figure was added",
                                marks[-1].added) == marks[-1]
    assert main(["check", "--root", str(project.root)]) == 0
    # the same file again adds nothing
    capsys.readouterr()
    assert main(["add", str(FIXTURES / "new_figures.csv"), "--root", str(project.root), "--yes"]) == 0
    assert "0 new figures" in capsys.readouterr().out
    assert len(_lines(project.figures_csv)) == n_figures + 5


def test_added_figures_reach_the_reconciliation(project):
    main(["add", str(FIXTURES / "new_figures.csv"), "--root", str(project.root), "--yes"])
    claims = load_claims(project)
    raid = claims[claims["source_id"] == "raidwatch-2023-06-16"].iloc[0]
    assert (raid["scope"], raid["low"]) == ("event", 2) and pd.isna(raid["high"])
    rec = reconcile(claims)
    d = rec.discrepancies
    two = d[(d["kind"] == "same_source") & (d["period_start"] == "2023-06-01")]
    assert len(two) == 1
    assert two.iloc[0]["source_a"] == two.iloc[0]["source_b"] == "example-news-2023-07-06"
    assert (two.iloc[0]["value_a"], two.iloc[0]["value_b"], two.iloc[0]["difference"]) == (13, 31, 18)


@pytest.mark.parametrize("name, message", [
    ("bad_header.csv", "bad_header.csv:1: missing column(s): source_date"),
    ("bad_metric.csv", "figures.csv"),
])
def test_add_refuses_bad_input_in_one_line(project, capsys, name, message):
    before = _raw(project)
    assert main(["add", str(FIXTURES / name), "--root", str(project.root), "--yes"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and "Traceback" not in err[0]
    if name == "bad_metric.csv":
        assert "metric" in err[0] and "nothing written" in err[0]
    assert _raw(project) == before


def test_add_plan_numbers_mentions_after_existing_rows(project):
    p = plan(project, str(FIXTURES / "new_figures.csv"))
    assert [f["mention"] for f in p.figures] == ["1", "1", "1", "2", "1"]


# --- amendments ------------------------------------------------------------------------------------------


def test_errata_correct_the_curated_qualifiers(built):
    claims = load_claims(built)
    fixed = claims.set_index("claim_id").loc[["F0531", "F0533"]]
    assert list(fixed["qualifier"]) == ["about", "exact"]
    assert list(fixed["qualifier_as_curated"]) == ["nearly", "nearly"]
    assert list(fixed["low"]) == [10, 18] and list(fixed["high"]) == [14, 18]
    # the raw rows themselves are untouched: the fix is a row of its own
    raw = _lines(built.figures_csv)
    assert raw[530].endswith(",syria,detained,12,nearly,hand,centcom,1,")
    untouched = claims[claims["qualifier_as_curated"] == ""]
    assert len(untouched) == len(claims) - 2


def test_bad_amendment_is_one_line_naming_the_row(project, capsys):
    with project.amendments_csv.open("a", encoding="utf-8") as fh:
        fh.write("99999,qualifier,exact,a typo,2026-12-05\n531,qualifier,roughly,a typo,2026-12-05\n")
    n = len(_lines(project.amendments_csv))
    assert main(["check", "--root", str(project.root)]) == 1
    err = capsys.readouterr().err
    assert f"data/raw/amendments.csv:{n - 1}: line: '99999' is not the line of a figure" in err
    assert f"data/raw/amendments.csv:{n}: value: 'roughly' is not a qualifier" in err
    assert main(["build", "--root", str(project.root)]) == 1


# --- the real data: new kinds of figure ------------------------------------------------------------------


@pytest.fixture(scope="module")
def tables(built):
    from helpers import reconcile as api

    return api.monthly(built), api.discrepancies(built), load_claims(built)


def _month(monthly, month, country, metric):
    r = monthly[(monthly["month"] == month) & (monthly["country"] == country) & (monthly["metric"] == metric)]
    assert len(r) == 1
    return r.iloc[0]


def test_march_2023_killed_is_now_known(tables):
    monthly, _, claims = tables
    r = _month(monthly, "2023-03", "all", "killed")
    src = claims[(claims["metric"] == "killed") & (claims["country"] == "all")
                 & (claims["period_start"] == "2023-03-01") & (claims["period_end"] == "2023-03-31")]
    assert len(src) == 1
    assert (r["value"], r["basis"], r["source_ids"]) == (src.iloc[0]["value"], "reported", src.iloc[0]["source_id"])


def test_single_event_bounds_its_month_from_below(tables):
    monthly, _, claims = tables
    events = claims[(claims["scope"] == "event") & (claims["metric"] == "killed")
                    & (claims["period_start"] == "2024-12-16")]
    assert len(events) == 2 and set(events["value"]) == {12}
    assert events["high"].isna().all()
    r = _month(monthly, "2024-12", "syria", "killed")
    assert pd.isna(r["value"]) and r["basis"] == "bounded"
    assert r["low"] == 12 and pd.isna(r["high"])


def test_other_party_and_mixed_groups_stay_out_of_the_series(tables):
    monthly, _, claims = tables
    iraqi = claims[(claims["attributed_to"] == "other") & (claims["period_start"] == "2024-10-22")]
    assert set(iraqi["value"]) == {9}
    r = _month(monthly, "2024-10", "iraq", "killed")
    assert r["low"] < 9  # CENTCOM's "at least" figure, not Baghdad's nine
    assert "theparknews-undated" in set(iraqi["source_id"])  # a source with only Baghdad's figure
    assert "theparknews-undated" not in r["source_ids"].split(";")
    mixed = claims[claims["scope"] == "mixed_groups"]
    assert len(mixed) == 1 and mixed.iloc[0]["period_start"].strftime("%Y-%m") == "2026-01"
    r = _month(monthly, "2026-01", "syria", "killed")
    assert mixed.iloc[0]["source_id"] not in r["source_ids"].split(";")
    assert r["low"] == 0


def test_relabelled_week_is_found_and_set_aside(tables):
    monthly, disc, claims = tables
    rows = disc[(disc["kind"] == "period_wording") & (disc["period_start"] == "2025-05-21")]
    assert set(rows["metric"]) == {"operations", "killed", "detained"}
    assert set(rows["source_b"]) == {"daily8-2025-07-25"}
    assert all("relabelling" in e for e in rows["explanation"])
    week = claims[(claims["period_start"] == "2025-05-21") & (claims["metric"] == "operations")
                  & (claims["country"] == "all")]
    r = _month(monthly, "2025-05", "all", "operations")
    assert pd.isna(r["value"]) and r["low"] == week["value"].iloc[0]


def test_one_source_two_figures_explained_as_a_mislabel(tables):
    _, disc, claims = tables
    rows = disc[disc["kind"] == "same_source"]
    cheri = rows[rows["source_a"] == "cheriworld-2022-12-29"]
    assert len(cheri) == 1
    r = cheri.iloc[0]
    two = claims[(claims["source_id"] == "cheriworld-2022-12-29") & (claims["country"] == "syria")
                 & (claims["metric"] == "killed")].sort_values("mention")
    assert (r["value_a"], r["value_b"], r["qualifier_b"]) == (two["value"].iloc[0], two["value"].iloc[1], "at_least")
    iraq_detained = claims[(claims["source_id"] == "cheriworld-2022-12-29") & (claims["country"] == "iraq")
                           & (claims["metric"] == "detained")]["value"].iloc[0]
    assert iraq_detained == two["value"].iloc[1]
    assert "detained in Iraq" in r["explanation"] and "wrong label" in r["explanation"]


def test_running_counts_on_the_real_data_hold(tables):
    _, disc, claims = tables
    transfers = claims[(claims["metric"] == "detainees_transferred") & (claims["period_start"] == "2026-01-21")]
    assert len(transfers) >= 6
    assert disc[disc["kind"] == "running_count"].empty


def test_a_running_count_that_falls_is_a_disagreement(built):
    claims = load_claims(built)
    later = claims[(claims["metric"] == "detainees_transferred") & (claims["period_end"] == "2026-02-12")
                   & (claims["qualifier"] == "exact")].iloc[[0]].copy()
    later[["claim_id", "period_end", "value", "low", "high"]] = ["F9999", pd.Timestamp("2026-02-20"), 900, 900, 900]
    rec = reconcile(pd.concat([claims, later], ignore_index=True))
    falls = rec.discrepancies[rec.discrepancies["kind"] == "running_count"]
    assert len(falls) >= 1
    assert all("F9999" in ids for ids in falls["claim_ids"])
    assert any("cannot fall" in e for e in falls["explanation"])
