"""helpers.words: the project's English, one way: numbers, lists, months, periods, metrics, sources."""

from __future__ import annotations

from datetime import date

import pandas as pd

from helpers.words import (
    count_words,
    figure,
    join,
    limits,
    metric_words,
    month_name,
    month_runs,
    number,
    period_phrase,
    qualified,
    short_span,
    source_name,
    span_name,
    topic,
    what,
)


def test_numbers_in_words_up_to_nine_then_figures_with_commas():
    assert [number(n) for n in (0, 1, 9, 10, 1250)] == ["zero", "one", "nine", "10", "1,250"]
    assert count_words(1, "outlet") == "one outlet" and count_words(10, "publisher") == "ten publishers"
    assert count_words(0, "outlet") == "no outlets" and count_words(11, "outlet") == "11 outlets"


def test_figures_with_their_qualifiers():
    assert qualified(95, "more_than") == "more than 95" and qualified(37, "exact") == "37"
    assert figure(7) == "seven" and figure(80, "nearly") == "nearly 80"
    assert limits(8, 31) == "between 8 and 31" and limits(14, None) == "at least 14"
    assert limits(0, 95) == "at most 95" and limits(0, float("inf")) is None and limits(3, 3, spell=True) == "three"


def test_one_join():
    assert join(["A"]) == "A" and join(["A", "B"]) == "A and B" and join(["A", "B", "A", "C"]) == "A, B and C"
    assert join(["7", "7"], unique=False) == "7 and 7" and join(["A", "", "B"]) == "A and B"
    assert join(list("ABCDEF"), limit=3) == "A, B, C and 3 others"


def test_one_month_name_from_text_or_index():
    assert month_name("2023-07") == month_name(2023 * 12 + 6) == "July 2023"
    assert month_runs(["2024-01", "2024-02", "2024-03", "2024-09"]) == "January to March and September 2024"


def test_periods_in_words():
    assert period_phrase(date(2024, 1, 1), date(2024, 3, 31)) == "January to March 2024"
    assert period_phrase(date(2024, 8, 29), date(2024, 11, 4)) == "29 August to 4 November 2024"
    assert period_phrase(date(2024, 8, 29), date(2024, 11, 4), short=True) == "29 Aug to 4 Nov 2024"
    assert span_name(pd.Timestamp("2022-01-01"), pd.Timestamp("2022-12-31")) == "the whole of 2022"
    assert short_span(pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-31")) == "Jan–Mar 2024"


def test_metrics_are_said_one_way_everywhere():
    """The 2024-03 report said 'attacks claimed by ISIS' in its narrative and 'ISIS claimed attacks' in its
    disagreements list: both now take the vocabulary's words from here."""
    assert metric_words("isis_claimed_attacks") == "attacks claimed by ISIS"
    assert what("isis_claimed_attacks", "syria") == "attacks claimed by ISIS in Syria"
    assert topic("isis_claimed_attacks", "all") == "attacks claimed by ISIS in Iraq and Syria"
    assert metric_words("killed_or_detained") == "ISIS operatives killed or detained"
    assert metric_words("killed") == "ISIS operatives killed" and topic("killed", "iraq") == "the number killed in Iraq"


def test_one_source_name():
    day = date(2023, 8, 9)
    assert source_name("centcom_release", "U.S. Central Command", day, False) == "CENTCOM's release of 9 August 2023"
    assert source_name("centcom_release", "U.S. Central Command", day, False, short=True) == "CENTCOM, 9 Aug 2023"
    assert source_name("centcom_statement", "DVIDS", day, True) == \
        "CENTCOM's statement of about 9 August 2023 (as reposted by DVIDS)"
    assert source_name("centcom_release", "", None, False) == "an undated CENTCOM release"
    assert source_name("news", "Kurdistan24", day, False) == "Kurdistan24"
