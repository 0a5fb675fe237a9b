"""``tally add``: append hand-curated figures, one row per figure per source, to ``data/raw/``.

The input is a CSV in the layout figures are found in (``period_start``, ``period_end``,
``period_wording``, ``country``, ``metric``, ``value``, ``qualifier``, ``source_kind``, ``site``,
``source_url``, ``source_date``), with optional columns a curator fills in: ``publisher``,
``title``, ``attributed_to``, ``note`` and ``scope`` (``event`` or ``mixed_groups``, recorded in
``amendments.csv``). A finder's ``context`` column is ignored: notes are the curator's own words.

Sources are matched by URL (a URL already in ``sources.csv`` keeps its source id), new ones get
an id from the site and date; a figure already recorded for the same source, period, country,
metric and value is skipped; a second value for the same key becomes the source's next
``mention``. Nothing is written without ``--yes``, and then all three files change together.
"""

from __future__ import annotations

import csv
import io
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from . import amendments
from ._files import appended_bytes, csv_lines, raw_lock, write_raw_together
from .config import Paths
from .curate import FIGURE_COLUMNS, SOURCE_COLUMNS, load_raw, validate
from .errors import TallyError

REQUIRED = ("period_start", "period_end", "country", "metric", "value", "qualifier", "source_kind",
            "source_url", "source_date")
OPTIONAL = ("period_wording", "site", "publisher", "title", "attributed_to", "note", "scope", "context")
KINDS = {"centcom_release": "centcom_release", "centcom_statement": "centcom_statement", "news": "news",
         "lig": "lig", "other": "other"}
# Whose figure a row is when the curator does not say: a news report restates CENTCOM.
DEFAULT_ATTRIBUTION = {"centcom_release": "centcom", "centcom_statement": "centcom", "news": "centcom",
                       "lig": "lig", "other": "other"}
SITE_PREFIXES = ("www.", "en.", "english.", "news.", "m.", "arab.")
DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass
class Plan:
    """What ``tally add`` would append, and what it skips."""

    sources: list[dict] = field(default_factory=list)
    figures: list[dict] = field(default_factory=list)
    scopes: list[tuple[int, str]] = field(default_factory=list)  # (index in figures, scope)
    skipped: list[str] = field(default_factory=list)


def site_slug(url: str) -> str:
    """The short name of a web site for a source id: ``https://www.shafaq.com/...`` gives ``shafaq``."""
    host = urlsplit(url).hostname or "source"
    for prefix in SITE_PREFIXES:
        if host.startswith(prefix) and host.count(".") > 1:
            host = host[len(prefix):]
    name = host.rsplit(".", 1)[0] if "." in host else host
    return re.sub(r"[^a-z0-9]+", "-", name.split(".")[-1].lower()).strip("-") or "source"


def published(source_date: str) -> tuple[str, bool, str]:
    """(published, approximate?, note) from a date as found: ``2024-11-23``, ``c. 2024-10``, ``unknown``."""
    text = source_date.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return text, False, ""
    found = DATE.search(text)
    note = f"date given as '{text}'"
    return (found.group(1) if found else ""), True, note


