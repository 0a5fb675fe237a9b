"""``tally report``: the monthly report notebook, rendered into ``reports/YYYY-MM/``.

A month runs through papermill, which sets ``month`` just after the cell tagged ``parameters``,
in a kernel forked from a warm process that has imported the libraries once (``_warm``, and
``kernels``: a jupyter_client kernel provisioner); nbconvert then exports it in-process to
``index.html``: no code, no script from the network, the figures embedded as SVG. Each month is
written into a temporary folder and switched into place only when complete (``_folders``).
``--all`` renders every month over ``--jobs`` workers and writes ``reports/index.html``
(``index``). With ``SOURCE_DATE_EPOCH`` set, the page's date and the notebook's run times are
that time, so that two renders of the same data are byte-identical.

The notebook is the project copy's ``notebooks/monthly_report.ipynb``; a copy without one (a
data-only copy made with ``--root``) uses this checkout's.

This module is imported by the CLI, so it imports nothing heavy at the top: the month asked for is
checked first (``months.month_range`` reads the series without pandas), then papermill, nbconvert
and nbformat are imported, while the warm process imports the notebook's libraries.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from .._events import check_events
from .._files import check_processed
from .._formats import skip_format_checkers
from ..config import Paths
from ..errors import TallyError
from ..months import check_month, month_range, months_between
from . import _folders, _warm

NOTEBOOK = "monthly_report.ipynb"
CHECKOUT_NOTEBOOK = Path(__file__).resolve().parents[3] / "notebooks" / NOTEBOOK
# The key under which the notebook's title output records its month and headline figures
# (``sections.title``): the month is checked against the one asked, the index lists the rest.
META_KEY = "disis_tally"
# The variable by which a report kernel learns how many processes may draw its figures
# (``sections.figures``): all the cores for one month, a share of them for --all.
FIGURE_JOBS = "TALLY_FIGURE_JOBS"
CELL_TIMEOUT = 600  # seconds; a cell that takes longer has hung
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic")

# The HTML page: JupyterLab's look, minus every script it would fetch (require.js, MathJax,
# mermaid, widgets), minus code and prompts and cells with nothing to show.
TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block extra_css -%}
<style>
  main { max-width: 62rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
  .jp-OutputArea-output img { max-width: 100%; height: auto; }
  .jp-RenderedHTMLCommon table.by-country :is(td, th) { text-align: left; vertical-align: top; }
  .jp-RenderedHTMLCommon table.by-country small { color: #666; }
  .jp-RenderedHTMLCommon ul.disagreements li { margin-bottom: 0.6em; }
  footer.report { margin-top: 2rem; color: #666; font-family: var(--jp-ui-font-family); font-size: 0.85em; }
  @media print {
    /* lab keeps each output whole on a page: a long text would leave a page empty */
    main .jp-OutputArea-child { break-inside: auto; }
    main .jp-RenderedImage, main table.by-country, main li { break-inside: avoid; }
    main h1, main h2, main h3 { break-after: avoid; }
  }
</style>
{%- endblock extra_css -%}
{%- block codecell -%}{%- if cell.outputs -%}{{ super() }}{%- endif -%}{%- endblock codecell -%}
{% block data_svg scoped %}
<div class="jp-RenderedImage jp-OutputArea-output {{ extra_class }}">
{%- set alt = (output | get_metadata('alt', 'image/svg+xml')) or 'Figure' %}
<img src="data:image/svg+xml;base64,{{ output.data['image/svg+xml'] | text_base64 }}" alt="{{ alt | escape_html }}">
</div>
{%- endblock data_svg %}
{% block body_footer %}
<footer class="report">Rendered {{ resources.rendered_on }} by disis-tally {{ resources.version }} from its
data/processed/ tables. Data: CC BY 4.0; code: MIT. Cite as: disis-tally, the public record of CENTCOM's
Defeat-ISIS figures for Iraq and Syria, version {{ resources.version }}.</footer>
</main>
</body>
{% endblock body_footer %}
"""


@dataclass
class Rendered:
    """A month written into ``reports/``."""

    month: str
    folder: Path
    title: str
    headline: dict = field(default_factory=dict)


