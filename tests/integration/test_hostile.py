"""An article written to break XML and HTML: feed and pages must show it literally."""

from __future__ import annotations

from pathlib import Path

import feedparser
import lxml.html
import podcastparser
from lxml import etree

from msaudio.build import build_show
from msaudio.config import load_config
from tests.helpers import NOW, ToneEngine

TITLE = "Fish & chips <b> \"quoted\" 'single' ]]> </item> <script>alert(1)</script>"
SENTENCE = 'Some writers type <script>alert("x")</script> into notes & forget it.'
SHOW_TOML = """\
[show]
title = "Tom & Jerry's <Show> ]]>"
description = "A \\"show\\" with </item> & <script>alert(2)</script>"
author = "O'Brien & Co"
base_url = "http://127.0.0.1:8000/"
"""
ARTICLE = f"""\
{TITLE}

By Ann O'Neil & Bo Lee

{SENTENCE} A tag like </item> or ]]> is text, never markup.

Numbers like 3 < 5 > 2 & "quotes" keep their meaning.
"""


def build(tmp_path: Path) -> Path:
    root = tmp_path / "show"
    (root / "episodes").mkdir(parents=True)
    (root / "podcast.toml").write_text(SHOW_TOML, encoding="utf-8")
    (root / "episodes" / "hostile.txt").write_text(ARTICLE, encoding="utf-8")
    result = build_show(load_config(root), root / "public", engine=ToneEngine(), now=NOW)
    assert not result.failures
    return root / "public"


def test_the_feed_is_valid_and_carries_the_text_literally(tmp_path: Path) -> None:
    out = build(tmp_path)
    data = (out / "feed.xml").read_bytes()
    root = etree.fromstring(data)  # strict XML parser: well-formed or it raises
    assert root.xpath("//script") == []
    (item,) = root.findall("channel/item")
    assert item.findtext("title") == TITLE
    assert root.findtext("channel/title") == "Tom & Jerry's <Show> ]]>"

    with (out / "feed.xml").open("rb") as stream:
        parsed = podcastparser.parse("http://127.0.0.1:8000/feed.xml", stream)
    assert parsed["title"] == "Tom & Jerry's <Show> ]]>"
    assert parsed["episodes"][0]["title"] == TITLE
    other = feedparser.parse(data)
    assert not other.bozo
    assert other.entries[0].title == TITLE


def _page(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


def test_the_pages_show_the_text_literally(tmp_path: Path) -> None:
    out = build(tmp_path)
    for page in (_page(out / "index.html"), _page(out / "episodes" / "hostile.html")):
        # The only scripts are the page's own, loaded from a file; none came from the text.
        for script in page.iter("script"):
            assert script.get("src") and not (script.text or "").strip()
        assert page.xpath("//b") == []
        text = page.text_content()
        assert TITLE in text
        assert "O'Brien & Co" in text or "Ann O'Neil" in text
    episode_page = _page(out / "episodes" / "hostile.html")
    assert SENTENCE in " ".join(episode_page.text_content().split())
    assert '3 < 5 > 2 & "quotes"' in episode_page.text_content()
