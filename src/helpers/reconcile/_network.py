"""The monthly series as intervals: every figure in use bounds a sum of months, and the bounds propagate.

Variables are (range of months, country, metric). Relations tie them together:

* months: a range's figure is the sum of its months;
* pieces: a range is the sum of a range nested in it and what is left over (a half year is its
  first quarter plus the second quarter), so spans can be derived before their months are known;
* countries: the all-country figure is Iraq's plus Syria's;
* reading: partnered <= operations <= partnered + U.S.-only, which holds whichever way a source
  counts its headline, so it never assumes a reading.

Groups are added best first (see ``level``); a group that would leave some variable with no
possible value is set aside. Propagation is interval arithmetic on integers, so every derived
value follows exactly from the figures in use. Each bound remembers what set it, for the notes.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import groupby

from ..months import aligned, month_end, month_index
from ._groups import INF, Group

COUNTRIES = ("all", "iraq", "syria")
FAMILIES = {
    "operations": ("operations", "partnered_operations", "us_only_operations"),
    "killed": ("killed",),
    "detained": ("detained",),
}
FAMILY_OF = {m: f for f, ms in FAMILIES.items() for m in ms}
STEP_LIMIT = 200  # relation evaluations per relation before a propagation is taken as a conflict

Range = tuple[int, int]
VarKey = tuple[Range, str, str]


@dataclass(frozen=True, slots=True)
class Relation:
    kind: str  # months | pieces | countries | reading
    whole: int  # for reading: the operations variable
    parts: tuple[int, ...]  # for reading: (partnered, U.S.-only)


def group_bounds(group: Group) -> list[tuple[VarKey, float, float]]:
    """What a group says about sums of whole months.

    A period of whole months bounds that range. Any other period bounds from above the whole
    months inside it and from below the months it touches (counts are never negative).
    """
    first, last = month_index(group.start), month_index(group.end)
    c, m = group.country, group.metric
    if aligned(group.start, group.end):
        return [(((first, last), c, m), group.lo, group.hi)]
    out = []
    inner = (first + (group.start.day != 1), last - (group.end != month_end(last)))
    if inner[0] <= inner[1] and group.hi < INF:
        out.append(((inner, c, m), 0, group.hi))
    if group.lo > 0:
        out.append((((first, last), c, m), group.lo, INF))
    return out


def cover(group: Group) -> Range:
    return (month_index(group.start), month_index(group.end))


def level(group: Group) -> tuple:
    """The rank of a group among all groups: lower comes first.

    CENTCOM's own figures first, monthly before multi-month, the latest statement first; then
    outlets quoting CENTCOM; then outlets' own figures. Among outlets the figure more publishers
    give comes first, except for the operations family, where monthly figures come before
    multi-month ones because a multi-month total may count U.S.-only operations differently.
    Groups of the same level are equals: when they contradict each other, none of them is used.
    """
    monthly = 0 if (aligned(group.start, group.end) and cover(group)[0] == cover(group)[1]) else 1
    if group.tier == 0:
        return (0, monthly, -group.latest, 0)
    if FAMILY_OF[group.metric] == "operations":
        return (group.tier, monthly, -group.support, 0)
    return (group.tier, -group.support, monthly, 0)


def nested(ranges: set[Range]) -> list[tuple[Range, Range]]:
    """(outer, inner) pairs of multi-month ranges, the inner one inside the outer one."""
    multi = sorted(r for r in ranges if r[0] < r[1])
    return [(o, i) for o in multi for i in multi if i != o and o[0] <= i[0] and i[1] <= o[1]]


def pieces(outer: Range, inner: Range) -> list[Range]:
    """The outer range cut into what comes before the inner range, the inner range, and what follows."""
    return [p for p in ((outer[0], inner[0] - 1), inner, (inner[1] + 1, outer[1])) if p[0] <= p[1]]


def close_ranges(ranges: set[Range], months: Range) -> set[Range]:
    """The ranges, every month, and the pieces of a range around a range nested in it."""
    out = set(ranges) | {(m, m) for m in range(months[0], months[1] + 1)}
    for outer, inner in nested(ranges):
        out.update(pieces(outer, inner))
    return out


class Network:
    """Variables and relations for one family of metrics over one stretch of months."""

    def __init__(self, metrics: tuple[str, ...], ranges: set[Range], months: Range):
        self.metrics = metrics
        self.ranges = sorted(close_ranges(ranges, months))
        self.keys: list[VarKey] = [(r, c, m) for r in self.ranges for c in COUNTRIES for m in metrics]
        self.index = {k: i for i, k in enumerate(self.keys)}
        self.relations: list[Relation] = []
        for r in self.ranges:
            if r[0] < r[1]:
                self._add_sums("months", r, [(m, m) for m in range(r[0], r[1] + 1)])
            for m in metrics:
                self._add("countries", (r, "all", m), [(r, "iraq", m), (r, "syria", m)])
            if "us_only_operations" in metrics:
                for c in COUNTRIES:
                    self._add("reading", (r, c, "operations"),
                              [(r, c, "partnered_operations"), (r, c, "us_only_operations")])
        for outer, inner in nested(ranges):
            self._add_sums("pieces", outer, pieces(outer, inner))
        self.touch: list[list[int]] = [[] for _ in self.keys]
        for i, rel in enumerate(self.relations):
            for v in (rel.whole, *rel.parts):
                self.touch[v].append(i)

    def _add(self, kind: str, whole: VarKey, parts: list[VarKey]) -> None:
        self.relations.append(Relation(kind, self.index[whole], tuple(self.index[p] for p in parts)))

    def _add_sums(self, kind: str, whole: Range, parts: list[Range]) -> None:
        for c in COUNTRIES:
            for m in self.metrics:
                self._add(kind, (whole, c, m), [(p, c, m) for p in parts])


class Conflict(Exception):
    """Some variable has no possible value left."""


class State:
    """Bounds of every variable and what set them (a relation index, or -1 - gid for a group)."""

    __slots__ = ("lo", "hi", "lo_src", "hi_src")

    def __init__(self, n: int = 0):
        self.lo: list[float] = [0] * n
        self.hi: list[float] = [INF] * n
        self.lo_src: list[int | None] = [None] * n
        self.hi_src: list[int | None] = [None] * n

    def copy(self) -> "State":
        s = State()
        s.lo, s.hi, s.lo_src, s.hi_src = self.lo[:], self.hi[:], self.lo_src[:], self.hi_src[:]
        return s

    def tighten(self, v: int, lo: float, hi: float, src: int, changed: list[int]) -> None:
        moved = False
        if lo > self.lo[v]:
            self.lo[v], self.lo_src[v], moved = lo, src, True
        if hi < self.hi[v]:
            self.hi[v], self.hi_src[v], moved = hi, src, True
        if moved:
            if self.lo[v] > self.hi[v]:
                raise Conflict(v)
            changed.append(v)


def _others_high(total: float, infinite: int, own: float) -> float:
    """Sum of the other parts' upper bounds, given the finite total and how many are unbounded."""
    if own == INF:
        return total if infinite == 1 else INF
    return INF if infinite else total - own


