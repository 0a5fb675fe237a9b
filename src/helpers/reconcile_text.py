"""Plain-English pieces for the reconciliation's notes: dates, periods, sources, figures."""

from __future__ import annotations

import calendar
from datetime import date

from .vocab import CENTCOM_KINDS, COUNTRY_WORDS, METRIC_NOUNS

QUALIFIER_WORDS = {"exact": "", "at_least": "at least ", "more_than": "more than ", "nearly": "nearly ",
                   "about": "about ", "up_to": "up to "}


def month_index(d: date) -> int:
    """Months since year 0: consecutive months have consecutive indexes."""
    return d.year * 12 + d.month - 1


def month_start(index: int) -> date:
    return date(index // 12, index % 12 + 1, 1)


def month_end(index: int) -> date:
    y, m = index // 12, index % 12 + 1
    return date(y, m, calendar.monthrange(y, m)[1])


def month_code(index: int) -> str:
    """YYYY-MM."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_name(index: int) -> str:
    """June 2023."""
    return f"{calendar.month_name[index % 12 + 1]} {index // 12}"


def day(d: date) -> str:
    """9 August 2023."""
    return f"{d.day} {calendar.month_name[d.month]} {d.year}"


def months_phrase(first: int, last: int) -> str:
    """June 2023; January to July 2023; 2022; December 2022 to January 2023."""
    if first == last:
        return month_name(first)
    if first // 12 == last // 12:
        if first % 12 == 0 and last % 12 == 11:
            return str(first // 12)
        return f"{calendar.month_name[first % 12 + 1]} to {month_name(last)}"
    return f"{month_name(first)} to {month_name(last)}"


def aligned(start: date, end: date) -> bool:
    """Does the period start on the first and end on the last day of a month?"""
    return start.day == 1 and end == month_end(month_index(end))


def period_phrase(start: date, end: date) -> str:
    """The period in words: whole months as months, other spans as days."""
    if aligned(start, end):
        return months_phrase(month_index(start), month_index(end))
    if start == end:
        return day(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} to {day(end)}"
    if start.year == end.year:
        return f"{start.day} {calendar.month_name[start.month]} to {day(end)}"
    return f"{day(start)} to {day(end)}"


def during(start: date, end: date) -> str:
    """in June 2023; on 29 August 2024; from 20 to 29 December 2025."""
    if aligned(start, end):
        return f"in {period_phrase(start, end)}"
    if start == end:
        return f"on {day(start)}"
    return f"from {period_phrase(start, end)}"


def month_list(indexes: list[int]) -> str:
    """February 2023, April 2023 and June 2023."""
    return join([month_name(i) for i in indexes])


def join(words: list[str], limit: int = 0) -> str:
    """A, B and C; with a limit, the first ones and "N others"."""
    words = list(dict.fromkeys(words))
    if limit and len(words) > limit + 1:
        words = words[:limit] + [f"{len(words) - limit} others"]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def qualified(value: int, qualifier: str) -> str:
    """more than 95; 37."""
    return f"{QUALIFIER_WORDS.get(qualifier, '')}{value}"


def metric_words(metric: str) -> str:
    """operations; ISIS operatives killed; ISIS claimed attacks."""
    if metric in METRIC_NOUNS:
        return METRIC_NOUNS[metric]
    return " ".join({"isis": "ISIS", "us": "U.S."}.get(w, w) for w in metric.split("_"))


def what(metric: str, country: str) -> str:
    """operations in Iraq; ISIS operatives killed in Iraq and Syria."""
    return f"{metric_words(metric)} in {COUNTRY_WORDS.get(country, country)}"


def is_centcom(kind: str) -> bool:
    return kind in CENTCOM_KINDS


def source_name(kind: str, publisher: str, published, approx: bool) -> str:
    """CENTCOM's release of 9 August 2023, or the outlet's name."""
    if not is_centcom(kind):
        return publisher or "an unnamed outlet"
    word = "statement" if kind == "centcom_statement" else "release"
    when = "" if published is None else f" of {'about ' if approx else ''}{day(published)}"
    name = f"CENTCOM's {word}{when}"
    if publisher and not any(k in publisher for k in ("Central Command", "CENTCOM", "CJTF")):
        name += f" (as reposted by {publisher})"
    return name


NUMBER_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def number_word(n: int) -> str:
    """one, two ... ten, then digits."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def count_words(n: int, noun: str) -> str:
    """one outlet; three outlets."""
    return f"{number_word(n)} {noun}{'' if n == 1 else 's'}"


def sentence(text: str) -> str:
    """Capitalise the first letter and end with a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."
