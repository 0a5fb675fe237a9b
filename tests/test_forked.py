"""``helpers.forked.map_forked``, ``Started`` and ``report_sections.figures``: the same results forked
as in one process, failures reported with the child's traceback, no child left behind, no font file
shared between processes drawing at once, and work begun in one process finished in a process
forked from it later (as the report's warm process begins a month's figures for its kernel)."""

from __future__ import annotations

import io
import os
import time

import pytest

from helpers.forked import ForkedError, Started, map_forked

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forking needs a Unix system")


def slow_square(x: int) -> tuple[int, int]:
    time.sleep(0.02)  # long enough that every process takes some items
    return x * x, os.getpid()


def test_results_come_back_in_order_from_every_process():
    results = map_forked(slow_square, range(12), jobs=3)
    assert [r[0] for r in results] == [x * x for x in range(12)]
    pids = {r[1] for r in results}
    assert os.getpid() in pids and len(pids) == 3  # this process took part, and two children


def test_one_job_or_one_item_runs_here():
    assert map_forked(slow_square, range(3), jobs=1) == [(x * x, os.getpid()) for x in range(3)]
    assert map_forked(slow_square, [5], jobs=4) == [(25, os.getpid())]
    assert map_forked(slow_square, [], jobs=4) == []


PARENT = os.getpid()


def in_child() -> bool:
    return os.getpid() != PARENT


def fails_in_a_child(x: int) -> int:
    time.sleep(0.2)  # so that each of the two processes takes one item
    if in_child():
        print(f"child saw {x}")
        raise ValueError(f"item {x} is bad")
    return x


def test_a_childs_exception_comes_back_with_its_traceback_and_output(capsys):
    with pytest.raises(ForkedError, match=r"^ValueError: item \d is bad \(in a forked child\)\nTraceback") as caught:
        map_forked(fails_in_a_child, [0, 1], jobs=2)
    assert "in fails_in_a_child" in str(caught.value)  # the child's traceback
    assert "child saw" in capsys.readouterr().out


def fails_here(x: int) -> int:
    if in_child():
        time.sleep(5)  # still at it when this process fails
        return x
    time.sleep(0.2)
    raise KeyError("here")


def children() -> set[int]:
    """This process's child processes, from /proc (Linux)."""
    found = set()
    for task in os.listdir("/proc/self/task"):
        with open(f"/proc/self/task/{task}/children") as fh:
            found |= {int(pid) for pid in fh.read().split()}
    return found


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="lists child processes through /proc")
def test_an_exception_here_is_raised_as_it_is_and_no_child_is_left():
    before = children()
    started = time.monotonic()
    with pytest.raises(KeyError, match="here"):
        map_forked(fails_here, [0, 1], jobs=2)
    assert time.monotonic() - started < 4  # the child was killed, not waited for
    assert children() == before  # and reaped: not even a zombie is left


def dies_in_a_child(x: int) -> int:
    time.sleep(0.2)
    if in_child():
        os._exit(3)
    return x


def test_a_child_that_dies_is_reported():
    with pytest.raises(ForkedError, match=r"died without a result \(exit status 3\)"):
        map_forked(dies_in_a_child, [0, 1], jobs=2)


