"""helpers.narrative: every number in a month's prose is read back out and found in the tables."""

from __future__ import annotations

import calendar
import re

import pandas as pd
import pytest

from helpers import narrative
from helpers.errors import MonthError
from helpers.months import month_bounds, months_between, shift
from helpers.narrative import headline_figures, month_facts, month_summary
from helpers.tables import DISCREPANCY_COLUMNS, Tables, read_events, typed
from helpers.vocab import CORE_METRICS, COUNTRIES, bounds
from helpers.words import figure, number, span_name

# --- synthetic tables: one month of each kind -----------------------------------------------------

FIRST, LAST = "2023-01", "2024-04"
SOURCES = {  # source_id: (kind, publisher, published)
    "centcom-2023-02-02": ("centcom_release", "U.S. Central Command", "2023-02-02"),
    "centcom-2023-08-09": ("centcom_release", "U.S. Central Command", "2023-08-09"),
    "centcom-2024-04-05": ("centcom_release", "U.S. Central Command", "2024-04-05"),
    "taskandpurpose-2023-08-01": ("news", "Task & Purpose", "2023-08-01"),
    "headtopics-2023-09-05": ("news", "Head Topics", "2023-09-05"),
    "kurdistan24-2023-08-10": ("news", "Kurdistan24", "2023-08-10"),
    "ny1-2023-11-05": ("news", "NY1", "2023-11-05"),
}


def _stated(i: int, month: str) -> dict:
    """Plain figures for the i-th month: Iraq and Syria add up, partnered plus U.S.-only make operations."""
    iraq_ops, syria_ops = 20 + i, 10 + i % 5
    values = {
        ("iraq", "operations"): iraq_ops, ("syria", "operations"): syria_ops,
        ("iraq", "partnered_operations"): iraq_ops, ("syria", "partnered_operations"): syria_ops - 1,
        ("iraq", "us_only_operations"): 0, ("syria", "us_only_operations"): 1,
        ("iraq", "killed"): 3 + i % 4, ("syria", "killed"): 2, ("iraq", "detained"): 10 + i, ("syria", "detained"): 5,
    }
    for metric in CORE_METRICS:
        values[("all", metric)] = values[("iraq", metric)] + values[("syria", metric)]
    return values


def _row(month, country, metric, value=None, low=None, high=None, basis="stated", sources=""):
    if value is not None:
        low = high = value
    return {"month": month, "country": country, "metric": metric, "value": value,
            "low": 0 if low is None else low, "high": high, "basis": basis, "source_ids": sources, "note": "",
            "span_start": "", "span_end": "", "span_total": None, "span_basis": "", "span_average": ""}


def synthetic_monthly() -> pd.DataFrame:
    """Stated months, with: 2023-03 partly derived; 2023-05 bounded ("nearly 80", "more than 22") and
    Syria unknown; 2023-06 all unknown; 2023-08 reported only; 2024-01..03 known only through the quarter."""
    rows = []
    for i, month in enumerate(months_between(FIRST, LAST)):
        values = _stated(i, month)
        for country in COUNTRIES:
            for metric in CORE_METRICS:
                v = values[(country, metric)]
                rows.append(_row(month, country, metric, v, sources="centcom-2023-08-09"))
    df = pd.DataFrame(rows).set_index(["month", "country", "metric"])

    def put(month, country, metric, **kw):
        row = pd.Series(_row(month, country, metric, **kw))
        df.loc[(month, country, metric)] = row.drop(["month", "country", "metric"])

    put("2023-03", "syria", "operations", value=13, basis="derived", sources="centcom-2023-08-09")
    put("2023-03", "all", "partnered_operations", value=34, basis="derived", sources="centcom-2023-08-09")
    put("2023-05", "all", "operations", low=72, high=79, basis="bounded", sources="centcom-2023-08-09")
    put("2023-05", "iraq", "operations", low=23, basis="bounded", sources="centcom-2023-08-09")
    put("2023-05", "syria", "operations", basis="unknown")
    for country in COUNTRIES:
        for metric in CORE_METRICS:
            put("2023-06", country, metric, basis="unknown")
            v = _stated(7, "2023-08")[(country, metric)]
            put("2023-08", country, metric, value=v, basis="reported", sources="headtopics-2023-09-05")
            for month in ("2024-01", "2024-02", "2024-03"):
                put(month, country, metric, basis="unknown")
    for month in ("2024-01", "2024-02", "2024-03"):
        put(month, "all", "operations", low=0, high=94, basis="bounded", sources="centcom-2024-04-05")
    return typed(df.reset_index(), "monthly")


