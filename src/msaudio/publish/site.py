"""Publishing the output folder, atomic at every moment by construction.

A podcast app reads the feed, then fetches the files it names and expects
each to have the length the feed gives. So a published file is never
changed: every version of an episode's MP3, transcript and chapters is
written under a new name made from its bytes (``episodes/<slug>.<hash>.mp3``,
see :func:`content_name`), which no feed names yet. In order:

1. each new episode file (MP3, transcript, chapters, talking book) is written
   to a temporary name and renamed to its content name as soon as it is made
   (a file of that name already holds exactly those bytes and is left alone);
2. the pages, whose names are stable (``index.html``, ``episodes/<slug>.html``),
   are each replaced atomically, naming only files that now exist;
3. the feed is switched by one rename, last;
4. the build record (:mod:`msaudio.manifest`) is saved, and then the files
   no episode of the new feed names are removed: older versions, removed
   articles, and whatever a killed build left.

Killed at any moment, the published feed names files that exist, with their
lengths. Only files of msaudio's own naming inside the output folder are
ever removed. Immutable names also let a CDN or an S3 bucket cache the media
forever (see :mod:`msaudio.publish.remote`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import sys
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

from msaudio.errors import ArticleError, ConfigError, MsaudioError
from msaudio.manifest import (
    EPISODES_DIR,
    IMMUTABLE_NAME,
    Manifest,
    content_name,
    episode_files,
)
from msaudio.model import Article, Episode, Script, Show, Timeline
from msaudio.publish.atomic import TEMPORARY, fsync_folder, write_bytes_atomic
from msaudio.publish.epub import write_book
from msaudio.publish.feed import FEED_NAME, feed_changes
from msaudio.publish.ledger import LEDGER_NAME
from msaudio.publish.pages import write_pages
from msaudio.publish.transcript import render_chapters_json
from msaudio.publish.webvtt import render_vtt

STAGED_SUFFIX = ".msaudio-new"
"""Ends the hidden name a new MP3 or book is made under, before it gets its content name."""

_LEFTOVER = re.compile(f"{TEMPORARY.pattern}|\\..+{re.escape(STAGED_SUFFIX)}")
"""Names of what a killed build can leave: atomic writes' temporary files, MP3s and books
being made."""

DISK_ERRNOS = frozenset(
    getattr(errno, name)
    for name in ("ENOSPC", "EDQUOT", "EFBIG", "EROFS", "EACCES", "EPERM", "EIO")
    if hasattr(errno, name)
)
"""Errors of the disk or its permissions, not of msaudio: reported as one line, no traceback."""


class EpisodeFiles(NamedTuple):
    """Where an episode's files were published, relative to the output folder."""

    audio_path: str
    audio_size: int
    transcript_path: str
    chapters_path: str


def staged_audio(out_dir: Path, slug: str) -> Path:
    """The hidden name a new MP3 is made under: ``episodes/.<slug>.mp3.msaudio-new``."""
    return out_dir / EPISODES_DIR / f".{slug}.mp3{STAGED_SUFFIX}"


def publish_episode(out_dir: Path, slug: str, audio: Path, timeline: Timeline) -> EpisodeFiles:
    """Give the finished MP3 at ``audio``, and the transcript and chapters of
    ``timeline``, their content names; nothing published is overwritten."""
    audio_path, size = _settle(out_dir, slug, ".mp3", audio)
    vtt = render_vtt(timeline.cues, timeline.duration).encode("utf-8")
    return EpisodeFiles(
        audio_path,
        size,
        _place(out_dir, slug, ".vtt", vtt),
        _place(out_dir, slug, ".chapters.json", render_chapters_json(timeline.chapters)),
    )


def publish_book(
    out_dir: Path,
    episode: Episode,
    show: Show,
    article: Article,
    script: Script,
    cover: bytes | None,
) -> Episode:
    """``episode`` with its talking book (see :mod:`msaudio.publish.epub`) published
    under its content name beside the MP3, which it holds."""
    staged = out_dir / EPISODES_DIR / f".{episode.slug}.epub{STAGED_SUFFIX}"
    try:
        write_book(staged, article, script, episode, show, out_dir / episode.audio_path, cover)
        book_path, _ = _settle(out_dir, episode.slug, ".epub", staged)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    return replace(episode, book_path=book_path)


def _settle(out_dir: Path, slug: str, suffix: str, staged: Path) -> tuple[str, int]:
    """Rename the file made at ``staged`` to its content name; that name and its size."""
    digest = hashlib.sha256()
    with staged.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    name = content_name(slug, suffix, digest.hexdigest())
    size = staged.stat().st_size
    target = out_dir / name
    if _holds(target, size):
        staged.unlink()  # this very version is already there (a killed build made it)
    else:
        os.replace(staged, target)
    return name, size


def _place(out_dir: Path, slug: str, suffix: str, data: bytes) -> str:
    """Write ``data`` under its content name unless that file already holds it."""
    name = content_name(slug, suffix, hashlib.sha256(data).hexdigest())
    if not _holds(out_dir / name, len(data)):
        write_bytes_atomic(out_dir / name, data)
    return name


def _holds(path: Path, size: int) -> bool:
    """Whether ``path`` is a regular file of ``size`` bytes (its name says which bytes)."""
    try:
        return path.lstat().st_size == size and path.is_file() and not path.is_symlink()
    except OSError:
        return False


