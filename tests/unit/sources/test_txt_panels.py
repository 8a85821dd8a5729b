"""A plain-text newsletter's boxes: the parts its rules draw round the article."""

from __future__ import annotations

from pathlib import Path

from msaudio.sources import read_article
from msaudio.sources.txt import parse_byline
from msaudio.sources.txt_panels import boxes
from msaudio.sources.txt_wrap import unwrap
from tests.helpers import all_text

RULE = "-" * 40
ARTICLE = (
    "Walking poles on rough ground\n\n"
    "Many of us stop walking in the woods once the paths get uneven, but a pair of poles can "
    "give back the confidence to try again, and they take some weight off tired hips too.\n\n"
    "CHOOSING A PAIR\n\n"
    "Look for poles that fold small enough for a bag, with a grip that does not need a tight "
    "hold, because a weak hand tires quickly on a long afternoon out.\n"
)


def _newsletter(top: str, bottom: str) -> str:
    return f"{top}\n{RULE}\n{ARTICLE}{RULE}\n{bottom}\n"


def test_short_boxes_above_the_article_are_not_read(tmp_path: Path) -> None:
    top = (
        f"TRAIL NOTES | No. 12\nA letter for slow walkers\n{RULE}\n"
        "Pictures missing? Try the web copy.\n"
        f"{RULE}\nPAID FOR BY A SHOE SHOP\nOur insoles cushion every step you take.\n"
        f"{RULE}\nINSIDE\n  > Poles\n  > Paths"
    )
    path = tmp_path / "trail.txt"
    path.write_text(_newsletter(top, "Happy walking."), encoding="utf-8")
    article = read_article(path)
    text = all_text(article)
    assert article.title == "Walking poles on rough ground"
    for clutter in ("slow walkers", "web copy", "insoles", "INSIDE", "Paths"):
        assert clutter not in text
    assert "weak hand tires" in text


def test_a_box_after_the_article_holding_its_legal_footer_is_the_footer(tmp_path: Path) -> None:
    bottom = (
        "Liked this? Tell a friend who walks.\n"
        "Trail Notes Ltd, 4 Mill Lane, Hebden, HX7 8AB\n"
        "\u00a9 2025 Trail Notes Ltd"
    )
    path = tmp_path / "trail.txt"
    path.write_text(_newsletter("Walking poles on rough ground", bottom), encoding="utf-8")
    text = all_text(read_article(path))
    assert "Tell a friend" not in text and "Mill Lane" not in text
    assert "weak hand tires" in text


def test_a_long_paragraph_keeps_its_box_and_a_box_without_a_footer_is_read() -> None:
    long_line = " ".join(["word"] * 24) + "."
    lines = ["Title of the issue", long_line, "The main part is here. " * 5, "A closing note."]
    verdicts = boxes([0, 1, 2, 3], lines, [False] * 4)
    assert verdicts == [False, False, False, False]


def test_a_text_with_long_unbroken_paragraphs_is_not_wrapped() -> None:
    paragraph = "We met at the cafe by the river and talked about the summer plans. " * 4
    groups = [
        [paragraph],
        ["A short line that closes one thought here, on its own.", "Another line follows."],
        [paragraph],
        ["The third line of a small block, written as the writer chose.", "And a fourth one."],
        ["Fifth line of this block, no wrapping at all, just a break.", "Sixth, the end."],
    ]
    assert unwrap(groups) == [list(group) for group in groups]


def test_a_headline_with_a_comma_is_not_a_category_list() -> None:
    assert parse_byline("Heat, tiredness and the long days") is None


def test_a_rule_under_a_lone_line_underlines_a_heading_and_draws_no_box(tmp_path: Path) -> None:
    text = (
        "Walking poles on rough ground\n"
        f"{RULE}\nIssue 3 | Spring\n\n"
        f"Before you buy\n{RULE}\n\n" + ARTICLE.split("\n\n", 1)[1]
    )
    path = tmp_path / "poles.txt"
    path.write_text(text, encoding="utf-8")
    assert "Before you buy" in all_text(read_article(path))


def test_a_threads_question_under_the_pages_chrome_is_its_title(tmp_path: Path) -> None:
    path = tmp_path / "thread.txt"
    path.write_text(
        "Forums \u203a Daily life \u203a Heat\nSearch\n\n"
        "Does a cold towel help anyone else on the bus?\n\n"
        "@slow_swimmer\n"
        "On hot days I wrap a damp towel round my neck before the bus, and it keeps my legs "
        "working until I get home.\n",
        encoding="utf-8",
    )
    assert read_article(path).title == "Does a cold towel help anyone else on the bus?"


LABELLED = "~" * 12


def test_an_advertisers_labelled_box_after_the_article_is_not_read(tmp_path: Path) -> None:
    bottom = (
        f"{LABELLED} A WORD FROM TRAILGRIP {LABELLED}\n"
        "Trailgrip poles fold down to the size of a paperback.\n"
        "Readers take 10% off with code SLOWSTEP until Friday.\n"
        f"{LABELLED * 4}\n\nHappy walking,\nJo"
    )
    path = tmp_path / "trail.txt"
    path.write_text(_newsletter("Walking poles on rough ground", bottom), encoding="utf-8")
    text = all_text(read_article(path))
    assert "a weak hand tires quickly" in text
    assert "Trailgrip" not in text
    assert "SLOWSTEP" not in text


def test_a_labelled_box_without_an_offer_is_read(tmp_path: Path) -> None:
    bottom = (
        f"{LABELLED} ONE MORE THING {LABELLED}\n"
        "Rest on the way back, not only on the way out.\n"
        f"{LABELLED * 4}"
    )
    path = tmp_path / "trail.txt"
    path.write_text(_newsletter("Walking poles on rough ground", bottom), encoding="utf-8")
    assert "Rest on the way back" in all_text(read_article(path))


def test_a_masthead_panel_over_an_article_with_its_own_headline_is_not_read(
    tmp_path: Path,
) -> None:
    top = (
        "THE SLOW WALKERS\nNotes for people who like a gentle pace\nIssue 7 · May 2025\n\n"
        "Hello all, a short letter this month, with a tip from a reader at the end."
    )
    article = ARTICLE.replace("Walking poles on rough ground", "WALKING POLES ON ROUGH GROUND")
    path = tmp_path / "trail.txt"
    path.write_text(f"{top}\n{RULE}\n{article}{RULE}\nHappy walking.\n", encoding="utf-8")
    result = read_article(path)
    assert result.title.casefold() == "walking poles on rough ground"
    text = all_text(result)
    assert "a short letter this month" not in text
    assert "gentle pace" not in text
    assert "a pair of poles" in text


def test_a_first_panel_without_chrome_keeps_its_title_and_lead(tmp_path: Path) -> None:
    top = "A letter about walking poles\n\nThis month one reader tells how poles got her out again."
    path = tmp_path / "trail.txt"
    path.write_text(_newsletter(top, "Happy walking."), encoding="utf-8")
    result = read_article(path)
    assert result.title == "A letter about walking poles"
    assert "poles got her out again" in all_text(result)
