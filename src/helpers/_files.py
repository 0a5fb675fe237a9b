"""Files written as one and read with care: atomic replacement, the processed set's manifest,
the lock on ``data/raw/``, an ingest's journal, and a bounded read.

* ``write_atomically`` replaces several files, each through a temporary file and ``os.replace``;
  every temporary file is written before any is moved. An ``OSError`` (a full disk) names the file.
* ``write_processed_set`` does that for ``data/processed/`` and writes ``MANIFEST.sha256`` last: the
  hash of every file of the set. It removes the old manifest before it moves the first file, so a
  build killed half-way leaves no manifest, and ``check_processed`` refuses the set (one line,
  advising ``tally build``) until a build completes. A processed file edited, truncated or mixed
  from two builds no longer matches its manifest and is refused the same way.
* ``raw_lock`` is an exclusive, non-blocking lock on ``data/raw/.lock`` for the commands that write
  ``data/raw/`` (ingest) or read it to write ``data/processed/`` (build). A second one is refused in
  one line.
* ``write_raw_together`` replaces ``sources.csv`` and ``figures.csv`` as one: it stages both, writes
  a journal naming them, moves them, and removes the journal. ``finish_pending`` (run under the lock)
  completes an ingest killed between the two moves, so a source never stands without its figures.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import hashlib
import io
import json
import os
import stat
import tempfile
from pathlib import Path

from .errors import TallyError

MANIFEST = "MANIFEST.sha256"
# The largest release text read (``tally parse``, ``tally ingest``): CENTCOM's releases are a few
# kilobytes, a whole web page's text some tens; half a megabyte of release text parses in about
# a second and a half (measured on a shared core).
MAX_TEXT_BYTES = 500_000
LOCK = ".lock"
JOURNAL = ".ingest-pending.json"


class BusyError(TallyError):
    """Another tally command holds the lock on data/raw/."""


class ProcessedError(TallyError):
    """``data/processed/`` is missing, partial, mixed or changed since ``tally build`` wrote it."""


def _named(exc: OSError, path: Path) -> OSError:
    """The same error, naming ``path`` when it named no file (ENOSPC from a write does not)."""
    if exc.filename:
        return exc
    named = OSError(exc.errno, exc.strerror or str(exc), str(path))
    named.__cause__ = exc
    return named


def _mode(path: Path) -> int:
    """An existing file's mode (kept, as when writing in place); for a new file, 0666 less the umask."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def _stage(path: Path, data: bytes) -> str:
    """Write ``data`` to a temporary file beside ``path`` (flushed to disk); its name."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.chmod(fd, _mode(path))  # mkstemp makes 0600: give the file the mode a plain write would
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _named(exc, path) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return tmp


def _stage_all(files: dict[Path, bytes]) -> list[tuple[str, Path]]:
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_stage(path, data), path))
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    return staged


def _move(tmp: str, path: Path) -> None:
    try:
        os.replace(tmp, path)
    except OSError as exc:
        raise _named(exc, path) from None


def write_atomically(files: dict[Path, bytes]) -> None:
    """Replace each file with its new bytes; nothing is touched until every temporary file is written."""
    for tmp, path in _stage_all(files):
        _move(tmp, path)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_bytes(files: dict[Path, bytes]) -> bytes:
    """``sha256sum``'s format (``sha256sum -c MANIFEST.sha256`` checks it), sorted by name."""
    named = sorted((path.name, data) for path, data in files.items())
    return "".join(f"{_sha256(data)}  {name}\n" for name, data in named).encode("ascii")


def _clear_leftovers(folder: Path) -> None:
    """Temporary files a killed write left behind."""
    for tmp in folder.glob(".*.tmp"):
        tmp.unlink(missing_ok=True)


def write_processed_set(folder: Path, files: dict[Path, bytes]) -> None:
    """Replace the processed files as a set: the manifest goes first and comes back last."""
    folder.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(folder)
    manifest = folder / MANIFEST
    staged = _stage_all({**files, manifest: manifest_bytes(files)})
    *tables, (manifest_tmp, _) = staged
    try:
        manifest.unlink(missing_ok=True)
    except OSError as exc:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise _named(exc, manifest) from None
    for tmp, path in tables:
        _move(tmp, path)
    _move(manifest_tmp, manifest)


