"""A PDF leaflet → :class:`~msaudio.model.Article`, with pdfminer.six.

pdfminer gives the text layer as characters with their font and size, grouped
into lines; :mod:`msaudio.sources.pdf_order` puts them in reading order, column by
column. Each line keeps where it stands and how it is set;
:mod:`msaudio.sources.pdf_layout` drops the running headers, footers and page
numbers and rebuilds paragraphs, and :mod:`msaudio.sources.pdf_blocks` makes
headings, lists and the title, leaving out a trailing reference list and the
small print. A PDF with no text layer (a scan), one that needs a password, or
one that cannot be parsed is one :class:`~msaudio.errors.ArticleError`.
"""

from __future__ import annotations

import functools
import io
import logging
import re
import statistics
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

from pdfminer.converter import PDFPageAggregator
from pdfminer.layout import LAParams, LTChar, LTPage, LTTextContainer, LTTextLineHorizontal
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.utils import decode_text

from msaudio.errors import ArticleError
from msaudio.model import Article
from msaudio.sources.common import check_length, drop_boilerplate, make_article
from msaudio.sources.pdf_blocks import article_blocks
from msaudio.sources.pdf_layout import Line, paragraphs
from msaudio.sources.pdf_order import reading_order

REMOVED = "running headers and footers, page numbers, references and small print"

LAYOUT = LAParams(line_margin=0.5, char_margin=2.0, word_margin=0.1, boxes_flow=None)
"""pdfminer's layout analysis with its defaults for lines; the reading order is found by
:mod:`msaudio.sources.pdf_order`, so pdfminer does not order its boxes."""

_UNFOLD = str.maketrans(
    {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0xFB00, 0xFB07)}
)
"""ﬀ ﬁ ﬂ ﬃ ﬄ ﬅ ﬆ → their letters: NFKC on these alone (elsewhere it would turn ½ into 1⁄2)."""
_NOTE_MARKS = frozenset(
    "0123456789,-\u2013*\u2020\u2021\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"
)
"""What a raised note mark is made of: digits, ranges, asterisks and daggers."""
_CID = re.compile(r"\(cid:\d+\)")
"""A glyph pdfminer could not map to a character (a font without a character map)."""
_BOLD = re.compile(r"bold|black|heavy|semibold|demi|extrabold|ultrabold|,b\b", re.IGNORECASE)
_JUNK_TITLE = re.compile(
    r"^(?:microsoft\s+\w+\s+-\s+|untitled\b)|\.(?:docx?|pdf|indd|odt|rtf|pages)$"
    r"|^[\w.-]*[_\d][\w.-]*$",
    re.IGNORECASE,
)
"""Metadata titles that are a file's name or an application's (``Microsoft Word - x.docx``,
``leaflet_v3``), not the article's."""


def parse_pdf(data: bytes, path: Path) -> Article:
    """Read the PDF ``data`` from ``path``."""
    _quiet_pdfminer()
    document = _open(data, path)
    lines = _read_lines(document, path)
    if not lines:
        raise ArticleError(
            "this PDF has no text layer (a scanned page is a picture of text); "
            "msaudio cannot read it: export the text, or run it through OCR first",
            path,
        )
    title, blocks = article_blocks(paragraphs(lines))
    kept, credit = drop_boilerplate(blocks, structural=True)
    return make_article(
        path, title or _metadata_title(document), kept, removed=REMOVED, credit=credit
    )


@functools.cache
def _quiet_pdfminer() -> None:
    """pdfminer logs every oddity of a file (a missing CropBox, a bad font) as a warning;
    a producer can do nothing about them, so they are not printed unless logging is set up."""
    logging.getLogger("pdfminer").addHandler(logging.NullHandler())


