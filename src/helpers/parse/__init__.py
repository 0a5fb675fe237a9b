"""Release parser: the text of a CENTCOM Defeat-ISIS release -> the figures it states.

A user pastes a release as it stands on the web page, site chrome and all. The parser reads it
through tables of phrases (number words, qualifiers, metric phrases, period phrases, country
mentions) rather than per-layout code:

* the text is normalised (BOM, CRLF, NBSP, curly quotes, dashes) and cut into units: a list item
  or header line, or one sentence of prose;
* country headers ("In Iraq:", "• In Iraq: • In Syria:", "In Iraq In Syria") open a block, or a
  pair of columns, that the item lines below them belong to;
* each count phrase ("33 partnered operations", "killed 14 ISIS operatives", "No U.S.-only
  operations", "more than 70 targets") becomes a figure. It takes the nearest period phrase of
  its sentence, else the period the release is about (point-in-time metrics: the release date),
  and the nearest country mention, else its column or block, else the release's scope (a
  Syria-only release, or Iraq and Syria together: ``all``);
* one figure is kept per period, country and metric; a conflicting repeat becomes a warning.

Modules: ``_patterns`` (tables of phrases: numbers, qualifiers, metrics, countries), ``_periods`` (period
phrases and their dates), ``_layout`` (units, blocks, columns; the release's date, number and title),
``_figures`` (count phrases within a unit, their countries, the release's scope), ``_reader`` (the two
passes: ``parse_text``, ``parse_file``), ``_checks`` (headline totals against their breakdown), ``_command``
(``tally parse``, ``--explain``).
"""

from __future__ import annotations

from ._checks import Check, checks
from ._command import CSV_FIELDS, explain, run_parse
from ._reader import Explanation, Figure, Release, parse_file, parse_text

__all__ = ["Figure", "Release", "Explanation", "Check", "parse_text", "parse_file", "checks", "explain", "run_parse",
           "CSV_FIELDS"]
