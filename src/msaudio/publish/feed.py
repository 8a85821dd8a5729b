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
import datetime as dt
import email.utils
import html
import operator
import re
import sys
import uuid
from collections.abc import Sequence
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lxml import etree

from msaudio import __version__, model
from msaudio.errors import ConfigError
from msaudio.model import Chapter, Episode, Show, Timeline
from msaudio.publish import common, transcript
from msaudio.publish.atomic import digest, restamp, stamped, write_bytes_atomic
from msaudio.publish.common import PARAGRAPH_BREAK, code_digest, utc
from msaudio.publish.transcript import clock

ITUNES_NS = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ATOM_NS = "http://www.w3.org/2005/Atom"
PODCAST_NS = "https://podcastindex.org/namespace/1.0"
PSC_NS = "http://podlove.org/simple-chapters"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
FEED_NAME = "feed.xml"
NSMAP = {
    "itunes": ITUNES_NS,
    "atom": ATOM_NS,
    "content": CONTENT_NS,
    "podcast": PODCAST_NS,
    "psc": PSC_NS,
}
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
"""The Podcast Index namespace's fixed UUID for deriving ``podcast:guid``."""

DESCRIPTION_LIMIT = 4000
"""Most bytes Apple shows of a description; longer ones are cut at a word."""

# Characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR,
# lone surrogates, U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@cache
def apple_categories() -> dict[str, tuple[str, ...]]:
    """Apple Podcasts categories and their subcategories, from the data file."""
    text = files("msaudio").joinpath("data/apple_categories.txt").read_text(encoding="utf-8")
    categories: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line[0].isspace():
            if current is not None:
                current.append(line.strip())
        else:
            current = categories.setdefault(line.strip(), [])
    return {name: tuple(subs) for name, subs in categories.items()}


def validate_category(category: str, subcategory: str | None) -> None:
    """Raise :class:`ConfigError` unless the pair is in Apple's category list.

    The message lists the valid choices for the level that is wrong.
    """
    known = apple_categories()
    if category not in known:
        raise ConfigError(
            f"unknown Apple Podcasts category {category!r}; choose one of: {', '.join(known)}"
        )
    if subcategory is None:
        return
    subs = known[category]
    if not subs:
        raise ConfigError(
            f"Apple Podcasts category {category!r} has no subcategories; "
            f"leave the subcategory out (got {subcategory!r})"
        )
    if subcategory not in subs:
        raise ConfigError(
            f"unknown subcategory {subcategory!r} of Apple Podcasts category {category!r}; "
            f"choose one of: {', '.join(subs)}"
        )


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
    _channel_head(channel, show, cover_url)
    if ordered:
        _sub(channel, "lastBuildDate", _rfc2822(ordered[0].published))
    for episode in ordered:
        _item(channel, show, episode)
    return etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)


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
            for module in (sys.modules[__name__], transcript, model, common)
        ],
    )
    return code.digest()


def _channel_head(channel: etree._Element, show: Show, cover_url: str) -> None:
    """Everything the channel says about the show itself."""
    _sub(channel, "title", show.title)
    _sub(channel, "link", show.site_link)
    _sub(channel, "description", show.description)
    _sub(channel, "language", show.language)
    _sub(
        channel,
        _atom("link"),
        href=show.base_url + FEED_NAME,
        rel="self",
        type="application/rss+xml",
    )
    _sub(channel, "copyright", show.copyright or f"© {show.author}")
    _sub(channel, "generator", f"msaudio {__version__}")
    image = _sub(channel, "image")
    _sub(image, "url", cover_url)
    _sub(image, "title", show.title)
    _sub(image, "link", show.site_link)
    _sub(channel, _itunes("image"), href=cover_url)
    category = _sub(channel, _itunes("category"), text=show.category)
    if show.subcategory:
        _sub(category, _itunes("category"), text=show.subcategory)
    _sub(channel, _itunes("explicit"), _bool(show.explicit))
    _sub(channel, _itunes("author"), show.author)
    if show.owner_name or show.owner_email:
        owner = _sub(channel, _itunes("owner"))
        if show.owner_name:
            _sub(owner, _itunes("name"), show.owner_name)
        if show.owner_email:
            _sub(owner, _itunes("email"), show.owner_email)
    _sub(channel, _itunes("type"), "episodic")
    _sub(channel, _podcast("guid"), str(podcast_guid(show.base_url + FEED_NAME)))
    _sub(channel, _podcast("medium"), "podcast")
    locked = _sub(channel, _podcast("locked"), "yes" if show.locked else "no")
    if show.owner_email:
        locked.set("owner", show.owner_email)


