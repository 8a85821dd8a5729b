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
import shutil
import uuid
import zipfile
from pathlib import Path
from typing import BinaryIO

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


def write_book(
    target: Path,
    article: Article,
    script: Script,
    episode: Episode,
    show: Show,
    audio: Path,
    cover: bytes | None,
) -> None:
    """Write the EPUB of ``episode`` (narrated from ``script``) to ``target``, with the MP3
    at ``audio`` copied in as a stream, so a long episode's book costs no more memory."""
    files: dict[str, bytes | Path] = dict(
        documents(
            article, script, episode.timeline, book_info(episode, show), cover=cover is not None
        )
    )
    files[AUDIO_NAME] = audio
    if cover is not None:
        files[COVER_NAME] = cover
    with target.open("wb") as handle:
        _write(handle, files)


def package(files: dict[str, bytes]) -> bytes:
    """``files`` (path in the book → bytes) as an EPUB container."""
    buffer = io.BytesIO()
    _write(buffer, dict(files))
    return buffer.getvalue()


def _write(handle: BinaryIO, files: dict[str, bytes | Path]) -> None:
    """``mimetype`` first and stored, then ``files`` in name order (a path's bytes streamed)."""
    with zipfile.ZipFile(handle, "w") as book:
        _add(book, "mimetype", MEDIA_TYPE.encode("ascii"), zipfile.ZIP_STORED)
        for name in sorted(files):
            method = zipfile.ZIP_DEFLATED if name.endswith(_COMPRESSED) else zipfile.ZIP_STORED
            _add(book, name, files[name], method)


def _add(book: zipfile.ZipFile, name: str, data: bytes | Path, method: int) -> None:
    entry = zipfile.ZipInfo(name, ZIP_TIME)
    entry.compress_type = method
    entry.create_system = 3  # Unix, whatever builds it, for the same bytes everywhere
    entry.external_attr = _FILE_MODE
    if isinstance(data, bytes):
        book.writestr(entry, data, compresslevel=9 if method == zipfile.ZIP_DEFLATED else None)
        return
    entry.file_size = data.stat().st_size  # known up front: no ZIP64 guess, same header
    with data.open("rb") as source, book.open(entry, "w") as sink:
        shutil.copyfileobj(source, sink, 1 << 20)
