"""Regenerate the README's example of a report: one figure and the opening of a month's narrative.

``python -m helpers.readme`` (``make readme``) rewrites ``docs/example-figure.png`` and the text
between the README's ``narrative`` markers, so the numbers shown there come from the data.
"""

from __future__ import annotations

import re
import sys

from .config import Paths
from .narrative import month_summary
from .plots import readme_figure

EXAMPLE_MONTH = "2023-07"  # the report notebook's default month, which has full data
START, END = "<!-- narrative:start -->", "<!-- narrative:end -->"
PARAGRAPHS = 2


def excerpt(paths: Paths | None = None, month: str = EXAMPLE_MONTH) -> str:
    """The first paragraphs of the month's narrative, quoted as the README shows them."""
    paragraphs = [p for p in month_summary(month, paths).split("\n\n") if p.strip()][:PARAGRAPHS]
    return "\n>\n".join("> " + p.replace("\n", "\n> ") for p in paragraphs)


def readme_block(text: str) -> str:
    """The excerpt as it stands in a README text, between the markers."""
    m = re.search(re.escape(START) + r"\n(.*?)\n" + re.escape(END), text, flags=re.S)
    return m.group(1) if m else ""


def update(paths: Paths | None = None) -> None:
    """Rewrite the example figure and the README's narrative excerpt."""
    paths = paths or Paths.at()
    readme_figure(paths.root / "docs" / "example-figure.png", paths)
    readme = paths.root / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = f"{START}\n{excerpt(paths)}\n{END}"
    if START in text:
        text = re.sub(re.escape(START) + r".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        raise SystemExit(f"{readme}: no {START} marker to write the excerpt under")
    readme.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    update()
    sys.exit(0)
