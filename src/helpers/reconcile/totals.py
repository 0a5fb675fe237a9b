"""Totals for any span of whole months: "how many operations in 2024?", "in 2023-Q1?", "in 2025-07..2025-12?".

A total is what the reconciliation's interval network allows for the sum of the span's months,
with the span added to the network as one more sum: the figures in use bound it, and a span
nested in a stated one is derived by subtraction (a half year less its first quarter). The
answer is a stated or reported figure where a source gives the span itself, a derived value
where the arithmetic is exact, else the tightest bounds the figures allow, with one sentence
on how it follows and the claims it rests on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from ..errors import UsageError
from ..months import month_end, month_start
from ..vocab import CORE_METRICS, COUNTRIES
from ..words import COUNTRY_WORDS, METRIC_NOUNS, months_phrase, qualified
from ._groups import INF, aliases, make_groups, relabels, supersede_aliases, to_claims
from ._network import FAMILIES, FAMILY_OF, Network, Series, State, apply, components, group_bounds

_ONE = r"(\d{4})(?:-(?:(0[1-9]|1[0-2])|Q([1-4])|H([12])))?"
SPAN_HELP = "YYYY, YYYY-MM, YYYY-Qn, YYYY-Hn, or two of these joined by '..' (2025-07..2025-12)"


@dataclass
class Total:
    """The total of one metric over a span of whole months, and how it is known."""

    first: int  # month indexes, inclusive
    last: int
    country: str
    metric: str
    low: int
    high: int | None  # None: no upper limit
    basis: str  # stated | reported | derived | bounded | unknown
    sentence: str
    claims: list = field(default_factory=list)  # the claims it rests on
    how: str = ""  # the derivation alone ("by subtraction: 196 for ... less 94 for ..."); "" where stated

    @property
    def value(self) -> int | None:
        return self.low if self.high == self.low else None

    @property
    def period(self) -> str:
        return months_phrase(self.first, self.last)

    @property
    def place(self) -> str:
        return COUNTRY_WORDS[self.country]

    @property
    def amount(self) -> str:
        """196; at least 291; between 3 and 9; not known."""
        if self.basis == "unknown":
            return "not known"
        return _figure(self.low, INF if self.high is None else self.high)


def _bounds_of(text: str) -> tuple[int, int]:
    m = re.fullmatch(_ONE, text)
    if not m:
        raise UsageError(f"malformed span {text!r}: expected {SPAN_HELP}")
    year, month, quarter, half = m.groups()
    base = int(year) * 12
    if month:
        return base + int(month) - 1, base + int(month) - 1
    if quarter:
        q = int(quarter) - 1
        return base + 3 * q, base + 3 * q + 2
    if half:
        h = int(half) - 1
        return base + 6 * h, base + 6 * h + 5
    return base, base + 11


def parse_span(text: str) -> tuple[int, int]:
    """The first and last month index of a span: ``2024``, ``2023-Q1``, ``2024-H2``, ``2025-07..2025-12``."""
    text = text.strip()
    if ".." in text:
        a, _, b = text.partition("..")
        first, last = _bounds_of(a.strip())[0], _bounds_of(b.strip())[1]
    else:
        first, last = _bounds_of(text)
    if last < first:
        raise UsageError(f"empty span {text!r}: its end comes before its start")
    return first, last


def check_query(span: str, metric: str, country: str) -> None:
    """A UsageError (exit 2) for a malformed or empty span, an unknown metric or an unknown country."""
    parse_span(span)
    _check(metric, country)


def _check(metric: str, country: str) -> None:
    if metric not in CORE_METRICS:
        raise UsageError(f"unknown metric {metric!r}: totals are kept for {', '.join(CORE_METRICS)}")
    if country not in COUNTRIES:
        raise UsageError(f"unknown country {country!r}: expected one of {', '.join(COUNTRIES)}")


def _figure(lo: float, hi: float) -> str:
    if lo == hi:
        return f"{int(lo):,}"
    if hi == INF:
        return f"at least {int(lo):,}"
    return f"between {int(lo):,} and {int(hi):,}"


def _who(groups) -> str:
    names = list(dict.fromkeys(c.name for g in groups for c in g.accepted))
    if len(names) > 2:
        names = names[:2] + [f"{len(names) - 2} others"]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _used(claims: pd.DataFrame) -> list:
    """The claims' groups that the series uses (the series sets the others aside)."""
    groups = make_groups(to_claims(claims))
    supersede_aliases(aliases(groups) + relabels(groups))
    Series(groups)
    return [g for g in groups if g.status == "used"]


