from __future__ import annotations

from pathlib import Path

from msaudio.model import Article, Block, BlockKind, Pause
from msaudio.text.script import build_script, overview_text, summary_of, with_overview


def article(*blocks: Block, **fields: object) -> Article:
    values: dict[str, object] = {"source": Path("a.md"), "slug": "a", "title": "Cool rooms"}
    values.update(fields)
    return Article(blocks=blocks, **values)  # type: ignore[arg-type]


P = BlockKind.PARAGRAPH


def test_headings_start_sections_and_are_spoken() -> None:
    script = build_script(
        article(
            Block(P, "Opening words. Second sentence."),
            Block(BlockKind.HEADING, "Fans", level=2),
            Block(P, "A fan helps."),
            Block(BlockKind.LIST, items=("Water", "Shade!")),
            author="Ada",
            credit="The Beacon",
        ),
        200,
    )
    assert [s.title for s in script.sections] == ["Cool rooms", "Fans"]
    first, second = script.sections
    assert [s.display for s in first.sentences] == [
        "Cool rooms.",
        "Written by Ada.",
        "About one minute, with two sections.",
        "Opening words.",
        "Second sentence.",
    ]
    assert [s.display for s in second.sentences] == [
        "Fans.",
        "A fan helps.",
        "Water.",
        "Shade!",
        "This article comes from The Beacon.",
        "Thank you for listening.",
    ]
    assert first.sentences[3].pause is Pause.SENTENCE
    assert first.sentences[-1].pause is Pause.SECTION
    assert second.sentences[1].pause is Pause.PARAGRAPH
    assert second.sentences[-1].pause is Pause.SECTION


def test_intro_joins_the_first_heading_when_nothing_precedes_it() -> None:
    script = build_script(
        article(
            Block(BlockKind.HEADING, "Start", level=2),
            Block(P, "Text."),
            Block(BlockKind.IMAGE, "A fan"),
        ),
        200,
    )
    assert [s.title for s in script.sections] == ["Start"]
    assert [s.display for s in script.sentences()][:4] == [
        "Cool rooms.",
        "About one minute, with one section.",
        "Start.",
        "Text.",
    ]
    assert script.overview == 1
    assert "Image: A fan." in [s.display for s in script.sentences()]


def test_every_sentence_fits_the_engine_limit() -> None:
    long = "word " * 400
    script = build_script(article(Block(P, long)), 50)
    assert all(0 < len(s.spoken) <= 50 for s in script.sentences())


def test_summary_is_given_or_taken_from_the_opening() -> None:
    assert summary_of(article(Block(P, "x"), summary="  Given   summary ")) == "Given summary"
    opening = "First sentence here. " * 40
    derived = summary_of(article(Block(P, opening)))
    assert derived.startswith("First sentence here.") and len(derived) <= 400


def test_the_overview_says_minutes_and_sections() -> None:
    assert overview_text(29, 1) == "About one minute, with one section."
    assert overview_text(4 * 60 + 20, 3) == "About four minutes, with three sections."
    assert overview_text(25 * 60, 21) == "About 25 minutes, with 21 sections."
    script = build_script(article(Block(P, "Hello. " * 300), author="Ada"), 200)
    assert script.overview == 2
    measured = with_overview(script, 7 * 60)
    assert measured.sentences()[2].display == "About seven minutes, with one section."
    assert measured.sentences()[2].pause is script.sentences()[2].pause
    assert [s.display for s in measured.sentences()][3:] == [s.display for s in script.sentences()][
        3:
    ]