def run_report(paths: Paths, month: str | None = None, all_months: bool = False, jobs: int | None = None,
               pdf: bool = False, stdout=None, stderr=None, last_added: bool = False) -> int:
    """``tally report``: one month (the latest by default) or ``--all``; returns the exit status."""
    stdout, stderr = stdout or sys.stdout, stderr or sys.stderr
    if jobs is not None and jobs < 1:
        raise TallyError(f"--jobs must be 1 or more, not {jobs}")
    source_date()  # a malformed SOURCE_DATE_EPOCH is refused before any work
    notebook = notebook_path(paths)
    check_parameters_cell(notebook)
    browser = find_chromium() if pdf else None
    check_processed(paths.processed_files, paths.root)  # issue 18: a partial or corrupt set, in one line
    check_events(paths.events_csv, paths.rel(paths.events_csv))  # issue 18: read by every report, after build
    months = months_to_render(paths, month, all_months, last_added, stdout)
    _folders.sweep(paths.reports)
    _warm.warm_up(str(paths.root))
    check_provisioner()  # while the warm process imports
    with _warm.collector_paused():
        html_exporter()  # papermill's and nbconvert's imports, while the warm process does the notebook's
        gc.freeze()  # what is loaded now stays: the collector need not walk it again with every month
    cores = os.cpu_count() or 1
    if all_months:
        jobs = max(1, min(jobs or cores, len(months)))
    figure_jobs = max(1, cores // jobs) if all_months else jobs or cores  # the cores for each month's figures
    with _warm.environment({FIGURE_JOBS: str(figure_jobs)}):  # the kernels' environment
        if not all_months:
            done = render_month(paths, notebook, months[0], browser)
            written = paths.rel(done.folder / "index.html") + (" and report.pdf" if browser else "")
            print(f"tally report: wrote {written}", file=stdout)
            return 0
        return render_all(paths, notebook, months, jobs, browser, stdout, stderr)


PROVISIONERS = "jupyter_client.kernel_provisioners"
PROVISIONER = "tally-forked"  # helpers.report.kernels.ForkedProvisioner, registered in pyproject.toml


def check_provisioner() -> None:
    """Refuse in one line an install that has not registered the report's kernel provisioner (an
    editable install made before pyproject.toml named it)."""
    from importlib.metadata import entry_points

    if not entry_points(group=PROVISIONERS, name=PROVISIONER):
        raise TallyError(f"the report's kernel provisioner {PROVISIONER!r} is not registered: "
                         "reinstall disis-tally (make setup, or pip install -e .)")


def notebook_path(paths: Paths) -> Path:
    """The copy's report notebook, or this checkout's when the copy has none."""
    for path in (paths.notebooks / NOTEBOOK, CHECKOUT_NOTEBOOK):
        if path.is_file():
            return path
    raise TallyError(f"{paths.rel(paths.notebooks / NOTEBOOK)} not found")


def check_parameters_cell(notebook: Path) -> None:
    """Refuse a notebook with no cell tagged ``parameters``: papermill would set the month above
    the notebook's own default, which would then win, and the report would be for the wrong month."""
    try:
        cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError) as exc:
        raise TallyError(f"{notebook}: cannot read the notebook: {exc}") from None
    if not any("parameters" in c.get("metadata", {}).get("tags", []) for c in cells):
        raise TallyError(f"{notebook}: no cell is tagged 'parameters', so the month cannot be set; "
                         "tag the cell that sets `month`")


def months_to_render(paths: Paths, month: str | None, all_months: bool, last_added: bool = False,
                     stdout=None) -> list[str]:
    """The months asked for, checked against the data's range. By default the latest month that has a
    published or derived figure (by itself or through a span that covers it); with ``last_added``, the
    last month covered by the source added last to ``data/raw/sources.csv`` (after ``tally ingest``)."""
    first, last = month_range(paths)
    if all_months:
        return months_between(first, last)
    if month is not None:
        return [check_month(month, first, last)]
    from ..tables import Tables, last_month_of_source, latest_with_figure

    tables = Tables.load(paths)
    if last_added:
        source = tables.claims.sort_values("claim_id")["source_id"].iloc[-1]
        chosen, why = last_month_of_source(source, tables), f"the last month that source {source} covers"
    else:
        chosen, why = latest_with_figure(tables), "the latest month with a published or derived figure"
    if stdout is not None:
        print(f"tally report: rendering {chosen}, {why}", file=stdout)
    return [check_month(chosen, first, last)]






