"""The feed's grammar as one table, read by :mod:`msaudio.publish.feed` to
render and by :mod:`msaudio.check` to validate, so each rule is written once.

Like podcastparser's ``MAPPING``, a row names an element; here it also says
where its value comes from (``value``: ``None`` when msaudio never writes
it), whether it is required and how its text is checked. Elements with
children (``compound``) are built by code of their own; what can only be
checked against the folder's files (enclosure, duration, cover, links) is
checked by :mod:`msaudio.check` after the table's rules.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Generic, TypeVar

from msaudio import __version__
from msaudio.check_rules import rfc2822_problem
from msaudio.config_checks import is_language_tag, url_problem
from msaudio.errors import ConfigError
from msaudio.model import Episode, Show
from msaudio.publish.common import utc

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

MEDIUMS = frozenset(
    {"podcast", "music", "video", "film", "audiobook", "newsletter", "blog", "publisher", "course"}
)
"""``podcast:medium`` values; each may also end in ``L`` (a list of feeds)."""


@dataclass(frozen=True)
class ChannelFacts:
    """What the channel's values come from."""

    show: Show
    cover_url: str
    newest: Episode | None


@dataclass(frozen=True)
class ItemFacts:
    """What an item's values come from: the episode and the texts made of it."""

    show: Show
    episode: Episode
    summary: str
    summary_html: str
    notes: str
    enclosure_url: str
    page_url: str


F = TypeVar("F")
Check = Callable[[str], str | None]
"""Why an element's text is wrong, as words following its tag name, or ``None``."""


@dataclass(frozen=True)
class Element(Generic[F]):
    """One row of the table: an element of the channel or of an item."""

    tag: str
    """Its name, with a namespace prefix of :data:`NSMAP` when it has one."""

    value: Callable[[F], str | None] | None = None
    """Its text from the facts (``None`` from it: left out); no function: it has none, and
    with no ``attributes`` either it is only checked, never written."""

    required: bool = False
    check: Check | None = None
    attributes: Callable[[F], dict[str, str]] | None = None
    cdata: bool = False
    """Whether its text is HTML carried in a CDATA section."""

    hint: str = ""
    """Said after "has no <tag>" when a required element is missing."""

    compound: bool = False
    """Built by code of its own (it has children, or a file's contents)."""


def rfc2822(moment: dt.datetime) -> str:
    """RFC 2822 date in GMT, e.g. ``Wed, 01 May 2024 12:00:00 GMT``."""
    return email.utils.format_datetime(utc(moment).replace(microsecond=0), usegmt=True)


