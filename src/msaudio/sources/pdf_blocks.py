"""A PDF's paragraphs → the article's title and blocks, by how each is set.

- The body's type size is the size most of the text is set in. A short paragraph
  in bigger type is a heading (the bigger, the higher); a short bold one at the
  body's size that does not end like a sentence is a heading below those.
- The first page's biggest heading is the title.
- Paragraphs opening with a bullet or a number are list items; a run of them is a list.
- A reference list at the end (a heading from ``data/reference_headings.txt``, then
  entries shaped like citations: a year, a DOI or an address, few words) is left out.
- Small print after the body (type clearly smaller than the body's: the legal
  notice, the disclaimer, a leaflet's code; footnotes under a page's text are moved
  there by :func:`~msaudio.sources.pdf_layout.footnotes_last`) is the page's chrome,
  not the article.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

from msaudio.model import Block, BlockKind
from msaudio.sources.pdf_layout import MARKER, SMALL_PRINT, Paragraph, body_size

HEADING_SIZE = 1.15
"""Type this much bigger than the body's makes a short paragraph a heading."""
HEADING_WORDS = 20
"""Longer paragraphs are text, whatever their type."""

_CITATION = re.compile(
    r"\b(?:1[6-9]|20)\d\d[a-z]?\b|\bdoi\b|https?://|www\.|\bisbn\b|\bet al\b", re.IGNORECASE
)
_SENTENCE_END = re.compile(r"[.,;:][\"'\u201d\u2019)]*$")
CITATION_WORDS = 80
"""A longer entry is prose that mentions a year, not a citation."""


@functools.cache
def reference_headings() -> frozenset[str]:
    """Headings that open a reference list (``data/reference_headings.txt``), lower case."""
    source = resources.files("msaudio").joinpath("data", "reference_headings.txt")
    lines = (line.strip().casefold() for line in source.read_text(encoding="utf-8").splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def article_blocks(paragraphs: list[Paragraph]) -> tuple[str, list[Block]]:
    """The title (``""`` when none stands out) and the blocks of the article."""
    body = body_size(line for paragraph in paragraphs for line in paragraph.lines)
    paragraphs = _without_small_print(paragraphs, body)
    levels = _heading_levels(paragraphs, body)
    title_at = _title_index(paragraphs, levels)
    title = paragraphs[title_at].text if title_at is not None else ""
    blocks: list[Block] = []
    items: list[str] = []
    for index, paragraph in enumerate(paragraphs):
        if index == title_at:
            continue
        if paragraph.item and index not in levels:
            items.append(MARKER.sub("", paragraph.text, count=1))
            continue
        if items:
            blocks.append(Block(BlockKind.LIST, items=tuple(items)))
            items = []
        if index in levels:
            blocks.append(Block(BlockKind.HEADING, text=paragraph.text, level=levels[index]))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, text=paragraph.text))
    if items:
        blocks.append(Block(BlockKind.LIST, items=tuple(items)))
    return title, _without_references(blocks)


def _without_small_print(paragraphs: list[Paragraph], body: float) -> list[Paragraph]:
    end = len(paragraphs)
    while end and paragraphs[end - 1].size < body * SMALL_PRINT:
        end -= 1
    return paragraphs[:end] if end else paragraphs


def _heading_levels(paragraphs: list[Paragraph], body: float) -> dict[int, int]:
    """Heading level by paragraph index: bigger sizes first (level 1), bold body type last."""
    sized: dict[int, float] = {}
    for index, paragraph in enumerate(paragraphs):
        words = len(paragraph.text.split())
        if words > HEADING_WORDS or not any(c.isalpha() for c in paragraph.text):
            continue
        if paragraph.size >= body * HEADING_SIZE:
            sized[index] = paragraph.size
        elif (
            paragraph.bold
            and paragraph.size >= body * SMALL_PRINT
            and len(paragraph.lines) <= 2
            and not _SENTENCE_END.search(paragraph.text)
        ):
            sized[index] = body  # bold at the body's size: the lowest heading
    ranks = sorted(set(sized.values()), reverse=True)
    return {index: min(ranks.index(size) + 1, 6) for index, size in sized.items()}


def _title_index(paragraphs: list[Paragraph], levels: dict[int, int]) -> int | None:
    """The first page's heading in the biggest type, when it is the document's biggest."""
    first_page = [i for i in levels if paragraphs[i].page == paragraphs[0].page]
    if not first_page:
        return None
    biggest = max(paragraphs[i].size for i in levels)
    top = min(first_page, key=lambda i: (-paragraphs[i].size, i))
    return top if paragraphs[top].size >= biggest else None


def is_citation(text: str) -> bool:
    """Shaped like an entry of a reference list: a year, a DOI, an address or "et al", briefly."""
    return _CITATION.search(text) is not None and len(text.split()) <= CITATION_WORDS


def _is_reference_heading(block: Block) -> bool:
    text = re.sub(r"^[\d.\s]+|[:.\s]+$", "", block.text).casefold()
    return block.kind is BlockKind.HEADING and text in reference_headings()


def _without_references(blocks: list[Block]) -> list[Block]:
    """``blocks`` without a reference list: its heading and the citations under it."""
    kept: list[Block] = []
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if not _is_reference_heading(block):
            kept.append(block)
            index += 1
            continue
        after = index + 1
        while after < len(blocks) and _all_citations(blocks[after]):
            after += 1
        if after == index + 1 and after < len(blocks):
            kept.append(block)  # a heading like "Sources of help" over ordinary text
        index = after
    return kept


def _all_citations(block: Block) -> bool:
    if block.kind is BlockKind.LIST:
        return all(map(is_citation, block.items))
    return block.kind is BlockKind.PARAGRAPH and is_citation(block.text)
