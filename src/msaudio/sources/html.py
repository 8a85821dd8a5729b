"""A web page → :class:`~msaudio.model.Article`, with trafilatura.

The page is parsed with lxml.html and tidied (boxes around the article such as
cookie notices, share bars and subscribe boxes removed; ``<time>`` and
``<figcaption>`` kept as text, which trafilatura would otherwise drop). The
main content is then chosen by trafilatura, favouring precision, and its
structure (``head``, ``p``, ``list``, ``quote``, ``graphic``) becomes blocks.
Links are read as their text; images as their alt text. Nothing is fetched:
trafilatura only ever sees the parsed tree.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import lxml.html
from lxml import etree

from msaudio.errors import ArticleError
from msaudio.model import Article, Block, BlockKind
from msaudio.sources import html_chrome, html_figure
from msaudio.sources.common import (
    clean_credit,
    clean_text,
    drop_boilerplate,
    has_url,
    humanise,
    make_article,
    match_boilerplate,
    parse_date,
)
from msaudio.sources.html_notes import office_notes, with_notes
from msaudio.sources.tables import trafilatura_table, unwrap_layout_tables

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

DATE_PARAMS: dict[str, Any] = {
    "original_date": True,
    "extensive_search": False,
    "max_date": "2099-12-31",
}
"""htmldate options: the publication date from markup only, future dates allowed."""

# fmt: off
CLUTTER = (
    "cookie", "consent", "gdpr", "share", "sharing", "social", "subscribe", "subscription",
    "newsletter", "signup", "paywall", "related", "promo", "popup", "modal", "advert",
    "breadcrumb",
)
"""Beginnings of class/id words naming boxes around the article (cookie notices, share bars)."""

CLUTTER_ROLES = frozenset({
    "navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search",
})
"""ARIA roles of page furniture."""
# fmt: on

NOTICE_MAX = 300
"""Longer paragraphs mentioning cookies are prose, not a cookie notice."""

ARTICLE_PARAGRAPHS = 3
"""A box with a clutter-like name and this many paragraphs may be the article itself."""

_LAYOUT_FLAG = re.compile(r"\b(?:has|with|no|show|hide|is|enable|enabled)[-_][\w-]+")
"""Class names describing a layout (``has-sidebar``, ``with-share-bar``), not a box."""
_NAME_PARTS = re.compile(r"[\s\-_]+|(?<=[a-z])(?=[A-Z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_COOKIE_NOTICE = re.compile(
    r"\b(?:uses?|stores?)\s+(?:\w+\s+){0,2}cookies\b"
    r"|\bcookie\s+(?:policy|settings|preferences)\b|\baccept\s+(?:all\s+)?cookies\b",
    re.IGNORECASE,
)
_HEADING_REND = re.compile(r"h([1-6])")
_TITLE_SEPARATORS = (" | ", " \u2013 ", " \u2014 ", " - ", " :: ", " \u00b7 ")
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)+/?$")
_BARE_URL = re.compile(r"^\W*(?:https?://|www\.)\S+\W*$", re.IGNORECASE)
_CONTAINERS = frozenset({"body", "div", "section", "article", "main"})
"""Elements of trafilatura's output walked into for their blocks."""
_BLOCK_TAGS = frozenset({"head", "p", "list", "quote", "graphic", "code", "table"})
"""trafilatura's block elements (code is not read)."""

Element = etree._Element
"""Any lxml element (the typed view of the parsed page and of trafilatura's output)."""


@dataclass(frozen=True)
class PageMeta:
    """What the page says about itself."""

    title: str | None = None
    author: str | None = None
    date: str | None = None
    summary: str | None = None
    site: str | None = None


def parse_html(text: str, path: Path) -> Article:
    """Parse the page ``text`` read from ``path``."""
    document = _parse(text, path)
    meta = _metadata(document)
    prepared = _prepare(document)
    lead = html_chrome.standfirst(prepared, meta.title)
    figure = html_figure.lead_figure(prepared, html_chrome.headline(prepared), lead)
    blocks = html_chrome.best_extraction(prepared, EXTRACTION, _blocks)
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


# --- metadata --------------------------------------------------------------------------------


def _metadata(document: lxml.html.HtmlElement) -> PageMeta:
    """Title, author, date, description and site name, from trafilatura and the page head."""
    import trafilatura  # imported when a page is read: it takes about 0.1 s

    found = trafilatura.extract_metadata(copy.deepcopy(document), date_config=dict(DATE_PARAMS))
    site = _site_name(found.sitename) or _site_from_title(document)
    author = clean_text(found.author or "")
    return PageMeta(
        title=_title(document, found.title, site),
        author=author if author and not has_url(author) else None,
        date=found.date,
        summary=found.description,
        site=site,
    )


def _title(document: Element, found: str | None, site: str | None) -> str | None:
    """The article title: trafilatura's, else og:title, else ``<title>``, else the first h1.

    A candidate that is only the site's name (trafilatura takes it from
    ``Title – Site`` when the title contains a full stop) is passed over.
    """
    head_title = document.find(".//title")
    h1 = next(document.iter("h1"), None)
    candidates = (
        html_chrome.entry_title(document),
        found,
        _meta_content(document, "og:title"),
        _text(head_title) if head_title is not None else None,
        _text(h1) if h1 is not None else None,
    )
    for candidate in candidates:
        title = _strip_site_suffix(clean_text(candidate or ""), site)
        if title and (site is None or title.casefold() != site.casefold()):
            return title
    return None