def _year_to_date_paragraph(text: str) -> str:
    return next((p for p in text.split("\n\n") if p.startswith("**Year to date.**")), "")


def test_a_year_to_date_tally_the_months_rule_out_says_by_how_much(real):
    """Task & Purpose's January-to-July 2023 operations are more than the months add up to: the paragraph says
    by how many, beside the tally, not only in the list of disagreements."""
    p = real.periods
    row = p[p["period_start"].eq("2023-01-01") & p["period_end"].eq("2023-07-31") & p["country"].eq("all")
            & p["metric"].eq("operations") & p["qualifier"].eq("exact")].iloc[0]
    total = real.totals.total("2023-01..2023-07", "operations")
    assert total.low == total.high and row.claimed > total.low
    paragraph = _year_to_date_paragraph(month_summary("2023-07", tables=real))
    assert f"at {row.claimed:,} operations" in paragraph
    assert (f"{number(row.claimed - total.low)} more operations than the monthly figures add up to "
            "(see Disagreements)") in paragraph


def test_every_year_to_date_tally_is_set_against_the_months_where_they_rule_it_out(real):
    """Over every month: a published year-to-date figure is said to disagree exactly when ``tally total``'s
    limits for the same span exclude it."""
    seen = 0
    for month in real.months:
        tallies = [t for t in month_facts(month, tables=real)["tallies"] if t["period_end"] == month_bounds(month)[1]]
        paragraph = _year_to_date_paragraph(month_summary(month, tables=real)) if tallies else ""
        for tally in tallies:
            ruled_out = False
            for metric, (value, qualifier) in tally["figures"]["all"].items():
                total = real.totals.total(f"{month[:4]}-01..{month}", metric)
                low, high = bounds(value, qualifier)
                ruled_out |= total is not None and ((total.high is not None and low > total.high)
                                                    or (high is not None and high < total.low))
            seen += ruled_out
            said = "than the monthly figures add up to" in paragraph or "outside what the monthly" in paragraph
            assert said == ruled_out, month
    assert seen >= 3


def test_a_tally_outside_the_months_limits_is_said_with_the_limits():
    ytd = {"start": "2024-01", "end": "2024-05", "totals": {"operations": {"low": 94, "high": 196},
                                                            "killed": {"low": 20, "high": None}}}
    tally = {"period_start": pd.Timestamp("2024-01-01"), "period_end": pd.Timestamp("2024-05-31"),
             "figures": {"all": {"operations": (200, "more_than"), "killed": (30, "exact")}}}
    tally["contradicts"] = narrative._contradicts(tally, ytd)
    assert tally["contradicts"] == {"operations": {"low": 94, "high": 196, "difference": None}}
    assert narrative._against_series(tally, []) == \
        ": operations outside what the monthly figures allow (between 94 and 196)"
    tally["period_end"] = pd.Timestamp("2024-05-20")  # not the same span: nothing to set against
    assert narrative._contradicts(tally, ytd) == {}


