"""The seven kinds of disagreement, each a function returning discrepancy rows (dicts)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

from ..months import aligned, month_end, month_index, month_start
from ..vocab import CORE_METRICS
from ..words import (
    COUNTRY_WORDS,
    READING_WORDS,
    TIER_WORDS,
    count_words,
    day_name,
    during,
    join,
    metric_words,
    month_name,
    number,
    period_phrase,
    qualified,
    sentence,
    what,
)
from ._explain import (
    Context,
    behind,
    claim_ids,
    figure_of,
    figure_text,
    ordered,
    qualified_group,
    reason,
    says,
    source_ids,
    span,
    who,
)
from ._groups import INF, Claim, Group, period_backing, relabelled, wording_of
from ._network import FAMILY_OF, VarKey

KINDS = ("headline_vs_breakdown", "country_sum", "cross_source", "period_sum", "period_wording", "revision",
         "bounds")
OPS, PARTNERED, US_ONLY = "operations", "partnered_operations", "us_only_operations"


@dataclass
class Side:
    """One side of a disagreement: its number and what it allows, what it is (``side``: see data/README.md),
    its parts, and the claims behind it. ``label`` is the side as the ids have always hashed it."""

    value: int
    qualifier: str
    low: float
    high: float
    side: str
    claims: list[Claim]
    label: str
    parts: tuple[int, ...] = ()
    qualifiers: tuple[str, ...] = ()


def figures_side(shown: list[Claim], claims: list[Claim] | None = None) -> Side:
    """The figures the claims print: one figure, or (``figures``) several, each with its qualifier."""
    figures = sorted({(c.value, c.qualifier) for c in shown}, key=lambda f: (len(qualified(*f)), qualified(*f)))
    lo, hi = interval(shown)
    (value, qualifier), several = figures[0], len(figures) > 1
    return Side(value, ";".join(q for _, q in figures) if several else qualifier, lo, hi,
                "figures" if several else "figure", claims if claims is not None else shown, figure_text(shown),
                tuple(v for v, _ in figures) if several else ())


def figures_side_exact(value: int, claims: list[Claim]) -> Side:
    """A source's exact figure (a headline or total)."""
    return Side(value, "exact", value, value, "figure", claims, str(value))


def group_side(g: Group, claims: list[Claim] | None = None) -> Side:
    """A group's chosen figure: its value where exact, else the figures its chosen claims print."""
    if g.exact:
        return Side(int(g.lo), "exact", g.lo, g.hi, "figure", g.accepted if claims is None else claims, str(int(g.lo)))
    return figures_side(g.accepted, claims)


def limits_side(lo: float, hi: float, claims: list[Claim], label: str) -> Side:
    """What the figures in use allow: one value, a lower limit, an upper limit, or both (``between``;
    the value is then the lower limit)."""
    if lo == hi:
        value, qualifier = int(lo), "exact"
    elif hi == INF:
        value, qualifier = int(lo), "at_least"
    elif lo <= 0:
        value, qualifier = int(hi), "at_most"
    else:
        value, qualifier = int(lo), "between"
    return Side(value, qualifier, lo, hi, "series_limits", claims, label)


def sum_side(parts: list[int], side: str, claims: list[Claim]) -> Side:
    """A sum of parts (``sum_of_countries``: Iraq then Syria; ``sum_of_months``: the months in order)."""
    total = sum(parts)
    return Side(total, "exact", total, total, side, claims, " + ".join(map(str, parts)) + f" = {total}", tuple(parts))


def row(kind: str, start, end, country: str, metric: str, a: Side, b: Side, difference, explanation: str,
        resolution: str, extra: list[Claim] = (), b_period: tuple = (None, None)) -> dict:
    """One discrepancy: side a is what the series follows (or a source's total), side b the other figure;
    ``b_period``, side b's dates where they are not the row's."""
    out = {"kind": kind, "period_start": start, "period_end": end, "country": country, "metric": metric,
           "period_start_b": b_period[0], "period_end_b": b_period[1], "difference": difference,
           "explanation": sentence(explanation), "resolution": sentence(resolution),
           "claim_ids": claim_ids([*a.claims, *b.claims, *extra])}
    for name, s in (("a", a), ("b", b)):
        out.update({f"value_{name}": s.value, f"qualifier_{name}": s.qualifier, f"low_{name}": s.low,
                    f"high_{name}": s.high, f"side_{name}": s.side, f"parts_{name}": ";".join(map(str, s.parts)),
                    f"source_{name}": source_ids(s.claims), f"label_{name}": s.label})
    return out


