"""The podcast feed: RSS 2.0 with Apple's ``itunes:`` tags, built with lxml.

The channel carries every tag Apple requires plus the Podcast Index
namespace's ``podcast:guid`` (a UUIDv5 of the feed URL), ``podcast:medium``
and ``podcast:locked``. Each item has its permanent GUID and number, an HTML
``content:encoded`` (summary, chapter list, link to the episode's page), the
author as ``podcast:person``, ``podcast:transcript`` and ``podcast:chapters``,
and its chapters inline as Podlove Simple Chapters (``psc:chapters``), which
apps that never fetch a chapters file (gPodder among them) read.

The bytes depend only on the show and its episodes (``lastBuildDate`` is the
newest episode's publication time, not the clock), so an unchanged show
rebuilds to an identical ``feed.xml``, which is then left alone: its
modification time, and so the HTTP validators podcast apps poll with, only
change when the feed does.
"""

from __future__ import annotations

import dataclasses
import html
import operator
import re
import sys
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote

from lxml import etree

from msaudio import __version__, model
from msaudio.model import Chapter, Episode, Show, Timeline
from msaudio.publish import common, feed_schema, transcript
from msaudio.publish.atomic import digest, restamp, stamped, write_bytes_atomic
from msaudio.publish.common import PARAGRAPH_BREAK, code_digest, utc
from msaudio.publish.feed_schema import (
    ATOM_NS,
    CHANNEL,
    CONTENT_NS,
    DESCRIPTION_LIMIT,
    FEED_NAME,
    ITEM,
    ITUNES_NS,
    NSMAP,
    PODCAST_NS,
    PSC_NS,
    ChannelFacts,
    Element,
    ItemFacts,
    apple_categories,
    podcast_guid,
    qualified,
    validate_category,
)
from msaudio.publish.webvtt import clock

__all__ = [
    "ATOM_NS",
    "CONTENT_NS",
    "DESCRIPTION_LIMIT",
    "FEED_NAME",
    "ITUNES_NS",
    "NSMAP",
    "PODCAST_NS",
    "PSC_NS",
    "PendingFeed",
    "apple_categories",
    "feed_changes",
    "podcast_guid",
    "render_feed",
    "validate_category",
    "write_feed",
]

F = TypeVar("F")

# Characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR,
# lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def render_feed(show: Show, episodes: Sequence[Episode], cover_url: str) -> bytes:
    """Render the whole feed as pretty-printed UTF-8 XML with a declaration.

    Episodes are listed newest first. Raises :class:`ConfigError` when the
    show's category is not one of Apple's.
    """
    validate_category(show.category, show.subcategory)
    return _render(show, _newest_first(episodes), cover_url)


def write_feed(path: Path, show: Show, episodes: Sequence[Episode], cover_url: str) -> bool:
    """Render the feed and write it to ``path`` atomically, unless it already holds exactly it.

    The file is stamped with a digest of what it is made from (everything but
    the episodes' cues), so an unchanged show is not even rendered again.
    Returns whether the file was written.
    """
    pending = feed_changes(path, show, episodes, cover_url)
    if pending is None:
        return False
    pending.render()
    return pending.write()


def feed_changes(
    path: Path, show: Show, episodes: Sequence[Episode], cover_url: str
) -> PendingFeed | None:
    """The feed to render and write for ``path``, or ``None`` when its stamp says it is current.

    :func:`write_feed` in two steps, so the rendering can run while other work
    does (a build renders it while page workers write the pages).
    """
    validate_category(show.category, show.subcategory)
    ordered = _newest_first(episodes)
    stamp = digest((_render_version(), show, cover_url, [_item_inputs(e) for e in ordered]))
    if stamped(path, stamp):
        return None
    return PendingFeed(path, show, ordered, cover_url, stamp)


@dataclasses.dataclass
class PendingFeed:
    """A feed whose inputs changed: :meth:`render` it, then :meth:`write` it."""

    path: Path
    show: Show
    ordered: list[Episode]
    cover_url: str
    stamp: bytes
    data: bytes | None = None

    def render(self) -> None:
        self.data = _render(self.show, self.ordered, self.cover_url)

    def write(self, target: Path | None = None) -> bool:
        """Write the rendered feed to ``target`` (default: its path) unless its path already
        holds exactly it; returns whether it was written."""
        if self.data is None:
            self.render()
        assert self.data is not None
        try:
            if self.path.read_bytes() == self.data:
                restamp(self.path, self.stamp)
                return False
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            pass
        write_bytes_atomic(target or self.path, self.data, stamp=self.stamp)
        return True


def _newest_first(episodes: Sequence[Episode]) -> list[Episode]:
    return sorted(episodes, key=lambda e: (utc(e.published), e.slug), reverse=True)