def _rel(path: Path, root: Path | None) -> str:
    if root is not None:
        with contextlib.suppress(ValueError):
            return str(Path(path).resolve().relative_to(root))
    return str(path)


def check_processed(paths: list[Path] | tuple[Path, ...], root: Path | None = None) -> None:
    """Raise ProcessedError (one line, naming the file, advising ``tally build``) unless every file
    in ``paths`` is the one the last complete build wrote (its manifest's hash).

    ``root`` only shortens the names in the message."""
    for path in paths:
        path = Path(path)
        name = _rel(path, root)
        manifest = path.parent / MANIFEST
        if not path.exists():
            raise ProcessedError(f"{name} not found: run `tally build` first")
        try:
            listed = dict(
                reversed(line.split("  ", 1)) for line in manifest.read_text("ascii").splitlines() if "  " in line
            )
        except FileNotFoundError:
            raise ProcessedError(
                f"{name}: {_rel(manifest, root)} is missing (a build was interrupted, or the files were "
                "not written by `tally build`): run `tally build`"
            ) from None
        except (OSError, UnicodeDecodeError):
            raise ProcessedError(f"{_rel(manifest, root)} is unreadable: run `tally build`") from None
        want = listed.get(path.name)
        if want is None:
            raise ProcessedError(f"{name} is not listed in {_rel(manifest, root)}: run `tally build`")
        if _sha256(path.read_bytes()) != want:
            raise ProcessedError(
                f"{name} is not the file `tally build` last wrote (changed, truncated or left from "
                "another build): run `tally build`"
            )


@contextlib.contextmanager
def raw_lock(raw: Path, command: str, root: Path | None = None):
    """Hold ``data/raw/.lock`` exclusively for the block; BusyError at once when another holds it.

    Where the lock file cannot be created (``data/raw/`` read-only), nothing can write there and
    the block runs unlocked. On entry an ingest killed between its two moves is completed."""
    import fcntl  # POSIX; the project runs on Linux and macOS

    path = Path(raw) / LOCK
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            yield
            return
        if exc.errno == errno.ENOENT:  # no data/raw/: the command reports that itself
            yield
            return
        raise _named(exc, path) from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another tally command"
            raise BusyError(
                f"{_rel(Path(raw), root)} is in use by {holder}; nothing was done, try again when it ends"
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"tally {command} (pid {os.getpid()})".encode("ascii"), 0)
        finish_pending(Path(raw))
        yield
        os.ftruncate(fd, 0)
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def write_raw_together(raw: Path, files: dict[Path, bytes]) -> None:
    """Replace several files of ``data/raw/`` as one (under ``raw_lock``): a journal names the staged
    files before the first move and goes after the last, so ``finish_pending`` can complete them."""
    staged = _stage_all(files)
    journal = Path(raw) / JOURNAL
    record = json.dumps([[Path(tmp).name, path.name] for tmp, path in staged]).encode("utf-8")
    try:
        write_atomically({journal: record})
    except BaseException:
        for tmp, _ in staged:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in staged:
        _move(tmp, path)
    journal.unlink()


def finish_pending(raw: Path) -> bool:
    """Complete an interrupted ``write_raw_together`` (moves whose staged file is still there); True
    when there was one. Temporary files of writes that never reached their journal are removed."""
    journal = Path(raw) / JOURNAL
    found = journal.exists()
    if found:
        for tmp, name in json.loads(journal.read_text("utf-8")):
            if (Path(raw) / tmp).exists():
                _move(str(Path(raw) / tmp), Path(raw) / name)
        journal.unlink()
    _clear_leftovers(Path(raw))
    return found


def read_limited(path, limit: int, error: type[TallyError] = TallyError) -> bytes:
    """The bytes of ``path``, reading at most ``limit`` (``/dev/zero`` too); ``error`` in one line
    when it has more."""
    with open(path, "rb") as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise error(f"{path}: larger than {limit:,} bytes; a release text is far smaller, so it was not read")
    return data


def csv_lines(rows: list[dict], columns: tuple[str, ...]) -> str:
    out = io.StringIO()
    csv.DictWriter(out, columns, lineterminator="\n").writerows(rows)
    return out.getvalue()


def appended_bytes(path: Path, text: str) -> bytes:
    old = path.read_bytes()
    if old and not old.endswith(b"\n"):
        old += b"\n"
    return old + text.encode("utf-8")
