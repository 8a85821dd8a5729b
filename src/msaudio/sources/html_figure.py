"""A page's figures as a listener gets them: the lead image's description and caption, without
the photographer's credit.

A news page puts its lead image between the headline and the article's text, outside the
container that trafilatura chooses as the article, so its alt text and caption would be lost;
they are read after the standfirst. A caption's credit ("Photo: ...", ``<span
class="credit">``, its ``<cite>``) names who took the picture, which is the page's small
print.
"""

from __future__ import annotations

import re
from typing import Any

from msaudio.model import Block, BlockKind
from msaudio.sources.common import clean_text, has_url
from msaudio.sources.html_chrome import drop_element, is_prose_element

Element = Any  # lxml elements (lxml ships no type stubs)

_CREDIT_CLASS = re.compile(r"credit|copyright|byline|source", re.IGNORECASE)
_CREDIT_TEXT = re.compile(
    r"(?:^|\s)(?:photo(?:graph)?s?|image|picture|illustration|credit)(?:\s+credit)?\s*:\s*[^.!?]*$"
    r"|(?:^|(?<=[.!?])\s+)(?:photo(?:graph)?|image|picture|illustration)\s+by\s+[^.!?]*$",
    re.IGNORECASE,
)
"""A credit at a caption's end: "Photo: ...", or "Photo by ..." opening a sentence there."""
_FILE_NAME = re.compile(r"\.(?:jpe?g|png|gif|webp|svg|avif|bmp|tiff?)$", re.IGNORECASE)


def drop_credits(caption: Element) -> None:
    """Remove the credit from a ``<figcaption>``: its credit elements, then a trailing
    "Photo: ..." in its text (the caption keeps its words, not its inline markup)."""
    for element in [e for e in caption.iter() if e is not caption and isinstance(e.tag, str)]:
        if element.tag == "cite" or _CREDIT_CLASS.search(element.get("class") or ""):
            drop_element(element)
    text = _CREDIT_TEXT.sub("", caption.text_content())
    for child in list(caption):
        caption.remove(child)
    caption.text = text


def useful_alt(alt: str) -> bool:
    """Whether an image's alt text describes it (not a file name or an address)."""
    return bool(alt) and not has_url(alt) and not _FILE_NAME.search(alt)


def lead_figure(tree: Element, head: Element | None, lead: str | None = None) -> list[Block]:
    """The image description and caption of the first figure after the headline ``head``,
    when it comes before the article's first paragraph of prose (the standfirst ``lead``,
    or any paragraph in the headline's ``<header>``, aside)."""
    if head is None:
        return []
    standfirst = clean_text(lead or "").casefold()
    header = next((a for a in head.iterancestors() if a.tag in ("header", "hgroup")), None)
    seen_head = False
    for element in tree.iter():
        if element is head:
            seen_head = True
        elif not seen_head or not isinstance(element.tag, str):
            continue
        elif element.tag == "figure":
            return _figure_blocks(element)
        elif (
            element.tag == "p"
            and not any(a is header for a in element.iterancestors())
            and clean_text(element.text_content()).casefold() != standfirst
            and is_prose_element(element)
        ):
            return []  # the text began first (a paragraph inside a figure comes after it)
    return []


def with_lead_figure(blocks: list[Block], figure: list[Block], after: str | None) -> list[Block]:
    """``blocks`` with the lead figure's blocks it lacks, after the standfirst ``after``."""
    present = {b.text.casefold() for b in blocks if b.kind is not BlockKind.LIST}
    missing = [b for b in figure if b.text.casefold() not in present]
    if not missing:
        return blocks
    at = 1 if after and blocks and blocks[0].text == after else 0
    return [*blocks[:at], *missing, *blocks[at:]]


def _figure_blocks(figure: Element) -> list[Block]:
    alts = [clean_text(image.get("alt") or "") for image in figure.iter("img")]
    blocks = [Block(BlockKind.IMAGE, text=alt) for alt in alts if useful_alt(alt)]
    said = {b.text.casefold() for b in blocks}
    for caption in figure.iter("figcaption", "p"):
        text = clean_text(caption.text_content())
        if text and text.casefold() not in said:
            said.add(text.casefold())
            blocks.append(Block(BlockKind.PARAGRAPH, text=text))
    return blocks