def gap(a: tuple[float, float], b: tuple[float, float]) -> int:
    """How far range b lies from range a: positive above it, negative below, 0 if they meet."""
    if b[0] > a[1]:
        return int(b[0] - a[1])
    if b[1] < a[0]:
        return int(b[1] - a[0])
    return 0


def interval(claims: list[Claim]) -> tuple[float, float]:
    return max(c.lo for c in claims), min(c.hi for c in claims)


def exact_figures(claims: list[Claim]) -> dict[tuple, int]:
    """A source's exact figures by (start, end, country, metric); first mentions only."""
    return {(c.start, c.end, c.country, c.metric): c.value for c in claims
            if c.exact and c.mention == 1 and c.start is not None}


def claim_map(claims: list[Claim]) -> dict[tuple, Claim]:
    return {(c.start, c.end, c.country, c.metric): c for c in claims
            if c.exact and c.mention == 1 and c.start is not None}


# --- why the series follows one figure rather than another ------------------------------------------


def why_chosen(chosen: list[Claim], other: list[Claim]) -> str:
    """Why the group's ranking put the chosen claims before the others."""
    ta, tb = min(c.tier for c in chosen), min(c.tier for c in other)
    if ta == 0 and tb == 0:
        return "the later CENTCOM statement outranks the earlier one"
    if ta < tb:
        if tb == 3:
            return "only CENTCOM's figures enter the series; the other party's figure is kept for comparison"
        return f"{TIER_WORDS[ta]} outranks {TIER_WORDS[tb]}"
    na, nb = len({c.publisher for c in chosen}), len({c.publisher for c in other})
    if na != nb:
        return f"more publishers give it ({na} against {nb}), and the series prefers the value most outlets agree on"
    if all(c.exact for c in chosen) and not all(c.exact for c in other):
        return "as many publishers give each, and an exact figure is preferred to a qualified one"
    return "as many publishers give each, and it was reported first"


def why_used(g: Group) -> str:
    """Why a group in use outranks those it contradicts (see _network.level)."""
    if g.tier == 0:
        return "it is CENTCOM's own figure"
    if FAMILY_OF[g.metric] == OPS and g.start.day == 1 and month_index(g.start) == month_index(g.end):
        return OPS_FIRST
    return f"it is {TIER_WORDS[g.tier]} given by {count_words(g.support, 'publisher')}"


def monthly(g: Group) -> bool:
    return aligned(g.start, g.end) and month_index(g.start) == month_index(g.end)


OPS_FIRST = ("for operations, monthly figures come before multi-month totals, which may count U.S.-only operations "
             "differently")


def why_set_aside(g: Group) -> str:
    """Why a group the series does not use was outranked, from what it contradicts."""
    if g.reason == "tie":
        return "equally backed figures contradict each other, so none of them is used"
    if g.tier == 2:
        return "an outlet's own figure ranks below figures quoted from CENTCOM"
    if g.against in ("months", "pieces"):
        if FAMILY_OF[g.metric] == OPS and not monthly(g):
            return OPS_FIRST
        return "it does not add up with the figures for the months and spans around it, which are better backed"
    if g.against == "countries":
        return "it does not add up with the all-country and the other country's figures, which are better backed"
    if g.against == "reading":
        return "it does not fit the partnered and U.S.-only figures, which are better backed"
    return "it contradicts a better-backed figure for the same months"


def status_of(ctx: Context, claims: list[Claim]) -> str:
    """Which of these claims the series does not use, and why, as a clause."""
    parts = []
    for c in ordered(claims):
        g = ctx.by_key.get((c.start, c.end, c.country, c.metric))
        text = f"{qualified(c.value, c.qualifier)} for {what(c.metric, c.country)}"
        if c in g.rejected:
            parts.append(f"{text} is set aside within its period because {why_chosen(g.accepted, [c])}")
        elif g.status == "rejected":
            parts.append(f"{text} is not used because {why_set_aside(g)}")
        elif g.status == "superseded":
            parts.append(f"{text} is not used because another reading of its dates is")
    return "; ".join(dict.fromkeys(parts))


