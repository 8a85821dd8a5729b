"""A web page → :class:`~msaudio.model.Article`, with lxml.html.

Page furniture (navigation, headers, footers, scripts, cookie banners, share
and subscribe boxes) is removed first; the ``<article>``, else ``<main>``, else
``<body>`` is then walked in document order.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import lxml.html
from lxml import etree

from msaudio.errors import ArticleError
from msaudio.model import Article, Block, BlockKind
from msaudio.sources.common import (
    clean_credit,
    clean_text,
    drop_boilerplate,
    has_url,
    humanise,
    make_article,
    parse_date,
)

REMOVED = "navigation, headers, footers, scripts, banners and calls to action"

# fmt: off
DROP_TAGS = (
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg",
    "template", "button", "select", "textarea", "input", "canvas", "object", "embed", "dialog",
)
"""Elements that are never part of what is read."""

CLUTTER = (
    "cookie", "consent", "banner", "share", "sharing", "social", "subscribe", "newsletter",
    "related", "comment", "advert", "promo", "popup", "modal", "sidebar", "breadcrumb", "byline",
)
"""Beginnings of class/id words naming boxes around the article (cookie notices, share bars)."""

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_BLOCKS = _HEADINGS | frozenset({
    "p", "ul", "ol", "blockquote", "img", "figure", "figcaption", "table", "pre", "hr", "div",
    "section", "article", "main", "dl", "dt", "dd", "li", "address", "details", "summary",
    "center", "tr", "td", "th", "thead", "tbody", "tfoot", "caption",
})
"""Elements that start a new block (everything else is inline text)."""
# fmt: on

_NAME_PARTS = re.compile(r"[\s\-_]+|(?<=[a-z])(?=[A-Z])")
_KEEP = frozenset({"html", "body", "article", "main"})
_BREAK = "\u2028"
"""Marks a ``<br>`` in loose text: a paragraph break there, a space inside ``<p>``."""

Element = etree._Element
"""Any lxml element (the typed view of the parsed page)."""


def parse_html(text: str, path: Path) -> Article:
    """Parse the page ``text`` read from ``path``."""
    text = re.sub(r"\A\s*<\?xml[^>]*\?>", "", text)
    try:
        document = lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise ArticleError(f"cannot parse HTML: {error}", path) from None
    meta = _metadata(document)
    _remove_clutter(document)
    root = _main_element(document)
    title = _take_title(document, root) or meta.get("title")
    blocks, found_credit = drop_boilerplate(_walk(root))
    credit = meta.get("credit") or found_credit
    date = parse_date(meta.get("date")) or parse_date(meta.get("time"))
    return make_article(
        path,
        title or humanise(path.stem),
        blocks,
        removed=REMOVED,
        author=meta.get("author"),
        date=date,
        summary=meta.get("summary"),
        credit=credit,
    )


def _take_title(document: Element, root: Element) -> str | None:
    """Text of the first ``<h1>``; removed from ``root`` so it is not read twice."""
    h1 = next(root.iter("h1"), None)
    if h1 is not None and _text(h1):
        title = _text(h1)
        _drop(h1)
        return title
    h1 = next(document.iter("h1"), None)
    return (_text(h1) or None) if h1 is not None else None


def _metadata(document: Element) -> dict[str, str]:
    """Title, author, date, summary and site name from ``<meta>``, ``<title>`` and ``<time>``."""
    found: dict[str, str] = {}
    title = document.find(".//title")
    if title is not None:
        text = _text(title)
        if " | " in text:
            text = text.split(" | ")[0]
        found["title"] = text
    wanted = {
        "author": "author",
        "date": "date",
        "article:published_time": "date",
        "description": "summary",
        "og:site_name": "credit",
    }
    for meta in document.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").strip().lower()
        content = clean_text(meta.get("content") or "")
        field = wanted.get(key)
        if field and content and field not in found:
            found[field] = content
    time = next((t for t in document.iter("time") if t.get("datetime")), None)
    if time is not None:
        found["time"] = time.get("datetime") or ""
    if "author" in found and has_url(found["author"]):
        del found["author"]
    if "credit" in found:
        credit = clean_credit(found["credit"])
        found.pop("credit")
        if credit:
            found["credit"] = credit
    return found


def _remove_clutter(document: Element) -> None:
    """Drop comments, page furniture, hidden elements and clutter boxes in place."""
    etree.strip_elements(document, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    etree.strip_elements(document, *DROP_TAGS, with_tail=False)
    for br in document.iter("br"):
        br.tail = _BREAK + (br.tail or "")
    doomed = [
        element
        for element in document.iter()
        if isinstance(element.tag, str) and element.tag not in _KEEP and _is_clutter(element)
    ]
    for element in doomed:
        if element.getparent() is not None:
            _drop(element)


def _is_clutter(element: Element) -> bool:
    """Hidden, or a class/id/role naming a box around the article."""
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if (element.get("role") or "").lower() in ("navigation", "banner", "contentinfo", "dialog"):
        return True
    names = f"{element.get('class') or ''} {element.get('id') or ''}"
    words = (word.lower() for word in _NAME_PARTS.split(names) if word)
    if not any(word.startswith(CLUTTER) for word in words):
        return False
    return next(element.iter("article", "main"), None) is None


def _main_element(document: Element) -> Element:
    """The ``<article>``, else ``<main>``, else ``<body>`` (else the whole document)."""
    for tag in ("article", "main", "body"):
        found = next(document.iter(tag), None)
        if found is not None:
            return found
    return document


def _walk(element: Element) -> Iterator[Block]:
    """Blocks for the children of ``element`` in document order; loose text becomes paragraphs."""
    loose: list[str] = [element.text or ""]
    for child in element:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _BLOCKS:
            yield from _paragraphs("".join(loose))
            yield from _block(child)
            loose = [child.tail or ""]
        else:
            loose.append(_raw_text(child) if tag else "")
            loose.append(child.tail or "")
            yield from _images(child) if tag else ()
    yield from _paragraphs("".join(loose))


def _block(element: Element) -> Iterator[Block]:
    """Blocks for one block-level element."""
    tag = element.tag
    if tag in _HEADINGS:
        yield Block(BlockKind.HEADING, text=_text(element), level=int(tag[1]))
    elif tag in ("p", "figcaption", "dt", "dd", "caption", "summary", "address"):
        yield Block(BlockKind.PARAGRAPH, text=_text(element))
        yield from _images(element)
    elif tag in ("ul", "ol"):
        yield Block(BlockKind.LIST, items=tuple(_list_items(element)))
    elif tag == "blockquote":
        yield Block(BlockKind.QUOTE, text=_text(element))
    elif tag == "img":
        yield from _images(element)
    elif tag == "tr":
        cells = [_text(cell) for cell in element if cell.tag in ("td", "th")]
        yield Block(BlockKind.PARAGRAPH, text="; ".join(c for c in cells if c))
    elif tag not in ("pre", "hr"):
        yield from _walk(element)


def _list_items(element: Element) -> Iterator[str]:
    """Texts of the ``<li>`` of a list; nested lists are flattened after their parent item."""
    for li in element.iterchildren("li"):
        own: list[str] = [li.text or ""]
        nested: list[Element] = []
        for child in li:
            if child.tag in ("ul", "ol"):
                nested.append(child)
            else:
                own.append(_raw_text(child))
            own.append(child.tail or "")
        yield clean_text("".join(own))
        for sub in nested:
            yield from _list_items(sub)


def _images(element: Element) -> Iterator[Block]:
    """IMAGE blocks for ``element`` if it is an image, and for images inside it."""
    for img in element.iter("img"):
        alt = clean_text(img.get("alt") or "")
        if alt:
            yield Block(BlockKind.IMAGE, text=alt)


def _paragraphs(text: str) -> Iterator[Block]:
    """Loose text split at ``<br>`` marks into paragraphs."""
    for part in text.split(_BREAK):
        if clean_text(part):
            yield Block(BlockKind.PARAGRAPH, text=part)


def _raw_text(element: Element) -> str:
    """All text inside ``element``, as written (links read as their text)."""
    return "".join(t for t in element.itertext() if isinstance(t, str))


def _text(element: Element) -> str:
    """Whitespace-collapsed text of ``element``."""
    return clean_text(_raw_text(element))


def _drop(element: Element) -> None:
    """Remove ``element`` and its content, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)
