"""Web pages: the article's own content only, its structure, metadata and decoding."""

from __future__ import annotations

import datetime as dt
import re
import socket
import warnings
from pathlib import Path
from typing import Any

import pytest

from msaudio.errors import ArticleError
from msaudio.model import Article, Block, BlockKind
from msaudio.sources import read_article
from msaudio.sources.decode import DecodingWarning, read_text, text_of
from msaudio.sources.html import parse_html

from .conftest import all_text

DATA = Path(__file__).resolve().parent / "data" / "html"

H, P, L, Q, IMG = (
    BlockKind.HEADING,
    BlockKind.PARAGRAPH,
    BlockKind.LIST,
    BlockKind.QUOTE,
    BlockKind.IMAGE,
)

URL_LIKE = re.compile(r"https?:|www\.|mailto:|\.(?:com|net|org)\b|/[a-z]+/", re.IGNORECASE)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to open a connection or resolve a name."""

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the HTML reader tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def read(path: Path) -> Article:
    """The HTML reader's own result (before the shared text clean-up)."""
    return parse_html(read_text(path), path)


def page(tmp_path: Path, body: str, head: str = "", name: str = "page.html") -> Path:
    """Write a small UTF-8 page and return its path."""
    path = tmp_path / name
    path.write_text(
        f"<!DOCTYPE html><html><head>{head}</head><body>{body}</body></html>", encoding="utf-8"
    )
    return path


# --- the clinic blog page ------------------------------------------------------------------

CLINIC = DATA / "clinic-blog.html"

CLINIC_BLOCKS = [
    Block(
        P,
        "A long train journey can be one of the easier ways to travel with multiple sclerosis. "
        "You can stand up, stretch your legs and reach a toilet without asking anyone to stop "
        "the car. A little planning makes the day calmer still.",
    ),
    Block(H, "Before you book", level=2),
    Block(
        P,
        "Most rail companies offer free help with boarding if you ask at least a day ahead. Our "
        "assisted travel checklist lists the questions worth asking when you call.",
    ),
    Block(
        L,
        items=(
            "Ask for a seat near the accessible toilet.",
            "Choose a quieter off-peak train if heat or crowds drain your energy.",
            "Check whether the station has step-free access.",
        ),
    ),
    Block(H, "Booking a companion ticket", level=3),
    Block(
        P,
        "If a friend or carer travels with you, a disabled person\u2019s railcard can cut the cost "
        "of both tickets by a third.",
    ),
    Block(H, "On the day", level=2),
    Block(
        P,
        "Pack a bottle of cool water, a light layer and any medicines you need in the bag that "
        "stays with you, not in the luggage rack.",
    ),
    Block(
        Q,
        "Give yourself twice the time you think you need at the station. Rushing is what tires "
        "me out, not the journey.",
    ),
    Block(IMG, "A woman with a walking stick waiting on a sunny station platform"),
    Block(P, "Station staff can meet you on the platform."),
    Block(
        P,
        "Once you are seated, set an alarm a few minutes before your stop so you can gather your "
        "things without hurrying. Travel is a skill, and it gets easier each time.",
    ),
]


def test_clinic_page_blocks() -> None:
    assert list(read(CLINIC).blocks) == CLINIC_BLOCKS


def test_clinic_page_metadata() -> None:
    article = read(CLINIC)
    assert article.title == "Travelling by train with MS"
    assert article.author == "Priya Nandakumar"
    assert article.date == dt.date(2025, 3, 18)
    assert article.credit == "Harbourside Neuro Clinic"
    assert article.summary == (
        "Planning a rail journey when fatigue, bladder urgency or balance make travel harder."
    )
    assert article.slug == "clinic-blog"
    assert article.source == CLINIC