def _render(show: Show, ordered: Sequence[Episode], cover_url: str) -> bytes:
    rss = etree.Element("rss", nsmap=NSMAP)
    rss.set("version", "2.0")
    channel = _sub(rss, "channel")
    facts = ChannelFacts(show, cover_url, ordered[0] if ordered else None)
    _write(channel, CHANNEL, facts, _CHANNEL_PARTS)
    for episode in ordered:
        _item(channel, show, episode)
    return etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _write(
    parent: etree._Element,
    schema: Sequence[Element[F]],
    facts: F,
    parts: dict[str, Callable[[etree._Element, F], None]],
) -> None:
    """The elements of ``schema`` that ``facts`` give, in its order."""
    for element in schema:
        if element.compound:
            parts[element.tag](parent, facts)
            continue
        if element.value is None and element.attributes is None:
            continue  # only checked: msaudio does not write it
        text = element.value(facts) if element.value else None
        if element.value and text is None:
            continue
        attributes = element.attributes(facts) if element.attributes else {}
        if element.cdata:
            _sub(parent, qualified(element.tag), **attributes).text = etree.CDATA(
                _xml_safe(text or "")
            )
        else:
            _sub(parent, qualified(element.tag), text, **attributes)


# Every field, found by name so that a field added to the model is covered too.
_EPISODE_FIELDS = operator.attrgetter(
    *(f.name for f in dataclasses.fields(Episode) if f.name != "timeline")
)
_TIMELINE_FIELDS = operator.attrgetter(
    *(f.name for f in dataclasses.fields(Timeline) if f.name not in ("chapters", "cues"))
)
_CHAPTER_FIELDS = operator.attrgetter(*(f.name for f in dataclasses.fields(Chapter)))


def _item_inputs(episode: Episode) -> tuple[Any, ...]:
    """What an episode's ``<item>`` can depend on, as plain values: all but its cues."""
    timeline = episode.timeline
    return (
        _EPISODE_FIELDS(episode),
        _TIMELINE_FIELDS(timeline),
        tuple(map(_CHAPTER_FIELDS, timeline.chapters)),
    )


@cache
def _render_version() -> bytes:
    """A digest of the code that shapes the feed, for its stamp."""
    code = code_digest(
        f"{__version__} {etree.LXML_VERSION} {sys.version_info[:2]}",
        [
            Path(module.__file__ or "")
            for module in (sys.modules[__name__], feed_schema, transcript, model, common)
        ],
    )
    return code.digest()


def _self_link(channel: etree._Element, facts: ChannelFacts) -> None:
    href = facts.show.base_url + FEED_NAME
    _sub(channel, qualified("atom:link"), href=href, rel="self", type="application/rss+xml")


def _image(channel: etree._Element, facts: ChannelFacts) -> None:
    image = _sub(channel, "image")
    _sub(image, "url", facts.cover_url)
    _sub(image, "title", facts.show.title)
    _sub(image, "link", facts.show.site_link)


def _itunes_image(channel: etree._Element, facts: ChannelFacts) -> None:
    _sub(channel, qualified("itunes:image"), href=facts.cover_url)


def _category(channel: etree._Element, facts: ChannelFacts) -> None:
    category = _sub(channel, qualified("itunes:category"), text=facts.show.category)
    if facts.show.subcategory:
        _sub(category, qualified("itunes:category"), text=facts.show.subcategory)


def _owner(channel: etree._Element, facts: ChannelFacts) -> None:
    show = facts.show
    if show.owner_name or show.owner_email:
        owner = _sub(channel, qualified("itunes:owner"))
        if show.owner_name:
            _sub(owner, qualified("itunes:name"), show.owner_name)
        if show.owner_email:
            _sub(owner, qualified("itunes:email"), show.owner_email)


_CHANNEL_PARTS: dict[str, Callable[[etree._Element, ChannelFacts], None]] = {
    "atom:link": _self_link,
    "image": _image,
    "itunes:image": _itunes_image,
    "itunes:category": _category,
    "itunes:owner": _owner,
}


def _item(channel: etree._Element, show: Show, episode: Episode) -> None:
    """One ``<item>`` for one episode."""
    item = _sub(channel, "item")
    text = _xml_safe(episode.summary.strip() or episode.title)
    summary = _within(text, DESCRIPTION_LIMIT - 100)
    summary_html = _as_html(summary)
    page_url = _url(show, episode.page_path)
    starts = [clock(chapter.start) for chapter in episode.timeline.chapters]
    notes = _show_notes(episode, summary, summary_html, page_url, starts)
    facts = ItemFacts(
        show, episode, summary, summary_html, notes, _url(show, episode.audio_path), page_url
    )
    _write(item, ITEM, facts, _item_parts(starts))