# --- 1. headline against breakdown, with the reading each source uses ----------------------------------


def _breakdown(fig: dict, start, end, country: str):
    """(partnered sum, U.S.-only sum or None, parts described) behind a headline, or None if not given."""
    get = lambda c, m: fig.get((start, end, c, m))  # noqa: E731
    if country != "all":
        p = get(country, PARTNERED)
        return None if p is None else (p, get(country, US_ONLY), [f"{p} partnered"])
    total_p, total_u, parts, partnered = 0, None, [], False
    for c in ("iraq", "syria"):
        p, u, headline = get(c, PARTNERED), get(c, US_ONLY), get(c, OPS)
        if p is not None:
            partnered = True
            total_p += p
            if u is not None:  # a source giving U.S.-only operations for one country gives them wherever there were any
                total_u = (total_u or 0) + u
            parts.append(f"{COUNTRY_WORDS[c]} {p} partnered" + ("" if u is None else f" and {u} U.S.-only"))
        elif headline is not None:
            total_p += headline
            parts.append(f"{COUNTRY_WORDS[c]} {headline} operations")
        else:
            return None
    if not partnered:
        return None
    if get("all", US_ONLY) is not None:
        total_u = get("all", US_ONLY)
        parts.append(f"{total_u} U.S.-only in all")
    return total_p, total_u, parts


def reading_of(headline: int, p: int, u: int | None) -> str:
    """partnered_only, partnered_plus_us_only, either (no U.S.-only operations given), untestable or neither."""
    if headline == p and not u:
        return "either"
    if headline == p:
        return "partnered_only"
    if u is not None and headline == p + u:
        return "partnered_plus_us_only"
    return "untestable" if u is None and headline > p else "neither"


def readings(ctx: Context) -> tuple[list[dict], list[dict]]:
    """Per source and period, which reading of operations its headline uses; mismatches as discrepancies."""
    records, rows = [], []
    for sid in sorted(ctx.by_source):
        claims = ctx.by_source[sid]
        fig, cmap = exact_figures(claims), claim_map(claims)
        for (start, end, country, metric), headline in sorted(fig.items(), key=lambda kv: kv[0][:3]):
            if metric != OPS:
                continue
            found = _breakdown(fig, start, end, country)
            if found is None:
                continue
            p, u, parts = found
            reading = reading_of(headline, p, u)
            used = [cmap[k] for k in cmap if k[:2] == (start, end) and k[3] in (OPS, PARTNERED, US_ONLY)
                    and (country == "all" or k[2] == country)]
            source = used[0]
            records.append({
                "source_id": sid, "publisher": source.publisher, "period_start": start, "period_end": end,
                "country": country, "headline": headline, "partnered": p, "us_only": u,
                "partnered_plus_us_only": None if u is None else p + u, "reading": reading,
                "note": sentence(f"{source.name} gives {headline} operations in {COUNTRY_WORDS[country]} "
                                 f"{during(start, end)} against {join(parts)}: {READING_WORDS[reading]}"),
                "claim_ids": claim_ids(used),
            })
            if reading == "neither":
                rows.append(_headline_row(ctx, used, start, end, country, headline, p, u, parts))
    return records, rows


def _headline_row(ctx, used, start, end, country, headline, p, u, parts) -> dict:
    sums = f"{p} partnered" + ("" if u is None else f", or {p + u} with U.S.-only operations")
    closest = p if u is None or abs(p - headline) <= abs(p + u - headline) else p + u
    name = ordered(used)[0].name
    text = (f"{name} gives {headline} operations in {COUNTRY_WORDS[country]} {during(start, end)}, but its "
            f"own breakdown ({join(parts)}) adds up to {sums}: neither reading of operations gives its total")
    hint = _series_hint(ctx, start, end, country, headline)
    resolution = (f"The series has {figure_of(ctx, _key(start, end, country, OPS))} operations for this "
                  f"period; {status_of(ctx, used) or 'the figures of this source that agree with the others are used'}")
    b = Side(p, "exact", p, p + (u or 0), "breakdown", used, sums, (p,) if u is None else (p, u))
    return row("headline_vs_breakdown", start, end, country, OPS, figures_side_exact(headline, used), b,
               closest - headline, text + (f". {hint}" if hint else ""), resolution)


