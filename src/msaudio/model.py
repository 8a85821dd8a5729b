"""Plain data passed from one stage to the next. Every type is frozen."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class BlockKind(StrEnum):
    """What a block of an article is."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST = "list"
    QUOTE = "quote"
    IMAGE = "image"
    TABLE = "table"


@dataclass(frozen=True)
class Block:
    """One structural piece of an article's body."""

    kind: BlockKind
    """Heading, paragraph, list, quote, image (alt text) or table."""

    text: str = ""
    """Plain text of the block; for a list, empty (see ``items``)."""

    level: int = 0
    """Heading level 1-6 for headings, 0 otherwise."""

    items: tuple[str, ...] = ()
    """List entries, in order, for list blocks."""

    rows: tuple[tuple[str, ...], ...] = ()
    """Cells of a table block, row by row (every row as long as the longest)."""

    header: bool = False
    """Whether the first of ``rows`` is a header row naming the columns."""


@dataclass(frozen=True)
class VoiceChoice:
    """Engine, voice and speed chosen for one episode (front matter) or one run (flags).

    ``None`` keeps what the layer below chose: run flags win over an episode's
    front matter, which wins over ``podcast.toml``."""

    engine: str | None = None
    """Registered engine name."""

    voice: str | None = None
    """Engine-specific voice name or model path."""

    speed: float | None = None
    """Speaking rate, 0.5-2.0."""


@dataclass(frozen=True)
class Article:
    """An article as read from ``episodes/``, before narration."""

    source: Path
    """The file it was read from."""

    slug: str
    """URL-safe ASCII name used for every output file of the episode."""

    title: str
    """Episode title."""

    blocks: tuple[Block, ...]
    """Body in reading order."""

    author: str | None = None
    """Byline, when the article names one."""

    date: dt.date | None = None
    """Date the article gives for itself, when it gives one."""

    summary: str | None = None
    """One-paragraph description; derived from the body when absent."""

    credit: str | None = None
    """Where the article comes from (a publication's name, never a URL)."""

    shared_by: str | None = None
    """Who passed the article on ("Information shared by …"), when that is said."""

    guid: str | None = None
    """A GUID fixed by the producer in front matter; wins over the ledger's."""

    tags: tuple[str, ...] = ()
    """Keywords from front matter."""

    voice: VoiceChoice = field(default_factory=VoiceChoice)
    """Engine, voice and speed the article's front matter asks for."""


@dataclass(frozen=True)
class CleanupRules:
    """A show's own boilerplate rules (``[cleanup]`` in ``podcast.toml``)."""

    drop: tuple[str, ...] = ()
    """Extra regular expressions: a line or paragraph matching one is never read."""

    keep: tuple[str, ...] = ()
    """Regular expressions for lines that must be read even if they look like boilerplate."""


class Pause(StrEnum):
    """The pause that follows a sentence."""

    SENTENCE = "sentence"
    PARAGRAPH = "paragraph"
    SECTION = "section"


@dataclass(frozen=True)
class Sentence:
    """One unit of speech: what the transcript shows and what the engine says."""

    display: str
    """Text as the reader sees it (transcript)."""

    spoken: str
    """Text sent to the speech engine."""

    pause: Pause = Pause.SENTENCE
    """Silence that follows it."""

    block: int = -1
    """Index in :attr:`Article.blocks` of the block it reads; -1 for what msaudio adds
    (the intro, a part's heading, the credits), so the talking book can lay it out."""

    item: int = 0
    """Within that block, the list item or table row it reads (-1: a table's lead-in)."""


@dataclass(frozen=True)
class Section:
    """A chapter of the episode."""

    title: str
    """Chapter title."""

    sentences: tuple[Sentence, ...]
    """What is said in this chapter, in order (a spoken heading included)."""


@dataclass(frozen=True)
class Script:
    """Everything the narrator will say, in order, grouped into chapters."""

    title: str
    """Episode title."""

    sections: tuple[Section, ...]
    """Chapters in order; the intro opens the first, the outro closes the last."""

    overview: int | None = None
    """Index in :meth:`sentences` of the intro sentence giving the episode's length.

    The length is only known once the rest is spoken, so narration says this
    sentence last and plays it in its place."""

    def sentences(self) -> list[Sentence]:
        """Every sentence of the script in reading order."""
        return [s for section in self.sections for s in section.sentences]


@dataclass(frozen=True)
class Cue:
    """When one sentence is heard in the written audio."""

    start: float
    """Seconds from the start of the decoded audio."""

    end: float
    """Seconds from the start of the decoded audio."""

    text: str
    """Display text of the sentence."""


@dataclass(frozen=True)
class Chapter:
    """When one section is heard in the written audio."""

    title: str
    start: float
    """Seconds from the start of the decoded audio."""
    end: float
    """Seconds from the start of the decoded audio."""


@dataclass(frozen=True)
class Timeline:
    """Timing measured from the samples actually written."""

    duration: float
    """Length of the audio in seconds."""

    chapters: tuple[Chapter, ...] = ()
    cues: tuple[Cue, ...] = ()


@dataclass(frozen=True)
class Episode:
    """A published episode: everything the feed, tags and pages need."""

    slug: str
    title: str
    guid: str
    """Permanent identifier from the ledger (or front matter)."""

    published: dt.datetime
    """First publication time, timezone-aware, from the ledger."""

    audio_path: str
    """Path of the MP3 relative to the output folder, with ``/`` separators."""

    audio_size: int
    """Exact byte length of the MP3."""

    timeline: Timeline
    author: str | None = None
    summary: str = ""
    """Plain-text description."""

    date: dt.date | None = None
    """Date the article gives for itself."""

    transcript_path: str | None = None
    """WebVTT transcript relative to the output folder (``episodes/<slug>.vtt``)."""

    chapters_path: str | None = None
    """Podcasting 2.0 JSON chapters relative to the output folder."""

    number: int | None = None
    """Episode number (``itunes:episode``), permanent, from the ledger."""

    book_path: str | None = None
    """EPUB 3 talking book (text with Media Overlays) relative to the output folder."""

    @property
    def page_path(self) -> str:
        """The episode's accessible web page, relative to the output folder."""
        return f"episodes/{self.slug}.html"


@dataclass(frozen=True)
class Show:
    """The podcast as configured in ``podcast.toml``."""

    title: str
    description: str
    author: str
    base_url: str
    """Absolute URL the output folder is served from; always ends with ``/``."""

    language: str = "en-us"
    link: str | None = None
    """Website of the show; the base URL when absent."""

    category: str = "Health & Fitness"
    subcategory: str | None = "Medicine"
    explicit: bool = False
    locked: bool = False
    """``podcast:locked``: true asks podcast hosts not to import the feed elsewhere."""

    cover: Path | None = None
    """Cover image given by the producer; generated from the title when absent."""

    owner_name: str | None = None
    owner_email: str | None = None
    copyright: str | None = None
    keywords: tuple[str, ...] = field(default=())

    @property
    def site_link(self) -> str:
        return self.link or self.base_url
