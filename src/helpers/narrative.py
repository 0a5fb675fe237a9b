"""The written narrative of a month: prose only, from ``helpers.tables``, in ``helpers.words``' words.

``month_facts(month)`` gathers every figure a month's summary uses, straight from the processed
tables; ``month_summary(month)`` turns them into short Markdown prose. No number is typed into
this module: each is read from ``monthly``, ``periods`` or ``discrepancies`` when the text is
rendered. A missing figure is said to be missing, never zero.
"""

from __future__ import annotations

import pandas as pd

from .config import Paths
from .months import aligned, month_bounds, months_between, shift
from .reconcile import totals
from .tables import Cell, Tables, touching
from .vocab import CORE_METRICS, COUNTRIES, HEADLINE, bounds
from .words import (
    COUNTRY_SCOPE,
    COUNTRY_WORDS,
    METRIC_TOPICS,
    about,
    figure,
    join,
    limits,
    markdown_text,
    month_name,
    nouns,
    nouns_short,
    number,
    period_phrase,
    short_span,
    span_name,
    topic,
)


def _names(t: Tables, source_ids, **kwargs) -> str:
    """The sources in words (``Tables.names``), as Markdown that shows their names as text."""
    return markdown_text(t.names(source_ids, **kwargs))


# --- amounts ----------------------------------------------------------------------------------------------------

def cell_amount(cell: Cell | None) -> str | None:
    """31; between 27 and 78; at least 11; at most 94; None when nothing is known."""
    if cell is None:
        return None
    return number(cell.value) if cell.known else limits(cell.low, cell.high, spell=True)


def floor_amount(cell: Cell | None) -> str | None:
    """The amount, if the cell is known or has a lower limit above zero."""
    return cell_amount(cell) if cell is not None and cell.floor else None


# --- facts ------------------------------------------------------------------------------------------------------

def month_facts(month: str, paths: Paths | None = None, *, tables: Tables | None = None) -> dict:
    """Every figure the month's summary states, read from the tables, with what each is.

    Keys: ``month``; ``cells`` (country -> metric -> Cell); ``previous`` and ``year_before``
    (the months compared against, or None); ``changes``; ``ytd`` (the series summed from
    January); ``tallies`` (year-to-date claims ending in the month); ``uncertain`` (derived,
    bounded, upper-limit-only and unknown cells); ``spans`` (multi-month figures covering an
    uncertain cell); ``disagreements``; ``numbers`` (every number the summary may state).
    """
    t = tables or Tables.load(paths)
    month = t.check(month)
    facts = {"month": month, "cells": {c: {m: t.cell(month, c, m) for m in CORE_METRICS} for c in COUNTRIES},
             "changes": []}
    for key, other in (("previous", shift(month, -1)), ("year_before", shift(month, -12))):
        facts[key] = other if t.first <= other <= t.last else None
        if facts[key]:
            facts["changes"] += _changes(t, month, other, key)
    facts["ytd"] = _ytd(t, month)
    facts["tallies"] = _tallies(t, month)
    for tally in facts["tallies"]:
        tally["contradicts"] = _contradicts(tally, facts["ytd"])
    facts["uncertain"] = _uncertain(facts["cells"])
    facts["spans"] = _spans(t, month, facts["uncertain"], facts["tallies"])
    facts["disagreements"] = _disagreements(t, month)
    facts["leads"] = _leads(t, month, facts["cells"]["all"])
    facts["numbers"] = sorted(_numbers(facts))
    return facts