@pytest.mark.parametrize(
    "unwanted",
    [
        # navigation and header
        "Home page",
        "Our services",
        "Clinic blog",
        "Contact the team",
        "Harbourside",
        # cookie banner
        "cookies",
        "Manage settings",
        # share buttons
        "Share",
        "Facebook",
        "Email this post",
        "Tweet",
        "WhatsApp",
        # related articles aside
        "Related articles",
        "heatwave",
        "Bladder urgency on days out",
        # newsletter box
        "Stay in touch",
        "Subscribe",
        "Sign me up",
        # footer
        "Registered charity",
        "Privacy policy",
        "Accessibility statement",
        # scripts and styles
        "dataLayer",
        "pageview",
        "spring-promo",
        "querySelector",
        "font-family",
        "display: flex",
        # the byline is metadata, not body text
        "specialist nurse",
    ],
)
def test_clinic_page_reads_nothing_around_the_article(unwanted: str) -> None:
    assert unwanted.lower() not in all_text(read(CLINIC)).lower()


def test_links_are_read_as_their_text_never_a_url() -> None:
    article = read(CLINIC)
    assert "assisted travel checklist" in article.blocks[2].text
    assert "Check whether the station has step-free access." in article.blocks[3].items
    for block in article.blocks:
        for text in (block.text, *block.items):
            assert not URL_LIKE.search(text), text


def test_image_alt_text_is_read_and_images_without_alt_are_not() -> None:
    images = [b for b in read(CLINIC).blocks if b.kind is BlockKind.IMAGE]
    assert images == [
        Block(IMG, "A woman with a walking stick waiting on a sunny station platform")
    ]


def test_title_is_not_read_twice() -> None:
    article = read(CLINIC)
    assert "Travelling by train with MS" not in [b.text for b in article.blocks]


# --- smaller pages ------------------------------------------------------------------------


def test_inline_details_of_a_page() -> None:
    article = read(DATA / "details.html")
    assert article.title == "Swimming sessions for people with MS"
    assert article.credit == "Lakeside Leisure Centre"
    assert list(article.blocks) == [
        Block(
            P,
            "Our quiet swim runs every Friday, starting on 6 June. The pool is kept a little "
            "cooler, which many swimmers with heat sensitivity prefer. Lifeguards have had extra "
            "training on balance and fatigue.",
        ),
        Block(
            P,
            "My physiotherapist told me \u201cthe water takes the weight, so you can move "
            "freely\u201d, and she was right.",
        ),
        Block(
            P,
            "The changing village has a hoist and two accessible cubicles. Booking details are "
            "online at.",
        ),
        Block(H, "Words you may hear", level=2),
        Block(
            L,
            items=(
                "Aqua therapy: Exercises in warm water led by a physiotherapist.",
                "Lane swim: Swimming lengths in a marked lane at your own pace.",
            ),
        ),
        Block(IMG, "A pool hoist with a padded seat at the edge of the water"),
        Block(P, "The hoist can lower you gently into the water."),
        Block(BlockKind.TABLE, rows=(("Day", "Time"), ("Friday", "10:00")), header=True),
        Block(P, "Bring a towel, a bottle of water and something warm to wear afterwards."),
    ]
    text = all_text(article)
    for unwanted in ("SWIM10", "IMG_2041", "session_id", "10:00", "Further reading", "leisure."):
        assert unwanted not in text


def test_page_without_article_or_main_keeps_its_headings() -> None:
    article = read(DATA / "no-container.html")
    assert article.title == "Cooling vests"
    assert list(article.blocks) == [
        Block(P, "A cooling vest can help if heat makes your MS symptoms flare up."),
        Block(H, "Types to compare", level=2),
        Block(
            L,
            items=(
                "Gel pack vests, kept in the freezer",
                "Evaporative vests, soaked in cold water",
            ),
        ),
        Block(H, "Trying one on", level=2),
        Block(P, "Ask to try a vest in the shop before you buy it."),
    ]


