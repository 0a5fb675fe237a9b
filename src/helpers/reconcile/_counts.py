"""Two kinds of disagreement outside the monthly series: one source giving two figures for the same
thing, and counts that run over time (detainees transferred so far) that fall or cannot both hold."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from ..vocab import CORE_METRICS, RUNNING_METRICS, STOCK_METRICS
from ..words import during, qualified, what
from ._checks import figures_side, row
from ._explain import Context, says, who
from ._groups import Claim


def _row(kind, start, end, country, metric, a: tuple[str, list[Claim]], b: tuple[str, list[Claim]], difference,
         explanation, resolution):
    return row(kind, start, end, country, metric, figures_side(a[1]), figures_side(b[1]), difference, explanation,
               resolution)


def _figure(c: Claim) -> str:
    return qualified(c.value, c.qualifier)


def _mislabel(ctx: Context, first: Claim, other: Claim) -> str:
    """Where the numbers say so: the second figure is one the source (or another) gives for another country or
    metric of the same period."""
    pool = sorted(ctx.claims, key=lambda c: (c.source_id != other.source_id, c.id))
    for c in pool:
        if (c.start, c.end) != (other.start, other.end) or c.value != other.value or c is other:
            continue
        if (c.country, c.metric) == (other.country, other.metric):
            continue
        whose = "the same source gives" if c.source_id == other.source_id else f"{who([c])} gives"
        return (f"; {other.value} is the figure {whose} for {what(c.metric, c.country)} {during(c.start, c.end)}, so "
                f"the second figure is most likely that one under the wrong label")
    return ""


def same_source(ctx: Context) -> list[dict]:
    """One source, two values for one period, country and metric (its mentions 1, 2...)."""
    by_key: dict[tuple, list[Claim]] = defaultdict(list)
    for c in ctx.claims:
        if c.start is not None:
            by_key[(c.source_id, c.start, c.end, c.country, c.metric)].append(c)
    rows = []
    for (_, start, end, country, metric), claims in sorted(by_key.items(), key=lambda kv: kv[0]):
        claims.sort(key=lambda c: (c.mention, c.id))
        first = claims[0]
        for other in claims[1:]:
            if (other.value, other.qualifier) == (first.value, first.qualifier):
                continue
            fits = max(first.lo, other.lo) <= min(first.hi, other.hi)
            text = (f"{who([first])} gives {_figure(first)} {what(metric, country)} {during(start, end)}, and in the "
                    f"same document {_figure(other)}. One source should give one figure")
            text += _mislabel(ctx, first, other) or (
                f"; {'the two fit together as limits, but' if fits else 'they cannot both hold, and'} nothing on "
                "record says which is meant")
            if metric in CORE_METRICS:
                resolution = (f"The series takes both as the source's figures: {_figure(other)} "
                              f"{'fits' if fits else 'does not fit'} with {_figure(first)}, its first mention")
            else:
                resolution = "Both are kept as printed; this metric is not part of the monthly series"
            rows.append(_row("same_source", start, end, country, metric, (_figure(first), [first]),
                             (_figure(other), [other]), other.value - first.value, text, resolution))
    return rows


def running_counts(ctx: Context) -> list[dict]:
    """Counts from one start (transferred so far) that fall as the end moves on, and counts of one stock or
    running total for the same day that cannot both hold."""
    rows = []
    series: dict[tuple, list[Claim]] = defaultdict(list)
    for c in ctx.claims:
        if c.start is not None and (c.metric in RUNNING_METRICS or c.metric in STOCK_METRICS):
            series[(c.metric, c.country)].append(c)
    for (metric, country), claims in sorted(series.items()):
        claims.sort(key=lambda c: (c.start, c.end, c.id))
        for a, b in combinations(claims, 2):
            rows += _pair(metric, country, a, b)
    return rows


def _pair(metric: str, country: str, a: Claim, b: Claim) -> list[dict]:
    running = metric in RUNNING_METRICS
    same_span = (a.start, a.end) == (b.start, b.end) if running else a.end == b.end
    if same_span and max(a.lo, b.lo) > min(a.hi, b.hi):
        low, high = sorted((a, b), key=lambda c: c.hi)
        text = (f"{says([low], _figure(low))} and {says([high], _figure(high))} {what(metric, country)} "
                f"{during(high.start, high.end) if running else 'on the same day'}: the two cannot both hold")
        return [_row("running_count", high.start, high.end, country, metric, (_figure(high), [high]),
                     (_figure(low), [low]), low.value - high.value, text,
                     "Both are kept as printed; counts of this kind are not part of the monthly series")]
    nested = running and a.start == b.start and a.end != b.end
    if not nested:
        return []
    early, late = sorted((a, b), key=lambda c: c.end)
    if late.hi >= early.lo:
        return []
    text = (f"{says([early], _figure(early))} {what(metric, country)} {during(early.start, early.end)}, yet "
            f"{says([late], _figure(late))} {during(late.start, late.end)}: a count that runs from the same start "
            f"cannot fall, and no reason for a fall is on record")
    return [_row("running_count", late.start, late.end, country, metric, (_figure(early), [early]),
                 (_figure(late), [late]), late.value - early.value, text,
                 "Both are kept as printed; counts of this kind are not part of the monthly series")]