def _leads(t: Tables, month: str, cells: dict) -> list[dict]:
    """The spans the month's headline figures are known through, where the month is not known by itself:
    one entry per span, its metrics in headline order, each with the span's total and its average for
    the month; for a derived span of whole months, the derivation (``reconcile.totals``) and whose figures
    it rests on."""
    by_span: dict[tuple, dict] = {}
    for metric in HEADLINE:
        cell = cells[metric]
        if cell is None or not cell.in_span:
            continue
        key = (cell.span_start, cell.span_end)
        entry = by_span.setdefault(key, {"start": cell.span_start, "end": cell.span_end, "basis": cell.span_basis,
                                         "figures": [], "how": "", "values": [], "source_ids": [],
                                         "centcom": False, "days": _days(*key)})
        entry["figures"].append({"metric": metric, "total": cell.span_total, "average": cell.span_average})
    for entry in by_span.values():
        lead = entry["figures"][0]["metric"]
        if entry["basis"] == "derived" and aligned(entry["start"], entry["end"]):
            total = totals.total(t.claims, f"{entry['start']:%Y-%m}..{entry['end']:%Y-%m}", lead)
            entry["how"] = total.how
            claims = total.claims
            entry["values"] = sorted({c.value for c in claims} | _known_values(t, entry, lead))
            entry["source_ids"] = list(dict.fromkeys(c.source_id for c in claims))
            # CENTCOM's where every figure it rests on has a CENTCOM document among its sources
            figures: dict[tuple, bool] = {}
            for c in claims:
                key = (c.start, c.end, c.country, c.metric)
                figures[key] = figures.get(key, False) or c.tier == 0
            entry["centcom"] = bool(figures) and all(figures.values())
        else:
            rows = t.periods[t.periods["period_start"].eq(entry["start"]) & t.periods["period_end"].eq(entry["end"])
                             & t.periods["country"].eq("all") & t.periods["metric"].eq(lead)
                             & t.periods["claimed"].eq(entry["figures"][0]["total"])]
            entry["source_ids"] = list(dict.fromkeys(s for ids in rows["source_ids"] for s in ids.split(";") if s))
            entry["centcom"] = entry["basis"] == "stated"
    return list(by_span.values())


def _known_values(t: Tables, entry: dict, metric: str) -> set[int]:
    """The months of a span's calendar year known exactly (a year less its known December)."""
    year = months_between(f"{entry['start']:%Y}-01", f"{entry['end']:%Y}-12")
    return {c.value for m in year if (c := t.cell(m, "all", metric)) is not None and c.known}


def _changes(t: Tables, month: str, other: str, against: str) -> list[dict]:
    out = []
    for metric in HEADLINE:
        now, then = t.cell(month, "all", metric), t.cell(other, "all", metric)
        if now and then and now.known and then.known:
            out.append({"against": against, "month": other, "metric": metric, "from": then.value,
                        "to": now.value, "difference": now.value - then.value})
    return out


def _ytd(t: Tables, month: str) -> dict | None:
    """Iraq and Syria's total from January to the month as the figures allow it (``tally total``), for each
    headline metric that the figures bound at all: its low and its high (None: no upper limit)."""
    january = f"{month[:4]}-01"
    if month == january:
        return None
    totals = {}
    for metric in HEADLINE:
        if bounds := t.totals.bounds(f"{january}..{month}", metric, "all"):
            totals[metric] = {"low": bounds[0], "high": bounds[1]}
    return {"start": january, "end": month, "totals": totals} if totals else None


def _period_rows(t: Tables, month: str) -> pd.DataFrame:
    """``periods`` rows longer than a month that touch the month, with a figure."""
    p = t.periods
    if p.empty:
        return p
    p = touching(p, month, month)
    single = p["period_start"].dt.strftime("%Y-%m").eq(p["period_end"].dt.strftime("%Y-%m"))
    return p[~single & p["claimed"].notna()]


def _chosen(rows: pd.DataFrame) -> pd.DataFrame:
    """One figure per country and metric: an exact one where the sources give several."""
    rows = rows.assign(_exact=rows["qualifier"].eq("exact"))
    rows = rows.sort_values("_exact", ascending=False, kind="mergesort")
    return rows.drop_duplicates(["country", "metric"]).drop(columns="_exact")


def _span_entry(t: Tables, rows: pd.DataFrame) -> dict:
    """A multi-month period's figures by country and metric, with who gave them and whose they are."""
    rows = _chosen(rows)
    first = rows.iloc[0]
    figures: dict[str, dict[str, tuple[int, str]]] = {}
    for country in COUNTRIES:
        for row in rows[rows["country"].eq(country)].itertuples():
            figures.setdefault(country, {})[row.metric] = (int(row.claimed), row.qualifier)
    ids = [s for ids in rows["source_ids"] for s in ids.split(";") if s]
    return {"period_start": first.period_start, "period_end": first.period_end,
            "period_days": None if pd.isna(first.period_days) else int(first.period_days),
            "derived": first.span_kind == "derived",
            "figures": figures, "source_ids": list(dict.fromkeys(ids)),
            "attributed_to": sorted(t.attributed_to([c for ids in rows["claim_ids"] for c in ids.split(";") if c]))}


