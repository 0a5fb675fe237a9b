"""What the warm process behind every report kernel imports once (see ``helpers.report_warm``)."""

import os

# What ipykernel sets before any user code runs; matplotlib reads it when first imported.
os.environ.setdefault("MPLBACKEND", "module://matplotlib_inline.backend_inline")

import ipykernel.ipkernel  # noqa: E402,F401  (the kernel class, with its debugger)
import ipykernel.kernelapp  # noqa: E402,F401
import matplotlib.pyplot  # noqa: E402,F401
import pandas  # noqa: E402,F401
import seaborn  # noqa: E402,F401

from helpers import narrative, plots, reconcile, report_sections  # noqa: E402,F401
