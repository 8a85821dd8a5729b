"""A web page made ready for trafilatura: furniture removed, what it would drop made safe.

Hidden elements and boxes whose role, class or id names page furniture (cookie notices, share
bars, subscribe boxes, related links) go, unless they hold the article itself; then the page's
own chrome (:mod:`msaudio.sources.html_chrome`); ``<time>`` and ``<figcaption>`` become text
trafilatura keeps; links whose text is a web address go; a page without ``<article>`` or
``<main>`` gets a ``<main>`` from its headline on.
"""

from __future__ import annotations

import copy
import re

import lxml.html
from lxml import etree

from msaudio.sources import html_chrome, html_figure
from msaudio.sources.html_chrome import Element, element_text
from msaudio.sources.tables import unwrap_layout_tables

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

ARTICLE_PARAGRAPHS = 3
"""A box with a clutter-like name and this many paragraphs may be the article itself."""

_LAYOUT_FLAG = re.compile(r"\b(?:has|with|no|show|hide|is|enable|enabled)[-_][\w-]+")
"""Class names describing a layout (``has-sidebar``, ``with-share-bar``), not a box."""
_NAME_PARTS = re.compile(r"[\s\-_]+|(?<=[a-z])(?=[A-Z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_BARE_URL = re.compile(r"^\W*(?:https?://|www\.)\S+\W*$", re.IGNORECASE)


def prepare(document: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
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
    total = len(element_text(body)) if body is not None else 0
    doomed = [
        element
        for element in tree.iter()
        if isinstance(element.tag, str)
        and element.tag not in ("html", "head", "body", "article", "main")
        and is_clutter(element)
        and not _holds_article(element, total)
    ]
    for element in doomed:
        if element.getparent() is not None:
            html_chrome.drop_element(element)


def is_clutter(element: Element) -> bool:
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
    return paragraphs >= ARTICLE_PARAGRAPHS and len(element_text(element)) > total / 2


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