def synthetic_periods() -> pd.DataFrame:
    """Multi-month figures as ``periods.csv`` has them: ``claimed`` a number, ``qualifier`` what it is."""
    rows = [
        ("2024-01-01", "2024-03-31", 91, "quarter", "all", "operations", "94", "centcom-2024-04-05", None,
         "cannot_check"),
        ("2024-01-01", "2024-03-31", 91, "quarter", "all", "killed", "18", "centcom-2024-04-05", None, "cannot_check"),
        ("2024-01-01", "2024-03-31", 91, "quarter", "all", "detained", "63", "centcom-2024-04-05", None,
         "cannot_check"),
        ("2024-01-01", "2024-03-31", 91, "quarter", "iraq", "operations", "66", "centcom-2024-04-05", None,
         "cannot_check"),
        ("2023-01-01", "2023-07-31", 212, "ytd", "all", "operations", "279", "taskandpurpose-2023-08-01", 250,
         "disagrees"),
        ("2023-01-01", "2023-07-31", 212, "ytd", "all", "killed", "81", "taskandpurpose-2023-08-01", 81, "agrees"),
        ("2023-09-06", "2023-11-04", 60, "rolling", "all", "operations", "95 more_than", "ny1-2023-11-05", None,
         "cannot_check"),
        ("2023-09-01", "2023-10-31", 61, "two_month", "all", "operations", "67", "headtopics-2023-09-05", 67, "agrees"),
        ("2023-12-01", "2024-02-29", 91, "derived", "all", "operations", "70", "centcom-2024-04-05", None, "derived"),
    ]
    cols = ["period_start", "period_end", "period_days", "span_kind", "country", "metric", "claimed", "source_ids",
            "series_sum", "status"]
    df = pd.DataFrame(rows, columns=cols)
    df["series_sum"] = df["series_sum"].astype("Int64")
    df["qualifier"] = [c.split(" ")[1] if " " in c else "exact" for c in df["claimed"]]
    df["claimed"] = [int(c.split(" ")[0]) for c in df["claimed"]]
    df["low"] = df["claimed"] + df["qualifier"].eq("more_than")
    df["high"] = [None if q == "more_than" else c for c, q in zip(df["claimed"], df["qualifier"])]
    df["difference"] = (df["claimed"] - df["series_sum"]).where(df["qualifier"].eq("exact"))
    df["note"] = ""
    df["claim_ids"] = ""
    return typed(df, "periods")


def side(value, qualifier="exact", low=None, high=None, kind="figure", parts=()) -> dict:
    """One side of a disagreement as ``discrepancies.csv`` has it."""
    exact = qualifier == "exact"
    return {"value": value, "qualifier": qualifier, "low": value if low is None and exact else low,
            "high": value if high is None and exact else high, "side": kind, "parts": ";".join(map(str, parts))}


def synthetic_discrepancies() -> pd.DataFrame:
    """Disagreements as ``discrepancies.csv`` has them: every number in a column of its own."""
    rows = [
        ("D001", "cross_source", "2023-07-01", "2023-07-31", "all", "operations", side(35), "centcom-2023-08-09",
         side(37), "kurdistan24-2023-08-10", 2, ""),
        ("D002", "period_sum", "2023-01-01", "2023-07-31", "all", "operations", side(250, kind="series_sum"),
         "centcom-2023-08-09", side(279), "taskandpurpose-2023-08-01", 29, ""),
        ("D003", "country_sum", "2023-09-01", "2023-09-30", "all", "operations", side(40), "headtopics-2023-09-05",
         side(38, kind="sum_of_countries", parts=(27, 11)), "headtopics-2023-09-05", -2, ""),
        ("D004", "period_wording", "2023-09-06", "2023-11-04", "all", "operations", side(95), "ny1-2023-11-05",
         side(95), "kurdistan24-2023-08-10", -8, "2023-08-29"),
    ]
    out = []
    for did, kind, start, end, country, metric, a, source_a, b, source_b, difference, start_b in rows:
        row = {"discrepancy_id": did, "kind": kind, "period_start": start, "period_end": end, "country": country,
               "metric": metric, "source_a": source_a, "source_b": source_b, "difference": difference,
               "period_start_b": start_b, "period_end_b": end if start_b else "", "explanation": "",
               "resolution": "", "claim_ids": ""}
        row.update({f"{k}_a": v for k, v in a.items()} | {f"{k}_b": v for k, v in b.items()})
        out.append(row)
    return typed(pd.DataFrame(out, columns=DISCREPANCY_COLUMNS), "discrepancies")


