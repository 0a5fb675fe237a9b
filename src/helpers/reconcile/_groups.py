"""Claims as records, grouped by (period, country, metric), with each group's chosen figure.

Within a group the claims are ranked: CENTCOM's own documents first (the latest first), then
outlets quoting CENTCOM, then outlets' own figures; among outlets the value most publishers give
comes first, an exact figure before a qualified one, the earliest report before a later one.
Each claim in that order narrows the group's range unless it contradicts the claims already
taken, in which case it is set aside (and becomes a discrepancy).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from ..vocab import CENTCOM_KINDS, CORE_METRICS
from ..words import source_name

INF = math.inf

# Two figures with the same value whose periods overlap by this share of their union are taken to
# be one figure given two different periods (e.g. "in the past 60 days" against "since August 29").
ALIAS_OVERLAP = 0.75
# A shorter period inside a longer one whose figures a source repeats for the longer: at most half
# its length (a week inside a month), so that a month inside a quarter by chance is not taken for it.
RELABEL_SHARE = 0.5


@dataclass(slots=True)
class Claim:
    id: str
    source_id: str
    kind: str
    publisher: str
    published: date | None
    approx: bool
    attributed: str
    start: date | None
    end: date | None
    wording: str
    country: str
    metric: str
    value: int
    qualifier: str
    lo: int
    hi: float
    mention: int
    tier: int
    name: str

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    @property
    def sort_date(self) -> int:
        return self.published.toordinal() if self.published else 10**9


@dataclass(eq=False)
class Group:
    """All claims for one (period, country, metric), and what the reconciliation makes of them."""

    gid: int
    start: date
    end: date
    country: str
    metric: str
    claims: list[Claim]
    accepted: list[Claim] = field(default_factory=list)
    rejected: list[Claim] = field(default_factory=list)
    compared: list[Claim] = field(default_factory=list)  # other/lig claims beside a CENTCOM series
    lo: float = 0
    hi: float = INF
    status: str = "outside"  # used | rejected | superseded | outside (not a series figure)
    reason: str = ""  # why not used: outranked | tie | alias:<gid>
    against: str = ""  # for a rejected group, what it contradicts (see Series.against)

    @property
    def key(self) -> tuple:
        return (self.start, self.end, self.country, self.metric)

    decisive: int = 3  # the lowest-ranked tier among the claims that narrowed the group's range

    @property
    def tier(self) -> int:
        """The group ranks as the weakest claim its range depends on: a CENTCOM "more than 22" narrowed
        to an outlet's exact 25 is an outlet's figure."""
        return self.decisive

    @property
    def support(self) -> int:
        """Distinct publishers behind the chosen figure."""
        return len({c.publisher for c in self.accepted})

    @property
    def exact(self) -> bool:
        return self.lo == self.hi

    @property
    def series(self) -> bool:
        """Can this group constrain the CENTCOM series?"""
        return self.metric in CORE_METRICS and self.tier <= 2

    @property
    def latest(self) -> int:
        return max((c.published.toordinal() for c in self.accepted if c.published), default=0)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def _date(value) -> date | None:
    return None if pd.isna(value) else value.date()


def tier_of(kind: str, attributed: str, scope: str = "tally") -> int:
    """0 CENTCOM's own document, 1 an outlet quoting CENTCOM, 2 an outlet's own figure, 3 other/LIG, or a
    count that mixes ISIS with another group."""
    if attributed in ("other", "lig") or scope == "mixed_groups":
        return 3
    if kind in CENTCOM_KINDS:
        return 0
    return 1 if attributed == "centcom" else 2


def to_claims(df: pd.DataFrame) -> list[Claim]:
    """The claims table as records."""
    cols = ["claim_id", "source_id", "kind", "publisher", "published", "published_approx", "attributed_to",
            "period_start", "period_end", "period_wording", "country", "metric", "value", "qualifier",
            "low", "high", "mention"]
    scopes = df["scope"].tolist() if "scope" in df else ["tally"] * len(df)
    out = []
    for row, scope in zip(zip(*(df[c].tolist() for c in cols)), scopes):
        (cid, sid, kind, publisher, published, approx, attributed, start, end, wording, country, metric,
         value, qualifier, low, high, mention) = row
        published = _date(published)
        out.append(Claim(
            id=cid, source_id=sid, kind=kind, publisher=publisher, published=published, approx=bool(approx),
            attributed=attributed, start=_date(start), end=_date(end), wording=wording or "", country=country,
            metric=metric, value=int(value), qualifier=qualifier, lo=int(low),
            hi=INF if pd.isna(high) else int(high), mention=int(mention),
            tier=tier_of(kind, attributed, scope), name=source_name(kind, publisher, published, bool(approx)),
        ))
    return out


def rank_key(claim: Claim, support: dict) -> tuple:
    """The order in which a group's claims are taken (see the module docstring)."""
    if claim.tier == 0:
        return (0, 0, not claim.exact, -claim.published.toordinal() if claim.published else 0,
                claim.value, claim.id)
    backing = support[(claim.tier, claim.value, claim.qualifier)]
    return (claim.tier, -backing, not claim.exact, claim.sort_date, claim.value, claim.id)