def _tallies(t: Tables, month: str) -> list[dict]:
    """Year-to-date figures (1 January to a day in the month) for both countries together."""
    rows = _period_rows(t, month)
    if rows.empty:
        return []
    start = pd.Timestamp(f"{month[:4]}-01-01")
    rows = rows[rows["period_start"].eq(start) & rows["period_end"].dt.strftime("%Y-%m").eq(month)
                & rows["country"].eq("all") & rows["metric"].isin(HEADLINE) & rows["span_kind"].ne("derived")]
    return [_span_entry(t, g) for _, g in rows.groupby(["period_start", "period_end"], sort=True)]


def _contradicts(tally: dict, ytd: dict | None) -> dict[str, dict]:
    """The tally's figures that the series' totals for the same span rule out, by metric: the totals' low and
    high, and the difference where both sides are exact."""
    if not ytd or (tally["period_start"], tally["period_end"]) != (month_bounds(ytd["start"])[0],
                                                                   month_bounds(ytd["end"])[1]):
        return {}
    out = {}
    for metric, (value, qualifier) in tally["figures"].get("all", {}).items():
        if metric not in ytd["totals"]:
            continue
        low, high = ytd["totals"][metric]["low"], ytd["totals"][metric]["high"]
        claim_low, claim_high = bounds(value, qualifier)
        if (high is not None and claim_low > high) or (claim_high is not None and claim_high < low):
            exact = qualifier == "exact" and low == high
            out[metric] = {"low": low, "high": high, "difference": value - low if exact else None}
    return out


def _uncertain(cells: dict) -> dict[str, list[Cell]]:
    out = {"derived": [], "bounded": [], "upper": [], "unknown": []}
    for country in COUNTRIES:
        for metric in CORE_METRICS:
            cell = cells[country][metric]
            if cell is None or cell.basis in ("stated", "reported"):
                continue
            if cell.known:
                out["derived"].append(cell)
            elif cell.low > 0:
                out["bounded"].append(cell)
            elif cell.high is not None:
                out["upper"].append(cell)
            else:
                out["unknown"].append(cell)
    return out


def _spans(t: Tables, month: str, uncertain: dict, tallies: list[dict]) -> list[dict]:
    """Multi-month figures that cover the month where one of its figures is not known exactly."""
    wanted = {(c.country, c.metric) for kind in ("bounded", "upper", "unknown") for c in uncertain[kind]}
    rows = _period_rows(t, month)
    if not wanted or rows.empty:
        return []
    rows = rows[[(c, m) in wanted for c, m in zip(rows["country"], rows["metric"])]]
    named = {(e["period_start"], e["period_end"]) for e in tallies}
    out = []
    for (start, end, derived), group in rows.groupby(["period_start", "period_end", rows["span_kind"].eq("derived")],
                                                     sort=True):
        if not derived and (start, end) in named:
            group = group[group["country"].ne("all")]  # the all-country figures are named as a tally
        if not group.empty:
            out.append(_span_entry(t, group))
    return sorted(out, key=lambda s: (s["period_end"] - s["period_start"], s["period_start"]))


def _disagreements(t: Tables, month: str) -> list[dict]:
    """Disagreements whose period touches the month, in the table's order."""
    d = t.discrepancies
    if d.empty:
        return []
    return [row._asdict() for row in touching(d, month, month).itertuples(index=False)]


