"""The eight wording classes of issue 15, on fixtures written for them (tests/fixtures/releases/wording/),
with hypothesis properties where a class has a general rule.

Fixture names start with their class: c1 a country in a side clause; c2 "another", "a further", "an
additional"; c3 nominalised outcomes; c4 leaders; c5 short relative spans; c6 explicit dates in the next
sentence; c7 raids are operations, strikes are not; c8 counts that are not a tallied metric. Each has its
complete expected figures beside it; an expected file with no rows means the text states no figure.
"""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers.errors import ParseError
from helpers.parse import explain, parse_file, parse_text, run_parse

WORDING = Path(__file__).parent / "fixtures" / "releases" / "wording"
NAMES = sorted(p.stem for p in WORDING.glob("*.txt"))
CORE = {"operations", "partnered_operations", "us_only_operations", "killed", "detained"}


def expected(name: str) -> list[tuple]:
    with open(WORDING / f"{name}.expected.csv", newline="", encoding="utf-8") as fh:
        return sorted((r["period_start"], r["period_end"], r["country"], r["metric"], int(r["value"]),
                       r["qualifier"], r["period_wording"]) for r in csv.DictReader(fh))


def rows(figures) -> list[tuple]:
    return sorted((f.period_start.isoformat(), f.period_end.isoformat(), f.country, f.metric, f.value, f.qualifier,
                   f.period_wording) for f in figures)


def test_every_class_has_several_fixtures():
    classes = [n[:2] for n in NAMES]
    assert {c: classes.count(c) for c in sorted(set(classes))} == {
        "c1": 6, "c2": 4, "c3": 4, "c4": 4, "c5": 4, "c6": 3, "c7": 3, "c8": 4}


@pytest.mark.parametrize("name", NAMES)
def test_wording_fixture_figures_exactly(name):
    want = expected(name)
    if not want:
        with pytest.raises(ParseError, match=f"{name}.txt: no figures found"):
            parse_file(WORDING / f"{name}.txt")
        return
    release = parse_file(WORDING / f"{name}.txt")
    assert rows(release.figures) == want
    assert not any("conflicts with" in w for w in release.warnings), release.warnings


def test_side_clause_operations_are_parts_not_figures():
    release = parse_file(WORDING / "c1_side_which.txt")
    assert 2 not in {f.value for f in release.figures}
    assert any("side clause is part of a larger count" in w for w in release.warnings)


def test_a_conflict_is_read_as_leaders_where_the_pair_says_so():
    release = parse_file(WORDING / "c4_conflict_read_as_leaders.txt")
    (e,) = [e for e in release.explanations if e.figure.metric == "leaders_captured"]
    assert e.figure.value == 16 and "read as leaders_captured" in e.metric_words


def test_a_conflict_with_another_group_is_dropped_without_a_warning():
    text = ("Press Release | Dec. 17, 2025\nIn Syria, during November 2025, partner forces killed 4 ISIS operatives. "
            "Separately, U.S. forces killed 2 operatives of Hurras al-Din in Syria in November 2025.")
    release = parse_text(text)
    assert [(f.country, f.metric, f.value) for f in release.figures] == [("syria", "killed", 4)]
    assert release.warnings == []


def test_a_conflict_no_other_reading_fits_still_warns():
    text = ("Press Release | Dec. 17, 2025\nIn Syria, during November 2025, partner forces killed 4 ISIS operatives. "
            "In November 2025, 5 ISIS operatives were killed in Syria.")
    release = parse_text(text)
    assert [(f.metric, f.value) for f in release.figures] == [("killed", 4)]
    assert len(release.warnings) == 1 and "5 conflicts with 4" in release.warnings[0]


def test_no_wording_fixture_states_a_core_figure_its_text_does_not_count():
    # every core figure's value is written in the sentence it was read from
    for name in NAMES:
        if not expected(name):
            continue
        for e in parse_file(WORDING / f"{name}.txt").explanations:
            if e.figure.metric in CORE:
                assert e.metric_words.strip("'").split()[0] in e.sentence


# --------------------------------------------------------------------------- --explain

def test_explain_names_sentence_and_words():
    lines = explain(parse_file(WORDING / "c6_next_sentence.txt"))
    assert lines[0] == ("1. syria operations 30 (more_than), 2025-11-03..2025-12-09, "
                        "'over the past month; from Nov. 3 to Dec. 9'")
    assert lines[1] == ("   line 11: TAMPA, Fla. - Over the past month, U.S. forces conducted more than 30 operations "
                        "in Syria.")
    assert lines[2:5] == ["   metric:  'more than 30 operations'", "   country: 'in Syria'",
                          "   period:  'Over the past month ... from Nov. 3 to Dec. 9'"]
    assert len(lines) == 3 * 6


