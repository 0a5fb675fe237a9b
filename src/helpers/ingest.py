"""``tally ingest``: parse a release and append it to ``data/raw/`` (append-only, atomically).

The whole command holds the lock on ``data/raw/`` (a second ingest, or a build, is refused in one
line), and ``sources.csv`` and ``figures.csv`` are replaced as one (``_files.write_raw_together``).
A release already in the data is refused: the same URL once normalised (scheme and host in lower
case, no query string, fragment or trailing slash, http the same as https), the same release
number, or a CENTCOM source of the same date that already states exactly the release's figures.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pandas as pd

from ._files import appended_bytes, csv_lines, raw_lock, write_raw_together
from .changelog import disagreement_changes, record_ingest
from .config import Paths
from .curate import FIGURE_COLUMNS, SOURCE_COLUMNS, load_raw, validate
from .errors import TallyError
from .parse import Release, checks, parse_file
from .vocab import CENTCOM_KINDS

PUBLISHER = "U.S. Central Command"


def new_rows(release: Release, url: str, taken_ids: set[str]) -> tuple[dict, list[dict]]:
    """The sources.csv row and figures.csv rows that record a parsed release."""
    day = release.release_date.isoformat() if release.release_date else "undated"
    source_id, n = f"centcom-{day}", 2
    while source_id in taken_ids:
        source_id, n = f"centcom-{day}-{n}", n + 1
    source = {
        "source_id": source_id, "kind": "centcom_release", "publisher": PUBLISHER,
        "title": release.title or "", "url": url,
        "published": release.release_date.isoformat() if release.release_date else "",
        "published_approx": "false" if release.release_date else "true",
        "release_number": release.release_number or "",
        "note": "" if release.release_date else "no release date found in the text",
    }
    figures = [
        {
            "source_id": source_id, "period_start": f.period_start.isoformat(),
            "period_end": f.period_end.isoformat(), "period_wording": f.period_wording,
            "country": f.country, "metric": f.metric, "value": str(f.value), "qualifier": f.qualifier,
            "entry": "parsed", "attributed_to": "centcom", "mention": "1", "note": "",
        }
        for f in release.figures
    ]
    return source, figures


def normal_url(url: str) -> str:
    """The address two spellings of one page share: scheme and host in lower case (http as https),
    no query string, fragment or trailing slash."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    scheme = "https" if scheme == "http" else scheme
    return f"{scheme}://{parts.netloc.lower()}{parts.path.rstrip('/')}"


def _figure_set(rows) -> frozenset:
    return frozenset((r["period_start"], r["period_end"], r["country"], r["metric"], str(r["value"]),
                      r["qualifier"]) for r in rows)


def _iso(day) -> str:
    return "" if pd.isna(day) else day.date().isoformat()


def _same_figures(sources, figures, release: Release) -> str | None:
    """The CENTCOM source published the release's day that states exactly its figures, if any."""
    if release.release_date is None or not release.figures:
        return None
    day = pd.Timestamp(release.release_date)
    want = _figure_set({"period_start": f.period_start.isoformat(), "period_end": f.period_end.isoformat(),
                        "country": f.country, "metric": f.metric, "value": f.value, "qualifier": f.qualifier}
                       for f in release.figures)
    same_day = sources.loc[sources["published"].eq(day) & sources["kind"].isin(CENTCOM_KINDS), "source_id"]
    for sid in same_day:
        rows = figures[figures["source_id"] == sid]
        have = _figure_set({"period_start": _iso(r.period_start), "period_end": _iso(r.period_end),
                            "country": r.country, "metric": r.metric, "value": r.value, "qualifier": r.qualifier}
                           for r in rows.itertuples())
        if have and have == want:
            return sid
    return None


