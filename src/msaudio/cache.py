"""The sentence cache: synthesized speech kept on disk, keyed by everything that shapes it.

A sentence is synthesized once per engine, engine version, voice, speed and
spoken text; every later build reuses the samples. That makes rebuilds fast,
and it makes them reproducible even with piper, whose synthesis differs from
call to call: once a sentence is cached, its audio never changes.

Entries are files named by the SHA-256 of their key, written to a temporary
file and renamed into place, so two builds sharing the cache never see half an
entry. Reading an entry refreshes its modification time; :meth:`SentenceCache.evict`
removes the least recently used entries once the cache is over its size cap.

The cache lives in ``$MSAUDIO_CACHE_DIR``, else where the show's ``[build]
cache`` says, else in the platform's user cache folder; ``$MSAUDIO_CACHE_SIZE``
(e.g. ``500M``, ``2G``) sets the cap. Any of them may be a URL
(``s3://bucket/prefix``, a shared folder as ``file:///mnt/shared/cache``...)
that many machines share: each reuses the sentences any other synthesized.
On an object store an entry is one PUT, which readers see whole or not at
all; elsewhere it is written under a temporary name and renamed. A store that
cannot refresh an entry's time on use evicts by the time it was written.

The cache is only an optimisation: when it cannot be written (a full disk, a
read-only or foreign folder) the build says so in one warning and goes on
without storing, never failing an episode for it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import json
import os
import struct
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from msaudio.engines.base import Samples
from msaudio.errors import ConfigError
from msaudio.storage import WHOLE_OBJECT_PROTOCOLS, fs_protocol, is_url, local_path, open_url

CACHE_DIR_ENV = "MSAUDIO_CACHE_DIR"
CACHE_SIZE_ENV = "MSAUDIO_CACHE_SIZE"
DEFAULT_MAX_BYTES = 2 * 1024**3
"""2 GiB: about 13 hours of piper speech (22 050 Hz, 16-bit)."""

_MAGIC = b"MSAC"
_HEADER = struct.Struct("<4sI")  # magic, sample rate
_SUFFIX = ".pcm"
_UNITS = {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3, "T": 1024**4}


def default_cache_dir() -> Path:
    """``$MSAUDIO_CACHE_DIR`` (when a local path), else the platform's user cache folder
    plus ``msaudio``."""
    configured = os.environ.get(CACHE_DIR_ENV)
    if configured and not is_url(configured):
        return local_path(configured)
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

    path: Path | str
    """The cache's folder, or its URL."""

    entries: int
    size: int
    """Bytes in entries."""
    max_size: int


@dataclass(frozen=True)
class _Entry:
    name: str
    """Relative to the cache's root: ``ab/<key>.pcm``."""

    size: int
    modified: float
    """Seconds since the epoch (of the last use where the store can record it)."""


class _Store(Protocol):
    """Where entries are kept: a local folder or an fsspec URL."""

    def read(self, name: str) -> bytes | None: ...
    def exists(self, name: str) -> bool: ...
    def write(self, name: str, payload: bytes) -> None: ...
    def touch(self, name: str) -> None: ...
    def remove(self, name: str) -> None: ...
    def entries(self) -> Iterator[_Entry]: ...


class CacheWarning(UserWarning):
    """The sentence cache could not be written; the build goes on without it."""


