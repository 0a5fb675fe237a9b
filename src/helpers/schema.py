"""The columns of every raw and processed table, defined once.

From these definitions come the Frictionless Data Package descriptor (``datapackage.json``,
``descriptor()``), the column tables of ``data/README.md`` (``readme_with_tables()``; ``make docs``
writes both) and the pandera schemas that check a table read as text (``pandera_schema()``).

``python -m helpers.schema`` rewrites ``datapackage.json`` and the tables of ``data/README.md``;
``python -m helpers.schema --check`` only says whether they are current (exit 1 if not).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .vocab import (
    ATTRIBUTIONS,
    CORE_METRICS,
    COUNTRIES,
    DISCREPANCY_KINDS,
    ENTRIES,
    METRICS,
    PERIOD_KINDS,
    QUALIFIERS,
    SCOPES,
    SIDES,
    SOURCE_KINDS,
)

DATE_ERROR = "malformed date; expected YYYY-MM-DD"
BASES = ("stated", "reported", "derived", "bounded", "unknown")
SPAN_KINDS = ("two_month", "quarter", "half", "year", "ytd", "months", "rolling", "derived")
STATUSES = ("agrees", "disagrees", "cannot_check", "derived")
READINGS = ("partnered_only", "partnered_plus_us_only", "either", "untestable", "neither")

SLUG = r"[a-z0-9]+(?:-[a-z0-9]+)*"
URL = r"https?://\S+"


@dataclass(frozen=True)
class Field:
    """One column: its name, Table Schema type, constraints and meaning."""

    name: str
    type: str  # Table Schema type: string, integer, date, boolean
    description: str
    required: bool = False
    unique: bool = False
    enum: tuple[str, ...] = ()
    pattern: str = ""  # a whole-value regex, without anchors
    pattern_error: str = ""  # the one line a failed pattern gives
    minimum: int | None = None
    label: str = ""  # how the README names the type, where the plain type says too little

    def type_text(self) -> str:
        """The type as the data dictionary writes it, with its constraints."""
        if self.label:
            base = self.label
        elif self.enum:
            base = ", ".join(f"`{v}`" for v in self.enum)
        elif self.type == "date":
            base = "YYYY-MM-DD"
        elif self.type == "number":
            base = "number" + (f" ≥ {self.minimum}" if self.minimum is not None else "")
        elif self.type == "integer":
            base = "whole number" + (f" ≥ {self.minimum}" if self.minimum is not None else "")
        elif self.type == "boolean":
            base = "`true` / `false`"
        else:
            base = "text"
        notes = (["unique"] if self.unique else []) + ([] if self.required else ["may be empty"])
        return ", ".join([base, *notes])

    def frictionless(self) -> dict:
        """The field as a Table Schema field descriptor."""
        out: dict = {"name": self.name, "type": self.type, "description": self.description}
        if self.type == "date":
            out["format"] = "%Y-%m-%d"
        if self.type == "boolean":
            out.update(trueValues=["true"], falseValues=["false"])
        constraints: dict = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern and self.type == "string":
            constraints["pattern"] = self.pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if constraints:
            out["constraints"] = constraints
        return out


@dataclass(frozen=True)
class ForeignKey:
    """Columns of one table that refer to the key of another."""

    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """One CSV file of the project: where it lives, its columns and keys."""

    name: str
    path: str  # relative to the project root
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    sources: tuple[dict, ...] = field(default_factory=tuple)

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)


def _period(required: bool = False, what: str = "", prefix: str = "period") -> tuple[Field, Field]:
    return (Field(f"{prefix}_start", "date", f"first day of the span{what} (inclusive)", required=required),
            Field(f"{prefix}_end", "date", f"last day of the span{what} (inclusive)", required=required))


def _side(x: str, what: str) -> tuple[Field, ...]:
    """The columns of one side of a disagreement (see *the two sides* in data/README.md)."""
    return (
        Field(f"value_{x}", "integer", f"{what}: its number (for a range, its lower limit, or the upper one "
              "where there is no lower)", required=True, minimum=0),
        Field(f"qualifier_{x}", "string", "how the number is qualified: a figure's qualifier; `at_most` or "
              "`between` for limits; several `;`-joined for a `figures` side", required=True),
        Field(f"low_{x}", "integer", "the least value the side allows", required=True, minimum=0),
        Field(f"high_{x}", "integer", "the greatest value it allows; empty = no upper limit", minimum=0),
        Field(f"side_{x}", "string", "what the number is", required=True, enum=SIDES),
        Field(f"parts_{x}", "string", "the parts of a sum or the several figures, whole numbers `;`-joined",
              pattern=r"(\d+(;\d+)*)?", pattern_error="must be whole numbers joined by ;"),
        Field(f"source_{x}", "string", "who stated it, `;`-joined source ids"),
    )


SOURCE_ID_DOC = ("stable readable id: the publisher's short name and the publication date, e.g. "
                 "`centcom-2023-08-09`, `kurdistan24-2023-08-10`; `-undated` where the date is unknown, `-2`, "
                 "`-3`… where one publisher has two on a day")
COUNTRY_DOC = "`all` is Iraq and Syria together, or not split"
CLAIM_IDS_DOC = "the claims involved (`claim_id` of `claims.csv`), `;`-joined"
SOURCE_IDS_DOC = "the sources behind the row (`source_id` of `sources.csv`), `;`-joined"

SOURCES = Table(
    "sources", "data/raw/sources.csv", "Sources",
    "One row per source document (CENTCOM releases, news reports), with where its figures were read.",
    (
        Field("source_id", "string", SOURCE_ID_DOC, required=True, unique=True, pattern=SLUG,
              pattern_error="must be a slug of lower-case letters, digits and hyphens", label="slug"),
        Field("kind", "string", "what the document is: a CENTCOM release read from a repost or on DVIDS is still "
              "a `centcom_release`; `lig` is a Lead Inspector General report; `other` any other party's document",
              required=True, enum=SOURCE_KINDS),
        Field("publisher", "string", "who published it (\"U.S. Central Command\" for CENTCOM's releases wherever "
              "they were read)", required=True),
        Field("title", "string", "the document's title where it is known; empty rather than guessed"),
        Field("url", "string", "where the figures were read", required=True, unique=True, pattern=URL,
              pattern_error="must be an http(s) URL", label="http(s) URL"),
        Field("published", "date", "publication date; empty when unknown"),
        Field("published_approx", "boolean", "`true` when the date is approximate or unknown (the note gives "
              "the wording)"),
        Field("release_number", "string", "CENTCOM's release number, normalised (`20240405 - 01` → `20240405-01`)",
              pattern=r"\d{8}-\d{2}", pattern_error="malformed release number; expected YYYYMMDD-NN",
              label="`YYYYMMDD-NN`"),
        Field("note", "string", "how the source was read (a repost, an approximate date)"),
    ),
    primary_key=("source_id",),
)

FIGURES = Table(
    "figures", "data/raw/figures.csv", "Figures",
    "One row per figure a source stated, as it stated it, wrong figures included; typed by hand or parsed "
    "from a release.",
    (
        Field("source_id", "string", "who stated the figure (must exist in `sources.csv`)", required=True),
        Field("period_start", "date", "first day of the span the figure covers (inclusive); start = end for a "
              "point in time or a single event; both dates empty when the source gives no period"),
        Field("period_end", "date", "last day of that span (inclusive)"),
        Field("period_wording", "string", "the source's own words for a span stated relative to its date "
              "(\"in the past 60 days\", \"since August 29\"); the dates are their literal reading"),
        Field("country", "string", COUNTRY_DOC, required=True, enum=COUNTRIES),
        Field("metric", "string", "what is counted (the metrics are defined below)", required=True,
              enum=tuple(METRICS), label="a metric"),
        Field("value", "integer", "the number as printed", required=True, minimum=0),
        Field("qualifier", "string", "the wording around the number (the bounds it stands for are below)",
              required=True, enum=QUALIFIERS),
        Field("entry", "string", "typed in by hand, or appended by `tally ingest` from a release's text",
              required=True, enum=ENTRIES),
        Field("attributed_to", "string", "whose figure it is, whatever printed it: CENTCOM's (stated or quoted), "
              "the outlet's own arithmetic (e.g. Task & Purpose's running tally), a Lead Inspector General "
              "report's, or another party's (e.g. the SDF)",
              required=True, enum=ATTRIBUTIONS),
        Field("mention", "integer", "1, or 2, 3… where one source states different values for the same period, "
              "country and metric (Cheri World gives Syria's 2022 killed as 466 and, elsewhere, as \"at least 159\"); "
              "empty = 1", minimum=1, pattern=r"[1-9]\d*",
              pattern_error="must be a positive whole number (or empty for 1)"),
        Field("note", "string", "the source's word where it matters (\"captured\", \"unilateral\"), or how the "
              "figure was read"),
    ),
    primary_key=("source_id", "period_start", "period_end", "country", "metric", "mention"),
    foreign_keys=(ForeignKey(("source_id",), "sources", ("source_id",)),),
)

EVENTS = Table(
    "events", "data/raw/events.csv", "Events",
    "Key events marked on the trend figures, reported by the sources themselves or widely recorded dates.",
    (
        Field("date", "date", "the day of the event", required=True),
        Field("label", "string", "the event, as the figures label it", required=True),
        Field("source_url", "string", "where the date is recorded", required=True, pattern=URL,
              pattern_error="must be an http(s) URL", label="http(s) URL"),
        Field("note", "string", "why it is marked"),
    ),
    primary_key=("date", "label"),
)

AMENDMENTS = Table(
    "amendments", "data/raw/amendments.csv", "Amendments",
    "Curators' fixes and marks on rows of `figures.csv`: a curation erratum's qualifier, or what a figure counts "
    "(its scope). A later amendment of the same line and field replaces an earlier one.",
    (
        Field("line", "integer", "the line of the figure in `figures.csv` (its `claim_id` without the `F`)",
              required=True, minimum=2),
        Field("field", "string", "`qualifier`: the row was copied with the wrong qualifier (an erratum, not a "
              "source's revision); `scope`: what the figure counts", required=True, enum=("qualifier", "scope")),
        Field("value", "string", "a qualifier, or a scope: `event` (one strike or raid: bounds its period from "
              "below), `mixed_groups` (mixes ISIS with another group: never in the series), `tally`",
              required=True, enum=QUALIFIERS + SCOPES),
        Field("reason", "string", "why, in a few words", required=True),
        Field("added", "date", "the date the amendment was made", required=True),
    ),
)

CLAIMS = Table(
    "claims", "data/processed/claims.csv", "Claims",
    "Every row of `figures.csv` joined with its source, with the bounds of its qualifier and the kind of its "
    "period. Sorted by period, metric, country, publication date and source.",
    (
        Field("claim_id", "string", "`F` and the figure's line in `figures.csv`: stable, the file being "
              "append-only", required=True, unique=True, pattern=r"F\d{4,}", label="`F0123`"),
        Field("source_id", "string", "the source (`sources.csv`)", required=True),
        Field("kind", "string", "the source's kind", required=True, enum=SOURCE_KINDS),
        Field("publisher", "string", "the source's publisher", required=True),
        Field("title", "string", "the source's title"),
        Field("url", "string", "the source's URL", required=True, label="http(s) URL"),
        Field("published", "date", "the source's publication date"),
        Field("published_approx", "boolean", "whether that date is approximate", required=True),
        Field("release_number", "string", "CENTCOM's release number", label="`YYYYMMDD-NN`"),
        Field("attributed_to", "string", "whose figure it is", required=True, enum=ATTRIBUTIONS),
        *_period(what=" the figure covers"),
        Field("period_days", "integer", "the period's inclusive length in days", minimum=1),
        Field("period_kind", "string", "`instant`: one day; `month`, `quarter`, `half`, `year`: that calendar "
              "span; `span`: any other range; `unknown`: no period", required=True, enum=PERIOD_KINDS),
        Field("period_wording", "string", "the source's words for a relative span"),
        Field("country", "string", COUNTRY_DOC, required=True, enum=COUNTRIES),
        Field("metric", "string", "what is counted", required=True, enum=tuple(METRICS), label="a metric"),
        Field("value", "integer", "the number as printed", required=True, minimum=0),
        Field("qualifier", "string", "the wording around the number", required=True, enum=QUALIFIERS),
        Field("low", "integer", "the least value the qualified figure allows", required=True, minimum=0),
        Field("high", "integer", "the greatest value it allows; empty = no limit", minimum=0),
        Field("entry", "string", "typed by hand or parsed", required=True, enum=ENTRIES),
        Field("mention", "integer", "1, or 2, 3… for a source's further values for the same thing",
              required=True, minimum=1),
        Field("note", "string", "the figure's note"),
        Field("scope", "string", "`tally`; `event`: one strike or raid (its count bounds its period from below, "
              "and a core metric's `high` is empty); `mixed_groups`: the count mixes ISIS with another group, "
              "never in the series (from `amendments.csv`)", required=True, enum=SCOPES),
        Field("qualifier_as_curated", "string", "the qualifier a curation erratum replaced (`amendments.csv`); "
              "empty where none did", enum=QUALIFIERS),
    ),
    primary_key=("claim_id",),
    foreign_keys=(ForeignKey(("source_id",), "sources", ("source_id",)),),
)

MONTHLY = Table(
    "monthly", "data/processed/monthly.csv", "Monthly series",
    "One row per month from the first to the last month any core figure covers, per country and core metric: "
    "the reconciled value and how it is known.",
    (
        Field("month", "string", "the month", required=True, pattern=r"\d{4}-\d{2}", label="YYYY-MM"),
        Field("country", "string", COUNTRY_DOC, required=True, enum=COUNTRIES),
        Field("metric", "string", "the five core metrics only", required=True, enum=CORE_METRICS),
        Field("value", "integer", "the month's value when the data determines it; empty otherwise (never 0 for "
              "\"not known\")", minimum=0),
        Field("low", "integer", "the least value the data allows", required=True, minimum=0),
        Field("high", "integer", "the greatest value the data allows; empty = no upper limit", minimum=0),
        Field("basis", "string", "`stated`: a CENTCOM document gives the month; `reported`: only outlets give it; "
              "`derived`: exact arithmetic from other figures; `bounded`: only limits are known; `unknown`: "
              "nothing constrains it", required=True, enum=BASES),
        Field("source_ids", "string", SOURCE_IDS_DOC),
        Field("note", "string", "one sentence, built from the data, on how the value was chosen"),
        *_period(what=" a month without a value of its own belongs to: the tightest span longer than a month, "
                 "with an exact total, that covers the whole month; spans of whole months come from the interval "
                 "network (a figure in use or a span derived by subtraction), other spans are the figures "
                 "themselves", prefix="span"),
        Field("span_total", "integer", "the span's total", minimum=0),
        Field("span_basis", "string", "how the span's total is known", enum=("stated", "reported", "derived")),
        Field("span_average", "number", "the span's average for the month, one decimal: total / months, or "
              "total / days × the month's days where the span is not whole months. An average, never the "
              "month's count", minimum=0),
    ),
    primary_key=("month", "country", "metric"),
)

DISCREPANCIES = Table(
    "discrepancies", "data/processed/discrepancies.csv", "Discrepancies",
    "One row per disagreement between or within sources, with its likely explanation and what the series keeps.",
    (
        Field("discrepancy_id", "string", "`D` and a short hash of kind, period, country, metric and both values: "
              "stable across builds", required=True, unique=True, pattern=r"D[0-9a-f]{7}(?:-\d+)?",
              label="`D` and 7 hex digits"),
        Field("kind", "string", "; ".join(f"`{k}`: {v}" for k, v in DISCREPANCY_KINDS.items()), required=True,
              enum=tuple(DISCREPANCY_KINDS)),
        *_period(required=True, what=" disputed"),
        Field("country", "string", COUNTRY_DOC, required=True, enum=COUNTRIES),
        Field("metric", "string", "what is disputed", required=True, enum=tuple(METRICS), label="a metric"),
        *_side("a", "side a, what the series follows (for `period_sum`, the monthly series itself)"),
        *_side("b", "side b, the other figure"),
        Field("period_start_b", "date", "first day of side b's own period where it differs from the row's "
              "(`period_wording`); empty otherwise"),
        Field("period_end_b", "date", "last day of side b's own period, likewise"),
        Field("difference", "integer", "for two figures the smallest gap between the ranges they allow "
              "(`low`..`high`), positive where side b lies above side a; for `period_wording` side b's length in "
              "days minus side a's"),
        Field("explanation", "string", "the likely explanation, in full sentences naming the sources",
              required=True),
        Field("resolution", "string", "which value the series uses, and why", required=True),
        Field("claim_ids", "string", CLAIM_IDS_DOC),
    ),
    primary_key=("discrepancy_id",),
)

PERIODS = Table(
    "periods", "data/processed/periods.csv", "Periods",
    "Every multi-month core figure beside the sum of the monthly series over exactly its dates, and the spans "
    "that can be derived by subtraction.",
    (
        *_period(required=True),
        Field("period_days", "integer", "the span's inclusive length in days", required=True, minimum=1),
        Field("span_kind", "string", "`months`: other whole months; `rolling`: not whole months (\"since "
              "August 29\"); `derived`: a span derived by subtraction", required=True, enum=SPAN_KINDS),
        Field("country", "string", COUNTRY_DOC, required=True, enum=COUNTRIES),
        Field("metric", "string", "a core metric", required=True, enum=CORE_METRICS),
        Field("claimed", "integer", "the figure (one row per distinct figure)", required=True, minimum=0),
        Field("qualifier", "string", "its qualifier, as in `figures.csv`", required=True, enum=QUALIFIERS),
        Field("low", "integer", "the least value the figure allows", required=True, minimum=0),
        Field("high", "integer", "the greatest value it allows; empty = no upper limit", minimum=0),
        Field("source_ids", "string", SOURCE_IDS_DOC),
        Field("series_sum", "integer", "the sum of the monthly series over the span, when every month is "
              "determined", minimum=0),
        Field("status", "string", "`cannot_check`: the note names the months not known, or says the span is not "
              "whole months", required=True, enum=STATUSES),
        Field("difference", "integer", "claimed − series sum (for a qualified figure, the smallest gap between "
              "`low`..`high` and the sum)"),
        Field("note", "string", "how the row was read, and whether the figure bounds the series"),
        Field("claim_ids", "string", CLAIM_IDS_DOC),
    ),
    primary_key=("period_start", "period_end", "span_kind", "country", "metric", "claimed", "qualifier"),
)

READINGS_TABLE = Table(
    "readings", "data/processed/readings.csv", "Readings of operations",
    "Which reading of operations each source's headline uses, where it gives a headline and a breakdown.",
    (
        Field("source_id", "string", "the source (`sources.csv`)", required=True),
        Field("publisher", "string", "its publisher", required=True),
        *_period(required=True),
        Field("country", "string", COUNTRY_DOC, required=True, enum=COUNTRIES),
        Field("headline", "integer", "the headline operations figure", minimum=0),
        Field("partnered", "integer", "partnered operations, from its breakdown", minimum=0),
        Field("us_only", "integer", "U.S.-only operations, from its breakdown", minimum=0),
        Field("partnered_plus_us_only", "integer", "the two added", minimum=0),
        Field("reading", "string", "`either`: no U.S.-only operations are given", required=True, enum=READINGS),
        Field("note", "string", "the arithmetic, in a sentence"),
        Field("claim_ids", "string", CLAIM_IDS_DOC),
    ),
    primary_key=("source_id", "period_start", "period_end", "country"),
    foreign_keys=(ForeignKey(("source_id",), "sources", ("source_id",)),),
)

TABLES: dict[str, Table] = {t.name: t for t in (SOURCES, FIGURES, EVENTS, AMENDMENTS, CLAIMS, MONTHLY, DISCREPANCIES,
                                                 PERIODS, READINGS_TABLE)}

# --- Frictionless Data Package --------------------------------------------------------------------------------

DATA_LICENCE = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0",
                "path": "https://creativecommons.org/licenses/by/4.0/"}
CODE_LICENCE = {"name": "MIT", "title": "MIT License", "path": "https://opensource.org/licenses/MIT"}
SOURCES_NOTE = {"title": "CENTCOM press releases and the news reports restating them, each named by its URL in "
                         "data/raw/sources.csv", "path": "data/raw/sources.csv"}


def resource(table: Table) -> dict:
    """The Data Package resource describing one table."""
    schema: dict = {"fields": [f.frictionless() for f in table.fields], "missingValues": [""]}
    if table.primary_key:
        schema["primaryKey"] = list(table.primary_key)
    if table.foreign_keys:
        schema["foreignKeys"] = [{"fields": list(fk.fields),
                                  "reference": {"resource": fk.table, "fields": list(fk.reference)}}
                                 for fk in table.foreign_keys]
    return {"name": table.name, "path": table.path, "title": table.title, "description": table.description,
            "profile": "tabular-data-resource", "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
            "licenses": [DATA_LICENCE], "schema": schema}


def descriptor() -> dict:
    """The Frictionless Data Package descriptor of the project's data (``datapackage.json``)."""
    return {
        "profile": "tabular-data-package",
        "name": "disis-tally",
        "title": "disis-tally: the public record of CENTCOM's Defeat-ISIS figures for Iraq and Syria",
        "description": "Every figure CENTCOM and the news reports restating it published on counter-ISIS "
                       "operations in Iraq and Syria, with its source; the reconciled monthly series; and every "
                       "disagreement, with its likely explanation. The data are under CC BY 4.0, the code "
                       "(which rebuilds data/processed/ with `tally build`) under MIT.",
        "version": __version__,
        "licenses": [DATA_LICENCE],
        "sources": [SOURCES_NOTE],
        "keywords": ["CENTCOM", "ISIS", "Iraq", "Syria", "counter-ISIS operations"],
        "resources": [resource(t) for t in TABLES.values()],
    }


