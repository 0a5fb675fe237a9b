"""The warm process: a ``multiprocessing`` fork server that has imported the report's libraries once.

Starting Python and importing pandas, matplotlib and seaborn takes a second or two. The fork
server does it once (``helpers.report_preload``); every report kernel (``helpers.report_kernel``)
is a fork of it, a new process that starts with the libraries loaded and nothing else. This module imports nothing heavy, so the command can start the warm process first
and import its own libraries while the warm process imports the notebook's.

Unix only (``fork``). A script that uses it must guard its top level with
``if __name__ == "__main__":``, as ``multiprocessing`` requires.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os

PRELOAD = "helpers.report_preload"
# One hash seed for every warm process, so that a month renders the same whichever run forked it.
HASH_SEED = "0"
# Read by PRELOAD: the project folder whose tables it reads, and the month whose figures it begins.
PROJECT = "TALLY_WARM_PROJECT"
AHEAD = "TALLY_DRAW_AHEAD"


def _context():
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([PRELOAD])
    return ctx


@contextlib.contextmanager
def _env(name: str, value: str | None):
    """``name`` set to ``value`` (or unset) while the fork server may be started (it inherits the environment)."""
    saved = os.environ.get(name)
    if value is None:
        os.environ.pop(name, None)
    else:
        os.environ[name] = value
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = saved


@contextlib.contextmanager
def collector_paused():
    """The cyclic garbage collector off for a block that makes many objects and little garbage
    (imports, drawing): it would walk them over and over for nothing. On again after, if it was."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def _hash_seed():
    """``PYTHONHASHSEED`` set while the fork server may be started."""
    return _env("PYTHONHASHSEED", HASH_SEED)


def warm_up(root: str | None = None, ahead: str | None = None) -> None:
    """Start the warm process now; it imports the libraries while the caller goes on.

    ``root``: the project whose tables the warm process reads once for all its kernels.
    ``ahead``: a month, for a warm process that will fork one kernel, for that month: once it has
    imported what figures need, it begins drawing the month's figures (``report_sections.draw_ahead``).
    No effect if the warm process is running already."""
    from multiprocessing import forkserver

    _context()
    with _hash_seed(), _env(PROJECT, root), _env(AHEAD, ahead if root else None):
        forkserver.ensure_running()


def fork(target, *args):
    """A started ``Process`` running ``target(*args)``, forked from the warm process."""
    process = _context().Process(target=target, args=args, daemon=True)
    with _hash_seed():
        process.start()
    return process