class _Solved:
    """The network of one family with the span added, solved with the figures the series uses."""

    def __init__(self, used: list, span: tuple[int, int], metric: str, together: bool = False):
        """``together``: the figures added all at once (the same bounds, sooner, but a bound's recorded
        source may be any relation that gives it rather than the one that gave it first)."""
        family = FAMILY_OF[metric]
        used = [g for g in used if FAMILY_OF.get(g.metric) == family]
        members = [g for months, comp in components(used)
                   if months[0] <= span[1] and span[0] <= months[1] for g in comp]
        ranges = {span} | {r for g in members for r in _ranges(g)}
        hull = (min(r[0] for r in ranges), max(r[1] for r in ranges))
        self.net = Network(FAMILIES[family], ranges, hull)
        state = apply(self.net, State(len(self.net.keys)), members, together=together)
        self.state = state if state is not None else State(len(self.net.keys))
        self.groups = {g.gid: g for g in members}

    def bounds(self, key) -> tuple[float, float]:
        i = self.net.index[key]
        return self.state.lo[i], self.state.hi[i]

    def tiling(self, span: tuple[int, int], country: str, metric: str, side: str) -> tuple[float, list]:
        """The best bound on the span from ranges laid end to end inside it: the largest sum of lower bounds
        (side "lo") or the smallest sum of upper bounds (side "hi"), and the ranges that give it. Interval
        propagation relates a range to one range nested in it at a time; this adds up several."""
        first, last = span
        inside = [k for k in self.net.keys if k[1] == country and k[2] == metric
                  and first <= k[0][0] and k[0][1] <= last]
        ending: dict[int, list] = {}
        for k in inside:
            ending.setdefault(k[0][1], []).append(k)
        pick = max if side == "lo" else min
        best: dict[int, tuple[float, list]] = {first - 1: (0, [])}
        for month in range(first, last + 1):
            options = []
            for k in ending.get(month, []):
                before = best[k[0][0] - 1]
                lo, hi = self.bounds(k)
                options.append((before[0] + (lo if side == "lo" else hi), before[1] + [k]))
            best[month] = pick(options, key=lambda o: o[0]) if options else (0 if side == "lo" else INF, [])
        return best[last]

    def trace(self, key, depth: int = 0, seen=None) -> list:
        """The groups behind a variable's bounds."""
        seen = set() if seen is None else seen
        if key in seen or depth > 6:
            return []
        seen.add(key)
        i = self.net.index[key]
        out = []
        for src in {self.state.lo_src[i], self.state.hi_src[i]} - {None}:
            if src < 0:
                out.append(self.groups[-1 - src])
                continue
            rel = self.net.relations[src]
            for v in (rel.whole, *rel.parts):
                if self.net.keys[v] != key:
                    out += self.trace(self.net.keys[v], depth + 1, seen)
        return out

    def how(self, key) -> str:
        """One clause on the relation that set the span's lower bound: a sum, or a subtraction."""
        i = self.net.index[key]
        src = self.state.lo_src[i] if self.state.lo_src[i] is not None else self.state.hi_src[i]
        if src is None or src < 0:
            return ""
        rel = self.net.relations[src]
        whole, parts = self.net.keys[rel.whole], [self.net.keys[p] for p in rel.parts]
        words = lambda k: f"{_figure(*self.bounds(k))} for {months_phrase(*k[0])}"  # noqa: E731
        if rel.kind == "countries":
            if whole == key:
                return "Iraq's " + " and Syria's ".join(_figure(*self.bounds(p)) for p in parts) + " added"
            other = [p for p in parts if p != key][0]
            return (f"{_figure(*self.bounds(whole))} for Iraq and Syria less {_figure(*self.bounds(other))} for "
                    f"{COUNTRY_WORDS[other[1]]}")
        if whole == key:
            return _sum_words(self, parts)
        others = [p for p in parts if p != key]
        return f"by subtraction: {words(whole)} less " + " and ".join(words(p) for p in others)


def _tiles(solved: _Solved, keys: list) -> str:
    return _sum_words(solved, list(dict.fromkeys(keys)))


def _sum_words(solved: _Solved, keys: list) -> str:
    """"the sum of 196 for January to June 2024 and at least 95 for August to November 2024"; with many
    parts, the exact ones in one stretch; parts with nothing known named as not known."""
    exact = [k for k in keys if solved.bounds(k)[0] == solved.bounds(k)[1]]
    unknown = [k for k in keys if solved.bounds(k) == (0, INF)]
    other = [k for k in keys if k not in exact and k not in unknown]
    words = lambda k: f"{_figure(*solved.bounds(k))} for {months_phrase(*k[0])}"  # noqa: E731
    if len(exact) > 3:
        total = sum(int(solved.bounds(k)[0]) for k in exact)
        parts = [f"{total:,} for the {len(exact)} months known exactly"]
    else:
        parts = [words(k) for k in exact]
    parts += [words(k) for k in other]
    text = "the sum of " + (" and ".join(parts) if len(parts) < 3 else ", ".join(parts[:-1]) + " and " + parts[-1])
    if unknown:
        names = [months_phrase(*k[0]) for k in unknown]
        text += "; " + (names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]) + " not known"
    return text


def _ranges(g) -> set:
    return {k[0] for k, _, _ in group_bounds(g)}


