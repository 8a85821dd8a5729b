"""Bytes on disk → text: UTF-8 first, then a page's declared charset, then detection.

Detection uses charset-normalizer; a file it cannot place confidently is an
error asking for UTF-8 rather than a guess read aloud as gibberish.
"""

from __future__ import annotations

import codecs
import os
import re
import warnings
from pathlib import Path

from msaudio.errors import ArticleError


class DecodingWarning(UserWarning):
    """A file was not UTF-8 and was decoded with a detected encoding."""


HTML_SUFFIXES = (".html", ".htm")
"""Files whose ``<meta charset>`` is honoured."""

MAX_CHAOS = 0.1
"""Detections messier than this (charset-normalizer's chaos, 0-1) are not trusted."""

WESTERN_TOLERANCE = 0.02
"""How much messier than the best guess cp1252 may read and still be preferred."""

MAX_FILE_BYTES = 16 * 2**20
"""Biggest article file read at all. A saved web page that embeds its images can run to a
few megabytes; anything bigger is not an article, and is refused before it fills memory."""

DECLARATION_WINDOW = 4096
"""How many leading bytes are searched for a ``<meta charset>`` declaration."""

_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")
"""Control characters (C0 but tab and line breaks, DEL, C1): never text, and never valid
in the XML that lxml builds from a web page, so they are deleted."""
_DECLARED = re.compile(rb"<meta\b[^>]*?charset\s*=\s*[\"']?\s*([A-Za-z0-9._:-]+)", re.IGNORECASE)
_WHATWG_LATIN = frozenset({"ascii", "iso8859-1"})
"""Labels that browsers (WHATWG Encoding) read as windows-1252."""
_WESTERN = "cp1252"
_WIDE = ("utf_16", "utf_32")
"""Guesses that make no sense for bytes without NULs (ASCII text in UTF-16 has them)."""


def decode_bytes(data: bytes, path: Path) -> str:
    """Decode ``data`` read from ``path``; see :func:`text_of`."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            message = f"looks like UTF-16 but cannot be decoded ({error.reason})"
            raise ArticleError(message, path) from None
    if b"\x00" in data:
        raise ArticleError("binary file (contains NUL bytes), not a text article", path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if path.suffix.lower() in HTML_SUFFIXES:
        declared = _decode_declared(data)
        if declared is not None:
            return declared
    text, encoding = _detect(data, path)
    warnings.warn(
        f"{path}: not valid UTF-8; decoded as {encoding}. Save the file as UTF-8 to be sure.",
        DecodingWarning,
        stacklevel=3,
    )
    return text


def _decode_declared(data: bytes) -> str | None:
    """``data`` decoded with the charset its ``<meta>`` declares, when that works."""
    match = _DECLARED.search(data[:DECLARATION_WINDOW])
    if match is None:
        return None
    try:
        encoding = codecs.lookup(match.group(1).decode("ascii")).name
    except (LookupError, UnicodeDecodeError):
        return None
    if encoding.startswith(("utf-8", "utf-16", "utf-32")):
        return None  # UTF-8 already failed; UTF-16/32 cannot be declared in ASCII text
    if encoding in _WHATWG_LATIN:
        encoding = _WESTERN
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


def _detect(data: bytes, path: Path) -> tuple[str, str]:
    """Text and encoding name found by charset-normalizer; unsure is an :class:`ArticleError`.

    Short English text fits many single-byte code pages equally well, and the
    detector may pick a Baltic or Central European one (``Na\u2019ve`` for
    ``Na\u00efve``). msaudio's articles are English, so cp1252 wins whenever it
    reads the bytes about as cleanly as the detector's own best guess.
    """
    import charset_normalizer  # imported only for a file that is not UTF-8

    western = charset_normalizer.from_bytes(data, cp_isolation=[_WESTERN]).best()
    best = charset_normalizer.from_bytes(data).best()
    if western is not None and _reads_as_well(western.chaos, best.chaos if best else None):
        return str(western), _WESTERN
    if best is None or best.chaos > MAX_CHAOS or best.encoding.startswith(_WIDE):
        raise ArticleError("cannot tell the text encoding; save the file as UTF-8", path)
    return str(best), best.encoding


def _reads_as_well(western: float, best: float | None) -> bool:
    """Whether cp1252's chaos is low, and no worse than the best guess's (within tolerance)."""
    if western > MAX_CHAOS:
        return False
    return best is None or western <= best + WESTERN_TOLERANCE


def normalise_newlines(text: str) -> str:
    """Turn CRLF, CR, form feeds, vertical tabs (Word's line breaks), NEL and Unicode
    line/paragraph separators into ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    for separator in ("\u2028", "\u2029", "\x0c", "\x0b", "\x85"):
        text = text.replace(separator, "\n")
    return text


def tidy_text(text: str) -> str:
    """Decoded ``text`` with ``\\n`` newlines and no control characters (see :func:`text_of`)."""
    return _CONTROL.sub("", normalise_newlines(text))


def read_bytes(path: Path) -> bytes:
    """The bytes of an article file.

    An unreadable file, or one over :data:`MAX_FILE_BYTES` (never read into
    memory whole), is an :class:`ArticleError`.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                size = max(os.fstat(handle.fileno()).st_size, len(data))
                raise ArticleError(
                    f"file is too big for an article ({size / 2**20:.1f} MB); msaudio reads "
                    f"articles of up to {MAX_FILE_BYTES // 2**20} MB",
                    path,
                )
            return data
    except OSError as error:
        raise ArticleError(f"cannot read file: {error.strerror or error}", path) from None


def text_of(data: bytes, path: Path) -> str:
    """Article ``data`` read from ``path`` as text with ``\\n`` newlines.

    UTF-8 (with or without BOM) is tried first; then, for a web page, the
    charset its ``<meta>`` declares; then charset-normalizer's detection, with a
    :class:`DecodingWarning` naming the file and the encoding found. Control
    characters other than tabs and line breaks are deleted. Binary,
    empty and whitespace-only files, and text whose encoding cannot be told,
    raise :class:`~msaudio.errors.ArticleError`.
    """
    text = tidy_text(decode_bytes(data, path))
    if not text.strip().strip("\ufeff\u200b"):
        raise ArticleError("file is empty (nothing to narrate)", path)
    return text


def read_text(path: Path) -> str:
    """Read an article file as text; see :func:`text_of`."""
    return text_of(read_bytes(path), path)