def _numbers(facts: dict) -> set[int]:
    """Every number the summary may state, as the facts hold it."""
    nums: set[int] = set()
    for country in facts["cells"].values():
        for cell in country.values():
            if cell is not None:
                nums.update(v for v in (cell.value, cell.low or None, cell.high) if v is not None)
    for ch in facts["changes"]:
        nums.update((ch["from"], ch["to"], abs(ch["difference"])))
    for total in (facts["ytd"] or {}).get("totals", {}).values():
        nums.update(v for v in (total["low"], total["high"]) if v is not None)
    for span in facts["tallies"] + facts["spans"]:
        nums.update(value for f in span["figures"].values() for value, _ in f.values())
    for tally in facts["tallies"]:
        nums.update(abs(c["difference"]) for c in tally["contradicts"].values() if c["difference"] is not None)
    for lead in facts["leads"]:
        nums.update(lead["values"])
        nums.add(lead["days"])
        for fig in lead["figures"]:
            nums.update((fig["total"], round(fig["average"])))
    for d in facts["disagreements"]:
        nums.update(v for v in (d["value_a"], d["value_b"], d["low_a"], d["high_a"], d["low_b"], d["high_b"])
                    if not pd.isna(v))
        nums.update(d["parts_a"] + d["parts_b"])
        if d["side_b"] == "breakdown":
            nums.add(sum(d["parts_b"]))
        nums.update(_days(*period) for period in _periods(d) if period[0] is not None)
        if d["difference"] is not None and not pd.isna(d["difference"]):
            nums.add(abs(int(d["difference"])))
    return nums


# --- prose --------------------------------------------------------------------------------------------------------

def month_summary(month: str, paths: Paths | None = None, *, tables: Tables | None = None) -> str:
    """The month in short Markdown paragraphs: headline, by country, year to date, what is uncertain,
    and the disagreements that touch it."""
    t = tables or Tables.load(paths)
    f = month_facts(month, tables=t)
    parts = [_headline(f, t), _by_country(f), _year_to_date(f, t), _uncertainty(f, t), _disagreement_list(f, t)]
    return "\n\n".join(p for p in parts if p) + "\n"


def headline_figures(month: str, paths: Paths | None = None, *, tables: Tables | None = None) -> dict[str, str]:
    """Operations, killed and detained in Iraq and Syria together, for a report's headline: the month's own
    figure ("31", "at least 11"); for a month known only through a span, its average and the span's total
    ("about 34 a month (102 for Apr–Jun 2024)"); else "not published"."""
    t = tables or Tables.load(paths)
    month = t.check(month)
    out = {}
    for metric in HEADLINE:
        cell = t.cell(month, "all", metric)
        if cell is not None and cell.in_span:
            rate = "a month" if aligned(cell.span_start, cell.span_end) else "this month at that rate"
            out[metric] = (f"{about(cell.span_average)} {rate} ({number(cell.span_total)} for "
                           f"{short_span(cell.span_start, cell.span_end)})")
        else:
            out[metric] = cell_amount(cell) or "not published"
    return out


def own_amount(cell: Cell | None) -> str | None:
    """The month's own amount for the headline: as ``floor_amount``, but nothing for a month known only
    through a span (its span leads instead)."""
    return None if cell is None or cell.in_span else floor_amount(cell)


def _headline(f: dict, t: Tables) -> str:
    cells = f["cells"]["all"]
    name = month_name(f["month"])
    ops, killed, detained = (own_amount(cells[m]) for m in HEADLINE)
    actions = [a for a in (killed and f"killing {killed} ISIS operatives", detained and f"detaining {detained}") if a]
    leads = [_lead_sentence(lead, f["month"], t) for lead in f["leads"]]
    if ops:
        tail = f", {join(actions)}" if actions else ""
        text = [f"In {name}, U.S. and partner forces carried out {ops} D-ISIS operations in Iraq and Syria{tail}."]
    elif actions:
        verbs = [a.replace("killing", "killed").replace("detaining", "detained") for a in actions]
        text = [f"In {name}, U.S. and partner forces {join(verbs)} in Iraq and Syria."]
        if not any(x["metric"] == "operations" for lead in f["leads"] for x in lead["figures"]):
            text.append("No count of the month's operations has been published.")
    elif leads:
        text = [f"No figures for {name} alone have been published."]
    else:
        text = [f"No D-ISIS figures for {name} alone have been published for Iraq and Syria."]
    text += leads
    text.append(_attribution(f, t))
    text += _change_sentences(f)
    return " ".join(s for s in text if s)