def test_short_page_without_a_container_keeps_its_headings(tmp_path: Path) -> None:
    body = (
        "<h1>Cooling vests</h1><p>A cooling vest helps some people with heat sensitivity.</p>"
        "<h2>Where to start</h2><p>Try one on before buying it.</p>"
    )
    article = read(page(tmp_path, body, "<title>Cooling vests</title>"))
    assert list(article.blocks) == [
        Block(P, "A cooling vest helps some people with heat sensitivity."),
        Block(H, "Where to start", level=2),
        Block(P, "Try one on before buying it."),
    ]


def test_short_page_without_headings_is_read_whole() -> None:
    article = read(DATA / "short-note.html")
    assert article.title == "Peer support group moves to Thursdays"
    assert article.author is None
    assert article.credit is None
    assert [b.text for b in article.blocks] == [
        "Our Tuesday peer support group for people living with MS will meet on Thursdays from "
        "next month.",
        "The room, the tea and the friendly faces stay the same. Carers are welcome as always.",
        "If the new day is hard for you, tell the group leader and we will look for another way "
        "to keep in touch.",
    ]
    assert {b.kind for b in article.blocks} == {BlockKind.PARAGRAPH}


def test_two_line_page_is_still_read(tmp_path: Path) -> None:
    path = page(tmp_path, "<p>The pool opens early on Saturdays.</p><p>Bring a friend.</p>")
    assert [b.text for b in read(path).blocks] == [
        "The pool opens early on Saturdays.",
        "Bring a friend.",
    ]


def test_page_of_banners_only_is_an_error() -> None:
    path = DATA / "only-banners.html"
    with pytest.raises(ArticleError, match="no readable text after removing") as caught:
        read_article(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message


def test_unlabelled_cookie_notice_and_subscribe_box_are_not_read(tmp_path: Path) -> None:
    path = page(
        tmp_path,
        "<div><p>This website uses essential cookies to work properly.</p>"
        "<a href='/ok'>OK</a></div>"
        "<div><h2>Subscribe to keep reading</h2>"
        "<p>Subscribe today for full access to every story.</p></div>",
        name="notices.html",
    )
    with pytest.raises(ArticleError, match="no readable text"):
        read_article(path)


# --- titles and credits ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("head", "body", "title"),
    [
        (
            "<title>Resting after a relapse | MS Friends</title>",
            "<article><p>Rest comes first.</p></article>",
            "Resting after a relapse",
        ),
        (
            '<meta property="og:title" content="Sleep and fatigue"><title>Home</title>',
            "<article><p>Sleep matters.</p></article>",
            "Sleep and fatigue",
        ),
        (
            "<title>Dr. Amir\u2019s tips \u2013 MS Friends</title>"
            '<meta property="og:site_name" content="MS Friends">',
            "<article><p>Drink water.</p></article>",
            "Dr. Amir\u2019s tips",
        ),
        (
            "",
            "<article><h1>Walking poles</h1><p>Poles help balance.</p></article>",
            "Walking poles",
        ),
        ("", "<article><p>Nothing names this page.</p></article>", "Untitled tips"),
    ],
)
def test_title_sources(tmp_path: Path, head: str, body: str, title: str) -> None:
    article = read(page(tmp_path, body, head, name="untitled-tips.html"))
    assert article.title == title
    assert title not in [b.text for b in article.blocks]


def test_site_name_that_is_an_address_is_not_a_credit(tmp_path: Path) -> None:
    head = '<meta property="og:site_name" content="https://www.msfriends.example.org">'
    path = page(tmp_path, "<article><p>A short note about pacing.</p></article>", head)
    assert read(path).credit is None


