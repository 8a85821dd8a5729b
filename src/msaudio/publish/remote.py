"""Publishing to a URL (``msaudio build --out s3://bucket/show/``), through fsspec.

The show is built as always, into a local copy of the output folder kept in
the show folder (``.msaudio-out/``), so incremental builds, the manifest and
the files' stamps work unchanged. Then only what changed goes up:

1. a file is sent when its bytes differ from what this copy last uploaded
   (a record of SHA-256 digests beside it) or when the store does not hold it
   at that size (deleted or damaged there); each object gets the
   ``Content-Type`` ``msaudio serve`` would give it, and on S3 an episode file
   named by its content (which never changes) a year-long, immutable
   ``Cache-Control``, so a CDN may keep it forever;
2. new files go straight to their names: the published feed does not list
   them yet. Files that replace published ones go up under hidden names
   (``.<name>.msaudio-upload``) and are moved into place only when every
   upload has succeeded, just before the feed;
3. the feed goes last, in one PUT, which readers see whole or not at all;
4. then files of removed episodes are deleted (only files this copy
   uploaded: whatever else the store holds is left alone).

A build that fails or is cancelled while uploading leaves the published feed,
and every file it lists, as they were; the next build sweeps the hidden
leftovers and uploads what is still missing.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from msaudio.errors import ConfigError, MsaudioError
from msaudio.manifest import IMMUTABLE_NAME
from msaudio.publish.atomic import write_bytes_atomic
from msaudio.publish.feed import FEED_NAME
from msaudio.storage import (
    WHOLE_OBJECT_PROTOCOLS,
    content_type_options,
    fs_protocol,
    open_url,
)

MIRRORS = ".msaudio-out"
"""Folder in the show folder that holds the local copy of each remote output."""

RECORD_NAME = ".msaudio-upload.json"
"""In the local copy: what was uploaded, by name (size, modification time, SHA-256)."""

IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
"""``Cache-Control`` of a file whose name says its content: it can be cached forever."""

UPLOAD_SUFFIX = ".msaudio-upload"
_STAGED = re.compile(rf"(?:.*/)?\..+{re.escape(UPLOAD_SUFFIX)}")

Log = Callable[[str], None]


@dataclass
class Upload:
    """What publishing to a URL did."""

    uploaded: list[str] = field(default_factory=list)
    """Names (relative to the output) sent, in the order they were published."""

    deleted: list[str] = field(default_factory=list)
    """Names removed from the store: removed episodes and leftovers of an interrupted upload."""

    bytes: int = 0
    """Bytes sent."""


def _staged(name: str) -> str:
    folder, _, base = name.rpartition("/")
    return f"{folder}/.{base}{UPLOAD_SUFFIX}" if folder else f".{base}{UPLOAD_SUFFIX}"


def _visible_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Every file under ``root`` whose path has no hidden part, as (``a/b.mp3``, path)."""
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        base = Path(folder)
        for name in sorted(files):
            if not name.startswith("."):
                path = base / name
                yield path.relative_to(root).as_posix(), path


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class RemoteOutput:
    """An output folder at a URL; constructing one checks the store can be listed."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/") + "/"
        self._fs, self._root = open_url(url, f"--out {url}")
        self._protocol = fs_protocol(self._fs)
        self._whole = self._protocol in WHOLE_OBJECT_PROTOCOLS
        try:
            bucket = self._root.strip("/").partition("/")[0]
            if self._whole and not self._fs.exists(bucket):
                raise ConfigError(f"--out {url}: no such bucket {bucket!r}; create it first")
            self._listing()
        except MsaudioError:
            raise
        except Exception as error:
            raise ConfigError(
                f"--out {url}: cannot list it ({type(error).__name__}: {error})"
            ) from None

    def mirror(self, show_root: Path) -> Path:
        """The local copy of this output, in the show folder (one per URL)."""
        readable = re.sub(r"[^A-Za-z0-9]+", "-", self.url.partition("://")[2]).strip("-")[:60]
        digest = hashlib.sha256(self.url.encode()).hexdigest()[:8]
        return show_root / MIRRORS / f"{self._protocol}-{readable}-{digest}"

    def _path(self, name: str) -> str:
        return f"{self._root}/{name}" if self._root else name

    def _listing(self) -> dict[str, int]:
        """Every object under the URL, by name, with its size."""
        try:
            found: dict[str, dict[str, Any]] = self._fs.find(self._root, detail=True)
        except FileNotFoundError:
            return {}
        prefix = self._root.rstrip("/") + "/"
        return {
            str(path).removeprefix(prefix): int(info.get("size") or 0)
            for path, info in found.items()
            if info.get("type", "file") == "file"
        }

    def publish(self, local: Path, log: Log = lambda line: None) -> Upload:
        """Make the URL hold what ``local`` holds, uploading only what changed, the feed last."""
        done = Upload()
        record = _Record.load(local / RECORD_NAME, self.url)
        feed_sent = False
        try:
            remote = self._listing()
            files = dict(_visible_files(local))
            changed: list[str] = []
            digests: dict[str, list[Any]] = {}
            for name, path in files.items():
                stat = path.stat()
                known = record.files.get(name)
                if known is not None and known[:2] == [stat.st_size, stat.st_mtime_ns]:
                    digest = str(known[2])
                else:
                    digest = _sha256(path)
                digests[name] = [stat.st_size, stat.st_mtime_ns, digest]
                if known is None or known[2] != digest or remote.get(name) != stat.st_size:
                    changed.append(name)
                else:
                    record.files[name] = digests[name]  # the same bytes, touched: nothing to send
            fresh = [n for n in changed if n != FEED_NAME and n not in remote]
            replacing = [n for n in changed if n != FEED_NAME and n in remote]

            self._put(files, fresh, done)
            for name in fresh:
                record.files[name] = digests[name]
            record.save()
            self._put(files, replacing, done, staged=True)
            for name in replacing:  # moved into place just before the feed
                self._fs.mv(self._path(_staged(name)), self._path(name))
                record.files[name] = digests[name]
            if FEED_NAME in changed:
                self._put(files, [FEED_NAME], done, staged=not self._whole)
                if not self._whole:
                    self._fs.mv(self._path(_staged(FEED_NAME)), self._path(FEED_NAME))
                feed_sent = True
                record.files[FEED_NAME] = digests[FEED_NAME]
            record.save()

            gone = [n for n in record.files if n not in files]
            staged_feed = [FEED_NAME] if feed_sent and not self._whole else []
            moved = {_staged(n) for n in [*replacing, *staged_feed]}  # no longer there
            leftovers = [n for n in remote if _STAGED.fullmatch(n) and n not in moved]
            doomed = [n for n in [*gone, *leftovers] if n in remote]
            if doomed:
                self._remove(doomed)
            for name in gone:
                del record.files[name]
            done.deleted = doomed
        except MsaudioError:
            raise
        except Exception as error:
            state = "the feed was uploaded" if feed_sent else "the published feed was not changed"
            raise MsaudioError(
                f"publishing to {self.url} failed ({type(error).__name__}: {error}); {state}"
            ) from error
        finally:
            with contextlib.suppress(OSError):
                record.save()
        if done.uploaded or done.deleted:
            log(
                f"uploaded {len(done.uploaded)} files ({done.bytes / 2**20:.1f} MiB) "
                f"to {self.url}, deleted {len(done.deleted)}"
            )
        return done

    def _remove(self, names: list[str]) -> None:
        """Delete ``names``; one already gone is no error."""
        try:
            self._fs.rm([self._path(n) for n in names])
        except FileNotFoundError:
            for name in names:
                with contextlib.suppress(FileNotFoundError):
                    self._fs.rm_file(self._path(name))

    def _put(
        self, files: dict[str, Path], names: list[str], done: Upload, staged: bool = False
    ) -> None:
        """Upload ``names`` (to their hidden names when ``staged``), grouped by content type
        so each group goes up concurrently where the store allows."""
        from msaudio.serve import content_type

        groups: dict[tuple[str, bool], list[str]] = {}
        for name in names:
            base = name.rpartition("/")[2]
            key = (content_type(base), IMMUTABLE_NAME.fullmatch(base) is not None)
            groups.setdefault(key, []).append(name)
        for (kind, immutable), group in groups.items():
            targets = [self._path(_staged(n) if staged else n) for n in group]
            sources = [str(files[n]) for n in group]
            cache = IMMUTABLE_CACHE if immutable else None
            self._fs.put(sources, targets, **content_type_options(self._protocol, kind, cache))
            done.uploaded.extend(group)
            done.bytes += sum(files[n].stat().st_size for n in group)


@dataclass
class _Record:
    """What the local copy last uploaded: name → [size, mtime_ns, sha256]."""

    path: Path
    url: str
    files: dict[str, list[Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path, url: str) -> _Record:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls(path, url)
        files = data.get("files") if isinstance(data, dict) and data.get("url") == url else None
        if not isinstance(files, dict):
            return cls(path, url)
        valid = {
            name: entry
            for name, entry in files.items()
            if isinstance(entry, list) and len(entry) == 3
        }
        return cls(path, url, valid)

    def save(self) -> None:
        data = {"url": self.url, "files": dict(sorted(self.files.items()))}
        write_bytes_atomic(self.path, json.dumps(data, indent=1).encode())
