"""Who said what, and why a bound is what it is: the sentences behind notes and explanations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from ..months import aligned, month_index
from ..words import COUNTRY_WORDS, METRIC_NOUNS, during, join, limits, month_list, months_phrase, qualified
from ._groups import INF, Claim, Group
from ._network import Series, VarKey, group_bounds


@dataclass
class Context:
    """Everything the tables and checks look things up in."""

    claims: list[Claim]
    groups: list[Group]
    series: Series
    by_key: dict[tuple, Group] = field(default_factory=dict)
    direct: dict[VarKey, list[Group]] = field(default_factory=lambda: defaultdict(list))
    by_source: dict[str, list[Claim]] = field(default_factory=lambda: defaultdict(list))

    def __post_init__(self):
        for g in self.groups:
            self.by_key[g.key] = g
            if g.metric in METRIC_NOUNS:
                for key, _, _ in group_bounds(g):
                    self.direct[key].append(g)
        for c in self.claims:
            self.by_source[c.source_id].append(c)

    def group(self, gid: int) -> Group:
        return self.groups[gid]

    def month_group(self, key: VarKey) -> Group | None:
        """The group stating this range of whole months itself (used or not)."""
        for g in self.direct.get(key, []):
            if aligned(g.start, g.end) and (month_index(g.start), month_index(g.end)) == key[0]:
                return g
        return None


def ordered(claims: list[Claim]) -> list[Claim]:
    """CENTCOM's own first, then by date and source."""
    return sorted(claims, key=lambda c: (c.tier != 0, c.sort_date, c.source_id, c.id))


def who(claims: list[Claim], limit: int = 4) -> str:
    """CENTCOM's release of 9 August 2023, Kurdistan24 and Rudaw."""
    return join([c.name for c in ordered(claims)], limit)


def says(claims: list[Claim], figure: str) -> str:
    """Kurdistan24 and Rudaw give 37; with several figures, who gives each: "A gives more than 12 and B nearly 18"."""
    by_figure: dict[str, list[Claim]] = {}
    for c in ordered(claims):
        by_figure.setdefault(qualified(c.value, c.qualifier), []).append(c)
    if len(by_figure) > 1 and figure == figure_text(claims):
        parts = [says(cs, f) for f, cs in by_figure.items()]
        return parts[0] + "".join(f", and {p}" for p in parts[1:])
    names = list(dict.fromkeys(c.name for c in claims))
    return f"{who(claims)} {'gives' if len(names) == 1 else 'give'} {figure}"


def source_ids(claims: list[Claim]) -> str:
    return ";".join(sorted({c.source_id for c in claims}))


def claim_ids(claims: list[Claim]) -> str:
    return ";".join(sorted({c.id for c in claims}))


def figure_text(claims: list[Claim]) -> str:
    """The figures as printed: 37, or "more than 12 and nearly 18"."""
    return join(sorted({qualified(c.value, c.qualifier) for c in claims}, key=lambda t: (len(t), t)))


def span(lo: float, hi: float) -> str:
    """37; at least 14; at most 95; between 8 and 31; any number."""
    return limits(lo, hi) or "any number"


def range_phrase(key: VarKey) -> str:
    """January to July 2023 (a variable's months)."""
    return months_phrase(*key[0])


def figure_of(ctx: Context, key: VarKey) -> str:
    """A variable's figure with where it comes from: "81 (Task & Purpose and Thin Line News)"."""
    lo, hi = ctx.series.bounds(key)
    g = ctx.month_group(key)
    if g is not None and g.status == "used" and lo == hi:
        return f"{int(lo)} ({who(g.accepted, 3)})"
    if lo == hi:
        return f"{int(lo)} (derived)"
    return span(lo, hi)


def reason(ctx: Context, key: VarKey, src: int | None, side: str = "both") -> str:
    """Why a variable's lower ("lo"), upper ("hi") or both bounds are what they are: a clause after "because"."""
    if src is None:
        return "counts are never negative"
    if src < 0:
        g = ctx.group(-1 - src)
        return f"{says(g.accepted, qualified_group(g))} {during(g.start, g.end)}"
    kind, whole, parts = ctx.series.relation(key, src)
    others = [p for p in parts if p != key]
    if kind in ("months", "pieces"):
        if key == whole:
            return f"its parts ({join([range_phrase(p) for p in parts], 3)}) add up to that"
        return f"the figure for {range_phrase(whole)} is {figure_of(ctx, whole)}{_rest(ctx, others, side)}"
    if kind == "countries":
        if key == whole:
            return _countries(ctx, parts, side)
        other = others[0]
        return (f"Iraq and Syria together have {figure_of(ctx, whole)} and "
                f"{COUNTRY_WORDS[other[1]]} {figure_of(ctx, other)}")
    p, u = parts
    if key == whole and side == "lo":
        return f"the partnered operations are {_at(ctx, p, 'lo')}, and a headline counts at least those"
    if key == whole:
        return (f"the partnered operations are {_at(ctx, p, side)} and the U.S.-only operations {_at(ctx, u, side)}, "
                "and a headline counts partnered operations, with or without U.S.-only ones")
    if key == p and side == "hi":
        return f"the headline is {_at(ctx, whole, 'hi')}, and partnered operations cannot exceed it"
    return (f"the headline is {_at(ctx, whole, side)}, which counts partnered operations, with or "
            "without U.S.-only ones")


