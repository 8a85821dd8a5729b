"""A Word document (``.docx``) → :class:`~msaudio.model.Article`, with mammoth.

mammoth turns the document's body into plain semantic HTML, by paragraph style
(Heading 1-6 → ``<h1>``-``<h6>``, numbered and bulleted paragraphs → ``<ol>``/``<ul>``,
tables with their header rows, footnotes and endnotes as a list at the end) and
never reads the page's running headers and footers, comments or linked files.
That small, known HTML is read here: headings, paragraphs, lists (nested items
follow their parent), tables (a header row is one marked "repeat as header row",
or a first row all in bold), image alt texts, and the notes, which are read last
under "Notes", as Markdown footnotes are; their markers are not read.

The title is the document's own (its properties), else a paragraph in the Title
style, else the first level-1 heading.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.parsers.expat import ExpatError

import lxml.html
from lxml import etree

from msaudio.errors import ArticleError
from msaudio.model import Article, Block, BlockKind
from msaudio.sources.common import clean_text, drop_boilerplate, humanise, make_article
from msaudio.sources.html_chrome import drop_element
from msaudio.sources.markdown_body import NOTES_HEADING
from msaudio.text.tables import table_blocks

Element = etree._Element

REMOVED = "page headers, footers, comments and calls to action"

STYLE_MAP = "p[style-name='Title'] => h1.msaudio-title:fresh"
"""Paragraphs in Word's Title style are marked, so they can be taken as the title."""

MAX_UNPACKED_BYTES = 64 * 2**20
"""Most bytes the document's parts may unpack to: a real handout is far smaller,
and a compressed bomb is refused before it fills memory."""

_BROKEN = (
    OSError, EOFError, KeyError, ValueError, NotImplementedError, zipfile.BadZipFile,
    zlib.error, ExpatError, etree.XMLSyntaxError,
)  # fmt: skip
"""What reading a damaged archive or its XML raises (mammoth parses with minidom)."""

_CORE = "docProps/core.xml"
_DC_TITLE = "{http://purl.org/dc/elements/1.1/}title"
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_NOTE_IDS = ("footnote-", "endnote-")
_CONTAINERS = frozenset({"div", "blockquote"})


def parse_docx(data: bytes, path: Path) -> Article:
    """Read the Word document ``data`` from ``path``."""
    archive = _open(data, path)
    root = lxml.html.fragment_fromstring(_html(data, path), create_parent="div")
    notes = _take_notes(root)
    titles = _take_title_paragraphs(root)
    blocks = list(_walk(root))
    title = _core_title(archive) or (titles[0] if titles else None)
    if title is None:
        title, blocks = _first_h1(blocks)
    blocks = _without_title(blocks, title, titles)
    kept, credit = drop_boilerplate(blocks, structural=True)
    if notes:
        kept.append(Block(BlockKind.HEADING, text=NOTES_HEADING, level=2))
        kept.extend(Block(BlockKind.PARAGRAPH, text=note) for note in notes)
    return make_article(path, title or humanise(path.stem), kept, removed=REMOVED, credit=credit)


def _open(data: bytes, path: Path) -> zipfile.ZipFile:
    """The document as a zip archive; not one, or one that unpacks too big, is an error."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ArticleError("not a Word document (.docx files are zip archives)", path) from None
    if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
        limit = MAX_UNPACKED_BYTES // 2**20
        raise ArticleError(f"Word document unpacks to more than {limit} MB", path)
    return archive


def _html(data: bytes, path: Path) -> str:
    """The document body as mammoth's HTML; images are kept as their alt text only."""
    import mammoth  # imported when a document is read

    no_image: Any = mammoth.images.img_element(lambda image: {"src": ""})
    try:
        result = mammoth.convert_to_html(
            io.BytesIO(data), style_map=STYLE_MAP, convert_image=no_image
        )
    except _BROKEN as error:
        raise ArticleError(f"cannot read Word document: {error}", path) from None
    html = str(result.value)
    if not html.strip():
        raise ArticleError("Word document has no text in its body", path)
    return html


def _core_title(archive: zipfile.ZipFile) -> str | None:
    """The title in the document's properties (File › Info), when it has one."""
    try:
        core = etree.fromstring(archive.read(_CORE))
    except _BROKEN:
        return None  # the body was read: a damaged properties part only loses its title
    title = core.find(_DC_TITLE)
    return clean_text(title.text or "") or None if title is not None else None