def _lead_sentence(lead: dict, month: str, t: Tables) -> str:
    """'CENTCOM gave 102 operations for April to June 2024 (by subtraction: ...), about 34 a month; for the
    same months, 26 ISIS operatives killed (about nine a month) and 103 detained (about 34 a month).'"""
    whole = aligned(lead["start"], lead["end"])
    who = "CENTCOM" if lead["centcom"] else t.names(lead["source_ids"], limit=2) or "The sources"
    when = span_name(lead["start"], lead["end"])
    if not whole:
        when += f" ({number(lead['days'])} days)"
    rate = "a month" if whole else f"in {month_name(month)} at that rate"
    figures = lead["figures"]
    names = nouns([x["metric"] for x in figures])
    first = figures[0]
    text = f"{who} gave {number(first['total'])} {names[0]} for {when}"
    if lead["how"]:
        text += f" ({lead['how']})"
    text += f", {about(first['average'])} {rate}"
    if len(figures) > 1:
        rest = [f"{number(x['total'])} {noun} ({about(x['average'])} {rate})"
                for x, noun in zip(figures[1:], names[1:])]
        text += f"; for the same {'months' if whole else 'days'}, {join(rest, unique=False)}"
    return text + "."


def _attribution(f: dict, t: Tables) -> str:
    """Whose figures the month's headline is: CENTCOM's own release, or outlets reporting them. A CENTCOM
    document behind a headline cell counts as CENTCOM's, whatever its qualifier ("more than 22")."""
    cells = [c for c in f["cells"]["all"].values()
             if c is not None and c.floor and c.basis != "derived" and not c.in_span]
    cells = [c for c in cells if c.known] or cells  # bounded cells carry their spans' sources
    stated = [s for c in cells for s in c.source_ids if t.source(s).centcom]
    reported = [s for c in cells if c.basis != "stated" for s in c.source_ids if not t.source(s).centcom]
    if stated and reported and all(c.basis == "stated" for c in cells if c.known):
        reported = []
    if stated and not reported:
        return f"The figures are from {_names(t, stated)}."
    if reported and not stated:
        return f"No CENTCOM release for the month is on record; the figures are as reported by {_names(t, reported)}."
    if stated and reported:
        return f"The figures are from {_names(t, stated)} and, where it is silent, {_names(t, reported)}."
    return ""


def _change_sentences(f: dict) -> list[str]:
    out = []
    for against in ("previous", "year_before"):
        changes = [c for c in f["changes"] if c["against"] == against]
        parts = []
        for c in changes:
            d, subject = c["difference"], METRIC_TOPICS[c["metric"]]
            if d == 0:
                verb = "were" if c["metric"] == "operations" else "was"
                parts.append(f"{subject} {verb} unchanged at {number(c['to'])}")
            else:
                parts.append(f"{subject} {'rose' if d > 0 else 'fell'} by {number(abs(d))} from {number(c['from'])}")
        if parts:
            out.append(f"Compared with {month_name(changes[0]['month'])}, {join(parts)}.")
    return out


def _by_country(f: dict) -> str:
    parts = []
    for country in ("iraq", "syria"):
        cells = f["cells"][country]
        ops, killed, detained = (floor_amount(cells[m]) for m in HEADLINE)
        figures = [x for x in (ops and f"{ops} operation{'' if ops.split()[-1] == 'one' else 's'}",
                               killed and f"{killed} killed",
                               detained and f"{detained} detained") if x]
        if figures:
            parts.append(f"{COUNTRY_WORDS[country]}, {join(figures)}")
    text = [f"{'; '.join(parts)}." if parts else "", _splits(f)]
    body = " ".join(s for s in text if s)
    return f"**By country.** {body[0].upper()}{body[1:]}" if body else ""


def _none_us_only(cells: dict) -> bool:
    us = cells["us_only_operations"]
    return us is not None and us.known and us.value == 0 and cells["partnered_operations"] is not None \
        and cells["partnered_operations"].known