class Totals:
    """Totals over any number of spans from one claims table: the figures the series uses are worked out
    once (most of the cost), each span's network on demand."""

    def __init__(self, claims: pd.DataFrame):
        self.claims = claims
        self._used = _used(claims)
        self._bounds: dict[tuple, tuple[int, int | None] | None] = {}  # worked out once per span: charts ask again

    def total(self, span: str, metric: str, country: str = "all") -> Total:
        """The total of ``metric`` over ``span`` (see ``parse_span``) for ``country``."""
        first, last = parse_span(span)
        _check(metric, country)
        return _total(_Solved(self._used, (first, last), metric), first, last, metric, country)

    def bounds(self, span: str, metric: str, country: str = "all") -> tuple[int, int | None] | None:
        """``total``'s low and high alone (high None: no upper limit), or None where nothing bounds the
        span; worked out without tracing how, for a chart or a sentence that needs only the figures."""
        first, last = parse_span(span)
        _check(metric, country)
        key = (first, last, metric, country)
        if key not in self._bounds:
            solved = _Solved(self._used, (first, last), metric, together=True)
            lo, hi, _ = _bounds(solved, first, last, country, metric)
            self._bounds[key] = None if lo == 0 and hi == INF else (int(lo), None if hi == INF else int(hi))
        return self._bounds[key]

    def by_year(self, metric: str, country: str = "all") -> pd.DataFrame:
        """One row per calendar year from the first to the last year of the core figures: the total, how
        it is known, and the sentence that says so."""
        dated = self.claims[self.claims["metric"].isin(CORE_METRICS) & self.claims["period_start"].notna()]
        rows = []
        for year in range(dated["period_start"].min().year, dated["period_end"].max().year + 1):
            t = self.total(str(year), metric, country)
            rows.append({"year": year, "value": t.value, "low": t.low, "high": t.high, "basis": t.basis,
                         "how": t.sentence, "claims": len(t.claims)})
        out = pd.DataFrame(rows)
        for col in ("value", "high"):
            out[col] = out[col].astype("Int64")
        return out


def total(claims: pd.DataFrame, span: str, metric: str, country: str = "all") -> Total:
    """The total of ``metric`` over ``span`` (see ``parse_span``) for ``country``, from the claims table."""
    return Totals(claims).total(span, metric, country)


def by_year(claims: pd.DataFrame, metric: str, country: str = "all") -> pd.DataFrame:
    """``Totals.by_year`` for a claims table."""
    return Totals(claims).by_year(metric, country)


def _bounds(solved: _Solved, first: int, last: int, country: str, metric: str) -> tuple[float, float, list]:
    """The span's bounds: its own, or tighter from ranges laid end to end inside it (those ranges)."""
    lo, hi = solved.bounds(((first, last), country, metric))
    tiled_lo, lo_parts = solved.tiling((first, last), country, metric, "lo")
    tiled_hi, hi_parts = solved.tiling((first, last), country, metric, "hi")
    tiled = []
    if tiled_lo > lo:
        lo, tiled = tiled_lo, lo_parts
    if tiled_hi < hi:
        hi, tiled = tiled_hi, tiled + hi_parts
    return lo, hi, tiled


def _total(solved: _Solved, first: int, last: int, metric: str, country: str) -> Total:
    key = ((first, last), country, metric)
    lo, hi, tiled = _bounds(solved, first, last, country, metric)
    direct = [g for g in solved.groups.values() if (g.start, g.end, g.country, g.metric)
              == (month_start(first), month_end(last), country, metric)]
    direct = [g for g in direct if g.lo == g.hi == lo == hi]  # a source's figure is the total only if exact
    behind = direct or solved.trace(key) + [g for k in tiled for g in solved.trace(k)]
    claims_behind = sorted({c.id: c for g in behind for c in g.accepted}.values(), key=lambda c: c.id)
    noun = METRIC_NOUNS[metric]
    place = COUNTRY_WORDS[country]
    period = months_phrase(first, last)
    how = ""
    if direct and lo == hi:
        basis = "stated" if min(g.tier for g in direct) == 0 else "reported"
        text = (f"{_who(direct)} {'gives' if len({c.name for g in direct for c in g.accepted}) == 1 else 'give'} "
                f"{qualified(int(lo), 'exact')} {noun} in {place} for {period}")
    elif lo == hi:
        basis = "derived"
        how = _tiles(solved, tiled) if tiled else solved.how(key)
        text = f"{int(lo):,} {noun} in {place} for {period}, {how} ({_who(behind)})"
    elif lo > 0 or hi < INF:
        basis = "bounded"
        how = _tiles(solved, tiled) if tiled else solved.how(key)
        text = (f"No figure gives {period} itself; the figures allow {_figure(lo, hi)} {noun} in {place}"
                f"{', from ' + how if how else ''} ({_who(behind)})")
    else:
        basis, text = "unknown", f"No figure on record bounds {noun} in {place} for {period}"
    return Total(first, last, country, metric, int(lo), None if hi == INF else int(hi), basis, text + ".",
                 claims_behind, how)

