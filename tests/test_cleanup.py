"""Cleanup steps, the show's own [cleanup] and [speech] settings, and parts for unheaded text."""

from __future__ import annotations

from pathlib import Path

import pytest

from msaudio.build import build_show
from msaudio.config import load_config
from msaudio.errors import ArticleError, ConfigError
from msaudio.model import Block, BlockKind
from msaudio.sources import read_article
from msaudio.text.cleanup import (
    clean_sentence_text,
    is_decoration,
    speak_hashtags,
    speak_urls,
    unlink_markdown,
)
from msaudio.text.sections import SINGLE_PART_CHARS, split_into_parts

from .conftest import NOW, ToneEngine, episode_file


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tips at https://www.example.org/a/b?x=1 for you.", "Tips at example.org for you."),
        ("Read the guide (https://example.org/guide) first.", "Read the guide first."),
        ("See www.example.com.", "See example.com."),
        ("Cool down fast 🧊🔥 today!!!", "Cool down fast today!"),
        ("Join us for #MSAwareness week", "Join us for MS Awareness week"),
        ("Rest well today. #MS #fatigue #tips", "Rest well today."),
        ("Thanks to @LakesideMSGroup for this.", "Thanks to Lakeside MS Group for this."),
        ("Shared by @MSViewsandNews today", "Shared by MS Views and News today"),
        ("Our #TipsandTricks page", "Our Tips and Tricks page"),
        ("Hi @ThousandOaksMS and @QuicksandDesigns!", "Hi Thousand Oaks MS and Quicksand Designs!"),
        ("Write to help@example.org today.", "Write to help@example.org today."),
        ("See the [patient guide](https://example.org/g) now.", "See the patient guide now."),
        ("*** Important *** news ~~~~", "Important news"),
        ("• First point", "First point"),
    ],
)
def test_cleanup_steps(text: str, expected: str) -> None:
    assert clean_sentence_text(text) == expected


def test_steps_are_small_functions() -> None:
    assert speak_urls("at http://example.org/x.") == "at example.org."
    assert speak_hashtags("#world_ms_day is in May") == "world ms day is in May"


@pytest.mark.parametrize(
    ("text", "ornament"),
    [
        ("~ ~ ~", True),
        ("\u5f61 \u2550\u2550\u2550\u2550\u2550\u2550 \u5f61", True),
        ("x \u2605 \u2605 \u2605 x", True),
        ("I", False),
        ("A + B = C", False),
        ("5 \u2192 10 \u2192 15", False),
        ("1 + 2 + 3 = 6", False),
        ("\u2605 Top tip \u2605", False),
    ],
)
def test_decoration_is_symbols_with_no_word_among_them(text: str, ornament: bool) -> None:
    assert is_decoration(text) is ornament


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_article_that_is_only_links_and_tags_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "links.md", "---\ntitle: Links\n---\n\n#MS #tips\n\n🎉🎉\n")
    with pytest.raises(ArticleError) as raised:
        read_article(path)
    assert str(raised.value).startswith(str(path))


def test_show_patterns_drop_and_keep_lines(show_dir: Path, tone_engine: ToneEngine) -> None:
    toml = show_dir / "podcast.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + "[cleanup]\n"
        + "drop = ['^Sponsored by ']\n"
        + "keep = ['^Subscribe to our support group']\n",
        encoding="utf-8",
    )
    write(
        show_dir / "episodes",
        "support.txt",
        "Finding a support group\n\n"
        "Sponsored by Example Pharma Limited\n\n"
        "Talking with people who understand MS can make a hard week easier to carry.\n"
        "Subscribe to our support group meetings by calling the clinic on Monday.\n"
        "Subscribe to the newsletter\n",
    )
    config = load_config(show_dir)
    article = read_article(show_dir / "episodes" / "support.txt", rules=config.cleanup)
    texts = [block.text for block in article.blocks]
    assert "Sponsored by Example Pharma Limited" not in texts
    assert any(t.startswith("Subscribe to our support group") for t in texts)
    assert not any("newsletter" in t for t in texts)
    build_show(config, show_dir / "public", now=NOW, engine=tone_engine)
    spoken = " ".join(tone_engine.calls)
    assert "Sponsored" not in spoken and "support group meetings" in spoken


def test_bad_show_patterns_are_configuration_errors(show_dir: Path) -> None:
    toml = show_dir / "podcast.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + "[cleanup]\ndrop = ['(unclosed']\n", encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"cleanup\.drop.*unclosed"):
        load_config(show_dir)


def test_show_lexicon_changes_what_is_said(show_dir: Path, tone_engine: ToneEngine) -> None:
    toml = show_dir / "podcast.toml"
    write(show_dir, "words.tsv", "# our words\nOcrevus\toh crev us\nMS\tmultiple sclerosis\n")
    toml.write_text(
        toml.read_text(encoding="utf-8") + '[speech]\nlexicon = "words.tsv"\n', encoding="utf-8"
    )
    write(show_dir / "episodes", "drug.md", "---\ntitle: Infusions\n---\n\nOcrevus helps MS.\n")
    result = build_show(load_config(show_dir), show_dir / "public", now=NOW, engine=tone_engine)
    assert not result.failures
    assert "oh crev us helps multiple sclerosis." in tone_engine.calls
    vtt = episode_file(show_dir / "public", "drug", ".vtt").read_text(encoding="utf-8")
    assert "Ocrevus helps MS." in vtt  # the transcript shows the article as written


def test_a_missing_show_lexicon_is_a_configuration_error(show_dir: Path) -> None:
    toml = show_dir / "podcast.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + '[speech]\nlexicon = "nope.tsv"\n', encoding="utf-8"
    )
    with pytest.raises(ConfigError, match=r"speech\.lexicon.*nope\.tsv"):
        load_config(show_dir)


def paragraph(words: int, seed: str) -> Block:
    return Block(BlockKind.PARAGRAPH, text=" ".join([f"{seed}{i}" for i in range(words)]) + ".")


def test_unheaded_text_is_cut_into_parts_between_paragraphs() -> None:
    short = tuple(paragraph(20, f"s{n}") for n in range(5))
    assert len(split_into_parts(short)) == 1
    blocks = tuple(paragraph(60, f"w{n}x") for n in range(24))  # about 10 000 characters
    parts = split_into_parts(blocks)
    assert 5 <= len(parts) <= 7
    assert tuple(block for part in parts for block in part.blocks) == blocks
    sizes = [sum(len(b.text) for b in part.blocks) for part in parts]
    assert all(1100 <= size <= 3300 for size in sizes)  # one to three minutes each
    assert parts[1].title.startswith("Part 2: w") and parts[1].title.endswith("…")
    assert sum(len(b.text) for b in short) <= SINGLE_PART_CHARS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Done. [Print](javascript:window.print())", "Done."),
        ("[Share](JavaScript:void(0)) [Top](#top)", ""),
        ("As [the notes](#notes) say, rest first.", "As the notes say, rest first."),
        ("Write to [the editor](mailto:ed@example.org) today.", "Write to the editor today."),
        ("See [the guide](https://example.org/guide).", "See the guide."),
    ],
)
def test_page_working_links_in_plain_text(text: str, expected: str) -> None:
    """Issue 21 finding 10: ``[text](javascript:…)`` in a plain-text article was read aloud
    as written; a link that runs code goes, an in-page one is read as its text in a
    sentence and dropped when it is all there is, a mailto link is its text."""
    assert unlink_markdown(text) == expected