def choose(group: Group) -> None:
    """Fold the group's claims, best first, into the range they allow together."""
    pool = [c for c in group.claims if c.tier <= 2] or group.claims
    support: dict = defaultdict(set)
    for c in pool:
        support[(c.tier, c.value, c.qualifier)].add(c.publisher)
    support = {k: len(v) for k, v in support.items()}
    lo, hi, narrowing = 0, INF, []
    for c in sorted(pool, key=lambda c: rank_key(c, support)):
        nlo, nhi = max(lo, c.lo), min(hi, c.hi)
        if nlo > nhi:
            group.rejected.append(c)
            continue
        if (nlo, nhi) != (lo, hi):
            narrowing.append(c.tier)
        lo, hi = nlo, nhi
        group.accepted.append(c)
    group.lo, group.hi = lo, hi
    group.decisive = max(narrowing, default=min(c.tier for c in group.accepted))
    pooled = {id(c) for c in pool}  # by identity: `c not in pool` compared every field, n² (issue 18)
    group.compared = [c for c in group.claims if id(c) not in pooled]
    group.status = "used" if group.series else "outside"


def make_groups(claims: list[Claim]) -> list[Group]:
    """One group per (period, country, metric) with a known period, in a stable order."""
    by_key: dict[tuple, list[Claim]] = defaultdict(list)
    for c in claims:
        if c.start is not None and c.end is not None:
            by_key[(c.start, c.end, c.country, c.metric)].append(c)
    groups = []
    for gid, key in enumerate(sorted(by_key)):
        members = sorted(by_key[key], key=lambda c: (c.sort_date, c.source_id, c.mention, c.id))
        group = Group(gid, key[0], key[1], key[2], key[3], members)
        choose(group)
        groups.append(group)
    return groups


def overlap_share(a: Group, b: Group) -> float:
    """Days the two periods share, as a share of the days either covers."""
    inter = (min(a.end, b.end) - max(a.start, b.start)).days + 1
    union = (max(a.end, b.end) - min(a.start, b.start)).days + 1
    return max(inter, 0) / union


def aliases(groups: list[Group]) -> list[tuple[Group, Group, int]]:
    """Pairs of groups giving the same value for the same country and metric over nearly the same period."""
    by_value: dict[tuple, list[Group]] = defaultdict(list)
    for g in groups:
        for value in sorted({c.value for c in g.claims}):
            by_value[(g.country, g.metric, value)].append(g)
    pairs = []
    for (_, _, value), members in sorted(by_value.items(), key=lambda kv: kv[0]):
        members.sort(key=lambda g: (g.start, g.end))
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                if b.start > a.end:
                    break
                if overlap_share(a, b) >= ALIAS_OVERLAP:
                    pairs.append((a, b, value))
    return pairs


def relabels(groups: list[Group]) -> list[tuple[Group, Group, int]]:
    """Pairs (longer, shorter) where a source gives for a longer period the very figures others give for a
    shorter period inside it (a week's tally called "May"): the same values, for the same country and
    metric, on at least two metrics of the same two periods. Each pair is listed once per metric."""
    by_key: dict[tuple, list[Group]] = defaultdict(list)
    for g in groups:
        by_key[(g.start, g.end)].append(g)
    out = []
    for (start, end), outer in sorted(by_key.items()):
        for (s2, e2), inner in sorted(by_key.items()):
            if (s2, e2) == (start, end) or s2 < start or e2 > end:
                continue
            if (e2 - s2).days + 1 > RELABEL_SHARE * ((end - start).days + 1):
                continue
            matches = []
            for a in outer:
                for b in inner:
                    if (a.country, a.metric) != (b.country, b.metric):
                        continue
                    shared = {c.value for c in a.claims} & {c.value for c in b.claims}
                    if shared:
                        matches.append((a, b, min(shared)))
            if len({a.metric for a, _, _ in matches}) >= 2:
                out.extend(matches)
    return out


def relabelled(a: Group, b: Group) -> bool:
    """Are two groups of one figure a relabelled period (one inside the other), not two readings of one?"""
    return overlap_share(a, b) < ALIAS_OVERLAP


def wording_of(group: Group) -> str:
    return next((c.wording for c in group.claims if c.wording), "")


def period_backing(group: Group) -> tuple:
    """How well a group's dates are backed: CENTCOM's own first, then by the number of publishers."""
    return (min(c.tier for c in group.claims), -len({c.publisher for c in group.claims}), group.gid)


def supersede_aliases(pairs: list[tuple[Group, Group, int]]) -> None:
    """Where one figure is given for two periods in words, the series uses the better-backed period only."""
    for a, b, _ in pairs:
        worded = wording_of(a) or wording_of(b) or relabelled(a, b)
        if not worded or not (a.status == b.status == "used"):
            continue
        keep, drop = sorted((a, b), key=period_backing)
        drop.status = "superseded"
        drop.reason = f"alias:{keep.gid}"
