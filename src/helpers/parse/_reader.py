"""The release reader: two passes over the units, the public API and ``tally parse``."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ..errors import ParseError
from ..vocab import bounds
from ._figures import _country, _Hit, _hits, _mentions, _scope
from ._layout import _CHARS, _RELEASE_NUMBER, _release_date, _title, _Unit, _units
from ._patterns import _ANY_NUM, _CORE, _FIXED_COUNTRY, _INSTANT, _OPS_WORDS, _SPELLED_OUT, _date, _number
from ._periods import _MERGED, _Phrase, _phrases


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


@dataclass
class Release:
    """What a release text yields: its figures, date, number and title, and warnings about the reading."""

    figures: list[Figure]
    release_date: date | None
    release_number: str | None
    title: str | None
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Check:
    """A headline total against its country breakdown, under each reading that applies."""

    period_start: date
    period_end: date
    metric: str
    headline: int
    sums: tuple[tuple[str, int], ...]  # (reading, breakdown sum), e.g. ("partnered", 31)
    holds: tuple[str, ...]  # the readings that agree with the headline; empty: none does
    message: str

    @property
    def ok(self) -> bool:
        return bool(self.holds)


# --------------------------------------------------------------------------- public API

def _read_counts(units: list[_Unit], warnings: list[str]) -> list[list[_Hit]]:
    """First pass: the count phrases of each unit; items of a two-column list get their column's country."""
    last = max((i for i, u in enumerate(units) if u.kind != "header"), default=-1)
    found: list[list[_Hit]] = []
    previous_kinds: frozenset = frozenset()
    pending: _Hit | None = None  # the first cell of a two-column row cut into two lines
    for i, unit in enumerate(units):
        hits, notes = _hits(unit.text, previous_kinds, i == last) if unit.kind != "headline" else ([], [])
        warnings.extend(f"line {unit.line}: {n}" for n in notes)
        if unit.columns and len(hits) == 2:  # "20 partnered operations 11 partnered operations"
            hits[0].column, hits[1].column = unit.columns
        elif unit.columns and len(hits) == 1 and pending and pending.metric == hits[0].metric:
            pending.column, hits[0].column = unit.columns
            pending = None
        elif unit.columns and len(hits) == 1:
            pending = hits[0]
        elif unit.columns and hits:
            warnings.append(f"line {unit.line}: {len(hits)} figures under two columns; skipped")
            hits = []
        found.append(hits)
        previous_kinds = frozenset().union(*[h.kinds for h in hits]) if hits else previous_kinds
    for unit, hits in zip(units, found):
        if unit.columns and any(h.column is None for h in hits):
            warnings.append(f"line {unit.line}: a figure under two columns without its pair; skipped")
            hits.clear()
    return found


def _place(units: list[_Unit], found: list[list[_Hit]], released: date | None, year_hint: int | None,
           about: _Phrase | None, scope: str, warnings: list[str]) -> list[Figure]:
    """Second pass: each count's period and country; one figure per period, country and metric. ``about``
    is the title's period, if any: the period of counts that no sentence dates."""
    phrases = [_phrases(u.text, released, year_hint) for u in units]
    # Relative words read beside explicit dates ("over the past month, from Oct. 1 to Nov. 6") mean those
    # dates wherever the release uses them.
    aliases = {w.strip().lower(): p for ps in phrases for p in ps if p.rank == _MERGED for w in p.wording.split(";")}
    placed = []  # (line, hit, period, wording, country or None where only the release's scope says)
    context = about  # the period the release is about, so far
    for unit, hits, unit_phrases in zip(units, found, phrases):
        unit_phrases = [aliases.get(p.wording.lower(), p) if 0 <= p.rank < _MERGED else p for p in unit_phrases]
        mentions = _mentions(unit.text)
        for hit in hits:
            country = _FIXED_COUNTRY.get(hit.metric) or hit.column or _country(unit, hit, hits, mentions)
            candidates = unit_phrases
            if hit.metric in _INSTANT:  # only a date of its own: "On Dec. 19, U.S. forces struck 70 targets"
                candidates = [p for p in unit_phrases if min(hits, key=lambda h: _distance(p, h)) is hit]
            phrase = min(candidates, key=lambda p: _distance(p, hit), default=None)
            if phrase is not None and phrase.period:
                placed.append((unit.line, hit, phrase.period, phrase.wording, country))
            elif hit.metric in _INSTANT and released:
                placed.append((unit.line, hit, (released, released), "", country))
            elif context is not None:
                placed.append((unit.line, hit, context.period, context.wording, country))
            else:
                warnings.append(f"line {unit.line}: no period for {hit.value} {hit.metric}; skipped")
        # The period a release is about: the last span of a sentence that counts operations or speaks of them.
        spans = [p for p in unit_phrases if p.period and p.kind != "on_day"]
        if spans and (any(h.metric in _CORE for h in hits) or _OPS_WORDS.search(unit.text)):
            context = spans[-1]
    # A count with no country of its own takes the release's scope, unless that country states its own,
    # different count: then it is the total for both ("CENTCOM conducted 95 operations ... In Syria, 59").
    stated = {(period, country, hit.metric): (hit.value, hit.qualifier)
              for _, hit, period, _, country in placed if country}
    figures: list[Figure] = []
    first: dict[tuple, Figure] = {}
    for line, hit, period, wording, country in placed:
        if country is None:
            own = stated.get((period, scope, hit.metric))
            country = "all" if own and own != (hit.value, hit.qualifier) else scope
        # "95 operations alongside Iraqi partners" as a headline is the headline total
        metric = "operations" if hit.alongside and country == "all" else hit.metric
        fig = Figure(period[0], period[1], country, metric, hit.value, hit.qualifier, wording)
        key = (fig.period_start, fig.period_end, fig.country, fig.metric)
        if key not in first:
            first[key] = fig
            figures.append(fig)
        elif (first[key].value, first[key].qualifier) != (fig.value, fig.qualifier):
            warnings.append(f"line {line}: {fig.country} {fig.metric} {fig.period_start}..{fig.period_end}"
                            f": {_show(fig)} conflicts with {_show(first[key])} read earlier; kept the first")
    return figures


