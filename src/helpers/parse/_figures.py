"""Figures within a unit: count phrases (hits), their countries, and a release's scope."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._layout import _Unit
from ._patterns import (
    _AMONG_THEM,
    _ANY_NUM,
    _CAMPS,
    _CLAUSE_END,
    _CORE,
    _COUNTRY,
    _NOT_A_COUNT,
    _PERSON_METRIC,
    _Q,
    _QUALIFIER_BEFORE,
    _RULE_WORDS,
    _RULES,
    _TAIL_OPS,
    _TAIL_PERSON,
    _VERB,
    _number,
    _qualifier,
)

# --------------------------------------------------------------------------- figures within a unit

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


def _verb_kinds(*verbs: str | None) -> frozenset:
    return frozenset("killed" if v[:4].lower() in ("kill", "deat") else "detained" for v in verbs if v)


def _overlapping(pattern: re.Pattern, text: str):
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        yield m
        pos = m.start() + 1


def _hits(text: str, previous_kinds: frozenset, last_unit: bool) -> tuple[list[_Hit], list[str]]:
    """The count phrases of one unit, each number read once, by the first rule of _RULES that fits."""
    hits: list[_Hit] = []
    notes: list[str] = []
    # Most rules start with the count: try them only where a count (or its qualifier) starts.
    starts = []
    for n in _ANY_NUM.finditer(text):
        q = _QUALIFIER_BEFORE.search(text, max(0, n.start() - 20), n.start())
        starts.append(q.start() if q else n.start())
    if not starts:
        return hits, notes

    taken = bytearray(len(text))  # the characters a hit has read

    def scan(pattern: re.Pattern, read) -> None:
        if pattern.pattern.startswith(_Q):
            matches = [m for m in (pattern.match(text, s) for s in starts) if m]
        else:
            matches = _overlapping(pattern, text)
        for m in matches:
            if any(taken[m.start():m.end()]):
                continue
            if m["n"][0].isdigit() and _NOT_A_COUNT.search(text, max(0, m.start("n") - 20), m.start("n")):
                continue
            hit = read(m)
            if hit is not None:
                hits.append(hit)
                taken[m.start():m.end()] = b"\1" * (m.end() - m.start())

    def count(m, metric):
        return _Hit(m.start(), m.end(), metric, _number(m["n"]), _qualifier(m))

    def ops(m, _=None):
        g = m.groupdict()
        metric = ("partnered_operations" if g.get("p") or g.get("pp") else
                  "us_only_operations" if g.get("u") or g.get("uu") else "operations")
        return _Hit(m.start(), m.end(), metric, _number(m["n"]), _qualifier(m), alongside=bool(g.get("along")))

    def people(m, _=None):
        kinds = _verb_kinds(m["v1"], m["v2"])
        return _Hit(m.start(), m.end(), _PERSON_METRIC[(bool(m.groupdict().get("lead")), kinds)],
                    _number(m["n"]), _qualifier(m), kinds)

    def leaders(m, _=None):
        # Killed or captured: the verb after them, else the people counted just before them ("30 operatives
        # killed, including three senior leaders"), else the verbs before them in the sentence, else those
        # of the sentence before ("Among them were ...").
        window = max(0, m.start() - 300)  # the words before them that can speak of them
        after = re.split(r"[.;,0-9]", text[m.end():m.end() + 300], maxsplit=1)[0]
        kinds = _verb_kinds(*_VERB.findall(after))
        if not kinds:
            near = [h for h in hits if window <= h.start < m.start()]
            since = max([h.end for h in near if h.metric.startswith("leaders")], default=window)
            kinds = frozenset().union(*[h.kinds for h in near if since <= h.start])
        if not kinds:
            kinds = _verb_kinds(*_VERB.findall(text, window, m.start()))
        if not kinds and _AMONG_THEM.search(text, window, m.start()):
            kinds = previous_kinds
        if not kinds:
            notes.append(f"leaders in {m.group()!r}: killed or captured is not said; skipped")
            return None
        return _Hit(m.start(), m.end(), _PERSON_METRIC[(True, kinds)], _number(m["n"]), _qualifier(m), kinds)

    def camps(m, metric):
        n = m["n"]
        if not n[0].isdigit() or _number(n) < 1000 or ("," not in n and 1900 <= _number(n) < 2100):
            return None  # the camps hold thousands; 2019 is a year
        return count(m, metric) if _CAMPS.search(text) else None

    readers = {"count": count, "ops": ops, "people": people, "leaders": leaders, "camps": camps}
    low = text.lower()
    present = {w for w in _RULE_WORDS if w in low}
    for reader, metric, needs, pattern in _RULES:
        if not present.isdisjoint(needs):
            scan(pattern, lambda m: readers[reader](m, metric))
    if last_unit:  # only words the cut can still mean: "No U.S.-only o" is U.S.-only operations
        part = (tail := _TAIL_OPS.search(text)) and tail["part"].lower()
        if part and any(w.startswith(part) and w != part for w in ("operation", "operations", "mission", "missions")):
            scan(_TAIL_OPS, ops)
            notes.append(f"the text ends mid-item: read {tail.group()!r} as operations")
        part = (tail := _TAIL_PERSON.search(text)) and tail["part"].lower()
        verbs = [v for v in ("killed", "detained", "captured", "arrested") if part and v.startswith(part) and v != part]
        if verbs:
            kinds = _verb_kinds(verbs[0])
            scan(_TAIL_PERSON, lambda m: _Hit(m.start(), m.end(), _PERSON_METRIC[(bool(m["lead"]), kinds)],
                                              _number(m["n"]), _qualifier(m), kinds))
            notes.append(f"the text ends mid-item: read {tail.group()!r} as {verbs[0]}")
    hits.sort(key=lambda h: h.start)
    return hits, notes


def _mentions(text: str) -> list[tuple[int, str]]:
    """Country mentions of a unit: (position, "iraq" / "syria" / "all")."""
    out = []
    for m in _COUNTRY.finditer(text):
        a, b = (m["a"] or m["h"]).lower(), (m["b"] or "").lower()
        out.append((m.start(), "all" if b and b != a else a))
    return out


def _country(unit: _Unit, hit: _Hit, hits: list[_Hit], mentions: list[tuple[int, str]]) -> str | None:
    """The first mention after the figure in its clause ("14 unilateral operations in Syria"), else the
    last one before it ("In Iraq, 66 partnered operations"), else the sentence's only country, else the
    block; None when the text does not say."""
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
    named = {c for _, c in mentions}
    if len(named) == 1:
        return named.pop()
    return unit.block


def _scope(units: list[_Unit], found: list[list[_Hit]], title: str | None) -> str:
    """'syria' for a release that speaks of Syria alone, else 'all'. The evidence: the title, the headers
    and the sentences with operations, killed or detained counts (else every sentence)."""
    def seen(pairs) -> set[str]:
        out = set()
        for unit, _ in pairs:
            out.update(c for _, c in _mentions(unit.text))
            out.update(c for c in (unit.block, *(unit.columns or ())) if c)
        return out

    pairs = [(u, h) for u, h in zip(units, found) if u.kind != "headline"]
    evidence = seen(p for p in pairs if p[0].kind == "header" or any(x.metric in _CORE for x in p[1]))
    evidence |= {c for _, c in _mentions(title or "")}
    if not evidence:
        evidence = seen(pairs)
    return "syria" if evidence == {"syria"} else "all"
