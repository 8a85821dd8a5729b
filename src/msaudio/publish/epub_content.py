"""The documents of a talking book: the article as XHTML, its nav, its SMIL overlay, the OPF.

The text is laid out from the article's blocks (headings, paragraphs, lists,
quotes, tables), each sentence of the script in an element with its own id;
the overlay has one ``<par>`` per WebVTT cue whose clip is that cue's very
milliseconds (:func:`msaudio.publish.webvtt.vtt_cues`), so a reading
system highlights what the transcript shows, when it shows it. Every value is
the episode's own: the same episode gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, NamedTuple

from msaudio.model import Article, BlockKind, Script, Timeline
from msaudio.publish.pages import html_language
from msaudio.publish.templates import environment
from msaudio.publish.webvtt import TimedText, millisecond_clock, vtt_cues

ACTIVE_CLASS = "-epub-media-overlay-active"
"""The class a reading system gives the element being read (``media:active-class``)."""

SUMMARY = (
    "The article's full text, with every sentence highlighted as the narrator reads it from "
    "the audio inside the book; headings, lists and tables are marked up as such, and the "
    "contents list leads to each chapter."
)

# Characters XML 1.0 cannot carry, and C1 controls: dropped, as the pages drop them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


class Span(NamedTuple):
    """One sentence as the text shows it."""

    id: str
    text: str


class Row(NamedTuple):
    """A table row: its cells, and the id its sentences highlight (none for the header)."""

    id: str | None
    cells: tuple[str, ...]


@dataclass
class Node:
    """A block of the laid-out text: a heading, paragraph, list, quote or table."""

    kind: str
    """``heading``, ``paragraph``, ``list``, ``quote``, ``table``, or a class for the
    paragraphs msaudio adds (``meta`` for the intro, ``credit`` for the outro)."""

    block: int
    """The article block it shows (-1 for msaudio's own sentences)."""

    level: int = 2
    spans: list[Span] = field(default_factory=list)
    """Its sentences; for a table, those of the lead-in (its caption)."""

    items: list[list[Span]] = field(default_factory=list)
    """A list's items; the keys of ``item_of`` say which of the block's items each is."""

    item_of: dict[int, int] = field(default_factory=dict)
    head: tuple[str, ...] = ()
    rows: list[Row] = field(default_factory=list)


class Clip(NamedTuple):
    """One ``<par>``: the element it highlights and the audio it plays."""

    number: int
    target: str
    begin: str
    end: str


@dataclass
class Chapter:
    id: str
    title: str
    nodes: list[Node] = field(default_factory=list)
    clips: list[Clip] = field(default_factory=list)


@dataclass(frozen=True)
class BookInfo:
    """The package metadata of one episode's book."""

    identifier: str
    """A ``urn:uuid:`` that stays the episode's."""

    title: str
    author: str
    language: str
    date: dt.date
    modified: dt.datetime
    """When the book's content was made: the episode's own time, never the clock's."""

    publisher: str


def layout(article: Article, script: Script, timeline: Timeline) -> list[Chapter]:
    """The book's chapters: the article's text with one id per sentence, and the clips.

    ``timeline`` must be the narration of ``script`` (one cue per sentence, in order).
    """
    sentences = script.sentences()
    if len(sentences) != len(timeline.cues):
        raise ValueError(
            f"{len(timeline.cues)} cues for {len(sentences)} sentences: not this script's timeline"
        )
    timed: dict[int, TimedText] = {}
    for shown in vtt_cues(timeline.cues, timeline.duration):
        timed[shown.sentences[0]] = shown  # sentences merged into a cue show in its first's element
    levels = _heading_levels(article)
    chapters: list[Chapter] = []
    index = 0
    clips = 0
    for number, section in enumerate(script.sections, 1):
        chapter = Chapter(f"chapter-{number}", _text(section.title))
        chapters.append(chapter)
        for position, sentence in enumerate(section.sentences):
            cue = timed.get(index)
            index += 1
            if cue is None:
                continue
            sid = f"s{index}"
            target = _place(chapter, article, levels, sentence.block, sentence.item, position)
            text = _NOT_XML.sub("", cue.text)  # already collapsed as the VTT has it
            clips += 1
            if target is None:
                chapter.nodes[-1].spans.append(Span(sid, text))
            elif isinstance(target, list):
                target.append(Span(sid, text))
            else:
                sid = target
            begin, end = millisecond_clock(cue.start), millisecond_clock(cue.end)
            chapter.clips.append(Clip(clips, sid, begin, end))
    return chapters


def _place(
    chapter: Chapter,
    article: Article,
    levels: dict[int, int],
    block: int,
    item: int,
    position: int,
) -> list[Span] | str | None:
    """Where a sentence goes: ``None`` for the spans of the last node, a list of spans
    to add it to, or the id of the table row it reads (which it highlights)."""
    nodes = chapter.nodes
    if block < 0:
        first = chapter.id == "chapter-1" and not nodes
        if first or position == 0:  # the title, or the heading msaudio gives a part
            nodes.append(Node("heading", block, level=1 if first else 2))
        else:
            after = any(node.block >= 0 for node in nodes)
            nodes.append(Node("credit" if after else "meta", block))
        return None
    source = article.blocks[block]
    last = nodes[-1] if nodes and nodes[-1].block == block else None
    if source.kind is BlockKind.HEADING:
        if last is None:
            nodes.append(Node("heading", block, level=levels[source.level]))
        return None
    if source.kind is BlockKind.LIST:
        if last is None:
            last = Node("list", block)
            nodes.append(last)
        if item not in last.item_of:
            last.item_of[item] = len(last.items)
            last.items.append([])
        return last.items[last.item_of[item]]
    if source.kind is BlockKind.TABLE:
        if last is None:
            last = _table(source.rows, source.header, block)
            nodes.append(last)
        if item < 0:
            return last.spans
        row = item - int(source.header)
        if last.rows[row].id is None:
            last.rows[row] = Row(f"s-row-{block}-{item}", last.rows[row].cells)
        return last.rows[row].id
    if last is None:
        nodes.append(Node("quote" if source.kind is BlockKind.QUOTE else "paragraph", block))
    return None


def _table(rows: Sequence[Sequence[str]], header: bool, block: int) -> Node:
    cells = [tuple(_text(cell) for cell in row) for row in rows]
    head = cells[0] if header and cells else ()
    body = cells[1:] if header else cells
    return Node("table", block, head=head, rows=[Row(None, row) for row in body])


def _heading_levels(article: Article) -> dict[int, int]:
    """The article's heading levels as the book's: the title is h1, the top level h2, and
    no level is skipped (an article that jumps from ## to #### gets h2 and h3)."""
    used = sorted({b.level for b in article.blocks if b.kind is BlockKind.HEADING})
    return {level: min(rank + 2, 6) for rank, level in enumerate(used)}


def documents(
    article: Article, script: Script, timeline: Timeline, info: BookInfo, *, cover: bool
) -> dict[str, bytes]:
    """The book's text files by their path in the package (``EPUB/...``); not the media."""
    chapters = layout(article, script, timeline)
    duration = sum(_clip_milliseconds(clip) for chapter in chapters for clip in chapter.clips)
    context: dict[str, Any] = {
        "lang": html_language(info.language),
        "title": _text(info.title),
        "author": _text(info.author),
        "publisher": _text(info.publisher),
        "identifier": info.identifier,
        "date": info.date.isoformat(),
        "modified": info.modified.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "duration": millisecond_clock(duration),
        "summary": SUMMARY,
        "chapters": chapters,
        "cover": cover,
    }
    files = {
        "EPUB/content.xhtml": _render("content.xhtml.j2", context),
        "EPUB/nav.xhtml": _render("nav.xhtml.j2", context),
        "EPUB/content.smil": _render("content.smil.j2", context),
        "EPUB/package.opf": _render("package.opf.j2", context),
    }
    files["EPUB/book.css"] = _data("book.css")
    files["META-INF/container.xml"] = _data("container.xml")
    return files


def _clip_milliseconds(clip: Clip) -> int:
    return _milliseconds(clip.end) - _milliseconds(clip.begin)


def _milliseconds(clock: str) -> int:
    hours, minutes, seconds = clock.split(":")
    whole, millis = seconds.split(".")
    return ((int(hours) * 60 + int(minutes)) * 60 + int(whole)) * 1000 + int(millis)


def _text(text: str) -> str:
    """Whitespace collapsed, and what XML cannot carry dropped."""
    return " ".join(_NOT_XML.sub("", text).split())


def _render(name: str, context: dict[str, Any]) -> bytes:
    return environment("data/epub").get_template(name).render(context).encode("utf-8")


@cache
def _data(name: str) -> bytes:
    from importlib.resources import files

    return files("msaudio").joinpath("data/epub", name).read_bytes()