def _item_parts(starts: list[str]) -> dict[str, Callable[[etree._Element, ItemFacts], None]]:
    """The builders of an item's compound elements; ``starts`` are its chapters' start times
    as :func:`clock` gives them."""

    def transcript(item: etree._Element, facts: ItemFacts) -> None:
        attributes = {"type": "text/vtt", "rel": "captions", "language": facts.show.language}
        _companion(item, "podcast:transcript", facts, facts.episode.transcript_path, attributes)

    def chapters_file(item: etree._Element, facts: ItemFacts) -> None:
        attributes = {"type": "application/json+chapters"}
        _companion(item, "podcast:chapters", facts, facts.episode.chapters_path, attributes)

    def chapters_inline(item: etree._Element, facts: ItemFacts) -> None:
        if facts.episode.timeline.chapters:
            chapters = _sub(item, qualified("psc:chapters"), version="1.2")
            for chapter, start in zip(facts.episode.timeline.chapters, starts, strict=True):
                _sub(chapters, qualified("psc:chapter"), start=start, title=chapter.title)

    return {
        "podcast:transcript": transcript,
        "podcast:chapters": chapters_file,
        "psc:chapters": chapters_inline,
    }


def _companion(
    item: etree._Element, tag: str, facts: ItemFacts, path: str | None, attributes: dict[str, str]
) -> None:
    """A link to one of the episode's files, when it has that file."""
    if path:
        _sub(item, qualified(tag), url=_url(facts.show, path), **attributes)


def _show_notes(
    episode: Episode, summary: str, summary_html: str, page_url: str, starts: list[str]
) -> str:
    """``content:encoded``: the summary, the chapter list and where to read along.

    ``summary_html`` is ``summary`` as HTML and ``starts`` the chapters' start
    times as :func:`clock` gives them. To stay within Apple's limit a long
    summary gives up half the space to the chapters, and then chapters are
    dropped from the end.
    """
    link = html.escape(page_url)
    tail = f'<p><a href="{link}">Read along with the full transcript</a></p>'
    chapters = [
        f"<li>{start.split('.')[0]} {html.escape(chapter.title, quote=False)}</li>"
        for chapter, start in zip(episode.timeline.chapters, starts, strict=True)
    ]
    head = summary_html
    if len((head + "".join(chapters) + tail).encode()) > DESCRIPTION_LIMIT - 40:
        head = _as_html(_within(summary, DESCRIPTION_LIMIT // 2))
    while chapters:
        listing = f"<p>Chapters:</p><ol>{''.join(chapters)}</ol>"
        if len((head + listing + tail).encode()) <= DESCRIPTION_LIMIT:
            return head + listing + tail
        chapters.pop()
    return head + tail


def _within(text: str, limit: int) -> str:
    """``text`` cut at a word so that its HTML form fits in ``limit`` bytes, with "…"."""
    if len(_as_html(text).encode()) <= limit:
        return text
    words = text.split(" ")
    low, high = 0, len(words)
    while low < high:  # longest prefix of words that fits
        middle = (low + high + 1) // 2
        if len(_as_html(" ".join(words[:middle]) + " …").encode()) <= limit:
            low = middle
        else:
            high = middle - 1
    return " ".join(words[:low]).rstrip() + " …"


def _url(show: Show, path: str) -> str:
    """Absolute URL of a file given relative to the output folder."""
    return show.base_url + quote(path.lstrip("/"), safe="/")


def _sub(
    parent: etree._Element, tag: str, content: str | None = None, /, **attributes: str
) -> etree._Element:
    """Append a child element with optional text content and attributes."""
    element = etree.SubElement(parent, tag)
    for name, value in attributes.items():
        element.set(name, value if value.isprintable() else _xml_safe(value))
    if content is not None:
        element.text = content if content.isprintable() else _xml_safe(content)
    return element


def _as_html(text: str) -> str:
    """Plain text as the HTML an RSS ``<description>`` carries: escaped paragraphs.

    Podcast apps render ``<description>`` as HTML, so plain text that merely
    mentions ``<script>`` must be escaped to be shown literally rather than
    interpreted or stripped. ``html.escape`` also turns every ``>`` into
    ``&gt;``, so the result can never contain ``]]>`` and is safe in CDATA.
    """
    paragraphs = [" ".join(p.split()) for p in PARAGRAPH_BREAK.split(text)]
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs if p)


def _xml_safe(text: str) -> str:
    """Drop the few characters XML 1.0 cannot represent, even escaped.

    (All of them are unprintable: ``text.isprintable()`` is a quick way to
    know there is nothing to drop.)
    """
    return _NOT_XML.sub("", text)
