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
touches nothing.
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import math
import posixpath
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from msaudio.model import Chapter, Cue, Episode, Show
from msaudio.publish.atomic import write_bytes_atomic

INDEX_NAME = "index.html"
EPISODES_DIR = "episodes"
STYLESHEET = "msaudio.css"
SCRIPT = "msaudio.js"
FEED_NAME = "feed.xml"

SPEEDS = (0.75, 1.0, 1.25, 1.5)
"""Playback rates offered as buttons on an episode page."""

MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)

# Runs of whitespace, except the no-break spaces that keep "10 mg" together.
_WHITESPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Characters HTML text cannot carry (C0/C1 controls other than whitespace,
# lone surrogates, noncharacters): dropped rather than passed to the browser.
_NOT_HTML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class CueView:
    """One sentence of the transcript as the page shows it."""

    number: int
    """1-based position in the transcript (gives the element id ``cue-N``)."""

    start: str
    """Start in seconds, three decimals (``data-start``)."""

    end: str
    """End in seconds, three decimals (``data-end``)."""

    text: str
    """Display text, whitespace collapsed."""


@dataclass(frozen=True)
class ChapterView:
    """A chapter as the chapter list and the transcript show it."""

    number: int
    title: str
    start: str
    """Start in seconds, three decimals (``data-start`` and the ``#t=`` fragment)."""

    clock: str
    """Start as ``M:SS`` or ``H:MM:SS``."""

    iso: str
    """Start as an ISO 8601 duration, for ``<time datetime>``."""

    cues: tuple[CueView, ...]
    """The sentences heard in this chapter, in order."""


def write_pages(out_dir: Path, show: Show, episodes: Sequence[Episode], cover_name: str) -> None:
    """Write ``index.html``, every ``episodes/<slug>.html`` and the static assets.

    A file whose bytes are unchanged is left alone; pages of episodes that are
    no longer in ``episodes`` are deleted.
    """
    assets = _assets()
    for name, data in assets.items():
        _write_if_changed(out_dir / name, data)
    versions = {name: hashlib.sha256(data).hexdigest()[:10] for name, data in assets.items()}
    ordered = sorted(episodes, key=lambda e: (_utc(e.published), e.slug), reverse=True)
    _write_if_changed(
        out_dir / INDEX_NAME, render_index(show, ordered, cover_name, versions=versions)
    )
    keep: set[str] = set()
    for episode in ordered:
        keep.add(posixpath.basename(episode.page_path))
        _write_if_changed(
            out_dir / episode.page_path,
            render_episode_page(show, episode, cover_name, versions=versions),
        )
    folder = out_dir / EPISODES_DIR
    if folder.is_dir():
        for page in folder.glob("*.html"):
            if page.name not in keep and page.is_file():
                page.unlink()


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
    context.update(
        cover=_href(page, cover_name),
        feed_url=show.base_url + FEED_NAME,
        feed_href=_href(page, FEED_NAME),
        description=_paragraphs(show.description),
        episodes=[
            {
                "title": _text(e.title),
                "href": _href(page, e.page_path),
                "date": _date_text(e.published),
                "date_iso": _utc(e.published).date().isoformat(),
                "duration": _duration_text(e.timeline.duration),
                "duration_iso": _iso_duration(e.timeline.duration),
                "number": e.number,
                "summary": _paragraphs(e.summary),
            }
            for e in episodes
        ],
    )
    return _render("index.html.j2", context)


def render_episode_page(
    show: Show, episode: Episode, cover_name: str, *, versions: dict[str, str] | None = None
) -> bytes:
    """One episode's page as UTF-8 bytes."""
    page = episode.page_path
    context = _common(show, page, cover_name, versions)
    context.update(
        title=_text(episode.title),
        number=episode.number,
        author=_text(episode.author) if episode.author else None,
        date=_date_text(episode.published),
        date_iso=_utc(episode.published).date().isoformat(),
        duration=_duration_text(episode.timeline.duration),
        duration_iso=_iso_duration(episode.timeline.duration),
        summary=_paragraphs(episode.summary),
        audio=_href(page, episode.audio_path),
        audio_size=_megabytes(episode.audio_size),
        transcript=_href(page, episode.transcript_path) if episode.transcript_path else None,
        chapters_json=_href(page, episode.chapters_path) if episode.chapters_path else None,
        chapters=transcript_chapters(episode.timeline.chapters, episode.timeline.cues),
        has_chapters=bool(episode.timeline.chapters),
        speeds=[(_rate(speed), _rate_label(speed)) for speed in SPEEDS],
    )
    return _render("episode.html.j2", context)


def transcript_chapters(
    chapters: Sequence[Chapter], cues: Sequence[Cue]
) -> tuple[ChapterView, ...]:
    """The cues grouped under the chapters they are heard in.

    A cue belongs to the last chapter starting at or before it; one that starts
    before the first chapter opens that chapter. Without chapters, all cues
    form one untitled group. Cues with no text are left out, as in the other
    transcripts.
    """
    ordered = sorted(chapters, key=lambda chapter: chapter.start)
    starts = [chapter.start for chapter in ordered]
    groups: list[list[CueView]] = [[] for _ in range(max(len(ordered), 1))]
    number = 0
    for cue in cues:
        text = _text(cue.text)
        if not text:
            continue
        number += 1
        index = max(bisect.bisect_right(starts, cue.start) - 1, 0)
        groups[index].append(CueView(number, _seconds(cue.start), _seconds(cue.end), text))
    if not ordered:
        return (ChapterView(0, "", _seconds(0.0), _clock(0.0), "PT0S", tuple(groups[0])),)
    return tuple(
        ChapterView(
            number,
            _text(chapter.title),
            _seconds(chapter.start),
            _clock(chapter.start),
            _iso_duration(math.floor(chapter.start)),
            tuple(group),
        )
        for number, (chapter, group) in enumerate(zip(ordered, groups, strict=True), start=1)
    )


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


def _common(
    show: Show, page: str, cover_name: str, versions: dict[str, str] | None
) -> dict[str, Any]:
    """Context every page needs: the show, the language and the asset URLs."""
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
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("msaudio", "data/templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        finalize=_finalize,
    )


def _finalize(value: object) -> object:
    """Drop characters HTML cannot carry from every plain string a template prints."""
    if isinstance(value, str) and not isinstance(value, Markup):
        return _NOT_HTML.sub("", value)
    return value


def _render(template: str, context: dict[str, Any]) -> bytes:
    return _environment().get_template(template).render(context).encode("utf-8")


@cache
def _assets() -> dict[str, bytes]:
    """The stylesheet and the script, as shipped in the package."""
    static = files("msaudio").joinpath("data/static")
    return {name: static.joinpath(name).read_bytes() for name in (STYLESHEET, SCRIPT)}


def _write_if_changed(path: Path, data: bytes) -> bool:
    """Write ``data`` atomically unless ``path`` already holds exactly it."""
    try:
        if path.read_bytes() == data:
            return False
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        pass
    write_bytes_atomic(path, data)
    return True


def _href(page: str, target: str) -> str:
    """URL of ``target`` relative to ``page`` (both relative to the output folder)."""
    relative = posixpath.relpath(target.lstrip("/"), posixpath.dirname(page) or ".")
    return quote(relative, safe="/")


def _text(text: str | None) -> str:
    """Whitespace collapsed to single spaces (no-break spaces kept), trimmed."""
    return _WHITESPACE.sub(" ", text or "").strip()


def _paragraphs(text: str) -> list[str]:
    """Plain text split at blank lines into collapsed paragraphs."""
    return [p for p in (_text(part) for part in _PARAGRAPH_BREAK.split(text)) if p]


def _seconds(value: float) -> str:
    return f"{max(value, 0.0):.3f}"


def _clock(seconds: float) -> str:
    """``M:SS`` under an hour, ``H:MM:SS`` from an hour on; like a player's clock, it truncates."""
    total = max(math.floor(seconds), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


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


def _date_text(moment: dt.datetime) -> str:
    """``1 October 2026``: unambiguous in every English-speaking country."""
    day = _utc(moment).date()
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
