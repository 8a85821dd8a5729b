"""Article readers: one file in ``episodes/`` → one :class:`~msaudio.model.Article`.

:func:`read_article` is the single entry point; it picks a reader by suffix.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from msaudio.errors import ArticleError
from msaudio.model import Article
from msaudio.sources.common import slugify
from msaudio.sources.html import read_html
from msaudio.sources.markdown import read_markdown
from msaudio.sources.txt import read_txt

__all__ = ["SUPPORTED_SUFFIXES", "read_article", "slugify"]

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
"""File suffixes msaudio reads as articles (compared case-insensitively)."""

_READERS: dict[str, Callable[[Path], Article]] = {
    ".txt": read_txt,
    ".md": read_markdown,
    ".markdown": read_markdown,
    ".html": read_html,
    ".htm": read_html,
}


def read_article(path: Path) -> Article:
    """Read the article at ``path`` with the reader for its suffix.

    Raises :class:`~msaudio.errors.ArticleError` (message ``path: problem``) for an
    unsupported suffix or a file with nothing readable in it.
    """
    path = Path(path)
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(SUPPORTED_SUFFIXES)
        found = path.suffix or "no suffix"
        raise ArticleError(f"unsupported article type ({found}); expected one of {known}", path)
    return reader(path)
