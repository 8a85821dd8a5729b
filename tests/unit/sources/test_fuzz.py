"""Fuzzing the readers and the feed: hostile or broken input is an ArticleError, never a crash.

Whatever bytes sit in ``episodes/``, :func:`read_article` either returns an
article whose every string is clean text (no control characters, no lone
surrogates) or raises :class:`ArticleError` with a one-line message naming the
file; the script is built from any article it returns; and a feed made from
fuzzed titles and summaries is well-formed XML that says them literally.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from msaudio.errors import ArticleError
from msaudio.model import Article, Episode, Show, Timeline
from msaudio.publish.feed import NSMAP, render_feed
from msaudio.sources import read_article, voice_choice
from msaudio.text.script import build_script, summary_of

FUZZ = settings(
    max_examples=int(os.environ.get("MSAUDIO_FUZZ_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
"""Bounded so that this whole file takes under ten seconds; ``MSAUDIO_FUZZ_EXAMPLES=5000``
fuzzes for longer."""

NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
"""Characters no article string may keep: controls, lone surrogates, non-characters."""

ANY_TEXT = st.text(st.characters(codec=None), max_size=60)
"""Any code point at all, lone surrogates and controls included."""

HTML_TAGS = st.sampled_from(
    [
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "ul",
        "ol",
        "li",
        "a",
        "img",
        "article",
        "main",
        "nav",
        "header",
        "footer",
        "aside",
        "section",
        "script",
        "style",
        "noscript",
        "template",
        "blockquote",
        "q",
        "span",
        "br",
        "table",
        "tr",
        "td",
        "pre",
        "code",
        "figure",
        "figcaption",
        "time",
        "dl",
        "dt",
        "dd",
        "title",
        "meta",
        "head",
        "body",
        "html",
        "details",
        "summary",
        "svg",
        "math",
        "iframe",
        "form",
        "button",
    ]
)
HTML_ATTRIBUTES = st.sampled_from(
    [
        "",
        ' class="share-bar"',
        ' class="content"',
        ' id="cookie-consent"',
        " hidden",
        ' aria-hidden="true"',
        ' style="display:none"',
        ' role="navigation"',
        ' href="https://example.org/a?utm=1"',
        ' alt="A calm river"',
        ' src="data:image/png;base64,iVBORw0KGgo="',
        ' charset="latin1"',
        ' http-equiv="Content-Type" content="text/html; charset=shift_jis"',
        ' property="og:title" content="Title"',
        ' name="author" content="https://example.org/me"',
        ' datetime="2026-13-45"',
    ]
)
HTML_TEXT = st.one_of(
    ANY_TEXT,
    st.sampled_from(
        [
            "&amp;",
            "&#0;",
            "&#xD800;",
            "&#1114112;",
            "&nbsp;",
            "&bogus;",
            "<!-- comment -->",
            "<![CDATA[x]]>",
            "<?xml version='1.0'?>",
            "<!DOCTYPE html>",
            "]]>",
            "<",
            ">",
            "Click here to subscribe",
            "https://example.org",
            "Share on Facebook",
            "Heat can make old symptoms flare. It passes as the body cools.",
        ]
    ),
)
HTML = st.recursive(
    HTML_TEXT,
    lambda inner: st.builds(
        lambda tag, attributes, children, closed: (
            f"<{tag}{attributes}>{''.join(children)}" + (f"</{tag}>" if closed else "")
        ),
        HTML_TAGS,
        HTML_ATTRIBUTES,
        st.lists(inner, max_size=4),
        st.booleans(),
    ),
    max_leaves=25,
)

MARKDOWN_PIECES = st.sampled_from(
    [
        "---\n",
        "...\n",
        "title: A title\n",
        "title: [one, two]\n",
        "title: {a: 1}\n",
        "title: !!binary aGVsbG8=\n",
        "title: !!python/object:os.system 1\n",
        'title: "\\x01\\ud800\\uffff"\n',
        "author: [Ann, {b: 1}]\n",
        "date: 2026-02-30\n",
        "date: [2026]\n",
        "guid: 42\n",
        "tags: {a: 1}\n",
        "engine: 5\n",
        "speed: fast\n",
        "x: &a [*a]\n",
        "# ",
        "## ",
        "###### ",
        "- ",
        "1. ",
        "> ",
        "```\n",
        "    ",
        "![alt text](x.png)",
        "[a link](http://example.org)",
        "<div>",
        "</div>",
        "<script>alert(1)</script>",
        "***\n",
        "|a|b|\n|-|-|\n",
        "[^1]: note\n",
        "\\",
        "`",
        "&#0;",
        "\n",
        "\n\n",
        "Rest before you are tired. Heat passes.",
    ]
)
MARKDOWN = st.lists(st.one_of(MARKDOWN_PIECES, ANY_TEXT), max_size=25).map("".join)

NEWSLETTER_PIECES = st.sampled_from(
    [
        "By Jane Doe\n",
        "Jane DoeMultiple Sclerosis, Symptoms\n",
        "Click HERE to Subscribe for the Newsletter\n",
        "~~~~~~~~~~~~~~~~\n",
        ":::;;;:::;;;\n",
        "https://example.org/x?utm_source=mail\n",
        "Click here to continue reading from #ExampleHealth\n",
        "Information shared by the Lakeside MS Group\n",
        "# A heading\n",
        "- an item\n",
        "1) first\n",
        "March 3, 2026\n",
        "Posted on 2026-03-03\n",
        "COOLING DOWN\n",
        "\n",
        "\n\n",
        "\r\n",
        "\u2028",
        "\x0c",
        "\x0b",
        "\ufeff",
        "\u200b",
        "🎉 #MSAwareness @clinic\n",
        "Take 10 mg of baclofen at 8 a.m. with an MRI on the 1st.\n",
    ]
)
NEWSLETTER = st.lists(st.one_of(NEWSLETTER_PIECES, ANY_TEXT), max_size=25).map("".join)


def encoded(text: str) -> bytes:
    """Text as a file would hold it; lone surrogates become the bytes a broken encoder writes."""
    return text.encode("utf-8", "surrogatepass")


def strings(article: Article) -> list[str]:
    found = [article.title, article.author or "", article.summary or "", article.credit or ""]
    for block in article.blocks:
        found.append(block.text)
        found.extend(block.items)
    return found


def read_or_refuse(name: str, data: bytes) -> Article | None:
    """What a build does with one file: the article, or None for a clean, one-line refusal."""
    path = Path("/show/episodes") / name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a decoding warning is not a failure
        try:
            voice_choice(path, data)
            article = read_article(path, data)
        except ArticleError as error:
            message = str(error)
            assert message.startswith(f"{path}: ") and "\n" not in message, message
            return None
    assert article.title and article.blocks
    assert article.slug.isascii() and article.slug
    for text in strings(article):
        assert not NOT_TEXT.search(text), repr(text)
    script = build_script(article, 200)
    assert all(0 < len(s.spoken) <= 200 for s in script.sentences())
    return article


@FUZZ
@given(st.sampled_from(["a.txt", "a.md", "a.html"]), st.binary(max_size=400))
def test_any_bytes_are_an_article_or_one_clean_error(name: str, data: bytes) -> None:
    read_or_refuse(name, data)


@FUZZ
@given(NEWSLETTER)
def test_newsletter_text(text: str) -> None:
    read_or_refuse("newsletter.txt", encoded(text))


@FUZZ
@given(MARKDOWN)
def test_markdown_with_front_matter(text: str) -> None:
    read_or_refuse("article.md", encoded(text))


@FUZZ
@given(st.lists(HTML, max_size=6).map("".join), st.sampled_from(["utf-8", "cp1252", "utf-16"]))
def test_web_pages(page: str, encoding: str) -> None:
    read_or_refuse(
        "page.html", page.encode(encoding, "surrogatepass" if "utf" in encoding else "replace")
    )


# --- the feed stays well-formed, whatever the text -------------------------------------

SHOW = Show(
    title="Test Show",
    description="A show made by the tests.",
    author="Test Author",
    base_url="https://podcasts.example.org/ms/",
)
PUBLISHED = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def episode(number: int, title: str, summary: str, author: str | None) -> Episode:
    return Episode(
        slug=f"episode-{number}",
        title=title,
        guid=f"guid-{number}",
        published=PUBLISHED - dt.timedelta(days=number),
        audio_path=f"episodes/episode-{number}.mp3",
        audio_size=1000,
        timeline=Timeline(duration=61.5),
        author=author,
        summary=summary,
        number=number,
    )


def parse_strictly(feed: bytes) -> etree._Element:
    parser = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    return etree.fromstring(feed, parser)


RAW_TEXT = st.text(st.characters(codec=None, exclude_categories=["Cs"]), max_size=60)
"""Any code point but lone surrogates, which the readers never let through (see below)."""


@FUZZ
@given(st.lists(st.tuples(RAW_TEXT.filter(str.strip), RAW_TEXT, RAW_TEXT), max_size=4))
def test_feed_of_raw_text_is_well_formed_and_literal(texts: list[tuple[str, str, str]]) -> None:
    episodes = [
        episode(number, title, summary, author or None)
        for number, (title, summary, author) in enumerate(texts, 1)
    ]
    root = parse_strictly(render_feed(SHOW, episodes, SHOW.base_url + "cover.jpg"))
    titles = [item.findtext("title") for item in root.iter("item")]
    assert titles == [NOT_XML.sub("", title) for title, _, _ in texts]


def test_feed_of_a_summary_with_a_lone_surrogate() -> None:
    feed = render_feed(SHOW, [episode(1, "Title", "A \ud800 summary", None)], "cover.jpg")
    assert parse_strictly(feed).findtext("channel/item/itunes:summary", namespaces=NSMAP) == (
        "A  summary"
    )


@FUZZ
@given(MARKDOWN, NEWSLETTER)
def test_feed_of_read_articles_is_well_formed(markdown: str, newsletter: str) -> None:
    articles = [
        read_or_refuse("article.md", encoded(markdown)),
        read_or_refuse("newsletter.txt", encoded(newsletter)),
    ]
    episodes = [
        episode(number, article.title, summary_of(article), article.author)
        for number, article in enumerate(articles, 1)
        if article is not None
    ]
    root = parse_strictly(render_feed(SHOW, episodes, SHOW.base_url + "cover.jpg"))
    assert [item.findtext("title") for item in root.iter("item")] == [e.title for e in episodes]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("deep.md", b"---\n" + b"[" * 5000 + b"\n---\nText.\n"),
        ("no-such-day.md", b"---\ndate: 2026-02-30\n---\nText.\n"),
        ("unclosed-ipv6.txt", b"A title\n\nRead more at http://[ and www.[x.org] today.\n"),
        ("unclosed-ipv6.html", b"<title>T</title><p>Continue reading at HTTP://[</p>"),
        ("controls.html", b"\x01<p>\x02Heat \x1bpasses.\x7f</p>"),
        ("controls.md", b'---\ntitle: "\\x01\\ud800Title"\n---\nText with a \x01 control.\n'),
        ("nested.md", b">" * 5000 + b" deep\n"),
        ("brackets.md", b"[" * 5000 + b"x"),
        ("word-breaks.txt", b"A title\n\nLine one\x0bLine two.\n"),
    ],
)
def test_inputs_that_broke_or_strain_the_readers(name: str, data: bytes) -> None:
    """Deep YAML raised RecursionError, an impossible YAML date or an address like
    ``http://[`` ValueError, and control characters crashed lxml (or reached the
    script); deep nesting must not crash either. Each is an article or one clean error."""
    read_or_refuse(name, data)