def descriptor_text() -> str:
    """``datapackage.json`` as written: sorted nowhere, indented, ending in a newline."""
    return json.dumps(descriptor(), indent=2, ensure_ascii=False) + "\n"


# --- data/README.md ---------------------------------------------------------------------------------------------


def _md(text: str) -> str:
    return text.replace("|", "\\|")


def column_table(table: Table) -> str:
    """The Markdown column table of one file, with a line naming its keys."""
    lines = ["| column | type | meaning |", "| --- | --- | --- |"]
    lines += [f"| `{f.name}` | {_md(f.type_text())} | {_md(f.description)} |" for f in table.fields]
    keys = []
    if table.primary_key:
        keys.append("Key: (" + ", ".join(f"`{c}`" for c in table.primary_key) + "), unique.")
    for fk in table.foreign_keys:
        target = TABLES[fk.table]
        keys.append(f"Every `{', '.join(fk.fields)}` is a `{', '.join(fk.reference)}` of "
                    f"`{target.path.removeprefix('data/')}`.")
    return "\n".join(lines) + ("\n\n" + " ".join(keys) if keys else "") + "\n"


def _markers(name: str) -> tuple[str, str]:
    return f"<!-- columns:{name}:start (make docs) -->", f"<!-- columns:{name}:end -->"


