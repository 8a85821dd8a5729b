"""A newsletter's mail furniture, taken out before its HTML is read as a web page.

An e-mail newsletter wraps its article in parts that are about the e-mail: a
preheader (the preview line, hidden by CSS), a "view this email in your browser"
bar, a logo, share buttons, a footer with "unsubscribe", "update your preferences",
"forward to a friend" and a postal address, a tracking pixel, and tables used
for layout. They are found by features:

- hidden by CSS the ways mail clients honour (``display:none``, ``max-height:0``,
  ``opacity:0``, ``mso-hide:all``, ``font-size:0`` unless something inside sets a size);
- images of a pixel or two (tracking pixels, spacers), linked images with an alt
  text of a few words (share buttons, a logo linking home) and images named after
  the sender (its logo);
- tables marked ``role="presentation"`` (the mail convention for layout) are
  containers, not data;
- a short block whose text uses a wording of ``data/email_chrome.txt`` (the
  mailing list's own sentences, never an article's).

Newsletter editors (Mailchimp's among them) write paragraphs as lines with a blank
line between (``<br><br>``) and headings as a line in bold or large type; those
become ``<p>`` and ``<h2>`` so that the page reader sees the article's structure.

What is left is then read by :mod:`msaudio.sources.html`, whose page cleanup
(link-dense rows, chrome words, layout tables) removes the rest.
"""

from __future__ import annotations

import functools
import re
from importlib import resources

import lxml.html
from lxml import etree

from msaudio.sources.common import clean_text
from msaudio.sources.html_chrome import drop_element
from msaudio.text.chrome_lines import is_sentence

Element = etree._Element

SHORT_WORDS = 40
"""Longest block, in words, that a mail wording makes furniture."""

ICON_WORDS = 4
"""Longest alt text, in words, of a linked image that is a button or a logo (an article's
photo is described in a sentence, or not at all)."""

HEADING_WORDS = 12
"""Longest line, in words, that a line all in bold or large type makes a heading."""

HEADING_PX = 18
"""Smallest font size, in pixels, of a line of large type."""

PIXEL = 3
"""Widest or tallest image, in pixels, that is a tracking pixel or a spacer."""

_HIDDEN = re.compile(
    r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all"
    r"|max-height\s*:\s*0(?![.\d])|opacity\s*:\s*0(?![.\d])",
    re.IGNORECASE,
)
_NO_FONT = re.compile(r"font-size\s*:\s*0(?![.\d])", re.IGNORECASE)
_SIZED = re.compile(r"font-size\s*:", re.IGNORECASE)
_SIZE = re.compile(r"(?:^|;)\s*(width|height)\s*:\s*(\d+)(?:px)?\s*(?:;|$)", re.IGNORECASE)
_BLOCKS = frozenset(
    {"p", "div", "td", "th", "tr", "table", "li", "ul", "ol", "center", "footer", "header",
     "section", "h1", "h2", "h3", "h4", "h5", "h6"}
)  # fmt: skip
"""Elements judged as blocks for the mail wordings (a link goes with the line it is in:
"Having trouble? View it in your browser")."""
_LAYOUT_PARTS = ("thead", "tbody", "tfoot", "tr", "td", "th")
_BOLD = re.compile(r"font-weight\s*:\s*(?:bold|[6-9]00)", re.IGNORECASE)
_FONT_SIZE = re.compile(r"font-size\s*:\s*(\d+)(?:\.\d+)?px", re.IGNORECASE)
_LINE_BLOCKS = frozenset(
    {"p", "div", "table", "ul", "ol", "dl", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6",
     "center", "section", "hr", "pre"}
)  # fmt: skip
"""Elements that end a line of text in a cell written with ``<br>``."""

Part = str | Element
"""A piece of a line of text: a string or an inline element."""


ACTION = "(?#action)"
"""Marks a wording of ``data/email_chrome.txt`` that names something to do (see there)."""


@functools.cache
def wordings() -> tuple[re.Pattern[str], ...]:
    """The compiled patterns of ``msaudio/data/email_chrome.txt`` (loaded once)."""
    text = resources.files("msaudio").joinpath("data", "email_chrome.txt").read_text("utf-8")
    lines = (line.strip() for line in text.splitlines())
    return tuple(re.compile(line, re.IGNORECASE) for line in lines if line and line[0] != "#")


def is_mail_furniture(text: str, *, linked: bool) -> bool:
    """Whether a short block reading ``text`` is about the e-mail, not the article;
    ``linked`` says whether the block holds a link."""
    text = clean_text(text)
    if not text or len(text.split()) > SHORT_WORDS:
        return False
    actions = linked or not is_sentence(text)
    return any(
        pattern.search(text)
        for pattern in wordings()
        if actions or not pattern.pattern.startswith(ACTION)
    )


def prepare_newsletter(html: str, subject: str | None, sender: str | None = None) -> str:
    """The newsletter ``html`` without its mail furniture, titled ``subject``; ``sender``
    is the sender's name (an image named so is its logo)."""
    document = lxml.html.document_fromstring(html)
    for element in [e for e in document.iter() if isinstance(e.tag, str) and _hidden(e)]:
        drop_element(element)
    for image in list(document.iter("img")):
        if _pixel(image) or _icon(image) or _named_after(image, sender):
            drop_element(image)
    for element in list(document.iter("td", "div", "th")):
        _paragraphs_from_breaks(element)
    for table in document.iter("table"):
        if (table.get("role") or "").lower() in ("presentation", "none"):
            _unwrap(table)
    for element in _furniture(document):
        drop_element(element)
    if subject:
        _set_title(document, subject)
    return str(lxml.html.tostring(document, encoding="unicode"))