@pytest.mark.parametrize(
    ("title", "credit"),
    [
        ("Memory and thinking | Northside Neuro Clinic", "Northside Neuro Clinic"),
        ("Memory and thinking | News | Lakeside MS Group", "Lakeside MS Group"),
        ("Memory and thinking | what one clinic tells every patient on a first visit", None),
        ("Memory and thinking | www.northside.example.org", None),
        ("Memory and thinking - Northside Neuro Clinic", None),  # no site name to compare with
    ],
)
def test_a_site_name_after_a_bar_in_the_title_is_the_credit(
    tmp_path: Path, title: str, credit: str | None
) -> None:
    body = "<article><h1>Memory and thinking</h1><p>Lists and a quiet room both help.</p></article>"
    article = read(page(tmp_path, body, f"<title>{title}</title>"))
    assert article.title == "Memory and thinking"
    assert article.credit == credit


def test_first_heading_that_differs_from_the_title_is_kept(tmp_path: Path) -> None:
    head = '<meta property="og:title" content="Spring newsletter">'
    body = "<article><h1>Gardening from a seat</h1><p>Raised beds save your back.</p></article>"
    article = read(page(tmp_path, body, head))
    assert article.title == "Spring newsletter"
    assert article.blocks[0] == Block(H, "Gardening from a seat", level=1)


# --- decoding ---------------------------------------------------------------------------------

CAFE = DATA / "cafe-cp1252.html"

CAFE_TEXTS = [
    "Every second Tuesday the centre\u2019s caf\u00e9 opens early for people living with MS "
    "\u2013 and for anyone who cares for them.",
    "\u201cIt\u2019s the one place I don\u2019t have to explain my fatigue,\u201d says "
    "Ren\u00e9e, who has come for three years.",
    "There is no such thing as a na\u00efve question here. Tea costs \u00a31 and the "
    "cr\u00e8me br\u00fbl\u00e9e is famous.",
]


def test_page_with_declared_windows_1252_decodes_without_warning() -> None:
    data = CAFE.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error", DecodingWarning)
        article = read(CAFE)
    assert article.title == "Caf\u00e9 mornings at the MS Centre"
    assert article.author == "Ren\u00e9e O\u2019Brien"
    assert [b.text for b in article.blocks] == CAFE_TEXTS


def test_undeclared_windows_1252_page_is_detected_with_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "cafe.html"
    path.write_bytes(CAFE.read_bytes().replace(b'<meta charset="windows-1252">', b""))
    with pytest.warns(DecodingWarning, match=r"cafe\.html: not valid UTF-8; decoded as cp1252"):
        text = read_text(path)
    article = parse_html(text, path)
    assert [b.text for b in article.blocks] == CAFE_TEXTS


def test_declared_latin_1_is_read_as_windows_1252(tmp_path: Path) -> None:
    data = (
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1">'
        b"</head><body><p>It\x92s caf\xe9 day.</p></body></html>"
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error", DecodingWarning)
        text = text_of(data, tmp_path / "latin.html")
    assert "It\u2019s caf\u00e9 day." in text


def test_wrong_declaration_falls_back_to_detection(tmp_path: Path) -> None:
    data = CAFE.read_bytes().replace(b"windows-1252", b"utf-8")
    with pytest.warns(DecodingWarning, match="cp1252"):
        text = text_of(data, tmp_path / "mislabelled.html")
    assert "na\u00efve" in text and "\u201cIt\u2019s" in text


def test_word_export_in_windows_1252_keeps_western_accents(tmp_path: Path) -> None:
    line = "Na\u00efve questions welcome \u2013 \u201cjust ask,\u201d says Ren\u00e9e.\n"
    path = tmp_path / "export.txt"
    path.write_bytes(line.encode("cp1252"))
    with pytest.warns(DecodingWarning, match=r"export\.txt.*cp1252"):
        assert read_text(path) == line


@pytest.mark.parametrize("name", ["noise.html", "noise.txt"])
def test_bytes_of_no_known_encoding_are_an_error(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(bytes(range(1, 256)) * 4)
    with pytest.raises(ArticleError, match="cannot tell the text encoding") as caught:
        read_article(path)
    assert str(caught.value) == (f"{path}: cannot tell the text encoding; save the file as UTF-8")