def _splits(f: dict) -> str:
    """Partnered against U.S.-only operations: one sentence where none was U.S.-only anywhere, else one a country."""
    cells = f["cells"]
    if all(_none_us_only(cells[c]) for c in COUNTRIES):
        p = {c: number(cells[c]["partnered_operations"].value) for c in COUNTRIES}
        return (f"All {p['all']} operations were partnered ({p['iraq']} in Iraq, {p['syria']} in Syria); "
                "none was U.S.-only.")
    return " ".join(s for s in (_split(cells[c], c) for c in COUNTRIES) if s)


def _split(cells: dict, country: str) -> str:
    """Partnered against U.S.-only operations, where either is known."""
    partnered, alone = floor_amount(cells["partnered_operations"]), floor_amount(cells["us_only_operations"])
    where = COUNTRY_WORDS[country]
    if partnered and alone:
        us = cells["us_only_operations"]
        if us.known and us.value == 0:
            return f"In {where}, {partnered} operations were partnered and none was U.S.-only."
        return f"In {where}, {partnered} operations were partnered and {alone} U.S.-only."
    if partnered:
        return f"In {where}, {partnered} operations were partnered."
    if alone:
        us = cells["us_only_operations"]
        if us.known and us.value == 0:
            return f"In {where}, none of the operations was U.S.-only."
        return f"In {where}, {alone} operations {'was' if alone == 'one' else 'were'} U.S.-only."
    return ""


def _year_to_date(f: dict, t: Tables) -> str:
    ytd, text = f["ytd"], []
    if ytd:
        span = span_name(month_bounds(ytd["start"])[0], month_bounds(ytd["end"])[1])
        totals = ytd["totals"]
        figures = [f"{limits(x['low'], x['high'], spell=True)} {noun}"
                   for x, noun in zip(totals.values(), nouns(list(totals)))]
        exact = all(x["low"] == x["high"] for x in totals.values())
        if not (exact and _restated(totals, f["tallies"])):
            whole_year = ytd["end"].endswith("-12")  # from January to December: "For the whole of 2025"
            text.append(f"{'For' if whole_year else 'From'} {span}, the figures "
                        f"{'come to' if exact else 'allow'} {join(figures)}"
                        f"{'' if exact else ' (`tally total` shows how each follows)'}.")
    for tally in f["tallies"]:
        span = span_name(tally["period_start"], tally["period_end"])
        text.append(f"{_names(t, tally['source_ids'])} put {span} {_at(_figure_list(tally['figures']['all']))}"
                    f"{_against_series(tally, f['disagreements'])}.")
    return ("**Year to date.** " + " ".join(text)) if text else ""


def _against_series(tally: dict, disagreements: list[dict]) -> str:
    """': ten more operations than the monthly figures add up to (see Disagreements)', for what the tally
    claims and the series rules out; '' when nothing."""
    found = tally["contradicts"]
    if not found:
        return ""
    said = []
    for metric, noun in zip(found, nouns(list(found))):
        c = found[metric]
        if c["difference"] is not None:
            said.append(f"{number(abs(c['difference']))} {'more' if c['difference'] > 0 else 'fewer'} {noun} than "
                        "the monthly figures add up to")
        else:
            said.append(f"{noun} outside what the monthly figures allow "
                        f"({limits(c['low'], c['high'], spell=True)})")
    listed = any(d["kind"] == "period_sum" and d["metric"] in found and d["country"] == "all"
                 and (d["period_start"], d["period_end"]) == (tally["period_start"], tally["period_end"])
                 for d in disagreements)
    return f": {join(said)}{' (see Disagreements)' if listed else ''}"


def _restated(totals: dict, tallies: list[dict]) -> bool:
    """Whether a published year-to-date tally already gives every exact total (then it is not said twice)."""
    given = [t["figures"].get("all", {}) for t in tallies]
    return any(all(m in g and g[m] == (x["low"], "exact") for m, x in totals.items()) for g in given)


def _figure_list(figures: dict) -> str:
    """94 operations, 18 ISIS operatives killed and 63 detained (headline metrics first)."""
    order = [m for m in CORE_METRICS if m in figures]
    return join([f"{figure(*figures[m])} {noun}" for m, noun in zip(order, nouns(order))])