def ingest(paths: Paths, file: str, url: str) -> tuple[Release, dict, list[dict]]:
    """Parse ``file`` and check it can be added; returns the release and the rows to append."""
    sources, raw_figures = load_raw(paths)
    release = parse_file(file)
    parts = urlsplit(url.strip())  # scheme and host are case-blind: recorded in lower case
    url = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, parts.fragment))
    if not url.startswith(("http://", "https://")):
        raise TallyError(f"--url {url!r}: must be an http(s) address")
    taken = sources["url"].map(normal_url)
    if normal_url(url) in set(taken):
        sid = sources.loc[taken == normal_url(url), "source_id"].iloc[0]
        raise TallyError(f"{file}: this URL is already in the data as source {sid}; nothing written")
    if release.release_number and release.release_number in set(sources["release_number"]):
        sid = sources.loc[sources["release_number"] == release.release_number, "source_id"].iloc[0]
        raise TallyError(
            f"{file}: release number {release.release_number} is already in the data as source {sid}; nothing written"
        )
    sid = _same_figures(sources, raw_figures, release)
    if sid:
        raise TallyError(f"{file}: source {sid}, of the same date, already states exactly these "
                         f"{len(release.figures)} figures; nothing written")
    source, figures = new_rows(release, url, set(sources["source_id"]))
    return release, source, figures


def _validated_bytes(paths: Paths, source: dict, figures: list[dict]) -> dict[Path, bytes]:
    """The new raw files' bytes, checked by validating a scratch copy first."""
    files = {
        paths.sources_csv: appended_bytes(paths.sources_csv, csv_lines([source], SOURCE_COLUMNS)),
        paths.figures_csv: appended_bytes(paths.figures_csv, csv_lines(figures, FIGURE_COLUMNS)),
    }
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Paths.at(tmp)
        scratch.raw.mkdir(parents=True)
        for path, data in files.items():
            (scratch.raw / path.name).write_bytes(data)
        problems = validate(scratch)[2]
    if problems:
        raise TallyError("the parsed rows would not validate: " + "; ".join(problems) + "; nothing written")
    return files


def run_ingest(paths: Paths, file: str, url: str, yes: bool, stdout, stderr) -> int:
    """The body of ``tally ingest``: show the figures and the checks; append with ``yes``. The lock on
    ``data/raw/`` is held from the first read to the last write."""
    with raw_lock(paths.raw, "ingest", paths.root):
        return _run_ingest(paths, file, url, yes, stdout)


def _run_ingest(paths: Paths, file: str, url: str, yes: bool, stdout) -> int:
    release, source, figures = ingest(paths, file, url)
    print(f"{file}: release of {source['published'] or 'unknown date'}"
          f"{', number ' + source['release_number'] if source['release_number'] else ''}"
          f": {len(figures)} figures, to be recorded as source {source['source_id']}", file=stdout)
    width = max(len(f["metric"]) for f in figures)
    for f in figures:
        approx = "" if f["qualifier"] == "exact" else f" ({f['qualifier']})"
        print(f"  {f['period_start']}..{f['period_end']}  {f['country']:<5}  {f['metric']:<{width}}  "
              f"{f['value']}{approx}", file=stdout)
    for check in checks(release):
        print(f"  check: {check.message}", file=stdout)
    for warning in release.warnings:
        print(f"  warning: {warning}", file=stdout)
    if not yes:
        print("nothing written; run again with --yes to append these rows to data/raw/", file=stdout)
        return 0
    before = _disagreements(paths)
    write_raw_together(paths.raw, _validated_bytes(paths, source, figures))
    print(f"appended 1 source and {len(figures)} figures to {paths.rel(paths.raw)}; "
          "run `tally build` (or `make data`) to rebuild data/processed/", file=stdout)
    line = record_ingest(paths, source["source_id"], len(figures),
                         *disagreement_changes(before, _disagreements(paths)), url=url)
    print(f"CHANGELOG.md: {line}", file=stdout)
    return 0


def _disagreements(paths: Paths):
    """The disagreements the raw data gives now (for the CHANGELOG: what an ingest opened or closed)."""
    from .build import load_claims
    from .reconcile import reconcile

    return reconcile(load_claims(paths)).discrepancies

