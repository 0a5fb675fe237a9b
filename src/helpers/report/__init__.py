"""The monthly report: ``tally report`` renders ``notebooks/monthly_report.ipynb`` into ``reports/``.

Modules: ``render`` (the command: run the notebook with papermill, export it with nbconvert,
write the month's folder), ``sections`` (what the notebook displays beyond the narrative and the
plots), ``index`` (``reports/index.html``), ``kernels`` (report kernels forked from the warm
process, through a jupyter_client kernel provisioner); internal: ``_warm`` (the warm process),
``_preload`` (what it loads), ``_folders`` (a month's folder replaced as one).

Importing this package imports nothing heavy: the CLI imports it to start.
"""

from .render import CHECKOUT_NOTEBOOK, CHROMIUM_FLAGS, CHROMIUM_NAMES, Rendered, run_report

__all__ = ["CHECKOUT_NOTEBOOK", "CHROMIUM_FLAGS", "CHROMIUM_NAMES", "Rendered", "run_report"]
