"""``msaudio check``: validate a built output folder as podcast directories would.

The rules follow Apple Podcasts' and the Podcast Index's feed validators: a
well-formed RSS 2.0 feed with the channel tags Apple requires, items with a
unique GUID, a real RFC 2822 date and an ``audio/mpeg`` enclosure whose length
and duration match the file, companion transcripts and chapters that parse,
an episode page (``<link>``) that is there and whose links to files of the
folder lead to files that are there (a talking book among them is checked by
:mod:`msaudio.check_epub`), and a cover Apple accepts. Optional
Podcasting 2.0 tags are checked when they are present. Every problem is one
:class:`Problem`; nothing is raised.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TypeVar
from urllib.parse import unquote, urlsplit

import lxml.html
from lxml import etree
from PIL import Image

from msaudio.check_epub import epub_problems
from msaudio.check_rules import chapters_problems, duration_seconds
from msaudio.errors import MsaudioError
from msaudio.publish.cover import check_cover
from msaudio.publish.feed_schema import (
    CHANNEL,
    DESCRIPTION_LIMIT,
    DESCRIPTIONS,
    FEED_NAME,
    ITEM,
    NSMAP,
    Element,
    validate_category,
)
from msaudio.publish.tags import mp3_duration
from msaudio.publish.webvtt import vtt_problems

DURATION_TOLERANCE = 2.0
"""Seconds ``itunes:duration`` may differ from the MP3's measured length."""