def readme_with_tables(text: str) -> str:
    """``data/README.md``'s text with every column table between its markers regenerated."""
    for name, table in TABLES.items():
        start, end = _markers(name)
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), flags=re.S)
        if not pattern.search(text):
            raise ValueError(f"data/README.md has no marker {start}")
        text = pattern.sub(lambda _m: f"{start}\n{column_table(table)}{end}", text)
    return text


# --- pandera ----------------------------------------------------------------------------------------------------


def pandera_schema(name: str):
    """The pandera schema checking table ``name`` as read as text (``dtype=str``, empty for missing).

    Every failed check names its problem the way ``tally check`` prints it.
    """
    import pandera.pandas as pa  # here: pandera is slow to import and only validation needs it

    def blank(s):
        return s == ""

    def checks(f: Field) -> list:
        out = []
        if f.required:
            out.append(pa.Check(lambda s: s.str.strip() != "", error="missing required value"))
        if f.enum:
            allowed = list(f.enum)
            out.append(pa.Check(lambda s: s.isin(allowed) | blank(s),
                                error="unknown value; must be one of " + ", ".join(allowed)))
        if f.type == "date":
            out.append(pa.Check(lambda s: s.map(lambda v: v == "" or _is_date(v)), error=DATE_ERROR))
        if f.type == "boolean":
            out.append(pa.Check(lambda s: s.isin(["true", "false", ""]), error="must be true or false"))
        if f.pattern:
            rx = re.compile(f.pattern)
            out.append(pa.Check(lambda s: s.map(lambda v: v == "" or rx.fullmatch(v) is not None),
                                error=f.pattern_error or f"must match {f.pattern}"))
        elif f.type == "integer":
            out.append(pa.Check(lambda s: s.str.match(r"^-?\d+$") | blank(s), error="must be a whole number"))
            if f.minimum is not None:
                low = f.minimum
                out.append(pa.Check(lambda s: s.map(lambda v: not re.fullmatch(r"-?\d+", v) or int(v) >= low),
                                    error="must not be negative" if low == 0 else f"must be at least {low}"))
        return out

    table = TABLES[name]
    return pa.DataFrameSchema({f.name: pa.Column(str, checks(f), nullable=False) for f in table.fields},
                              strict=False, name=table.path)


def _is_date(text: str) -> bool:
    from datetime import date

    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


# --- make docs --------------------------------------------------------------------------------------------------


def write_docs(root: Path, check: bool = False) -> list[str]:
    """Rewrite ``datapackage.json`` and ``data/README.md``'s tables under ``root``; the files that were stale.

    With ``check``, write nothing.
    """
    stale = []
    wanted = {root / "datapackage.json": descriptor_text()}
    readme = root / "data" / "README.md"
    wanted[readme] = readme_with_tables(readme.read_text(encoding="utf-8"))
    for path, text in wanted.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(str(path.relative_to(root)))
            if not check:
                path.write_text(text, encoding="utf-8")
    return stale


if __name__ == "__main__":
    from .config import Paths

    check = sys.argv[1:] == ["--check"]
    try:
        stale = write_docs(Paths.at().root, check=check)
    except (ValueError, OSError) as exc:
        print(f"make docs: {exc}", file=sys.stderr)
        sys.exit(1)
    for name in stale:
        print(f"{name}: {'stale: run `make docs`' if check else 'rewritten'}", file=sys.stderr if check else sys.stdout)
    sys.exit(1 if check and stale else 0)
