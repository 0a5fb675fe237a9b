"""Property tests of helpers.parse.

* Any text, random or a mangled fixture, yields a Release or a ParseError: never another exception.
* A breakdown of random numbers, rendered into one of the release layouts, is read back exactly.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.errors import ParseError
from helpers.parse import parse_text
from helpers.vocab import COUNTRIES, METRICS, QUALIFIERS

FIXTURES = Path(__file__).parent / "fixtures" / "releases"
TEXTS = [p.read_text(encoding="utf-8-sig") for p in sorted(FIXTURES.glob("*.txt"))]
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
ABBR = ["Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec."]
WORDS = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
         "sixteen seventeen eighteen nineteen").split()
TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
CHROME = ["An official website of the United States government", "Here's how you know", "USCENTCOM",
          "FOR IMMEDIATE RELEASE", "Skip to main content", "Share this page"]

# Pieces of release wording, so that random soups reach the parser's deeper paths.
SOUP = ["In Iraq:", "In Syria", "In Iraq In Syria", "•", "-", "No", "U.S.-only", "US-only", "unilateral",
        "operations", "operation", "partnered", "D-ISIS", "ISIS operatives", "killed", "detained", "captured",
        "since", "Aug.", "29", "over the last", "six", "months", "from", "Oct. 1", "to", "Nov. 6", "2023", "2,500",
        "Press Release |", "Aug. 9, 2023", "Release Number 20230809-01", "\n", ",", ".", ":", "a dozen",
        "more than", "nearly", "up to", "leaders", "senior", "including", "were", "and", "or", "of", "the",
        "killing", "deaths", "detention", "targets", "precision munitions", "at large", "al-Hol", "camps",
        "transfer", "detainees", "in detention facilities", "claimed", "attacks", "first half of", "quarter",
        "Calendar year", "September and October", "January through March", "on", "in the past 60 days",
        "this year", "among them", "99999999", "0", "1", "twenty-one", "\u00a0", "\u2013", "\r\n", "\ufeff"]


def read(text: str):
    """parse_text, checking what any Release must satisfy; None on ParseError."""
    try:
        release = parse_text(text)
    except ParseError:
        return None
    assert release.figures
    for f in release.figures:
        assert f.country in COUNTRIES and f.metric in METRICS and f.qualifier in QUALIFIERS
        assert f.period_start <= f.period_end and isinstance(f.value, int) and f.value >= 0
    keys = [(f.period_start, f.period_end, f.country, f.metric) for f in release.figures]
    assert len(keys) == len(set(keys))
    return release


@FAST
@given(st.text(max_size=400))
def test_random_text_never_raises_anything_else(text):
    read(text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(SOUP), max_size=80), st.sampled_from([" ", "\n", "  "]))
def test_soup_of_release_words_never_raises_anything_else(words, sep):
    read(sep.join(words))


@st.composite
def mutated_fixture(draw):
    lines = draw(st.sampled_from(TEXTS)).splitlines()
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "junk", "truncate", "cut_line"]))
        i = draw(st.integers(0, max(len(lines) - 1, 0)))
        j = draw(st.integers(0, max(len(lines) - 1, 0)))
        if not lines:
            break
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "junk":
            lines.insert(i, draw(st.one_of(st.text(max_size=40), st.sampled_from(SOUP))))
        elif op == "truncate":
            text = "\n".join(lines)
            lines = text[:draw(st.integers(0, len(text)))].splitlines()
        else:
            lines[i] = lines[i][:draw(st.integers(0, len(lines[i])))]
    return "\n".join(lines)


@settings(max_examples=120, deadline=None)
@given(mutated_fixture())
def test_mutated_fixtures_never_raise_anything_else(text):
    read(text)


# --------------------------------------------------------------------------- generated breakdowns

def words(n: int) -> str:
    if n < 20:
        return WORDS[n]
    tens, unit = divmod(n, 10)
    return TENS[tens - 2] + (f"-{WORDS[unit]}" if unit else "")


def num(n: int) -> str:
    return f"{n:,}"


def ops(n: int, kind: str, no_word: bool = False) -> str:
    noun = "operation" if n == 1 else "operations"
    label = {"partnered_operations": "partnered", "us_only_operations": "U.S.-only"}[kind]
    return f"{'No' if no_word and n == 0 else num(n)} {label} {noun}"


def people(n: int, verb: str, no_word: bool = False) -> str:
    return f"{'No' if no_word and n == 0 else num(n)} ISIS {'operative' if n == 1 else 'operatives'} {verb}"


ITEMS = ("partnered_operations", "us_only_operations", "killed", "detained")


def item(metric: str, n: int, no_word: bool = False) -> str:
    return ops(n, metric, no_word) if metric.endswith("operations") else people(n, metric, no_word)


def lead(totals: dict, period: str) -> str:
    return (f"TAMPA, Fla. - {period}, U.S. Central Command, along with coalition and other partners, conducted a "
            f"total of {num(totals['operations'])} D-ISIS operations, resulting in {num(totals['killed'])} ISIS "
            f"operatives killed and {num(totals['detained'])} detained.")


def render_blocks(per, totals, period, bullet):
    out = [lead(totals, period), "", "The following is a summary of the D-ISIS operations by country:", ""]
    for country in ("iraq", "syria"):
        out.append(f"In {country.title()}:" + " " * 30)
        out += [f"{bullet}{item(m, per[country][m], no_word=not bullet)}" + "   " for m in ITEMS] + [""]
    return out


def render_inline(per, totals, period, _):
    out = [lead(totals, period), ""]
    for country in ("iraq", "syria"):
        out.append(f"In {country.title()}: " + ", ".join(item(m, per[country][m]) for m in ITEMS))
    return out


def render_columns(per, totals, period, bullet):
    header = "• In Iraq: • In Syria:" if bullet else "In Iraq In Syria"
    order = ("partnered_operations", "us_only_operations", "detained", "killed")
    return [lead(totals, period), "", header] + [
        f"{bullet}{item(m, per['iraq'][m])} {bullet}{item(m, per['syria'][m])}" for m in order]


def render_prose(per, totals, period, _):
    text = (f"TAMPA, Fla. - U.S. Central Command and its partners conducted {num(totals['operations'])} Defeat ISIS "
            f"Missions resulting in {num(totals['killed'])} ISIS operatives killed and {num(totals['detained'])} "
            f"detained {period[0].lower()}{period[1:]}.")
    for country in ("iraq", "syria"):
        p = per[country]
        text += (f" In {country.title()}, {num(p['partnered_operations'])} partnered operations resulted in "
                 f"{num(p['killed'])} ISIS operatives killed and {num(p['detained'])} ISIS operatives detained.")
    return [text]


def render_cells(per, totals, period, bullet):
    """Two columns copied cell by cell: Iraq's item, then Syria's, each on its own line."""
    return [lead(totals, period), "", "In Iraq In Syria"] + [
        f"{bullet}{item(m, per[c][m])}" for m in ITEMS for c in ("iraq", "syria")]


LAYOUTS = {"blocks": render_blocks, "inline": render_inline, "columns": render_columns, "cells": render_cells,
           "prose": render_prose}


@st.composite
def monthly_release(draw):
    year, month = draw(st.integers(2022, 2025)), draw(st.integers(1, 12))
    start = date(year, month, 1)
    end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    released = end + timedelta(days=draw(st.integers(1, 28)))
    layout = draw(st.sampled_from(sorted(LAYOUTS)))
    bullet = draw(st.sampled_from(["", "• ", "- "])) if layout != "prose" else ""
    per = {c: {m: draw(st.integers(0, 60 if m.endswith("operations") else 2500)) for m in ITEMS}
           for c in ("iraq", "syria")}
    if layout == "prose":
        for c in per:
            per[c]["us_only_operations"] = 0
    both = draw(st.booleans())  # the headline counts U.S.-only operations, or not
    totals = {"operations": sum(per[c]["partnered_operations"] + both * per[c]["us_only_operations"] for c in per),
              "killed": sum(per[c]["killed"] for c in per), "detained": sum(per[c]["detained"] for c in per)}
    if layout == "prose":
        period = f"During {MONTHS[month - 1]} {year}"
    else:
        period = draw(st.sampled_from([f"During the month of {MONTHS[month - 1]} {year}",
                                       f"For the month of {MONTHS[month - 1]} {year}"]))
    lines = [*draw(st.lists(st.sampled_from(CHROME), max_size=3)), "",
             f"Press Release | {ABBR[released.month - 1]} {released.day}, {released.year}", "",
             f"Release Number {released:%Y%m%d}-0{draw(st.integers(1, 3))}", "",
             *LAYOUTS[layout](per, totals, period, bullet), "",
             '"Our partners remain in the lead," the commander said.', "-30-"]
    expected = {(start, end, "all", m): v for m, v in totals.items()}
    for c in per:
        for m in ITEMS:
            if not (layout == "prose" and m == "us_only_operations"):
                expected[(start, end, c, m)] = per[c][m]
    return "\n".join(lines), expected, released


@settings(max_examples=120, deadline=None)
@given(monthly_release())
def test_generated_monthly_breakdown_comes_back_exactly(case):
    text, expected, released = case
    release = read(text)
    assert release is not None and release.release_date == released
    got = {(f.period_start, f.period_end, f.country, f.metric): f.value for f in release.figures}
    assert got == expected
    assert all(f.qualifier == "exact" and f.period_wording == "" for f in release.figures)


QUALIFIER_WORDS = {"exact": [""], "more_than": ["more than ", "over "], "nearly": ["nearly ", "almost "],
                   "at_least": ["at least "], "about": ["about ", "approximately ", "around "], "up_to": ["up to "]}


@st.composite
def syria_release(draw):
    released = date(2025, 1, 1) + timedelta(days=draw(st.integers(0, 400)))
    kind = draw(st.sampled_from(["months", "days", "explicit", "since"]))
    if kind == "months":
        n = draw(st.integers(2, 11))
        phrase = f"Over the last {words(n)} months"
        y, m0 = divmod(released.year * 12 + released.month - 1 - n, 12)  # same day n months back, clamped
        start = date(y, m0 + 1, min(released.day, calendar.monthrange(y, m0 + 1)[1]))
        end, wording = released, phrase[0].lower() + phrase[1:]
    elif kind == "days":
        n = draw(st.integers(7, 90))
        phrase, start, end = f"In the past {n} days", released - timedelta(days=n - 1), released
        wording = phrase[0].lower() + phrase[1:]
    elif kind == "explicit":
        end = released - timedelta(days=draw(st.integers(1, 10)))
        start = end - timedelta(days=draw(st.integers(10, 60)))
        phrase = (f"Over the past month, from {ABBR[start.month - 1]} {start.day} to {ABBR[end.month - 1]} "
                  f"{end.day}")
        wording = phrase[0].lower() + phrase[1:].replace(", from", "; from")
    else:
        start = (released - timedelta(days=draw(st.integers(40, 300)))).replace(day=1)
        end, phrase = released, f"Since {MONTHS[start.month - 1]}"
        wording = phrase[0].lower() + phrase[1:]
    values = {m: draw(st.integers(0, 99)) for m in ("operations", "killed", "detained")}
    qualifier = draw(st.sampled_from(sorted(QUALIFIER_WORDS)))
    say = {m: draw(st.sampled_from([str(v), words(v)])) for m, v in values.items()}
    q = draw(st.sampled_from(QUALIFIER_WORDS[qualifier]))
    verb = draw(st.sampled_from(["captured", "detained", "arrested", "apprehended"]))
    body = (f"{phrase}, U.S. forces and partners conducted {q}{say['operations']} operations in Syria, resulting in "
            f"{say['killed']} ISIS members killed and {say['detained']} {verb}. \"We will not let ISIS regroup,\" "
            f"the commander said.")
    sep = draw(st.sampled_from([" ", "\n"]))  # the page on one long line, as some 2025 copies are, or not
    text = sep.join(["CENTCOM Keeps Up Pressure On ISIS In Syria",
                     f"{ABBR[released.month - 1]} {released.day}, {released.year}", body])
    expected = {("operations", values["operations"], qualifier), ("killed", values["killed"], "exact"),
                ("detained", values["detained"], "exact")}
    return text, expected, (start, end, wording)


@settings(max_examples=120, deadline=None)
@given(syria_release())
def test_generated_syria_only_release_comes_back_exactly(case):
    text, expected, (start, end, wording) = case
    release = read(text)
    assert release is not None
    assert {(f.metric, f.value, f.qualifier) for f in release.figures} == expected
    assert {(f.country, f.period_start, f.period_end, f.period_wording) for f in release.figures} == {
        ("syria", start, end, wording)}


@pytest.mark.parametrize("prefix", ["", "In Iraq ", "In Iraq: ", "5 ", "more than 5 ", "killed ", "since ",
                                    "from Oct. 1 ", "Press Release | ", "including 3 senior "])
@pytest.mark.parametrize("run", [":", " ", "-", ".", "•", "1", ",", "(", "|", "1 ", "- ", "In Iraq ", "ISIS ",
                                 "senior ", "total ", "more than ", "Aug. 9, ", "operations "])
def test_long_runs_are_read_in_linear_time(prefix, run):
    # Guards against patterns that backtrack exponentially: each of these once took seconds or hung.
    read(prefix + run * 2000 + "x")
