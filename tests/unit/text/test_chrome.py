"""The structural chrome classifier: clutter lines go, short real prose stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from msaudio.model import BlockKind, CleanupRules
from msaudio.sources import read_article
from msaudio.sources.common import match_boilerplate
from msaudio.text.chrome import classify
from msaudio.text.chrome_lines import is_sentence, strong

BODY = (
    "Cooling down after a walk takes me longer than it used to, so I plan a rest stop halfway.",
    "My physio suggested a folding stool, and it has changed how far I dare to go in summer.",
)


@pytest.mark.parametrize(
    "line",
    [
        "\U0001f4ac 31 \u00b7 \U0001f501 7 \u00b7 \u2764\ufe0f 209",
        "9 replies \u00b7 25 reposts \u00b7 140 likes",
        "\u2661 118 \u21bb 12 \U0001f4ac 9",
        "Rosa M. @rosawalksslowly",
        "Page 3 of 4",
        "Share this story on Facebook | Tweet it | Print",
        "\U0001f449 Tap to download the planner",
        "[ GET THE PLANNER ]",
        "Reply \u00b7 Quote \u00b7 Report",
        "Joined: May 2019 \u00b7 Posts: 412",
        "Posted: 3 Mar 2026, 08:15",
        "Manage preferences \u00b7 Unsubscribe",
        "\u00a9 2026 Hillside MS Group",
        "Hillside MS Group, 12 Orchard Lane, Brookfield BF4 2QT",
        "Created: March 1, 2026 Tags: Health Status: Draft",
        "walking_wendy",
    ],
)
def test_clutter_lines_are_strong_chrome(line: str) -> None:
    assert strong(line)


@pytest.mark.parametrize(
    "line",
    [
        "Rest helps.",
        "Ask your nurse about it.",
        "Follow your neurologist's plan.",
        "Share how you feel with your family.",
        "Print the diary and bring it to clinic.",
        "Heat can bring old symptoms back for a while \u2014 it passes once you cool down.",
    ],
)
def test_short_prose_and_imperative_advice_are_not_chrome(line: str) -> None:
    assert not strong(line)
    assert classify([BODY[0], line, BODY[1]]) == [False, False, False]


def test_a_sentence_may_end_in_an_emoji_but_not_be_a_bar_of_links() -> None:
    assert is_sentence("I wish someone had told me this sooner. \U0001f9f5")
    assert not is_sentence("Terms | Privacy | Contact us.")


def test_running_headers_repeated_with_another_page_number_are_chrome() -> None:
    lines = [
        "Hillside leaflet 4 \u2014 sleep",
        BODY[0],
        "Hillside leaflet 4 \u2014 sleep",
        BODY[1],
        "Sheet 2",
        "Sheet 3",
    ]
    assert classify(lines) == [True, False, True, False, True, True]


def test_short_lines_around_the_body_go_but_a_heading_over_it_stays() -> None:
    lines = ["Weekly digest", "Keep cool, keep going!", "Why heat matters", *BODY, "Cheers, Ana"]
    assert classify(lines) == [True, True, False, False, False, True]


def test_a_short_line_between_chrome_lines_is_chrome_between_prose_it_stays() -> None:
    lines = ["Posted: 2 Jun 2026", "Some Name Here", "Reply \u00b7 Quote", BODY[0]]
    assert classify(lines) == [True, True, True, False]
    assert classify([BODY[0], "Some Name Here", BODY[1]]) == [False, False, False]


def test_wrapped_lines_of_a_paragraph_are_judged_together() -> None:
    lines = ["Pacing means breaking a task into parts - with rests", "in between, then", "stop."]
    assert classify(lines, [0, 0, 0]) == [False, False, False]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


FORUM = """Does the cold make your legs stiff?
Home \u203a Forums \u203a Symptoms

frosty_fran
Member \u00b7 88 posts
Posted: 2 Jan 2026, 07:40

Every winter my legs get stiff in the morning and it takes an hour to loosen up. Anyone else?

Reply \u00b7 Quote \u00b7 Report

Brought to you by HillsideMSGroup
Unsubscribe | Update your preferences
"""


def test_a_forum_thread_reads_only_its_posts_and_names_its_source(tmp_path: Path) -> None:
    article = read_article(write(tmp_path, "forum.txt", FORUM))
    texts = [block.text for block in article.blocks]
    assert texts == [
        "Every winter my legs get stiff in the morning and it takes an hour to loosen up. "
        "Anyone else?"
    ]
    assert article.credit == "Hillside MS Group"


def test_the_shows_keep_patterns_win_over_the_classifier(tmp_path: Path) -> None:
    rules = CleanupRules(keep=(r"^Reply",))
    article = read_article(write(tmp_path, "forum.txt", FORUM), rules=rules)
    assert any(block.text.startswith("Reply") for block in article.blocks)


def test_markdown_paragraphs_of_chrome_go_and_list_items_stay(tmp_path: Path) -> None:
    text = "# Clinic notes\n\nCreated: March 1, 2026 Tags: Health\n\n- Ask about the MRI\n" + (
        "- Bring the symptom diary\n\n" + BODY[0] + "\n\n[Back to top](#clinic-notes)\n"
    )
    article = read_article(write(tmp_path, "notes.md", text))
    kinds = [block.kind for block in article.blocks]
    assert kinds == [BlockKind.LIST, BlockKind.PARAGRAPH]


@pytest.mark.parametrize(
    ("line", "credit", "shared"),
    [
        ("Brought to you by Hillside Health", "Hillside Health", None),
        ("Posted by Ana Reyes for Hillside Health", "Hillside Health", "Ana Reyes"),
        ("This piece first appeared on Hillside Health.", "Hillside Health", None),
        ("Courtesy of Hillside Health", "Hillside Health", None),
        ("h/t @HillsideHealth", "HillsideHealth", None),
        ("Reblogged from hillsidehealth", "hillsidehealth", None),
        ("via Hillside Health", "Hillside Health", None),
    ],
)
def test_credits_in_new_wordings_name_the_source(
    line: str, credit: str, shared: str | None
) -> None:
    found = match_boilerplate(line)
    assert found is not None
    assert (found.credit, found.shared) == (credit, shared)


def test_via_inside_a_sentence_is_not_a_credit() -> None:
    assert match_boilerplate("Via the hospital portal, you can book a nurse call.") is None