def _strip_site_suffix(title: str, site: str | None) -> str:
    """``Title | Site name`` → ``Title``; other separators only when the site name follows."""
    if " | " in title:
        return title.split(" | ")[0].strip()
    if site:
        for separator in _TITLE_SEPARATORS:
            head, _, tail = title.rpartition(separator)
            if head and tail.strip().casefold() == site.casefold():
                return head.strip()
    return title


def _site_from_title(document: Element) -> str | None:
    """``<title>Article | Site name</title>`` → ``Site name``, when it is short enough to be one."""
    head_title = document.find(".//title")
    parts = _text(head_title).split(" | ") if head_title is not None else []
    if len(parts) < 2 or len(parts[-1].split()) > 6:
        return None
    return _site_name(parts[-1])


def _meta_content(document: Element, key: str) -> str | None:
    """The ``content`` of the first ``<meta>`` whose name or property is ``key``."""
    for meta in document.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").strip().lower() == key:
            return clean_text(meta.get("content") or "") or None
    return None


def _site_name(raw: str | None) -> str | None:
    """A publication name for the credit; URLs and bare domain names are not names."""
    name = clean_credit(raw) if raw else None
    if not name or has_url(name) or _DOMAIN.match(name):
        return None
    return name


# --- preparing the page for trafilatura ----------------------------------------------------


def _prepare(document: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """A copy of the page with furniture removed and content trafilatura drops made safe."""
    tree = copy.deepcopy(document)
    etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    etree.strip_elements(tree, "script", "style", "noscript", "template", "pre", with_tail=False)
    _remove_clutter(tree)
    html_chrome.remove_chrome(tree)
    for element in tree.iter("time"):
        element.tag = "span"  # trafilatura deletes <time> with its text ("on 3 May")
        element.attrib.clear()
    for element in tree.iter("figcaption"):
        html_figure.drop_credits(element)
        element.tag = "p"  # trafilatura drops captions
    for link in list(tree.iter("a")):
        if _BARE_URL.match(link.text_content()):
            _drop_url_link(link)
    unwrap_layout_tables(tree)
    _wrap_body(tree)
    return tree


def _remove_clutter(tree: Element) -> None:
    """Drop hidden elements and boxes named like cookie notices, share bars or related links."""
    body = tree.find("body")
    total = len(_text(body)) if body is not None else 0
    doomed = [
        element
        for element in tree.iter()
        if isinstance(element.tag, str)
        and element.tag not in ("html", "head", "body", "article", "main")
        and _is_clutter(element)
        and not _holds_article(element, total)
    ]
    for element in doomed:
        if element.getparent() is not None:
            html_chrome.drop_element(element)


def _is_clutter(element: Element) -> bool:
    """Hidden, or a role/class/id naming a box around the article."""
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    if _HIDDEN_STYLE.search(element.get("style") or ""):
        return True
    if (element.get("role") or "").strip().lower() in CLUTTER_ROLES:
        return True
    names = _LAYOUT_FLAG.sub(" ", f"{element.get('class') or ''} {element.get('id') or ''}")
    words = (word.lower() for word in _NAME_PARTS.split(names) if word)
    return any(word.startswith(CLUTTER) for word in words)


def _holds_article(element: Element, total: int) -> bool:
    """Whether ``element`` wraps the article itself (so its clutter-like name is misleading).

    It does when it contains the ``<article>``, ``<main>`` or ``<h1>``, or several
    paragraphs making up most of the page's text. A cookie notice or subscribe box
    is never protected, even on a page that holds nothing else.
    """
    if next(element.iter("article", "main", "h1"), None) is not None:
        return True
    paragraphs = sum(1 for _ in element.iter("p"))
    return paragraphs >= ARTICLE_PARAGRAPHS and len(_text(element)) > total / 2


def _drop_url_link(link: Element) -> None:
    """Remove a link whose text is a web address; ``at <a>www.x.org</a>.`` → ``at.``."""
    if link.tail and link.tail[:1] in ".,;:!?)":
        previous = link.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "").rstrip()
        else:
            parent = link.getparent()
            if parent is not None:
                parent.text = (parent.text or "").rstrip()
    html_chrome.drop_element(link)


def _wrap_body(tree: Element) -> None:
    """Put a page without ``<article>`` or ``<main>`` in a ``<main>``, from its h1 on.

    trafilatura looks for a content container; without one it falls back to
    collecting loose paragraphs, which loses headings and lists. ``<main>`` is
    its last choice, so real containers named ``content`` or ``post`` still win.
    What comes before the page's ``<h1>`` (a logo, a menu) stays outside.
    """
    body = tree.find("body")
    if body is None or tree.find(".//article") is not None or tree.find(".//main") is not None:
        return
    children = list(body)
    h1 = html_chrome.headline(tree)
    start = next((i for i, child in enumerate(children) if h1 is not None and _holds(child, h1)), 0)
    main = etree.Element("main")
    if start == 0:
        main.text, body.text = body.text, None
    else:
        main.text, children[start - 1].tail = children[start - 1].tail, None
    for child in children[start:]:
        main.append(child)
    body.append(main)


def _holds(element: Element, descendant: Element) -> bool:
    """Whether ``descendant`` is ``element`` or inside it."""
    return element is descendant or any(a is element for a in descendant.iterancestors())


def _blocks(body: Element | None) -> list[Block]:
    """The blocks of trafilatura's XML body (none without one)."""
    return list(_walk(body)) if body is not None else []


# --- trafilatura's XML → blocks ----------------------------------------------------------


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


def _text(element: Element) -> str:
    """Whitespace-collapsed text of ``element``."""
    return clean_text("".join(t for t in element.itertext() if isinstance(t, str)))
