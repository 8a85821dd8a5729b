"""The show's accessible web pages: ``index.html`` and one page per episode.

Pages are rendered with jinja2 (autoescape on) from ``data/templates`` and use
one stylesheet and one small script from ``data/static``, copied next to
``index.html``. Every link between the pages, the assets and the audio is
relative, so the output folder works wherever it is served from (or opened
from disk). Without JavaScript each page is still complete: the audio player,
the download links, the chapter list (links into the MP3 with a ``#t=`` media
fragment) and the whole transcript are in the HTML; the script only adds the
seeking, highlighting and speed controls.

The bytes depend only on the show and its episodes (no clock, no random ids),
and a file is rewritten only when its bytes change, so an unchanged show
touches nothing. Each page is stamped (see :mod:`msaudio.publish.atomic`)
with a digest of what it is made from, so the next build skips rendering the
pages whose inputs have not changed; a show with thousands of episodes
rebuilds without rendering any of them again. Many pages to render are shared
with worker processes, one per CPU.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import posixpath
import re
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, NamedTuple

from msaudio.model import Episode, Show
from msaudio.publish.atomic import (
    digest,
    fsync_folder,
    stamped,
)
from msaudio.publish.common import utc
from msaudio.publish.feed import FEED_NAME
from msaudio.publish.pages_html import (
    _NOT_HTML,
    SCRIPT,
    STYLESHEET,
    _assets,
    _day_text,
    _duration_text,
    _href,
    _html_files,
    _iso_duration,
    _megabytes,
    _paragraphs,
    _render,
    _render_version,
    _speeds,
    _text,
    _versions,
    _write_if_changed,
)
from msaudio.publish.pages_transcript import (
    _CHAPTER_FIELDS,
    _CUE_FIELDS,
    _transcript,
)
from msaudio.publish.pages_transcript import ChapterView as ChapterView
from msaudio.publish.pages_transcript import CueView as CueView
from msaudio.publish.pages_transcript import transcript_chapters as transcript_chapters
from msaudio.publish.pages_workers import _collector_paused, _jobs, _pool

INDEX_NAME = "index.html"
EPISODES_DIR = "episodes"


class _Page(NamedTuple):
    """Everything one episode's page is made from, as plain values.

    Cheap to send to a worker process and to digest into the page's stamp,
    which a dataclass :class:`Episode` is not.
    """

    path: str
    """The page, relative to the output folder."""

    title: str
    number: int | None
    author: str | None
    day: dt.date
    """Publication date (UTC)."""

    duration: float
    summary: str
    audio_path: str
    audio_size: int
    transcript_path: str | None
    chapters_path: str | None
    chapters: tuple[tuple[str, float], ...]
    """``(title, start)`` of each chapter."""

    cues: tuple[tuple[float, float, str], ...]
    """``(start, end, text)`` of each cue."""

    book_path: str | None = None


class _Folder(NamedTuple):
    """What the pages of one folder share: the template context and its digest."""

    context: dict[str, Any]
    digest: bytes


def write_pages(
    out_dir: Path,
    show: Show,
    episodes: Sequence[Episode],
    cover_name: str,
    *,
    jobs: int | None = None,
    meanwhile: Callable[[], object] | None = None,
    prune: bool = True,
) -> None:
    """Write ``index.html``, every ``episodes/<slug>.html`` and the static assets.

    A file whose bytes are unchanged is left alone, and a stamped page whose
    inputs are unchanged is not even rendered; pages of episodes that are no
    longer in ``episodes`` are deleted, unless not ``prune`` (a build deletes
    them itself, after the feed no longer links to them). Each page is replaced atomically but
    not fsynced on its own: a page lost to a power cut is only a page that
    differs from what the next build renders, so it is written again then.
    Every folder written to is fsynced once at the end.

    With ``jobs`` above 1, many pages to render are shared with up to that
    many processes in all (one per :data:`PAGES_PER_PROCESS` pages), started
    with :mod:`multiprocessing`'s "spawn": the caller's script needs the usual
    ``if __name__ == "__main__":`` guard, so only the command line asks for
    them. By default everything is rendered in this process.

    ``meanwhile`` is called in this process while the workers render pages
    (or before the pages, without workers): a build renders its feed there.
    """
    with _collector_paused():
        _write_pages(os.fspath(out_dir), show, episodes, cover_name, jobs, meanwhile, prune)


def _write_pages(
    out: str,
    show: Show,
    episodes: Sequence[Episode],
    cover_name: str,
    jobs: int | None,
    meanwhile: Callable[[], object] | None,
    prune: bool,
) -> None:
    ordered = sorted(episodes, key=lambda e: (utc(e.published), e.slug), reverse=True)
    folder = os.path.join(out, EPISODES_DIR)
    existing = _html_files(folder)
    # Pages that do not exist yet are sure to be rendered: when there are many,
    # worker processes start now, while the rest is worked out.
    workers = _pool(_jobs(jobs, len(ordered) - len(existing)) - 1)
    try:
        written: set[str] = set()
        for name, data in _assets().items():
            if _write_if_changed(os.path.join(out, name), data):
                written.add(out)
        versions = _versions()
        pages = [_page_of(episode) for episode in ordered]
        folders: dict[str, _Folder] = {}  # by the pages' folder, relative to out
        keep: set[str] = set()
        todo: list[tuple[_Page, bool]] = []  # and whether the page is known to be absent
        for page in {page.path: page for page in pages}.values():  # one per path, the last
            page_folder, name = posixpath.split(page.path)
            if page_folder not in folders:
                context = _common(show, page.path, cover_name, versions)
                folders[page_folder] = _Folder(context, digest(sorted(context.items())))
            keep.add(name)
            absent = page_folder == EPISODES_DIR and name not in existing
            if absent or not stamped(
                os.path.join(out, page.path), _page_stamp(folders[page_folder], page)
            ):
                todo.append((page, absent))

        index_path = os.path.join(out, INDEX_NAME)
        listed = [(p.path, p.title, p.day, p.duration, p.number, p.summary) for p in pages]
        index_stamp = digest((_render_version(), "index", show, cover_name, versions, listed))

        def write_index() -> set[str]:
            if stamped(index_path, index_stamp):
                return set()
            index = render_index(show, ordered, cover_name, versions=versions)
            return {out} if _write_if_changed(index_path, index, stamp=index_stamp) else set()

        if workers is None:  # unless it turned out that many existing pages are stale
            workers = _pool(_jobs(jobs, len(todo)) - 1)

        def first() -> set[str]:  # what this process does while the workers start
            if meanwhile is not None:
                meanwhile()
            return write_index()

        written |= _write_episode_pages(out, folders, todo, workers, first=first)
    finally:
        if workers is not None:
            workers.shutdown(cancel_futures=True)
    for name in existing - keep if prune else ():
        os.unlink(os.path.join(folder, name))
    for path in sorted(written):
        fsync_folder(path)


def render_index(
    show: Show,
    episodes: Sequence[Episode],
    cover_name: str,
    *,
    versions: dict[str, str] | None = None,
) -> bytes:
    """The show's home page as UTF-8 bytes; ``episodes`` are listed in the order given."""
    page = INDEX_NAME
    context = _common(show, page, cover_name, versions)
    listed = []
    for e in episodes:
        day = utc(e.published).date()
        duration = e.timeline.duration
        listed.append(
            _Card(
                title=_text(e.title),
                href=_href(page, e.page_path),
                date=_day_text(day),
                date_iso=day.isoformat(),
                duration=_duration_text(duration),
                duration_iso=_iso_duration(duration),
                number=e.number,
                summary=_paragraphs(e.summary),
            )
        )
    context.update(
        cover=_href(page, cover_name),
        feed_url=_NOT_HTML.sub("", show.base_url + FEED_NAME),
        feed_href=_href(page, FEED_NAME),
        description=_paragraphs(show.description),
        episodes=listed,
    )
    return _render("index.html.j2", context)


