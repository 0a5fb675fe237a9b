"""Layout of a release: characters normalised, units (items, headers, sentences), blocks and columns,
and the release's date, number and title."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from ._patterns import (
    _ABBREV,
    _ANY_NUM,
    _DAY,
    _HEADER,
    _INLINE_HEADER,
    _ITEM,
    _LETTERS,
    _MON,
    _SENTENCE_END,
    _SENTENCE_INSIDE,
    _YEAR,
    _date,
    _day,
    _g,
    _month,
    _re,
)

# --------------------------------------------------------------------------- release metadata

_MDY = rf"{_g('m', _MON)}\s+{_g('d', _DAY)},?\s+{_g('y', _YEAR)}"  # Aug. 9, 2023
_DMY = rf"{_g('d', _DAY)}\s+{_g('m', _MON)},?\s+{_g('y', _YEAR)}"  # 9 Aug 2023
_ISO = r"(?P<y>(?:19|20)[0-9]{2})-(?P<m>[01][0-9])-(?P<d>[0-3][0-9])(?![0-9])"  # 2023-08-09
_NUMERIC = r"(?P<m>[01]?[0-9])[./](?P<d>[0-3]?[0-9])[./](?P<y>(?:19|20)[0-9]{2})\b"  # 08.09.2023, month first
_DATE_LINES = tuple(  # "Press Release | Aug. 9, 2023", "Posted On: Aug 9, 2023 10:15 AM", "Date: 08.09.2023"
    _re(r"^(?:[\w .-]*\|\s*)?(?:(?:posted|published|updated|date|released)(?:\s+on)?\s*:?\s*)?" + d
        + r"(?:\s*(?:\|.*|(?:,|at|-)?\s*[0-9]{1,2}:[0-9]{2}.*|T[0-9].*))?$")
    for d in (_MDY, _DMY, _ISO, _NUMERIC)
) + (_re(rf"^[A-Z][\w .,'-]{{1,40}}\(\s*{_MDY}\s*\)"),)  # dateline: "TAMPA, Fla. (Nov. 12, 2025) -"
_NOT_AFTER = r"(?<!since )(?<!from )(?<!until )(?<!through )(?<!to )(?<!and )(?<!on )(?<!between )(?<!after )"
_ANY_DATES = (_re(_NOT_AFTER + _MDY), _re(_NOT_AFTER + _DMY))
_RELEASE_NUMBER = _re(r"\bRelease\s+(?:Number|No\.?|#)\s*:?\s*(?P<a>[0-9]{8})\s*-\s*(?P<b>[0-9]{1,3})\b")
_PRESS_LINE = _re(r"^\s*(?:press|news)\s+release\s*\|")
_TITLE_WORDS = _re(r"ISIS|Daesh|Islamic\s+State|Defeat|Review|Iraq|Syria")
_KEY_VALUE = re.compile(r"[a-z]+:\s")  # "url: ..." lines a copy may start with: not a title

_CHARS = str.maketrans({
    "\ufeff": "", "\u200b": "", "\u200c": "", "\u200d": "", "\u2060": "", "\u00ad": "",
    "\u00a0": " ", "\u2007": " ", "\u2009": " ", "\u202f": " ", "\u3000": " ", "\t": " ",
    "\u2002": " ", "\u2003": " ", "\u2004": " ", "\u2005": " ", "\u2006": " ", "\u2008": " ", "\u200a": " ",
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
})


def _is_headline(line: str, share: float = 0.8) -> bool:
    """A short line in Title Case without a full stop: a page or related-story headline, not prose."""
    words = [w for w in re.findall(r"[A-Za-z][A-Za-z'-]*", line) if len(w) > 3]
    if len(words) < 2 or len(line) > 160 or line.rstrip().endswith((".", ":", '"')):
        return False
    return sum(w[0].isupper() for w in words) >= share * len(words)


def _sentences(line: str) -> list[str]:
    out, start = [], 0
    for m in _SENTENCE_END.finditer(line):
        token = re.search(r"[\w.]*$", line[max(start, m.start() - 20):m.start()], re.A).group()
        if "." in token or (len(token) == 1 and token.isalpha()) or token.lower() in _ABBREV:
            continue  # "U.S. Central Command", "Gen. Kurilla", "Aug. 29"
        out.append(line[start:m.end()].strip())
        start = m.end()
    out.append(line[start:].strip())
    return [s for s in out if s]


# --------------------------------------------------------------------------- units

@dataclass
class _Unit:
    text: str
    line: int
    kind: str  # "prose", "item", "header" or "headline"
    block: str | None = None  # country of the "In Iraq:" block the unit sits in
    columns: tuple[str, str] | None = None  # countries of a two-column list


@dataclass
class _Cutter:
    """Where the cut of a text into units stands: the block and the two columns open, and the state:
    "header" (prose under a header), "counted" (that prose had numbers), "items" (in a list)."""

    units: list[_Unit] = field(default_factory=list)
    block: str | None = None
    columns: tuple[str, str] | None = None
    state: str = ""


def _header(c: _Cutter, line: str, no: int) -> bool:
    """ "In Iraq:" opens a block; "In Iraq In Syria" two columns."""
    head = _HEADER.match(line)
    if not (head and len(line) < 60):
        return False
    a, b = head["a"].lower(), (head["b"] or "").lower()
    c.block, c.columns = (None, (a, b)) if b and b != a else (a, None)
    c.state = "header"
    c.units.append(_Unit(line, no, "header", c.block, c.columns))
    return True


def _item(c: _Cutter, line: str, no: int) -> bool:
    """A list item, or a header with its items on one line ("In Iraq: 33 partnered operations, ...")."""
    inline = _INLINE_HEADER.match(line)
    if inline and _ITEM.match(inline["rest"]):
        c.block, c.columns, c.state = inline["a"].lower(), None, "items"
        c.units.append(_Unit(line, no, "item", c.block))
        return True
    if _ITEM.match(line) and not _SENTENCE_INSIDE.search(line):
        c.state = "items"
        c.units.append(_Unit(line, no, "item", c.block, c.columns))
        return True
    return False


def _prose(c: _Cutter, line: str, no: int) -> None:
    """A headline, or sentences of prose; prose after the items, or without numbers after prose with
    them, ends the block."""
    c.columns = None
    if _is_headline(line):
        c.units.append(_Unit(line, no, "headline"))
        return
    numbers = bool(_ANY_NUM.search(line))
    if c.state == "items" or (c.state == "counted" and not numbers):
        c.block = None
    c.state = "counted" if c.block and (numbers or c.state == "counted") else c.state
    c.units.extend(_Unit(s, no, "prose", c.block) for s in _sentences(line))


def _units(lines: list[str]) -> list[_Unit]:
    """Cut the text into units, tracking country blocks and two-column lists.

    A block ("In Syria:") covers the item lines below it; prose right under its header belongs to it
    too, until a prose line without numbers follows one with them. Prose after the items ends it."""
    c = _Cutter()
    for no, raw in enumerate(lines, 1):
        line = " ".join(raw.split())
        if not line or _header(c, line, no) or _item(c, line, no):
            continue
        if _LETTERS.search(line):  # not "-30-"
            _prose(c, line, no)
    return c.units


# --------------------------------------------------------------------------- metadata

def _release_date(lines: list[str]) -> date | None:
    """The first date line ("Press Release | Aug. 9, 2023", "Aug 9, 2023", a dateline); failing that, the
    first full date in running text that no "since", "from", "on"... makes part of a period."""
    press = [line for line in lines if _PRESS_LINE.match(line)]  # before a sidebar's dates
    for line in press + lines:
        s = line.strip()
        for pattern in _DATE_LINES:
            m = pattern.search(s)
            d = m and _date(int(m["y"]), int(m["m"]) if m["m"].isdigit() else _month(m["m"]), _day(m["d"]))
            if d:
                return d
    text = "\n".join(lines)
    dates = [m for pattern in _ANY_DATES for m in pattern.finditer(text)]
    for m in sorted(dates, key=lambda m: m.start()):
        d = _date(int(m["y"]), _month(m["m"]), _day(m["d"]))
        if d:
            return d
    return None


def _title(lines: list[str]) -> str | None:
    """The line after "Press Release | date", else the first headline-like line about ISIS, Iraq or Syria."""
    for i, line in enumerate(lines):
        if _PRESS_LINE.match(line):
            for nxt in lines[i + 1:i + 6]:
                s = " ".join(nxt.split())
                if s and not any(p.search(s) for p in _DATE_LINES):
                    if len(s) <= 200 and not s.endswith("."):
                        return s
                    break
    for line in lines[:80]:
        s = " ".join(line.split())
        if not _KEY_VALUE.match(s) and _is_headline(s, 0.75) and _TITLE_WORDS.search(s):
            return s
    return None
