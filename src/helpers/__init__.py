"""disis-tally: the public record of CENTCOM's Defeat-ISIS figures, reconciled.

The data flows raw -> curate -> build (reconcile) -> tables -> plots / narrative -> report. A module
imports only from the layers before it: vocab, config, errors, months, words, _files, _events,
_formats, schema < curate, amendments, parse < tables, reconcile < build, ingest, add, changelog < plots,
narrative, explore < report < cli.

- ``config``: the paths of a project copy (``--root``).
- ``errors``: the one-line errors the commands print.
- ``vocab``: countries, metrics, qualifiers, source kinds, and the bounds a qualifier allows.
- ``months``: YYYY-MM months, month indexes, a month's first and last day, checking a month.
- ``words``: all the English: numbers, lists, months and periods, metrics, bases, source names.
- ``_files``: atomic writes, the processed set's manifest, the lock on ``data/raw/``, size limits.
- ``_events``: validation of ``data/raw/events.csv``.
- ``_formats``: keeps jsonschema's unused format checkers (a second to import) from loading.
- ``curate``: load and validate the raw CSVs (``data/raw/``), one line per problem.
- ``amendments``: curators' fixes and scope marks on figure rows (``data/raw/amendments.csv``).
- ``parse/``: a release's text to figures (patterns, periods, layout, figures, the reader).
- ``schema``: every table's columns, once: the pandera checks, ``datapackage.json`` and the data dictionary.
- ``changelog``: what an ingest adds to ``CHANGELOG.md``'s data section.
- ``ingest``: append a parsed release to the raw CSVs.
- ``add``: append hand-curated figures, in the layout they are found in, to the raw CSVs.
- ``tables``: the one reader of the processed tables: columns, typed readers, ``Tables`` and its cache.
- ``reconcile/``: claims to the monthly series, discrepancies, periods and readings (``_groups``,
  ``_network`` the interval network, ``_checks``, ``_counts`` one source's two figures and running
  counts, ``_explain``, ``_series``, ``totals`` the total over any span).
- ``build``: raw to processed, orchestration and the atomic write.
- ``explore``: tables for the exploration notebooks.
- ``plots``: the trend figures, from ``tables``.
- ``narrative``: a month's prose, from ``tables``.
- ``report/``: the monthly HTML report (render, kernels, index, sections).
- ``readme``: the README's example of a report.
- ``hygiene``: notebooks committed without outputs (a git filter).
- ``cli``: the ``tally`` command.
"""

__version__ = "0.1.0"