def _take_title_paragraphs(root: Element) -> list[str]:
    """Texts of the Title-style paragraphs, taken out of the body."""
    found = [e for e in root.iter("h1") if "msaudio-title" in (e.get("class") or "")]
    for element in found:
        drop_element(element)
    return [text for text in map(_text, found) if text]


def _without_title(blocks: list[Block], title: str | None, titles: list[str]) -> list[Block]:
    """The body without a first heading that repeats the title; Title-style paragraphs
    that are not the title (a document whose properties name it otherwise) are read first."""
    key = (title or "").casefold()
    if blocks and blocks[0].kind is BlockKind.HEADING and blocks[0].text.casefold() == key:
        blocks = blocks[1:]
    lead = [Block(BlockKind.PARAGRAPH, text=t) for t in titles if t.casefold() != key]
    return lead + blocks


def _first_h1(blocks: list[Block]) -> tuple[str | None, list[Block]]:
    """The first level-1 heading as the title, and the blocks without it."""
    for index, block in enumerate(blocks):
        if block.kind is BlockKind.HEADING and block.level == 1:
            return block.text, blocks[:index] + blocks[index + 1 :]
    return None, blocks


def _take_notes(root: Element) -> list[str]:
    """Footnote and endnote texts in order, taken out of the body with their markers."""
    for link in list(root.iter("a")):
        if (link.get("href") or "").startswith(tuple(f"#{n}" for n in _NOTE_IDS)):
            marker = link.getparent()
            if marker is not None and marker.tag == "sup" and not _text(marker).strip("[]0-9"):
                link = marker
            drop_element(link)
    notes: list[str] = []
    for item in list(root.iter("li")):
        if (item.get("id") or "").startswith(_NOTE_IDS):
            text = _text(item)
            if text:
                notes.append(text)
            holder = item.getparent()
            drop_element(item)
            if holder is not None and not len(holder):
                drop_element(holder)
    return notes


def _walk(container: Element) -> Iterator[Block]:
    """Blocks for the children of ``container``, in order."""
    for child in container:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag in _HEADINGS:
            yield Block(BlockKind.HEADING, text=_text(child), level=_HEADINGS[tag])
        elif tag == "p":
            yield from _paragraph(child)
        elif tag in ("ul", "ol"):
            yield Block(BlockKind.LIST, items=tuple(_items(child)))
            yield from _images(child)
        elif tag == "table":
            rows, header = _rows(child)
            yield from table_blocks(rows, header=header)
        elif tag in _CONTAINERS:
            yield from _walk(child)
        elif tag == "img":
            yield from _images(child)


def _paragraph(element: Element) -> Iterator[Block]:
    text = _text(element)
    if text:
        yield Block(BlockKind.PARAGRAPH, text=text)
    yield from _images(element)


def _items(element: Element) -> Iterator[str]:
    """Items of a list in order; a nested list's items follow their parent item."""
    for item in element.iterchildren("li"):
        own = [item.text or ""]
        for child in item:
            if child.tag not in ("ul", "ol"):
                own.append("".join(t for t in child.itertext() if isinstance(t, str)))
            own.append(child.tail or "")
        yield clean_text(" ".join(own))
        for nested in item.iterchildren("ul", "ol"):
            yield from _items(nested)


def _rows(table: Element) -> tuple[list[list[str]], bool]:
    """Cells of a table, row by row, and whether the first row is a header row."""
    rows = [row for row in table.iter("tr") if next(row.iterancestors("table")) is table]
    cells = [[_text(cell) for cell in row.iterchildren("th", "td")] for row in rows]
    if not rows:
        return [], False
    first = list(rows[0].iterchildren("th", "td"))
    marked = bool(first) and all(cell.tag == "th" for cell in first)
    return cells, marked or (bool(first) and all(map(_bold, first)))


def _bold(cell: Element) -> bool:
    """Whether all the text of a table cell is in bold (a header row Word did not mark)."""
    whole = _text(cell)
    strong = clean_text(" ".join(_text(s) for s in cell.iter("strong")))
    return bool(whole) and strong == whole


def _images(element: Element) -> Iterator[Block]:
    for image in element.iter("img"):
        alt = clean_text(image.get("alt") or "")
        if alt:
            yield Block(BlockKind.IMAGE, text=alt)


def _text(element: Element) -> str:
    return clean_text("".join(t for t in element.itertext() if isinstance(t, str)))