def _key(start, end, country, metric) -> VarKey:
    return ((month_index(start), month_index(end)), country, metric)


def _series_hint(ctx: Context, start, end, country, headline) -> str:
    """Which reading the series' own country figures support, if any."""
    if not aligned(start, end) or country != "all":
        return ""
    vals = {c: {m: ctx.series.value(_key(start, end, c, m)) for m in (PARTNERED, US_ONLY)} for c in ("iraq", "syria")}
    if any(v is None for c in vals for v in vals[c].values()):
        return ""
    p = sum(vals[c][PARTNERED] for c in vals)
    u = sum(vals[c][US_ONLY] for c in vals)
    if headline == p:
        return (f"With the partnered figures the other sources give ({p}), the total adds up under the "
                "partnered-only reading")
    if headline == p + u:
        return (f"With the figures the other sources give ({p} partnered, {u} U.S.-only), the total adds up under "
                "the partnered plus U.S.-only reading")
    return ""


# --- 2. country sums within one source ---------------------------------------------------------------


def country_sums(ctx: Context) -> list[dict]:
    """A source whose Iraq and Syria figures do not add up to its own total; identical cases merged."""
    found: dict[tuple, list[list[Claim]]] = defaultdict(list)
    for sid in sorted(ctx.by_source):
        cmap = claim_map(ctx.by_source[sid])
        for (start, end, country, metric), total in sorted(cmap.items(), key=lambda kv: (*kv[0][:2], *kv[0][:1:-1])):
            if country != "all":
                continue
            iraq, syria = cmap.get((start, end, "iraq", metric)), cmap.get((start, end, "syria", metric))
            if iraq and syria and iraq.value + syria.value != total.value:
                found[(start, end, metric, total.value, iraq.value, syria.value)].append([total, iraq, syria])
    rows = []
    for (start, end, metric, total, iraq, syria), trios in sorted(found.items(), key=lambda kv: kv[0][:3]):
        claims = [c for trio in trios for c in trio]
        totals = [t[0] for t in trios]
        parts = [c for t in trios for c in t[1:]]
        text = (f"{says(totals, str(total))} {metric_words(metric)} in Iraq and Syria {during(start, end)}, "
                f"but {iraq} in Iraq and {syria} in Syria, which add up to {iraq + syria}")
        text += _country_hint(ctx, start, end, metric, total, iraq, syria)
        resolution = (f"The series has {figure_of(ctx, _key(start, end, 'all', metric))} for Iraq and Syria, "
                      f"{figure_of(ctx, _key(start, end, 'iraq', metric))} for Iraq and "
                      f"{figure_of(ctx, _key(start, end, 'syria', metric))} for Syria")
        unused = status_of(ctx, claims)
        if unused:
            resolution += f"; {unused}"
        rows.append(row("country_sum", start, end, "all", metric, figures_side_exact(total, totals),
                        sum_side([iraq, syria], "sum_of_countries", parts), iraq + syria - total, text, resolution))
    return rows


def _country_hint(ctx: Context, start, end, metric, total, iraq, syria) -> str:
    diff = total - iraq - syria
    if metric == OPS and aligned(start, end):
        u = ctx.series.value(_key(start, end, "all", US_ONLY))
        if u is not None and u == diff:
            return (f". The difference, {diff}, equals the U.S.-only operations of that period: the total counts "
                    "them and the country figures count partnered operations only")
    if aligned(start, end):
        si, ss = ctx.series.value(_key(start, end, "iraq", metric)), ctx.series.value(_key(start, end, "syria", metric))
        if si is not None and ss is not None and si + ss == total and (si, ss) != (iraq, syria):
            return f". The other sources' country figures (Iraq {si}, Syria {ss}) add up to the total"
    return ""


# --- 3. cross-source, 6. revision and 7. bounds within one (period, country, metric) -----------------


def group_conflicts(ctx: Context) -> list[dict]:
    """Claims a group's ranking set aside, and other parties' figures that disagree, by value."""
    rows = []
    for g in ctx.groups:
        dissent = g.rejected + [c for c in g.compared if c.hi < g.lo or c.lo > g.hi]
        buckets: dict[tuple, list[Claim]] = defaultdict(list)
        for c in dissent:
            buckets[(c.value, c.qualifier)].append(c)
        for (value, qualifier), others in sorted(buckets.items()):
            rows.append(_conflict_row(ctx, g, others))
    return rows