class SentenceCache:
    """Synthesized sentences in a folder or at a URL, content-addressed."""

    def __init__(self, root: Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
        self.root: Path | str
        """The folder, or the URL (a ``str``) of a cache on an fsspec store."""
        self._store: _Store
        if isinstance(root, str) and is_url(root):
            self.root = root.rstrip("/")
            self._store = _UrlStore(self.root)
        else:
            self.root = local_path(root) if isinstance(root, str) else Path(root)
            self._store = _FolderStore(self.root)
        self.max_bytes = max_bytes
        self._unwritable: OSError | None = None
        self._lock = threading.Lock()

    @classmethod
    def from_environment(
        cls, configured: str | None = None, base: Path | None = None
    ) -> SentenceCache:
        """The cache ``$MSAUDIO_CACHE_DIR`` names, else ``configured`` (a show's ``[build]
        cache``; a relative path is relative to ``base``), else the user's cache folder."""
        size = os.environ.get(CACHE_SIZE_ENV)
        location: Path | str = os.environ.get(CACHE_DIR_ENV) or ""
        if not location and configured:
            location = configured
            if not is_url(configured) and base is not None:
                location = base / local_path(configured)
        return cls(location or default_cache_dir(), parse_size(size) if size else DEFAULT_MAX_BYTES)

    @staticmethod
    def key(engine: str, version: str, voice: str | None, speed: float, text: str) -> str:
        """The entry name for one sentence: a hash of everything that shapes its audio."""
        fields = [engine, version, voice or "", repr(float(speed)), text]
        return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode()).hexdigest()

    @staticmethod
    def _name(key: str) -> str:
        return f"{key[:2]}/{key}{_SUFFIX}"

    def get(self, key: str) -> tuple[int, Samples] | None:
        """The sample rate and samples stored under ``key``, or ``None``.

        A hit counts as a use for least-recently-used eviction. An entry that
        is damaged (cut short, wrong header) is removed and reported as a miss.
        """
        name = self._name(key)
        data = self._store.read(name)
        if data is None:
            return None
        if len(data) < _HEADER.size or (len(data) - _HEADER.size) % 2:
            self._remove(name)
            return None
        magic, rate = _HEADER.unpack_from(data)
        if magic != _MAGIC or rate <= 0:
            self._remove(name)
            return None
        self._store.touch(name)
        return rate, np.frombuffer(data, "<i2", offset=_HEADER.size).astype(np.int16)

    def holds(self, key: str) -> bool:
        """Whether an entry is stored under ``key`` (not read, so not checked nor counted)."""
        return self._store.exists(self._name(key))

    def put(self, key: str, rate: int, samples: Samples) -> None:
        """Store ``samples`` under ``key`` atomically: readers see all of it or nothing."""
        if self._unwritable is not None:
            return
        payload = _HEADER.pack(_MAGIC, rate) + np.asarray(samples, "<i2").tobytes()
        try:
            self._store.write(self._name(key), payload)
        except OSError as error:
            self._cannot_write(error)

    def _cannot_write(self, error: OSError) -> None:
        """Stop writing to the cache for the rest of this run, with one warning."""
        with self._lock:
            if self._unwritable is not None:
                return
            self._unwritable = error
        detail = error.strerror or str(error)
        warnings.warn(
            f"{self.root}: cannot store sentences in the sentence cache ({detail}); "
            "building without it",
            CacheWarning,
            stacklevel=3,
        )

    def _remove(self, name: str) -> None:
        """Remove a damaged entry, if the cache can be written (a miss either way)."""
        try:
            self._store.remove(name)
        except OSError as error:
            self._cannot_write(error)

    def info(self) -> CacheInfo:
        """Number of entries and bytes used."""
        count = size = 0
        for entry in self._store.entries():
            count += 1
            size += entry.size
        return CacheInfo(self.root, count, size, self.max_bytes)

    def clear(self) -> int:
        """Remove every entry; return how many there were."""
        removed = 0
        for entry in list(self._store.entries()):
            self._store.remove(entry.name)
            removed += 1
        return removed

    def evict(self) -> int:
        """Remove least recently used entries until the cache fits its cap; return how many.

        A cache that cannot be written is left as it is (after one warning)."""
        try:
            return self._evict()
        except OSError as error:
            self._cannot_write(error)
            return 0

    def _evict(self) -> int:
        entries = list(self._store.entries())
        total = sum(entry.size for entry in entries)
        removed = 0
        for entry in sorted(entries, key=lambda e: (e.modified, e.name)):
            if total <= self.max_bytes:
                break
            self._store.remove(entry.name)
            total -= entry.size
            removed += 1
        return removed


def _is_entry(name: str) -> bool:
    return name.endswith(_SUFFIX) and not name.startswith(".")


