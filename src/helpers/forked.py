"""``map_forked``: a function over a few items on several cores, by forking the current process.

For work whose inputs are large objects already in memory (the report's tables) and whose
results are small and picklable (a figure's SVG): a forked child starts at once with everything
loaded, where a new interpreter would spend a second importing. Made for a Jupyter kernel, so a
child never touches the kernel's sockets or streams: what it prints is captured and printed again
by the parent, and it leaves with ``os._exit``, running no clean-up of the parent's. Unix only;
elsewhere, and with ``jobs=1``, everything runs in this process.
"""

from __future__ import annotations

import contextlib
import io
import os
import pickle
import signal
import sys
import traceback
import warnings
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _forget_open_fonts() -> None:
    """In a forked child, let go of the fonts matplotlib opened before the fork.

    A font file is read as glyphs are needed, through a file whose read position the child
    shares with its parent: two processes drawing with the same font would each move it under
    the other ("failed to load glyph", or wrong glyphs). matplotlib forgets its font cache in a
    child; the mathtext cache (text between dollar signs, which may come from the data) holds
    fonts too."""
    mathtext = sys.modules.get("matplotlib.mathtext")
    if mathtext is not None:
        mathtext.MathTextParser._parse_cached.cache_clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_open_fonts)


class ForkedError(RuntimeError):
    """An item failed in a forked child: the message is the child's exception, then its traceback."""


def map_forked(func: Callable[[T], R], items: Iterable[T], jobs: int = 1) -> list[R]:
    """``[func(item) for item in items]``, with up to ``jobs`` processes taking items in turn.

    This process takes part: ``jobs - 1`` children are forked. Items are handed out one at a time
    in the order given, so put the slowest first. An exception in the parent is raised as it is;
    one in a child is raised here as ``ForkedError``: its exception, then its traceback."""
    items = list(items)
    jobs = max(1, min(jobs, len(items)))
    if jobs == 1 or not hasattr(os, "fork"):
        return [func(item) for item in items]
    return Started(func, items, jobs - 1).finish()


class Started:
    """``func`` over ``items``, begun now by ``children`` forked processes; ``finish`` joins in.

    The process that calls ``finish`` takes the items no child has taken yet, then collects the
    children's results. It need not be the process that started them: a process forked from it
    later can (the report's warm process starts a month's figures before it forks the kernel
    that shows them). Such a process cannot wait for the children, only read their results; it
    should call ``finish`` once, and be the only one to.

    ``detached``: the children are not this process's own but orphans (forked twice), which no
    process waits for: for a starter that reaps every child it has and would not expect these.
    ``setup``: called in each child before it takes an item."""

    def __init__(self, func: Callable[[T], R], items: Iterable[T], children: int, detached: bool = False,
                 setup: Callable[[], object] | None = None):
        self.func, self.items = func, list(items)
        self.starter = os.getpid()
        # The queue of work: one byte per item index in a pipe. A read of one byte is atomic, so each
        # process takes the next item when it is free, and an empty pipe (writer closed) means done.
        if len(self.items) > 255:
            raise ValueError("a forked map hands out at most 255 items")
        self.queue_r, queue_w = os.pipe()
        os.write(queue_w, bytes(range(len(self.items))))
        os.close(queue_w)
        self.children: list[tuple[int | None, int]] = []
        try:
            for _ in range(max(0, min(children, len(self.items)))):
                result_r, result_w = os.pipe()
                pid = _fork()
                if pid == 0:  # the child: never returns, whatever happens
                    try:
                        os.close(result_r)
                        if not detached or _fork() == 0:
                            _child(self.func, self.items, self.queue_r, result_w, setup)
                        else:
                            os._exit(0)  # the go-between: its child is left to init
                    finally:
                        os._exit(1)
                os.close(result_w)
                if detached:
                    os.waitpid(pid, 0)
                self.children.append((None if detached else pid, result_r))
        except BaseException:
            self._close()
            raise

    def finish(self) -> list[R]:
        """The results in the order of the items, once this process and the children have done them all."""
        own = os.getpid() == self.starter
        results: dict[int, R] = {}
        try:
            results.update(_take(self.func, self.items, self.queue_r))
            for pid, result_r in self.children:
                results.update(_receive(pid if own else None, result_r))
        finally:
            self._close(own)
        return [results[i] for i in range(len(self.items))]

    def discard(self) -> None:
        """Give up on the results: this process lets go of its ends of the pipes (a child stops at
        its next write once no process holds them, as the children of its starter do when it ends)."""
        self._close(own=False)

    def _close(self, own: bool = True) -> None:
        with contextlib.suppress(OSError):
            os.close(self.queue_r)
        for pid, result_r in self.children:
            with contextlib.suppress(OSError):
                os.close(result_r)
            if own and pid is not None:  # only the starter can stop and reap its children
                with contextlib.suppress(OSError):
                    if os.waitpid(pid, os.WNOHANG) == (0, 0):  # still running: leaving early
                        os.kill(pid, signal.SIGKILL)
                        os.waitpid(pid, 0)


def _fork() -> int:
    with warnings.catch_warnings():  # Python 3.12+ warns of forking a threaded process (a kernel is one)
        warnings.simplefilter("ignore", DeprecationWarning)
        return os.fork()


def _take(func, items, queue_r) -> dict:
    done = {}
    while index := os.read(queue_r, 1):
        done[index[0]] = func(items[index[0]])
    return done


def _child(func, items, queue_r, result_w, setup=None) -> None:
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            if setup is not None:
                setup()
            ok, value = True, _take(func, items, queue_r)
    except BaseException:  # noqa: BLE001  (whatever it was, the parent reports it)
        ok, value = False, traceback.format_exc()
    try:
        data = pickle.dumps((ok, value, out.getvalue(), err.getvalue()))
    except Exception:  # noqa: BLE001  (a result that does not pickle)
        ok = False
        data = pickle.dumps((ok, traceback.format_exc(), out.getvalue(), err.getvalue()))
    with open(result_w, "wb") as pipe:
        pipe.write(data)
    os._exit(0 if ok else 1)


def _receive(pid: int | None, result_r: int) -> dict:
    """A child's results, read from its pipe; ``pid``: the child, if this process can wait for it."""
    with open(result_r, "rb", closefd=False) as pipe:
        data = pipe.read()
    status = os.waitpid(pid, 0)[1] if pid is not None else None
    if not data:
        how = f" ({_status_words(status)})" if status is not None else ""
        raise ForkedError(f"a forked child died without a result{how}")
    try:
        ok, value, out, err = pickle.loads(data)
    except Exception:  # noqa: BLE001  (cut short: another process read part of it, or the child died writing)
        raise ForkedError("a forked child's result could not be read whole") from None
    sys.stdout.write(out)
    sys.stderr.write(err)
    if not ok:  # the exception's own line first: it is what a one-line report shows
        raise ForkedError(f"{value.strip().splitlines()[-1]} (in a forked child)\n{value}")
    return value


def _status_words(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.WEXITSTATUS(status)}"