def _conflict_row(ctx: Context, g: Group, others: list[Claim]) -> dict:
    chosen, figure = g.accepted, figure_text(others)
    base = (f"For {what(g.metric, g.country)} {during(g.start, g.end)}, {says(chosen, qualified_group(g))}; "
            f"{says(others, figure)}")
    kind, extra = _classify(ctx, g, chosen, others)
    use = "for the month" if monthly(g) else "to bound the months"
    if kind == "revision" and max(c.sort_date for c in chosen) > max(c.sort_date for c in others):
        use = "(the later figure) " + use
    figure_a, why = qualified_group(g), why_chosen(chosen, others)
    if g.metric not in CORE_METRICS:
        resolution = f"{figure_a} is kept for this period because {why}; this metric is not part of the monthly series"
    elif g.status == "used":
        resolution = f"The series uses {figure_a} {use} because {why}"
    elif g.status == "superseded":
        resolution = (f"{figure_a} is preferred here because {why}, but the series uses another reading of this "
                      "period's dates (see period_wording)")
    else:
        resolution = f"{figure_a} is preferred here because {why}, but even that is not used: {why_set_aside(g)}"
    diff = gap((g.lo, g.hi), interval(others))
    return row(kind, g.start, g.end, g.country, g.metric, group_side(g), figures_side(others), diff,
               base + (f". {sentence(extra)}" if extra else ""), resolution)


def _classify(ctx: Context, g: Group, chosen: list[Claim], others: list[Claim]) -> tuple[str, str]:
    misread = _misread(ctx, g, others)
    if misread:
        return "cross_source", misread
    revision = _revision(g, chosen, others)
    if revision:
        return "revision", revision
    if not all(c.exact for c in chosen + others):
        a, b = (g.lo, g.hi), interval(others)
        held = qualified_group(g) + ("" if g.exact else f" ({span(*a)})")
        return "bounds", f"{figure_text(others)} allows {span(*b)}, which cannot hold together with {held}"
    if min(c.tier for c in others) == 3:
        return "cross_source", f"{who(others)}'s figure is attributed to another party, not to CENTCOM"
    return "cross_source", ""


def _misread(ctx: Context, g: Group, others: list[Claim]) -> str:
    """A dissenting value that is another figure of the same period: a total read as a country, or a sum."""
    value, name = others[0].value, who(others)
    if g.country != "all":
        total = ctx.by_key.get((g.start, g.end, "all", g.metric))
        if total is not None and total.exact and total.lo == value:
            return (f"{name}'s {value} is the all-country total that the others give: a total read as the "
                    f"{COUNTRY_WORDS[g.country]} figure")
        sibling = ctx.by_key.get((g.start, g.end, "syria" if g.country == "iraq" else "iraq", g.metric))
        if sibling is not None and sibling.exact and sibling.lo == value:
            return f"{name}'s {value} is the figure the others give for {COUNTRY_WORDS[sibling.country]}"
        return ""
    for c in others:
        cmap = claim_map(ctx.by_source[c.source_id])
        iraq, syria = cmap.get((g.start, g.end, "iraq", g.metric)), cmap.get((g.start, g.end, "syria", g.metric))
        if iraq and syria and iraq.value + syria.value == value:
            text = (f"{c.name}'s {value} is its own Iraq figure ({iraq.value}) plus its own Syria figure "
                    f"({syria.value})")
            for part in (iraq, syria):
                if part.value == g.lo == g.hi:
                    text += (f", and its {COUNTRY_WORDS[part.country]} figure is the all-country total the "
                             f"others give ({part.value})")
            return text
    return ""