def podcast_guid(feed_url: str) -> uuid.UUID:
    """The Podcast Index GUID of a feed: UUIDv5 of its URL without scheme or trailing slash."""
    bare = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", feed_url.strip()).rstrip("/")
    return uuid.uuid5(PODCAST_GUID_NAMESPACE, bare)


def _item(channel: etree._Element, show: Show, episode: Episode) -> None:
    """One ``<item>`` for one episode."""
    item = _sub(channel, "item")
    _sub(item, "title", episode.title)
    _sub(item, "guid", episode.guid, isPermaLink="false")
    _sub(item, "pubDate", _rfc2822(episode.published))
    _sub(
        item,
        "enclosure",
        url=_url(show, episode.audio_path),
        length=str(episode.audio_size),
        type="audio/mpeg",
    )
    text = _xml_safe(episode.summary.strip() or episode.title)
    summary = _within(text, DESCRIPTION_LIMIT - 100)
    summary_html = _as_html(summary)
    page_url = _url(show, episode.page_path)
    starts = [clock(chapter.start) for chapter in episode.timeline.chapters]
    description = _sub(item, "description")
    description.text = etree.CDATA(_xml_safe(summary_html))
    encoded = _sub(item, _content("encoded"))
    notes = _show_notes(episode, summary, summary_html, page_url, starts)
    encoded.text = etree.CDATA(_xml_safe(notes))
    _sub(item, _itunes("summary"), summary)
    _sub(item, _itunes("duration"), str(round(episode.timeline.duration)))
    _sub(item, _itunes("author"), episode.author or show.author)
    _sub(item, _itunes("explicit"), _bool(show.explicit))
    _sub(item, _itunes("episodeType"), "full")
    if episode.number:
        _sub(item, _itunes("episode"), str(episode.number))
    _sub(item, "link", page_url)
    _sub(item, _podcast("person"), episode.author or show.author, role="author", group="writing")
    _companions(item, show, episode, starts)


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


def _companions(item: etree._Element, show: Show, episode: Episode, starts: list[str]) -> None:
    """The episode's transcript and chapters files, when it has them.

    ``starts`` are the chapters' start times as :func:`clock` gives them.
    """
    captions = {"type": "text/vtt", "rel": "captions", "language": show.language}
    for name, path, attributes in (
        ("transcript", episode.transcript_path, captions),
        ("chapters", episode.chapters_path, {"type": "application/json+chapters"}),
    ):
        if path:
            _sub(item, _podcast(name), url=_url(show, path), **attributes)
    if episode.timeline.chapters:
        chapters = _sub(item, _psc("chapters"), version="1.2")
        for chapter, start in zip(episode.timeline.chapters, starts, strict=True):
            _sub(chapters, _psc("chapter"), start=start, title=chapter.title)


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


def _itunes(name: str) -> str:
    return f"{{{ITUNES_NS}}}{name}"


def _atom(name: str) -> str:
    return f"{{{ATOM_NS}}}{name}"


def _podcast(name: str) -> str:
    return f"{{{PODCAST_NS}}}{name}"


def _content(name: str) -> str:
    return f"{{{CONTENT_NS}}}{name}"


def _psc(name: str) -> str:
    return f"{{{PSC_NS}}}{name}"


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _rfc2822(moment: dt.datetime) -> str:
    """RFC 2822 date in GMT, e.g. ``Wed, 01 May 2024 12:00:00 GMT``."""
    return email.utils.format_datetime(utc(moment).replace(microsecond=0), usegmt=True)
