"""Page chrome of saved web pages, found by the shape of the page rather than by phrases.

Share bars, "Skip to content", "— 6 min read", like and comment counts, "Posted
in … Tagged …", pagers and related-post boxes are short blocks that are mostly
links or mostly the words of ``data/page_chrome.txt``. They are removed from
the parsed page before trafilatura chooses the article, and again from the
edges of its result. The standfirst under the headline, which trafilatura
tends to drop with the page header, is kept; and when trafilatura's precision
extraction keeps much less prose than its recall extraction, the recall one is
read (its extra chrome having been removed already).
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from importlib import resources
from typing import Any

from lxml import etree

from msaudio.model import Block, BlockKind
from msaudio.sources.common import BYLINE, clean_text
from msaudio.sources.html_notes import is_note
from msaudio.sources.tables import is_layout_table

Element = etree._Element
"""Any lxml element (the typed view of the parsed page and of trafilatura's output)."""

SHORT = 200
"""Longest text, in characters, a block of chrome has; longer blocks are prose."""
INSIDE_SHARE = 0.75
"""Share of chrome words that makes a short block inside the article chrome."""
OUTSIDE_SHARE = 0.5
"""The same share for a block before the headline or after the article's last paragraph."""
INSIDE_WORDS = 8
"""Longest block, in words, treated as chrome inside the article."""
LINK_DENSITY = 0.5
"""Share of a short block's text in links that makes it a row of links."""
RECALL_GAIN = 1.25
"""Recall extraction wins when it holds this many times the precision one's prose words."""
RECALL_MIN_WORDS = 25
"""...and at least this many more: a whole paragraph, not a stray button or notice."""
STANDFIRST_MAX = 400
"""Longest standfirst, in characters."""

_STANDFIRST_CLASS = re.compile(
    r"dek|standfirst|sub-?title|sub-?head|excerpt|lede|lead|summary|intro|strap|deck",
    re.IGNORECASE,
)
_OFFICE_TITLE = frozenset({"title", "MsoTitle"})
"""The class of an office export's Title paragraph style."""
_META_CLASS = re.compile(r"meta|byline|author|date|time|posted|credit", re.IGNORECASE)
"""Class names of the line under a headline that gives the author or date, not a standfirst."""
_MSO_RUNNING = re.compile(r"mso-element\s*:\s*(?:header|footer)", re.IGNORECASE)
_BLOCKS = frozenset(
    {
        "div",
        "p",
        "ul",
        "ol",
        "li",
        "nav",
        "aside",
        "section",
        "footer",
        "header",
        "span",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "dl",
        "form",
        "figure",
        "button",
        "table",
    }
)
"""Elements judged as blocks (``<article>``, ``<main>`` and ``<h1>`` never are)."""
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_SENTENCE = re.compile(r"[.!?\u2026][\"'\u201d\u2019)]*(?:\s|$)")
# fmt: off
_FUNCTION = frozenset({
    "a", "an", "the", "and", "or", "of", "on", "in", "to", "for", "at", "by", "this", "that",
    "it", "its", "is", "are", "with", "from", "your", "you", "our", "my", "me", "us", "we", "all",
})
# fmt: on
"""Words that neither make a block chrome nor prose ("Share this", "Posted in")."""


@functools.cache
def chrome_words() -> frozenset[str]:
    """The words of ``msaudio/data/page_chrome.txt`` (loaded once)."""
    text = resources.files("msaudio").joinpath("data", "page_chrome.txt").read_text("utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


# --- features ------------------------------------------------------------------------------


def element_text(element: Element) -> str:
    """Whitespace-collapsed text of ``element``."""
    return clean_text("".join(t for t in element.itertext() if isinstance(t, str)))


def chrome_share(text: str) -> tuple[float, int]:
    """Share of the content words of ``text`` that are chrome words, and how many words it has.

    Numbers and function words are left out of the share: "12 likes", "Share this".
    """
    words = [w.casefold() for w in _WORD.findall(text)]
    content = [w for w in words if not w.isdigit() and w not in _FUNCTION]
    if not content:
        return (1.0 if words else 0.0), len(words)
    hits = sum(1 for w in content if w in chrome_words())
    return hits / len(content), len(words)


def is_chrome_text(text: str, *, outside: bool) -> bool:
    """Whether a block reading ``text`` is chrome by its words (a sentence never is inside)."""
    text = clean_text(text)
    if not text or len(text) > SHORT:
        return False
    share, count = chrome_share(text)
    if count == 0:
        return False
    if outside:
        return share >= OUTSIDE_SHARE
    return share >= INSIDE_SHARE and count <= INSIDE_WORDS and not _SENTENCE.search(text)


def _link_density(element: Element, length: int) -> tuple[float, int]:
    """Share of the text of ``element`` inside links, and the number of links."""
    links = list(element.iter("a"))
    if not links or not length:
        return 0.0, len(links)
    return min(1.0, sum(len(element_text(a)) for a in links) / length), len(links)


def _is_chrome_element(element: Element, outside: bool) -> bool:
    text = element_text(element)
    if not text or len(text) > SHORT:
        return False
    density, links = _link_density(element, len(text))
    if density > LINK_DENSITY and (links >= 2 or outside) and not _SENTENCE.search(text):
        return True
    return is_chrome_text(text, outside=outside)


# --- the page, before trafilatura ------------------------------------------------------------


def headline(tree: Element) -> Element | None:
    """The article's headline: the one hAtom ``entry-title`` (Blogger, WordPress), else the
    one paragraph in an office export's Title style (Google Docs, Word) above the first h1,
    else the h1."""
    titled = [e for e in tree.iter() if isinstance(e.tag, str) and "entry-title" in _classes(e)]
    if len(titled) == 1:
        return titled[0]
    h1 = next(tree.iter("h1"), None)
    styled = [e for e in tree.iter("p") if _OFFICE_TITLE & set(_classes(e))]
    if len(styled) == 1 and (h1 is None or _precedes(styled[0], h1)):
        return styled[0]
    return h1


def _precedes(first: Element, second: Element) -> bool:
    """Whether ``first`` comes before ``second`` in document order."""
    for element in first.getroottree().getroot().iter():
        if element is first or element is second:
            return element is first
    return False


def entry_title(tree: Element) -> str | None:
    """The text of the page's one hAtom ``entry-title`` or office Title paragraph, when the
    headline is marked so."""
    head = headline(tree)
    if head is None or not ({"entry-title"} | _OFFICE_TITLE) & set(_classes(head)):
        return None
    return element_text(head) or None


def is_running(element: Element) -> bool:
    """A page header or footer of a document saved from Word (``mso-element``), LibreOffice
    (``title="header"``) or Google Docs, repeated on each printed page and not the text."""
    if _MSO_RUNNING.search(element.get("style") or ""):
        return True
    if element.tag != "div":
        return False
    if (element.get("title") or "").lower() in ("header", "footer"):
        return True
    return _google_docs_margin(element)


def _google_docs_margin(div: Element) -> bool:
    """A Google Docs export keeps the document's text directly in ``body.doc-content`` and
    puts its header, footer and comments in ``div``s there; its footnotes too, which stay."""
    parent = div.getparent()
    if parent is None or parent.tag != "body" or "doc-content" not in _classes(parent):
        return False
    return not is_note(div)


def _classes(element: Element) -> list[str]:
    return (element.get("class") or "").split()


def remove_chrome(tree: Element) -> None:
    """Drop in-page and script links, office running headers and footers, and short
    blocks of chrome from the parsed page."""
    for element in [e for e in tree.iter() if isinstance(e.tag, str) and is_running(e)]:
        drop_element(element)
    for link in list(tree.iter("a")):
        href = (link.get("href") or "").strip().lower()
        if (href.startswith(("#", "javascript:"))) and not _in_prose(link):
            drop_element(link)
    body = tree.find("body")
    if body is None:
        return
    head = headline(tree)
    elements = list(body.iter())  # held so that lxml keeps each element's proxy (and id)
    order = {id(e): i for i, e in enumerate(elements)}
    start = order.get(id(head), 0) if head is not None else 0
    end = _last_prose(body, order)
    protected = {id(a) for e in (head,) if e is not None for a in e.iterancestors()}
    if head is not None:
        protected.add(id(head))
    doomed: list[Element] = []
    _collect(body, order, start, end, protected, doomed)
    for element in doomed:
        drop_element(element)
    del elements


def _collect(
    element: Element,
    order: dict[int, int],
    start: int,
    end: int,
    protected: set[int],
    doomed: list[Element],
) -> None:
    """Top-down: a chrome block is doomed whole; other elements are looked into."""
    for child in element:
        if not isinstance(child.tag, str):
            continue
        position = order.get(id(child), 0)
        outside = position < start or position > end
        if child.tag == "table" and not outside and not is_layout_table(child):
            continue  # a data table's cells are the article's, numbers and all
        if (
            child.tag in _BLOCKS
            and id(child) not in protected
            and not _holds_prose(child)
            and _is_chrome_element(child, outside)
        ):
            doomed.append(child)
        else:
            _collect(child, order, start, end, protected, doomed)


def _holds_prose(element: Element) -> bool:
    """Whether ``element`` holds a paragraph that reads as a sentence of some length."""
    return any(is_prose_element(p) for p in element.iter("p"))


def is_prose_element(element: Element) -> bool:
    """Whether ``element``'s text reads as a sentence of some length."""
    text = element_text(element)
    return len(text.split()) >= 8 and _SENTENCE.search(text) is not None


def _last_prose(body: Element, order: dict[int, int]) -> int:
    """Document position of the article's last paragraph of prose (the end of the article)."""
    positions = [order[id(p)] for p in body.iter("p", "li", "blockquote") if is_prose_element(p)]
    return max(positions) if positions else len(order)


def _in_prose(link: Element) -> bool:
    """Whether ``link`` sits in running text (a footnote or section reference in a sentence)."""
    parent = link.getparent()
    if parent is None:
        return False
    rest = element_text(parent).replace(element_text(link), "", 1)
    return len(rest.split()) >= 5 and _SENTENCE.search(rest) is not None


def drop_element(element: Element) -> None:
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


# --- the standfirst -----------------------------------------------------------------------


def standfirst(tree: Element, title: str | None) -> str | None:
    """The short paragraph under the headline (dek, subtitle, excerpt), unless it repeats it."""
    head = headline(tree)
    if head is None:
        return None
    candidate = _next_element(head)
    if candidate is None:
        return None
    names = " ".join(_classes(candidate))
    if _META_CLASS.search(names):
        return None
    named = bool(_STANDFIRST_CLASS.search(names))
    in_header = any(a.tag in ("header", "hgroup") for a in head.iterancestors())
    if (
        not named
        and not (in_header and candidate.tag in ("p", "h2"))
        and not _over_figure(candidate)
    ):
        return None
    text = element_text(candidate)
    if BYLINE.match(text):
        return None
    titles = {clean_text(t).casefold() for t in (title, element_text(head)) if t}
    if not text or len(text) > STANDFIRST_MAX or len(text.split()) < 4:
        return None
    if text.casefold() in titles or is_chrome_text(text, outside=True):
        return None
    return text


def _over_figure(candidate: Element) -> bool:
    """A paragraph (alone, or alone in its ``div``) between the headline and the lead figure:
    the place of a standfirst, whatever its class."""
    paragraphs = [candidate] if candidate.tag == "p" else list(candidate.iter("p"))
    if candidate.tag not in ("p", "div") or len(paragraphs) != 1:
        return False
    if candidate.tag == "div" and any(
        isinstance(e.tag, str) and e.tag not in ("p", "span", "em", "strong", "b", "i", "a")
        for e in candidate.iterdescendants()
    ):
        return False
    following = candidate.getnext()
    while following is not None and not isinstance(following.tag, str):
        following = following.getnext()
    return following is not None and following.tag == "figure"


def _next_element(head: Element) -> Element | None:
    """The element after the headline, looking past the end of its ``<header>``/``<hgroup>``."""
    element: Element | None = head
    while element is not None:
        following = element.getnext()
        while following is not None and not isinstance(following.tag, str):
            following = following.getnext()
        if following is not None:
            return following
        parent = element.getparent()
        if parent is None or parent.tag not in ("header", "hgroup", "div"):
            return None
        element = parent
    return None


def with_standfirst(blocks: list[Block], text: str | None) -> list[Block]:
    """``blocks`` with the standfirst as the first paragraph (once, never as a heading)."""
    if not text:
        return blocks
    key = text.casefold()
    rest = [b for b in blocks if not (b.kind is not BlockKind.LIST and b.text.casefold() == key)]
    return [Block(BlockKind.PARAGRAPH, text=text), *rest]


# --- choosing the extraction ---------------------------------------------------------------


def prose_words(blocks: list[Block]) -> int:
    """Words of the paragraphs and quotes that read as sentences."""
    return sum(
        len(b.text.split())
        for b in blocks
        if b.kind in (BlockKind.PARAGRAPH, BlockKind.QUOTE) and _SENTENCE.search(b.text)
    )


def best_extraction(
    tree: Element,
    options: dict[str, Any],
    to_blocks: Callable[[Element | None], list[Block]],
) -> list[Block]:
    """Blocks of trafilatura's precision extraction, or of its recall one when that keeps
    clearly more prose (precision drops whole paragraphs of some pages)."""
    import trafilatura

    def run(**change: bool) -> list[Block]:
        document = trafilatura.bare_extraction(copy.deepcopy(tree), **{**options, **change})
        if document is None or isinstance(document, dict):
            return to_blocks(None)
        return to_blocks(document.body)

    precise = run()
    recall = run(favor_precision=False, favor_recall=True)
    more, fewer = prose_words(recall), prose_words(precise)
    if more > RECALL_GAIN * fewer and more - fewer >= RECALL_MIN_WORDS:
        return trim_edges(recall)
    return trim_edges(precise)


def trim_edges(blocks: list[Block]) -> list[Block]:
    """Drop chrome blocks before the first and after the last paragraph of prose."""
    prose = [i for i, b in enumerate(blocks) if _is_prose_block(b)]
    if not prose:
        return blocks
    first, last = prose[0], prose[-1]
    return [b for i, b in enumerate(blocks) if first <= i <= last or not _block_is_chrome(b)]


def _is_prose_block(block: Block) -> bool:
    return block.kind is BlockKind.PARAGRAPH and _SENTENCE.search(block.text) is not None


def _block_is_chrome(block: Block) -> bool:
    if block.kind is BlockKind.LIST:
        return all(is_chrome_text(item, outside=True) for item in block.items)
    return is_chrome_text(block.text, outside=True)
