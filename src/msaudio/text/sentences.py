"""Split text into sentences a speech engine can say in one call.

A sentence ends at ``.``, ``!``, ``?`` or ``…`` (optionally followed by closing
quotes or brackets) before whitespace and an opening capital, digit or quote,
except after a known abbreviation, an initial (``J.``) or inside a number
(``2.5``). Runs longer than the engine's limit are cut at a clause boundary,
else between words; never inside a word unless a single word is itself longer
than the limit.
"""

from __future__ import annotations

import re
from functools import cache
from importlib.resources import files

_BOUNDARY = re.compile(r"""([.!?…]+["'”’)\]]*)\s+(?=["'“‘(\[]?[A-Z0-9])""")
_CLAUSE = re.compile(r"(?<=[,;:—–])\s+")


@cache
def abbreviations() -> frozenset[str]:
    """Abbreviations (without their final full stop) from the data file, case as written."""
    text = files("msaudio").joinpath("data/abbreviations.txt").read_text(encoding="utf-8")
    words = {line.strip() for line in text.splitlines()}
    words = {word for word in words if word and not word.startswith("#")}
    return frozenset(words | {word.capitalize() for word in words if word.islower()})


def _ends_with_abbreviation(text: str) -> bool:
    word = text.rsplit(None, 1)[-1] if text.strip() else ""
    word = word.lstrip("(\"'“‘[")
    if not word.endswith("."):
        return False
    stem = word[:-1]
    if len(stem) == 1 and stem.isalpha() and stem.isupper():
        return True  # an initial, as in "J. Smith"
    return stem in abbreviations()


COMFORT_CHARS = 250
"""Longest stretch said without a pause (about 14 seconds): longer sentences are cut at a
clause or between words, so a listener who tires gets a breath, and so does the voice."""


def split_sentences(text: str, max_chars: int) -> list[str]:
    """Sentences of ``text``, each non-empty and at most ``max_chars`` (and 250) long."""
    max_chars = min(max_chars, COMFORT_CHARS)
    return [piece for sentence in full_stops(text) for piece in fit(sentence, max_chars) if piece]


def full_stops(text: str) -> list[str]:
    """The sentences of ``text`` as its punctuation ends them, however long."""
    text = " ".join(text.split())
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        end = match.end(1)
        if _ends_with_abbreviation(text[start:end]) and match.group(1) == ".":
            continue
        sentences.append(text[start:end])
        start = match.end()
    sentences.append(text[start:])
    return [sentence.strip() for sentence in sentences if sentence.strip()]


def fit(text: str, max_chars: int) -> list[str]:
    """Cut ``text`` into pieces of at most ``max_chars``, preferring clause boundaries.

    Pieces come out about even in length (a 600-character run at a limit of
    250 gives three of about 200, not 250, 250 and 100).
    """
    if len(text) <= max_chars:
        return [text] if text else []
    even = len(text) / -(-len(text) // max_chars)
    pieces: list[str] = []
    current = ""
    for part in _CLAUSE.split(text):
        for word in part.split(" ") if len(part) > max_chars else [part]:
            candidate = f"{current} {word}" if current else word
            if len(candidate) <= max_chars and (len(current) < even or not current):
                current = candidate
                continue
            if current:
                pieces.append(current)
            while len(word) > max_chars:
                pieces.append(word[:max_chars])
                word = word[max_chars:]
            current = word
    if current:
        pieces.append(current)
    return pieces
