"""Period phrases and their dates: the table of phrases, one small resolver per kind, and merging."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ._patterns import _D1, _D2, _GAP, _M1, _M2, _MON, _NUMWORD, _Y1, _Y2, _YEAR, _date, _day, _g, _month, _number, _re

# --------------------------------------------------------------------------- period phrases

# (kind, words one of which the text needs - "M" a month name, "Y" a year -, pattern), in priority
# order: a phrase claims its words.
_PERIODS = (
    ("range", ("from", "between"),  # "from Oct. 1 to Nov. 6"
     _re(rf"\b(?:from|between)\s+{_M1}\s+{_D1}(?:,?\s+{_Y1})?,?\s*(?:to|through|until|till|and|-)\s*"
         rf"(?:{_M2}\s+)?{_D2}(?:,?\s+{_Y2})?")),
    ("range", ("M",), _re(rf"\b{_M1}\s+{_D1}(?:,?\s+{_Y1})?\s*(?:-|to|through)\s*{_M2}\s+{_D2}(?:,?\s+{_Y2})?")),
    ("since_day", ("since", "following", "after"),  # "since August 29", "following the Dec. 13 attack"
     _re(rf"\b(?:since|following|after)\s+(?:[\w'-]+\s+){{0,5}}?(?:on\s+)?{_M1}\s+{_D1}(?:,?\s+{_Y1})?"
         r"(?:\s+(?:attack|strike|raid|ambush|bombing|shooting))?")),
    ("since_month", ("since",),
     _re(rf"\bsince\s+(?:the\s+(?:beginning|start)\s+of\s+)?{_M1}(?:,?\s+{_Y1})?(?!\s*[0-9])")),
    ("since_year", ("since",), _re(rf"\bsince\s+(?:the\s+(?:beginning|start)\s+of\s+)?(?:the\s+year\b|{_Y1})")),
    ("this_year", ("this year", "so far", "to-date", "to date"),
     _re(rf"\b(?:so\s+far\s+this\s+year|so\s+far\s+in\s+{_Y1}|this\s+year|year[- ]to[- ]date)\b")),
    ("half", ("half", "six months"),  # "in the first half of 2024", "the first six months of 2024"
     _re(rf"\b(?:(?:in|during|for|over|throughout)\s+)?the\s+(?:{_g('h', 'first|second|1st|2nd')}\s+half|"
         rf"{_g('s', 'first|last')}\s+six\s+months)\s+of\s+(?:(?:the\s+)?(?:calendar\s+)?year\s+)?{_Y1}")),
    ("quarter", ("quarter",),
     _re(rf"\b(?:the\s+)?{_g('qn', 'first|second|third|fourth|1st|2nd|3rd|4th')}\s+quarter\s+of\s+"
         rf"(?:(?:calendar\s+)?year\s+)?{_Y1}")),
    ("relative", ("past", "last", "previous", "preceding"),  # "over the last six months", "in the past 60 days"
     _re(rf"\b(?:(?:over|in|during|for|within|throughout)\s+)?the\s+(?:past|last|previous|preceding)\s+"
         rf"(?:{_g('n', _NUMWORD + '|[0-9]{1,4}')}\s+)?{_g('u', 'hours?|days?|weeks?|fortnights?|months?|years?')}\b")),
    ("this_week", ("this week", "this month"),  # "this week", "so far this month"
     _re(r"\b(?:(?:so\s+far\s+)?this|earlier\s+this)\s+(?P<u>week|month)\b")),
    ("months", ("M",),  # "January through March 2024", "September and October"
     _re(rf"\b(?:(?:from|between|for|during|in|over|throughout)\s+)?(?:the\s+months\s+of\s+)?"
         rf"{_M1}(?!\s*[0-9]{{1,2}}\b)(?:,?\s+{_Y1})?\s*(?:\s(?:through|to|thru|until|and)\s|-)\s*"
         rf"{_M2}(?!\s*[0-9]{{1,2}}\b)(?:,?\s+{_Y2})?")),
    ("year", ("Y",),  # "Calendar year 2022", "Year in Review 2022", "in 2023"
     _re(rf"\b(?:calendar\s+year|CY)\s*{_Y1}|\b{_g('y2', _YEAR)}\s+year\s+in\s+review|"
         rf"\byear\s+in\s+review\W{{0,3}}{_g('y3', _YEAR)}|"
         rf"\b(?:in|during|for|throughout)\s+(?:the\s+year\s+)?{_g('y4', _YEAR)}(?!\s*[-/][0-9])")),
    ("month", ("M",), _re(rf"\b(?:(?:for|during|in|throughout|over)\s+)?(?:the\s+month\s+of\s+)?{_M1},?\s+{_Y1}")),
    ("month", ("M",), _re(rf"\b(?:for|during|in|throughout|the\s+month\s+of)\s+{_M1}(?!\s*[0-9])")),
    ("on_day", ("M",),  # a single day: "On Dec. 19, U.S. forces struck ..."
     _re(rf"\bon\s+(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,?\s+)?{_M1}\s+{_D1}(?:,?\s+{_Y1})?")),
)
_PERIOD_WORDS = tuple({w for period in _PERIODS for w in period[1] if len(w) > 1})
_MONTH_NAME, _YEAR_NUMBER = _re(_MON), _re(rf"\b{_YEAR}")
# Spans relative to the release, or given in days: adjacent ones merge, the most explicit winning.
_RANK_OF = {"range": 3, "since_day": 2, "since_month": 1, "since_year": 1, "this_year": 1, "relative": 0,
            "this_week": 0}
_MERGED = 9
_HALF = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "last": 2}
_QUARTER = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4}

def _month_end(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _minus_months(d: date, n: int) -> date | None:
    y, m0 = divmod(d.year * 12 + d.month - 1 - n, 12)
    if y < 1:
        return None
    return date(y, m0 + 1, min(d.day, calendar.monthrange(y, m0 + 1)[1]))


def _year_for(month: int, day: int, released: date | None) -> int | None:
    """The year of a yearless date: the release's, or the year before if that would follow the release."""
    if released is None:
        return None
    return released.year - 1 if (month, day) > (released.month, released.day) else released.year


