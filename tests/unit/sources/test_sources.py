"""Article readers: plain-text newsletters, Markdown, HTML, decoding and slugs."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from msaudio.errors import ArticleError
from msaudio.model import Article, Block, BlockKind, CleanupRules, VoiceChoice
from msaudio.sources import SUPPORTED_SUFFIXES, read_article, slugify, voice_choice
from msaudio.sources.common import match_boilerplate
from msaudio.sources.decode import DecodingWarning, read_text
from msaudio.sources.txt import parse_byline
from tests.helpers import REPO, TESTS, all_text

DATA = TESTS / "data" / "sources"
EPISODES = REPO / "episodes"


def kinds(article: Article) -> list[BlockKind]:
    return [block.kind for block in article.blocks]


# --- plain-text newsletters ---------------------------------------------------------------


def test_newsletter_title_author_and_credit() -> None:
    article = read_article(DATA / "newsletter.txt")
    assert article.title == "How sleep and MS fatigue feed each other"
    assert article.author == "Morgan Ellis"
    assert article.credit == "Quiet Hours Journal"
    assert article.slug == "newsletter"
    assert article.source == DATA / "newsletter.txt"
    assert article.summary is None


def test_newsletter_body_is_one_paragraph_per_line() -> None:
    article = read_article(DATA / "newsletter.txt")
    assert kinds(article) == [BlockKind.PARAGRAPH] * 4
    assert article.blocks[0].text.startswith("Poor sleep is common in MS")
    assert article.blocks[-1].text.endswith("help many people.")


@pytest.mark.parametrize(
    "unwanted",
    [
        "Multiple Sclerosis, Sleep",
        "Stay Safe",
        "Subscribe",
        "~~",
        "::",
        ";;",
        "continue reading",
        "Information Shared",
        "Riverside",
        "touched by MS",
        "YouTube",
        "http",
        "#",
    ],
)
def test_newsletter_drops_clutter(unwanted: str) -> None:
    article = read_article(DATA / "newsletter.txt")
    assert unwanted.lower() not in all_text(article).lower()


def test_structured_text_headings_lists_and_byline() -> None:
    article = read_article(DATA / "structured.txt")
    assert article.title == "A gentle stretching routine"
    assert article.author == "Sam Whitfield"
    assert article.date == dt.date(2026, 3, 3)
    assert article.credit == "Riverside Physio Notes"
    assert kinds(article) == [
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
        BlockKind.PARAGRAPH,
        BlockKind.LIST,
    ]
    assert article.blocks[0] == Block(BlockKind.HEADING, text="WHY STRETCH AT ALL", level=2)
    assert article.blocks[2].text == "Before you begin"
    assert article.blocks[-1].items == (
        "Ankle circles while seated",
        "Gentle calf stretch holding the chair",
        "Shoulder rolls, forward and back",
    )
    assert "Share this" not in all_text(article)


def test_sentences_are_not_mistaken_for_headings(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(
        "A short title\n\n"
        "The first line is a full sentence about resting after a walk.\n"
        "Short and plain\n"
        "The next line continues the same group with another full sentence.\n",
        encoding="utf-8",
    )
    article = read_article(path)
    assert kinds(article) == [BlockKind.PARAGRAPH] * 3


@pytest.mark.parametrize(
    ("line", "author"),
    [
        ("Jane DoeMultiple Sclerosis, Symptoms", "Jane Doe"),
        ("Mary McDonaldLiving Well, Tips", "Mary McDonald"),
        ("Jo O'NeillHealth, Daily Life", "Jo O'Neill"),
        ("By Jane Doe, RN", "Jane Doe"),
        ("By Lee Fontaine and Ana Ruiz", "Lee Fontaine and Ana Ruiz"),
        ("Sam Roe | Exercise, Balance", "Sam Roe"),
        ("By the editorial team", None),
        ("MSNewsDeskMultiple Sclerosis, Symptoms", None),
    ],
)
def test_parse_byline(line: str, author: str | None) -> None:
    assert parse_byline(line) == author


def test_unsplittable_category_line_is_dropped(tmp_path: Path) -> None:
    path = tmp_path / "cats.txt"
    path.write_text(
        "Balance tips\n\nMSNewsDeskMultiple Sclerosis, Balance, Symptoms\n\n"
        "Holding a rail on stairs is a simple habit that prevents many falls.\n",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.author is None
    assert "Symptoms" not in all_text(article)
    assert len(article.blocks) == 1


def test_only_boilerplate_txt_is_an_error() -> None:
    path = DATA / "only-boilerplate.txt"
    with pytest.raises(ArticleError, match="no readable text after removing") as caught:
        read_article(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert "\n" not in str(caught.value)


def test_boilerplate_keeps_ordinary_sentences() -> None:
    assert match_boilerplate("Stay cool by planning errands for early morning.") is None
    assert match_boilerplate("Share this list with your family so they know what to do.") is None
    assert match_boilerplate("Stay Healthy, Stay Home and Wash Your Hands") is not None
    found = match_boilerplate("Continue reading at https://www.example.org/articles/heat")
    assert found is not None
    assert found.credit == "example.org"


@pytest.mark.parametrize(
    "line",
    [
        "Find more everyday tips at: https://www.example.org/continence",
        "Listen to our podcast series: www.example.org",
        "Our helpline is on https://example.org/help",
    ],
)
def test_a_short_line_that_points_to_a_web_address_is_not_read(line: str) -> None:
    assert match_boilerplate(line) is not None


def test_prose_that_ends_in_a_web_address_is_kept() -> None:
    line = (
        "The charity's nurses, who have answered calls for twenty years, wrote a guide for"
        " families that you can read at https://example.org/guide"
    )
    assert match_boilerplate(line) is None


INLINE_CLUTTER = (
    "Share this article!",
    "Subscribe to our newsletter for weekly tips.",
    "Read more.",
    "Follow us on Instagram.",
)


@pytest.mark.parametrize(
    ("name", "wrap"),
    [
        ("inline.txt", lambda body: f"Resting in the heat\n\nBy Jo Bloggs\n\n{body}\n"),
        ("inline.md", lambda body: f"# Resting in the heat\n\n{body}\n"),
        (
            "inline.html",
            lambda body: (
                "<html><head><title>Resting in the heat</title></head><body><article>"
                f"<h1>Resting in the heat</h1><p>{body}</p><p>A second paragraph keeps the page"
                " looking like an article to the extractor, with a few more ordinary words.</p>"
                "</article></body></html>"
            ),
        ),
    ],
)
def test_calls_to_action_inside_a_paragraph_are_dropped(
    tmp_path: Path, name: str, wrap: Callable[[str], str]
) -> None:
    body = (
        "Stay well away from hot baths when your legs feel heavy. "
        + " ".join(INLINE_CLUTTER[:2])
        + " A cool shower helps within twenty minutes. "
        + " ".join(INLINE_CLUTTER[2:])
        + " Click here to continue reading from #ExampleHealth"
    )
    path = tmp_path / name
    path.write_text(wrap(body), encoding="utf-8")
    article = read_article(path)
    text = all_text(article)
    assert "Stay well away from hot baths when your legs feel heavy." in text  # a slogan's words
    assert "A cool shower helps within twenty minutes." in text
    for clutter in (*INLINE_CLUTTER, "Click here", "continue reading"):
        assert clutter.lower() not in text.lower(), clutter
    assert article.credit == "Example Health"


def test_a_keep_pattern_saves_a_sentence_inside_a_paragraph(tmp_path: Path) -> None:
    path = tmp_path / "group.txt"
    path.write_text(
        "Finding company\n\nTalking helps. Join our support group on the clinic's Facebook page."
        " Share this article!\n",
        encoding="utf-8",
    )
    assert "Join our support group" not in all_text(read_article(path))
    rules = CleanupRules(keep=("^Join our support group",))
    text = all_text(read_article(path, rules=rules))
    assert "Join our support group" in text and "Share this" not in text


# --- decoding ------------------------------------------------------------------------------


def test_latin1_file_is_decoded_with_a_warning() -> None:
    path = DATA / "latin1.txt"
    with pytest.warns(DecodingWarning, match="latin1.txt"):
        article = read_article(path)
    assert article.title == "Café chats for people with MS"
    assert article.blocks[1].text == "You\u2019re welcome to bring a friend or a carer."


def test_utf8_bom_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes("\ufeffTitle here\r\n\r\nA line of text.\rAnother line.\r\n".encode())
    assert read_text(path) == "Title here\n\nA line of text.\nAnother line.\n"
    article = read_article(path)
    assert article.title == "Title here"
    assert [b.text for b in article.blocks] == ["A line of text.", "Another line."]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"  \n\t\r\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
    ],
)
def test_empty_and_binary_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(ArticleError, match=message) as caught:
        read_article(path)
    assert str(caught.value).startswith(f"{path}: ")


def test_missing_file_and_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(ArticleError, match="cannot read file"):
        read_article(tmp_path / "missing.txt")
    odd = tmp_path / "notes.odt"
    odd.write_text("hello", encoding="utf-8")
    with pytest.raises(ArticleError, match=r"unsupported article type \(\.odt\)"):
        read_article(odd)


# --- Markdown -----------------------------------------------------------------------------


def test_markdown_front_matter() -> None:
    article = read_article(DATA / "article.md")
    assert article.title == "Building a calm morning routine"
    assert article.author == "Lee Fontaine and Ana Ruiz"
    assert article.date == dt.date(2026, 4, 12)
    assert article.summary == "Small changes that make mornings easier with MS."
    assert article.tags == ("routine", "mornings", "fatigue")
    assert article.guid == "urn:uuid:6b7e0c0e-1111-4a2b-9c3d-000000000001"
    assert article.credit == "Morning Matters"


def test_markdown_blocks() -> None:
    article = read_article(DATA / "article.md")
    assert kinds(article) == [
        BlockKind.PARAGRAPH,
        BlockKind.HEADING,
        BlockKind.LIST,
        BlockKind.QUOTE,
        BlockKind.IMAGE,
        BlockKind.HEADING,
        BlockKind.PARAGRAPH,
    ]
    intro, heading, items, quote, image, small, last = article.blocks
    assert intro.text == (
        "Mornings can set the tone for the whole day, so it helps to make them simple and "
        "predictable. Read the full guide for more ideas, or run plan-my-day in your head."
    )
    assert (heading.text, heading.level) == ("Prepare the night before", 2)
    assert items.items == (
        "Lay out clothes that are easy to put on.",
        "Fill a water bottle and leave it by the bed.",
        "Add a slice of lemon if you like.",
    )
    assert quote.text == "A calm start is worth more than an early one."
    assert image.text == "A tidy bedside table with a glass of water and a folded shirt"
    assert (small.level, last.text) == (3, "Some mornings will still be hard, and that is fine.")
    text = all_text(article)
    for unwanted in ("http", "**", "`", "code block", "raw HTML", "continue reading", "#"):
        assert unwanted not in text


@pytest.mark.parametrize(
    ("name", "page"),
    [
        ("by.md", "---\nauthor: Jo Bell\n---\n# Resting\n\n*By Jo Bell*\n\n{body}\n"),
        ("by.txt", "Resting\n\nJo Bell | Fatigue\n\n~~~~\n\nWritten by: Jo Bell.\n\n{body}\n"),
    ],
)
def test_a_byline_that_repeats_the_author_is_read_once_in_the_intro(
    tmp_path: Path, name: str, page: str
) -> None:
    body = "Rest before you are tired.\n\nBy Jo Bell's own count, rest saves her an hour a day."
    path = tmp_path / name
    path.write_text(page.format(body=body), encoding="utf-8")
    article = read_article(path)
    assert article.author == "Jo Bell"
    texts = [block.text for block in article.blocks]
    assert texts == ["Rest before you are tired.", body.split("\n\n")[1]]


def test_a_byline_naming_someone_else_is_read(tmp_path: Path) -> None:
    path = tmp_path / "guest.md"
    path.write_text("---\nauthor: Jo Bell\n---\nBy Sam Okafor\n\nRest helps.\n")
    assert [block.text for block in read_article(path).blocks] == ["By Sam Okafor", "Rest helps."]


def test_markdown_title_from_first_h1_or_stem(tmp_path: Path) -> None:
    article = read_article(DATA / "no-front-matter.md")
    assert article.title == "Notes from the walking group"
    assert [b.kind for b in article.blocks] == [BlockKind.PARAGRAPH, BlockKind.PARAGRAPH]
    path = tmp_path / "walking-group_notes.markdown"
    path.write_text("Just one paragraph.\n", encoding="utf-8")
    assert read_article(path).title == "Walking group notes"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("broken-front-matter.md", "invalid YAML front matter"),
        ("list-front-matter.md", "front matter must be a mapping"),
    ],
)
def test_bad_front_matter(name: str, message: str) -> None:
    path = DATA / name
    with pytest.raises(ArticleError, match=message) as caught:
        read_article(path)
    assert str(caught.value).startswith(f"{path}: ")
    assert "\n" not in str(caught.value)


def test_front_matter_bad_date_and_unclosed(tmp_path: Path) -> None:
    bad_date = tmp_path / "bad-date.md"
    bad_date.write_text("---\ndate: next Tuesday\n---\nText.\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="YYYY-MM-DD"):
        read_article(bad_date)
    unclosed = tmp_path / "unclosed.md"
    unclosed.write_text("---\ntitle: Hello\n\nText.\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="never closed"):
        read_article(unclosed)


def test_front_matter_chooses_the_episode_voice(tmp_path: Path) -> None:
    path = tmp_path / "slow.md"
    path.write_text(
        "---\nengine: espeak\nvoice: en-gb\nspeed: 0.8\n---\nRead slowly.\n", encoding="utf-8"
    )
    expected = VoiceChoice(engine="espeak", voice="en-gb", speed=0.8)
    assert read_article(path).voice == expected
    assert voice_choice(path, path.read_bytes()) == expected
    assert read_article(DATA / "article.md").voice == VoiceChoice()
    assert voice_choice(DATA / "page.html", (DATA / "page.html").read_bytes()) == VoiceChoice()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("speed: 3", "front matter speed: found 3, expected a number from 0.5 to 2.0"),
        ("speed: fast", "front matter speed: found 'fast', expected a number"),
        ("speed: true", "front matter speed: found True, expected a number"),
        ("engine: ''", "front matter engine: found '', expected a non-empty string"),
        ("voice: [a, b]", "front matter voice: found ['a', 'b'], expected a non-empty string"),
    ],
)
def test_bad_front_matter_voice_names_the_file(tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad-voice.md"
    path.write_text(f"---\n{line}\n---\nText.\n", encoding="utf-8")
    for read in (lambda: read_article(path), lambda: voice_choice(path, path.read_bytes())):
        with pytest.raises(ArticleError) as caught:
            read()
        assert str(caught.value).startswith(f"{path}: {message}")
        assert "\n" not in str(caught.value)


def test_markdown_with_only_code_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "code.md"
    path.write_text("---\ntitle: Code\n---\n\n    indented code only\n", encoding="utf-8")
    with pytest.raises(ArticleError, match="no readable text"):
        read_article(path)


# --- HTML ---------------------------------------------------------------------------------


def test_html_metadata() -> None:
    article = read_article(DATA / "page.html")
    assert article.title == "Choosing a walking aid"
    assert article.author == "Kim Osei"
    assert article.date == dt.date(2026, 5, 20)
    assert article.summary == "What to think about when choosing a stick, crutches or a walker."
    assert article.credit == "Riverside Support Group"


def test_html_blocks() -> None:
    article = read_article(DATA / "page.html")
    assert kinds(article) == [
        BlockKind.PARAGRAPH,
        BlockKind.HEADING,
        BlockKind.LIST,
        BlockKind.QUOTE,
        BlockKind.IMAGE,
        BlockKind.PARAGRAPH,
    ]
    first, heading, items, quote, image, loose = article.blocks
    assert first.text == (
        "A walking aid can help you go further with less effort and fewer falls. "
        "Using one is a practical choice, not a sign of giving up."
    )
    assert (heading.text, heading.level) == ("Types to try", 2)
    assert items.items == (
        "A single stick for light support",
        "Crutches for more weight-bearing help",
        "Elbow crutches",
        "A wheeled walker for longer distances",
    )
    assert quote.text == "Ask a physiotherapist to check the height before you buy."
    assert image.text == "A person walking in a park with a folding stick"
    # a line break inside a box of loose text is a pause within one paragraph
    assert loose.text == "Loose text in a box. A second line in the same box."


@pytest.mark.parametrize(
    "unwanted",
    [
        "Home",
        "cookies",
        "Riverside Support Group",
        "Aside text",
        "Email",
        "Facebook",
        "Great post",
        "subscribe",
        "Footer",
        "trackingCode",
        "JavaScript",
        "font-family",
        "http",
    ],
)
def test_html_clutter_is_removed(unwanted: str) -> None:
    assert unwanted.lower() not in all_text(read_article(DATA / "page.html")).lower()


def test_html_without_article_uses_body_title_and_time() -> None:
    article = read_article(DATA / "bare.html")
    assert article.title == "Notes on bladder health"
    assert article.date == dt.date(2026, 2, 1)
    assert article.author is None
    assert "comment" not in all_text(article)
    assert len(article.blocks) == 2


def test_html_with_nothing_readable(tmp_path: Path) -> None:
    path = tmp_path / "empty.htm"
    path.write_text("<html><body><nav>Menu</nav><script>x()</script></body></html>")
    with pytest.raises(ArticleError, match="no readable text") as caught:
        read_article(path)
    assert str(caught.value).startswith(f"{path}: ")


# --- slugs ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "slug"),
    [
        ("Été à Paris", "ete-a-paris"),
        ("../x y", "x-y"),
        ("", "episode-" + hashlib.sha256(b"").hexdigest()[:8]),
        ("...", "episode-" + hashlib.sha256(b"...").hexdigest()[:8]),
        ("日本語", "episode-" + hashlib.sha256("日本語".encode()).hexdigest()[:8]),
        ("Straße  & Größe!", "strasse-grosse"),
        ("2026-10-05_Pacing Your Energy", "2026-10-05-pacing-your-energy"),
    ],
)
def test_slugify(stem: str, slug: str) -> None:
    assert slugify(stem) == slug


def test_slugify_is_always_safe() -> None:
    for stem in ("a/../b", "..", "/etc/passwd", "x" * 300, "C:\\temp\\file"):
        slug = slugify(stem)
        assert slug
        assert ".." not in slug and "/" not in slug and "\\" not in slug
        assert slug.isascii() and len(slug) <= 80
        assert not slug.startswith("-") and not slug.endswith("-")


# --- the sample show ----------------------------------------------------------------------


def sample_episodes() -> list[Path]:
    return sorted(p for p in EPISODES.iterdir() if p.suffix in SUPPORTED_SUFFIXES)


def test_sample_show_has_every_format() -> None:
    assert {p.suffix for p in sample_episodes()} == {".txt", ".md", ".html", ".pdf"}


@pytest.mark.parametrize("path", sample_episodes(), ids=lambda p: p.name)
def test_sample_episode_reads_cleanly(path: Path) -> None:
    article = read_article(path)
    assert article.title
    assert len(article.blocks) >= 2
    assert article.slug == path.stem
    assert any(b.kind is BlockKind.HEADING for b in article.blocks)
    for block in article.blocks:
        assert "http" not in block.text
        assert all("http" not in item for item in block.items)
    words = len(all_text(article).split())
    assert 350 <= words <= 550
