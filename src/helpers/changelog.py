"""``CHANGELOG.md``: what each ``tally ingest --yes`` changed in the data, appended to its Data section.

The changelog follows Keep a Changelog; the data section of ``## [Unreleased]`` gets one line per
ingested release: the source, the figures it brought and the disagreements it opened or closed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path

import pandas as pd

from ._files import write_atomically
from .config import Paths

UNRELEASED = "## [Unreleased]"
DATA = "### Data"
SKELETON = f"# Changelog\n\n{UNRELEASED}\n\n{DATA}\n"


def changelog_path(paths: Paths) -> Path:
    """Where the project copy keeps its changelog."""
    return paths.root / "CHANGELOG.md"


def _ids(items: Iterable[str]) -> list[str]:
    return [str(i) for i in items]


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def ingest_line(source_id: str, n_figures: int, opened: Iterable[str] = (), closed: Iterable[str] = (),
                url: str = "", when: date | None = None) -> str:
    """The changelog line for one ingested release (a Markdown bullet, no trailing newline)."""
    opened, closed = _ids(opened), _ids(closed)
    when = when or date.today()
    where = f" ({url})" if url else ""
    parts = [f"- {when.isoformat()}: added source `{source_id}`{where}, "
             f"{_count(n_figures, 'figure', 'figures')}"]
    for verb, ids in (("opened", opened), ("closed", closed)):
        listed = f" ({', '.join(ids)})" if ids else ""
        parts.append(f"{verb} {_count(len(ids), 'disagreement', 'disagreements')}{listed}")
    return "; ".join(parts) + "."


def with_data_line(text: str, line: str) -> str:
    """``text`` (a changelog) with ``line`` appended to the Data section of ``## [Unreleased]``.

    The section (and ``## [Unreleased]`` itself) is created where missing, above the first release.
    """
    lines = text.rstrip("\n").splitlines()
    if UNRELEASED not in lines:
        first_release = next((i for i, text in enumerate(lines) if text.startswith("## ")), len(lines))
        gap = [""] if first_release and lines[first_release - 1].strip() else []
        lines[first_release:first_release] = gap + [UNRELEASED, ""]
    start = lines.index(UNRELEASED)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    if DATA in lines[start:end]:
        data = lines.index(DATA, start, end)
        stop = next((i for i in range(data + 1, end) if lines[i].startswith("#")), end)
    else:
        while end > start + 1 and not lines[end - 1].strip():
            end -= 1
        lines[end:end] = ["", DATA]
        data = end + 1
        stop = data + 1
    entries = [text for text in lines[data + 1:stop] if text.strip()]
    section = [DATA, "", *entries, line]
    after = lines[stop:]
    while after and not after[0].strip():
        after.pop(0)
    out = lines[:data] + section + ([""] + after if after else [])
    return "\n".join(out) + "\n"


def disagreement_changes(before: pd.DataFrame, after: pd.DataFrame) -> tuple[list[str], list[str]]:
    """The discrepancy ids (``discrepancies.csv``) that ``after`` adds to ``before``, and those it drops."""
    old, new = set(before["discrepancy_id"]), set(after["discrepancy_id"])
    return sorted(new - old), sorted(old - new)


def record_ingest(paths: Paths, source_id: str, n_figures: int, opened: Iterable[str] = (),
                  closed: Iterable[str] = (), url: str = "", when: date | None = None) -> str:
    """Append an ingested release to ``CHANGELOG.md``'s data section (atomically); returns the line."""
    path = changelog_path(paths)
    text = path.read_text(encoding="utf-8") if path.exists() else SKELETON
    line = ingest_line(source_id, n_figures, opened, closed, url, when)
    write_atomically({path: with_data_line(text, line).encode("utf-8")})
    return line
