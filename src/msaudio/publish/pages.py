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

import bisect
import contextlib
import datetime as dt
import gc
import hashlib
import math
import multiprocessing
import operator
import os
import posixpath
import re
import signal
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from msaudio import __version__
from msaudio.model import Chapter, Cue, Episode, Show
from msaudio.publish.atomic import (
    NEW_FILE_MODE,
    digest,
    fsync_folder,
    restamp,
    stamped,
    write_bytes_atomic,
)
from msaudio.publish.feed import FEED_NAME
from msaudio.publish.transcript import player_clock

INDEX_NAME = "index.html"
EPISODES_DIR = "episodes"
STYLESHEET = "msaudio.css"
SCRIPT = "msaudio.js"

SPEEDS = (0.75, 1.0, 1.25, 1.5)
"""Playback rates offered as buttons on an episode page."""

MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)

PAGES_PER_PROCESS = 500
"""Pages to render for each process (this one and its workers) started, up to one per CPU.

Fewer would hardly repay starting a worker (some 0.2 s).
"""

# Runs of whitespace, except the no-break spaces that keep "10 mg" together.
_WHITESPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Characters HTML text cannot carry (C0/C1 controls other than whitespace,
# lone surrogates, noncharacters): dropped rather than passed to the browser.
_NOT_HTML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_CHAPTER_FIELDS = operator.attrgetter("title", "start")
_CUE_FIELDS = operator.attrgetter("start", "end", "text")


class CueView(NamedTuple):
    """One sentence of the transcript as the page shows it."""

    number: int
    """1-based position in the transcript (gives the element id ``cue-N``)."""

    start: str
    """Start in seconds, three decimals (``data-start``)."""

    end: str
    """End in seconds, three decimals (``data-end``)."""

    text: str
    """Display text, whitespace collapsed, characters HTML cannot carry dropped."""


class ChapterView(NamedTuple):
    """A chapter as the chapter list and the transcript show it."""

    number: int
    title: str
    start: str
    """Start in seconds, three decimals (``data-start`` and the ``#t=`` fragment)."""

    clock: str
    """Start as ``M:SS`` or ``H:MM:SS``."""

    iso: str
    """Start as an ISO 8601 duration, for ``<time datetime>``."""

    rows: tuple[tuple[int, str, str, str], ...]
    """The sentences heard in this chapter, in order, as plain ``CueView`` tuples.

    Plain tuples because a long show has hundreds of thousands of them: making
    each a named tuple took longer than rendering it.
    """

    @property
    def spans(self) -> Markup:
        """The rows as the transcript's HTML: one ``<span class="cue">`` per sentence, per line."""
        return _spans(self.rows)

    @property
    def cues(self) -> tuple[CueView, ...]:
        """The sentences heard in this chapter, in order."""
        return tuple(CueView._make(row) for row in self.rows)


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
    ordered = sorted(episodes, key=lambda e: (_utc(e.published), e.slug), reverse=True)
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
        day = _utc(e.published).date()
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


def transcript_chapters(
    chapters: Sequence[Chapter], cues: Sequence[Cue]
) -> tuple[ChapterView, ...]:
    """The cues grouped under the chapters they are heard in.

    A cue belongs to the last chapter starting at or before it; one that starts
    before the first chapter opens that chapter. Without chapters, all cues
    form one untitled group. Cues with no text are left out, as in the other
    transcripts.
    """
    return _transcript(tuple(map(_CHAPTER_FIELDS, chapters)), tuple(map(_CUE_FIELDS, cues)))


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
        _utc(episode.published).date(),
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


def _pool(workers: int) -> ProcessPoolExecutor | None:
    """``workers`` worker processes, if any, starting now.

    Started afresh ("spawn"), which is safe whatever threads this process runs.
    """
    if workers < 1:
        return None
    try:
        pool = ProcessPoolExecutor(
            workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_ignore_interrupts,
        )
    except (OSError, ImportError, NotImplementedError):  # no multiprocessing here
        return None
    for _ in range(workers):  # processes start on demand: ask for them now
        pool.submit(_warm_up)
    return pool


def _warm_up() -> None:
    """In a worker, while it waits for pages: what the first page would otherwise wait for."""
    _template("episode.html.j2")
    _render_version()


def _ignore_interrupts() -> None:
    """In a worker: leave Ctrl-C to the main process, which stops handing out batches."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


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


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold off Python's cyclic garbage collector for a while.

    Writing pages makes hundreds of thousands of small tuples that live until
    it is done, and no reference cycles, so the full collections they set off
    (each walking every object the caller holds too) found nothing to free,
    for several per cent of the time a big show's pages take.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _jobs(requested: int | None, pages: int) -> int:
    """How many processes should render ``pages`` pages."""
    if pages < 1 or requested is None or requested <= 1:
        return 1
    return max(min(requested, pages // PAGES_PER_PROCESS), 1)


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


def _transcript(
    chapters: Sequence[tuple[str, float]], cues: Sequence[tuple[float, float, str]]
) -> tuple[ChapterView, ...]:
    """:func:`transcript_chapters`, from ``(title, start)`` and ``(start, end, text)`` tuples."""
    ordered = sorted(chapters, key=operator.itemgetter(1))
    starts = [start for _, start in ordered]
    groups: list[list[tuple[int, str, str, str]]] = [[] for _ in range(max(len(ordered), 1))]
    number = 0
    # The innermost loop of a build (every sentence of every episode), so it
    # inlines the common case of _text, and _seconds as "%.3f" % (the same
    # digits as the format spec, in half the time); "x if not x < 0.0 else
    # 0.0" is max(x, 0.0) exactly, -0.0 and NaN included.
    for start, end, text in cues:
        text = text.strip() if text.isprintable() and "  " not in text else _text(text)
        if not text:
            continue
        number += 1
        index = bisect.bisect_right(starts, start) - 1
        groups[index if index > 0 else 0].append(
            (
                number,
                "%.3f" % (start if not start < 0.0 else 0.0),
                "%.3f" % (end if not end < 0.0 else 0.0),
                text,
            )
        )
    if not ordered:
        return (ChapterView(0, "", _seconds(0.0), player_clock(0.0), "PT0S", tuple(groups[0])),)
    return tuple(
        ChapterView(
            number,
            _text(title),
            _seconds(start),
            player_clock(start),
            _iso_duration(math.floor(start)),
            tuple(group),
        )
        for number, ((title, start), group) in enumerate(zip(ordered, groups, strict=True), 1)
    )


_CUE_SPAN = '<span class="cue" id="cue-%d" data-start="%s" data-end="%s">%s</span>\n'
_HTML_SPECIAL = re.compile("[&<>\"']")


def _spans(rows: Sequence[tuple[int, str, str, str]]) -> Markup:
    """The transcript's markup for ``rows``, built here rather than by a template loop.

    This runs for every sentence of every episode: one string format each is a
    third of the time the template's loop took. The number and the times are
    digits formatted by :func:`_transcript`; the text is escaped.
    """
    return Markup(
        "".join(
            [
                _CUE_SPAN
                % (number, start, end, escape(text) if _HTML_SPECIAL.search(text) else text)
                for number, start, end, text in rows
            ]
        )
    )


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


@cache
def _speeds() -> tuple[tuple[str, str], ...]:
    """The speed buttons: ``data-rate`` and label."""
    return tuple((_rate(speed), _rate_label(speed)) for speed in SPEEDS)


@cache
def _environment() -> jinja2.Environment:
    # Templates ship inside the package and do not change while a build runs:
    # without auto_reload each render (and its base template) skips a stat().
    return jinja2.Environment(
        loader=jinja2.PackageLoader("msaudio", "data/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )


@cache
def _template(name: str) -> jinja2.Template:
    return _environment().get_template(name)


def _render(template: str, context: dict[str, Any]) -> bytes:
    return _template(template).render(context).encode("utf-8")


@cache
def _assets() -> dict[str, bytes]:
    """The stylesheet and the script, as shipped in the package."""
    static = files("msaudio").joinpath("data/static")
    return {name: static.joinpath(name).read_bytes() for name in (STYLESHEET, SCRIPT)}


@cache
def _versions() -> dict[str, str]:
    """A short hash of each asset, added to its URL so browsers fetch a changed one."""
    return {name: hashlib.sha256(data).hexdigest()[:10] for name, data in _assets().items()}


@cache
def _render_version() -> bytes:
    """A digest of what shapes a page besides its inputs (this code, the templates), for stamps."""
    code = hashlib.blake2b(digest_size=16)
    code.update(f"{__version__} {jinja2.__version__} {_markupsafe_version()}".encode())
    try:
        code.update(Path(__file__).read_bytes())
    except OSError:  # no source to read (a frozen app): the version has to do
        code.update(__name__.encode())
    templates = files("msaudio").joinpath("data/templates")
    for name in sorted(entry.name for entry in templates.iterdir()):
        code.update(name.encode() + b"\0" + templates.joinpath(name).read_bytes())
    return code.digest()


def _markupsafe_version() -> str:
    from importlib.metadata import version

    return version("markupsafe")


def _html_files(folder: str) -> set[str]:
    """Names of the ``*.html`` files in ``folder`` (none when it does not exist)."""
    try:
        with os.scandir(folder) as entries:
            return {e.name for e in entries if e.name.endswith(".html") and e.is_file()}
    except (FileNotFoundError, NotADirectoryError):
        return set()


def _write_if_changed(
    path: str, data: bytes, *, absent: bool = False, stamp: bytes | None = None
) -> bool:
    """Write ``data`` atomically unless ``path`` already holds exactly it; stamp it either way.

    ``absent`` says the caller knows there is no such file (from a folder
    listing), which saves trying to read it.
    """
    if not absent:
        try:
            with open(path, "rb") as handle:
                same = os.fstat(handle.fileno()).st_size == len(data) and handle.read() == data
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            same = False
        if same:
            if stamp is not None:
                restamp(path, stamp)
            return False
    write_bytes_atomic(
        path, data, durable=False, stamp=stamp, mode=NEW_FILE_MODE if absent else None
    )
    return True


def _href(page: str, target: str) -> str:
    """URL of ``target`` relative to ``page`` (both relative to the output folder)."""
    path = target.lstrip("/")
    folder = posixpath.dirname(page)
    prefix = f"{folder}/" if folder else ""
    # posixpath.relpath makes both paths absolute (two os.getcwd() calls); a
    # plain path inside the page's own folder, such as an episode's audio or
    # an index entry's page, is simply the rest of the path.
    if path.startswith(prefix) and _plain(path) and (not folder or _plain(folder)):
        relative = path[len(prefix) :]
    else:
        relative = posixpath.relpath(path, folder or ".")
    return quote(relative, safe="/")


def _plain(path: str) -> bool:
    """A relative path with no empty, ``.`` or ``..`` part: already in normal form."""
    parts = path.split("/")
    return "" not in parts and "." not in parts and ".." not in parts


def _text(text: str | None) -> str:
    """Whitespace collapsed to single spaces (no-break spaces kept), trimmed.

    Characters HTML text cannot carry are then dropped, so every string a
    template prints has been through here (or is a URL or number we made).
    """
    if not text:
        return ""
    if text.isprintable():  # the usual case: no control characters, no space but U+0020
        return text.strip() if "  " not in text else _WHITESPACE.sub(" ", text).strip()
    # Control characters that are whitespace (tab, form feed, NEL...) separate
    # words like a space; the others are dropped, which may leave spaces to join.
    words = _NOT_HTML.sub("", _WHITESPACE.sub(" ", text))
    return _WHITESPACE.sub(" ", words).strip()


def _paragraphs(text: str) -> list[str]:
    """Plain text split at blank lines into collapsed paragraphs."""
    parts = _PARAGRAPH_BREAK.split(text) if "\n" in text else [text]
    return [p for p in map(_text, parts) if p]


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"


def _iso_duration(seconds: float) -> str:
    total = max(round(seconds), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    out = "PT"
    if hours:
        out += f"{hours}H"
    if minutes:
        out += f"{minutes}M"
    if secs or out == "PT":
        out += f"{secs}S"
    return out


def _duration_text(seconds: float) -> str:
    """A length in words: ``3 minutes 12 seconds``, ``1 hour 2 minutes``."""
    total = max(round(seconds), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)

    def unit(count: int, name: str) -> str:
        return f"{count} {name}{'' if count == 1 else 's'}"

    if hours:
        return unit(hours, "hour") + (f" {unit(minutes, 'minute')}" if minutes else "")
    if minutes:
        return unit(minutes, "minute") + (f" {unit(secs, 'second')}" if secs else "")
    return unit(secs, "second")


def _day_text(day: dt.date) -> str:
    """``1 October 2026``: unambiguous in every English-speaking country."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def _megabytes(size: int) -> str:
    if size < 100_000:
        return f"{max(size // 1000, 1)} kB"
    return f"{size / 1_000_000:.1f} MB"


def _rate(speed: float) -> str:
    return f"{speed:g}"


def _rate_label(speed: float) -> str:
    return f"{speed:g}×"


def _utc(moment: dt.datetime) -> dt.datetime:
    """The same instant in UTC; a naive time is a programming error."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"publication time {moment.isoformat()} has no time zone")
    return moment.astimezone(dt.UTC)
