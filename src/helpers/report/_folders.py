"""A month's report folder replaced as one: never a moment without ``reports/YYYY-MM/``.

A new report is written into a hidden folder beside the old one (``.YYYY-MM.<pid>.<id>.tmp``),
then switched with it. On Linux the switch is one system call (``renameat2`` with
``RENAME_EXCHANGE``): the month's folder is the old one or the new one, whatever ends the command.
Elsewhere it is two renames, the old folder first set aside as ``.YYYY-MM.<pid>.<id>.old``; a
command ended between them leaves that folder, which the next ``tally report`` puts back
(``sweep``). ``sweep`` also removes what an ended command left: its temporary folders, and
the old report a switch had not yet deleted.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import os
import re
import shutil
import sys
import uuid
from pathlib import Path

AT_FDCWD = -100
RENAME_EXCHANGE = 2
HIDDEN = re.compile(r"^\.(?P<month>\d{4}-\d{2})\.(?P<pid>\d+)\.[0-9a-f]+\.(?P<kind>tmp|old)$")


def hidden(target: Path, kind: str) -> Path:
    """A new hidden name beside ``target``, owned by this process: ``kind`` is "tmp" or "old"."""
    return target.with_name(f".{target.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.{kind}")


def _renameat2():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):  # an older C library
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    return function


RENAMEAT2 = _renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap ``a`` and ``b`` in one step; False where the system or the file system cannot."""
    if RENAMEAT2 is None:
        return False
    if RENAMEAT2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def switch(new: Path, target: Path) -> None:
    """Put the folder ``new`` where ``target`` is, replacing any previous one, which is deleted."""
    if not target.exists():
        os.replace(new, target)
        return
    if exchange(new, target):
        shutil.rmtree(new)  # now the old report
        return
    old = hidden(target, "old")
    os.replace(target, old)
    try:
        os.replace(new, target)
    except BaseException:
        os.replace(old, target)
        raise
    shutil.rmtree(old)


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(reports: Path) -> None:
    """Clean up after report commands that were ended midway: an old report set aside and not
    replaced goes back in place; temporary folders and old reports left over are deleted.
    What a command still running owns is left alone."""
    if not reports.is_dir():
        return
    for entry in sorted(reports.iterdir()):
        found = HIDDEN.match(entry.name)
        if not found or not entry.is_dir() or _running(int(found["pid"])):
            continue
        target = reports / found["month"]
        if found["kind"] == "old" and not target.exists():
            with contextlib.suppress(OSError):
                os.replace(entry, target)
                continue
        shutil.rmtree(entry, ignore_errors=True)