# --------------------------------------------------------------------------- periods

@dataclass
class _Phrase:
    start: int
    end: int
    kind: str
    period: tuple[date, date] | None
    wording: str
    rank: int = -1  # see _RANK_OF
    words: str = ""  # the words of the text that say it


def _in_order(start: date | None, end: date | None) -> tuple[date, date] | None:
    return (start, end) if start and end and start <= end else None


def _range(g: dict, released: date | None, _hint: int | None) -> tuple[date, date] | None:
    """"from Oct. 1 to Nov. 6", "Jan. 1 - March 31, 2024"."""
    y1 = int(g["y1"]) if "y1" in g else None
    m1, d1 = _month(g["m1"]), _day(g["d1"])
    m2, d2 = (_month(g["m2"]) if "m2" in g else m1), _day(g["d2"])
    y2 = int(g["y2"]) if "y2" in g else (y1 if y1 and "m2" not in g else _year_for(m2, d2, released))
    if y2 is None:
        return None
    start, end = _date(y1 or y2, m1, d1), _date(y2, m2, d2)
    if start and end and start > end and not y1:  # "from Dec. 20 to Jan. 3"
        start = _date(y2 - 1, m1, d1)
    return _in_order(start, end)


def _on_day(g: dict, released: date | None, _hint: int | None) -> tuple[date, date] | None:
    """"on Oct. 22": that day."""
    m1, d1 = _month(g["m1"]), _day(g["d1"])
    y = int(g["y1"]) if "y1" in g else _year_for(m1, d1, released)
    d = _date(y, m1, d1) if y else None
    return (d, d) if d else None


