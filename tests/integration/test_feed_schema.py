"""The feed schema is the one source of the feed's rules: what feed.py writes,
check finds wrong when it is missing or broken.

Cases are made from the table itself, so a row added to it is covered too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from msaudio.check import check_output
from msaudio.publish.feed_schema import CHANNEL, ITEM, NSMAP, qualified
from tests.integration.test_check import TITLE, built, edit_feed, item_of, lines_of, out

__all__ = ["built", "out"]  # the fixtures, shared with test_check

REQUIRED = [("channel", e.tag) for e in CHANNEL if e.required] + [
    ("item", e.tag) for e in ITEM if e.required
]

# A wrong text for every element the table checks, and the line check prints for it.
WRONG = {
    # well-formed-looking but not BCP 47 (a second region): an independent probe of issue 21
    ("channel", "language"): ("xx-yy-zz", "channel: language 'xx-yy-zz' is not"),
    ("channel", "link"): ("http://example.org/a b/", "channel: link 'http://example.org/a b/' is"),
    ("item", "link"): ("http://example.org/p#top", "item: link 'http://example.org/p#top' is"),
    ("channel", "itunes:explicit"): ("yes", "channel: itunes:explicit is 'yes', not 'true'"),
    ("channel", "itunes:type"): ("daily", "channel: itunes:type is 'daily', not one of"),
    ("channel", "podcast:guid"): ("1234", "channel: podcast:guid '1234' is not a UUID"),
    ("channel", "podcast:medium"): ("radio", "channel: podcast:medium 'radio' is not one of"),
    ("channel", "podcast:locked"): ("maybe", "channel: podcast:locked is 'maybe', not one of"),
    ("channel", "pubDate"): ("Mon, 02 Oct 2026 09:00:00 GMT", "channel: pubDate 'Mon, 02 Oct"),
    ("channel", "lastBuildDate"): ("yesterday", "channel: lastBuildDate 'yesterday' is not"),
    ("item", "pubDate"): ("2026-10-01", "item: pubDate '2026-10-01' is not an RFC 2822"),
    ("item", "itunes:explicit"): ("clean", "item: itunes:explicit is 'clean', not 'true'"),
    ("item", "itunes:episodeType"): ("teaser", "item: itunes:episodeType is 'teaser', not"),
    ("item", "itunes:episode"): ("0", "item: itunes:episode '0' is not a positive whole"),
}


def _parent(channel: etree._Element, scope: str) -> etree._Element:
    return channel if scope == "channel" else item_of(channel)


def _where(scope: str) -> str:
    return "channel" if scope == "channel" else f"item {TITLE!r}"


def test_every_checked_element_has_a_wrong_case() -> None:
    checked = {("channel", e.tag) for e in CHANNEL if e.check} | {
        ("item", e.tag) for e in ITEM if e.check
    }
    assert checked == set(WRONG)


@pytest.mark.parametrize(("scope", "tag"), REQUIRED, ids=lambda value: str(value))
def test_a_required_element_missing_is_named(out: Path, scope: str, tag: str) -> None:
    def change(channel: etree._Element) -> None:
        parent = _parent(channel, scope)
        for element in parent.findall(tag, NSMAP):
            parent.remove(element)

    edit_feed(out, change)
    # An item without a title is named by its place in the feed (the second, newest first).
    where = "item 2" if (scope, tag) == ("item", "title") else _where(scope)
    problems = lines_of(check_output(out))
    assert any(line.startswith(f"feed.xml: {where} has no <{tag}>") for line in problems), problems


@pytest.mark.parametrize(("scope", "tag"), sorted(WRONG), ids=lambda value: str(value))
def test_a_wrong_text_is_named(out: Path, scope: str, tag: str) -> None:
    text, expected = WRONG[scope, tag]

    def change(channel: etree._Element) -> None:
        parent = _parent(channel, scope)
        element = parent.find(tag, NSMAP)
        if element is None:
            element = etree.SubElement(parent, qualified(tag))
        element.text = text

    edit_feed(out, change)
    expected = expected.replace("item:", f"item {TITLE!r}:", 1)
    problems = lines_of(check_output(out))
    assert any(line.startswith(f"feed.xml: {expected}") for line in problems), problems