def _uncertainty(f: dict, t: Tables) -> str:
    """Short sentences: what is an average of a span, derived, or known only within limits, for Iraq and Syria
    together; the countries' detail is in the table."""
    u = {kind: [c for c in cells if not c.in_span] for kind, cells in f["uncertain"].items()}
    text = []
    averaged = [c for metric in HEADLINE if (c := f["cells"]["all"][metric]) is not None and c.in_span]
    if averaged:
        text.append(f"The month's {join(nouns_short([c.metric for c in averaged]))} are averages of longer "
                    "spans, not counts for the month.")
    total_only = {k: [c for c in v if c.country == "all"] for k, v in u.items()}
    hidden = sum(len(v) for v in u.values()) - sum(len(v) for v in total_only.values())
    u = total_only
    if u["derived"]:
        items = [f"{topic(c.metric, c.country)} ({number(c.value)})" for c in u["derived"]]
        text.append(f"Derived from other figures rather than stated: {join(items)}.")
    if u["bounded"]:
        items = [f"{topic(c.metric, c.country)}, {cell_amount(c)}" for c in u["bounded"]]
        text.append(f"Known only within limits: {'; '.join(items)}.")
    if u["upper"]:
        if len(u["upper"]) > 3:
            which = "other figures" if text else "month's figures"
            text.append(f"Only upper limits are known for the {which}, from the totals for longer periods below.")
        else:
            items = [f"{topic(c.metric, c.country)}, {cell_amount(c)}" for c in u["upper"]]
            text.append(f"Only an upper limit is known for {'; '.join(items)}.")
    every = f["uncertain"]["unknown"]
    if len(every) == len(COUNTRIES) * len(CORE_METRICS):
        text.append(_unknown_sentence(every, False))
    elif u["unknown"] and not averaged:
        text.append(_unknown_sentence(u["unknown"], len(u["unknown"]) < sum(map(len, u.values()))))
    if hidden and text:
        text.append("The table gives each country's figures and how each is known.")
    return ("**What is uncertain.** " + " ".join(text)) if text else ""


def _unknown_sentence(cells: list[Cell], others: bool) -> str:
    if len(cells) == len(COUNTRIES) * len(CORE_METRICS):
        return "No figure for the month has been published, for either country or in total."
    if others and len(cells) > len(CORE_METRICS):
        return "No other figure for the month has been published."
    by_metric = {}
    for c in cells:
        by_metric.setdefault(c.metric, []).append(COUNTRY_SCOPE[c.country])
    items = [f"{METRIC_TOPICS[m]} {join(scopes)}" for m, scopes in by_metric.items()]
    return f"Not published for the month: {'; '.join(items)}."


def _span_sentence(span: dict, t: Tables) -> str:
    when = span_name(span["period_start"], span["period_end"])
    several = len(span["figures"]) > 1
    parts = [f"{_figure_list(figs)} in {COUNTRY_WORDS[c]}{' together' if several and c == 'all' else ''}"
             for c, figs in span["figures"].items()]
    if span["derived"]:
        return f"By subtraction, {when} comes to {'; '.join(parts)}."
    whose = {"other": " another party's (not CENTCOM's)", "lig": " a Lead Inspector General report's"}
    return f"{_names(t, span['source_ids'])} gave{whose.get(_only(span), ' a')} total for {when}: {'; '.join(parts)}."


def _only(span: dict) -> str:
    """The one party whose figures a span's are, or '' when several."""
    return span["attributed_to"][0] if len(span["attributed_to"]) == 1 else ""


def _disagreement_list(f: dict, t: Tables) -> str:
    items = [_disagreement_sentence(d, t) for d in f["disagreements"]]
    return ("**Disagreements.**\n\n" + "\n".join(f"- {s}" for s in items)) if items else ""


def _periods(d: dict) -> list[tuple]:
    """Each side's period: the row's, and side b's own where it has one (period_wording)."""
    own_b = d["period_start_b"] is not None and not pd.isna(d["period_start_b"])
    return [(d["period_start"], d["period_end"]), (d["period_start_b"], d["period_end_b"]) if own_b else (None, None)]