def _months(g: dict, released: date | None, hint: int | None) -> tuple[date, date] | None:
    """"July 2023", "in July", "January through March 2024": the year from the text, the title or the release."""
    y1 = int(g["y1"]) if "y1" in g else None
    m1 = _month(g["m1"])
    m2 = _month(g["m2"]) if "m2" in g else m1
    if "y2" in g:
        y2 = int(g["y2"])
    elif y1 and "m2" not in g:
        y2 = y1
    else:
        y2 = hint or _year_for(m2, 1, released)
    if y2 is None:
        return None
    y1 = y1 or (y2 if m1 <= m2 else y2 - 1)
    return _in_order(date(y1, m1, 1), _month_end(y2, m2))


def _half(g: dict, _released: date | None, _hint: int | None) -> tuple[date, date]:
    h = _HALF[(g.get("h") or g["s"]).lower()]
    y = int(g["y1"])
    return date(y, 6 * h - 5, 1), _month_end(y, 6 * h)


def _quarter(g: dict, _released: date | None, _hint: int | None) -> tuple[date, date]:
    q = _QUARTER[g["qn"].lower()]
    y = int(g["y1"])
    return date(y, 3 * q - 2, 1), _month_end(y, 3 * q)


def _year(g: dict, _released: date | None, _hint: int | None) -> tuple[date, date]:
    y = int(g.get("y1") or g.get("y2") or g.get("y3") or g["y4"])
    return date(y, 1, 1), date(y, 12, 31)


# Spans that end at the release: each gives its first day, from the phrase's groups and the release date.
def _since_day(g: dict, released: date) -> date | None:
    m1, d1 = _month(g["m1"]), _day(g["d1"])
    return _date(int(g["y1"]) if "y1" in g else _year_for(m1, d1, released), m1, d1)


def _since_month(g: dict, released: date) -> date | None:
    m1 = _month(g["m1"])
    return date(int(g["y1"]) if "y1" in g else _year_for(m1, 1, released), m1, 1)


def _this_week(g: dict, released: date) -> date | None:
    """"this week": the seven days that end at the release; "this month": from the first of its month."""
    return released - timedelta(days=6) if g["u"].lower() == "week" else released.replace(day=1)


def _since_year(g: dict, released: date) -> date | None:
    return date(int(g["y1"]) if "y1" in g else released.year, 1, 1)


