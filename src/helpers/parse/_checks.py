"""Checks of a parsed release: its headline totals against its country breakdown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..vocab import bounds
from ._reader import Figure, Release, _show


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


def _readings(by: dict, start: date, end: date, metric: str) -> list[tuple[str, list[Figure]]]:
    """The breakdowns a headline can be checked against: none when a country's part is missing."""
    def get(c: str, m: str) -> Figure | None:
        return by.get((start, end, c, m))

    if metric != "operations":
        parts = [get("iraq", metric), get("syria", metric)]
        return [] if None in parts else [("iraq+syria", parts)]
    partnered = [get(c, "partnered_operations") or get(c, "operations") for c in ("iraq", "syria")]
    if None in partnered:
        return []
    readings = [("partnered", partnered)]
    us_only = [f for f in (get("iraq", "us_only_operations"), get("syria", "us_only_operations")) if f]
    if us_only:
        readings.append(("partnered+us_only", partnered + us_only))
    return readings


def _holds(head: Figure, parts: list[Figure]) -> bool:
    """Whether the parts' sum can equal the headline, their qualifiers' ranges considered."""
    low, high = bounds(head.value, head.qualifier)
    b = [bounds(p.value, p.qualifier) for p in parts]
    s_low = sum(x for x, _ in b)
    s_high = None if any(y is None for _, y in b) else sum(y for _, y in b)
    return (high is None or s_low <= high) and (s_high is None or low <= s_high)


def _check(head: Figure, readings: list[tuple[str, list[Figure]]]) -> Check:
    sums, holds, said = [], [], []
    for label, parts in readings:
        total = sum(p.value for p in parts)
        ok = _holds(head, parts)
        sums.append((label, total))
        holds += [label] if ok else []
        said.append(f"{label} {'+'.join(str(p.value) for p in parts)}={total} {'holds' if ok else 'differs'}")
    verdict = f"{' and '.join(holds)} {'hold' if len(holds) > 1 else 'holds'}" if holds else "neither reading holds"
    start, end = head.period_start, head.period_end
    message = f"{start}..{end} {head.metric}: headline {_show(head)}; {'; '.join(said)}: {verdict}"
    return Check(start, end, head.metric, head.value, tuple(sums), tuple(holds), message)


def checks(release: Release) -> list[Check]:
    """Headline totals against the country breakdown: operations under both readings (partnered only;
    partnered plus U.S.-only), killed and detained as Iraq plus Syria. Qualified figures ("more than
    22") agree when their ranges meet (helpers.vocab.bounds). Never fatal."""
    by = {(f.period_start, f.period_end, f.country, f.metric): f for f in release.figures}
    out = []
    for (start, end, country, metric), head in by.items():
        if country != "all" or metric not in ("operations", "killed", "detained"):
            continue
        readings = _readings(by, start, end, metric)
        if readings:
            out.append(_check(head, readings))
    return out
