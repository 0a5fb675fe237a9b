"""All of the project's English: numbers, lists, months and periods, metrics, bases and sources.

Every module that writes prose or labels (the reconciliation's notes, the narrative, the figures)
takes its words from here, so that one thing is said one way everywhere.
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date

from .months import aligned, month_index
from .vocab import CENTCOM_KINDS, METRICS

QUALIFIER_WORDS = {"exact": "", "at_least": "at least ", "more_than": "more than ", "nearly": "nearly ",
                   "about": "about ", "up_to": "up to ", "at_most": "at most "}
SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

COUNTRY_WORDS = {"all": "Iraq and Syria", "iraq": "Iraq", "syria": "Syria"}
# After a number ("31 operations", "five ISIS operatives killed"), and as labels.
METRIC_NOUNS = {
    "operations": "operations",
    "partnered_operations": "partnered operations",
    "us_only_operations": "U.S.-only operations",
    "killed": "ISIS operatives killed",
    "detained": "ISIS operatives detained",
}
# As a thing that may be missing: "the number killed in Iraq".
METRIC_TOPICS = {
    "operations": "operations",
    "partnered_operations": "partnered operations",
    "us_only_operations": "U.S.-only operations",
    "killed": "the number killed",
    "detained": "the number detained",
}
COUNTRY_SCOPE = {"all": "in total", "iraq": "in Iraq", "syria": "in Syria"}
BASIS_LABELS = {
    "stated": "stated by CENTCOM",
    "reported": "reported by outlets only",
    "derived": "derived from other figures",
    "bounded": "known only within limits",
    "unknown": "not published",
}

# Periods against the monthly series (periods.csv's status), as the figures' legend says them.
STATUS_LABELS = {"agrees": "months add up to the claim", "disagrees": "months do not add up to the claim",
                 "cannot_check": "months not known well enough to check", "derived": "span derived by subtraction"}
# How a claim ranks (the reconciliation's tiers), and the readings of operations (readings.csv).
TIER_WORDS = {0: "CENTCOM's own figure", 1: "an outlet quoting CENTCOM", 2: "an outlet's own figure",
              3: "a figure from neither CENTCOM nor the outlet"}
READING_WORDS = {
    "either": ("the headline equals the partnered operations and no U.S.-only operations are given, so both "
               "readings agree"),
    "partnered_only": "the headline counts partnered operations only",
    "partnered_plus_us_only": "the headline counts partnered plus U.S.-only operations",
    "untestable": "the headline exceeds the partnered operations, but no U.S.-only figure is given to test it",
    "neither": "the headline matches neither reading",
}


# --- numbers and lists ----------------------------------------------------------------------------------

def number(n: int, *, upto: int = 9, zero: str = "zero") -> str:
    """Numbers up to ``upto`` in words (wire style: one to nine; ``zero`` for 0), larger ones in figures
    with thousands commas."""
    if n == 0:
        return zero
    return SMALL[n] if 0 < n <= upto else f"{n:,}"


def count_words(n: int, noun: str) -> str:
    """one outlet; three outlets; ten publishers."""
    return f"{number(n, upto=10, zero='no')} {noun}{'' if n == 1 else 's'}"


def join(words: list[str], limit: int = 0, unique: bool = True) -> str:
    """A; A and B; A, B and C (each once, unless not ``unique``: figures may repeat); empty items left
    out; with a ``limit``, the first ones and "N others"."""
    words = [w for w in words if w]
    words = list(dict.fromkeys(words)) if unique else words
    if limit and len(words) > limit + 1:
        words = words[:limit] + [f"{len(words) - limit} others"]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def about(average: float) -> str:
    """An average in words, rounded to a whole number: about 34; about nine; under one."""
    n = round(average)
    return f"about {number(n)}" if n > 0 else "under one"


def qualified(value: int, qualifier: str) -> str:
    """A figure as printed, in digits: more than 95; 37."""
    return f"{QUALIFIER_WORDS.get(qualifier, '')}{value}"


def figure(value: int, qualifier: str = "exact") -> str:
    """A figure as the prose writes it: small numbers in words, the qualifier kept (more than 95; five)."""
    return f"{QUALIFIER_WORDS.get(qualifier, '')}{number(value)}"


def limits(low: float | None, high: float | None, spell: bool = False) -> str | None:
    """What a range allows: 37; at least 14; at most 95; between 8 and 31; None when it says nothing.
    ``high`` None or infinite is no upper limit; ``spell``: small numbers in words."""
    say = number if spell else str
    low = int(low or 0)
    high = None if high is None or high == math.inf else int(high)
    if high is not None and low == high:
        return say(low)
    if low > 0 and high is not None:
        return f"between {say(low)} and {say(high)}"
    if low > 0:
        return f"at least {say(low)}"
    if high is not None:
        return f"at most {say(high)}"
    return None


def sentence(text: str) -> str:
    """Capitalise the first letter and end with a full stop."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


