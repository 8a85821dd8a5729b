"""What the pages are written with: templates, assets, text and number formatting, links."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import posixpath
import re
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from markupsafe import Markup, escape

from msaudio import __version__
from msaudio.publish.atomic import NEW_FILE_MODE, restamp, write_bytes_atomic
from msaudio.publish.common import MONTHS, PARAGRAPH_BREAK, WHITESPACE, code_digest
from msaudio.publish.templates import environment

STYLESHEET = "msaudio.css"
SCRIPT = "msaudio.js"
_PAGE_MODULES = ("pages.py", "pages_html.py", "pages_transcript.py", "common.py", "templates.py")
"""The code that shapes a page's bytes, in the stamp of every page."""


SPEEDS = (0.75, 1.0, 1.25, 1.5)
"""Playback rates offered as buttons on an episode page."""


# Characters HTML text cannot carry (C0/C1 controls other than whitespace,
# lone surrogates, noncharacters): dropped rather than passed to the browser.
_NOT_HTML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


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


@cache
def _speeds() -> tuple[tuple[str, str], ...]:
    """The speed buttons: ``data-rate`` and label."""
    return tuple((_rate(speed), _rate_label(speed)) for speed in SPEEDS)


@cache
def _template(name: str) -> jinja2.Template:
    return environment("data/templates").get_template(name)


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
    here = Path(__file__).parent
    code = code_digest(
        f"{__version__} {jinja2.__version__} {_markupsafe_version()}",
        [here / name for name in _PAGE_MODULES],
    )
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
        return text.strip() if "  " not in text else WHITESPACE.sub(" ", text).strip()
    # Control characters that are whitespace (tab, form feed, NEL...) separate
    # words like a space; the others are dropped, which may leave spaces to join.
    words = _NOT_HTML.sub("", WHITESPACE.sub(" ", text))
    return WHITESPACE.sub(" ", words).strip()


def _paragraphs(text: str) -> list[str]:
    """Plain text split at blank lines into collapsed paragraphs."""
    parts = PARAGRAPH_BREAK.split(text) if "\n" in text else [text]
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