def finish_in_a_later_fork(started: Started) -> tuple[int, list]:
    """``started.finish()`` in a process forked now (not the one that started it): its pid and results."""
    import pickle

    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            with open(write, "wb") as pipe:
                pipe.write(pickle.dumps((os.getpid(), started.finish())))
        finally:
            os._exit(0)
    os.close(write)
    with open(read, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    started.discard()  # this process's copies of the pipes
    return pickle.loads(data)


def test_work_begun_here_is_finished_by_a_process_forked_later():
    started = Started(slow_square, range(12), children=1, detached=True)
    time.sleep(0.1)  # the child has begun; the process forked next takes what it has not
    finisher, results = finish_in_a_later_fork(started)
    assert [r[0] for r in results] == [x * x for x in range(12)]
    pids = {r[1] for r in results}
    assert finisher in pids and len(pids) == 2 and os.getpid() not in pids


@pytest.mark.skipif(not os.path.exists("/proc/self/task"), reason="lists child processes through /proc")
def test_a_detached_child_is_no_child_of_the_starter_and_runs_its_setup():
    def slow_item(x):
        time.sleep(0.2)  # so that each of the two processes takes one
        return x, os.environ.get("SET_UP")

    before = children()
    started = Started(slow_item, [1, 2], children=1, detached=True,
                      setup=lambda: os.environ.__setitem__("SET_UP", "yes"))
    assert children() == before  # the go-between is reaped, its child is init's
    results = started.finish()
    assert [r[0] for r in results] == [1, 2]
    assert "yes" in {r[1] for r in results} and "SET_UP" not in os.environ  # set up there, not here


def test_a_detached_child_that_dies_is_reported_by_whoever_finishes():
    started = Started(dies_in_a_child, [0, 1], children=1, detached=True)
    with pytest.raises(ForkedError, match=r"died without a result$"):  # no status: no process can wait for it
        started.finish()


def test_figures_drawn_on_several_processes_are_those_drawn_in_one(real):
    """Several months, with figures drawn at the same time in two processes: byte-identical to the
    same figures drawn one after another. Before the children let go of the fonts opened before the
    fork, two processes reading one font file at once made this fail ("failed to load glyph")."""
    from helpers import report_sections

    for month in ("2022-06", "2023-07", "2024-09", real.last):
        alone = report_sections.figures(month, real, jobs=1)
        shared = report_sections.figures(month, real, jobs=2)
        assert list(vars(shared)) == list(report_sections.FIGURES)
        for name in report_sections.FIGURES:
            assert getattr(shared, name).data == getattr(alone, name).data, (month, name)


def test_a_child_holds_no_font_opened_before_the_fork(real):
    """The fonts a child draws with are its own: none of the parent's open font files is reachable."""
    import gc

    from matplotlib import ft2font
    from matplotlib.figure import Figure

    from helpers import report_sections

    report_sections.figures("2023-07", real, jobs=1)  # fonts in use here
    # and math text too, as any text from the data between two dollar signs would be
    math = Figure()
    math.text(0, 0, "between $1 and $5")
    math.savefig(io.BytesIO(), format="svg")

    def reachable_fonts(_=None) -> tuple[int, set[int]]:
        time.sleep(0.2)  # so that the child takes one of the two items
        gc.collect()
        found = set()
        for obj in gc.get_objects():
            values = obj.values() if isinstance(obj, dict) else obj if isinstance(obj, (list, tuple)) else ()
            found |= {id(v) for v in values if isinstance(v, ft2font.FT2Font)}
        return os.getpid(), found

    _, before = reachable_fonts()
    assert before  # the check can see fonts at all
    fonts = dict(map_forked(reachable_fonts, [None, None], jobs=2))
    in_child = [found for pid, found in fonts.items() if pid != os.getpid()]
    assert len(in_child) == 1 and not before & in_child[0]


def test_figures_begun_ahead_are_finished_by_figures_and_are_the_same(built, real, monkeypatch):
    """As in a kernel of `tally report --month`: the warm process began the month's figures; the
    call that shows them takes what is left rather than drawing all of them again."""
    from helpers import report_sections

    alone = report_sections.figures("2023-07", real, jobs=1)
    report_sections.draw_ahead("2023-07", str(built.root))
    monkeypatch.setattr(report_sections, "map_forked", None)  # any drawing from the start fails
    ahead = report_sections.figures("2023-07", real, jobs=2)
    assert report_sections.drawn_ahead and report_sections._ahead is None
    for name in report_sections.FIGURES:
        assert getattr(ahead, name).data == getattr(alone, name).data, name


def changed(tables):
    """The same tables with one figure of the series changed."""
    copy = tables.copy()
    copy.monthly.loc[copy.monthly["value"].notna().idxmax(), "value"] += 1
    return copy


@pytest.mark.parametrize("other", [
    pytest.param(lambda real: ("2023-06", real), id="another month"),
    pytest.param(lambda real: ("2023-07", changed(real)), id="changed tables"),
])
def test_figures_begun_ahead_for_something_else_are_not_used(built, real, other):
    from helpers import report_sections

    month, tables = other(real)
    report_sections.draw_ahead("2023-07", str(built.root))
    shown = report_sections.figures(month, tables, jobs=1)
    assert not report_sections.drawn_ahead and report_sections._ahead is None  # and not used later either
    assert shown.operations.data == report_sections.figures(month, tables, jobs=1).operations.data


def test_figures_are_drawn_here_when_the_child_drawing_ahead_fails(built, real, monkeypatch):
    from helpers import report_sections

    monkeypatch.setattr(report_sections, "_in_drawing_child", lambda: os._exit(5))
    report_sections.draw_ahead("2023-07", str(built.root))
    shown = report_sections.figures("2023-07", real, jobs=1)
    assert not report_sections.drawn_ahead
    assert shown.coverage.data == report_sections.figures("2023-07", real, jobs=1).coverage.data


def test_a_result_read_in_part_is_reported_not_unpickled_wrong():
    """Were two processes to read one child's results, each would hold part of them: an error that
    says so (which figures() answers by drawing the figures itself), not a crash in pickle."""
    import pickle

    from helpers.forked import _receive

    read, write = os.pipe()
    os.write(write, pickle.dumps((True, {0: "x" * 100}, "", ""))[:-10])
    os.close(write)
    try:
        with pytest.raises(ForkedError, match="could not be read whole"):
            _receive(None, read)
    finally:
        os.close(read)
