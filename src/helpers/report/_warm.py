"""The warm process: a ``multiprocessing`` fork server that has imported the report's libraries once.

Starting Python and importing pandas, matplotlib and seaborn takes a second or two. The fork
server does it once (``helpers.report._preload``); every report kernel (``helpers.report.kernels``)
is a fork of it, a new process that starts with the libraries loaded and nothing else. This module
imports nothing heavy, so the command can start the warm process first and import its own
libraries while the warm process imports the notebook's.

The warm process is started with ``PYTHONSAFEPATH`` set, so that neither it nor a kernel forked
from it has the user's current folder on its import path (a ``calendar.py`` there is not
imported). On Linux it and its kernels end with the command whatever ends it
(``end_with_parent``).

Unix only (``fork``). A script that uses it must guard its top level with
``if __name__ == "__main__":``, as ``multiprocessing`` requires.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import signal
import sys

PRELOAD = "helpers.report._preload"
# Read by PRELOAD: the project folder whose tables it reads once for all its kernels.
PROJECT = "TALLY_WARM_PROJECT"
# Set while the fork server starts: one hash seed for every warm process, so that a month renders
# the same whichever run forked it; and no current folder on the import path.
SERVER_ENV = {"PYTHONHASHSEED": "0", "PYTHONSAFEPATH": "1"}
PR_SET_PDEATHSIG = 1  # prctl(2)


def context():
    """The ``forkserver`` context whose server preloads the report's libraries."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([PRELOAD])
    return ctx


@contextlib.contextmanager
def environment(values: dict[str, str | None]):
    """``os.environ`` with ``values`` set (None: unset) for a block, as it was after."""
    saved = {name: os.environ.get(name) for name in values}
    try:
        for name, value in values.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


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


def warm_up(root: str | None = None) -> None:
    """Start the warm process now; it imports the libraries while the caller goes on.

    ``root``: the project whose tables the warm process reads once for all its kernels.
    No effect if the warm process is running already."""
    from multiprocessing import forkserver

    context()
    with environment({**SERVER_ENV, PROJECT: root}):
        forkserver.ensure_running()


def fork(target, *args):
    """A started ``Process`` running ``target(*args)``, forked from the warm process."""
    process = context().Process(target=target, args=args, daemon=True)
    with environment(SERVER_ENV):
        process.start()
    return process


def end_with_parent() -> None:
    """On Linux, have the kernel send this process SIGKILL when its parent ends (``prctl``'s
    ``PR_SET_PDEATHSIG``): a report command ended by a signal takes its warm process with it, and
    the warm process its kernels. Elsewhere the warm process ends when its pipe from the command
    closes, and a kernel when it sees its parent gone (ipykernel's ``parent_handle``)."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        parent = os.getppid()
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent ended before the request was made
            os.kill(os.getpid(), signal.SIGKILL)
