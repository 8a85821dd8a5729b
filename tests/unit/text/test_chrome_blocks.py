"""Blocks round a plain-text article judged whole: boxes that point away, legal footers."""

from __future__ import annotations

from pathlib import Path

from msaudio.sources import read_article
from msaudio.sources.eml_chrome import is_mail_furniture
from msaudio.text.chrome import classify
from msaudio.text.chrome_edges import is_person_name, points_away
from msaudio.text.chrome_lines import strong
from tests.helpers import all_text

BODY = [
    "Slow mornings",
    "Most days start stiff, and the first hour goes on stretching, a warm drink and the radio "
    "before I try the stairs.",
    "By ten the legs have usually loosened enough for a short walk to the corner shop and back.",
]


def test_a_line_pointing_to_a_web_address_is_a_pointer() -> None:
    assert points_away("Half price this week → shoes.example.com")
    assert points_away("Read it in a browser: https://example.org/issue/3")
    assert not points_away("The trial is listed at example.org.")
    assert not points_away("We walked to the park and back.")


def test_a_short_box_pointing_away_above_or_below_the_article_is_chrome() -> None:
    lines = [
        "Pictures not loading? Read it in a browser: https://example.org/issue/3",
        "SUPPORTED BY A SHOE SHOP",
        "Soft insoles for tired feet, made in Leeds.",
        "Half price this week with code STEP5 → shoes.example.com",
        *BODY,
        "Like what you read? Put a coin in the tin: example.org/tin",
    ]
    groups = [0, 1, 1, 1, 2, 3, 4, 5]
    assert classify(lines, groups) == [True] * 4 + [False] * 3 + [True]


def test_a_legal_line_in_the_last_block_does_not_stretch_the_body() -> None:
    lines = [
        *BODY,
        "Company no. 5550123. Registered in England and Wales.",
        "This newsletter is general information and not a substitute for advice.",
        "\u00a9 2025 Slow Mornings Ltd",
    ]
    verdicts = classify(lines, [0, 1, 2, 2, 2, 2])
    assert verdicts == [False] * 3 + [True] * 3


def test_the_mailing_list_line_is_furniture_written_with_a_contraction() -> None:
    assert is_mail_furniture("You\u2019re getting this because you joined at a walk.", linked=False)
    assert is_mail_furniture("You're getting this because you joined at a walk.", linked=False)


def test_a_lone_label_in_a_posts_block_between_chrome_is_chrome() -> None:
    lines = [
        "@slow_swimmer",
        "Swimming in a warm pool is the only exercise that leaves me less tired, not more.",
        "3:10 PM \u00b7 Jun 2, 2025",
        "Translated",
        "@pool_pal",
        "Same for me, the warm water is what makes the difference for my legs.",
    ]
    verdicts = classify(lines, [0] * 6)
    assert verdicts == [True, False, True, True, True, False]


def test_a_menu_item_on_the_first_line_is_no_title(tmp_path: Path) -> None:
    path = tmp_path / "pool-notes.txt"
    path.write_text(
        "Skip to main menu\nHome\nSearch\n\n@slow_swimmer\n"
        "Swimming in a warm pool is the only exercise that leaves me less tired, not more. "
        "The water holds my legs up and the warmth keeps the spasms away.\n",
        encoding="utf-8",
    )
    article = read_article(path)
    assert "menu" not in article.title.casefold()
    assert "warm pool" in all_text(article)


def test_a_display_name_with_an_emoji_is_a_name() -> None:
    assert is_person_name("Margaret Ellis \U0001f33b")
    assert not is_person_name("\U0001f33b \U0001f33b")


def test_a_sign_in_prompt_above_the_body_is_chrome_and_does_not_open_it() -> None:
    lines = [
        "Hello, visitor. Please log in or register.",
        "Forgot your password? Reset it by email.",
        "Which cooling scarf lasts the longest on a hot bus?",
        "I have tried three kinds this summer and the gel one stays cold for about an hour.",
    ]
    assert classify(lines, [0, 0, 1, 2]) == [True, True, False, False]


def test_a_handle_or_mail_address_is_no_pointer_to_a_web_page() -> None:
    assert not points_away("@slow_swimmer@social.example")
    assert not points_away("Write to us at hello@example.org")


def test_a_prompt_to_sign_in_and_reply_below_the_body_is_chrome() -> None:
    lines = [
        *BODY,
        "Sign in to follow this account, share its posts and reply to them.",
        "About \u00b7 Privacy \u00b7 Get the app",
        "v2.1.0",
    ]
    verdicts = classify(lines, [0, 1, 2, 2, 2, 2])
    assert verdicts == [False] * 3 + [True] * 3


def test_a_running_header_is_repeated_with_or_without_its_page_number() -> None:
    lines = ["Riverside Clinic", *BODY, "Riverside Clinic 3", "Step 1", "Step"]
    verdicts = classify(lines, [0, 1, 2, 3, 4, 5, 6])
    assert verdicts[4] is True and verdicts[3] is False


def test_a_contact_line_with_a_phone_number_is_chrome_but_a_sentence_with_one_is_not() -> None:
    assert strong("Nurse line: 01632 960 118 (weekdays, 9am to 4pm)")
    assert strong("Call 0300 555 0199")
    assert not strong("If your sight goes suddenly, ring 0300 555 0199 the same day.")


def test_a_short_line_ending_on_an_ellipsis_is_a_placeholder_not_a_sentence() -> None:
    from msaudio.text.chrome_lines import is_sentence

    assert not is_sentence("Write a comment\u2026")
    assert not is_sentence("Loading...")
    assert is_sentence("By the evening my legs had gone and I could not find the words...")


def test_a_name_with_accented_letters_is_a_name() -> None:
    assert is_person_name("Zo\u00eb Kowalski")


def test_a_posters_bar_does_not_open_the_body() -> None:
    lines = [
        "Pinned",
        "Wren Tal \u00b7 Top fan",
        "Does anyone else find loud restaurants exhausting now? We ate at home this year.",
    ]
    assert classify(lines, [0, 1, 1]) == [True, True, False]


def test_a_three_word_label_inside_a_posts_block_is_judged_by_its_neighbours() -> None:
    lines = [
        "@slow_swimmer",
        "Swimming in a warm pool is the only exercise that leaves me less tired, not more.",
        "3:10 PM \u00b7 Jun 2, 2025",
        "Most relevant first",
        "@pool_pal",
    ]
    assert classify(lines, [0] * 5)[3] is True


def test_a_counter_under_a_line_that_ends_its_phrase_is_judged_alone() -> None:
    lines = [
        "Swimming in a warm pool is the only exercise that leaves me less tired, not more.",
        "Pool days this month",
        "\U0001f4ac 4 \U0001f501 2 \u2764\ufe0f 31",
        "The water holds my legs up and the warmth keeps the spasms away for hours.",
    ]
    verdicts = classify(lines, [0] * 4)
    assert verdicts[2] is True and verdicts[0] is False and verdicts[3] is False
