"""The monthly series and the multi-month figures, as rows of ``monthly.csv`` and ``periods.csv``."""

from __future__ import annotations

from ..months import aligned, month_at, month_end, month_index, month_start
from ..vocab import CORE_METRICS, period_kind
from ..words import count_words, month_list, months_phrase, period_phrase, qualified, sentence
from . import _checks as checks
from ._explain import Context, behind, bound_note, claim_ids, figure_text, qualified_group, says, source_ids, span
from ._groups import INF, Group
from ._network import COUNTRIES, nested, pieces

# --- monthly --------------------------------------------------------------------------------------------


def monthly_rows(ctx: Context, first: int, last: int) -> list[dict]:
    rows = []
    spans = exact_spans(ctx)
    for m in range(first, last + 1):
        for country in COUNTRIES:
            for metric in CORE_METRICS:
                row = _month_row(ctx, ((m, m), country, metric))
                row.update(_span_columns(ctx, spans.get((country, metric), []), m, row["value"] is None,
                                         country, metric))
                rows.append(row)
    return rows


# --- spans: the multi-month figure a month not known by itself belongs to ----------------------------------------

def exact_spans(ctx: Context) -> dict[tuple[str, str], list[tuple]]:
    """Every span longer than a month whose total is known exactly, by (country, metric):
    (start, end, total, basis), basis ``stated``/``reported`` where a figure in use gives the span
    itself, ``derived`` where the interval network gives it exactly (a half year less its first quarter).
    Spans of whole months come from the network; other spans ("the past 60 days") from the figures."""
    out: dict[tuple[str, str], dict[tuple, tuple]] = {}
    for sol in ctx.series.solutions:
        for i, ((a, b), country, metric) in enumerate(sol.net.keys):
            lo, hi = sol.state.lo[i], sol.state.hi[i]
            if a == b or lo != hi:
                continue
            g = ctx.month_group(((a, b), country, metric))
            given = g is not None and g.status == "used" and g.exact and g.lo == lo
            basis = ("stated" if g.tier == 0 else "reported") if given else "derived"
            out.setdefault((country, metric), {})[(month_start(a), month_end(b))] = (int(lo), basis)
    for g in ctx.groups:
        if (g.status == "used" and g.exact and g.metric in CORE_METRICS and g.start and g.end
                and not aligned(g.start, g.end) and month_index(g.start) != month_index(g.end)):
            spans = out.setdefault((g.country, g.metric), {})
            spans.setdefault((g.start, g.end), (int(g.lo), "stated" if g.tier == 0 else "reported"))
    return {k: sorted((s, e, total, basis) for (s, e), (total, basis) in v.items()) for k, v in out.items()}


def _span_columns(ctx: Context, spans: list[tuple], m: int, open_month: bool, country: str, metric: str) -> dict:
    """The tightest span with an exact total that covers a month not known by itself, its months known
    exactly at either end taken off (2022 less its known December is January to November, by
    subtraction), and the span's average for the month: total / months, or per day x days."""
    empty = {"span_start": None, "span_end": None, "span_total": None, "span_basis": "", "span_average": ""}
    if not open_month:
        return empty
    start, end = month_start(m), month_end(m)
    inside = [s for s in spans if s[0] <= start and end <= s[1]]
    if not inside:
        return empty
    s, e, total, basis = min(inside, key=lambda x: ((x[1] - x[0]).days, x[0]))
    if aligned(s, e):
        first, last = month_index(s), month_index(e)
        value = lambda i: ctx.series.value(((i, i), country, metric))  # noqa: E731
        while first < m and value(first) is not None:
            total, first, basis = total - value(first), first + 1, "derived"
        while last > m and value(last) is not None:
            total, last, basis = total - value(last), last - 1, "derived"
        s, e = month_start(first), month_end(last)
        average = total / (last - first + 1)
    else:
        average = total / ((e - s).days + 1) * ((end - start).days + 1)
    return {"span_start": s, "span_end": e, "span_total": total, "span_basis": basis,
            "span_average": f"{average:.1f}"}


