"""Figures within a unit: count phrases (hits), their countries, and a release's scope.

A unit is read by the rule table of ``_patterns`` (each number once, by the first rule that fits), each
rule's match handed to a small reader that makes it a hit, or nothing. Then: a bare count paired with a
count of leaders ("nine senior leaders killed and 30 captured") is leaders too, and an operations count
inside a side clause ("which included two raids in Iraq") is a part of a larger count, not a figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ._layout import _Unit
from ._patterns import (
    _AMONG_THEM,
    _ANOTHER_BEFORE,
    _ANY_NUM,
    _CAMPS,
    _CLAUSE_END,
    _CORE,
    _COUNTRY,
    _HAS_NOUN,
    _NOT_A_COUNT,
    _PAIR_GAP,
    _PERSON_METRIC,
    _Q,
    _QUALIFIER_BEFORE,
    _RULE_WORDS,
    _RULES,
    _SIDE_CLAUSE,
    _TAIL_OPS,
    _TAIL_PERSON,
    _VERB,
    _number,
    _qualifier,
)


@dataclass
class _Hit:
    start: int
    end: int
    metric: str
    value: int
    qualifier: str
    kinds: frozenset = frozenset()  # for people: {"killed"}, {"detained"} or both
    column: str | None = None  # the country of its column, in a two-column list
    alongside: bool = False  # "N operations (conducted) alongside partners": partnered in a country's count only
    words: str = ""  # the words read: what set its metric
    another: bool = False  # "another 12", "a further nine": in the scope of the count before it
    why: str = ""  # how the metric was worked out, where not from its own words


@dataclass
class _Reading:
    """The state of reading one unit: its text, where counts start, what is read so far."""

    text: str
    previous_kinds: frozenset
    starts: list[int]
    taken: bytearray
    hits: list[_Hit] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _verb_kinds(*verbs: str | None) -> frozenset:
    return frozenset("killed" if v[:4].lower() in ("kill", "deat") else "detained" for v in verbs if v)


def _overlapping(pattern: re.Pattern, text: str):
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        yield m
        pos = m.start() + 1


def _hit(m: re.Match, metric: str, **kw) -> _Hit:
    return _Hit(m.start(), m.end(), metric, _number(m["n"]), _qualifier(m), words=m.group(), **kw)


# --------------------------------------------------------------------------- readers: a match -> a hit

_SKIP = _Hit(0, 0, "", 0, "")  # a number read as nothing: it counts something that is not tallied


def _read_count(r: _Reading, m: re.Match, metric: str) -> _Hit:
    return _hit(m, metric)


def _read_skip(r: _Reading, m: re.Match, what: str) -> _Hit:
    return _SKIP


def _read_ops(r: _Reading, m: re.Match, _metric: str) -> _Hit:
    g = m.groupdict()
    metric = ("partnered_operations" if g.get("p") or g.get("pp") else
              "us_only_operations" if g.get("u") or g.get("uu") else "operations")
    return _hit(m, metric, alongside=bool(g.get("along")))


def _read_people(r: _Reading, m: re.Match, _metric: str) -> _Hit:
    kinds = _verb_kinds(m["v1"], m["v2"])
    return _hit(m, _PERSON_METRIC[(bool(m.groupdict().get("lead")), kinds)], kinds=kinds)


def _leader_kinds(r: _Reading, m: re.Match) -> frozenset:
    """Killed or captured: the verb after them, else the people counted just before them ("30 operatives
    killed, including three senior leaders"), else the verbs before them in the sentence, else those of
    the sentence before ("Among them were ...")."""
    text = r.text
    window = max(0, m.start() - 300)  # the words before them that can speak of them
    after = re.split(r"[.;,0-9]", text[m.end():m.end() + 300], maxsplit=1)[0]
    kinds = _verb_kinds(*_VERB.findall(after))
    if not kinds:
        near = [h for h in r.hits if window <= h.start < m.start()]
        since = max([h.end for h in near if h.metric.startswith("leaders")], default=window)
        kinds = frozenset().union(*[h.kinds for h in near if since <= h.start])
    if not kinds:
        kinds = _verb_kinds(*_VERB.findall(text, window, m.start()))
    if not kinds and _AMONG_THEM.search(text, window, m.start()):
        kinds = r.previous_kinds
    return kinds


def _read_leaders(r: _Reading, m: re.Match, _metric: str) -> _Hit | None:
    kinds = _leader_kinds(r, m)
    if not kinds:
        r.notes.append(f"leaders in {m.group()!r}: killed or captured is not said; skipped")
        return None
    return _hit(m, _PERSON_METRIC[(True, kinds)], kinds=kinds)


def _read_camps(r: _Reading, m: re.Match, metric: str) -> _Hit | None:
    n = m["n"]
    if not n[0].isdigit() or _number(n) < 1000 or ("," not in n and 1900 <= _number(n) < 2100):
        return None  # the camps hold thousands; 2019 is a year
    return _hit(m, metric) if _CAMPS.search(r.text) else None


_READERS = {"count": _read_count, "skip": _read_skip, "ops": _read_ops, "people": _read_people,
            "leaders": _read_leaders, "camps": _read_camps}


def _matches(r: _Reading, pattern: re.Pattern):
    """Matches of a rule: where a count starts for rules that start with one, anywhere else."""
    if pattern.pattern.startswith(_Q):
        return [m for m in (pattern.match(r.text, s) for s in r.starts) if m]
    return _overlapping(pattern, r.text)


def _is_count(r: _Reading, m: re.Match) -> bool:
    if any(r.taken[m.start():m.end()]):
        return False
    return not (m["n"][0].isdigit() and _NOT_A_COUNT.search(r.text, max(0, m.start("n") - 20), m.start("n")))


def _scan(r: _Reading, pattern: re.Pattern, read) -> None:
    for m in _matches(r, pattern):
        if not _is_count(r, m):
            continue
        hit = read(m)
        if hit is None:
            continue
        r.taken[m.start():m.end()] = b"\1" * (m.end() - m.start())
        if hit is not _SKIP:
            hit.another = bool(_ANOTHER_BEFORE.search(r.text, max(0, m.start("n") - 40), m.start("n")))
            r.hits.append(hit)


# --------------------------------------------------------------------------- a text cut off mid-item

def _tail_ops(r: _Reading) -> None:
    part = (tail := _TAIL_OPS.search(r.text)) and tail["part"].lower()
    if part and any(w.startswith(part) and w != part for w in ("operation", "operations", "mission", "missions")):
        _scan(r, _TAIL_OPS, lambda m: _read_ops(r, m, ""))
        r.notes.append(f"the text ends mid-item: read {tail.group()!r} as operations")


def _tail_person(r: _Reading) -> None:
    part = (tail := _TAIL_PERSON.search(r.text)) and tail["part"].lower()
    verbs = [v for v in ("killed", "detained", "captured", "arrested") if part and v.startswith(part) and v != part]
    if verbs:
        kinds = _verb_kinds(verbs[0])
        _scan(r, _TAIL_PERSON, lambda m: _hit(m, _PERSON_METRIC[(bool(m["lead"]), kinds)], kinds=kinds))
        r.notes.append(f"the text ends mid-item: read {tail.group()!r} as {verbs[0]}")


# --------------------------------------------------------------------------- after the rules

def _side_clauses(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SIDE_CLAUSE.finditer(text)] if ("," in text or "(" in text) else []


def _pair_leaders(r: _Reading) -> None:
    """A bare count ("and 30 captured", "capturing 30") paired with a count of leaders before it counts
    leaders too: the noun of the pair is leaders."""
    for before, hit in zip(r.hits, r.hits[1:]):
        if (hit.metric in ("killed", "detained", "killed_or_detained") and not _HAS_NOUN.search(hit.words)
                and before.metric.startswith("leaders") and _HAS_NOUN.search(before.words)
                and _PAIR_GAP.fullmatch(r.text, before.end, hit.start)):
            hit.metric = _PERSON_METRIC[(True, hit.kinds)]
            hit.why = f"paired with {before.words!r}"


def _drop_parts(r: _Reading) -> None:
    """Operations of no kind counted inside a side clause ("which included two raids in Iraq") are part of
    a count, not a figure of their own; a breakdown by kind ("among them 21 unilateral operations") is."""
    sides = _side_clauses(r.text)
    parts = [h for h in r.hits if h.metric == "operations" and any(a <= h.start < b for a, b in sides)]
    for h in parts:
        r.hits.remove(h)
        r.notes.append(f"{h.words!r} in a side clause is part of a larger count; not a figure")


def _hits(text: str, previous_kinds: frozenset, last_unit: bool) -> tuple[list[_Hit], list[str]]:
    """The count phrases of one unit, each number read once, by the first rule of _RULES that fits."""
    # Most rules start with the count: try them only where a count (or its qualifier) starts.
    starts = []
    for n in _ANY_NUM.finditer(text):
        q = _QUALIFIER_BEFORE.search(text, max(0, n.start() - 20), n.start())
        starts.append(q.start() if q else n.start())
    r = _Reading(text, previous_kinds, starts, bytearray(len(text)))
    if not starts:
        return r.hits, r.notes
    low = text.lower()
    present = {w for w in _RULE_WORDS if w in low}
    for reader, metric, needs, pattern in _RULES:
        if not present.isdisjoint(needs):
            read = _READERS[reader]
            _scan(r, pattern, lambda m, read=read, metric=metric: read(r, m, metric))
    if last_unit:  # only words the cut can still mean: "No U.S.-only o" is U.S.-only operations
        _tail_ops(r)
        _tail_person(r)
    r.hits.sort(key=lambda h: h.start)
    _pair_leaders(r)
    _drop_parts(r)
    return r.hits, r.notes


# --------------------------------------------------------------------------- countries

def _mentions(text: str) -> list[tuple[int, str, tuple[int, int] | None, str]]:
    """Country mentions of a unit: (position, "iraq" / "syria" / "all", the side clause it sits in, words)."""
    sides = _side_clauses(text)
    out = []
    for m in _COUNTRY.finditer(text):
        a, b = (m["a"] or m["h"]).lower(), (m["b"] or "").lower()
        side = next(((s, e) for s, e in sides if s <= m.start() < e), None)
        out.append((m.start(), "all" if b and b != a else a, side, repr(m.group().strip())))
    return out


def _country(unit: _Unit, hit: _Hit, hits: list[_Hit], mentions: list) -> tuple[str | None, str]:
    """The first mention after the figure in its clause ("14 unilateral operations in Syria"), else the
    last one before it ("In Iraq, 66 partnered operations"), else the sentence's only country, else the
    block; None when the text does not say. A mention in a side clause counts only for the figures in it.
    With the words that say so."""
    mentions = [(pos, (c, words)) for pos, c, side, words in mentions
                if side is None or side[0] <= hit.start < side[1]]
    text = unit.text
    nxt = min([h.start for h in hits if h.start >= hit.end] + [len(text), hit.end + 80])
    stop = _CLAUSE_END.search(text, hit.end, nxt)
    limit = stop.start() if stop else nxt
    after = [c for pos, c in mentions if hit.end <= pos < limit]
    if after:
        return after[0]
    before = [c for pos, c in mentions if pos < hit.start]
    if before:
        return before[-1]
    named = {c for _, (c, _) in mentions}
    if len(named) == 1:
        return next(m for _, m in mentions)
    return unit.block, (f"the block under {unit.block.title()}" if unit.block else "")


def _scope(units: list[_Unit], found: list[list[_Hit]], title: str | None) -> str:
    """'syria' for a release that speaks of Syria alone, else 'all'. The evidence: the title, the headers
    and the sentences with operations, killed or detained counts (else every sentence); not a country
    named in a side clause, which speaks of a part ("95 operations, including 59 in Syria")."""
    def seen(pairs) -> set[str]:
        out = set()
        for unit, _ in pairs:
            out.update(m[1] for m in _mentions(unit.text) if m[2] is None)
            out.update(c for c in (unit.block, *(unit.columns or ())) if c)
        return out

    pairs = [(u, h) for u, h in zip(units, found) if u.kind != "headline"]
    evidence = seen(p for p in pairs if p[0].kind == "header" or any(x.metric in _CORE for x in p[1]))
    evidence |= {m[1] for m in _mentions(title or "")}
    if not evidence:
        evidence = seen(pairs)
    return "syria" if evidence == {"syria"} else "all"
