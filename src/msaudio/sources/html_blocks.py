"""trafilatura's XML body → blocks: ``head``, ``p``, ``list``, ``quote``, ``graphic`` and
``table`` in order, loose text as paragraphs; links read as their text, images as their alt
text (when it says something), code not read.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from msaudio.model import Block, BlockKind
from msaudio.sources import html_figure
from msaudio.sources.common import clean_text
from msaudio.sources.html_chrome import Element
from msaudio.sources.tables import trafilatura_table

_HEADING_REND = re.compile(r"h([1-6])")
_CONTAINERS = frozenset({"body", "div", "section", "article", "main"})
"""Elements of trafilatura's output walked into for their blocks."""
_BLOCK_TAGS = frozenset({"head", "p", "list", "quote", "graphic", "code", "table"})
"""trafilatura's block elements (code is not read)."""


def trafilatura_blocks(body: Element | None) -> list[Block]:
    """The blocks of trafilatura's XML body (none without one)."""
    return list(_walk(body)) if body is not None else []


def _walk(container: Element) -> Iterator[Block]:
    """Blocks for the children of ``container`` in order; loose text becomes paragraphs."""
    loose = [container.text or ""]
    for child in container:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _CONTAINERS or tag in _BLOCK_TAGS:
            yield from _paragraph("".join(loose))
            yield from _walk_container(child) if tag in _CONTAINERS else _block(child)
            loose = [child.tail or ""]
        else:
            loose.append(_piece(child))
            loose.append(child.tail or "")
    yield from _paragraph("".join(loose))


def _walk_container(element: Element) -> Iterator[Block]:
    """A container element: its own blocks, or one paragraph when it only holds text."""
    if any(isinstance(c.tag, str) and c.tag in _BLOCK_TAGS | _CONTAINERS for c in element):
        yield from _walk(element)
    else:
        yield from _paragraph(_inline(element))
        yield from _images(element)


def _block(element: Element) -> Iterator[Block]:
    """Blocks for one block element of trafilatura's output."""
    tag = element.tag
    if tag == "head":
        yield Block(BlockKind.HEADING, text=clean_text(_inline(element)), level=_level(element))
    elif tag == "p":
        yield from _paragraph(_inline(element))
        yield from _images(element)
    elif tag == "list":
        yield Block(BlockKind.LIST, items=tuple(_list_items(element)))
        yield from _images(element)
    elif tag == "quote":
        yield Block(BlockKind.QUOTE, text=clean_text(_inline(element)))
        yield from _images(element)
    elif tag in ("graphic", "table"):
        yield from _images(element) if tag == "graphic" else trafilatura_table(element)


def _level(head: Element) -> int:
    """Heading level from ``rend="h2"``; a heading without one (``<summary>``) is level 3."""
    match = _HEADING_REND.fullmatch(head.get("rend") or "")
    return int(match.group(1)) if match else 3


def _list_items(element: Element) -> Iterator[str]:
    """Items of a list in order; nested lists follow their item; ``term: definition`` pairs."""
    term: str | None = None
    for item in element.iterchildren("item"):
        text = clean_text(_inline(item, skip=frozenset({"list"})))
        rend = item.get("rend") or ""
        if rend.startswith("dt"):
            if term:
                yield term
            term = text
            continue
        if term and rend.startswith("dd"):
            text, term = f"{term}: {text}" if text else term, None
        elif term:
            yield term
            term = None
        yield text
        for sub in item.iterchildren("list"):
            yield from _list_items(sub)
    if term:
        yield term


def _images(element: Element) -> Iterator[Block]:
    """IMAGE blocks for ``element`` and the images inside it that have useful alt text."""
    for graphic in element.iter("graphic"):
        alt = clean_text(graphic.get("alt") or "")
        if html_figure.useful_alt(alt):
            yield Block(BlockKind.IMAGE, text=alt)


def _paragraph(text: str) -> Iterator[Block]:
    """A paragraph block for ``text`` unless it is blank."""
    if clean_text(text):
        yield Block(BlockKind.PARAGRAPH, text=clean_text(text))


def _inline(element: Element, skip: frozenset[str] = frozenset()) -> str:
    """Text of ``element`` as read, leaving out children whose tag is in ``skip``."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag not in skip:
            parts.append(_piece(child, skip))
        parts.append(child.tail or "")
    return "".join(parts)


def _piece(child: Element, skip: frozenset[str] = frozenset()) -> str:
    """Text of an inline element (tail excluded): a line break is a space, a quote is quoted."""
    tag = child.tag if isinstance(child.tag, str) else ""
    if tag == "lb":
        return " "
    if tag == "quote":
        return f"\u201c{clean_text(_inline(child, skip))}\u201d"
    return _inline(child, skip) if tag else ""
