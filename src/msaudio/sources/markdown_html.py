"""Raw HTML inside Markdown → blocks, cleaned like a web page's.

Writers put HTML in Markdown for what Markdown lacks: ``<details>`` boxes, a
table with merged cells, a share bar pasted from a site, an embedded video.
Each HTML block is parsed with lxml and loses what the HTML reader would take
out of a page (hidden elements, boxes named like share bars or cookie notices,
scripts, forms, embeds); its paragraphs, headings, lists, quotes, tables and
image alt texts are read. A ``<summary>`` is a level-3 heading, as in the HTML
reader; struck text (``<del>``, ``<s>``) is not read.
"""

from __future__ import annotations

from collections.abc import Iterator

import lxml.html
from lxml import etree

from msaudio.model import Block, BlockKind
from msaudio.sources.html_chrome import drop_element
from msaudio.sources.html_prepare import is_clutter
from msaudio.sources.tables import html_rows, unwrap_layout_tables
from msaudio.text.tables import table_blocks

Element = etree._Element

_NOT_READ = (
    "script", "style", "noscript", "template", "iframe", "object", "embed", "video", "audio",
    "canvas", "svg", "form", "button", "input", "select", "textarea", "pre", "del", "s", "strike",
)  # fmt: skip
"""Elements whose content is never read: code, embeds, controls and struck text."""

_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = frozenset(
    {*_HEADINGS, "p", "ul", "ol", "dl", "blockquote", "table", "summary", "img", "figure",
     "div", "section", "article", "aside", "details", "header", "footer", "main", "figcaption"}
)  # fmt: skip
"""Elements that start a block of their own; the others are inline text."""


def html_blocks(source: str) -> list[Block]:
    """The readable blocks of one raw HTML block of a Markdown document."""
    try:
        root = lxml.html.fragment_fromstring(source, create_parent="div")
    except (etree.ParserError, ValueError):
        return []
    etree.strip_elements(root, etree.Comment, *_NOT_READ, with_tail=False)
    for element in [e for e in root.iterdescendants() if isinstance(e.tag, str)]:
        if is_clutter(element) and element.getparent() is not None:
            drop_element(element)
    unwrap_layout_tables(root)
    return list(_walk(root))


def _walk(container: Element) -> Iterator[Block]:
    loose = [container.text or ""]
    for child in container:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _BLOCKS:
            yield from _paragraph("".join(loose))
            yield from _block(child)
            loose = [child.tail or ""]
        else:
            loose.extend((_text(child) if tag else "", child.tail or ""))
    yield from _paragraph("".join(loose))


def _block(element: Element) -> Iterator[Block]:
    tag = element.tag
    if tag in _HEADINGS:
        yield Block(BlockKind.HEADING, text=_text(element), level=_HEADINGS[str(tag)])
    elif tag == "summary":
        yield Block(BlockKind.HEADING, text=_text(element), level=3)
    elif tag == "p":
        yield from _paragraph(_text(element))
    elif tag in ("ul", "ol"):
        items = tuple(_text(item) for item in element.iter("li"))
        yield Block(BlockKind.LIST, items=items)
    elif tag == "dl":
        yield Block(BlockKind.LIST, items=tuple(_definitions(element)))
    elif tag == "blockquote":
        yield Block(BlockKind.QUOTE, text=_text(element))
    elif tag == "table":
        rows, header = html_rows(element)
        yield from table_blocks(rows, header=header)
    elif tag == "img":
        alt = " ".join((element.get("alt") or "").split())
        if alt:
            yield Block(BlockKind.IMAGE, text=alt)
    else:
        yield from _walk(element)


def _definitions(dl: Element) -> Iterator[str]:
    """``term: definition`` for each ``<dd>``; a term without one alone."""
    term: str | None = None
    for child in dl:
        if child.tag == "dt":
            if term:
                yield term
            term = _text(child)
        elif child.tag == "dd":
            text = _text(child)
            yield f"{term}: {text}" if term else text
            term = None
    if term:
        yield term


def _paragraph(text: str) -> Iterator[Block]:
    text = " ".join(text.split())
    if text:
        yield Block(BlockKind.PARAGRAPH, text=text)


def _text(element: Element) -> str:
    return " ".join("".join(t for t in element.itertext() if isinstance(t, str)).split())