class _Card(NamedTuple):
    """An episode as the index lists it (attributes, so the template need not try keys)."""

    title: str
    href: str
    date: str
    date_iso: str
    duration: str
    duration_iso: str
    number: int | None
    summary: list[str]


def render_episode_page(
    show: Show, episode: Episode, cover_name: str, *, versions: dict[str, str] | None = None
) -> bytes:
    """One episode's page as UTF-8 bytes."""
    return _render_page(_common(show, episode.page_path, cover_name, versions), _page_of(episode))


def html_language(language: str) -> str:
    """A BCP 47 tag in its usual case: ``en-us`` → ``en-US``, ``zh-hant-tw`` → ``zh-Hant-TW``."""
    parts = [p for p in re.split(r"[-_]", language.strip()) if p]
    if not parts or not all(p.isascii() and p.isalnum() for p in parts):
        return "en"
    out = [parts[0].lower()]
    for part in parts[1:]:
        if len(part) == 2 and part.isalpha():
            out.append(part.upper())
        elif len(part) == 4 and part.isalpha():
            out.append(part.title())
        else:
            out.append(part.lower())
    return "-".join(out)


def _page_of(episode: Episode) -> _Page:
    timeline = episode.timeline
    return _Page(
        episode.page_path,
        episode.title,
        episode.number,
        episode.author,
        utc(episode.published).date(),
        timeline.duration,
        episode.summary,
        episode.audio_path,
        episode.audio_size,
        episode.transcript_path,
        episode.chapters_path,
        tuple(map(_CHAPTER_FIELDS, timeline.chapters)),
        tuple(map(_CUE_FIELDS, timeline.cues)),
        episode.book_path,
    )