# --- months, days and periods ------------------------------------------------------------------------------

def month_name(month: str | int) -> str:
    """July 2023, from YYYY-MM text or a month index."""
    index = month_index(month) if isinstance(month, str) else month
    return f"{calendar.month_name[index % 12 + 1]} {index // 12}"


def day_name(d: date, short: bool = False) -> str:
    """9 August 2023 (``short``: 9 Aug 2023), from a date or a pandas Timestamp."""
    return f"{d.day} {_names(short)[d.month]} {d.year}"


def _names(short: bool):
    return calendar.month_abbr if short else calendar.month_name


def day_short(d: date) -> str:
    """9 Aug 2023."""
    return day_name(d, short=True)


def months_phrase(first: int, last: int, short: bool = False) -> str:
    """June 2023; January to July 2023; 2022; December 2022 to January 2023 (month indexes; ``short``:
    Jan to Jul 2023)."""
    names = _names(short)

    def name(i: int) -> str:
        return f"{names[i % 12 + 1]} {i // 12}"

    if first == last:
        return name(first)
    if first // 12 == last // 12:
        if first % 12 == 0 and last % 12 == 11:
            return str(first // 12)
        return f"{names[first % 12 + 1]} to {name(last)}"
    return f"{name(first)} to {name(last)}"


def period_phrase(start: date, end: date, short: bool = False) -> str:
    """The period in words: whole months as months, other spans as days (``short``: months abbreviated)."""
    start, end = _date(start), _date(end)
    if aligned(start, end):
        return months_phrase(month_index(start), month_index(end), short)
    if start == end:
        return day_name(start, short)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day} to {day_name(end, short)}"
    if start.year == end.year:
        return f"{start.day} {_names(short)[start.month]} to {day_name(end, short)}"
    return f"{day_name(start, short)} to {day_name(end, short)}"


def span_name(start: date, end: date) -> str:
    """As ``period_phrase``, but a whole calendar year is "the whole of 2023"."""
    start, end = _date(start), _date(end)
    if aligned(start, end) and (start.month, end.month) == (1, 12) and start.year == end.year:
        return f"the whole of {start.year}"
    return period_phrase(start, end)


def short_span(start: date, end: date) -> str:
    """For labels: Jul 2023; Jan–Mar 2024; 6 Sep–4 Nov 2024."""
    abbr = calendar.month_abbr
    start, end = _date(start), _date(end)
    if aligned(start, end):
        if (start.year, start.month) == (end.year, end.month):
            return f"{abbr[start.month]} {start.year}"
        if start.year == end.year:
            return f"{abbr[start.month]}–{abbr[end.month]} {end.year}"
        return f"{abbr[start.month]} {start.year}–{abbr[end.month]} {end.year}"
    first = f"{start.day} {abbr[start.month]}" + ("" if start.year == end.year else f" {start.year}")
    return f"{first}–{end.day} {abbr[end.month]} {end.year}"


def during(start: date, end: date) -> str:
    """in June 2023; on 29 August 2024; from 20 to 29 December 2025."""
    if aligned(start, end):
        return f"in {period_phrase(start, end)}"
    if start == end:
        return f"on {day_name(start)}"
    return f"from {period_phrase(start, end)}"


def month_list(indexes: list[int]) -> str:
    """February 2023, April 2023 and June 2023 (month indexes)."""
    return join([month_name(i) for i in indexes])


