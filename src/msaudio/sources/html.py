"""A web page → :class:`~msaudio.model.Article`, with trafilatura.

The page is parsed with lxml.html and tidied (boxes around the article such as
cookie notices, share bars and subscribe boxes removed; ``<time>`` and
``<figcaption>`` kept as text, which trafilatura would otherwise drop). The
main content is then chosen by trafilatura, favouring precision, and its
structure (``head``, ``p``, ``list``, ``quote``, ``graphic``) becomes blocks.
Links are read as their text; images as their alt text. Nothing is fetched:
trafilatura only ever sees the parsed tree.

The steps are modules of their own: :mod:`~msaudio.sources.html_meta` (what the page says
about itself), :mod:`~msaudio.sources.html_prepare` (the tree made ready for trafilatura),
:mod:`~msaudio.sources.html_chrome` (the page's chrome, its standfirst and the best of the
extractions), :mod:`~msaudio.sources.html_blocks` (trafilatura's XML as blocks); this module
runs them in order and tidies the blocks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from msaudio.errors import ArticleError
from msaudio.model import Article, Block, BlockKind
from msaudio.sources import html_chrome, html_figure
from msaudio.sources.common import (
    clean_text,
    drop_boilerplate,
    humanise,
    make_article,
    match_boilerplate,
    parse_date,
)
from msaudio.sources.html_blocks import trafilatura_blocks
from msaudio.sources.html_meta import page_meta
from msaudio.sources.html_notes import office_notes, with_notes
from msaudio.sources.html_prepare import prepare

REMOVED = "navigation, headers, footers, scripts, banners and calls to action"

EXTRACTION: dict[str, Any] = {
    "favor_precision": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": True,
    "include_links": False,
    "include_formatting": False,
    "with_metadata": False,
}
"""trafilatura options: the article only (precision), images for their alt text, data tables."""

NOTICE_MAX = 300
"""Longer paragraphs mentioning cookies are prose, not a cookie notice."""

_COOKIE_NOTICE = re.compile(
    r"\b(?:uses?|stores?)\s+(?:\w+\s+){0,2}cookies\b"
    r"|\bcookie\s+(?:policy|settings|preferences)\b|\baccept\s+(?:all\s+)?cookies\b",
    re.IGNORECASE,
)


def parse_html(text: str, path: Path) -> Article:
    """Parse the page ``text`` read from ``path``."""
    document = _parse(text, path)
    meta = page_meta(document)
    prepared = prepare(document)
    lead = html_chrome.standfirst(prepared, meta.title)
    figure = html_figure.lead_figure(prepared, html_chrome.headline(prepared), lead)
    blocks = html_chrome.best_extraction(prepared, EXTRACTION, trafilatura_blocks)
    blocks = html_chrome.with_standfirst(_drop_title_heading(blocks, meta.title), lead)
    blocks = html_figure.with_lead_figure(blocks, figure, lead)
    blocks = with_notes(blocks, office_notes(prepared))
    kept, found_credit = drop_boilerplate(_drop_notices(blocks), structural=True, extracted=True)
    return make_article(
        path,
        meta.title or humanise(path.stem),
        _drop_empty_sections(kept),
        removed=REMOVED,
        author=meta.author,
        date=parse_date(meta.date),
        summary=meta.summary,
        credit=meta.site or found_credit,
    )


def _parse(text: str, path: Path) -> lxml.html.HtmlElement:
    """The page as an lxml tree; unparseable text is an :class:`ArticleError`."""
    text = re.sub(r"\A\s*<\?xml[^>]*\?>", "", text)
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ArticleError(f"cannot parse HTML: {error}", path) from None


# --- tidying the blocks --------------------------------------------------------------------


def _drop_title_heading(blocks: list[Block], title: str | None) -> list[Block]:
    """Remove a first heading that repeats the title (Blogger's h3 post title, say)."""
    if not blocks or not title or blocks[0].kind is not BlockKind.HEADING:
        return blocks
    same = clean_text(blocks[0].text).casefold() == clean_text(title).casefold()
    return blocks[1:] if same else blocks


def _drop_notices(blocks: Iterable[Block]) -> list[Block]:
    """Remove headings that are calls to action and paragraphs that are cookie notices."""
    return [block for block in blocks if not _is_notice(block)]


def _is_notice(block: Block) -> bool:
    """A ``Subscribe to keep reading`` heading or a ``This site uses cookies`` paragraph."""
    if block.kind is BlockKind.HEADING:
        return match_boilerplate(block.text) is not None
    if block.kind is BlockKind.PARAGRAPH and len(block.text) <= NOTICE_MAX:
        return _COOKIE_NOTICE.search(block.text) is not None
    return False


def _drop_empty_sections(blocks: list[Block]) -> list[Block]:
    """Remove headings with nothing under them (at the end, or before an equal or higher one)."""
    kept: list[Block] = []
    for block in reversed(blocks):
        if block.kind is BlockKind.HEADING:
            following = kept[-1] if kept else None
            if following is None or (
                following.kind is BlockKind.HEADING and following.level <= block.level
            ):
                continue
        kept.append(block)
    return kept[::-1]
