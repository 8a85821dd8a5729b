"""Small pieces the feed, the pages and the transcripts share, stated once."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from importlib.resources import files
from pathlib import Path

WHITESPACE = re.compile(r"[^\S\u00a0\u2007\u202f]+")
"""Runs of whitespace, except the no-break spaces that keep "10 mg" together."""

PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
"""A blank line between paragraphs of plain text."""

MONTHS: tuple[str, ...] = tuple(
    line.strip()
    for line in files("msaudio").joinpath("data/speech/months.txt").read_text("utf-8").splitlines()
    if line.strip() and not line.startswith("#")
)
"""English month names, January first."""


def collapse(text: str) -> str:
    """The text with every run of (breaking) whitespace turned into one space, trimmed."""
    return WHITESPACE.sub(" ", text).strip(" ")


def utc(moment: dt.datetime) -> dt.datetime:
    """The same instant in UTC; a naive time is a programming error."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"publication time {moment.isoformat()} has no time zone")
    return moment.astimezone(dt.UTC)


def code_digest(versions: str, sources: Iterable[Path]) -> hashlib.blake2b:
    """A digest of ``versions`` and the code in ``sources``, for the stamp of what it renders.

    A stamp must change when the code that made the file does; a source that
    cannot be read (a frozen app) is counted by its name, and the versions have to do.
    """
    code = hashlib.blake2b(digest_size=16)
    code.update(versions.encode())
    for path in sources:
        try:
            code.update(path.read_bytes())
        except OSError:
            code.update(path.name.encode())
    return code
