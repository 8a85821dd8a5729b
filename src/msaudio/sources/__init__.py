"""Article readers: one file in ``episodes/`` → one :class:`~msaudio.model.Article`.

:func:`read_article` is the single entry point; it picks a reader by suffix.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from msaudio.errors import ArticleError
from msaudio.model import Article, CleanupRules
from msaudio.sources.common import RULES, slugify
from msaudio.sources.decode import read_bytes, text_of
from msaudio.sources.html import parse_html
from msaudio.sources.markdown import parse_markdown
from msaudio.sources.txt import parse_txt
from msaudio.text.cleanup import clean_article

__all__ = ["SUPPORTED_SUFFIXES", "read_article", "slugify"]

_PARSERS: dict[str, Callable[[str, Path], Article]] = {
    ".txt": parse_txt,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    ".html": parse_html,
    ".htm": parse_html,
}

SUPPORTED_SUFFIXES = tuple(_PARSERS)
"""File suffixes msaudio reads as articles (compared case-insensitively)."""


def read_article(
    path: Path, data: bytes | None = None, rules: CleanupRules | None = None
) -> Article:
    """Read the article at ``path`` with the parser for its suffix, then clean it.

    ``data`` is the file's content when the caller has already read it;
    ``rules`` are the show's own boilerplate patterns. The readers drop
    boilerplate lines; :func:`~msaudio.text.cleanup.clean_article` then takes
    links, tags, emoji and decoration out of what is left. Raises
    :class:`~msaudio.errors.ArticleError` (message ``path: problem``) for an
    unsupported suffix or a file with nothing readable in it.
    """
    path = Path(path)
    parse = _PARSERS.get(path.suffix.lower())
    if parse is None:
        known = ", ".join(SUPPORTED_SUFFIXES)
        found = path.suffix or "no suffix"
        raise ArticleError(f"unsupported article type ({found}); expected one of {known}", path)
    text = text_of(read_bytes(path) if data is None else data, path)
    token = RULES.set(rules or CleanupRules())
    try:
        article = parse(text, path)
    finally:
        RULES.reset(token)
    return clean_article(article)
