"""An item → the HTML file saved in ``episodes/``, which the page reader reads as any page.

What the feed says about the article goes into the page's head, in the markup the reader
already understands: ``<title>``, ``<meta name="author">``, ``og:site_name`` (the credit) and
``article:published_time`` (the date, read by htmldate, which becomes the episode's date);
where it came from goes in ``<link rel="canonical">`` and ``msaudio:`` metas (source address,
feed, GUID, when it was fetched). The file is UTF-8 whatever the page's own encoding was.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from pathlib import Path

import lxml.html
from lxml import etree
from lxml.html import builder as E

from msaudio.errors import ArticleError, FetchError
from msaudio.fetch.feeds import Item
from msaudio.fetch.http import Response
from msaudio.sources.decode import text_of

DATE_PROPERTY = "article:published_time"
"""The Open Graph article date: the first date htmldate looks for in a page's head."""

_CHARSET = ("charset", "content-type")
Element = etree._Element


def item_document(item: Item, fetched: dt.datetime) -> bytes:
    """A page made of the item's own content (the feed carried the whole article)."""
    body = E.ARTICLE()
    if item.title:
        body.append(E.H1(item.title))
    body.append(_content(item))
    head = E.HEAD(E.TITLE(item.title or ""))
    document = E.HTML(head, E.BODY(body))
    _annotate(document, item, fetched, source=item.link)
    return _serialize(document)


def page_document(response: Response, item: Item, fetched: dt.datetime) -> bytes:
    """The fetched page as it is, with what the feed says about it added to its head.

    The feed's date replaces the page's ``article:published_time`` and goes first, so the
    episode is dated as the feed dates it; the page's own author, site name and canonical
    address are kept when it has them.
    """
    document = parse_page(response)
    for meta in list(document.iter("meta")):
        if item.published is not None and _meta_key(meta) == DATE_PROPERTY:
            meta.drop_tree()
    _annotate(document, item, fetched, source=response.url)
    return _serialize(document)


def page_text(response: Response) -> str:
    """The page's text: decoded by the charset the server names, else as ``build`` would
    decode a saved page (UTF-8, its ``<meta charset>``, then detection)."""
    if response.charset:
        try:
            return response.body.decode(response.charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # saved as UTF-8 anyway: nothing for the producer
            return text_of(response.body, Path("page.html"))
    except ArticleError as error:
        raise FetchError(f"{response.url}: {error.message}") from None


def parse_page(response: Response) -> lxml.html.HtmlElement:
    """The fetched page as an lxml tree; an empty or unparseable page is a FetchError."""
    text = re.sub(r"\A\s*<\?xml[^>]*\?>", "", page_text(response))
    try:
        return lxml.html.document_fromstring(text)
    except (etree.ParserError, ValueError) as error:
        raise FetchError(f"{response.url}: cannot parse the page ({error})") from None


def _content(item: Item) -> Element:
    """The item's content as a ``<div>``: its HTML parsed, or its plain text as paragraphs."""
    if item.plain:
        paragraphs = (p.strip() for p in re.split(r"\n\s*\n", item.content or ""))
        div: Element = E.DIV(*(E.P(" ".join(p.split())) for p in paragraphs if p))
        return div
    try:
        div = lxml.html.fragment_fromstring(item.content or "", create_parent="div")
    except (etree.ParserError, ValueError):
        div = E.DIV()
    return div


def _annotate(document: Element, item: Item, fetched: dt.datetime, source: str | None) -> None:
    """Put the item's facts and provenance at the top of ``document``'s head."""
    head = document.find("head")
    if head is None:
        head = E.HEAD()
        document.insert(0, head)
    for meta in list(head.iter("meta")):
        if meta.get("charset") is not None or (meta.get("http-equiv") or "").lower() in _CHARSET:
            meta.drop_tree()  # the file is written as UTF-8, whatever the page declared
    present = {_meta_key(meta) for meta in head.iter("meta")}
    canonical = any("canonical" in (link.get("rel") or "").split() for link in head.iter("link"))
    added: list[Element] = [E.META(charset="utf-8")]
    if item.published is not None:
        moment = item.published.astimezone(dt.UTC).isoformat()
        added.append(E.META(property=DATE_PROPERTY, content=moment))
    if item.author and "author" not in present:
        added.append(E.META(name="author", content=item.author))
    if item.site and "og:site_name" not in present:
        added.append(E.META(property="og:site_name", content=item.site))
    if item.link and not canonical:
        added.append(E.LINK(rel="canonical", href=item.link))
    provenance = {
        "msaudio:source": source,
        "msaudio:feed": item.feed,
        "msaudio:guid": item.guid,
        "msaudio:fetched": fetched.astimezone(dt.UTC).isoformat(),
    }
    added.extend(E.META(name=k, content=v) for k, v in provenance.items() if v)
    for index, element in enumerate(added):
        head.insert(index, element)


def _meta_key(meta: Element) -> str:
    return (meta.get("property") or meta.get("name") or "").strip().lower()


def _serialize(document: Element) -> bytes:
    return (
        bytes(
            lxml.html.tostring(document, encoding="utf-8", method="html", doctype="<!DOCTYPE html>")
        )
        + b"\n"
    )
