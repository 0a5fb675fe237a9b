"""``tally report``: a month end to end, bad months, refused notebooks, ``--all`` with a failing
month, isolation between months, escaping of the data's text, and ``--all`` against ``--month``.

Every render happens in a scratch copy. The real notebook is rendered three times (about 5 s
each); the other tests use a small test notebook and a copy whose series is cut to four months.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from helpers._files import write_processed_set
from helpers.build import build
from helpers.config import Paths
from helpers.errors import MonthError, TallyError
from helpers.report import CHECKOUT_NOTEBOOK, run_report

MONTH = "2023-07"  # the notebook's default: a month with full data
EVIL = '<script>alert("title")</script>'
SMALL = ("2023-05", "2023-08")  # the series of the small copy
BROKEN = "2023-07"  # the month the test notebook fails on
RENDERED_ON = re.compile(r"Rendered \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC")


def render(paths: Paths, **kwargs) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_report(paths, stdout=out, stderr=err, **kwargs)
    return code, out.getvalue(), err.getvalue()


def copy_data(built: Paths, root: Path) -> Paths:
    """A copy of the built project's data, without notebooks (the checkout's notebook is used)."""
    paths = Paths.at(root)
    shutil.copytree(built.data, paths.data)
    return paths


def cut_series(paths: Paths, first: str, last: str) -> None:
    """Keep only first..last in the copy's monthly series (so that --all has few months)."""
    monthly = pd.read_csv(paths.monthly_csv, dtype=str, keep_default_na=False)
    files = {p: p.read_bytes() for p in paths.processed_files}  # rewritten as a set, with its manifest (issue 18)
    files[paths.monthly_csv] = monthly[monthly["month"].between(first, last)].to_csv(
        index=False, lineterminator="\n").encode()
    write_processed_set(paths.processed, files)


def small_notebook(*, tagged: bool = True, override: str | None = None) -> nbformat.NotebookNode:
    """A small report notebook: title, a figure, a cell that fails for BROKEN, and state that would
    leak from one month into the next if kernels were reused; its kernel name exists nowhere."""
    params = nbformat.v4.new_code_cell('month = "2023-05"')
    if tagged:
        params.metadata["tags"] = ["parameters"]
    cells = [params]
    if override:
        cells.append(nbformat.v4.new_code_cell(f'month = "{override}"'))
    cells += [
        nbformat.v4.new_code_cell("from helpers import plots\nfrom helpers.report import sections as report\n"
                                  "report.title(month)"),
        nbformat.v4.new_code_cell(f'if month == "{BROKEN}":\n    raise ValueError("broken on purpose")'),
        nbformat.v4.new_code_cell("import helpers, matplotlib, os\n"
                                  "helpers.SEEN = getattr(helpers, 'SEEN', []) + [month]\n"
                                  "matplotlib.rcParams['lines.linewidth'] += 1\n"
                                  "print(helpers.SEEN, matplotlib.rcParams['lines.linewidth'])"),
        nbformat.v4.new_code_cell("report.figure(plots.coverage(month=month))"),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "no-such-kernel", "display_name": "none", "language": "python"}
    return nb


def with_notebook(paths: Paths, nb) -> Paths:
    paths.notebooks.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, paths.notebooks / "monthly_report.ipynb")
    return paths


def html_of(paths: Paths, month: str) -> str:
    return (paths.reports / month / "index.html").read_text(encoding="utf-8")


def printed(paths: Paths, month: str) -> str:
    nb = json.loads((paths.reports / month / "report.ipynb").read_text())
    return "".join("".join(o.get("text", "")) for c in nb["cells"] for o in c.get("outputs", [])
                   if o.get("output_type") == "stream")


# --- the real notebook, one month --------------------------------------------------------------------

@pytest.fixture(scope="module")
def rendered(built, tmp_path_factory) -> Paths:
    """A copy whose CENTCOM release for 2023-07 has a script in its title, rendered for that month."""
    paths = Paths.at(tmp_path_factory.mktemp("rendered"))
    shutil.copytree(built.raw, paths.raw)
    with paths.sources_csv.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        if row["source_id"] == "centcom-2023-08-09":
            row["title"] = f"July 2023 {EVIL} in review"
    with paths.sources_csv.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    build(paths)
    code, out, err = render(paths, month=MONTH)
    assert code == 0, err
    assert out == f"tally report: wrote reports/{MONTH}/index.html\n"
    return paths


