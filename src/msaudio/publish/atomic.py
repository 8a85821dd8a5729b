"""Atomic file writes: a temp file in the same folder, fsynced, then renamed."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path next to ``path``; move it into place on success.

    The caller writes the whole file to the yielded path. When the block ends
    without an exception the file is fsynced and ``os.replace``'d over ``path``
    (an atomic rename on the same file system); on an exception it is removed
    and ``path`` is left untouched. Parent folders are created as needed.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        # mkstemp makes the file 0600; published files must be readable by a web
        # server, so keep the old file's mode, or use rw-r--r-- for a new one.
        os.chmod(tmp, _mode_of(target))
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    _fsync_dir(target.parent)


def write_bytes_atomic(path: Path | str, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically (all or nothing, fsynced)."""
    with atomic_path(path) as tmp:
        tmp.write_bytes(data)


def _mode_of(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o644


def _fsync_dir(folder: Path) -> None:
    """Flush a folder's entry table so a completed rename survives a crash."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - e.g. platforms without folder fds
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