def _page_stamp(folder: _Folder, page: _Page) -> bytes:
    return digest((_render_version(), folder.digest, page))


def _write_episode_pages(
    out: str,
    folders: dict[str, _Folder],
    todo: list[tuple[_Page, bool]],
    workers: ProcessPoolExecutor | None,
    *,
    first: Callable[[], set[str]],
) -> set[str]:
    """Run ``first``, then render and write the pages in ``todo``, with ``workers`` if any.

    Returns the folders written to. The pages are cut into batches that the
    worker processes take from the front while this process, once ``first``
    is done, takes them from the back (those no worker has started yet), so
    that all finish together however long the workers took to start.
    """
    if workers is None or not todo:
        return first() | _write_batch(out, folders, todo)
    size = max(len(todo) // 64, 1)
    batches = [todo[i : i + size] for i in range(0, len(todo), size)]
    futures: list[Future[set[str]] | None] = []
    with contextlib.suppress(BrokenProcessPool):  # the batches not handed out are done here
        for batch in batches:
            futures.append(workers.submit(_write_batch, out, folders, batch))
    futures += [None] * (len(batches) - len(futures))
    written = first()
    for future, batch in zip(reversed(futures), reversed(batches), strict=True):
        if future is not None and not future.cancel():
            break
        written |= _write_batch(out, folders, batch)
    for future, batch in zip(futures, batches, strict=True):
        if future is None or future.cancelled():
            continue
        try:
            written |= future.result()
        except BrokenProcessPool:  # a worker could not start, or died: do it here
            written |= _write_batch(out, folders, batch)
    return written


def _write_batch(
    out: str, folders: dict[str, _Folder], batch: list[tuple[_Page, bool]]
) -> set[str]:
    """Render and write some pages (in this process or a worker); the folders written to."""
    written: set[str] = set()
    for page, absent in batch:
        folder = folders[posixpath.dirname(page.path)]
        target = os.path.join(out, page.path)
        data = _render_page(folder.context, page)
        if _write_if_changed(target, data, absent=absent, stamp=_page_stamp(folder, page)):
            written.add(os.path.dirname(target))
    return written


def _render_page(common: dict[str, Any], page: _Page) -> bytes:
    """One episode's page, given the context shared by the pages in its folder."""
    path = page.path
    context = dict(common)
    context.update(
        title=_text(page.title),
        number=page.number,
        author=_text(page.author) if page.author else None,
        date=_day_text(page.day),
        date_iso=page.day.isoformat(),
        duration=_duration_text(page.duration),
        duration_iso=_iso_duration(page.duration),
        summary=_paragraphs(page.summary),
        audio=_href(path, page.audio_path),
        audio_size=_megabytes(page.audio_size),
        transcript=_href(path, page.transcript_path) if page.transcript_path else None,
        chapters_json=_href(path, page.chapters_path) if page.chapters_path else None,
        book=_href(path, page.book_path) if page.book_path else None,
        chapters=_transcript(page.chapters, page.cues),
        has_chapters=bool(page.chapters),
        speeds=_speeds(),
    )
    return _render("episode.html.j2", context)


def _common(
    show: Show, page: str, cover_name: str, versions: dict[str, str] | None
) -> dict[str, Any]:
    """Context every page needs: the show, the language and the asset URLs.

    It depends on ``page`` only through its folder, so one dict serves every
    episode page (copy it before adding to it).
    """
    versions = versions or {}

    def asset(name: str) -> str:
        version = versions.get(name)
        return _href(page, name) + (f"?v={version}" if version else "")

    return {
        "icon": _href(page, cover_name),
        "lang": html_language(show.language),
        "show_title": _text(show.title),
        "show_author": _text(show.author),
        "copyright": _text(show.copyright) if show.copyright else None,
        "home": _href(page, INDEX_NAME),
        "css": asset(STYLESHEET),
        "js": asset(SCRIPT),
        "feed_href": _href(page, FEED_NAME),
    }