def _hidden(element: Element) -> bool:
    if element.tag in ("html", "head", "body"):
        return False
    style = element.get("style") or ""
    if _HIDDEN.search(style):
        return True
    # font-size:0 also closes the gaps between the columns of a layout, whose cells then
    # set their own size: only text nothing inside sizes again is hidden by it.
    return _NO_FONT.search(style) is not None and not any(
        _SIZED.search(e.get("style") or "") for e in element.iterdescendants()
    )


def _pixel(image: Element) -> bool:
    """A tracking pixel or a spacer: an image a few pixels wide or tall."""
    sizes = [image.get("width"), image.get("height")]
    sizes += [m.group(2) for m in _SIZE.finditer(image.get("style") or "")]
    return any(size is not None and size.strip().isdigit() and int(size) <= PIXEL for size in sizes)


def _icon(image: Element) -> bool:
    """A linked image named in a word or two: a share button, a logo linking home."""
    if next(image.iterancestors("a"), None) is None:
        return False
    return len(clean_text(image.get("alt") or "").split()) <= ICON_WORDS


def _named_after(image: Element, sender: str | None) -> bool:
    """An image whose alt text is the sender's name (or its name and "logo")."""
    if not sender:
        return False
    alt = clean_text(image.get("alt") or "").casefold()
    return bool(alt) and sender.casefold() in alt and len(alt.split()) <= len(sender.split()) + 1


def _paragraphs_from_breaks(element: Element) -> None:
    """Lines written with ``<br>`` → paragraphs (a line each, or a wrapped sentence) and
    headings (a line all in bold or large type); an element with fewer than two breaks is
    left as it is."""
    if sum(1 for child in element if child.tag == "br") < 2:
        return
    lines: list[list[Part] | Element] = []
    current: list[Part] = [element.text or ""]
    for child in list(element):
        tail, child.tail = child.tail, None
        if child.tag == "br" or child.tag in _LINE_BLOCKS:
            lines.append(current)
            current = []
            if child.tag != "br":
                lines.append(child)
        else:
            current.append(child)
        current.append(tail or "")
        element.remove(child)
    lines.append(current)
    element.text = None
    paragraph: list[Part] = []
    for line in lines:
        if isinstance(line, list) and _line_text(line) and not _heading_line(line):
            if paragraph and _continues(paragraph, line):
                paragraph.extend([" ", *line])
                continue
            _append(element, "p", paragraph)
            paragraph = list(line)
            continue
        _append(element, "p", paragraph)
        paragraph = []
        if isinstance(line, list) and _line_text(line):
            _append(element, "h2", line)
        elif not isinstance(line, list):
            element.append(line)
    _append(element, "p", paragraph)


def _continues(paragraph: list[Part], line: list[Part]) -> bool:
    """Whether ``line`` goes on with the sentence of ``paragraph`` (a wrapped line): every
    other line is a paragraph of its own, as the lines of a footer or an address are."""
    before, after = _line_text(paragraph), _line_text(line)
    return before[-1:] not in ".!?:" and after[:1].islower()


def _line_text(line: list[Part]) -> str:
    return clean_text("".join(p if isinstance(p, str) else _text(p) for p in line))


def _heading_line(line: list[Part]) -> bool:
    """A short line that is one element in bold or large type, not ending like a sentence."""
    elements = [p for p in line if not isinstance(p, str)]
    loose = "".join(p for p in line if isinstance(p, str)).strip()
    text = _line_text(line)
    if len(elements) != 1 or loose or len(text.split()) > HEADING_WORDS:
        return False
    if text[-1:] in ".!?,;:":
        return False
    element = elements[0]
    style = element.get("style") or ""
    size = _FONT_SIZE.search(style)
    return (
        element.tag in ("strong", "b")
        or _BOLD.search(style) is not None
        or (size is not None and int(size.group(1)) >= HEADING_PX)
    )


def _append(parent: Element, tag: str, parts: list[Part]) -> None:
    """Add a ``tag`` element holding ``parts`` to ``parent`` (nothing for an empty line)."""
    if not _line_text(parts):
        return
    new = etree.SubElement(parent, tag)
    for part in parts:
        if isinstance(part, str):
            last = new[-1] if len(new) else None
            if last is None:
                new.text = (new.text or "") + part
            else:
                last.tail = (last.tail or "") + part
        else:
            new.append(part)


def _unwrap(table: Element) -> None:
    """Make a layout table and its own rows and cells plain containers."""
    parts = [table, *(e for e in table.iter(*_LAYOUT_PARTS) if _owner(e) is table)]
    for element in parts:
        element.tag = "div"
        for name in ("role", "width", "cellpadding", "cellspacing", "border"):
            if name in element.attrib:
                del element.attrib[name]


def _owner(element: Element) -> Element | None:
    return next(element.iterancestors("table"), None)


def _furniture(document: Element) -> list[Element]:
    """The innermost short blocks that use a mail wording."""
    body = document.find("body")
    if body is None:
        return []
    found = [
        e
        for e in body.iter()
        if isinstance(e.tag, str)
        and e.tag in _BLOCKS
        and is_mail_furniture(_text(e), linked=next(e.iter("a"), None) is not None)
    ]
    chosen = {id(e) for e in found}
    return [e for e in found if not any(id(d) in chosen for d in e.iterdescendants())]


def _set_title(document: Element, subject: str) -> None:
    """Give the page the subject as its ``<title>``, so the page reader knows the headline."""
    head = document.find("head")
    if head is None:
        head = etree.Element("head")
        document.insert(0, head)
    for old in head.findall("title"):
        head.remove(old)
    title = etree.SubElement(head, "title")
    title.text = subject


def _text(element: Element) -> str:
    return clean_text("".join(t for t in element.itertext() if isinstance(t, str)))