def _at(ctx: Context, key: VarKey, side: str) -> str:
    """A variable's figure, or just the bound that matters."""
    lo, hi = ctx.series.bounds(key)
    if lo != hi and side == "lo":
        return f"at least {int(lo)}"
    if lo != hi and side == "hi":
        return f"at most {int(hi)}" if hi != INF else "unbounded"
    return figure_of(ctx, key)


def _rest(ctx: Context, others: list[VarKey], side: str) -> str:
    """", and the other months add up to ...": what the other parts contribute to the bound."""
    bounds = [ctx.series.bounds(p) for p in others]
    low, high = sum(b[0] for b in bounds), sum(b[1] for b in bounds)
    verb = "add" if len(others) > 1 else "adds"
    if side == "both" or low == high:
        return f" and {_the_rest(others)} {verb} up to {span(low, high)}"
    if side == "hi":
        return f" and {_the_rest(others)} {verb} up to at least {int(low)}" if low > 0 else ""
    return f" and {_the_rest(others)} {verb} up to at most {int(high)}"


def _countries(ctx: Context, parts: list[VarKey], side: str) -> str:
    """What Iraq's and Syria's figures say about the all-country one."""
    def has(p: VarKey) -> str:
        lo, hi = ctx.series.bounds(p)
        if side == "lo" and lo != hi:
            return f"at least {int(lo)}"
        if side == "hi" and lo != hi:
            return f"at most {int(hi)}"
        return figure_of(ctx, p)

    known = [p for p in parts if (ctx.series.bounds(p)[0] > 0 if side == "lo" else ctx.series.bounds(p) != (0, INF))]
    if len(known) == 1:
        return f"{COUNTRY_WORDS[known[0][1]]} alone has {has(known[0])}"
    return f"Iraq has {has(parts[0])} and Syria {has(parts[1])}"


def _the_rest(keys: list[VarKey]) -> str:
    if all(k[0][0] == k[0][1] for k in keys):
        months = [k[0][0] for k in keys]
        return f"the other {len(months)} months" if len(months) > 3 else month_list(months)
    return join([range_phrase(k) for k in keys])


def qualified_group(g: Group) -> str:
    """A group's chosen figure as printed."""
    return figure_text(g.accepted) if not g.exact else str(int(g.lo))


def bound_note(ctx: Context, key: VarKey) -> str:
    """Why a variable's value or limits are what they are: a sentence."""
    lo, hi = ctx.series.bounds(key)
    lo_src, hi_src = ctx.series.sources(key)
    if lo == hi and (lo_src == hi_src or lo_src is None):
        return f"Derived: {int(lo)}, because {reason(ctx, key, hi_src)}."
    if lo == hi:
        return (f"Derived: {int(lo)}; at least {int(lo)} because {reason(ctx, key, lo_src, 'lo')}, and at most "
                f"{int(hi)} because {reason(ctx, key, hi_src, 'hi')}.")
    if hi == INF:
        return f"Only a lower limit is known: at least {int(lo)}, because {reason(ctx, key, lo_src, 'lo')}."
    if lo <= 0:
        return f"Only an upper limit is known: at most {int(hi)}, because {reason(ctx, key, hi_src, 'hi')}."
    return (f"Only limits are known: at least {int(lo)}, because {reason(ctx, key, lo_src, 'lo')}; at most "
            f"{int(hi)}, because {reason(ctx, key, hi_src, 'hi')}.")


def behind(ctx: Context, key: VarKey) -> list[Claim]:
    """The claims behind a variable's bounds: its own groups, or those of the figures it is derived from."""
    out: list[Claim] = []
    seen: set[VarKey] = set()

    def visit(k: VarKey, depth: int) -> None:
        if k in seen or depth > 4:
            return
        seen.add(k)
        for src in set(ctx.series.sources(k)):
            if src is None:
                continue
            if src < 0:
                out.extend(ctx.group(-1 - src).accepted)
                continue
            kind, whole, parts = ctx.series.relation(k, src)
            for other in (whole, *parts):
                if other != k:
                    visit(other, depth + 1)

    visit(key, 0)
    return out