def synthetic_claims() -> pd.DataFrame:
    rows = [
        ("taskandpurpose-2023-08-01", "2023-01-01", "2023-07-31", "all", "operations", 279, "exact", "outlet"),
        ("taskandpurpose-2023-08-01", "2023-01-01", "2023-07-31", "all", "killed", 81, "exact", "outlet"),
        ("centcom-2024-04-05", "2024-01-01", "2024-03-31", "all", "operations", 94, "exact", "centcom"),
        ("centcom-2023-08-09", "2023-07-01", "2023-07-31", "all", "operations", 35, "exact", "centcom"),
        ("kurdistan24-2023-08-10", "2023-07-01", "2023-07-31", "all", "operations", 37, "exact", "centcom"),
        ("headtopics-2023-09-05", "2023-08-01", "2023-08-31", "all", "operations", 37, "exact", "centcom"),
        ("ny1-2023-11-05", "2023-09-06", "2023-11-04", "all", "operations", 95, "more_than", "centcom"),
        ("centcom-2023-02-02", "2023-01-01", "2023-01-31", "all", "operations", 31, "exact", "centcom"),
    ]
    out = []
    for n, (sid, start, end, country, metric, value, qualifier, who) in enumerate(rows, start=2):
        kind, publisher, published = SOURCES[sid]
        out.append({"claim_id": f"F{n:04d}", "source_id": sid, "kind": kind, "publisher": publisher, "title": "",
                    "url": f"https://example.org/{sid}", "published": pd.Timestamp(published),
                    "published_approx": False, "release_number": "", "attributed_to": who,
                    "period_start": pd.Timestamp(start), "period_end": pd.Timestamp(end),
                    "period_days": (pd.Timestamp(end) - pd.Timestamp(start)).days + 1, "period_kind": "span",
                    "period_wording": "", "country": country, "metric": metric, "value": value,
                    "qualifier": qualifier, "low": value + (qualifier == "more_than"),
                    "high": None if qualifier == "more_than" else value, "entry": "hand", "mention": 1, "note": ""})
    df = pd.DataFrame(out)
    df["high"] = df["high"].astype("Int64")
    df["period_days"] = df["period_days"].astype("Int64")
    return df


def synthetic_tables(tmp_path=None) -> Tables:
    events = pd.DataFrame({"date": [pd.Timestamp("2023-10-07")], "label": ["Hamas attack on Israel"],
                           "source_url": ["https://example.org/event"], "note": [""]})
    return Tables(monthly=synthetic_monthly(), discrepancies=synthetic_discrepancies(),
                  periods=synthetic_periods(), claims=synthetic_claims(), events=events)


@pytest.fixture(scope="module")
def fake() -> Tables:
    return synthetic_tables()


# --- reading numbers back out of the text ---------------------------------------------------------

