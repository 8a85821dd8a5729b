"""A fetched response → the articles it offers: a feed's items (RSS or Atom, read by
feedparser), or ``None`` when the response is a web page, which is one article itself."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import time
from dataclasses import dataclass
from typing import Any

import feedparser

from msaudio.errors import FetchError
from msaudio.fetch.http import Response
from msaudio.sources.common import clean_text

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
FEED_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/xml", "text/xml"}
)
"""Media types a feed is served as (``application/rdf+xml`` for RSS 1.0 aside)."""

_HTML_START = (b"<!doctype html", b"<html")


@dataclass(frozen=True)
class Item:
    """One article offered by a feed, or a web page given by its address."""

    link: str | None
    """The article's own address (its page), when it has one."""

    guid: str | None = None
    """The feed item's GUID (RSS ``guid``, Atom ``id``)."""

    title: str | None = None
    author: str | None = None
    published: dt.datetime | None = None
    """When the feed says it was published (else updated), in UTC."""

    content: str | None = None
    """The whole article, when the feed carries it (``content:encoded``, Atom ``content``);
    else the page at ``link`` is fetched."""

    plain: bool = False
    """Whether ``content`` is plain text (paragraphs between blank lines) rather than HTML."""

    site: str | None = None
    """The feed's title: the publication the article comes from."""

    feed: str | None = None
    """The address of the feed that offered the item."""

    @property
    def keys(self) -> frozenset[str]:
        """What identifies the item among those fetched before: its GUID and its address
        (either alone is enough), or a digest of its text when it has neither."""
        keys = {key for key in (self.guid, self.link) if key}
        if not keys:
            text = f"{self.feed}\n{self.title}\n{self.content}".encode()
            keys.add("sha256:" + hashlib.sha256(text).hexdigest())
        return frozenset(keys)


def feed_items(response: Response) -> list[Item] | None:
    """The items of the feed in ``response``; ``None`` when it is a web page.

    feedparser decides: whatever it recognises as RSS or Atom is a feed, whatever the
    server calls it. A response that is neither is a :class:`FetchError`.
    """
    parsed = feedparser.parse(
        io.BytesIO(response.body),
        response_headers={
            "content-type": response.content_type or "application/octet-stream",
            "content-location": response.url,  # relative links resolve against it
        },
    )
    if not parsed.get("version"):
        if response.content_type in HTML_TYPES or _looks_like_html(response.body):
            return None
        problem = parsed.get("bozo_exception")
        if response.content_type in FEED_TYPES and problem is not None:
            raise FetchError(f"{response.url}: not a feed that can be read ({problem})")
        shown = response.content_type or "no content type"
        raise FetchError(f"{response.url}: neither an RSS or Atom feed nor a web page ({shown})")
    channel: Any = parsed.get("feed", {})
    site = clean_text(channel.get("title") or "") or None
    default_author = clean_text(channel.get("author") or "") or None
    return [_item(entry, site, default_author, response.url) for entry in parsed.entries]


def _item(entry: Any, site: str | None, default_author: str | None, feed: str) -> Item:
    link = entry.get("link") or None
    content, plain = _content(entry)
    if content is None and link is None:
        content = entry.get("summary") or None  # all there is: read what the feed says
    return Item(
        link=link,
        guid=(entry.get("id") or "").strip() or None,
        title=clean_text(entry.get("title") or "") or None,
        author=clean_text(entry.get("author") or "") or default_author,
        published=_moment(entry.get("published_parsed") or entry.get("updated_parsed")),
        content=content,
        plain=plain,
        site=site,
        feed=feed,
    )


def _content(entry: Any) -> tuple[str | None, bool]:
    """The longest full-content part (HTML preferred over plain text), and whether it is
    plain text; ``(None, False)`` when the item carries none."""
    parts = [c for c in entry.get("content", []) if (c.get("value") or "").strip()]
    if not parts:
        return None, False
    html = [c for c in parts if c.get("type") in HTML_TYPES]
    best = max(html or parts, key=lambda c: len(c["value"]))
    return str(best["value"]), best.get("type") not in HTML_TYPES


def _moment(parsed: time.struct_time | None) -> dt.datetime | None:
    """feedparser's UTC ``struct_time`` as an aware datetime."""
    if parsed is None:
        return None
    try:
        return dt.datetime(*parsed[:6], tzinfo=dt.UTC)
    except (TypeError, ValueError):
        return None


def _looks_like_html(body: bytes) -> bool:
    head = body[:1024].lstrip().lower()
    return head.startswith(_HTML_START) or b"<html" in head