def render_month(paths: Paths, notebook: Path, month: str, browser: str | None = None) -> Rendered:
    """Run the notebook for ``month`` and write ``reports/<month>/`` (report.ipynb, index.html, report.pdf)."""
    import nbformat

    nb = execute(notebook, month, paths.root)
    for cell in nb.cells:  # papermill gives the cell it adds a random id: this one is the same every time
        if "injected-parameters" in cell.metadata.get("tags", []):
            cell.id = "injected-parameters"
    when = source_date()
    if when is not None:
        at_source_date(nb, when)
    meta = report_meta(nb)
    if meta.get("month") != month:
        raise TallyError(f"the notebook rendered {meta.get('month')!r}, not {month}: does its cell tagged "
                         "'parameters' set `month`, and nothing after it change it?")
    html = to_html(nb, meta.get("title", month))
    paths.reports.mkdir(parents=True, exist_ok=True)
    tmp = _folders.hidden(paths.reports / month, "tmp")
    tmp.mkdir()
    try:
        nbformat.write(nb, tmp / "report.ipynb")
        (tmp / "index.html").write_text(html, encoding="utf-8")
        if browser:
            print_pdf(browser, tmp / "index.html", tmp / "report.pdf")
        _folders.switch(tmp, paths.reports / month)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return Rendered(month, paths.reports / month, meta.get("title", month), meta.get("headline", {}))


def execute(notebook: Path, month: str, cwd: Path):
    """The notebook run by papermill for ``month`` (passed as text) in a kernel forked from the warm process."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from .kernels import ForkedKernelManager

    try:
        return papermill.execute_notebook(
            str(notebook), None, parameters={"month": str(month)}, kernel_name="python3", language="python",
            kernel_manager_class=ForkedKernelManager,
            progress_bar=False, request_save_on_cell_execute=False, execution_timeout=CELL_TIMEOUT,
            shutdown_kernel="immediate",  # a report kernel has nothing to save: stopped, not waited for
            # the kernel's working folder; papermill's own cwd= would chdir this whole process
            resources={"metadata": {"path": str(cwd)}},
        )
    except PapermillExecutionError as exc:
        raise TallyError(f"{month}: the notebook failed at `{first_line(exc.source)}`: "
                         f"{exc.ename}: {first_line(exc.evalue)}") from None


def first_line(text) -> str:
    """The first non-empty line of ``text``, cut to 80 characters."""
    line = next((part.strip() for part in str(text).splitlines() if part.strip()), "")
    return line if len(line) <= 80 else line[:77] + "..."


def report_meta(nb) -> dict:
    """What the notebook's title output says it rendered: month, title and headline figures."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get(META_KEY)
            if meta:
                return dict(meta)
    raise TallyError("the report notebook did not say which month it rendered "
                     "(its title cell, sections.title(month), is missing)")


_exporters = threading.local()


def html_exporter():
    """This thread's HTML exporter (built once: it compiles its templates on first use)."""
    exporter = getattr(_exporters, "html", None)
    if exporter is None:
        skip_format_checkers()
        import nbformat
        import papermill  # noqa: F401  (imported here so that it loads while the warm process does)
        from nbconvert import HTMLExporter

        # optimistic_validation: the notebook is validated once, after all of nbconvert's steps,
        # rather than after each of them (a dozen passes over a page of figures)
        exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                                exclude_output_prompt=True, embed_images=True, optimistic_validation=True)
        exporter.raw_template = TEMPLATE
        exporter.environment.bytecode_cache = template_cache()
        # One small page now, while the warm process imports: the templates load, and the HTML
        # parser nbconvert runs over the page builds its tables of entities (the "&amp;" does that).
        warm = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Iraq &amp; Syria")])
        exporter.from_notebook_node(warm, resources={"rendered_on": ""})
        _exporters.html = exporter
    return exporter


def template_cache():
    """The HTML templates compiled once and kept between runs, as jinja2 keeps them: in its own
    folder for this user under the system's temporary folder, by the hash of each template's text
    (compiling them takes a tenth of a second otherwise). None where that folder cannot be had;
    a cache that cannot be written is skipped, not an error."""
    from jinja2 import FileSystemBytecodeCache

    class Cache(FileSystemBytecodeCache):
        def dump_bytecode(self, bucket) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    try:
        return Cache()
    except (OSError, RuntimeError):
        return None


