"""Bytes on disk → text: UTF-8 first, a Windows/Latin-1 fallback with a warning."""

from __future__ import annotations

import warnings
from pathlib import Path

from msaudio.errors import ArticleError


class DecodingWarning(UserWarning):
    """A file was not UTF-8 and was decoded with a fallback encoding."""


_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode_bytes(data: bytes, path: Path) -> str:
    """Decode ``data`` read from ``path``; see :func:`read_text`."""
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
    try:
        text, encoding = data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        text, encoding = data.decode("latin-1"), "latin-1"
    warnings.warn(
        f"{path}: not valid UTF-8; decoded as {encoding}. Save the file as UTF-8 to be sure.",
        DecodingWarning,
        stacklevel=3,
    )
    return text


def normalise_newlines(text: str) -> str:
    """Turn CRLF, CR and Unicode line/paragraph separators into ``\\n``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\u2028", "\n").replace("\u2029", "\n").replace("\x0c", "\n")


def read_bytes(path: Path) -> bytes:
    """The bytes of an article file; an unreadable file is an :class:`ArticleError`."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise ArticleError(f"cannot read file: {error.strerror or error}", path) from None


def text_of(data: bytes, path: Path) -> str:
    """Article ``data`` read from ``path`` as text with ``\\n`` newlines.

    UTF-8 (with or without BOM) is tried first, then cp1252 and latin-1 with a
    :class:`DecodingWarning` naming the file. Binary, empty and whitespace-only
    files raise :class:`~msaudio.errors.ArticleError`.
    """
    text = normalise_newlines(decode_bytes(data, path))
    if not text.strip().strip("\ufeff\u200b"):
        raise ArticleError("file is empty (nothing to narrate)", path)
    return text


def read_text(path: Path) -> str:
    """Read an article file as text; see :func:`text_of`."""
    return text_of(read_bytes(path), path)