def _revision(g: Group, chosen: list[Claim], others: list[Claim]) -> str:
    """A later figure for the same period from the same publisher, or from CENTCOM itself."""
    same_publisher = {c.publisher for c in chosen} & {c.publisher for c in others}
    dates = lambda cs: [c.published for c in cs if c.published]  # noqa: E731
    if not dates(chosen) or not dates(others):
        return ""
    a_last, b_last = max(dates(chosen)), max(dates(others))
    apart = abs((a_last - b_last).days)
    centcom = all(c.tier <= 1 for c in chosen + others)
    tier0 = min(c.tier for c in chosen) == 0 and min(c.tier for c in others) == 0
    if not (same_publisher and apart) and not (tier0 and apart) and not (centcom and g.days <= 7 and apart >= 7):
        return ""
    early, late = (others, chosen) if b_last < a_last else (chosen, others)
    return (f"{who(early)} reported {figure_text(early)} on {day_name(max(dates(early)))}; {who(late)} reported "
            f"{figure_text(late)} on {day_name(max(dates(late)))}: a later figure for the same "
            f"{'event' if g.days <= 7 else 'period'}, attributed to CENTCOM")


# --- 3b. an outlet's own months against its own multi-month figure -------------------------------------


def own_months(ctx: Context) -> list[dict]:
    """Sources whose monthly figures do not add up to their own multi-month figure; identical cases merged."""
    found: dict[tuple, list[list[Claim]]] = defaultdict(list)
    for sid in sorted(ctx.by_source):
        cmap = claim_map(ctx.by_source[sid])
        for (start, end, country, metric), total in sorted(cmap.items(), key=lambda kv: kv[0]):
            first, last = month_index(start), month_index(end)
            if metric not in CORE_METRICS or first == last or not aligned(start, end):
                continue
            months = [_month_claim(cmap, m, country, metric) for m in range(first, last + 1)]
            if all(months) and sum(c.value for c in months) != total.value:
                key = (start, end, country, metric, total.value, tuple(c.value for c in months))
                found[key].append([total, *months])
    rows = []
    for (start, end, country, metric, total, values), sets in sorted(found.items(), key=lambda kv: kv[0][:4]):
        totals, months = [s[0] for s in sets], [c for s in sets for c in s[1:]]
        first = month_index(start)
        listing = join([f"{v} for {month_name(first + i)}" for i, v in enumerate(values)])
        g = ctx.by_key[(start, end, country, metric)]
        also = [c for c in g.claims if c.value == total and c not in totals]
        one = len({c.publisher for c in totals}) == 1
        text = (f"{says(totals, listing)} ({what(metric, country)}), which add up to {sum(values)}, yet "
                f"{'it gives' if one else 'they give'} {total} for {period_phrase(start, end)}: "
                f"{'the outlet' if one else 'each outlet'}'s own monthly figures do not add up to its own total")
        if also:
            text += f". {says(also, str(total))} as well"
        rows.append(row("cross_source", start, end, country, metric, figures_side_exact(total, totals),
                        sum_side(list(values), "sum_of_months", months), sum(values) - total, text,
                        _own_months_resolution(ctx, g, start, end, country, metric)))
    return rows


def _month_claim(cmap: dict, m: int, country: str, metric: str) -> Claim | None:
    return cmap.get((month_start(m), month_end(m), country, metric))


def _own_months_resolution(ctx: Context, g: Group, start, end, country, metric) -> str:
    first, last = month_index(start), month_index(end)
    months = [((m, m), country, metric) for m in range(first, last + 1)]
    states = join([f"{month_name(k[0][0])}: {span(*ctx.series.bounds(k))}" for k in months])
    period = period_phrase(start, end)
    if g.status == "used":
        return (f"The series uses the {period} figure, {qualified_group(g)}, because {why_used(g)}; the months stand "
                f"at {states}")
    return f"The series does not use the {period} figure ({why_set_aside(g)}); the months stand at {states}"


# --- 4. multi-month figures against the sum of the months ------------------------------------------------


