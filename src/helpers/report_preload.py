"""What the warm process behind every report kernel loads once (see ``helpers.report_warm``)."""

import contextlib
import io
import os

# What ipykernel sets before any user code runs; matplotlib reads it when first imported.
os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")

# Each kernel imports its debugger (debugpy, slow) as it starts; here once instead. debugpy warns
# on stderr as it loads, where a kernel's own start would have swallowed it.
with contextlib.redirect_stderr(io.StringIO()):
    import ipykernel.debugger  # noqa: E402,F401
import ipykernel.ipkernel  # noqa: E402,F401
import ipykernel.kernelapp  # noqa: E402,F401
import matplotlib.pyplot  # noqa: E402,F401
import pandas  # noqa: E402,F401
import seaborn  # noqa: E402,F401
from matplotlib.figure import Figure  # noqa: E402

# The project's own modules: one that fails to import here fails again where it is used, with its error.
try:
    from helpers import narrative, plots, reconcile, report_sections  # noqa: F401
except Exception:  # noqa: S110
    pass


def draw_once() -> None:
    """Draw and save one small figure with no pyplot state, so that the fonts and the PNG writer are
    loaded here once rather than in every kernel: a report's first figure then takes half the time."""
    fig = Figure(layout="constrained")
    ax = fig.subplots()
    ax.bar([0, 1], [1, 2], hatch="//", label="bars")
    ax.set_title("warm", loc="left", fontweight="bold")
    ax.legend(title="key")
    fig.suptitle("warm", fontweight="bold")
    fig.text(0, 0, "source 0123456789", fontsize=6)
    fig.savefig(io.BytesIO(), format="png")


draw_once()