def write_site(
    out_dir: Path,
    show: Show,
    episodes: Sequence[Episode],
    cover_name: str,
    *,
    jobs: int = 1,
) -> bool:
    """Write the pages, each atomically, then switch the feed by one rename.

    The feed, when it changed, is rendered while page workers write the pages,
    and written after them. Returns whether the feed was written. Pages of
    episodes no longer listed are left for :func:`remove_unnamed`.
    """
    feed = out_dir / FEED_NAME
    pending = feed_changes(feed, show, episodes, show.base_url + cover_name)
    write_pages(
        out_dir,
        show,
        episodes,
        cover_name,
        jobs=jobs,
        meanwhile=pending.render if pending else None,
        prune=False,
    )
    fsync_folder(out_dir / EPISODES_DIR)  # what the feed names is durable before the feed
    return pending is not None and pending.write()


def publish_site(
    out_dir: Path,
    show: Show,
    episodes: Sequence[Episode],
    cover_name: str,
    previous: Manifest,
    records: dict[str, tuple[str, Episode]],
    *,
    jobs: int = 1,
) -> None:
    """Pages, then the feed (see :func:`write_site`), then the record, then the sweep.

    A full disk or a folder that cannot be written is one :class:`MsaudioError`
    naming the feed, saying whether the published feed changed.
    """
    feed = out_dir / FEED_NAME
    try:
        write_site(out_dir, show, episodes, cover_name, jobs=jobs)
    except OSError as error:
        raise unwritable(error, feed, "the published feed was not changed") from error
    old = dict(previous.entries)
    try:
        previous.save(records)
        remove_unnamed(out_dir, old, episodes)
    except OSError as error:
        raise unwritable(error, feed, "the feed was published; the next build tidies up") from error


def remove_unnamed(
    out_dir: Path, old: dict[str, tuple[str, Episode]], episodes: Sequence[Episode]
) -> None:
    """Delete the episode files and pages that no episode in ``episodes`` names.

    Those are the files the ``old`` record names (checked when it was loaded
    to be msaudio's, inside the output folder), content-named files no record
    names (a killed build's), and pages in ``episodes/`` of episodes gone.
    Symlinks and anything else are left alone.
    """
    named = {path for e in episodes for path in (*episode_files(e), e.page_path)}
    doomed = {path for _, episode in old.values() for path in episode_files(episode)}
    folder = out_dir / EPISODES_DIR
    with contextlib.suppress(FileNotFoundError, NotADirectoryError), os.scandir(folder) as found:
        for entry in found:
            ours = IMMUTABLE_NAME.fullmatch(entry.name) or entry.name.endswith(".html")
            if ours and entry.is_file(follow_symlinks=False):
                doomed.add(f"{EPISODES_DIR}/{entry.name}")
    for path in sorted(doomed - named):
        (out_dir / path).unlink(missing_ok=True)


def sweep_leftovers(root: Path, out_dir: Path) -> None:
    """Delete the temporary files a killed build left in the output folder (and the
    ledger's, in the show folder). Only safe while :func:`exclusive` holds."""
    for folder in (out_dir, out_dir / EPISODES_DIR, root):
        try:
            entries = list(os.scandir(folder))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            mine = folder != root or entry.name.startswith(f".{LEDGER_NAME}.")
            if mine and _LEFTOVER.fullmatch(entry.name) and entry.is_file(follow_symlinks=False):
                Path(entry.path).unlink(missing_ok=True)


def visible_name(filename: str | os.PathLike[str] | None) -> str | None:
    """The file a temporary file stands for: ``.feed.xml.12-3.tmp`` → ``feed.xml``."""
    if not filename:
        return None
    path = Path(os.fsdecode(filename))
    name = path.name
    if TEMPORARY.fullmatch(name):
        name = name[1:].rsplit(".", 2)[0]
    if name.startswith(".") and name.endswith(STAGED_SUFFIX):
        name = name[1 : -len(STAGED_SUFFIX)]
    return str(path.with_name(name))


def unwritable(error: OSError, path: Path | None, state: str) -> MsaudioError:
    """A failure to publish as one line about ``path``: the problem, the file (not a hidden
    temporary one) when it is another, and ``state``."""
    where = visible_name(error.filename)
    detail = error.strerror or str(error)
    what = f"{detail}: {where}" if where and where != str(path) else detail
    return MsaudioError(f"cannot publish ({what}); {state}", path)


def write_failure(error: Exception, article: Path) -> ArticleError | None:
    """A disk's error met while making an article's episode, as one line, else ``None``."""
    if not isinstance(error, OSError) or error.errno not in DISK_ERRNOS:
        return None
    where = visible_name(error.filename)
    detail = error.strerror or str(error)
    problem = ArticleError(
        f"cannot write its episode ({detail}{': ' + where if where else ''})", article
    )
    problem.__cause__ = error
    return problem


@contextlib.contextmanager
def exclusive(*folders: Path) -> Iterator[None]:
    """Hold an exclusive lock on each folder while a build writes to it.

    A second build of the same show, or into the same output folder, stops with
    a one-line error instead of mixing its files (and ledger entries) with the
    first one's. The system drops the locks when the process ends, even when it
    is killed, so there is never a stale lock to remove by hand. (No locks where
    the platform has no ``flock``.)
    """
    with contextlib.ExitStack() as stack:
        if sys.platform != "win32":
            import fcntl

            for folder in dict.fromkeys(Path(os.path.abspath(f)) for f in folders):
                fd = os.open(folder, os.O_RDONLY)
                stack.callback(os.close, fd)
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    raise ConfigError(
                        "another msaudio build is writing here; wait for it to finish", folder
                    ) from None
                except OSError:  # a file system without locks: build unguarded, as before
                    pass
        yield