def test_a_month_renders_end_to_end(rendered):
    from helpers.narrative import month_summary

    html = html_of(rendered, MONTH)
    text = re.sub(r"<[^>]+>", " ", html)
    summary = month_summary(MONTH, rendered)
    numbers = set(re.findall(r"\d[\d,]*", summary))
    assert numbers and all(n in text for n in numbers), numbers - set(re.findall(r"\d[\d,]*", text))
    assert "Defeat-ISIS figures for Iraq and Syria: July 2023" in html
    assert "<title>D-ISIS figures, July 2023</title>" in html
    images = re.findall(r'<img [^>]*src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert len(images) == 6
    for data in images:
        svg = base64.b64decode(data).decode("utf-8")
        assert svg.startswith("<?xml") and "<svg" in svg and "</svg>" in svg
        assert not re.search(r'(?:href|src)="(?!#)', svg)  # nothing outside the image itself
    titles = re.findall(r'<img [^>]*alt="([^"]{10,})"', html)
    assert len(titles) == 6 and "D-ISIS operations by country" in titles[0]
    # the figures' words are text in the SVG, for the reader's browser to set and search
    assert "Iraq and Syria" in base64.b64decode(images[0]).decode("utf-8")


def test_the_page_has_no_code_and_fetches_nothing(rendered):
    html = html_of(rendered, MONTH)
    body = html.split("</head>", 1)[1]
    for code in ("jp-Editor", "jp-InputPrompt", "jp-OutputPrompt", "highlight", "from helpers import",
                 "report.figure", "figures.operations", "month = "):
        assert code not in body
    assert "<script" not in html.lower()
    assert re.findall(r'\bsrc="(?!data:)', html) == []
    assert re.findall(r"<link\b", html) == []
    assert "@import" not in html and "cdnjs" not in html and "mathjax" not in html.lower()
    assert len(html.encode()) < 2_000_000


def test_text_from_the_data_is_escaped(rendered):
    html = html_of(rendered, MONTH)
    assert EVIL not in html
    assert re.search(r"July 2023 &lt;script&gt;alert\((&quot;|\")title(&quot;|\")\)&lt;/script&gt; in review", html)


def test_the_report_is_written_whole(rendered):
    folder = rendered.reports / MONTH
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "report.ipynb"]
    assert [p.name for p in rendered.reports.iterdir()] == [MONTH]  # no temporary folder left behind
    nb = nbformat.read(folder / "report.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and f'month = "{MONTH}"' in injected[0].source  # text, not a number
    assert all(c.get("outputs") is not None for c in nb.cells if c.cell_type == "code")


def test_the_committed_notebook_is_thin_and_clean():
    nb = json.loads(CHECKOUT_NOTEBOOK.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    params = [c for c in code if "parameters" in c["metadata"].get("tags", [])]
    assert len(params) == 1 and re.search(r'^month = "\d{4}-\d{2}"', "".join(params[0]["source"]), re.M)
    assert all(not c["outputs"] and c["execution_count"] is None for c in code)
    imports = [line for c in code for line in "".join(c["source"]).splitlines() if "import" in line]
    assert imports and all(line.startswith(("from helpers import ", "from helpers.report import "))
                           for line in imports)


# --- mistakes ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("month", ["2023-13", "2023-7", "July 2023", "202307", "1999-12", "2099-01"])
def test_a_bad_month_is_refused_with_the_range(built, tmp_path, month):
    paths = copy_data(built, tmp_path / "copy")
    with pytest.raises(MonthError, match=r"months available: \d{4}-\d{2} to \d{4}-\d{2}$"):
        render(paths, month=month)
    assert not paths.reports.exists()


def test_the_command_gives_one_line_for_a_bad_month(built, tmp_path):
    paths = copy_data(built, tmp_path / "copy")
    tally = Path(sys.executable).with_name("tally")
    run = subprocess.run([str(tally), "--root", str(paths.root), "report", "--month", "2023-13"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2  # a usage error (issue 18): 2, as argparse gives
    assert re.fullmatch(r"tally report: malformed month '2023-13': expected YYYY-MM; "
                        r"months available: \d{4}-\d{2} to \d{4}-\d{2}\n", run.stderr), run.stderr
    assert run.stdout == "" and not paths.reports.exists()


def test_a_notebook_without_a_parameters_cell_is_refused(built, tmp_path):
    paths = with_notebook(copy_data(built, tmp_path / "copy"), small_notebook(tagged=False))
    with pytest.raises(TallyError, match="no cell is tagged 'parameters'"):
        render(paths, month="2023-06")
    assert not paths.reports.exists()


def test_a_report_for_another_month_is_refused(built, tmp_path):
    paths = with_notebook(copy_data(built, tmp_path / "copy"), small_notebook(override="2023-05"))
    with pytest.raises(TallyError, match="the notebook rendered '2023-05', not 2023-06"):
        render(paths, month="2023-06")
    assert not (paths.reports / "2023-06").exists() and not (paths.reports / "2023-05").exists()


def test_a_notebook_that_names_no_kernel_or_language_renders(built, tmp_path):
    nb = small_notebook()
    nb.metadata = {}  # as a notebook written by a tool other than Jupyter may be
    paths = with_notebook(copy_data(built, tmp_path / "copy"), nb)
    code, out, err = render(paths, month="2023-06")
    assert code == 0, err
    assert "June 2023" in html_of(paths, "2023-06")


def test_an_install_without_the_kernel_provisioner_is_told_to_reinstall(built, tmp_path, monkeypatch):
    import importlib.metadata

    paths = copy_data(built, tmp_path / "copy")
    monkeypatch.setattr(importlib.metadata, "entry_points", lambda **kw: [])
    with pytest.raises(TallyError, match=r"kernel provisioner 'tally-forked' is not registered: reinstall"):
        render(paths, month="2023-06")
    assert not paths.reports.exists()


def test_pdf_without_chromium_says_so(built, tmp_path, monkeypatch):
    paths = copy_data(built, tmp_path / "copy")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(TallyError, match="--pdf needs Chromium"):
        render(paths, month="2023-06", pdf=True)
    assert not paths.reports.exists()


# --- every month ---------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small(built, tmp_path_factory) -> Paths:
    """A copy with a four-month series and the test notebook."""
    paths = copy_data(built, tmp_path_factory.mktemp("small") / "copy")
    cut_series(paths, *SMALL)
    return with_notebook(paths, small_notebook())


@pytest.fixture(scope="module")
def small_all(small):
    """``--all`` on the small copy, over two workers, with an earlier report of the broken month in place."""
    earlier = small.reports / BROKEN
    earlier.mkdir(parents=True)
    (earlier / "index.html").write_text("earlier report")
    return (small, *render(small, all_months=True, jobs=2))


def test_all_goes_on_past_a_failing_month_and_names_it(small_all):
    paths, code, out, err = small_all
    assert code == 1
    assert (f'tally report: {BROKEN} failed: the notebook failed at `if month == "{BROKEN}":`: '
            "ValueError: broken on purpose\n") in err
    assert "4/4" in err  # the progress bar
    assert "rendered 3 of 4 months" in out
    for month in ("2023-05", "2023-06", "2023-08"):
        assert (paths.reports / month / "index.html").is_file()
    assert (paths.reports / BROKEN / "index.html").read_text() == "earlier report"  # left as it was
    assert not [p for p in paths.reports.iterdir() if p.name.startswith(".")]


def test_all_writes_an_index_with_headlines(small_all):
    paths = small_all[0]
    index = (paths.reports / "index.html").read_text()
    links = re.findall(r'<a href="(\d{4}-\d{2})/index.html">', index)
    assert links == ["2023-08", "2023-06", "2023-05"]  # newest first; the failed month has no link
    assert "July 2023" in index and "not rendered: the notebook failed at" in index
    assert "<script" not in index and "http" not in index
    monthly = pd.read_csv(paths.monthly_csv, dtype=str, keep_default_na=False)
    june = monthly[monthly["month"].eq("2023-06") & monthly["country"].eq("all")].set_index("metric")
    for metric in ("operations", "killed", "detained"):  # each figure with how it is known
        row = june.loc[metric]
        assert f'>{int(row["value"]):,}<small>{row["basis"]}</small></td>' in index


def test_nothing_leaks_from_one_month_into_the_next(small_all):
    paths = small_all[0]
    seen = {m: printed(paths, m) for m in ("2023-05", "2023-06", "2023-08")}
    first_width = None
    for month, text in seen.items():
        names, width = re.fullmatch(r"(\[.*\]) (\S+)\n", text).groups()
        assert names == f"['{month}']"
        first_width = first_width or width
        assert width == first_width


def test_a_forked_kernel_gives_what_a_spawned_kernel_gives(small_all):
    import papermill

    paths = small_all[0]
    spawned = papermill.execute_notebook(str(paths.notebooks / "monthly_report.ipynb"), None,
                                         parameters={"month": "2023-06"}, kernel_name="python3",
                                         progress_bar=False, cwd=str(paths.root))
    forked = nbformat.read(paths.reports / "2023-06" / "report.ipynb", as_version=4)
    outputs = lambda nb: [(o.get("data"), o.get("metadata"), o.get("text"))  # noqa: E731
                          for c in nb.cells for o in c.get("outputs", [])]
    assert outputs(forked) == outputs(spawned)


def test_the_latest_month_by_default(small):
    code, out, _ = render(small)
    assert code == 0 and out == (f"tally report: rendering {SMALL[1]}, the latest month with a published or derived "
                                 f"figure\ntally report: wrote reports/{SMALL[1]}/index.html\n")


def test_all_gives_each_month_the_same_page_as_month(built, tmp_path):
    """The month alone by the command (its own warm process), then every month in this process."""
    paths = copy_data(built, tmp_path / "copy")
    cut_series(paths, "2023-06", MONTH)
    tally = Path(sys.executable).with_name("tally")
    run = subprocess.run([str(tally), "--root", str(paths.root), "report", "--month", MONTH],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    alone = html_of(paths, MONTH)
    code, _, err = render(paths, all_months=True, jobs=2)
    assert code == 0, err
    assert RENDERED_ON.sub("", html_of(paths, MONTH)) == RENDERED_ON.sub("", alone)


def test_report_kernels_are_forked_through_a_registered_provisioner():
    """The documented extension point: the kernel spec names the provisioner, which jupyter_client
    finds among its entry points (pip installs them with the package)."""
    from jupyter_client.provisioning import KernelProvisionerFactory

    from helpers.report.kernels import PROVISIONER, ForkedKernelManager, ForkedProvisioner

    manager = ForkedKernelManager(kernel_name="any-name-at-all")
    spec = manager.kernel_spec
    assert spec.metadata["kernel_provisioner"]["provisioner_name"] == PROVISIONER
    assert spec.argv[1:3] == ["-m", "ipykernel_launcher"] and spec.language == "python"
    factory = KernelProvisionerFactory.instance()
    assert factory.is_provisioner_available(spec)
    assert isinstance(factory.create_provisioner_instance("k", spec, manager), ForkedProvisioner)


def test_figures_drawn_over_two_processes_are_those_drawn_in_one(real):
    from helpers.report import sections

    one, two = sections.figures(MONTH, real, jobs=1), sections.figures(MONTH, real, jobs=2)
    assert list(vars(one)) == list(sections.FIGURES) == list(vars(two))
    for name in sections.FIGURES:
        svg = getattr(one, name).data["image/svg+xml"]
        assert svg.startswith("<?xml") and svg == getattr(two, name).data["image/svg+xml"], name


def test_a_report_kernel_client_is_ready_with_its_channels_as_jupyter_client_leaves_them(built):
    """``QuickClient.wait_for_ready`` (public API only) returns once the kernel is heard on both channels,
    having read the replies to any extra ``kernel_info`` requests: the next shell reply is the next request's."""
    import asyncio

    from helpers.report import _warm
    from helpers.report.kernels import ForkedKernelManager, QuickClient

    async def run():
        _warm.warm_up(str(built.root))
        manager = ForkedKernelManager(kernel_name="python3")
        await manager.start_kernel(cwd=str(built.root))
        client = manager.client()
        client.start_channels()
        try:
            await client.wait_for_ready(timeout=60)
            assert isinstance(client, QuickClient)
            assert not await client.shell_channel.msg_ready()
            asked = client.execute("6 * 7", silent=False)
            reply = await client.get_shell_msg(timeout=30)
            assert reply["parent_header"]["msg_id"] == asked and reply["content"]["status"] == "ok"
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)

    asyncio.run(run())
