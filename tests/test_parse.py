"""Tests of helpers.parse: fixtures in each release layout, and the phrase tables one by one.

The fixtures in tests/fixtures/releases/ are written for these tests: their numbers and wording are
made up, in the layouts CENTCOM used 2022-2026. Each has its complete expected figures beside it
(<name>.expected.csv); the release date, number and title are asserted below.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from helpers.errors import ParseError, TallyError
from helpers.parse import CSV_FIELDS, Figure, checks, parse_file, parse_text, run_parse
from helpers.vocab import METRICS, QUALIFIERS

FIXTURES = Path(__file__).parent / "fixtures" / "releases"

# name: (release_date, release_number, title)
META = {
    "l1_month_in_review_blocks": (date(2023, 4, 4), "20230404-02",
                                  "CENTCOM Month in Review: Operations Against ISIS in Iraq and Syria"),
    "l2_inline_lists": (date(2023, 3, 7), "20230307-01", "February 2023 Month in Review: The Fight Against ISIS"),
    "l2_bullets": (date(2023, 5, 3), "20230503-01", "April 2023 Month in Review: Defeat ISIS Operations"),
    "l3_two_columns_bullets": (date(2023, 6, 8), "20230608-03",
                               "May 2023 Month in Review: Coalition Operations Against ISIS"),
    "l4_two_columns_plain": (date(2023, 10, 5), "20231005-01",
                             "September 2023 Month in Review: The Defeat ISIS Mission in Iraq and Syria"),
    "l5_two_months": (date(2023, 11, 14), "20231114-01", "Defeat ISIS Update for September and October"),
    "l6_prose_quarter": (date(2025, 1, 9), "20250109-02",
                         "Defeat ISIS Mission in Iraq and Syria for October through December 2024"),
    "l6_prose_half": (date(2025, 7, 18), "20250718-01",
                      "ISIS Attempting to Regroup, Defeat ISIS Partners Keep Up Pressure"),
    "l7_rolling_window": (date(2024, 10, 30), "20241030-01", "CENTCOM Update on Defeat ISIS Operations"),
    "l8_syria_one_line": (date(2025, 12, 3), None, "CENTCOM Keeps Pressure On ISIS In Syria"),
    "l8_syria_six_months": (date(2026, 1, 14), "20260114-01", "CENTCOM Forces Degrade ISIS Networks In Syria"),
    "l8_syria_strike": (date(2025, 12, 9), None, "U.S. Forces Strike ISIS Targets Across Syria"),
    "l9_year_in_review": (date(2024, 1, 4), "20240104-01", "Year in Review 2023: The Defeat ISIS Mission"),
    "no_tally_transfer": (date(2026, 2, 20), "20260220-01",
                          "U.S. Forces Support Transfer Of ISIS Detainees To Iraqi Custody"),
    "var_crlf_bom": (date(2023, 12, 6), "20231206-01", "November 2023 Month in Review: Defeat ISIS Operations"),
    "var_nbsp_curly": (date(2024, 1, 10), "20240110-01",
                       "December 2023 Month in Review: The Defeat ISIS Mission in Iraq and Syria"),
    "var_truncated": (date(2023, 9, 7), "20230907-01", "August 2023 Month in Review: The Fight Against ISIS"),
    "var_singular": (date(2024, 2, 6), "20240206-01", "January 2024 Month in Review: Defeat ISIS Operations"),
}


def rows(figures) -> list[tuple]:
    return sorted((f.period_start.isoformat(), f.period_end.isoformat(), f.country, f.metric, f.value,
                   f.qualifier, f.period_wording) for f in figures)


def expected_rows(name: str) -> list[tuple]:
    with open(FIXTURES / f"{name}.expected.csv", newline="", encoding="utf-8") as fh:
        return sorted((r["period_start"], r["period_end"], r["country"], r["metric"], int(r["value"]),
                       r["qualifier"], r["period_wording"]) for r in csv.DictReader(fh))


def test_every_fixture_has_expectations():
    names = {p.stem for p in FIXTURES.glob("*.txt")} - {"no_figures_statement"}
    assert names == set(META)
    assert all((FIXTURES / f"{n}.expected.csv").exists() for n in names)


@pytest.mark.parametrize("name", sorted(META))
def test_fixture_figures_exactly(name):
    release = parse_file(FIXTURES / f"{name}.txt")
    assert rows(release.figures) == expected_rows(name)
    assert len(set(release.figures)) == len(release.figures)
    assert (release.release_date, release.release_number, release.title) == META[name]


@pytest.mark.parametrize("name", sorted(META))
def test_fixture_vocabulary(name):
    for f in parse_file(FIXTURES / f"{name}.txt").figures:
        assert f.country in ("all", "iraq", "syria") and f.metric in METRICS and f.qualifier in QUALIFIERS
        assert f.period_start <= f.period_end and f.value >= 0


def test_variations_are_what_they_claim():
    raw = (FIXTURES / "var_crlf_bom.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    text = (FIXTURES / "var_nbsp_curly.txt").read_text(encoding="utf-8")
    assert "\u00a0" in text and "\u201c" in text and "\u2013" in text and "\u2011" in text
    assert (FIXTURES / "var_truncated.txt").read_text(encoding="utf-8").endswith("No U.S.-only o")


def test_truncated_text_warns():
    release = parse_file(FIXTURES / "var_truncated.txt")
    assert any("ends mid-item" in w for w in release.warnings)
    # A complete last line is not "truncated".
    assert not any("mid-item" in w for w in parse_file(FIXTURES / "var_singular.txt").warnings)


def test_no_tally_yields_no_core_figures():
    release = parse_file(FIXTURES / "no_tally_transfer.txt")
    assert not {f.metric for f in release.figures} & {"operations", "partnered_operations", "us_only_operations",
                                                       "killed", "detained"}


def test_no_figures_raises_parse_error_naming_the_file():
    path = FIXTURES / "no_figures_statement.txt"
    with pytest.raises(ParseError, match="no_figures_statement.txt: no figures found"):
        parse_file(path)
    assert issubclass(ParseError, TallyError)


@pytest.mark.parametrize("text", ["", "   \n\n", "-30-", "Press Release | Aug. 9, 2023", "In Iraq:\nIn Syria:"])
def test_empty_and_chrome_only_texts(text):
    with pytest.raises(ParseError, match="<text>: no figures found"):
        parse_text(text)


def test_parse_error_says_why_when_counts_lack_a_period():
    with pytest.raises(ParseError, match="no release date"):
        parse_text("Forces conducted 95 operations in the past 60 days.", "x.txt")


def test_unreadable_file(tmp_path):
    with pytest.raises(ParseError, match="missing.txt: cannot read"):
        parse_file(tmp_path / "missing.txt")


def test_windows_1252_file_is_read_with_a_warning(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(b"Press Release | Aug. 9, 2023\n\x93During July 2023, forces conducted 31 D-ISIS operations.\x94")
    release = parse_file(path)
    assert [(f.metric, f.value) for f in release.figures] == [("operations", 31)]
    assert any("UTF-8" in w for w in release.warnings)


# --------------------------------------------------------------------------- phrase tables

def one(text: str, released: str = "Press Release | Dec. 17, 2025\n") -> Figure:
    figures = parse_text(released + text).figures
    assert len(figures) == 1, figures
    return figures[0]


@pytest.mark.parametrize("phrase, value, qualifier", [
    ("at least 15", 15, "at_least"), ("more than 22", 22, "more_than"), ("over 30", 30, "more_than"),
    ("nearly 80", 80, "nearly"), ("almost 80", 80, "nearly"), ("about 12", 12, "about"),
    ("approximately 2,500", 2500, "about"), ("around 20", 20, "about"), ("up to 35", 35, "up_to"),
    ("35", 35, "exact"), ("a dozen", 12, "exact"), ("more than a dozen", 12, "more_than"),
    ("five", 5, "exact"), ("Nineteen", 19, "exact"), ("twenty-one", 21, "exact"), ("ninety nine", 99, "exact"),
    ("forty", 40, "exact"), ("No", 0, "exact"), ("zero", 0, "exact"), ("12,345", 12345, "exact"),
])
def test_numbers_and_qualifiers(phrase, value, qualifier):
    f = one(f"In July 2025, partner forces conducted {phrase} operations in Syria.")
    assert (f.value, f.qualifier, f.metric, f.country) == (value, qualifier, "operations", "syria")


@pytest.mark.parametrize("phrase, metric", [
    ("12 partnered operations", "partnered_operations"), ("12 joint operations", "partnered_operations"),
    ("12 operations conducted alongside the SDF", "partnered_operations"),
    ("12 operations in cooperation with partners", "partnered_operations"),
    ("12 U.S.-only operations", "us_only_operations"), ("12 US-only operations", "us_only_operations"),
    ("12 unilateral operations", "us_only_operations"), ("12 D-ISIS operations", "operations"),
    ("12 Defeat ISIS Missions", "operations"), ("12 missions", "operations"), ("12 total operations", "operations"),
    ("1 partnered operation", "partnered_operations"), ("a total of 12 D-ISIS operations", "operations"),
])
def test_operation_phrases(phrase, metric):
    assert one(f"During July 2025, in Syria, CENTCOM conducted {phrase}.").metric == metric


def test_a_headline_alongside_partners_is_the_headline_total():
    text = ("Press Release | Nov. 4, 2024\nSince Aug. 29, CENTCOM conducted 95 operations alongside Iraqi and "
            "Syrian partner forces, killing 163 terrorists. In Syria, 59 operations conducted alongside the SDF "
            "resulted in 14 ISIS operatives killed.")
    got = {(f.country, f.metric, f.value) for f in parse_text(text).figures}
    assert got == {("all", "operations", 95), ("all", "killed", 163), ("syria", "partnered_operations", 59),
                   ("syria", "killed", 14)}


@pytest.mark.parametrize("sentence, metric, value", [
    ("resulting in 5 ISIS operatives killed", "killed", 5),
    ("resulting in 5 ISIS members detained", "detained", 5),
    ("with 5 ISIS fighters captured", "detained", 5),
    ("and 5 suspects were apprehended", "detained", 5),
    ("and 5 militants arrested", "detained", 5),
    ("resulting in 163 terrorists killed", "killed", 163),
    ("killing 14 ISIS operatives", "killed", 14),
    ("U.S. forces detained 119 others", "detained", 119),
    ("leading to the killing of 16 terrorists", "killed", 16),
    ("leading to the capture of 33 members of Islamic State groups", "detained", 33),
    ("resulting in the deaths or detention of 23 terrorist operatives", "killed_or_detained", 23),
    ("with 25 ISIS operatives killed or detained", "killed_or_detained", 25),
    ("and eight senior ISIS leaders were killed", "leaders_killed", 8),
    ("and 32 senior ISIS leaders were detained", "leaders_captured", 32),
    ("with 30 senior and mid-level ISIS leaders killed or captured", "leaders_killed_or_captured", 30),
    ("claiming 153 attacks in total", "isis_claimed_attacks", 153),
    ("striking more than 70 targets", "strike_targets", 70),
    ("using more than 100 precision munitions", "precision_munitions", 100),
    ("destroying 4 weapons caches", "weapons_caches_destroyed", 4),
    ("with 3 U.S. airstrikes", "us_strikes", 3),
    ("and 2 U.S. service members were injured", "us_personnel_injured", 2),
])
def test_metric_phrases(sentence, metric, value):
    f = one(f"During July 2025, in Syria, partners moved against ISIS {sentence}.")
    assert (f.metric, f.value) == (metric, value)


def test_point_in_time_metrics_are_dated_at_the_release():
    text = ("Press Release | April 5, 2024\nDuring the first quarter of 2024 partners conducted 94 operations. "
            "Pursuit of the approximately 2,500 ISIS fighters at large across Iraq and Syria continues, as does "
            "repatriation of more than 9,000 ISIS detainees in detention facilities in Syria and of more than "
            "45,000 people from the al-Hol and al-Roj camps. The camps held a peak of over 70,000 people in "
            "al-Hol in 2019.")
    got = {(f.metric, f.country, f.value, f.qualifier, f.period_start, f.period_end) for f in parse_text(text).figures}
    day = date(2024, 4, 5)
    assert got == {
        ("operations", "all", 94, "exact", date(2024, 1, 1), date(2024, 3, 31)),
        ("isis_fighters_at_large", "all", 2500, "about", day, day),
        ("isis_detainees_in_facilities", "syria", 9000, "more_than", day, day),
        ("al_hol_al_roj_population", "syria", 45000, "more_than", day, day),
        ("al_hol_al_roj_population", "syria", 70000, "more_than", date(2019, 1, 1), date(2019, 12, 31)),
    }


@pytest.mark.parametrize("released, phrase, start, end, wording", [
    ("Dec. 17, 2025", "over the last six months", date(2025, 6, 17), date(2025, 12, 17), "over the last six months"),
    ("Nov. 4, 2024", "in the past 60 days", date(2024, 9, 6), date(2024, 11, 4), "in the past 60 days"),
    ("Nov. 4, 2024", "since August 29", date(2024, 8, 29), date(2024, 11, 4), "since August 29"),
    ("Nov. 4, 2024", "since Aug. 29, 2024", date(2024, 8, 29), date(2024, 11, 4), "since Aug. 29, 2024"),
    ("Dec. 17, 2025", "since July", date(2025, 7, 1), date(2025, 12, 17), "since July"),
    ("Jan. 10, 2026", "since November", date(2025, 11, 1), date(2026, 1, 10), "since November"),
    ("Nov. 12, 2025", "over the past month", date(2025, 10, 12), date(2025, 11, 12), "over the past month"),
    ("Nov. 12, 2025", "over the past month, from Oct. 1 to Nov. 6", date(2025, 10, 1), date(2025, 11, 6),
     "over the past month; from Oct. 1 to Nov. 6"),
    ("Nov. 12, 2025", "from Oct. 1 to Nov. 6", date(2025, 10, 1), date(2025, 11, 6), "from Oct. 1 to Nov. 6"),
    ("Jan. 5, 2026", "from Dec. 20 to Jan. 3", date(2025, 12, 20), date(2026, 1, 3), "from Dec. 20 to Jan. 3"),
    ("Dec. 17, 2025", "over the past year", date(2024, 12, 17), date(2025, 12, 17), "over the past year"),
    ("Dec. 17, 2025", "in the past two weeks", date(2025, 12, 4), date(2025, 12, 17), "in the past two weeks"),
    ("Dec. 17, 2025", "so far this year", date(2025, 1, 1), date(2025, 12, 17), "so far this year"),
    ("Aug. 9, 2023", "during the month of July 2023", date(2023, 7, 1), date(2023, 7, 31), ""),
    ("Aug. 9, 2023", "in July", date(2023, 7, 1), date(2023, 7, 31), ""),
    ("Jan. 9, 2024", "during November and December", date(2023, 11, 1), date(2023, 12, 31), ""),
    ("April 5, 2024", "from January through March", date(2024, 1, 1), date(2024, 3, 31), ""),
    ("Jan. 9, 2025", "from October through December", date(2024, 10, 1), date(2024, 12, 31), ""),
    ("April 5, 2024", "between January and March 2024", date(2024, 1, 1), date(2024, 3, 31), ""),
    ("July 16, 2024", "in the first half of 2024", date(2024, 1, 1), date(2024, 6, 30), ""),
    ("July 16, 2024", "in the first six months of 2024", date(2024, 1, 1), date(2024, 6, 30), ""),
    ("Jan. 9, 2025", "in the fourth quarter of 2024", date(2024, 10, 1), date(2024, 12, 31), ""),
    ("Dec. 29, 2022", "during Calendar year 2022", date(2022, 1, 1), date(2022, 12, 31), ""),
    ("Dec. 29, 2022", "in 2022", date(2022, 1, 1), date(2022, 12, 31), ""),
    ("Oct. 30, 2024", "on Oct. 22", date(2024, 10, 22), date(2024, 10, 22), ""),
    ("Dec. 19, 2025", "following the Dec. 13 attack", date(2025, 12, 13), date(2025, 12, 19),
     "following the Dec. 13 attack"),
    ("April 5, 2024", "Jan. 1 - March 31, 2024", date(2024, 1, 1), date(2024, 3, 31), "Jan. 1 - March 31, 2024"),
])
def test_period_phrases(released, phrase, start, end, wording):
    f = one(f"{phrase[0].upper()}{phrase[1:]}, U.S. and partner forces conducted 40 operations in Syria.",
            f"Press Release | {released}\n")
    assert (f.period_start, f.period_end, f.period_wording) == (start, end, wording)


def test_year_from_the_title_for_a_yearless_span():
    text = ("Press Release | Feb. 1, 2025\n\nDefeat ISIS Operations for October through December 2024\n\n"
            "From October through December, partners conducted 70 operations.")
    f = parse_text(text).figures[0]
    assert (f.period_start, f.period_end) == (date(2024, 10, 1), date(2024, 12, 31))


def test_explicit_dates_win_wherever_the_relative_words_recur():
    text = ("Press Release | Nov. 12, 2025\nU.S. Forces Hit ISIS Over The Past Month\n"
            "Over the past month, from Oct. 1 to Nov. 6, U.S. forces conducted more than 22 operations in Syria. "
            "Over the past month, these operations resulted in five ISIS members killed and 19 captured.")
    got = {(f.metric, f.period_start, f.period_end) for f in parse_text(text).figures}
    assert got == {(m, date(2025, 10, 1), date(2025, 11, 6)) for m in ("operations", "killed", "detained")}


def test_each_figure_takes_its_nearest_period_phrase():
    text = ("Press Release | Dec. 17, 2025\nOver the last six months, U.S. forces killed 14 ISIS operatives and "
            "detained 119 others in Syria, and conducted nearly 80 operations since July.")
    got = {f.metric: (f.period_start, f.value, f.qualifier) for f in parse_text(text).figures}
    assert got == {"killed": (date(2025, 6, 17), 14, "exact"), "detained": (date(2025, 6, 17), 119, "exact"),
                   "operations": (date(2025, 7, 1), 80, "nearly")}


@pytest.mark.parametrize("line, expected", [
    ("Press Release | Aug. 9, 2023", date(2023, 8, 9)), ("Aug 9, 2023", date(2023, 8, 9)),
    ("November 12, 2025", date(2025, 11, 12)), ("Sept. 7, 2023", date(2023, 9, 7)),
    ("TAMPA, Fla. (Nov. 12, 2025) - U.S. forces", date(2025, 11, 12)), ("11.12.2025", date(2025, 11, 12)),
    ("Posted: 3/2/2026", date(2026, 3, 2)), ("Posted On: Jul 17, 2024 9:30 AM", date(2024, 7, 17)),
    ("19 Dec 2025", date(2025, 12, 19)), ("Published: 2024-07-17T10:00:00", date(2024, 7, 17)),
    ("Mirage News, 19 Dec 2025, 4:41 AM AEDT", date(2025, 12, 19)),
])
def test_release_dates(line, expected):
    assert parse_text(f"{line}\nIn July 2023, partners conducted 3 operations.").release_date == expected


@pytest.mark.parametrize("line, number, released", [
    ("Release Number 20230809-01", "20230809-01", date(2023, 8, 9)),
    ("Release Number 20240405 - 01", "20240405-01", date(2024, 4, 5)),
    ("Release No. 20240405-2", "20240405-2", date(2024, 4, 5)),
])
def test_release_numbers_and_the_date_they_imply(line, number, released):
    release = parse_text(f"{line}\nIn July 2023, partners conducted 3 operations.")
    assert (release.release_number, release.release_date) == (number, released)


def test_repeats_kept_once_and_conflicts_warned():
    text = ("Press Release | Aug. 9, 2023\nDuring July 2023, partners conducted 31 D-ISIS operations. "
            "For the month of July 2023, the coalition conducted a total of 31 D-ISIS operations. "
            "In July 2023 there were 30 D-ISIS operations.")
    release = parse_text(text)
    assert [(f.metric, f.value) for f in release.figures] == [("operations", 31)]
    assert len(release.warnings) == 1 and "30 conflicts with 31" in release.warnings[0]


def test_dates_are_not_counts():
    text = ("Press Release | Feb. 2, 2023\nThe following is a summary of the January 2023 D-ISIS operations: "
            "partners conducted 43 operations.")
    assert [(f.metric, f.value) for f in parse_text(text).figures] == [("operations", 43)]


def test_related_headlines_in_the_page_chrome_are_not_figures():
    text = ("Press Release | Aug. 9, 2023\nDuring July 2023, partners conducted 31 D-ISIS operations.\n"
            "Related Stories\nCENTCOM Forces Kill 4 ISIS Operatives Killed In Syria Raid\n")
    assert [(f.metric, f.value) for f in parse_text(text).figures] == [("operations", 31)]


def test_syria_only_release_and_its_exceptions():
    text = ("Press Release | Dec. 19, 2025\nSince the attack on Dec. 13, forces conducted 10 operations in Syria "
            "and Iraq, resulting in the deaths or detention of 23 terrorist operatives. Over the last six months, "
            "U.S. forces killed 14 ISIS operatives.")
    got = {(f.metric, f.country) for f in parse_text(text).figures}
    assert got == {("operations", "all"), ("killed_or_detained", "all"), ("killed", "all")}
    got = {(f.metric, f.country) for f in parse_text(text.replace("in Syria and Iraq", "in Syria")).figures}
    assert got == {("operations", "syria"), ("killed_or_detained", "syria"), ("killed", "syria")}


def test_a_date_of_its_own_for_point_in_time_metrics():
    text = ("Press Release | Feb. 13, 2026\nSince Jan. 21, U.S. forces have transferred more than 5,700 ISIS "
            "fighters from detention facilities in Syria to Iraqi custody. The camps held a peak of over 70,000 "
            "people in al-Hol in 2019, and more than 43,000 people in al-Hol now.")
    got = {(f.metric, f.value, f.period_start, f.period_end) for f in parse_text(text).figures}
    assert got == {("detainees_transferred", 5700, date(2026, 1, 21), date(2026, 2, 13)),
                   ("al_hol_al_roj_population", 70000, date(2019, 1, 1), date(2019, 12, 31)),
                   ("al_hol_al_roj_population", 43000, date(2026, 2, 13), date(2026, 2, 13))}


def test_camp_population_phrased_around_its_numbers():
    text = ("Press Release | July 16, 2024\nThe population of the al-Hol camp has fallen from a peak of over 70,000 "
            "in 2019 to more than 43,000 people, while more than 9,000 ISIS detainees remain in detention facilities "
            "in Syria.")
    got = {(f.metric, f.country, f.value, f.period_start.year) for f in parse_text(text).figures}
    assert got == {("al_hol_al_roj_population", "syria", 70000, 2019),
                   ("al_hol_al_roj_population", "syria", 43000, 2024),
                   ("isis_detainees_in_facilities", "syria", 9000, 2024)}


def test_second_half_is_not_read_as_relative_to_the_release():
    f = one("In the last six months of 2024, partners conducted 120 operations in Iraq.", "Jan. 9, 2025\n")
    assert (f.period_start, f.period_end, f.country, f.period_wording) == (date(2024, 7, 1), date(2024, 12, 31),
                                                                          "iraq", "")


def test_blocks_cover_their_items_and_the_prose_under_their_header_only():
    text = ("Press Release | Aug. 9, 2023\nDuring July 2023, partners conducted 31 D-ISIS operations.\n"
            "In Syria:\nPartner forces conducted 11 operations.\nThey killed 3 ISIS operatives.\n"
            '"We are proud," the commander said.\nAbout 2,500 ISIS fighters remain at large.\n'
            "In Iraq:\n- 20 partnered operations\n"
            "The commander praised Iraqi forces, who detained 24 ISIS operatives in July 2023.\n")
    got = {(f.country, f.metric, f.value) for f in parse_text(text).figures}
    assert got == {("all", "operations", 31), ("syria", "operations", 11), ("syria", "killed", 3),
                   ("all", "isis_fighters_at_large", 2500), ("iraq", "partnered_operations", 20),
                   ("all", "detained", 24)}


def test_the_title_dates_counts_no_sentence_dates_and_the_press_line_dates_the_release():
    text = ("Recent: CENTCOM Forces Kill ISIS Official | Aug. 1, 2023\nPress Release | Aug. 9, 2023\n"
            "CENTCOM Month in Review: July 2023\n"
            "U.S. Central Command conducted 31 D-ISIS operations, resulting in 5 ISIS operatives killed.")
    release = parse_text(text)
    assert (release.release_date, release.title) == (date(2023, 8, 9), "CENTCOM Month in Review: July 2023")
    assert {(f.period_start, f.period_end) for f in release.figures} == {(date(2023, 7, 1), date(2023, 7, 31))}


def test_title_is_not_a_sentence():
    release = parse_text("Press Release | Aug. 9, 2023\nDuring July 2023, partners conducted 31 D-ISIS operations.")
    assert release.title is None


def test_spelled_out_numbers_with_numerals_are_read_once():
    got = parse_text("Press Release | Aug. 9, 2023\nDuring July 2023 partners conducted twenty-one (21) operations "
                     "and killed five (5) ISIS members.").figures
    assert [(f.metric, f.value) for f in got] == [("operations", 21), ("killed", 5)]


def test_two_column_rows_cut_into_lines_and_counts_without_their_noun():
    text = ("Press Release | Aug. 9, 2023\nDuring the month of July 2023, partners conducted a total of 31 D-ISIS "
            "operations (29 partnered and 2 U.S.-only).\nIn Iraq In Syria\n20 partnered operations\n"
            "9 partnered operations\n0 U.S.-only operations\n2 U.S.-only operations\n2 ISIS operatives killed\n")
    release = parse_text(text)
    got = {(f.country, f.metric, f.value) for f in release.figures}
    assert got == {("all", "operations", 31), ("all", "partnered_operations", 29), ("all", "us_only_operations", 2),
                   ("iraq", "partnered_operations", 20), ("syria", "partnered_operations", 9),
                   ("iraq", "us_only_operations", 0), ("syria", "us_only_operations", 2)}
    assert release.warnings == ["line 8: a figure under two columns without its pair; skipped"]


# --------------------------------------------------------------------------- checks

def test_checks_say_which_reading_holds():
    release = parse_file(FIXTURES / "l1_month_in_review_blocks.txt")
    by = {c.metric: c for c in checks(release)}
    assert by["operations"].holds == ("partnered+us_only",)
    assert dict(by["operations"].sums) == {"partnered": 36, "partnered+us_only": 37}
    assert by["killed"].holds == ("iraq+syria",) and by["detained"].ok
    assert "partnered+us_only holds" in by["operations"].message and "\n" not in by["operations"].message


def test_checks_report_a_mismatch():
    text = ("Press Release | Aug. 9, 2023\nDuring July 2023, partners conducted 31 D-ISIS operations, resulting in "
            "5 ISIS operatives killed and 30 detained.\nIn Iraq In Syria\n"
            "20 partnered operations 9 partnered operations\n"
            "0 U.S.-only operations 1 U.S.-only operation\n2 ISIS operatives killed 3 ISIS operatives killed\n")
    by = {c.metric: c for c in checks(parse_text(text))}
    assert by["operations"].holds == () and not by["operations"].ok
    assert "neither reading" in by["operations"].message
    assert by["killed"].ok and "detained" not in by  # no detained breakdown: nothing to check


def test_checks_use_qualifier_bounds():
    text = ("Press Release | Jan. 4, 2024\nDuring calendar year 2023 partners killed at least 686 ISIS operatives: "
            "at least 220 ISIS operatives were killed in Iraq and 466 ISIS operatives were killed in Syria.")
    (check,) = checks(parse_text(text))
    assert check.holds == ("iraq+syria",)


# --------------------------------------------------------------------------- tally parse

def run(files, as_json=False):
    out, err = io.StringIO(), io.StringIO()
    status = run_parse([str(f) for f in files], as_json, out, err)
    return status, out.getvalue(), err.getvalue()


def test_run_parse_csv():
    path = FIXTURES / "l4_two_columns_plain.txt"
    status, out, err = run([path])
    assert status == 0 and err == ""
    records = list(csv.DictReader(io.StringIO(out)))
    assert tuple(records[0]) == CSV_FIELDS
    assert CSV_FIELDS[:7] == ("file", "period_start", "period_end", "country", "metric", "value", "qualifier")
    assert len(records) == 11 and records[0]["file"] == str(path)
    assert records[0]["release_date"] == "2023-10-05" and records[0]["release_number"] == "20231005-01"
    assert {r["period_start"] for r in records} == {"2023-09-01"}


def test_run_parse_json_and_errors_after_the_output(tmp_path):
    bad = FIXTURES / "no_figures_statement.txt"
    status, out, err = run([bad, FIXTURES / "l8_syria_one_line.txt", tmp_path / "nope.txt"], as_json=True)
    assert status == 1
    records = json.loads(out)
    assert len(records) == 3 and set(records[0]) == set(CSV_FIELDS)
    assert records[0]["value"] == 18 and records[0]["release_number"] is None
    lines = err.splitlines()
    assert lines == [f"tally parse: {bad}: no figures found", f"tally parse: {tmp_path / 'nope.txt'}: cannot read: "
                     + lines[1].split("cannot read: ")[1]]
    assert not list(tmp_path.iterdir())  # writes nothing


def test_run_parse_prints_mismatches_and_warnings_on_stderr(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("Press Release | Aug. 9, 2023\nDuring July 2023, partners conducted 31 D-ISIS operations.\n"
                    "In Iraq In Syria\n20 partnered operations 9 partnered operations\n", encoding="utf-8")
    status, out, err = run([path])
    assert status == 0 and len(out.splitlines()) == 4
    assert err.startswith(f"{path}: check: 2023-07-01..2023-07-31 operations: headline 31")
    status, _, err = run([FIXTURES / "var_truncated.txt"])
    assert status == 0 and "var_truncated.txt: warning: line 32: the text ends mid-item" in err