def month_runs(months: list[str]) -> str:
    """Runs of YYYY-MM months: "January to September 2024"; "September to October and December 2023"."""
    runs: list[list[str]] = []
    for m in sorted(months):
        if runs and month_index(m) == month_index(runs[-1][-1]) + 1:
            runs[-1].append(m)
        else:
            runs.append([m])
    one_year = len({m[:4] for m in months}) == 1
    name = (lambda m: calendar.month_name[int(m[5:])]) if one_year else month_name
    words = join([" and ".join(name(m) for m in r) if len(r) <= 2 else f"{name(r[0])} to {name(r[-1])}" for r in runs])
    return f"{words} {months[0][:4]}" if one_year else words


def _date(d) -> date:
    """A date from a date or a pandas Timestamp."""
    return d.date() if hasattr(d, "to_pydatetime") else d


# --- metrics, countries and sources -----------------------------------------------------------------------------

def metric_words(metric: str) -> str:
    """operations; ISIS operatives killed; attacks claimed by ISIS (the vocabulary's words, up to a comma
    or bracket)."""
    if metric in METRIC_NOUNS:
        return METRIC_NOUNS[metric]
    text = METRICS.get(metric, metric.replace("_", " "))
    return text.split(",")[0].split("(")[0].strip()


def what(metric: str, country: str) -> str:
    """operations in Iraq; ISIS operatives killed in Iraq and Syria."""
    return f"{metric_words(metric)} in {COUNTRY_WORDS.get(country, country)}"


def topic(metric: str, country: str) -> str:
    """operations in Iraq; the number killed in Iraq and Syria; attacks claimed by ISIS in Syria."""
    return f"{METRIC_TOPICS.get(metric) or metric_words(metric)} in {COUNTRY_WORDS.get(country, country)}"


def nouns(metrics: list[str]) -> list[str]:
    """Each metric's noun, 'ISIS operatives' said once: 'ISIS operatives killed', then just 'detained'."""
    out, said = [], False
    for metric in metrics:
        noun = METRIC_NOUNS[metric]
        out.append(noun.removeprefix("ISIS operatives ") if said else noun)
        said = said or noun.startswith("ISIS operatives ")
    return out


SHORT_NOUNS = {"operations": "operations", "partnered_operations": "partnered operations",
               "us_only_operations": "U.S.-only operations", "killed": "numbers killed", "detained": "numbers detained"}


def nouns_short(metrics: list[str]) -> list[str]:
    """operations; numbers killed; numbers detained (as things a sentence is about)."""
    return [SHORT_NOUNS[m] for m in metrics]


def source_name(kind: str, publisher: str, published: date | None, approx: bool, short: bool = False) -> str:
    """CENTCOM's release of 9 August 2023 (``short``: CENTCOM, 9 Aug 2023), or the outlet's name.
    A CENTCOM document reposted elsewhere says so: "... (as reposted by DVIDS)"."""
    if kind not in CENTCOM_KINDS:
        return publisher or "an unnamed outlet"
    word = "statement" if kind == "centcom_statement" else "release"
    if published is None:
        return "CENTCOM" if short else f"an undated CENTCOM {word}"
    if short:
        return f"CENTCOM, {day_short(published)}"
    name = f"CENTCOM's {word} of {'about ' if approx else ''}{day_name(published)}"
    if publisher and not any(k in publisher for k in ("Central Command", "CENTCOM", "CJTF")):
        name += f" (as reposted by {publisher})"
    return name



# --- data text in Markdown ---------------------------------------------------------------------------------------

_MARKUP = re.compile(r"([\\`*_\[\]!|~$])")
_BLOCK_START = re.compile(r"^(\s*)(?:([#+\->=])|(\d+)([.)]))")


def markdown_text(text: str) -> str:
    """A data string (a publisher's name) for Markdown, to be read as the text it is: no link, image,
    emphasis, code, math or block that the data did not earn. Markdown's punctuation is backslash-escaped,
    and so are a bare URL's "://" and "www."; ``&`` and ``<`` are left to the HTML step, which shows
    any raw HTML as text."""
    text = _MARKUP.sub(r"\\\1", str(text)).replace("://", r"\://").replace("www.", r"www\.")

    def block(m: re.Match) -> str:
        return m.group(1) + (f"\\{m.group(2)}" if m.group(2) else f"{m.group(3)}\\{m.group(4)}")

    return _BLOCK_START.sub(block, text)