class _FolderStore:
    """Entries as files in a local (or mounted, shared) folder: written to a temporary
    file and renamed into place; a read refreshes the file's time."""

    def __init__(self, root: Path) -> None:
        self._root = root

    def read(self, name: str) -> bytes | None:
        try:
            return (self._root / name).read_bytes()
        except OSError:
            return None

    def exists(self, name: str) -> bool:
        return (self._root / name).is_file()

    def write(self, name: str, payload: bytes) -> None:
        path = self._root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(payload)
            os.replace(temp, path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise

    def touch(self, name: str) -> None:
        with contextlib.suppress(OSError):  # evicted meanwhile: the data is already read
            os.utime(self._root / name)

    def remove(self, name: str) -> None:
        (self._root / name).unlink(missing_ok=True)

    def entries(self) -> Iterator[_Entry]:
        try:
            folders = list(os.scandir(self._root))
        except FileNotFoundError:
            return
        for folder in folders:
            if not folder.is_dir(follow_symlinks=False) or len(folder.name) != 2:
                continue
            for entry in os.scandir(folder.path):
                if _is_entry(entry.name):
                    stat = entry.stat()
                    name = f"{folder.name}/{entry.name}"
                    yield _Entry(name, stat.st_size, stat.st_mtime_ns / 1e9)


_temporary_names = itertools.count()


class _UrlStore:
    """Entries as objects (or files) on an fsspec store.

    On an object store (S3, GCS, Azure) each entry is written with one PUT,
    which is atomic; on other stores (SFTP, a mounted share through fsspec,
    memory) it is written under a hidden temporary name and moved into place.
    Entries keep the time they were written: most stores cannot refresh it
    without writing the entry again.
    """

    def __init__(self, url: str) -> None:
        self._url = url
        self._fs, self._root = open_url(url, f"sentence cache {url}")
        self._whole = fs_protocol(self._fs) in WHOLE_OBJECT_PROTOCOLS

    def _path(self, name: str) -> str:
        return f"{self._root}/{name}"

    def read(self, name: str) -> bytes | None:
        try:
            data = self._fs.cat_file(self._path(name))
        except FileNotFoundError:
            return None
        return bytes(data)

    def exists(self, name: str) -> bool:
        return bool(self._fs.exists(self._path(name)))

    def write(self, name: str, payload: bytes) -> None:
        path = self._path(name)
        if self._whole:
            self._fs.pipe_file(path, payload)
            return
        folder, _, base = path.rpartition("/")
        self._fs.makedirs(folder, exist_ok=True)
        temp = f"{folder}/.tmp-{os.getpid()}-{next(_temporary_names)}-{base}"
        try:
            self._fs.pipe_file(temp, payload)
            self._fs.mv(temp, path)
        except BaseException:
            with contextlib.suppress(Exception):
                self._fs.rm_file(temp)
            raise

    def touch(self, name: str) -> None:
        """Nothing: refreshing the time would mean writing the entry again."""

    def remove(self, name: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._fs.rm_file(self._path(name))

    def entries(self) -> Iterator[_Entry]:
        try:
            found: dict[str, dict[str, Any]] = self._fs.find(self._root, detail=True)
        except FileNotFoundError:
            return
        prefix = self._root + "/"
        for path, details in found.items():
            name = str(path).removeprefix(prefix)
            folder, _, file = name.partition("/")
            if len(folder) == 2 and "/" not in file and _is_entry(file):
                yield _Entry(name, int(details.get("size") or 0), _modified(details))


def _modified(details: dict[str, Any]) -> float:
    """An fsspec listing entry's modification time, in seconds (0 when it has none)."""
    for field in ("mtime", "LastModified", "last_modified", "updated", "created"):
        value = details.get(field)
        if value is None or value == "":
            continue
        if hasattr(value, "timestamp"):
            return float(value.timestamp())
        if isinstance(value, int | float):
            return float(value)
        with contextlib.suppress(ValueError):
            return dt.datetime.fromisoformat(str(value)).timestamp()
    return 0.0