def _relative(g: dict, released: date) -> date | None:
    """Back from the release date, both ends included: 60 days = the release day and 59 before; "over the
    last six months" in a release of Dec. 17: from June 17."""
    n = _number(g["n"]) if "n" in g else 1
    unit = g["u"].lower().rstrip("s")
    if unit == "hour":  # "the past 48 hours": every day they reach into, 48 hours back from any hour of the release day
        return released - timedelta(days=-(-n // 24)) if n >= 1 else None
    if unit in _DAYS_IN:
        days = n * _DAYS_IN[unit]
        return released - timedelta(days=days - 1) if days >= 1 else None
    return _minus_months(released, n * (12 if unit == "year" else 1))


_DAYS_IN = {"day": 1, "week": 7, "fortnight": 14}
_CALENDAR = {"range": _range, "on_day": _on_day, "months": _months, "month": _months, "half": _half,
             "quarter": _quarter, "year": _year}
_TO_RELEASE = {"since_day": _since_day, "since_month": _since_month, "since_year": _since_year,
               "this_year": _since_year, "relative": _relative, "this_week": _this_week}


def _resolve(kind: str, m: re.Match, released: date | None, year_hint: int | None) -> tuple[date, date] | None:
    """Dates of a period phrase, by the resolver of its kind; None when they depend on a release date the
    text lacks or make no date."""
    g = {k: v for k, v in m.groupdict().items() if v}
    try:
        if kind in _CALENDAR:
            return _CALENDAR[kind](g, released, year_hint)
        if released is None:
            return None
        start = _TO_RELEASE[kind](g, released)
        return (start, released) if start and start <= released else None
    except (ValueError, OverflowError):
        return None


def _found(text: str, released: date | None, year_hint: int | None) -> list[_Phrase]:
    """Every period phrase of a unit, in text order; a phrase claims its words."""
    found: list[_Phrase] = []
    low = text.lower()
    present = {w for w in _PERIOD_WORDS if w in low}
    present |= {"M"} if _MONTH_NAME.search(text) else set()
    present |= {"Y"} if _YEAR_NUMBER.search(text) else set()
    for kind, needs, pattern in _PERIODS:
        if present.isdisjoint(needs):
            continue
        for m in pattern.finditer(text):
            if not any(m.start() < p.end and p.start < m.end() for p in found):
                found.append(_phrase(kind, m, released, year_hint))
    found.sort(key=lambda p: p.start)
    return found


def _phrase(kind: str, m: re.Match, released: date | None, year_hint: int | None) -> _Phrase:
    words = m.group().strip(" ,")
    if kind not in _RANK_OF:
        wording = ""  # a calendar period: its dates say it all
    else:  # "Over the last six months" -> "over the last six months"; a month keeps its capital
        wording = words if _MONTH_NAME.match(words) else words[0].lower() + words[1:]
    return _Phrase(m.start(), m.end(), kind, _resolve(kind, m, released, year_hint), wording,
                   _RANK_OF.get(kind, -1), words)


def _merges(text: str, last: _Phrase | None, p: _Phrase) -> bool:
    return bool(last and last.rank >= 0 and p.rank >= 0 and last.kind != p.kind
                and {last.kind, p.kind} & {"range", "since_day"} and _GAP.fullmatch(text, last.end, p.start))


def _phrases(text: str, released: date | None, year_hint: int | None) -> list[_Phrase]:
    """The period phrases of a unit in text order, adjacent ones ("over the past month, from Oct. 1 to
    Nov. 6") merged. Wording is kept for spans relative to the release or given in days."""
    merged: list[_Phrase] = []
    for p in _found(text, released, year_hint):
        last = merged[-1] if merged else None
        if _merges(text, last, p):
            best = max(last, p, key=lambda x: x.rank)
            merged[-1] = _Phrase(last.start, p.end, best.kind, best.period, f"{last.wording}; {p.wording}", _MERGED,
                                 text[last.start:p.end].strip(" ,"))
        else:
            merged.append(p)
    return merged


# A sentence that speaks again of the operations a paragraph counted ("The operations, carried out from
# March 3 to April 9, ..."): its explicit dates are theirs.
_ANAPHORA = _re(r"^\W*(?:(?:the|these|those|all|such|both)\s+(?:[\w-]+\s+){0,3}?"
                r"(?:operations|missions|raids|strikes|efforts)|they)\b")


def _overlap(a: tuple[date, date] | None, b: tuple[date, date] | None) -> bool:
    return bool(a and b and a[0] <= b[1] and b[0] <= a[1])


def _paragraph_dates(units: list[tuple[str, int]], phrases: list[list[_Phrase]]) -> list[list[_Phrase]]:
    """Explicit dates in a sentence of a paragraph (a line) that speaks again of its operations win over
    the vague wording ("over the past month") of that paragraph, for every count it dates."""
    ranges: dict[int, dict] = {}
    for (text, line), ps in zip(units, phrases):
        if _ANAPHORA.search(text):
            for p in ps:
                if p.kind == "range" and p.rank == _RANK_OF["range"] and p.period:
                    ranges.setdefault(line, {})[p.period] = p
    if not ranges:
        return phrases
    out = []
    for (_, line), ps in zip(units, phrases):
        explicit = list(ranges.get(line, {}).values())
        if len(explicit) != 1:
            out.append(ps)
            continue
        (r,) = explicit
        out.append([_Phrase(p.start, p.end, r.kind, r.period, f"{p.wording}; {r.wording}", _MERGED,
                            f"{p.words} ... {r.words}")
                    if 0 <= p.rank <= 1 and _overlap(p.period, r.period) else p for p in ps])
    return out