def period_sums(ctx: Context) -> list[dict]:
    """Multi-month figures that differ from the monthly series, with the alternatives that would add up."""
    rows = []
    for g in ctx.groups:
        if not g.series or g.status not in ("used", "rejected") or not aligned(g.start, g.end):
            continue
        first, last = month_index(g.start), month_index(g.end)
        if first == last:
            continue
        keys = [((m, m), g.country, g.metric) for m in range(first, last + 1)]
        values = [ctx.series.value(k) for k in keys]
        if all(v is not None for v in values):
            total = sum(values)
            if g.lo <= total <= g.hi:
                continue
            a = Side(total, "exact", total, total, "series_sum", [c for k in keys for c in behind(ctx, k)],
                     f"{total} (sum of the monthly series)")
            text = (f"{says(g.accepted, qualified_group(g))} for {what(g.metric, g.country)} "
                    f"{during(g.start, g.end)}; the monthly series adds up to {total}")
            hint = _adds_up(ctx, g, keys, values) if g.exact else ""
            diff = gap((total, total), (g.lo, g.hi))
        elif g.status == "rejected" and g.against in ("months", "pieces"):
            lo, hi = ctx.series.bounds(((first, last), g.country, g.metric))
            a = limits_side(lo, hi, behind(ctx, ((first, last), g.country, g.metric)),
                            span(lo, hi) + " (allowed by the figures in use)")
            text = (f"{says(g.accepted, qualified_group(g))} for {what(g.metric, g.country)} "
                    f"{during(g.start, g.end)}; the figures the series uses allow {span(lo, hi)}")
            hint, diff = "", gap((lo, hi), (g.lo, g.hi))
        else:
            continue
        if g.status == "rejected":
            resolution = f"The series keeps the other figures and does not use {qualified_group(g)}: {why_set_aside(g)}"
        else:
            resolution = f"The series uses {qualified_group(g)} to bound the months because {why_used(g)}"
        rows.append(row("period_sum", g.start, g.end, g.country, g.metric, a, group_side(g),
                        diff, text + (f". {hint}" if hint else ""), resolution))
    return rows


def _alternatives(ctx: Context, key: VarKey, base: int) -> list[tuple[int, list[Claim]]]:
    """Other values given for a month: set aside within its group, or a group not in use."""
    g = ctx.month_group(key)
    if g is None:
        return []
    pool = list(g.rejected) + (list(g.accepted) if g.status != "used" else [])
    by_value: dict[int, list[Claim]] = defaultdict(list)
    for c in pool:
        if c.exact and c.value != base:
            by_value[c.value].append(c)
    return sorted(by_value.items())


def _adds_up(ctx: Context, g: Group, keys: list[VarKey], values: list[int]) -> str:
    """Which other monthly values, or the other reading of operations, make the months add up."""
    need = g.lo - sum(values)
    us_only = {}
    if g.metric == OPS:
        for k, v in zip(keys, values):
            u = ctx.series.value((k[0], k[1], US_ONLY))
            if u:
                us_only[k] = u
    alts = [(k, v, alt, claims) for k, v in zip(keys, values) for alt, claims in _alternatives(ctx, k, v)]
    reading = sum(us_only.values())
    u_text = join([f"{u} in {month_name(k[0][0])}" for k, u in us_only.items()])
    with_reading = f"U.S.-only operations are counted in the monthly totals ({u_text})"
    def alt_text(k, v, alt, cs):
        return f"{month_name(k[0][0])} is read as {alt}, as {says(cs, 'it')}, instead of {v}"

    if us_only and reading == need:
        return f"It adds up if {with_reading}: that is, under the partnered plus U.S.-only reading"
    for k, v, alt, cs in alts:
        if alt - v == need:
            return f"It adds up if {alt_text(k, v, alt, cs)}"
    for k, v, alt, cs in alts:
        if us_only and reading - us_only.get(k, 0) + alt - v == need:
            return f"It adds up if {with_reading} and {alt_text(k, v, alt, cs)}"
    for (k1, v1, a1, c1), (k2, v2, a2, c2) in combinations(alts, 2):
        if k1 != k2 and a1 - v1 + a2 - v2 == need:
            return f"It adds up if {alt_text(k1, v1, a1, c1)} and {alt_text(k2, v2, a2, c2)}"
    return "No other monthly figure on record, nor the other reading of operations, makes it add up"


# --- 5. one figure given for two periods, and 7. bounds across them ------------------------------------


def period_wordings(ctx: Context, pairs: list[tuple[Group, Group, int]]) -> list[dict]:
    """The same figure given for two periods, at least one in words; and their qualifiers if they clash."""
    rows = []
    for a, b, value in pairs:
        keep, other = sorted((a, b), key=period_backing)
        ka, kb = _with_value(keep, value), _with_value(other, value)
        if wording_of(a) or wording_of(b) or relabelled(a, b):
            rows.append(_wording_row(keep, other, ka, kb))
        ia, ib = interval(ka[0]), interval(kb[0])
        if gap(ia, ib):
            fa, fb = figure_text(ka[0]), figure_text(kb[0])
            text = (f"{says(ka[1], fa)} {what(keep.metric, keep.country)} {during(keep.start, keep.end)}; "
                    f"{says(kb[1], fb)} {during(other.start, other.end)}. It is the same figure for nearly the "
                    f"same period, yet {fa} allows {span(*ia)} and {fb} allows {span(*ib)}")
            rows.append(row("bounds", keep.start, keep.end, keep.country, keep.metric, figures_side(*ka),
                            figures_side(*kb), gap(ia, ib), text, _alias_resolution(keep, other)))
    return rows


