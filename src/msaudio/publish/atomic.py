"""Atomic file writes: a temp file in the same folder, then renamed over the target.

A reader (a web server, a podcast app, the next build) sees either the old
file or the new one, never a half-written file, even when the build is
killed. A *durable* write also fsyncs the file and its folder, so the new file
survives a power cut too; that costs a disk flush per file, which is right for
the feed and the ledger but not for thousands of pages the next build
re-creates anyway (those call :func:`fsync_folder` once at the end instead).

A written file can carry a *stamp*: a digest of what it was made from, kept
in an extended attribute with the file's size and modification time. Then
:func:`stamped` tells the next build, from one ``stat`` and one attribute
read, that the file is still exactly what the same inputs make, so it need
not be made (rendered, read back, compared) again. Where extended attributes
are not available (macOS, Windows, some file systems) there are simply no
stamps, and callers fall back to comparing bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import pickle
import re
import stat
import struct
import tempfile
from collections.abc import Iterator
from pathlib import Path

NEW_FILE_MODE = 0o644
"""rw-r--r--: a published file must be readable by the web server (mkstemp makes 0600)."""

STAMP_ATTRIBUTE = "user.msaudio.stamp"
"""The extended attribute holding a file's stamp (the ``user.`` namespace needs no privilege)."""

_STAMPS = hasattr(os, "getxattr") and hasattr(os, "setxattr")
_TEMP_COUNT = itertools.count()
# As tempfile.mkstemp opens its files: new, private, not through a symlink, binary.
_TEMP_FLAGS = (
    os.O_RDWR
    | os.O_CREAT
    | os.O_EXCL
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_FILE_STATE = struct.Struct("<QQ")  # size and mtime in ns, recorded with a stamp


@contextlib.contextmanager
def atomic_path(path: Path | str, *, durable: bool = True) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place on success.

    The caller writes the whole file to the yielded path. When the block ends
    without an exception the file is fsynced (if ``durable``) and
    ``os.replace``'d over ``path`` (an atomic rename on the same file system);
    on an exception it is removed and ``path`` is left untouched. Parent
    folders are created as needed.
    """
    target = Path(path)
    fd, name = _temp_file(target)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        if durable:
            with open(tmp, "rb+") as handle:
                os.fsync(handle.fileno())
        os.chmod(tmp, _mode_of(target))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    if durable:
        fsync_folder(target.parent)


def write_bytes_atomic(
    path: Path | str,
    data: bytes,
    *,
    durable: bool = True,
    stamp: bytes | None = None,
    mode: int | None = None,
) -> None:
    """Write ``data`` to ``path`` atomically: all or nothing, fsynced when ``durable``.

    A ``stamp`` (see :func:`stamped`) is recorded on the new file when the file
    system allows. The file gets permissions ``mode``, by default those of the
    file it replaces, or rw-r--r-- (a caller that knows there is no old file
    saves a ``stat`` by saying so).
    """
    target = Path(path)
    fd, name = _temp_file(target)
    try:
        try:
            view = memoryview(data)
            while view:  # a regular file takes it all at once, but a short write is legal
                view = view[os.write(fd, view) :]
            if stamp is not None:
                _record_stamp(fd, stamp)
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(name, _mode_of(target) if mode is None else mode)
        os.replace(name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(name)
        raise
    if durable:
        fsync_folder(target.parent)


def digest(value: object) -> bytes:
    """A 16-byte digest of plain values (tuples, strings, numbers, dates, dataclasses): a stamp.

    Equal digests mean equal values. Equal values nearly always give equal
    digests; pickle writes an object met twice as a reference, so the same
    values shared differently between objects may not, which costs no more
    than a needless render.
    """
    return hashlib.blake2b(pickle.dumps(value, protocol=5), digest_size=16).digest()


def stamped(path: Path | str, stamp: bytes) -> bool:
    """Whether ``path`` was written with ``stamp`` and has not changed since.

    "Not changed" means the same size and modification time as when the stamp
    was recorded, so a file edited, touched or copied without its attributes
    counts as unstamped.
    """
    if not _STAMPS:
        return False
    try:
        recorded = os.getxattr(path, STAMP_ATTRIBUTE)
        info = os.stat(path)
    except OSError:
        return False
    return recorded == stamp + _FILE_STATE.pack(info.st_size, info.st_mtime_ns)


def restamp(path: Path | str, stamp: bytes) -> None:
    """Record ``stamp`` on an existing file that the caller knows holds what it stands for."""
    if not _STAMPS:
        return
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            _record_stamp(fd, stamp)
        finally:
            os.close(fd)


def fsync_folder(folder: Path | str) -> None:
    """Flush a folder's entry table so the renames done in it survive a crash."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. platforms without folder fds
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


TEMPORARY = re.compile(r"\..+\.(?:[0-9]+-[0-9]+|[a-z0-9_]{8})\.tmp")
"""Names of this module's temporary files, ``.<name>.<pid>-<n>.tmp`` or mkstemp's,
which a killed process may leave behind."""


def _temp_file(target: Path) -> tuple[int, str]:
    """An open, empty, private temp file next to ``target``, creating its folder if need be.

    Named after this process and a counter, which is unique without the
    random names (and their cost) of :func:`tempfile.mkstemp`, which is the
    fallback should a killed process with the same id have left one behind.
    """
    name = os.path.join(target.parent, f".{target.name}.{os.getpid()}-{next(_TEMP_COUNT)}.tmp")
    try:
        return os.open(name, _TEMP_FLAGS, 0o600), name
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        pass
    return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)


def _record_stamp(fd: int, stamp: bytes) -> None:
    """Attach ``stamp`` and the open file's current size and mtime to it, if the file system can."""
    if not _STAMPS:
        return
    info = os.fstat(fd)
    with contextlib.suppress(OSError):  # no extended attributes here: no stamps, no harm
        os.setxattr(fd, STAMP_ATTRIBUTE, stamp + _FILE_STATE.pack(info.st_size, info.st_mtime_ns))


def _mode_of(target: Path) -> int:
    """The old file's permissions, or :data:`NEW_FILE_MODE` (set, not left to the umask)."""
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return NEW_FILE_MODE