def _month_row(ctx: Context, key) -> dict:
    (m, _), country, metric = key
    lo, hi = ctx.series.bounds(key)
    g = ctx.month_group(key)
    stated = g is not None and g.status == "used" and g.exact and lo == hi
    if stated:
        basis = "stated" if g.tier == 0 else "reported"
        claims, note = g.accepted, _stated_note(g)
    else:
        basis = "derived" if lo == hi else ("bounded" if lo > 0 or hi < INF else "unknown")
        claims = behind(ctx, key) if basis != "unknown" else []
        note = bound_note(ctx, key) if basis != "unknown" else "No figure covers this month."
        if g is not None and g.status == "rejected":
            note = note[:-1] + f"; {says(g.accepted, qualified_group(g))}, not used because {checks.why_set_aside(g)}."
        elif g is not None and g.status == "outside":
            note = (note[:-1] + f"; {says(g.accepted, qualified_group(g))}, a figure from another party that "
                    "never enters the series.")
    return {"month": month_at(m), "country": country, "metric": metric, "value": lo if lo == hi else None,
            "low": lo, "high": hi, "basis": basis, "source_ids": source_ids(claims), "note": note}


def _stated_note(g: Group) -> str:
    centcom = [c for c in g.accepted if c.tier == 0]
    outlets = [c for c in g.accepted if c.tier > 0]
    value = int(g.lo)
    if centcom:
        note = says(centcom, str(value))
        if outlets:
            n = len({c.publisher for c in outlets})
            note += f", and {count_words(n, 'outlet')} {'agrees' if n == 1 else 'agree'}"
    else:
        quoting = "quoting CENTCOM" if g.tier == 1 else "as the outlet's own figure"
        note = f"no CENTCOM document giving this figure was found; {says(g.accepted, str(value))}, {quoting}"
    if g.rejected:
        note += (f"; {says(g.rejected, figure_text(g.rejected))}, not used because "
                 f"{checks.why_chosen(g.accepted, g.rejected)}")
    return sentence(note)


# --- periods ----------------------------------------------------------------------------------------------


def span_kind(start, end) -> str:
    """two_month, quarter, half, year, ytd, months (other whole months) or rolling (not whole months)."""
    if not aligned(start, end):
        return "rolling"
    kind = period_kind(start, end)
    if kind in ("quarter", "half", "year"):
        return kind
    if month_index(end) - month_index(start) == 1:
        return "two_month"
    return "ytd" if start.month == 1 else "months"


def period_rows(ctx: Context) -> list[dict]:
    rows = []
    for g in ctx.groups:
        if g.metric not in CORE_METRICS or month_index(g.start) == month_index(g.end):
            continue
        buckets: dict[tuple, list] = {}
        for c in g.claims:
            buckets.setdefault((c.value, c.qualifier), []).append(c)
        for claims in buckets.values():
            rows.append(_period_row(ctx, g, claims))
    return rows + derived_rows(ctx)