def parse_text(text: str, name: str = "<text>") -> Release:
    """Parse the text of a release into figures; ParseError (only) when it states none."""
    text = text.translate(_CHARS)
    if "(" in text:
        text = _SPELLED_OUT.sub(lambda m: m[2] if _ANY_NUM.fullmatch(m[1]) and _number(m[1]) == int(m[2])
                                else m[0], text)
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
    figures = _place(units, found, released, year_hint, about, _scope(units, found, title), warnings)
    if not figures:
        skipped = sum("no period for" in w for w in warnings)
        why = f" ({skipped} count(s) without a period{'; no release date found' if released is None else ''})"
        raise ParseError(f"{name}: no figures found{why if skipped else ''}")
    return Release(figures, released, release_number, title, warnings)


def _distance(a, b) -> int:
    """Characters between two spans of a unit (0 when they touch or overlap)."""
    return max(a.start - b.end, b.start - a.end, 0)


def _show(fig: Figure) -> str:
    return f"{fig.value}" if fig.qualifier == "exact" else f"{fig.value} ({fig.qualifier})"


def parse_file(path) -> Release:
    """Read a release file (UTF-8, BOM and CRLF tolerated) and parse it; ParseError names the file."""
    try:
        data = Path(path).read_bytes()
    except OSError as e:
        raise ParseError(f"{path}: cannot read: {e.strerror or e}") from None
    warnings = []
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
        warnings.append("not valid UTF-8: read as Windows-1252")
    release = parse_text(text, str(path))
    release.warnings[:0] = warnings
    return release


def checks(release: Release) -> list[Check]:
    """Headline totals against the country breakdown: operations under both readings (partnered only;
    partnered plus U.S.-only), killed and detained as Iraq plus Syria. Qualified figures ("more than
    22") agree when their ranges meet (helpers.vocab.bounds). Never fatal."""
    by = {(f.period_start, f.period_end, f.country, f.metric): f for f in release.figures}
    out = []
    for (start, end, country, metric), head in by.items():
        if country != "all" or metric not in ("operations", "killed", "detained"):
            continue

        def get(c: str, m: str) -> Figure | None:
            return by.get((start, end, c, m))

        if metric == "operations":
            partnered = [get(c, "partnered_operations") or get(c, "operations") for c in ("iraq", "syria")]
            if None in partnered:
                continue
            readings = [("partnered", partnered)]
            us_only = [f for f in (get("iraq", "us_only_operations"), get("syria", "us_only_operations")) if f]
            if us_only:
                readings.append(("partnered+us_only", partnered + us_only))
        else:
            parts = [get("iraq", metric), get("syria", metric)]
            if None in parts:
                continue
            readings = [("iraq+syria", parts)]
        low, high = bounds(head.value, head.qualifier)
        sums, holds, said = [], [], []
        for label, parts in readings:
            b = [bounds(p.value, p.qualifier) for p in parts]
            s_low = sum(x for x, _ in b)
            s_high = None if any(y is None for _, y in b) else sum(y for _, y in b)
            total = sum(p.value for p in parts)
            ok = (high is None or s_low <= high) and (s_high is None or low <= s_high)
            sums.append((label, total))
            holds += [label] if ok else []
            said.append(f"{label} {'+'.join(str(p.value) for p in parts)}={total} {'holds' if ok else 'differs'}")
        verdict = f"{' and '.join(holds)} {'hold' if len(holds) > 1 else 'holds'}" if holds else "neither reading holds"
        message = f"{start}..{end} {metric}: headline {_show(head)}; {'; '.join(said)}: {verdict}"
        out.append(Check(start, end, metric, head.value, tuple(sums), tuple(holds), message))
    return out


CSV_FIELDS = ("file", "period_start", "period_end", "country", "metric", "value", "qualifier",
              "period_wording", "release_date", "release_number", "title")


def run_parse(files: list[str], as_json: bool, stdout, stderr) -> int:
    """The body of ``tally parse FILE...``: figures as CSV (or JSON) on stdout; warnings, failed checks
    and unreadable or figureless files on stderr. 1 when a file yielded no figures, else 0."""
    rows, failed = [], []
    writer = None
    if not as_json:
        writer = csv.DictWriter(stdout, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
    for path in files:
        try:
            release = parse_file(path)
        except ParseError as e:
            failed.append(str(e))
            continue
        for w in release.warnings:
            print(f"{path}: warning: {w}", file=stderr)
        for c in checks(release):
            if not c.ok:
                print(f"{path}: check: {c.message}", file=stderr)
        for f in release.figures:
            row = {"file": str(path), "period_start": f.period_start.isoformat(),
                   "period_end": f.period_end.isoformat(), "country": f.country, "metric": f.metric,
                   "value": f.value, "qualifier": f.qualifier, "period_wording": f.period_wording,
                   "release_date": release.release_date.isoformat() if release.release_date else None,
                   "release_number": release.release_number, "title": release.title}
            if writer:
                writer.writerow({k: "" if v is None else v for k, v in row.items()})
            else:
                rows.append(row)
    if as_json:
        json.dump(rows, stdout, indent=1, ensure_ascii=False)
        stdout.write("\n")
    for message in failed:
        print(f"tally parse: {message}", file=stderr)
    return 1 if failed else 0