def _with_value(g: Group, value: int) -> tuple[list[Claim], list[Claim]]:
    """The claims giving the value that the group's ranking kept (or all of them), and all claims giving it."""
    every = [c for c in g.claims if c.value == value]
    kept = [c for c in g.accepted if c.value == value]
    return kept or every, every


def _days(g: Group, claims: list[Claim]) -> str:
    words = sorted({c.wording for c in claims if c.wording})
    quoted = join([f"'{w}'" for w in words])
    return f"{period_phrase(g.start, g.end)} ({g.days} days{', ' + quoted if quoted else ''})"


def _wording_row(keep: Group, other: Group, ka, kb) -> dict:
    fa, fb = figure_text(ka[0]), figure_text(kb[0])
    text = (f"{says(ka[1], fa)} {what(keep.metric, keep.country)} for {_days(keep, ka[1])}; "
            f"{says(kb[1], fb)} for {_days(other, kb[1])}. The same figure cannot cover both periods; "
            f"they differ by {abs(keep.days - other.days)} days")
    if relabelled(keep, other):
        text += (". The figures for the shorter period are repeated, metric for metric, for the longer one that "
                 "contains it: the longer period is most likely a relabelling of the shorter")
    return row("period_wording", keep.start, keep.end, keep.country, keep.metric,
               _for_period(figures_side(*ka), keep), _for_period(figures_side(*kb), other),
               other.days - keep.days, text, _alias_resolution(keep, other), b_period=(other.start, other.end))


def _for_period(side: Side, g: Group) -> Side:
    """A side labelled with its own period, as period_wording rows have always hashed it."""
    side.label = f"{side.label} for {period_phrase(g.start, g.end)} ({g.days} days)"
    return side


def _alias_resolution(keep: Group, other: Group) -> str:
    backers = lambda g: len({c.publisher for c in g.claims})  # noqa: E731
    if min(c.tier for c in keep.claims) < min(c.tier for c in other.claims):
        why = "CENTCOM's own document gives them"
    else:
        against = number(backers(other), upto=10, zero="no")
        why = f"{count_words(backers(keep), 'publisher')} give them against {against}"
    dates = period_phrase(keep.start, keep.end)
    if keep.metric not in CORE_METRICS or keep.status == "outside":
        return (f"Both are kept; the period {dates} is preferred because {why}; this metric is not part of the "
                "monthly series")
    if other.status == "superseded":
        return f"The series uses the period {dates} because {why}; the other period is not used to bound the months"
    return (f"The period {dates} is preferred because {why}; as neither source words its period, both periods "
            "bound the months")


# --- anything set aside and not yet explained -------------------------------------------------------------


def leftovers(ctx: Context, rows: list[dict]) -> list[dict]:
    """A row for each group the series set aside that no other row explains."""
    covered = {cid for r in rows for cid in r["claim_ids"].split(";")}
    kinds = {"months": "period_sum", "pieces": "period_sum", "countries": "country_sum",
             "reading": "headline_vs_breakdown"}
    out = []
    for g in ctx.groups:
        if g.status != "rejected" or all(c.id in covered for c in g.accepted):
            continue
        key, lo, hi, src = ctx.series.violated(g)
        text = (f"{says(g.accepted, qualified_group(g))} for {what(g.metric, g.country)} "
                f"{during(g.start, g.end)}, but the figures the series uses allow {span(lo, hi)}, because "
                f"{reason(ctx, key, src)}")
        out.append(row(kinds.get(g.against, "cross_source"), g.start, g.end, g.country, g.metric,
                       limits_side(lo, hi, behind(ctx, key), span(lo, hi)), group_side(g), gap((lo, hi), (g.lo, g.hi)),
                       text, f"The series does not use {qualified_group(g)}: {why_set_aside(g)}"))
    return out