MONTHS = "|".join(calendar.month_name[1:])
# Dates are not figures: "9 August 2023", "July 2023", "6 September", "20 to 29 December 2025", "the whole of 2022".
DATE = re.compile(rf"\b(?:\d{{1,2}} to )?(?:\d{{1,2}} )?(?:{MONTHS})(?: \d{{4}})?\b|\bthe whole of \d{{4}}\b")
WORDS = {w: i for i, w in enumerate(("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"))}
WORDS["none"] = 0
NUMBER = re.compile(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+\b|\b(?:" + "|".join(WORDS) + r")\b", re.I)


def numbers_in(text: str, names: list[str]) -> list[int]:
    """Every number the prose states: dates (day, month, year) and source names taken out first."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    text = DATE.sub(" ", text)
    found = []
    for token in NUMBER.findall(text):
        found.append(WORDS[token.lower()] if token.lower() in WORDS else int(token.replace(",", "")))
    return found


def _ints(*columns) -> set[int]:
    return {int(v) for col in columns for v in col if not pd.isna(v)}


def _amount_words(total) -> str:
    if total.high is None:
        return f"at least {total.low:,}"
    return f"between {total.low:,} and {total.high:,}"


def allowed_numbers(t: Tables, month: str) -> tuple[set[int], set[int]]:
    """(every number the month's prose may state, the zeros the data itself states), computed here from
    the tables, independently of the narrative module."""
    m = t.monthly
    this = m[m["month"] == month]
    allowed = _ints(this["value"], this["low"], this["high"])
    zero = _ints(this["value"]) & {0}
    for other in (shift(month, -1), shift(month, -12)):
        then = m[m["month"] == other]
        allowed |= _ints(then["value"])
        both = this.merge(then, on=["country", "metric"], suffixes=("", "_then"))
        allowed |= _ints((both["value"] - both["value_then"]).abs())
    year = m[(m["month"] >= f"{month[:4]}-01") & (m["month"] <= month)]
    allowed |= _ints(year.assign(lo=year["value"].fillna(year["low"])).groupby(["country", "metric"])["lo"].sum())
    for metric in CORE_METRICS:  # the year to date, as `tally total` gives it
        ytd = t.totals.total(f"{month[:4]}-01..{month}", metric)
        allowed |= {ytd.low} | ({ytd.high} if ytd.high is not None else set())
    start, end = pd.Timestamp(f"{month}-01"), pd.Timestamp(f"{month}-01") + pd.offsets.MonthEnd(0)
    touches = lambda df: df[(df["period_start"] <= end) & (df["period_end"] >= start)]  # noqa: E731
    spans = this[this["span_total"].notna()] if "span_total" in this else this.iloc[:0]
    allowed |= _ints(spans["span_total"]) | {round(a) for a in spans.get("span_average", [])}
    if not spans.empty:  # a span's derivation names the figures around it (a half year less its first quarter)
        start = pd.Timestamp(f"{min(spans['span_start'].min(), start):%Y}-01-01")
        end = max(spans["span_end"].max(), end)
        year = m[m["month"].between(f"{start:%Y}-01", f"{end:%Y}-12") & m["country"].eq("all")]
        allowed |= _ints(year["value"])
        allowed |= {(e - s).days + 1 for s, e in zip(spans["span_start"], spans["span_end"])}
    p = touches(t.periods)
    allowed |= _ints(p["claimed"], p["series_sum"], p["period_days"], p["difference"].abs())
    d = touches(t.discrepancies)
    sides = _ints(d["value_a"], d["value_b"], d["low_a"], d["high_a"], d["low_b"], d["high_b"])
    sides |= {n for parts in list(d["parts_a"]) + list(d["parts_b"]) for n in parts}
    sides |= {sum(parts) for parts in d["parts_b"]}
    days = [(e - s).days + 1 for s, e in zip(list(d["period_start"]) + list(d["period_start_b"]),
                                              list(d["period_end"]) + list(d["period_end_b"])) if not pd.isna(s)]
    allowed |= sides | set(days) | _ints(d["difference"].abs())
    zero |= (_ints(p["claimed"]) | sides) & {0}
    return allowed, zero


def check_numbers(t: Tables, month: str) -> str:
    text = month_summary(month, tables=t)
    names = list(t.claims["publisher"].unique())
    stated = numbers_in(text, names)
    allowed, zeros = allowed_numbers(t, month)
    stray = [n for n in stated if n not in allowed]
    assert not stray, f"{month}: numbers not in the tables: {stray}\n{text}"
    assert 0 not in stated or 0 in zeros, f"{month}: a zero the data does not state\n{text}"
    facts = month_facts(month, tables=t)
    assert set(stated) <= set(facts["numbers"]), f"{month}: {set(stated) - set(facts['numbers'])} not in facts"
    return text


# --- synthetic months -------------------------------------------------------------------------------

@pytest.mark.parametrize("month", months_between(FIRST, LAST))
def test_every_synthetic_month_states_only_numbers_in_the_tables(fake, month):
    check_numbers(fake, month)


def test_stated_month_headline_split_changes_and_sources(fake):
    text = month_summary("2023-02", tables=fake)
    # January: Iraq 20 and Syria 10 operations; February: 21 and 11 (see _stated)
    assert text.startswith("In February 2023, U.S. and partner forces carried out 32 D-ISIS operations in Iraq and "
                           "Syria, killing six ISIS operatives and detaining 16. The figures are from CENTCOM's "
                           "release of 9 August 2023.")
    assert "Compared with January 2023, operations rose by two from 30" in text
    assert "**By country.** Iraq, 21 operations, four killed and 11 detained; Syria, 11 operations" in text
    assert "In Iraq, 21 operations were partnered and none was U.S.-only." in text
    ytd = fake.totals.total("2023-01..2023-02", "operations")  # tally total's bounds, as the chart draws them
    assert f"**Year to date.** From January to February 2023, the figures allow between {ytd.low} and {ytd.high:,} " \
           "operations" in text


def test_bounded_and_unknown_cells_read_as_words(fake):
    text = month_summary("2023-05", tables=fake)
    assert "carried out between 72 and 79 D-ISIS operations" in text
    # the uncertainty section is short: Iraq and Syria together; each country's detail is in the table
    assert "Known only within limits: operations in Iraq and Syria, between 72 and 79." in text
    assert "The table gives each country's figures and how each is known." in text
    ytd = fake.totals.total("2023-01..2023-05", "operations")
    assert ytd.low > 0 and f"From January to May 2023, the figures allow {_amount_words(ytd)} operations" in text
    assert "Syria, two killed and five detained" in text  # Syria's unknown operations are left out, not zero


def test_unknown_month_is_never_zero(fake):
    text = month_summary("2023-06", tables=fake)
    assert text.startswith("No D-ISIS figures for June 2023 alone have been published for Iraq and Syria.")
    assert "No figure for the month has been published, for either country or in total." in text
    assert 0 not in numbers_in(text, [])
    assert month_facts("2023-06", tables=fake)["changes"] == []


def test_quarter_month_names_the_quarter_and_its_figures(fake):
    text = month_summary("2024-02", tables=fake)
    assert "Only an upper limit is known for operations in Iraq and Syria, at most 94." in text
    assert "The table gives each country's figures and how each is known." in text


def test_quarter_end_is_a_running_tally(fake):
    text = month_summary("2024-03", tables=fake)
    assert "**Year to date.** CENTCOM's release of 5 April 2024 put January to March 2024 at 94 operations" in text
    # the totals come to the same figure: said once, from the release that gives it
    assert fake.totals.total("2024-01..2024-03", "operations").low == 94
    assert "From January to March 2024" not in text


def test_reported_month_says_whose_figures(fake):
    text = month_summary("2023-08", tables=fake)
    assert "No CENTCOM release for the month is on record; the figures are as reported by Head Topics." in text


def test_running_tally_and_disagreements_are_named(fake):
    text = month_summary("2023-07", tables=fake)
    assert "Task & Purpose put January to July 2023 at 279 operations and 81 ISIS operatives killed." in text
    assert "- CENTCOM's release of 9 August 2023 put operations in Iraq and Syria for July 2023 at 35; " \
           "Kurdistan24 at 37." in text
    assert "- Task & Purpose put operations in Iraq and Syria for January to July 2023 at 279; the monthly " \
           "series adds up to 250." in text


def test_disagreement_kinds_read_as_sentences(fake):
    text = month_summary("2023-09", tables=fake)
    assert "Head Topics put operations in Iraq and Syria for September 2023 at 40, but their figures for Iraq " \
           "(27) and Syria (11) add up to 38." in text
    assert "NY1 gave operations in Iraq and Syria as 95 for 6 September to 4 November 2023 (60 days); " \
           "Kurdistan24 as 95 for 29 August to 4 November 2023 (68 days); the periods differ by eight days." in text


def test_facts_expose_the_numbers(fake):
    facts = month_facts("2024-01", tables=fake)
    assert facts["month"] == "2024-01"
    assert facts["cells"]["all"]["operations"].high == 94
    quarter = [s for s in facts["spans"] if s["period_end"] == pd.Timestamp("2024-03-31")]
    assert quarter[0]["figures"] == {"all": {"operations": (94, "exact"), "killed": (18, "exact"),
                                             "detained": (63, "exact")}, "iraq": {"operations": (66, "exact")}}
    assert {94, 18, 63, 66, 70} <= set(facts["numbers"])


def test_figure_words():
    assert figure(7) == "seven" and figure(80, "nearly") == "nearly 80" and figure(95, "more_than") == "more than 95"
    assert figure(1250) == "1,250"


def test_disagreement_sides_are_written_from_their_columns(fake):
    """The narrative writes each side from its numeric columns: a breakdown, several figures, limits."""
    from helpers.narrative import _disagreement_sentence

    d = fake.discrepancies.iloc[0].to_dict()
    d.update(kind="headline_vs_breakdown", value_b=36, low_b=36, high_b=37, side_b="breakdown", parts_b=(36, 1))
    assert _disagreement_sentence(d, fake).endswith("its own country figures add up to 36 partnered, or 37 with "
                                                    "U.S.-only operations.")
    d.update(kind="bounds", value_a=18, qualifier_a="nearly;more_than", side_a="figures", parts_a=(18, 12))
    assert "at nearly 18 and more than 12, and Kurdistan24 at 36 partnered" in _disagreement_sentence(d, fake)
    d = fake.discrepancies.iloc[1].to_dict()
    d.update(value_a=8, qualifier_a="between", low_a=8, high_a=31, side_a="series_limits")
    assert _disagreement_sentence(d, fake).endswith("; the figures the series uses allow between eight and 31.")


def test_span_names():
    ts = pd.Timestamp
    assert span_name(ts("2022-01-01"), ts("2022-12-31")) == "the whole of 2022"
    assert span_name(ts("2024-01-01"), ts("2024-03-31")) == "January to March 2024"
    assert span_name(ts("2025-12-20"), ts("2025-12-29")) == "20 to 29 December 2025"
    assert span_name(ts("2025-01-02"), ts("2026-01-01")) == "2 January 2025 to 1 January 2026"


@pytest.mark.parametrize("bad", ["2023-13", "2023-7", "July 2023", "202307", 202307, None, "2023-07-01", " 2023-07"])
def test_malformed_months_raise_month_error_with_the_range(fake, bad):
    with pytest.raises(MonthError) as err:
        month_summary(bad, tables=fake)
    message = str(err.value)
    assert "\n" not in message and f"{FIRST} to {LAST}" in message


@pytest.mark.parametrize("outside", ["2022-12", "2024-05", "1999-01"])
def test_months_outside_the_data_raise_month_error_with_the_range(fake, outside):
    with pytest.raises(MonthError, match=rf"no data for {outside}; months available: {FIRST} to {LAST}$"):
        month_facts(outside, tables=fake)


def test_events_file_absent_is_no_events(tmp_path):
    assert read_events(tmp_path / "events.csv").empty


# --- the real data --------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def real(request) -> Tables:
    """The real data, built on a scratch copy (skipped until the reconciliation exists)."""
    pytest.importorskip("helpers.reconcile")
    return Tables.load(request.getfixturevalue("built"))


def test_every_real_month_states_only_numbers_in_the_tables(real):
    assert real.months
    for month in real.months:
        check_numbers(real, month)


def test_real_month_error_names_the_range(real):
    with pytest.raises(MonthError, match=rf"months available: {real.first} to {real.last}$"):
        month_summary(shift(real.last, 1), tables=real)


def test_tables_are_read_once_and_handed_out_as_copies(built, tmp_path, monkeypatch):
    """Tables.load keeps what it read: a second load of unchanged files reads nothing, and gives
    tables of its own; a file written since is read again."""
    import shutil

    from helpers import tables
    from helpers.config import Paths

    paths = Paths.at(tmp_path / "copy")
    shutil.copytree(built.data, paths.data)
    first = Tables.load(paths)
    first.monthly.loc[0, "basis"] = "changed here"
    with monkeypatch.context() as patch:
        patch.setattr(tables, "read_table", None)  # a second read would fail
        second = Tables.load(paths)
    assert second.monthly.loc[0, "basis"] != "changed here"  # a copy: the first's change is not in it
    assert second.monthly is not first.monthly and second.monthly.equals(Tables.load(paths).monthly)

    events = pd.read_csv(paths.events_csv, dtype=str, keep_default_na=False)
    events.loc[0, "label"] = "relabelled"
    events.to_csv(paths.events_csv, index=False, lineterminator="\n")
    assert Tables.load(paths).events.loc[0, "label"] == "relabelled"


@pytest.mark.parametrize("publisher", ["[click me](javascript:alert(1))", "![x](http://host/pixel.png)",
                                       "# Heading", "*Bold* `code` $5 and $10", "www.host.example"])
def test_publishers_reach_the_page_as_text(publisher):
    """Issue 18 item 1: a publisher's name becomes no link, image, heading, emphasis or math on the page."""
    pytest.importorskip("nbconvert")
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    t = synthetic_tables()
    t.claims.loc[t.claims["source_id"].eq("kurdistan24-2023-08-10"), "publisher"] = publisher
    text = month_summary("2023-07", tables=t)
    html = markdown2html_mistune(text)
    assert "<a " not in html and "<img" not in html and "<h1" not in html and "<em>" not in html
    assert "<code>" not in html and "<strong>Bold" not in html
    assert f"{publisher} at 37" in html  # the name shown as it is, in the disagreements list


def test_month_in_a_span_leads_with_its_total_and_average(real):
    """2024-05 is known only through April to June 2024 (the half year less the first quarter): the headline
    and the narrative give the span's total and its monthly average, both read back from monthly.csv."""
    cell = real.cell("2024-05", "all", "operations")
    assert cell.value is None and cell.in_span and cell.span_basis == "derived"
    total, average = cell.span_total, round(cell.span_average)
    half = real.periods[real.periods["span_kind"].eq("half") & real.periods["country"].eq("all")
                        & real.periods["metric"].eq("operations") & real.periods["period_end"].eq("2024-06-30")]
    quarter = real.periods[real.periods["span_kind"].eq("quarter") & real.periods["country"].eq("all")
                           & real.periods["metric"].eq("operations") & real.periods["period_end"].eq("2024-03-31")]
    assert total == int(half["claimed"].iloc[0]) - int(quarter["claimed"].iloc[0])
    text = month_summary("2024-05", tables=real)
    head = text.split("\n\n")[0]
    assert f"CENTCOM gave {total} operations for April to June 2024 (by subtraction: " in head
    assert f"about {average} a month" in head
    figures = headline_figures("2024-05", tables=real)
    assert str(total) in figures["operations"] and f"about {average}" in figures["operations"]
    assert "No CENTCOM release" not in text


def test_a_centcom_document_behind_a_qualified_figure_is_centcom_s(real):
    for month in real.months:
        cells = [c for c in month_facts(month, tables=real)["cells"]["all"].values() if c is not None
                 and c.floor and not c.in_span and c.basis != "derived"]
        if any(real.source(s).centcom for c in cells for s in c.source_ids):
            assert "No CENTCOM release for the month is on record" not in month_summary(month, tables=real), month


def test_no_month_reads_at_at_or_one_operations(real):
    """Prose checks over every real month: "put ... at at least 34" and "at least one operations" were written."""
    for month in real.months:
        text = month_summary(month, tables=real)
        assert " at at " not in text, month
        assert not re.search(r"\bone operations\b", text), month


def test_real_year_to_date_is_tally_total(real):
    """The 2025 narrative's year to date is what ``tally total`` works out from the same claims."""
    text = month_summary("2025-12", tables=real)
    paragraph = next(p for p in text.split("\n\n") if p.startswith("**Year to date.**"))
    assert paragraph.startswith("**Year to date.** For the whole of 2025, the figures allow ")
    for metric, noun in (("operations", "operations"), ("killed", "ISIS operatives killed")):
        total = real.totals.total("2025-01..2025-12", metric)
        assert total.basis == "bounded" and total.high is None
        assert f"at least {total.low} {noun}" in paragraph