def test_tally_parse_explain(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    path = WORDING / "c1_side_which.txt"
    assert run_parse([str(path)], False, out, err, explained=True) == 0
    text = out.getvalue()
    assert text.startswith(f"{path}: 3 figure(s)\n\n1. all operations 48, 2025-11-01..2025-11-30\n")
    assert "country: no country of its own: the release's scope (Iraq and Syria)" in text
    assert "   line 11: The operations, which included two raids in Iraq, resulted in 40 ISIS operatives killed" in text


def test_cli_explain_flag(capsys):
    from helpers.cli import main

    assert main(["parse", "--explain", str(WORDING / "c5_this_week.txt")]) == 0
    out = capsys.readouterr().out
    assert "1. syria operations 9, 2025-12-11..2025-12-17, 'this week'" in out and "period:  'This week'" in out


# --------------------------------------------------------------------------- properties

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
SIDES = [", which included {n} raids in {c},", " (some of them in {c})", ", including strikes on ISIS cells in {c},",
         ", some of which targeted cells that had come from {c},", ", most of them in {c},"]
COUNTRY_SAID = ["prefix", "after", "block", "scope"]  # scope: no country but the side clause's, in text or title


def _release(body: str, released: date = date(2025, 12, 17),
             title: str = "Defeat ISIS Update: The Mission in Iraq and Syria") -> str:
    return f"Press Release | {released:%b}. {released.day}, {released.year}\n\n{title}\n\n{body}\n"


@st.composite
def side_clause_case(draw):
    month = draw(st.integers(1, 11))
    country = draw(st.sampled_from(["Iraq", "Syria"]))
    said = draw(st.sampled_from(COUNTRY_SAID))
    ops, killed = draw(st.integers(1, 300)), draw(st.integers(0, 300))
    side = draw(st.sampled_from(SIDES)).format(n=draw(st.integers(2, 9)), c=draw(st.sampled_from(["Iraq", "Syria"])))
    where = f" in {country}" if said == "after" else ""
    prefix = f"In {country}, d" if said == "prefix" else "D"
    sentence = (f"{prefix}uring {MONTHS[month - 1]} 2025, partner forces conducted {ops} operations{where}{{side}} "
                f"resulting in {killed} ISIS operatives killed.")
    if said == "block":
        sentence = f"In {country}:\n{sentence}"
    title = "CENTCOM Update On Defeat ISIS Operations" if said == "scope" else None
    return sentence, side, title


@settings(max_examples=100, deadline=None)
@given(side_clause_case())
def test_a_side_clause_country_never_changes_a_counts_country(case):
    sentence, side, title = case
    kw = {"title": title} if title else {}
    plain = parse_text(_release(sentence.replace("{side}", ","), **kw))
    with_side = parse_text(_release(sentence.replace("{side}", side if side.endswith(",") else side + ","), **kw))
    assert rows(with_side.figures) == rows(plain.figures)
    assert {f.metric for f in with_side.figures} == {"operations", "killed"}


@st.composite
def another_case(draw):
    released = date(2025, 12, 17)
    first_kind = draw(st.sampled_from(["killed", "detained"]))
    a, b = draw(st.integers(1, 400)), draw(st.integers(1, 400))
    another = draw(st.sampled_from(["another", "a further", "an additional"]))
    when = draw(st.sampled_from(["During November 2025", "Over the past 10 days", "Over the last six months",
                                 "Since Oct. 3", "This week"]))
    where = draw(st.sampled_from(["In Iraq, ", "In Syria, ", ""]))
    noun = draw(st.sampled_from(["ISIS fighters", "ISIS operatives", "terrorists", "ISIS members"]))
    if first_kind == "killed":
        verb1 = draw(st.sampled_from(["killed", "killing"]))
        second = draw(st.sampled_from([f"detained {another} {b}", f"detaining {another} {b}",
                                       f"captured {another} {b}", f"the capture of {another} {b}",
                                       f"arrested {another} {b}"]))
    else:
        verb1 = draw(st.sampled_from(["detained", "detaining", "captured"]))
        second = draw(st.sampled_from([f"killed {another} {b}", f"killing {another} {b}"]))
    body = f"{where}{when[0].lower() if where else when[0]}{when[1:]}, partner forces {verb1} {a} {noun} and {second}."
    return _release(body, released), first_kind


@settings(max_examples=80, deadline=None)
@given(another_case())
def test_another_count_keeps_the_scope_of_the_count_before_it(case):
    text, first_kind = case
    figures = parse_text(text).figures
    assert len(figures) == 2, figures
    first, second = sorted(figures, key=lambda f: f.metric != first_kind)
    assert first.metric == first_kind and second.metric == ({"killed", "detained"} - {first_kind}).pop()
    assert (second.country, second.period_start, second.period_end, second.period_wording) == (
        first.country, first.period_start, first.period_end, first.period_wording)


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 30), st.sampled_from(["hours", "days", "weeks"]),
       st.sampled_from(["Over the past", "In the last", "During the past"]),
       st.dates(date(2023, 1, 1), date(2026, 12, 31)))
def test_short_relative_spans_end_at_the_release(n, unit, lead, released):
    n = n * 24 if unit == "hours" else n
    body = f"{lead} {n} {unit}, U.S. forces conducted 7 operations in Syria."
    (f,) = parse_text(_release(body, released)).figures
    days = {"hours": -(-n // 24), "days": n - 1, "weeks": 7 * n - 1}[unit]
    assert (f.period_start, f.period_end) == (released - timedelta(days=days), released)
    assert f.period_wording == f"{lead[0].lower()}{lead[1:]} {n} {unit}"
