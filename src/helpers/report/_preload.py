"""What the warm process behind every report kernel loads once (see ``helpers.report._warm``).

The libraries the notebook and a kernel need, the project's tables (``narrative.Tables.load``
keeps them for the life of the process, so a kernel forked from it finds them read), and one
small figure drawn, so that what matplotlib sets up on first use is set up here once.
"""

import gc
import io
import os
import sys

# Importing makes hundreds of thousands of objects and next to no garbage: the collector would walk
# them hundreds of times for nothing (a tenth of a second). It is off until all is loaded, below.
gc.disable()

from helpers.report import _warm  # noqa: E402

_warm.end_with_parent()

# What ipykernel sets before any user code runs; matplotlib reads it when first imported.
os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")

import matplotlib  # noqa: E402
import matplotlib.pyplot  # noqa: E402,F401
import pandas  # noqa: E402,F401
import seaborn  # noqa: E402,F401
from matplotlib.figure import Figure  # noqa: E402

# The project's own modules: one that fails to import here fails again where it is used, with its error.
try:
    from helpers import narrative, plots, reconcile, tables  # noqa: F401
    from helpers.config import Paths
    from helpers.report import sections  # noqa: F401
except Exception:  # noqa: S110
    narrative = plots = None

# Set by _warm.warm_up: the project, whose tables every kernel then finds read (``Tables.load``).
if narrative is not None and (project := os.environ.pop(_warm.PROJECT, None)):
    try:
        tables.Tables.load(Paths.at(project))
    except Exception:  # noqa: S110  (the kernel then reads them itself, and says what is wrong)
        pass


def draw_once() -> None:
    """Draw and save one small figure with no pyplot state, as the report does (SVG, hatches, a
    legend, the markers drawn as characters)."""
    fig = Figure()
    ax = fig.subplots()
    ax.bar([0, 1], [1, 2], hatch="//", label="bars")
    for x, char in enumerate("≤?"):
        ax.plot([x], [1], marker=plots.glyph_marker(char) if plots else "^", linestyle="", label=char)
    ax.set_title("warm", loc="left", fontweight="bold")
    ax.legend(title="key")
    fig.text(0, 0, "source 0123456789", fontsize=6)
    with matplotlib.rc_context({"svg.fonttype": "none"}):
        fig.savefig(io.BytesIO(), format="svg")


draw_once()
# A report kernel runs a notebook from top to bottom and is never debugged: without debugpy (slow
# to import) ipykernel starts it with its debugger off, as it does where debugpy is not installed.
sys.modules["debugpy"] = None
import ipykernel.debugger  # noqa: E402,F401
import ipykernel.ipkernel  # noqa: E402,F401
import ipykernel.kernelapp  # noqa: E402,F401
import IPython.core.completerlib  # noqa: E402,F401  (these: what a kernel imports as it starts)
import IPython.core.debugger  # noqa: E402,F401
import IPython.core.oinspect  # noqa: E402,F401
import IPython.extensions.storemagic  # noqa: E402,F401
import tornado.platform.asyncio  # noqa: E402,F401

# Everything loaded so far lives as long as the process: keep the garbage collector from walking it
# in every kernel (a full collection there takes a tenth of a second, and writes to every page
# the kernel would otherwise share with this process).
gc.freeze()
gc.enable()