def _evaluate(rel: Relation, s: State, r: int, changed: list[int]) -> None:
    lo, hi = s.lo, s.hi
    if rel.kind == "reading":
        o, (p, u) = rel.whole, rel.parts
        s.tighten(o, lo[p], hi[p] + hi[u], r, changed)
        s.tighten(p, lo[o] - hi[u], hi[o], r, changed)
        s.tighten(u, lo[o] - hi[p], INF, r, changed)
        return
    w, parts = rel.whole, rel.parts
    sum_lo = sum(lo[p] for p in parts)
    finite = [hi[p] for p in parts if hi[p] != INF]
    infinite = len(parts) - len(finite)
    sum_hi = sum(finite)
    s.tighten(w, sum_lo, sum_hi if not infinite else INF, r, changed)
    for p in parts:
        s.tighten(p, lo[w] - _others_high(sum_hi, infinite, hi[p]), hi[w] - (sum_lo - lo[p]), r, changed)


def propagate(net: Network, s: State, start: list[int]) -> None:
    """Narrow every bound the relations allow, starting from the variables that changed."""
    queue = deque(sorted({r for v in start for r in net.touch[v]}))
    queued = set(queue)
    budget = STEP_LIMIT * max(len(net.relations), 1)
    while queue:
        r = queue.popleft()
        queued.discard(r)
        budget -= 1
        if budget < 0:
            raise Conflict(None)
        changed: list[int] = []
        _evaluate(net.relations[r], s, r, changed)
        for v in changed:
            for r2 in net.touch[v]:
                if r2 not in queued:
                    queue.append(r2)
                    queued.add(r2)