def _period_row(ctx: Context, g: Group, claims) -> dict:
    lo, hi = max(c.lo for c in claims), min(c.hi for c in claims)
    first, last = month_index(g.start), month_index(g.end)
    keys = [((m, m), g.country, g.metric) for m in range(first, last + 1)]
    values = [ctx.series.value(k) for k in keys]
    total, diff = None, None
    if not aligned(g.start, g.end):
        status = "cannot_check"
        inner = (first + (g.start.day != 1), last - (g.end != month_end(last)))
        note = (f"{period_phrase(g.start, g.end)} does not start and end on month boundaries, so the monthly series "
                "cannot check it exactly")
        if inner[0] <= inner[1]:
            allowed = span(*ctx.series.bounds((inner, g.country, g.metric)))
            note += f"; the whole months inside it ({months_phrase(*inner)}) have {allowed}"
    elif all(v is not None for v in values):
        total = sum(values)
        status = "agrees" if lo <= total <= hi else "disagrees"
        diff = checks.gap((total, total), (lo, hi))
        note = f"The months add up to {total}"
        if status == "disagrees":
            note += f"; the figure is {abs(diff)} {'more' if diff > 0 else 'less'}"
    else:
        status = "cannot_check"
        missing = [k[0][0] for k, v in zip(keys, values) if v is None]
        lo_w, hi_w = ctx.series.bounds(((first, last), g.country, g.metric))
        unknown = (f"none of its {len(keys)} months is known" if len(missing) == len(keys) else
                   f"{month_list(missing)} {'is' if len(missing) == 1 else 'are'} not known" if len(missing) <= 4 else
                   f"{len(missing)} of its {len(keys)} months are not known")
        period = period_phrase(g.start, g.end)
        whole = f"put {period} at {int(lo_w)}" if lo_w == hi_w else f"allow {span(lo_w, hi_w)} for {period}"
        note = f"The months cannot be summed: {unknown}; the figures in use {whole}"
    note += "; " + _usage(g, claims)
    return {"period_start": g.start, "period_end": g.end, "period_days": g.days,
            "span_kind": span_kind(g.start, g.end), "country": g.country, "metric": g.metric,
            "claimed": claims[0].value, "qualifier": claims[0].qualifier, "low": lo, "high": hi,
            "claimed_text": qualified(claims[0].value, claims[0].qualifier), "source_ids": source_ids(claims),
            "series_sum": total, "status": status, "difference": diff, "note": sentence(note),
            "claim_ids": claim_ids(claims)}


def _usage(g: Group, claims) -> str:
    if all(c.tier == 3 for c in claims):
        return "another party's figure, kept for comparison only"
    if any(c in g.rejected for c in claims):
        return f"set aside within its period because {checks.why_chosen(g.accepted, claims)}"
    if g.status == "used":
        return "used to bound the months"
    if g.status == "superseded":
        return "not used: another reading of these dates is used (see period_wording)"
    return f"not used: {checks.why_set_aside(g)}"


def derived_rows(ctx: Context) -> list[dict]:
    """Spans derived as one figure in use minus another nested in it (a half year minus its first quarter)."""
    rows = []
    for sol in ctx.series.solutions:
        base = {k[0] for k in sol.net.keys if ctx.month_group(k) is not None}
        for outer, inner in nested(base):
            rest = [p for p in pieces(outer, inner) if p != inner]
            if len(rest) != 1:
                continue
            for country in COUNTRIES:
                for metric in sol.net.metrics:
                    keys = [(r, country, metric) for r in (outer, inner, rest[0])]
                    row = _derived_row(ctx, *keys)
                    if row:
                        rows.append(row)
    return rows


def _derived_row(ctx: Context, outer, inner, piece) -> dict | None:
    go, gi = ctx.month_group(outer), ctx.month_group(inner)
    if not (go and gi and go.status == gi.status == "used" and go.exact and gi.exact):
        return None
    value = int(go.lo - gi.lo)
    (first, last) = piece[0]
    months = [ctx.series.value(((m, m), piece[1], piece[2])) for m in range(first, last + 1)]
    total = sum(months) if all(v is not None for v in months) else None
    note = (f"Derived: {says(go.accepted, str(int(go.lo)))} for {months_phrase(*outer[0])} and "
            f"{says(gi.accepted, str(int(gi.lo)))} for {months_phrase(*inner[0])}, leaving {value} for "
            f"{months_phrase(first, last)}")
    if total is not None:
        note += f"; the monthly series gives {total}"
        note += ", which agrees" if total == value else f", {value - total:+d} apart"
    start, end = month_start(first), month_end(last)
    return {"period_start": start, "period_end": end, "period_days": (end - start).days + 1,
            "span_kind": "derived", "country": piece[1], "metric": piece[2], "claimed": value, "qualifier": "exact",
            "low": value, "high": value, "claimed_text": str(value),
            "source_ids": source_ids(go.accepted + gi.accepted), "series_sum": total, "status": "derived",
            "difference": None if total is None else value - total, "note": sentence(note),
            "claim_ids": claim_ids(go.accepted + gi.accepted)}
