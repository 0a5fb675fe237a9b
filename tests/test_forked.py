"""``helpers.forked.map_forked`` and ``report_sections.figures``: the same results forked as in one
process, failures reported with the child's traceback, no child left behind, and no font file
shared between processes drawing at once."""

from __future__ import annotations

import io
import os
import time

import pytest

from helpers.forked import ForkedError, map_forked

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