def source_date():
    """The time ``SOURCE_DATE_EPOCH`` gives (UTC), or None where it is not set; a one-line error if malformed."""
    import datetime

    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return datetime.datetime.fromtimestamp(int(value), datetime.timezone.utc)
    except (ValueError, OverflowError, OSError):
        raise TallyError(f"SOURCE_DATE_EPOCH must be a number of seconds since 1970, not {value!r}") from None


def footer_date() -> str:
    """The date for a page's footer: now, or ``SOURCE_DATE_EPOCH`` where it is set."""
    import datetime

    when = source_date() or datetime.datetime.now(datetime.timezone.utc)
    return when.strftime("%Y-%m-%d %H:%M UTC")


# Where papermill (``papermill``) and nbclient (``execution``) record when a notebook and its cells ran.
RUN_TIMES = ("start_time", "end_time", "iopub.status.busy", "iopub.execute_input", "shell.execute_reply",
             "iopub.status.idle")


def at_source_date(nb, when) -> None:
    """Set every run time recorded in the executed notebook to ``when``, and every duration to 0."""
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    for meta in [nb.metadata, *(cell.metadata for cell in nb.cells)]:
        for key in ("papermill", "execution"):
            times = meta.get(key)
            if not isinstance(times, dict):
                continue
            for name in RUN_TIMES:
                if times.get(name) is not None:
                    times[name] = stamp
            if times.get("duration") is not None:
                times["duration"] = 0.0


def to_html(nb, title: str) -> str:
    """The executed notebook as one self-contained page: outputs and text only, images embedded."""
    html, _ = html_exporter().from_notebook_node(nb, resources={"metadata": {"name": title},
                                                                "rendered_on": footer_date(),
                                                                "version": __version__})
    return html


def find_chromium() -> str:
    """The system's Chromium (or Chrome), for ``--pdf``; a one-line error where there is none."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise TallyError("--pdf needs Chromium, which is not installed (on Debian: apt-get install chromium); "
                     "run without --pdf for the HTML report alone")


def print_pdf(browser: str, html: Path, pdf: Path) -> None:
    """Print the page to PDF with headless Chromium, offline and with a throwaway profile."""
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory(prefix="tally-chromium-") as profile:
        cmd = [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
               f"--print-to-pdf={pdf}", html.resolve().as_uri()]
        try:
            run = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
        except subprocess.TimeoutExpired:
            raise TallyError(f"Chromium took too long to print {html.name} to PDF") from None
    if run.returncode != 0 or not pdf.is_file() or pdf.stat().st_size == 0:
        last = (run.stderr.strip().splitlines() or ["no message"])[-1]
        raise TallyError(f"Chromium could not print {html.name} to PDF: {last}")


def render_all(paths: Paths, notebook: Path, months: list[str], jobs: int, browser: str | None,
               stdout, stderr) -> int:
    """Every month over ``jobs`` workers with a progress bar, then ``reports/index.html``; a failed
    month does not stop the others, and is named at the end with its error (exit status 1)."""
    from concurrent.futures import ThreadPoolExecutor, as_completed

    from tqdm import tqdm

    from .index import write_index

    done: dict[str, Rendered] = {}
    failed: dict[str, str] = {}
    pool = ThreadPoolExecutor(jobs, thread_name_prefix="report")
    try:
        futures = {pool.submit(render_month, paths, notebook, m, browser): m for m in months}
        with tqdm(total=len(months), unit="month", desc="tally report", file=stderr) as bar:
            for future in as_completed(futures):
                month = futures[future]
                try:
                    done[month] = future.result()
                except Exception as exc:  # a month's failure is reported, the others go on
                    failed[month] = one_line(exc, month)
                bar.update()
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # on Ctrl-C, start no more months
    index = write_index(paths, months, done, failed)
    print(f"tally report: rendered {len(done)} of {len(months)} months into {paths.rel(paths.reports)}/; "
          f"index: {paths.rel(index)}", file=stdout)
    for month in sorted(failed):
        print(f"tally report: {month} failed: {failed[month]}", file=stderr)
    return 1 if failed else 0


def one_line(exc: Exception, month: str) -> str:
    """An error as one line, without the month it already names."""
    text = (str(exc).strip().splitlines() or [""])[0].removeprefix(f"{month}: ")
    return text if isinstance(exc, TallyError) else f"{type(exc).__name__}: {text}"
