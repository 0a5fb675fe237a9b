"""``tally parse``: figures as CSV or JSON, or (``--explain``) where each figure comes from."""

from __future__ import annotations

import csv
import json

from ..errors import ParseError
from ._checks import checks
from ._reader import Release, _show, parse_file

CSV_FIELDS = ("file", "period_start", "period_end", "country", "metric", "value", "qualifier",
              "period_wording", "release_date", "release_number", "title")


def _row(path, release: Release, f) -> dict:
    return {"file": str(path), "period_start": f.period_start.isoformat(),
            "period_end": f.period_end.isoformat(), "country": f.country, "metric": f.metric,
            "value": f.value, "qualifier": f.qualifier, "period_wording": f.period_wording,
            "release_date": release.release_date.isoformat() if release.release_date else None,
            "release_number": release.release_number, "title": release.title}


def explain(release: Release) -> list[str]:
    """For each figure: what it is, the sentence it came from, and the words that set its metric,
    country and period. Lines of text, a blank line between figures."""
    out = []
    for i, e in enumerate(release.explanations, 1):
        f = e.figure
        wording = f", {f.period_wording!r}" if f.period_wording else ""
        out += [f"{i}. {f.country} {f.metric} {_show(f)}, {f.period_start}..{f.period_end}{wording}",
                f"   line {e.line}: {e.sentence}",
                f"   metric:  {e.metric_words}",
                f"   country: {e.country_words}",
                f"   period:  {e.period_words}", ""]
    return out


def _report(path, release: Release, stderr) -> None:
    for w in release.warnings:
        print(f"{path}: warning: {w}", file=stderr)
    for c in checks(release):
        if not c.ok:
            print(f"{path}: check: {c.message}", file=stderr)


def run_parse(files: list[str], as_json: bool, stdout, stderr, explained: bool = False) -> int:
    """The body of ``tally parse FILE...``: figures as CSV (or JSON, or explained) on stdout; warnings,
    failed checks and unreadable or figureless files on stderr. 1 when a file yielded no figures, else 0."""
    rows, failed = [], []
    writer = None
    if not (as_json or explained):
        writer = csv.DictWriter(stdout, fieldnames=CSV_FIELDS, lineterminator="\n")
        writer.writeheader()
    for path in files:
        try:
            release = parse_file(path)
        except ParseError as e:
            failed.append(str(e))
            continue
        _report(path, release, stderr)
        if explained:
            stdout.write("\n".join([f"{path}: {len(release.figures)} figure(s)", "", *explain(release)]) + "\n")
        for f in release.figures:
            row = _row(path, release, f)
            if writer:
                writer.writerow({k: "" if v is None else v for k, v in row.items()})
            else:
                rows.append(row)
    if as_json and not explained:
        json.dump(rows, stdout, indent=1, ensure_ascii=False)
        stdout.write("\n")
    for message in failed:
        print(f"tally parse: {message}", file=stderr)
    return 1 if failed else 0
