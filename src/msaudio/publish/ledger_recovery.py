"""A lost ledger, rebuilt from what was published, so no episode is silently re-identified.

Deleting ``msaudio-ledger.json`` would give every edited episode a new GUID
and date, and renumber the rest, while subscribers' apps still hold the old
ones. The published ``feed.xml`` holds each episode's GUID, ``pubDate`` and
``itunes:episode``, and names its files (``episodes/<slug>.<hash>.mp3``, the
page ``episodes/<slug>.html``), so the ledger is rebuilt from it, and from the
build record for anything the feed lacks. A feed that cannot be read stops the
build: guessing would re-identify.
"""

from __future__ import annotations

import datetime as dt
import email.utils
from pathlib import Path
from urllib.parse import unquote, urlsplit

from lxml import etree

from msaudio.errors import ConfigError
from msaudio.manifest import MEDIA_NAME, SLUG, Manifest
from msaudio.publish.feed import FEED_NAME, ITUNES_NS
from msaudio.publish.ledger import Ledger

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def load_or_recover(path: Path, out_dir: Path, manifest: Manifest) -> tuple[Ledger, bool]:
    """The ledger at ``path``, or one rebuilt when it is missing; say whether it was rebuilt.

    Nothing published (no feed, no build record) is a new show: an empty ledger.
    """
    if path.exists() or path.is_symlink():
        return Ledger.load(path), False
    feed = out_dir / FEED_NAME
    document: dict[str, dict[str, object]] = {}
    if feed.is_file() and feed.stat().st_size:  # an empty placeholder names no episode
        document = _from_feed(feed, path)
    for slug, (_, episode) in sorted(manifest.entries.items()):
        if slug not in document and episode.guid not in {e["guid"] for e in document.values()}:
            document[slug] = {
                "guid": episode.guid,
                "published": episode.published.isoformat(),
                "number": episode.number or 0,
            }
    if not document:
        return Ledger(path), False
    try:
        return Ledger.from_document(path, document), True
    except ConfigError as error:
        raise ConfigError(
            _lost(f"{FEED_NAME} and the build record disagree ({error.message})"), path
        ) from None


def _from_feed(feed: Path, path: Path) -> dict[str, dict[str, object]]:
    """Slug → ledger entry (as JSON values) for each ``<item>`` of the published feed."""
    try:
        channel = etree.parse(str(feed), _PARSER).getroot().find("channel")
    except (OSError, etree.XMLSyntaxError) as error:
        raise ConfigError(_lost(f"{feed} cannot be read ({error})"), path) from None
    if channel is None:
        raise ConfigError(_lost(f"{feed} has no <channel>"), path)
    document: dict[str, dict[str, object]] = {}
    for index, item in enumerate(channel.iter("item"), 1):
        guid = (item.findtext("guid") or "").strip()
        published = _date(item.findtext("pubDate"))
        slug = _slug(item)
        if not guid or published is None or slug is None or slug in document:
            what = "no GUID" if not guid else "no pubDate" if published is None else "no file name"
            if slug is not None and slug in document:
                what = f"the same episode name '{slug}' as another item"
            raise ConfigError(_lost(f"{feed}: item {index} has {what}"), path)
        number = (item.findtext(f"{{{ITUNES_NS}}}episode") or "").strip()
        document[slug] = {
            "guid": guid,
            "published": published.isoformat(),
            "number": int(number) if number.isdecimal() else 0,
        }
    return document


def _slug(item: etree._Element) -> str | None:
    """The episode name in the item's enclosure URL, else in its page's URL."""
    enclosure = item.find("enclosure")
    urls = [enclosure.get("url", "") if enclosure is not None else "", item.findtext("link") or ""]
    for url in urls:
        name = unquote(urlsplit(url.strip()).path).rsplit("/", 1)[-1]
        match = MEDIA_NAME.fullmatch(name)
        if match is not None:
            return match["slug"]
        stem = name.removesuffix(".html")
        if stem != name and SLUG.fullmatch(stem):
            return stem
    return None


def _date(text: str | None) -> dt.datetime | None:
    try:
        moment = email.utils.parsedate_to_datetime((text or "").strip())
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _lost(problem: str) -> str:
    return (
        f"the ledger is missing and cannot be rebuilt: {problem}; restore it (from git or a "
        "backup), or, to give every episode a new identity, delete the output folder's feed.xml "
        "and build record"
    )