def _days(start, end) -> int:
    return (end - start).days + 1


def _side(d: dict, x: str) -> str:
    """One side of a disagreement in words, from its columns: "more than 95", "nearly 18 and more than 12",
    "36 partnered, or 37 with U.S.-only operations", "between 8 and 31"."""
    side, value, parts = d[f"side_{x}"], int(d[f"value_{x}"]), d[f"parts_{x}"]
    if side == "figures":
        return join([figure(v, q) for v, q in zip(parts, d[f"qualifier_{x}"].split(";"))], unique=False)
    if side == "breakdown":
        text = f"{number(parts[0])} partnered"
        return text + (f", or {number(sum(parts))} with U.S.-only operations" if len(parts) > 1 else "")
    if side == "series_limits":
        high = d[f"high_{x}"]
        return limits(d[f"low_{x}"], None if pd.isna(high) else high, spell=True) or "any number"
    return figure(value, d[f"qualifier_{x}"])


def _disagreement_sentence(d: dict, t: Tables) -> str:
    """One sentence naming the sources and their figures, in the words the kind of disagreement needs."""
    start, end = d["period_start"], d["period_end"]
    when = f"{'on' if start == end else 'for'} {span_name(start, end)}"
    what = topic(d["metric"], d["country"])
    a, b = _names(t, d["source_a"]), _names(t, d["source_b"])
    va, vb = _side(d, "a"), _side(d, "b")
    kind, series = d["kind"], ("series_sum", "series_limits")
    if kind == "period_sum" and (d["side_a"] in series or d["side_b"] in series):
        x, claim, who = ("a", vb, b) if d["side_a"] in series else ("b", va, a)
        rest = (f"the figures the series uses allow {_side(d, x)}" if d[f"side_{x}"] == "series_limits"
                else f"the monthly series adds up to {_side(d, x)}")
        return f"{who} put {what} {when} {_at(claim)}; {rest}."
    if d["side_b"] in ("sum_of_countries", "sum_of_months"):
        pieces = [number(p) for p in d["parts_b"]]
        total = number(int(d["value_b"]))
        if kind == "country_sum" and len(pieces) == 2:
            return (f"{a} put {what} {when} {_at(va)}, but their figures for Iraq ({pieces[0]}) and Syria "
                    f"({pieces[1]}) add up to {total}.")
        which = "monthly figures" if aligned(start, end) else "figures for its parts"
        return f"{a} put {what} {when} {_at(va)}, but their {which} ({join(pieces, unique=False)}) add up to {total}."
    if kind == "headline_vs_breakdown":
        return f"{a} put {what} {when} {_at(va)}, but its own country figures add up to {vb}."
    if kind == "period_wording":
        (sa, ea), (sb, eb) = _periods(d)
        va += f" for {period_phrase(sa, ea)} ({number(_days(sa, ea))} days)"
        vb += f" for {period_phrase(sb, eb)} ({number(_days(sb, eb))} days)" if sb is not None else ""
        days = None if pd.isna(d["difference"]) else int(d["difference"])
        gap = f"; the periods differ by {number(abs(days))} days" if days else ""
        return f"{a} gave {what} as {va}; {b} as {vb}{gap}."
    if kind == "revision":
        (first, v1, _), (later, v2, _) = _by_date(t, (a, va, d["source_a"]), (b, vb, d["source_b"]))
        return f"{first} put {what} {when} {_at(v1)}; {later} later put it {_at(v2)}."
    if kind == "bounds":
        return f"{a} put {what} {when} {_at(va)}, and {b} {_at(vb)}: they cannot both hold."
    return f"{a} put {what} {when} {_at(va)}; {b} {_at(vb)}."


def _at(figure: str) -> str:
    """'at 37', 'at more than 95', but 'at least 15' (not 'at at least 15')."""
    return figure if figure.startswith("at ") else f"at {figure}"


def _by_date(t: Tables, *sides):
    """The sides in order of publication (undated last)."""
    def when(side):
        dates = [s.published for s in t.sources(side[2]) if s.published is not None]
        return min(dates) if dates else pd.Timestamp.max
    return sorted(sides, key=when)
