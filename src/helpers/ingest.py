"""``tally ingest``: parse a release and append it to ``data/raw/`` (append-only, atomically)."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

from .build import write_atomically
from .config import Paths
from .curate import FIGURE_COLUMNS, SOURCE_COLUMNS, load_raw, validate
from .errors import TallyError
from .parse import Release, checks, parse_file

PUBLISHER = "U.S. Central Command"


def _csv_lines(rows: list[dict], columns: tuple[str, ...]) -> str:
    out = io.StringIO()
    csv.DictWriter(out, columns, lineterminator="\n").writerows(rows)
    return out.getvalue()


def _appended(path: Path, text: str) -> bytes:
    old = path.read_bytes()
    if old and not old.endswith(b"\n"):
        old += b"\n"
    return old + text.encode("utf-8")


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


def ingest(paths: Paths, file: str, url: str) -> tuple[Release, dict, list[dict]]:
    """Parse ``file`` and check it can be added; returns the release and the rows to append."""
    sources, _ = load_raw(paths)
    release = parse_file(file)
    url = url.strip()
    if not url.startswith(("http://", "https://")):
        raise TallyError(f"--url {url!r}: must be an http(s) address")
    if url in set(sources["url"]):
        sid = sources.loc[sources["url"] == url, "source_id"].iloc[0]
        raise TallyError(f"{file}: this URL is already in the data as source {sid}; nothing written")
    if release.release_number and release.release_number in set(sources["release_number"]):
        sid = sources.loc[sources["release_number"] == release.release_number, "source_id"].iloc[0]
        raise TallyError(
            f"{file}: release number {release.release_number} is already in the data as source {sid}; nothing written"
        )
    source, figures = new_rows(release, url, set(sources["source_id"]))
    return release, source, figures


def _validated_bytes(paths: Paths, source: dict, figures: list[dict]) -> dict[Path, bytes]:
    """The new raw files' bytes, checked by validating a scratch copy first."""
    files = {
        paths.sources_csv: _appended(paths.sources_csv, _csv_lines([source], SOURCE_COLUMNS)),
        paths.figures_csv: _appended(paths.figures_csv, _csv_lines(figures, FIGURE_COLUMNS)),
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
    """The body of ``tally ingest``: show the figures and the checks; append with ``yes``."""
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
    write_atomically(_validated_bytes(paths, source, figures))
    print(f"appended 1 source and {len(figures)} figures to {paths.rel(paths.raw)}; "
          "run `tally build` (or `make data`) to rebuild data/processed/", file=stdout)
    return 0

