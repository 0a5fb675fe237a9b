"""disis-tally: the public record of CENTCOM's Defeat-ISIS figures, reconciled.

Modules: ``config`` (paths), ``vocab`` (countries, metrics, qualifiers, bounds),
``curate`` (load and validate the raw CSVs), ``build`` (raw to processed),
``parse`` (release text to figures), ``ingest`` (append a parsed release),
``reconcile`` (the monthly series, discrepancies and periods), ``plots``,
``narrative`` and ``report``.
"""

__version__ = "0.1.0"