def apply(net: Network, s: State, groups: list[Group], together: bool = False) -> State | None:
    """A copy of the state with the groups added, or None when they cannot all hold.

    Each group's bounds are propagated as it is added; with ``together``, every group's bounds are set
    first and propagated once: the same bounds when all the groups hold (propagation reaches one
    fixpoint whatever the order), in fewer steps, but a bound's recorded source may differ."""
    s = s.copy()
    changed: list[int] = []
    try:
        for g in groups:
            for key, lo, hi in group_bounds(g):
                s.tighten(net.index[key], lo, hi, -1 - g.gid, changed)
            if not together:
                propagate(net, s, changed)
                changed = []
        propagate(net, s, changed)  # what the groups set together (nothing left where they were propagated one by one)
    except Conflict:
        return None
    return s


@dataclass
class Solution:
    """One family over one stretch of months: the network, the final bounds, the groups in use."""

    net: Network
    state: State
    used: list[Group]
    months: Range


def solve(metrics: tuple[str, ...], months: Range, groups: list[Group]) -> Solution:
    """Add the groups best first; set aside those that contradict better ones, and equals that clash."""
    ranges = {key[0] for g in groups for key, _, _ in group_bounds(g)}
    net = Network(metrics, ranges, months)
    state = State(len(net.keys))
    used: list[Group] = []
    for _, same in groupby(sorted(groups, key=lambda g: (level(g), g.gid)), key=level):
        before, taken = state, []
        for g in same:
            after = apply(net, state, [g])
            if after is not None:
                state = after
                taken.append(g)
                continue
            if apply(net, before, [g]) is None:
                g.status, g.reason = "rejected", "outranked"
                continue
            clash = [d for d in taken if apply(net, before, [x for x in taken if x is not d] + [g]) is not None]
            g.status, g.reason = "rejected", "tie"
            for d in clash:
                d.status, d.reason = "rejected", "tie"
            taken = [d for d in taken if d not in clash]
            state = apply(net, before, taken)
        used.extend(taken)
    return Solution(net, state, used, months)


def components(groups: list[Group]) -> list[tuple[Range, list[Group]]]:
    """Stretches of months that no group in use crosses, with their groups."""
    spans = sorted((cover(g), g.gid, g) for g in groups)
    out: list[tuple[Range, list[Group]]] = []
    for (a, b), _, g in spans:
        if out and a <= out[-1][0][1]:
            (a0, b0), members = out[-1]
            out[-1] = ((a0, max(b0, b)), members + [g])
        else:
            out.append(((a, b), [g]))
    return out


class Series:
    """The solved network for every family, with lookups by variable."""

    def __init__(self, groups: list[Group]):
        self.solutions: list[Solution] = []
        self.where: dict[VarKey, tuple[Solution, int]] = {}
        self.group_by_id = {g.gid: g for g in groups}
        for family, metrics in FAMILIES.items():
            members = [g for g in groups if g.status == "used" and FAMILY_OF[g.metric] == family]
            for months, comp in components(members):
                sol = solve(metrics, months, comp)
                self.solutions.append(sol)
                for i, key in enumerate(sol.net.keys):
                    self.where[key] = (sol, i)
        for g in groups:
            if g.status == "rejected":
                g.against = self.against(g)

    def bounds(self, key: VarKey) -> tuple[float, float]:
        if key not in self.where:
            return 0, INF
        sol, i = self.where[key]
        return sol.state.lo[i], sol.state.hi[i]

    def value(self, key: VarKey) -> int | None:
        lo, hi = self.bounds(key)
        return int(lo) if lo == hi else None

    def sources(self, key: VarKey) -> tuple[int | None, int | None]:
        """What set the lower and the upper bound: a relation index, -1 - gid, or None."""
        if key not in self.where:
            return None, None
        sol, i = self.where[key]
        return sol.state.lo_src[i], sol.state.hi_src[i]

    def relation(self, key: VarKey, src: int) -> tuple[str, VarKey, list[VarKey]]:
        sol, _ = self.where[key]
        rel = sol.net.relations[src]
        return rel.kind, sol.net.keys[rel.whole], [sol.net.keys[p] for p in rel.parts]

    def violated(self, g: Group) -> tuple[VarKey, float, float, int | None]:
        """The variable a set-aside group contradicts, its bounds, and what set the bound it breaks."""
        for key, glo, ghi in group_bounds(g):
            lo, hi = self.bounds(key)
            lo_src, hi_src = self.sources(key)
            if glo > hi:
                return key, lo, hi, hi_src
            if ghi < lo:
                return key, lo, hi, lo_src
        key = group_bounds(g)[0][0]
        lo, hi = self.bounds(key)
        return key, lo, hi, self.sources(key)[0]

    def against(self, g: Group) -> str:
        """What a set-aside group contradicts: months, pieces, countries, reading, group, or ""."""
        key, _, _, src = self.violated(g)
        if src is None:
            return ""
        return "group" if src < 0 else self.relation(key, src)[0]
