"""Each episode as an EPUB 3 talking book: the article's text with Media Overlays.

Talking-book players (Thorium, EasyReader, Voice Dream...) show the text and
highlight each sentence as the narration inside the book reaches it. The book
is a zip made the same way every time: ``mimetype`` first and stored, then
every other file in name order, each with the same fixed time stamp and
permissions, so the same episode is the same bytes (and, being published under
a name made from them, the same file). The documents come from
:mod:`msaudio.publish.epub_content`.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile
from pathlib import Path

from msaudio.model import Article, Episode, Script, Show
from msaudio.publish.epub_content import BookInfo, documents

MEDIA_TYPE = "application/epub+zip"
AUDIO_NAME = "EPUB/audio.mp3"
COVER_NAME = "EPUB/cover.jpg"

ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The earliest time a zip can hold: every entry's, so no clock reaches the bytes."""

_FILE_MODE = 0o100644 << 16
"""A plain readable file, for every entry (unzip tools keep it)."""

_COMPRESSED = (".xhtml", ".smil", ".opf", ".css", ".xml")
"""Text, deflated; the MP3 and the cover are stored as they are (they do not shrink)."""


def book_identifier(guid: str) -> str:
    """A ``urn:uuid:`` for the book: the episode's GUID when it is a UUID (the ledger's
    are), else a UUID made from it, so the book keeps its identity across rebuilds."""
    try:
        value = uuid.UUID(guid)
    except ValueError:
        value = uuid.uuid5(uuid.NAMESPACE_URL, guid)
    return f"urn:uuid:{value}"


def book_info(episode: Episode, show: Show) -> BookInfo:
    """The package metadata, from the episode and its show only."""
    published = episode.published.astimezone(dt.UTC)
    return BookInfo(
        identifier=book_identifier(episode.guid),
        title=episode.title,
        author=episode.author or show.author,
        language=show.language,
        date=episode.date or published.date(),
        modified=published,
        publisher=show.title,
    )


def make_book(
    article: Article,
    script: Script,
    episode: Episode,
    show: Show,
    audio: Path,
    cover: bytes | None,
) -> bytes:
    """The EPUB of ``episode`` (narrated from ``script``), with the MP3 at ``audio`` inside."""
    texts = documents(
        article, script, episode.timeline, book_info(episode, show), cover=cover is not None
    )
    media = {AUDIO_NAME: audio.read_bytes()}
    if cover is not None:
        media[COVER_NAME] = cover
    return package({**texts, **media})


def package(files: dict[str, bytes]) -> bytes:
    """``files`` (path in the book → bytes) as an EPUB container."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as book:
        _add(book, "mimetype", MEDIA_TYPE.encode("ascii"), zipfile.ZIP_STORED)
        for name in sorted(files):
            method = zipfile.ZIP_DEFLATED if name.endswith(_COMPRESSED) else zipfile.ZIP_STORED
            _add(book, name, files[name], method)
    return buffer.getvalue()


def _add(book: zipfile.ZipFile, name: str, data: bytes, method: int) -> None:
    entry = zipfile.ZipInfo(name, ZIP_TIME)
    entry.compress_type = method
    entry.create_system = 3  # Unix, whatever builds it, for the same bytes everywhere
    entry.external_attr = _FILE_MODE
    book.writestr(entry, data, compresslevel=9 if method == zipfile.ZIP_DEFLATED else None)
