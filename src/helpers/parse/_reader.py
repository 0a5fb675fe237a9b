"""The release reader: two passes over the units of a release text, and the figures they yield.

First pass: the count phrases of each unit (``_figures``). Second pass: each count's period and country,
then one figure per period, country and metric. A second, different value for a key is first read as
another metric (leaders, another group than ISIS); only when none fits is it a warning.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .._files import MAX_TEXT_BYTES, read_limited
from ..errors import ParseError, ValueTooLarge
from ..vocab import whole_number
from ._figures import _country, _Hit, _hits, _mentions, _scope
from ._layout import _CHARS, _RELEASE_NUMBER, _release_date, _title, _Unit, _units
from ._patterns import (
    _ANY_NUM,
    _CORE,
    _FIXED_COUNTRY,
    _HAS_NOUN,
    _INSTANT,
    _LEADER_WORDS,
    _OPS_WORDS,
    _OTHER_GROUP,
    _PEOPLE_NOUN,
    _PERSON_METRIC,
    _SPELLED_OUT,
    _date,
    _number,
)
from ._periods import _MERGED, _paragraph_dates, _Phrase, _phrases


@dataclass(frozen=True)
class Figure:
    """One figure a release states: ``value`` (with ``qualifier``) of ``metric`` for a country and period."""

    period_start: date
    period_end: date
    country: str
    metric: str
    value: int
    qualifier: str = "exact"
    period_wording: str = ""


@dataclass(frozen=True)
class Explanation:
    """Where a figure comes from: the sentence (or list item) and its line, and the words that set its
    metric, its country and its period."""

    figure: Figure
    line: int
    sentence: str
    metric_words: str
    country_words: str
    period_words: str


@dataclass
class Release:
    """What a release text yields: its figures, date, number and title, warnings about the reading, and
    where each figure comes from (``explanations``, in the order of ``figures``)."""

    figures: list[Figure]
    release_date: date | None
    release_number: str | None
    title: str | None
    warnings: list[str] = field(default_factory=list)
    explanations: list[Explanation] = field(default_factory=list, repr=False, compare=False)


@dataclass
class _Placed:
    """A count with its period and country (None where only the release's scope says), and the words."""

    unit: _Unit
    hit: _Hit
    period: tuple[date, date]
    wording: str
    country: str | None
    country_words: str
    period_words: str


# --------------------------------------------------------------------------- first pass

def _columns(unit: _Unit, hits: list[_Hit], pending: _Hit | None, warnings: list[str]):
    """Items of a two-column list get their column's country; returns (hits, the cell waiting for its pair)."""
    if len(hits) == 2:  # "20 partnered operations 11 partnered operations"
        hits[0].column, hits[1].column = unit.columns
    elif len(hits) == 1 and pending and pending.metric == hits[0].metric:
        pending.column, hits[0].column = unit.columns
        return hits, None
    elif len(hits) == 1:
        return hits, hits[0]
    elif hits:
        warnings.append(f"line {unit.line}: {len(hits)} figures under two columns; skipped")
        return [], pending
    return hits, pending


def _read_counts(units: list[_Unit], warnings: list[str]) -> list[list[_Hit]]:
    """First pass: the count phrases of each unit; items of a two-column list get their column's country."""
    last = max((i for i, u in enumerate(units) if u.kind != "header"), default=-1)
    found: list[list[_Hit]] = []
    previous_kinds: frozenset = frozenset()
    pending: _Hit | None = None  # the first cell of a two-column row cut into two lines
    for i, unit in enumerate(units):
        hits, notes = _hits(unit.text, previous_kinds, i == last) if unit.kind != "headline" else ([], [])
        warnings.extend(f"line {unit.line}: {n}" for n in notes)
        if unit.columns:
            hits, pending = _columns(unit, hits, pending, warnings)
        found.append(hits)
        previous_kinds = frozenset().union(*[h.kinds for h in hits]) if hits else previous_kinds
    for unit, hits in zip(units, found):
        if unit.columns and any(h.column is None for h in hits):
            warnings.append(f"line {unit.line}: a figure under two columns without its pair; skipped")
            hits.clear()
    return found


# --------------------------------------------------------------------------- second pass: period and country

def _unit_phrases(units: list[_Unit], released: date | None, year_hint: int | None) -> list[list[_Phrase]]:
    """The period phrases of each unit. Relative words read beside explicit dates ("over the past month,
    from Oct. 1 to Nov. 6") mean those dates wherever the release uses them; explicit dates of a paragraph
    win over its vague words."""
    phrases = [_phrases(u.text, released, year_hint) for u in units]
    aliases = {w.strip().lower(): p for ps in phrases for p in ps if p.rank == _MERGED for w in p.wording.split(";")}
    phrases = [[aliases.get(p.wording.lower(), p) if 0 <= p.rank < _MERGED else p for p in ps] for ps in phrases]
    return _paragraph_dates([(u.text, u.line) for u in units], phrases)


def _distance(a, b) -> int:
    """Characters between two spans of a unit (0 when they touch or overlap)."""
    return max(a.start - b.end, b.start - a.end, 0)


def _period(hit: _Hit, hits: list[_Hit], phrases: list[_Phrase], released: date | None,
            context: _Phrase | None) -> tuple[tuple[date, date], str, str] | None:
    """A count's period, wording and the words that say it: the nearest period phrase of its sentence,
    else (point-in-time metrics) the release date, else the period the release is about."""
    candidates = phrases
    if hit.metric in _INSTANT:  # only a date of its own: "On Dec. 19, U.S. forces struck 70 targets"
        candidates = [p for p in phrases if min(hits, key=lambda h: _distance(p, h)) is hit]
    phrase = min(candidates, key=lambda p: _distance(p, hit), default=None)
    if phrase is not None and phrase.period:
        return phrase.period, phrase.wording, repr(phrase.words)
    if hit.metric in _INSTANT and released:
        return (released, released), "", "the release date (a figure of a moment)"
    if context is not None:
        return context.period, context.wording, f"{context.words!r}, the period the release is about"
    return None


def _locate(units: list[_Unit], found: list[list[_Hit]], released: date | None, year_hint: int | None,
            about: _Phrase | None, warnings: list[str]) -> list[_Placed]:
    """Each count's period and country. ``about`` is the title's period, if any: the period of counts
    that no sentence dates."""
    placed = []
    context = about  # the period the release is about, so far
    for unit, hits, phrases in zip(units, found, _unit_phrases(units, released, year_hint)):
        mentions = _mentions(unit.text)
        for hit in hits:
            country, words = _where(unit, hit, hits, mentions)
            when = _period(hit, hits, phrases, released, context)
            if when is None:
                warnings.append(f"line {unit.line}: no period for {hit.value} {hit.metric}; skipped")
                continue
            placed.append(_Placed(unit, hit, when[0], when[1], country, words, when[2]))
        # The period a release is about: the last span of a sentence that counts operations or speaks of them.
        spans = [p for p in phrases if p.period and p.kind != "on_day"]
        if spans and (any(h.metric in _CORE for h in hits) or _OPS_WORDS.search(unit.text)):
            context = spans[-1]
    return placed


def _where(unit: _Unit, hit: _Hit, hits: list[_Hit], mentions: list) -> tuple[str | None, str]:
    if hit.metric in _FIXED_COUNTRY:
        return _FIXED_COUNTRY[hit.metric], "the metric's own country (the camps are in Syria)"
    if hit.column:
        return hit.column, f"its column ({hit.column.title()})"
    return _country(unit, hit, hits, mentions)


# --------------------------------------------------------------------------- second pass: one figure per key

def _counts_leaders(text: str, hit: _Hit) -> bool:
    """A count without a noun of its own ("and 16 were detained") whose clause last named leaders."""
    if _HAS_NOUN.search(hit.words) or not hit.kinds:
        return False
    clause = re.split(r"[.;:]\s", text[:hit.start])[-1]
    nouns = _PEOPLE_NOUN.findall(clause)
    return bool(nouns) and bool(_LEADER_WORDS.fullmatch(nouns[-1]))


def _other_reading(p: _Placed) -> tuple[str, str] | None:
    """A value that conflicts with one read earlier, read as another metric: (metric, why); metric ""
    when it counts another group than ISIS. None when no other reading fits."""
    text, hit = p.unit.text, p.hit
    if hit.metric in ("killed", "detained", "killed_or_detained") and _counts_leaders(text, hit):
        return _PERSON_METRIC[(True, hit.kinds)], "a bare count after leaders: the noun of the pair is leaders"
    if _OTHER_GROUP.search(text, max(0, hit.start - 80), hit.end + 40):
        return "", "it counts another group than ISIS"
    return None


def _scoped(p: _Placed, stated: dict, scope: str) -> tuple[str, str]:
    """A count with no country of its own takes the release's scope, unless that country states its own,
    different count: then it is the total for both ("CENTCOM conducted 95 operations ... In Syria, 59")."""
    if p.country is not None:
        return p.country, p.country_words
    own = stated.get((p.period, scope, p.hit.metric))
    if own and own != (p.hit.value, p.hit.qualifier):
        return "all", f"no country of its own; {scope.title()} states its own, different count: the total"
    return scope, f"no country of its own: the release's scope ({'Iraq and Syria' if scope == 'all' else 'Syria'})"


def _explained(p: _Placed, fig: Figure, country_words: str, why: str = "") -> Explanation:
    metric_words = repr(p.hit.words) + (f" ({p.hit.why})" if p.hit.why else "") + (f" ({why})" if why else "")
    return Explanation(fig, p.unit.line, p.unit.text, metric_words, country_words, p.period_words)


def _keep(placed: list[_Placed], scope: str, warnings: list[str]) -> list[Explanation]:
    """One figure per period, country and metric; a conflicting value is read as another metric where one
    fits, else warned about (the first is kept)."""
    stated = {(p.period, p.country, p.hit.metric): (p.hit.value, p.hit.qualifier) for p in placed if p.country}
    kept: dict[tuple, Explanation] = {}
    for p in placed:
        country, words = _scoped(p, stated, scope)
        # "95 operations alongside Iraqi partners" as a headline is the headline total
        metric = "operations" if p.hit.alongside and country == "all" else p.hit.metric
        fig = Figure(p.period[0], p.period[1], country, metric, p.hit.value, p.hit.qualifier, p.wording)
        key = (fig.period_start, fig.period_end, fig.country, fig.metric)
        if key not in kept:
            kept[key] = _explained(p, fig, words)
            continue
        first = kept[key].figure
        if (first.value, first.qualifier) == (fig.value, fig.qualifier):
            continue
        other = _other_reading(p)
        if other and other[0] == "":
            continue
        if other:
            fig = Figure(fig.period_start, fig.period_end, country, other[0], fig.value, fig.qualifier,
                         fig.period_wording)
            key = (fig.period_start, fig.period_end, fig.country, fig.metric)
            if key not in kept:
                kept[key] = _explained(p, fig, words, f"read as {other[0]}: {other[1]}")
                continue
            if (kept[key].figure.value, kept[key].figure.qualifier) == (fig.value, fig.qualifier):
                continue
        warnings.append(f"line {p.unit.line}: {first.country} {first.metric} {first.period_start}..{first.period_end}"
                        f": {_show(fig)} conflicts with {_show(first)} read earlier; kept the first")
    return list(kept.values())


def _show(fig: Figure) -> str:
    return f"{fig.value}" if fig.qualifier == "exact" else f"{fig.value} ({fig.qualifier})"


# --------------------------------------------------------------------------- public API

def _normalised(text: str) -> str:
    text = text.translate(_CHARS)
    if "(" in text:  # "five (5) members": the numeral once
        text = _SPELLED_OUT.sub(lambda m: m[2] if _ANY_NUM.fullmatch(m[1]) and _number(m[1]) == whole_number(m[2])
                                else m[0], text)
    return text


def parse_text(text: str, name: str = "<text>") -> Release:
    """Parse the text of a release into figures; ParseError (only) when it states none."""
    text = _normalised(text)
    lines = text.splitlines()
    number = _RELEASE_NUMBER.search(text)
    release_number = f"{number['a']}-{number['b']}" if number else None
    released = _release_date(lines)
    if released is None and number:  # "Release Number 20230809-01" is dated
        released = _date(int(number["a"][:4]), int(number["a"][4:6]), int(number["a"][6:]))
    title = _title(lines)
    warnings: list[str] = []
    if released is None:
        warnings.append("no release date found: spans relative to it are not read")
    about = next((p for p in _phrases(title or "", released, None) if p.period and p.kind != "on_day"), None)
    year_hint = about.period[1].year if about else None

    units = _units(lines)
    found = _read_counts(units, warnings)
    placed = _locate(units, found, released, year_hint, about, warnings)
    explanations = _keep(placed, _scope(units, found, title), warnings)
    if not explanations:
        skipped = sum("no period for" in w for w in warnings)
        why = f" ({skipped} count(s) without a period{'; no release date found' if released is None else ''})"
        raise ParseError(f"{name}: no figures found{why if skipped else ''}")
    return Release([e.figure for e in explanations], released, release_number, title, warnings, explanations)


def parse_file(path) -> Release:
    """Read a release file (UTF-8, BOM and CRLF tolerated) and parse it; ParseError names the file."""
    try:
        data = read_limited(path, MAX_TEXT_BYTES, ParseError)  # /dev/zero, a 20 MB text: one line
    except OSError as e:
        raise ParseError(f"{path}: cannot read: {e.strerror or e}") from None
    warnings = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        warnings.append("not valid UTF-8: read as Windows-1252")
    try:
        release = parse_text(text, str(path))
    except ValueTooLarge as e:  # values have a maximum (vocab.MAX_VALUE)
        raise ParseError(f"{path}: {e}") from None
    release.warnings[:0] = warnings
    return release