def _open(data: bytes, path: Path) -> PDFDocument:
    try:
        return PDFDocument(PDFParser(io.BytesIO(data)))
    except PDFPasswordIncorrect:
        raise ArticleError(
            "this PDF is encrypted with a password; save a copy without one", path
        ) from None
    except PDFEncryptionError as error:
        message = f"this PDF is encrypted in a way msaudio cannot open ({error})"
        raise ArticleError(message, path) from None
    except Exception as error:  # any parser error of a damaged file is one line
        raise _broken(error, path) from None


def _broken(error: Exception, path: Path) -> ArticleError:
    detail = " ".join(str(error).split())[:120] or type(error).__name__
    return ArticleError(f"not a readable PDF (damaged or not a PDF at all: {detail})", path)


def _read_lines(document: PDFDocument, path: Path) -> list[Line]:
    """Every line of text of every page, in reading order; too much text is refused early."""
    manager = PDFResourceManager()
    device = PDFPageAggregator(manager, laparams=LAYOUT)
    interpreter = PDFPageInterpreter(manager, device)
    lines: list[Line] = []
    chars = 0
    unmapped = 0
    try:
        for number, page in enumerate(PDFPage.create_pages(document)):
            interpreter.process_page(page)
            layout = device.get_result()
            for line in _page_lines(layout, number):
                chars += len(line.text)
                unmapped += len(_CID.findall(line.text))
                lines.append(line)
            check_length(chars // 2, path)  # twice the limit: chrome and references go later
    except ArticleError:
        raise
    except Exception as error:  # any parser error of a damaged file is one line
        raise _broken(error, path) from None
    if lines and unmapped * 4 > chars:
        raise ArticleError(
            "the text of this PDF cannot be decoded (its fonts do not say which letters "
            "their glyphs are); export it again, or run it through OCR",
            path,
        )
    cleaned = (_without_cid(line) for line in lines)
    return [line for line in cleaned if line.text]


def _page_lines(page: LTPage, number: int) -> list[Line]:
    found = [
        _line(item, number, page.height)
        for box in page
        if isinstance(box, LTTextContainer)
        for item in box
        if isinstance(item, LTTextLineHorizontal)
    ]
    return reading_order([line for line in found if line is not None])


def _line(item: LTTextLineHorizontal, page: int, height: float) -> Line | None:
    chars = [c for c in item if isinstance(c, LTChar)]
    if not chars:
        return None
    size = statistics.median(c.size for c in chars)
    base = statistics.median(c.y0 for c in chars if c.size >= size * 0.9)
    pieces: list[str] = []
    starts: list[float] = []
    previous = " "
    for char in item:
        value = char.get_text()
        if isinstance(char, LTChar) and _superscript(char, size, base):
            continue
        if isinstance(char, LTChar) and not value.isspace() and previous.isspace():
            starts.append(char.x0)
        pieces.append(value)
        previous = value
    text = "".join(pieces).translate(_UNFOLD)
    if not text.strip():
        return None
    bold = sum(1 for c in chars if _BOLD.search(c.fontname)) * 2 > len(chars)
    return Line(
        text=" ".join(text.split()),
        page=page,
        x0=item.x0,
        x1=item.x1,
        top=height - item.y1,
        bottom=height - item.y0,
        size=round(size, 1),
        bold=bold,
        starts=tuple(starts),
        page_height=height,
    )


def _superscript(char: LTChar, size: float, base: float) -> bool:
    """A note or citation mark set small and raised after a word ("... in MS.³"): it would be
    read as a number glued to the word."""
    return char.get_text() in _NOTE_MARKS and char.size < 0.8 * size and char.y0 > base + 0.2 * size


def _without_cid(line: Line) -> Line:
    if "(cid:" not in line.text:
        return line
    return replace(line, text=" ".join(_CID.sub("", line.text).split()))


def _metadata_title(document: PDFDocument) -> str:
    """The document information's title, unless it is only a file or application name."""
    for info in document.info:
        title = _text(info.get("Title"))
        if title and not _JUNK_TITLE.search(title):
            return title
    return ""


def _text(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, bytes):
        return " ".join(decode_text(value).split())
    return " ".join(value.split()) if isinstance(value, str) else ""
