"""Article readers: one file in ``episodes/`` → one :class:`~msaudio.model.Article`.

:func:`read_article` is the single entry point; it picks a reader by suffix.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from msaudio.errors import ArticleError
from msaudio.model import Article, CleanupRules, VoiceChoice
from msaudio.sources.common import RULES, check_length, drop_boilerplate_sentences, slugify
from msaudio.sources.decode import read_bytes, text_of
from msaudio.sources.markdown import split_front_matter
from msaudio.text.cleanup import clean_article

__all__ = ["SUPPORTED_SUFFIXES", "read_article", "read_bytes", "slugify", "voice_choice"]

_PARSERS: dict[str, tuple[str, str]] = {
    ".txt": ("txt", "parse_txt"),
    ".md": ("markdown", "parse_markdown"),
    ".markdown": ("markdown", "parse_markdown"),
    ".html": ("html", "parse_html"),
    ".htm": ("html", "parse_html"),
}
"""Readers of text formats, as (module in this package, function): each reader, with the
libraries it needs (lxml, pdfminer, mammoth...), is imported when a file of its kind is read."""

_BINARY_PARSERS: dict[str, tuple[str, str]] = {
    ".pdf": ("pdf", "parse_pdf"),
    ".docx": ("docx", "parse_docx"),
    ".eml": ("eml", "parse_eml"),
}
"""Readers of formats that are not text: they get the file's bytes."""

SUPPORTED_SUFFIXES = (*_PARSERS, *_BINARY_PARSERS)
"""File suffixes msaudio reads as articles (compared case-insensitively)."""

_WITH_FRONT_MATTER = (".md", ".markdown")
_MARKUP = (".html", ".htm")
"""Pages mostly made of markup: their length is judged by the article text found in them."""


def voice_choice(path: Path, data: bytes) -> VoiceChoice:
    """The engine, voice and speed an article's front matter asks for, without reading the rest.

    ``build`` needs them to tell whether a published episode is still current;
    only Markdown has front matter. Raises :class:`ArticleError` for a bad value.
    """
    if path.suffix.lower() not in _WITH_FRONT_MATTER:
        return VoiceChoice()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # read_article warns about the encoding, once
        text = text_of(data, path)
    return split_front_matter(text, path)[0].voice


def read_article(
    path: Path, data: bytes | None = None, rules: CleanupRules | None = None
) -> Article:
    """Read the article at ``path`` with the parser for its suffix, then clean it.

    ``data`` is the file's content when the caller has already read it;
    ``rules`` are the show's own boilerplate patterns. The readers drop
    boilerplate lines, then boilerplate sentences inside paragraphs go
    (:func:`~msaudio.sources.common.drop_boilerplate_sentences`);
    :func:`~msaudio.text.cleanup.clean_article` then takes
    links, tags, emoji and decoration out of what is left. Raises
    :class:`~msaudio.errors.ArticleError` (message ``path: problem``) for an
    unsupported suffix, a file with nothing readable in it, or an article longer
    than :data:`~msaudio.sources.common.MAX_TEXT_CHARS`.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        known = ", ".join(SUPPORTED_SUFFIXES)
        found = path.suffix or "no suffix"
        raise ArticleError(f"unsupported article type ({found}); expected one of {known}", path)
    data = read_bytes(path) if data is None else data
    token = RULES.set(rules or CleanupRules())
    try:
        article = drop_boilerplate_sentences(_parse(suffix, data, path))
    finally:
        RULES.reset(token)
    article = clean_article(article)
    check_length(_length(article), path)
    return article


def _reader(module: str, name: str) -> Any:
    """The reader function ``name`` of ``msaudio.sources.<module>``, imported on first use."""
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


def _parse(suffix: str, data: bytes, path: Path) -> Article:
    """The article as its format's reader reads it, before cleanup."""
    binary = _BINARY_PARSERS.get(suffix)
    if binary is not None:
        parse_binary: Callable[[bytes, Path], Article] = _reader(*binary)
        return parse_binary(data, path)
    text = text_of(data, path)
    if suffix not in _MARKUP:
        check_length(len(text), path)  # refused before parsing: the text is the article
    parse_text: Callable[[str, Path], Article] = _reader(*_PARSERS[suffix])
    return parse_text(text, path)


def _length(article: Article) -> int:
    """Characters of readable text in ``article``."""
    blocks = sum(
        len(block.text) + sum(map(len, block.items)) + sum(len(c) for r in block.rows for c in r)
        for block in article.blocks
    )
    return len(article.title) + blocks
