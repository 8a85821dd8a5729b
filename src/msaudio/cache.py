"""The sentence cache: synthesized speech kept on disk, keyed by everything that shapes it.

A sentence is synthesized once per engine, engine version, voice, speed and
spoken text; every later build reuses the samples. That makes rebuilds fast,
and it makes them reproducible even with piper, whose synthesis differs from
call to call: once a sentence is cached, its audio never changes.

Entries are files named by the SHA-256 of their key, written to a temporary
file and renamed into place, so two builds sharing the cache never see half an
entry. Reading an entry refreshes its modification time; :meth:`SentenceCache.evict`
removes the least recently used entries once the cache is over its size cap.

The cache lives in ``$MSAUDIO_CACHE_DIR``, else in the platform's user cache
folder; ``$MSAUDIO_CACHE_SIZE`` (e.g. ``500M``, ``2G``) sets the cap.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import struct
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from msaudio.engines.base import Samples
from msaudio.errors import ConfigError

CACHE_DIR_ENV = "MSAUDIO_CACHE_DIR"
CACHE_SIZE_ENV = "MSAUDIO_CACHE_SIZE"
DEFAULT_MAX_BYTES = 2 * 1024**3
"""2 GiB: about 13 hours of piper speech (22 050 Hz, 16-bit)."""

_MAGIC = b"MSAC"
_HEADER = struct.Struct("<4sI")  # magic, sample rate
_SUFFIX = ".pcm"
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def default_cache_dir() -> Path:
    """``$MSAUDIO_CACHE_DIR``, else the platform's user cache folder plus ``msaudio``."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured:
        return Path(configured).expanduser()
    home = Path.home()
    if sys.platform == "darwin":
        return home / "Library" / "Caches" / "msaudio"
    if sys.platform == "win32":
        local = os.environ.get("LOCALAPPDATA")
        return (Path(local) if local else home / "AppData" / "Local") / "msaudio" / "Cache"
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else home / ".cache") / "msaudio"


def parse_size(text: str) -> int:
    """``"500M"`` → bytes; plain numbers are bytes. Raises :class:`ConfigError`."""
    cleaned = text.strip().upper().removesuffix("IB").removesuffix("B")
    unit = cleaned[-1:] if cleaned[-1:] in _UNITS else ""
    number = cleaned[: len(cleaned) - len(unit)]
    try:
        value = float(number)
    except ValueError:
        value = -1.0
    if value < 0:
        raise ConfigError(f"{CACHE_SIZE_ENV}: found {text!r}, expected a size such as 500M or 2G")
    return int(value * _UNITS[unit])


@dataclass(frozen=True)
class CacheInfo:
    """What ``msaudio cache info`` reports."""

    path: Path
    entries: int
    size: int
    """Bytes in entries."""
    max_size: int


class SentenceCache:
    """Synthesized sentences on disk, content-addressed."""

    def __init__(self, root: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes

    @classmethod
    def from_environment(cls) -> SentenceCache:
        """The cache the environment names (see the module's documentation)."""
        size = os.environ.get(CACHE_SIZE_ENV)
        return cls(default_cache_dir(), parse_size(size) if size else DEFAULT_MAX_BYTES)

    @staticmethod
    def key(engine: str, version: str, voice: str | None, speed: float, text: str) -> str:
        """The entry name for one sentence: a hash of everything that shapes its audio."""
        fields = [engine, version, voice or "", repr(float(speed)), text]
        return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.root / key[:2] / (key + _SUFFIX)

    def get(self, key: str) -> tuple[int, Samples] | None:
        """The sample rate and samples stored under ``key``, or ``None``.

        A hit counts as a use for least-recently-used eviction. An entry that
        is damaged (cut short, wrong header) is removed and reported as a miss.
        """
        path = self._path(key)
        try:
            data = path.read_bytes()
        except OSError:
            return None
        if len(data) < _HEADER.size or (len(data) - _HEADER.size) % 2:
            path.unlink(missing_ok=True)
            return None
        magic, rate = _HEADER.unpack_from(data)
        if magic != _MAGIC or rate <= 0:
            path.unlink(missing_ok=True)
            return None
        with contextlib.suppress(OSError):  # evicted meanwhile: the data is already read
            os.utime(path)
        return rate, np.frombuffer(data, "<i2", offset=_HEADER.size).astype(np.int16)

    def put(self, key: str, rate: int, samples: Samples) -> None:
        """Store ``samples`` under ``key`` atomically (write, then rename into place)."""
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = _HEADER.pack(_MAGIC, rate) + np.asarray(samples, "<i2").tobytes()
        handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def _entries(self) -> Iterator[os.DirEntry[str]]:
        try:
            folders = list(os.scandir(self.root))
        except FileNotFoundError:
            return
        for folder in folders:
            if not folder.is_dir(follow_symlinks=False) or len(folder.name) != 2:
                continue
            for entry in os.scandir(folder.path):
                if entry.name.endswith(_SUFFIX) and not entry.name.startswith("."):
                    yield entry

    def info(self) -> CacheInfo:
        """Number of entries and bytes used."""
        count = size = 0
        for entry in self._entries():
            count += 1
            size += entry.stat().st_size
        return CacheInfo(self.root, count, size, self.max_bytes)

    def clear(self) -> int:
        """Remove every entry; return how many there were."""
        removed = 0
        for entry in list(self._entries()):
            Path(entry.path).unlink(missing_ok=True)
            removed += 1
        return removed

    def evict(self) -> int:
        """Remove least recently used entries until the cache fits its cap; return how many."""
        entries = []
        total = 0
        for entry in self._entries():
            stat = entry.stat()
            entries.append((stat.st_mtime_ns, entry.path, stat.st_size))
            total += stat.st_size
        removed = 0
        for _, path, size in sorted(entries):
            if total <= self.max_bytes:
                break
            Path(path).unlink(missing_ok=True)
            total -= size
            removed += 1
        return removed