def podcast_guid(feed_url: str) -> uuid.UUID:
    """The Podcast Index GUID of a feed: UUIDv5 of its URL without scheme or trailing slash."""
    bare = re.sub(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", "", feed_url.strip()).rstrip("/")
    return uuid.uuid5(PODCAST_GUID_NAMESPACE, bare)


def true_false(value: bool) -> str:
    return "true" if value else "false"


def _one_of(*allowed: str) -> Check:
    def check(text: str) -> str | None:
        return None if text in allowed else f"is {text!r}, not one of {', '.join(allowed)}"

    return check


def _date(text: str) -> str | None:
    problem = rfc2822_problem(text)
    return f"{text!r} {problem}" if problem else None


def _explicit(text: str) -> str | None:
    return None if text in ("true", "false") else f"is {text!r}, not 'true' or 'false'"


def _web_link(text: str) -> str | None:
    problem = url_problem(text)
    return None if problem is None else f"{text!r} is not {problem}"


def _language(text: str) -> str | None:
    return None if is_language_tag(text) else f"{text!r} is not a language code like 'en-us'"


def _uuid(text: str) -> str | None:
    try:
        uuid.UUID(text)
    except ValueError:
        return f"{text!r} is not a UUID"
    return None


def _medium(text: str) -> str | None:
    if text.removesuffix("L") in MEDIUMS:
        return None
    return f"{text!r} is not one of {', '.join(sorted(MEDIUMS))}"


def _positive(text: str) -> str | None:
    if text.isdigit() and int(text) > 0:
        return None
    return f"{text!r} is not a positive whole number"


def _author(facts: ItemFacts) -> str:
    return facts.episode.author or facts.show.author


def _built(facts: ChannelFacts) -> str | None:
    """The newest episode's date, not the clock's, so an unchanged show renders the same."""
    return rfc2822(facts.newest.published) if facts.newest else None


def _locked(facts: ChannelFacts) -> dict[str, str]:
    return {"owner": facts.show.owner_email} if facts.show.owner_email else {}


CHANNEL: tuple[Element[ChannelFacts], ...] = (
    Element("title", lambda f: f.show.title, required=True),
    Element("link", lambda f: f.show.site_link, required=True, check=_web_link),
    Element("description", lambda f: f.show.description, required=True),
    Element("language", lambda f: f.show.language, required=True, check=_language),
    Element("atom:link", compound=True),
    Element("copyright", lambda f: f.show.copyright or f"© {f.show.author}"),
    Element("generator", lambda f: f"msaudio {__version__}"),
    Element("image", compound=True),
    Element("itunes:image", compound=True),
    Element("itunes:category", compound=True),
    Element(
        "itunes:explicit",
        lambda f: true_false(f.show.explicit),
        required=True,
        check=_explicit,
        hint=" (true or false)",
    ),
    Element("itunes:author", lambda f: f.show.author, required=True),
    Element("itunes:owner", compound=True),
    Element("itunes:type", lambda f: "episodic", check=_one_of("episodic", "serial")),
    Element("podcast:guid", lambda f: str(podcast_guid(f.show.base_url + FEED_NAME)), check=_uuid),
    Element("podcast:medium", lambda f: "podcast", check=_medium),
    Element(
        "podcast:locked",
        lambda f: "yes" if f.show.locked else "no",
        check=_one_of("yes", "no"),
        attributes=_locked,
    ),
    Element("pubDate", check=_date),
    Element("lastBuildDate", lambda f: _built(f), check=_date),
)
"""The channel's elements, in the order they are written (its items follow)."""

ITEM: tuple[Element[ItemFacts], ...] = (
    Element("title", lambda f: f.episode.title, required=True),
    Element(
        "guid",
        lambda f: f.episode.guid,
        required=True,
        attributes=lambda f: {"isPermaLink": "false"},
    ),
    Element("pubDate", lambda f: rfc2822(f.episode.published), required=True, check=_date),
    Element(
        "enclosure",
        attributes=lambda f: {
            "url": f.enclosure_url,
            "length": str(f.episode.audio_size),
            "type": "audio/mpeg",
        },
    ),
    Element("description", lambda f: f.summary_html, cdata=True),
    Element("content:encoded", lambda f: f.notes, cdata=True),
    Element("itunes:summary", lambda f: f.summary),
    Element("itunes:duration", lambda f: str(round(f.episode.timeline.duration))),
    Element("itunes:author", _author),
    Element("itunes:explicit", lambda f: true_false(f.show.explicit), check=_explicit),
    Element("itunes:episodeType", lambda f: "full", check=_one_of("full", "trailer", "bonus")),
    Element(
        "itunes:episode",
        lambda f: str(f.episode.number) if f.episode.number else None,
        check=_positive,
    ),
    Element("link", lambda f: f.page_url, check=_web_link),
    Element(
        "podcast:person",
        _author,
        attributes=lambda f: {"role": "author", "group": "writing"},
    ),
    Element("podcast:transcript", compound=True),
    Element("podcast:chapters", compound=True),
    Element("psc:chapters", compound=True),
)
"""An item's elements, in the order they are written."""

DESCRIPTIONS = ("description", "itunes:summary", "content:encoded")
"""An item's descriptions: at least one is required, each within :data:`DESCRIPTION_LIMIT`."""


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


def qualified(tag: str) -> str:
    """``prefix:name`` as lxml's ``{namespace}name``."""
    prefix, colon, name = tag.partition(":")
    return f"{{{NSMAP[prefix]}}}{name}" if colon else tag