_NS = NSMAP
F = TypeVar("F")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the output folder."""

    path: str
    """The file the problem is in, relative to the output folder (``feed.xml``, ``cover.jpg``)."""

    message: str
    """What is wrong, in one line."""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass
class Report:
    """The outcome of checking one output folder."""

    problems: list[Problem] = field(default_factory=list)
    episodes: int = 0
    """How many items the feed lists."""


def check_output(out_dir: Path) -> list[Problem]:
    """Every problem with the feed and the files it points to in ``out_dir``."""
    return validate_output(out_dir).problems


def validate_output(out_dir: Path) -> Report:
    """Check ``out_dir`` (see :func:`check_output`), counting its episodes too."""
    report = Report()
    feed_path = out_dir / FEED_NAME
    if not feed_path.is_file():
        report.problems.append(Problem(FEED_NAME, "missing; run 'msaudio build' first"))
        return report
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = etree.parse(str(feed_path), parser).getroot()
    except etree.XMLSyntaxError as error:
        line, column = error.position
        reason = re.sub(r", line \d+, column \d+$", "", str(error.msg))
        where = f"line {line}, column {column}: {reason}"
        report.problems.append(Problem(FEED_NAME, f"not well-formed XML at {where}"))
        return report
    except OSError as error:
        report.problems.append(Problem(FEED_NAME, f"cannot be read ({error})"))
        return report
    checker = _Checker(out_dir.resolve(), report.problems)
    report.episodes = checker.feed(root)
    return report


class _Checker:
    """Walks one parsed feed, appending problems as it goes."""

    def __init__(self, out_dir: Path, problems: list[Problem]) -> None:
        self.out_dir = out_dir
        self.problems = problems
        self.base: str | None = None
        self.missing: set[str] = set()
        """Files of the folder already reported missing (each is reported once)."""

    def add(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def feed(self, root: etree._Element) -> int:
        """Check the whole feed; return its number of items."""
        if root.tag != "rss" or root.get("version") != "2.0":
            self.add(
                FEED_NAME,
                f"not an RSS 2.0 feed (root <{root.tag}>, version {root.get('version')!r})",
            )
            return 0
        channels = root.findall("channel")
        if len(channels) != 1:
            self.add(FEED_NAME, f"must have exactly one <channel>, not {len(channels)}")
            return 0
        channel = channels[0]
        self.channel(channel)
        items = channel.findall("item")
        guids: dict[str, str] = {}
        for number, item in enumerate(items, 1):
            self.item(item, number, guids)
        return len(items)

    # The channel

    def channel(self, channel: etree._Element) -> None:
        self.rules(channel, CHANNEL, "channel")
        self.self_link(channel)
        self.cover(channel)
        self.category(channel)

    def self_link(self, channel: etree._Element) -> None:
        for link in channel.findall("atom:link", _NS):
            href = link.get("href") or ""
            if link.get("rel") == "self" and href:
                if not _is_http(href):
                    self.add(
                        FEED_NAME, f"channel: atom:link rel=self {href!r} is not an http(s) URL"
                    )
                    return
                self.base = href.rsplit("/", 1)[0] + "/"
                return
        self.add(
            FEED_NAME,
            'channel has no <atom:link rel="self" href="…feed.xml">, '
            "so the files the feed names cannot be found in the folder",
        )

    def cover(self, channel: etree._Element) -> None:
        image = channel.find("itunes:image", _NS)
        href = image.get("href", "") if image is not None else ""
        if not href:
            self.add(FEED_NAME, "channel has no <itunes:image href> (Apple requires cover art)")
            return
        path = self.local(href, "channel itunes:image")
        if path is None:
            return
        name = self.name(path)
        try:
            check_cover(path)
            with Image.open(path) as picture:
                mode = picture.mode
        except MsaudioError as error:
            self.add(name, error.message)
            return
        except OSError as error:
            self.add(name, f"cover cannot be read ({error})")
            return
        if mode != "RGB":
            self.add(name, f"cover must be in RGB colour, not {mode}")

    def category(self, channel: etree._Element) -> None:
        categories = channel.findall("itunes:category", _NS)
        if not categories:
            self.add(FEED_NAME, "channel has no <itunes:category>")
        for element in categories:
            subs = element.findall("itunes:category", _NS)
            names = [element.get("text", ""), *(sub.get("text", "") for sub in subs)]
            try:
                validate_category(names[0], names[1] if len(names) > 1 else None)
            except MsaudioError as error:
                self.add(FEED_NAME, f"channel itunes:category: {error.message}")

    # Items

    def item(self, item: etree._Element, number: int, guids: dict[str, str]) -> None:
        title = _text(item, "title")
        where = f"item {title!r}" if title else f"item {number}"
        self.rules(item, ITEM, where)
        guid = _text(item, "guid")
        if guid and guid in guids:
            self.add(FEED_NAME, f"{where}: guid {guid!r} is also the guid of {guids[guid]}")
        elif guid:
            guids[guid] = where
        self.descriptions(item, where)
        for person in item.findall("podcast:person", _NS):
            if not (person.text or "").strip():
                self.add(FEED_NAME, f"{where}: podcast:person has no name")
        duration = self.enclosure(item, where)
        self.transcripts(item, where)
        self.chapters(item, where, duration)
        self.page(item, where, duration)

    def rules(self, parent: etree._Element, schema: Sequence[Element[F]], where: str) -> None:
        """The schema's own rules: each required element there, each element's text right."""
        for element in schema:
            text = _text(parent, element.tag)
            if text is None or (not text and element.required):
                if element.required:
                    self.add(FEED_NAME, f"{where} has no <{element.tag}>{element.hint}")
                continue
            problem = element.check(text) if element.check else None
            if problem:
                self.add(FEED_NAME, f"{where}: {element.tag} {problem}")

    def descriptions(self, item: etree._Element, where: str) -> None:
        texts = {tag: _text(item, tag) for tag in DESCRIPTIONS}
        if not any(texts.values()):
            self.add(FEED_NAME, f"{where} has no <description>")
        for tag, text in texts.items():
            size = len((text or "").encode("utf-8"))
            if size > DESCRIPTION_LIMIT:
                self.add(
                    FEED_NAME,
                    f"{where}: {tag} is {size} bytes, over the {DESCRIPTION_LIMIT}-byte limit",
                )

    def enclosure(self, item: etree._Element, where: str) -> float | None:
        """Check the enclosure and the MP3 behind it; return the MP3's duration."""
        enclosures = item.findall("enclosure")
        if len(enclosures) != 1:
            self.add(FEED_NAME, f"{where} must have exactly one <enclosure>, not {len(enclosures)}")
            return None
        enclosure = enclosures[0]
        kind = enclosure.get("type")
        if kind != "audio/mpeg":
            self.add(FEED_NAME, f"{where}: enclosure type is {kind!r}, not 'audio/mpeg'")
        url = enclosure.get("url", "")
        if not url:
            self.add(FEED_NAME, f"{where}: enclosure has no url")
            return None
        path = self.local(url, f"{where}: enclosure")
        if path is None:
            return None
        name = self.name(path)
        length = enclosure.get("length", "")
        actual = path.stat().st_size
        if not length.isdigit():
            self.add(FEED_NAME, f"{where}: enclosure length {length!r} is not a number of bytes")
        elif int(length) != actual:
            self.add(FEED_NAME, f"{where}: enclosure length {length} but {name} is {actual} bytes")
        try:
            measured = mp3_duration(path)
        except MsaudioError as error:
            self.add(name, error.message)
            return None
        stated = _text(item, "itunes:duration")
        if not stated:
            self.add(FEED_NAME, f"{where} has no <itunes:duration>")
            return measured
        seconds = duration_seconds(stated)
        if seconds is None:
            self.add(
                FEED_NAME, f"{where}: itunes:duration {stated!r} is neither seconds nor HH:MM:SS"
            )
        elif abs(seconds - measured) > DURATION_TOLERANCE:
            self.add(
                FEED_NAME,
                f"{where}: itunes:duration says {seconds:g} s but {name} lasts {measured:.1f} s",
            )
        return measured

    def transcripts(self, item: etree._Element, where: str) -> None:
        for element in item.findall("podcast:transcript", _NS):
            url = element.get("url", "")
            kind = element.get("type", "")
            if not url or not kind:
                self.add(FEED_NAME, f"{where}: podcast:transcript needs both url and type")
                continue
            path = self.local(url, f"{where}: transcript")
            if path is not None and (kind == "text/vtt" or path.suffix.lower() == ".vtt"):
                self.companion(path, vtt_problems)

    def chapters(self, item: etree._Element, where: str, duration: float | None) -> None:
        for element in item.findall("podcast:chapters", _NS):
            url = element.get("url", "")
            kind = element.get("type", "")
            if kind != "application/json+chapters":
                self.add(
                    FEED_NAME,
                    f"{where}: podcast:chapters type is {kind!r}, not 'application/json+chapters'",
                )
            if not url:
                self.add(FEED_NAME, f"{where}: podcast:chapters has no url")
                continue
            path = self.local(url, f"{where}: chapters")
            if path is not None:
                self.companion(path, lambda text: chapters_problems(text, duration))

    def page(self, item: etree._Element, where: str, duration: float | None) -> None:
        """The episode's page, when the feed links to one in the folder, and what it links
        to (a talking book it links to is checked against the episode's ``duration``)."""
        link = _text(item, "link")
        if not link or self.base is None or not link.startswith(self.base):
            return  # no page, or one on another site: not this folder's to check
        path = self.local(link, f"{where}: episode page")
        if path is None:
            return
        try:
            document = lxml.html.parse(str(path)).getroot()
        except (OSError, etree.ParserError) as error:
            self.add(self.name(path), f"cannot be read as HTML ({error})")
            return
        links = []
        for _, _, target, _ in document.iterlinks():
            parts = urlsplit(target)
            if not (parts.scheme or parts.netloc or not parts.path):  # not another site's
                links.append((path.parent / unquote(parts.path)).resolve())
        ours = [p for p in links if p.is_relative_to(self.out_dir) and p.is_file()]
        # A book goes with the MP3 its own page plays: between the page's switch and the
        # feed's, a rebuild has already published both of a new version the feed is yet to name.
        played = {p for p in ours if p.suffix == ".mp3"}
        if len(played) == 1:
            with contextlib.suppress(MsaudioError):  # a broken MP3 is the feed's to report
                duration = mp3_duration(played.pop())
        for linked in links:
            if linked in ours and linked.suffix == ".epub":
                for message in epub_problems(linked, duration):
                    self.add(self.name(linked), message)
            if not linked.is_relative_to(self.out_dir) or linked.is_file():
                continue
            name = self.name(linked)
            if name not in self.missing:
                self.missing.add(name)
                self.add(self.name(path), f"links to {name}, which is missing")

    def companion(self, path: Path, problems_of: Callable[[str], list[str]]) -> None:
        name = self.name(path)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError:
            self.add(name, "not UTF-8 text")
            return
        for message in problems_of(text):
            self.add(name, message)

    # Files of the folder

    def local(self, url: str, what: str) -> Path | None:
        """The file in the output folder that ``url`` names, if it is there."""
        if self.base is None:
            return None  # already reported once, as the missing self link
        if not url.startswith(self.base):
            self.add(FEED_NAME, f"{what} {url} is not under the feed's base URL {self.base}")
            return None
        relative = unquote(urlsplit(url[len(self.base) :]).path)
        parts = PurePosixPath(relative).parts
        path = self.out_dir.joinpath(*parts)
        if ".." in parts or not path.resolve().is_relative_to(self.out_dir):
            self.add(FEED_NAME, f"{what} {url} points outside the output folder")
            return None
        if not path.is_file():
            if relative not in self.missing:
                self.missing.add(relative)
                self.add(FEED_NAME, f"{what} {relative} is missing")
            return None
        return path

    def name(self, path: Path) -> str:
        return path.relative_to(self.out_dir).as_posix()


def _text(parent: etree._Element, tag: str) -> str | None:
    """The stripped text of the first child ``tag`` (prefixed names allowed), or ``None``."""
    element = parent.find(tag, _NS)
    if element is None:
        return None
    return (element.text or "").strip()


def _is_http(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and bool(parts.netloc)