def read_rows(file: str) -> list[tuple[int, dict]]:
    """The input rows with their line numbers; a malformed file is one line of error."""
    try:
        text = Path(file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TallyError(f"{file}: cannot read: {getattr(exc, 'strerror', None) or exc}") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise TallyError(f"{file}:1: missing column(s): {', '.join(missing)}")
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if unknown:
        raise TallyError(f"{file}:1: unknown column(s): {', '.join(unknown)}")
    rows = []
    for row in reader:
        if None in row or any(v is None for v in row.values()):
            raise TallyError(f"{file}:{reader.line_num}: expected {len(header)} fields")
        rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
    if not rows:
        raise TallyError(f"{file}: no figures in the file")
    return rows


def _source_row(row: dict, source_id: str, publishers: dict[str, str]) -> dict:
    day, approx, note = published(row["source_date"])
    site = row.get("site") or urlsplit(row["source_url"]).hostname or ""
    return {
        "source_id": source_id, "kind": KINDS.get(row["source_kind"], row["source_kind"]),
        "publisher": row.get("publisher") or publishers.get(site_slug(row["source_url"]), site),
        "title": row.get("title", ""), "url": row["source_url"], "published": day,
        "published_approx": "true" if approx else "false", "release_number": "", "note": note,
    }


def _new_id(row: dict, taken: set[str]) -> str:
    day = published(row["source_date"])[0] or "undated"
    base = f"{site_slug(row['source_url'])}-{day}"
    sid, n = base, 2
    while sid in taken:
        sid, n = f"{base}-{n}", n + 1
    return sid


def plan(paths: Paths, file: str) -> Plan:
    """Match the input against the raw data: new sources, new figures, and the rows skipped as known."""
    sources, figures = load_raw(paths)
    by_url = dict(zip(sources["url"], sources["source_id"]))
    publishers = {site_slug(u): p for u, p in zip(sources["url"], sources["publisher"])}
    taken = set(sources["source_id"])
    known: dict[tuple, set[int]] = {}
    mentions: dict[tuple, int] = {}
    for f in figures.itertuples():
        start = "" if f.period_start is None or str(f.period_start) == "NaT" else f.period_start.date().isoformat()
        end = "" if f.period_end is None or str(f.period_end) == "NaT" else f.period_end.date().isoformat()
        key = (f.source_id, start, end, f.country, f.metric)
        known.setdefault(key, set()).add(int(f.value))
        mentions[key] = max(mentions.get(key, 0), int(f.mention))
    out = Plan()
    for line, row in read_rows(file):
        url = row["source_url"]
        if url not in by_url:
            sid = _new_id(row, taken)
            taken.add(sid)
            by_url[url] = sid
            out.sources.append(_source_row(row, sid, publishers))
        sid = by_url[url]
        key = (sid, row["period_start"], row["period_end"], row["country"], row["metric"])
        value = int(row["value"]) if row["value"].isdigit() else row["value"]
        if value in known.get(key, set()):
            out.skipped.append(f"{file}:{line}: already recorded as {sid} {row['metric']} {row['value']}")
            continue
        known.setdefault(key, set()).add(value)
        mentions[key] = mentions.get(key, 0) + 1
        attributed = row.get("attributed_to") or DEFAULT_ATTRIBUTION.get(row["source_kind"], "")
        out.figures.append({
            "source_id": sid, "period_start": row["period_start"], "period_end": row["period_end"],
            "period_wording": row.get("period_wording", ""), "country": row["country"], "metric": row["metric"],
            "value": row["value"], "qualifier": row["qualifier"], "entry": "hand", "attributed_to": attributed,
            "mention": str(mentions[key]), "note": row.get("note", ""),
        })
        if row.get("scope"):
            out.scopes.append((len(out.figures) - 1, row["scope"]))
    return out


def run_add(paths: Paths, file: str, yes: bool, added: str, stdout) -> int:
    """The body of ``tally add``: show what would be appended; append with ``yes`` (under the lock on
    ``data/raw/``, the three files replaced as one)."""
    with raw_lock(paths.raw, "add", paths.root):
        return _run_add(paths, file, yes, added, stdout)


def _run_add(paths: Paths, file: str, yes: bool, added: str, stdout) -> int:
    p = plan(paths, file)
    print(f"{file}: {len(p.figures)} new figures from {len(p.figures) and len({f['source_id'] for f in p.figures})} "
          f"sources ({len(p.sources)} new), {len(p.skipped)} already recorded", file=stdout)
    for line in p.skipped:
        print(f"  skipped: {line}", file=stdout)
    if not p.figures:
        return 0
    if not yes:
        for f in p.figures:
            print(f"  {f['source_id']}: {f['period_start']}..{f['period_end']} {f['country']} {f['metric']} "
                  f"{f['value']} ({f['qualifier']})", file=stdout)
        print("nothing written; run again with --yes to append these rows to data/raw/", file=stdout)
        return 0
    first_line = _line_count(paths.figures_csv) + 1
    marks = [amendments.Amendment(first_line + i, "scope", scope, "marked when the figure was added", added)
             for i, scope in p.scopes]
    files = {
        paths.sources_csv: appended_bytes(paths.sources_csv, csv_lines(p.sources, SOURCE_COLUMNS)),
        paths.figures_csv: appended_bytes(paths.figures_csv, csv_lines(p.figures, FIGURE_COLUMNS)),
    }
    if marks:
        files[paths.amendments_csv] = amendments.appended_bytes(paths, marks)
    _check_scratch(paths, files)
    write_raw_together(paths.raw, files)
    print(f"appended {len(p.sources)} sources, {len(p.figures)} figures and {len(marks)} amendments to "
          f"{paths.rel(paths.raw)}; run `tally build` (or `make data`) to rebuild data/processed/", file=stdout)
    return 0


def _line_count(path: Path) -> int:
    """Records in a CSV file, header included: the file line the next appended record gets."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        for _ in reader:
            pass
        return reader.line_num



def _check_scratch(paths: Paths, files: dict[Path, bytes]) -> None:
    """Validate the new raw files in a scratch copy before anything is replaced."""
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Paths.at(tmp)
        scratch.raw.mkdir(parents=True)
        for path in (paths.sources_csv, paths.figures_csv, paths.amendments_csv):
            if path in files:
                (scratch.raw / path.name).write_bytes(files[path])
            elif path.exists():
                (scratch.raw / path.name).write_bytes(path.read_bytes())
        problems = validate(scratch)[2] + amendments.problems(scratch)
    if problems:
        raise TallyError("the new rows would not validate: " + "; ".join(problems) + "; nothing written")
