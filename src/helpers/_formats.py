"""jsonschema's optional format checkers, kept from loading where nothing uses them.

jsonschema imports every optional format checker that is installed (JupyterLab's dependencies
install them), and nbformat imports jsonschema to validate notebooks, whose schema has no
"format" keyword. The "iri" checker (``rfc3987_syntax``) builds a grammar for about a second
when imported; the rest take a twentieth of a second together.
"""

from __future__ import annotations

import sys

IRI_CHECKER = ("rfc3987_syntax",)
UNUSED_FORMAT_CHECKERS = IRI_CHECKER + ("rfc3987", "rfc3986_validator", "rfc3339_validator", "isoduration",
                                        "uri_template", "jsonpointer", "webcolors", "fqdn")


def skip_format_checkers(names: tuple[str, ...] = UNUSED_FORMAT_CHECKERS) -> None:
    """Keep jsonschema from loading these optional format checkers, in this process only and only if
    jsonschema is not loaded yet: a name set to None in ``sys.modules`` cannot be imported, and
    jsonschema skips a checker it cannot import."""
    if "jsonschema" not in sys.modules:
        for name in names:
            sys.modules.setdefault(name, None)
