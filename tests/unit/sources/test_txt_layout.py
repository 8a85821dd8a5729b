"""Plain text as mail clients and PDF copies leave it: wrapped lines, link markers, forwarded
headers, and the lines round a body that name, urge or disclaim."""

from __future__ import annotations

from pathlib import Path

import pytest

from msaudio.model import BlockKind
from msaudio.sources import read_article
from msaudio.sources.txt_mail import strip_mail_text
from msaudio.sources.txt_thread import poster, replies_start
from msaudio.sources.txt_wrap import unwrap, wrap_width
from msaudio.text.chrome import classify
from msaudio.text.chrome_edges import (
    is_call_to_action,
    is_colophon,
    is_disclaimer,
    is_person_name,
    sign_off,
    words,
)
from msaudio.text.chrome_lines import drop_thread_counter
from tests.helpers import all_text

WRAPPED = [
    [
        "When the weather turns cold my legs stiffen before I have even reached",
        "the end of the street, and the first ten minutes of any walk are the",
        "hardest part of the day for me and for my dog, who waits patiently.",
    ],
    [
        "A warm bath before going out loosens the muscles a little, and a scarf",
        "over the mouth makes the cold air easier to breathe on the way to the",
        "bus stop, where the shelter now has a bench that I am glad to sit on.",
    ],
    [
        "On the worst days I take the car to the park instead and walk one lap",
        "of the pond, slowly, with a stop at the cafe for something hot to drink.",
    ],
]


def test_a_wrapped_text_has_its_width_and_its_paragraphs_joined() -> None:
    width = wrap_width(WRAPPED)
    assert width is not None and 65 <= width <= 75
    joined = unwrap(WRAPPED)
    assert [len(group) for group in joined] == [1, 1, 1]
    assert joined[0][0].startswith("When the weather turns cold")
    assert "reached the end of the street" in joined[0][0]


def test_a_writers_own_short_lines_are_kept_apart() -> None:
    poem = [["Slow mornings.", "Cold hands.", "A kettle singing."]]
    assert wrap_width(poem) is None
    assert unwrap(poem) == [["Slow mornings.", "Cold hands.", "A kettle singing."]]


def test_list_items_and_table_rows_are_never_joined_to_the_line_above() -> None:
    groups = [
        [
            "Things that help me on a cold morning, in the order I reach for",
            "- gloves with grip",
            "- a flask of tea",
        ]
    ]
    assert unwrap(groups) == [groups[0]]


def test_a_word_broken_at_a_line_end_is_made_whole() -> None:
    groups = [["Some people notice their symp-", "toms ease once the day warms up again."]]
    assert unwrap(groups) == [
        ["Some people notice their symptoms ease once the day warms up again."]
    ]


def test_link_markers_and_the_trailing_link_list_are_not_read() -> None:
    text = (
        "Our walking group meets on Sundays [1] by the lake.\n"
        "Donate [2]\n\n"
        "Links:\n------\n[1] https://example.org/walk\n[2] https://example.org/give\n"
    )
    stripped, subject = strip_mail_text(text)
    assert subject is None
    assert "[1]" not in stripped and "https://" not in stripped and "Links" not in stripped
    assert "Our walking group meets on Sundays by the lake." in stripped


def test_image_placeholders_go_but_a_description_stays_as_a_caption() -> None:
    stripped, _ = strip_mail_text(
        "[Logo]\n[image: Two volunteers handing out leaflets at the fair]\nText."
    )
    assert "Logo" not in stripped
    assert "Two volunteers handing out leaflets at the fair." in stripped


def test_a_forwarded_messages_headers_go_and_its_subject_is_kept() -> None:
    text = (
        "---------- Forwarded message ---------\n"
        "From: Harbour MS Group <news@example.org>\n"
        "Date: Tue, 3 Nov 2026 at 09:12\n"
        "Subject: Winter walking tips\n"
        "To: <me@example.org>\n\n"
        "Wrap up warm and walk in daylight.\n"
    )
    stripped, subject = strip_mail_text(text)
    assert subject == "Winter walking tips"
    assert "From:" not in stripped and "news@example.org" not in stripped
    assert "Wrap up warm and walk in daylight." in stripped


def test_a_forwarded_mail_pasted_as_text_is_titled_by_its_subject(tmp_path: Path) -> None:
    path = tmp_path / "forwarded.txt"
    path.write_text(
        "---------- Forwarded message ---------\n"
        "From: Harbour MS Group <news@example.org>\n"
        "Subject: Winter walking tips\n\n"
        "Cold air can stiffen the legs, so a slow start helps. Wear gloves that grip "
        "a stick well, and walk while it is light.\n",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.title == "Winter walking tips"
    assert all("news@example.org" not in block.text for block in article.blocks)


@pytest.mark.parametrize("line", ["Margaret Ellis", "Tom O'Hara", "Priya Raman", "Ann MacLeod"])
def test_a_posters_name_is_a_name(line: str) -> None:
    assert is_person_name(line)


@pytest.mark.parametrize(
    "line",
    [
        "Energy Management",
        "Walking Aids",
        "Cold weather",
        "Kind regards",
        "Will Power",
        "March Update",
    ],
)
def test_a_heading_is_not_a_name(line: str) -> None:
    assert not is_person_name(line)


VERBS = frozenset({"share", "join", "follow", "donate", "subscribe", "tap"})


@pytest.mark.parametrize(
    "line", ["Share your tip with us", "Join the walk this Saturday!", "Please donate today"]
)
def test_a_short_imperative_of_the_page_is_a_call_to_action(line: str) -> None:
    assert is_call_to_action(line, line.lower().replace("!", "").split(), VERBS)


def test_a_question_or_a_long_sentence_is_not_a_call_to_action() -> None:
    question = "Share the load?"
    assert not is_call_to_action(question, ["share", "the", "load"], VERBS)
    long = (
        "Follow the advice of your nurse about fluids and keep a diary of how often you need "
        "the toilet each day for a week"
    )
    assert not is_call_to_action(long, long.lower().split(), VERBS)


def test_a_sentence_about_the_leaflet_itself_is_a_disclaimer() -> None:
    line = "This leaflet is for information only and does not replace advice from your team."
    assert is_disclaimer(line, line.lower().split())
    advice = "Drinking enough water helps the bladder, not less."
    assert not is_disclaimer(advice, advice.lower().split())


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/7 A year ago I had my first infusion.", "A year ago I had my first infusion."),
        ("Here is what I learned. 2/12", "Here is what I learned."),
        ("Ask every question. (7/7)", "Ask every question."),
        ("3/ Then the clinic rang.", "Then the clinic rang."),
        ("Take 1/2 a tablet.", "Take 1/2 a tablet."),
        ("It was 2/3", "It was 2/3"),
        ("Scores went from 3/2 to 4.", "Scores went from 3/2 to 4."),
    ],
)
def test_a_thread_counter_goes_and_a_fraction_stays(text: str, expected: str) -> None:
    assert drop_thread_counter(text) == expected


def test_a_thread_whose_posts_end_in_counters_is_read_whole(tmp_path: Path) -> None:
    posts = [
        "My eyes taught me patience this year, and I want to share how I got on. 1/3",
        "First, the clinic found me a lamp that doubled how long I can read each day. 2/3",
        "Last, I asked my phone to read long pages aloud, and it changed my evenings. 3/3",
    ]
    lines = ["Conversation"]
    for post in posts:
        lines += ["Sam Ortega", "@sam_ortega", post, "12", "1.4K"]
    path = tmp_path / "thread.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    spoken = " ".join(block.text for block in read_article(path).blocks)
    for post in posts:
        assert post.rsplit(" ", 1)[0] in spoken
    assert "1.4K" not in spoken and "1/3" not in spoken


def _signed_letter(closing: list[str]) -> list[str]:
    body = [
        "Heat can make old symptoms flare for a few hours, and that is not a relapse. "
        "Cool drinks, shade and a fan usually bring them back down before the evening."
    ] * 4
    return body + closing


@pytest.mark.parametrize(
    "closing",
    [
        ["Stay cool,", "The clinic nursing team", "Nurse line: 0161 555 0100"],
        ["Warm wishes, Priya", "You get this because you asked to hear from us."],
    ],
)
def test_a_letter_ends_at_its_sign_off(closing: list[str]) -> None:
    lines = _signed_letter(closing)
    assert sign_off(lines, [len(words(line)) for line in lines]) == 4
    assert classify(lines)[4:] == [True] * len(closing)


def test_a_comma_line_followed_by_more_article_is_not_a_sign_off() -> None:
    lines = _signed_letter(["First, though,", "A note on fans"]) + _signed_letter([])
    assert sign_off(lines, [len(words(line)) for line in lines]) is None


def test_a_heading_over_the_byline_that_opens_the_body_is_kept() -> None:
    lines = [
        "Harbour Group bulletin, winter edition",
        "View this email in your browser",
        "Making peace with the afternoon slump",
        "By Jo Bell, Information Officer",
        *_signed_letter([]),
    ]
    assert classify(lines)[2] is False


def test_a_thread_ends_where_another_poster_replies() -> None:
    lines = [
        "Sam Ortega",
        "@sam_ortega",
        "My eyes taught me patience this year, and here is how I got on with it.",
        "Sam Ortega",
        "@sam_ortega",
        "A lamp on a long arm doubled how long I can read before my eyes tire.",
        "Reply",
        "Kit Lee",
        "@kitlee",
        "So useful, thank you for writing all of this down for the rest of us.",
    ]
    assert replies_start(lines, body_start=2) == 6


def test_a_forum_topic_ends_at_the_first_post_by_someone_else() -> None:
    lines = [
        "Post by wobblyboots \u00bb Sat Mar 09, 2024 9:12 pm",
        "Here is what finally helped me with the night-time trips, step by step.",
        "Back to top",
        "ferncottage",
        "Posts: 412",
        "Post by ferncottage \u00bb Sat Mar 09, 2024 10:03 pm",
        "Thank you for writing this, it is the first time it made sense to me.",
    ]
    assert replies_start(lines, body_start=1) == 2


def test_a_handle_quoted_inside_an_article_does_not_make_it_a_thread() -> None:
    lines = [
        "The clinic now answers questions online, and nurses reply within a day.",
        "@clinic_team",
        "@someone_else",
    ]
    assert replies_start(lines, body_start=0) is None


def test_a_standfirst_between_the_headline_and_the_share_bar_is_kept() -> None:
    lines = [
        "Read online",
        "Flying with MS: a checklist",
        "Medicines, airport assistance and the art of arriving with energy to spare",
        "Share on X \u00b7 Share on Facebook \u00b7 Forward by email",
        *_signed_letter([]),
    ]
    assert classify(lines)[2] is False


@pytest.mark.parametrize(
    "line",
    [
        "Produced by the Neurology Directorate. Published January 2024.",
        "Review due January 2026.",
        "Last reviewed: March 2025",
        "Version 3, issued 2023",
    ],
)
def test_who_made_the_leaflet_and_when_it_is_reviewed_is_a_colophon(line: str) -> None:
    assert is_colophon(line, words(line))


@pytest.mark.parametrize(
    "line",
    [
        "Published research from 2023 shows that cooling vests help many people.",
        "Reviewed by my neurologist every year, my plan keeps changing.",
    ],
)
def test_a_sentence_about_research_or_a_plan_is_not_a_colophon(line: str) -> None:
    assert not is_colophon(line, words(line))


def test_a_posters_card_pasted_against_the_post_is_not_read(tmp_path: Path) -> None:
    """No blank line between the card (name, counts, place) and the post: the card's short
    lines are not part of the paragraph below them."""
    path = tmp_path / "forum-knees.txt"
    path.write_text(
        "Jump to main content\n"
        "Board index \u2039 Mobility \u2039 Aids and adaptations\n\n"
        "Knee braces for foot drop: my six months\n"
        "Search this topic\u2026\n\n"
        "kestrelhill\n"
        "Posts: 88\n"
        "Joined: Tue Feb 02, 2021 7:30 am\n"
        "Location: Norfolk coast\n"
        "Knee braces for foot drop: my six months\n"
        "Since my last relapse my right foot catches on every kerb, so my physio fitted a "
        "light brace that lifts the toes as I walk.\n"
        "It took about a fortnight to stop noticing it, and now I trip far less often than "
        "I did before the autumn.\n",
        encoding="utf-8",
    )
    article = read_article(path)
    spoken = " ".join(block.text for block in article.blocks)
    assert article.title == "Knee braces for foot drop: my six months"
    assert spoken.startswith("Since my last relapse")
    for chrome in ("kestrelhill", "Norfolk", "Search", "Jump"):
        assert chrome not in spoken


def test_a_heading_pasted_against_its_paragraph_is_kept() -> None:
    lines = [
        "Keeping cool at night",
        "A fan by the bed and a damp flannel helped me more than any gadget did.",
        "What I pack for hot days",
        "A cooling towel, a bottle of water and a hat with a wide brim go everywhere.",
    ]
    assert classify(lines, [0, 0, 1, 1]) == [False, False, False, False]


def test_a_leaflet_under_a_masthead_is_titled_by_its_headline(tmp_path: Path) -> None:
    path = tmp_path / "pdf-bladder.txt"
    path.write_text(
        "Riverside Community Health\n"
        "Continence Service\n\n"
        "Looking after your bladder when you have MS\n\n"
        "Why it happens\n\n"
        "Messages between the brain and the bladder can be slowed or scrambled by MS, so\n"
        "the bladder may feel full too soon or may not empty all the way, and both can be\n"
        "helped once you know which one is happening to you.\n",
        encoding="utf-8",
    )
    article = read_article(path)
    assert article.title == "Looking after your bladder when you have MS"
    assert article.blocks[0].text == "Why it happens"


def test_a_letter_copied_with_its_headers_starts_at_its_headline(tmp_path: Path) -> None:
    path = tmp_path / "newsletter-walks.txt"
    path.write_text(
        "From: Hillside MS Group <news@hillside.example>\n"
        "Subject: Your June letter: walks for every energy level\n"
        "Preview: And a date for the summer picnic.\n\n"
        "~~~~ THIS ISSUE ~~~~\n\n"
        "Short Walks for Long Days\n\n"
        "Three of our members tried a week of short walks instead of one long one, and all three "
        "found they had more energy left for the evening.\n\n"
        "Starting with five minutes and adding one minute a day was the pace that suited most "
        "people, and nobody needed to rest for longer than they walked.\n\n"
        "Enjoyed this? Share the letter with a friend, it only takes a click.\n\n"
        "Every \u00a35 keeps our walking buddies on the road: hillsidems.org/give\n\n"
        "See you soon,\n"
        "Mira\n",
        encoding="utf-8",
    )
    article = read_article(path)
    spoken = " ".join(block.text for block in article.blocks)
    assert article.title == "Short Walks for Long Days"
    assert spoken.startswith("Three of our members")
    assert spoken.endswith("longer than they walked.")


@pytest.mark.parametrize(
    "line",
    [
        "Forward this to someone who needs it. Just click the link below.",
        "Know someone who would like this? Share it from our site at hillsidems.org.uk.",
        "\u00a310 pays for a helpline hour: hillsidems.org/donate",
    ],
)
def test_an_appeal_at_the_end_of_a_letter_is_not_read(line: str) -> None:
    lines = [*_signed_letter([]), line]
    assert classify(lines)[-1] is True


def test_advice_that_ends_an_article_is_not_an_appeal() -> None:
    lines = [
        *_signed_letter([]),
        "Ask your nurse for a referral: it is your right, and the clinic expects the request.",
    ]
    assert classify(lines)[-1] is False


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("by kestrelhill \u00bb Tue Apr 09, 2024 10:17 pm", "kestrelhill"),
        ("Jonno Reyes @jonno_rolls \u00b7 3h", "jonno_rolls"),
        ("Mara Quinn @maraquinn_ms", "maraquinn_ms"),
    ],
)
def test_a_poster_is_named_by_a_forum_line_or_a_name_and_handle(line: str, name: str) -> None:
    assert poster(line) == name


def test_a_byline_is_not_a_poster() -> None:
    assert poster("By Jo Bell") is None
    assert poster("Written by Jo Bell, our editor") is None


def test_a_breadcrumb_with_left_pointing_marks_is_chrome() -> None:
    lines = [
        "Board index \u2039 Daily living \u2039 Work and money",
        *_signed_letter([]),
    ]
    assert classify(lines)[0] is True


def test_an_image_named_after_the_forwarded_messages_sender_is_its_logo() -> None:
    text = (
        "---------- Forwarded message ---------\n"
        "From: Riverside Walkers <news@example.org>\n"
        "Subject: Spring walks\n\n"
        "[image: Riverside Walkers]\n"
        "[image: Six of us on the towpath in April]\n"
        "We walk on Sundays.\n"
    )
    stripped, _ = strip_mail_text(text)
    assert "Riverside Walkers" not in stripped
    assert "Six of us on the towpath in April." in stripped


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("@wren@social.example", "wren@social.example"),
        ("@wren.bsky.social", "wren.bsky.social"),
        ("@wren_walks \u00b7 3h", "wren_walks"),
    ],
)
def test_fediverse_and_bluesky_handles_name_their_poster(line: str, name: str) -> None:
    assert poster(line) == name


def test_a_forwarded_newsletters_own_headline_is_its_title(tmp_path: Path) -> None:
    path = tmp_path / "forwarded.txt"
    path.write_text(
        "---------- Forwarded message ---------\n"
        "From: Harbour MS Group <news@example.org>\n"
        "Subject: Your March letter is here\n\n"
        "HARBOUR LETTER | MARCH\n\n"
        "*Walking in the cold without the stiffness*\n\n"
        "Cold air can stiffen the legs, so a slow start helps. Wear gloves that grip "
        "a stick well, and walk while it is light.\n",
        encoding="utf-8",
    )
    assert "Walking in the cold without the stiffness" in read_article(path).title


LEAFLET = """Clinic Leaflets · Bladder series

Keeping the bladder calm
A short guide

Contents
Why it happens ........................................ 2
What helps ............................................ 3

Leaflet 4 · Page 1 of 3
Clinic Leaflets · Bladder series

Why it happens

Messages to the bladder travel along nerves that MS can damage, so they arrive late.

What helps

Drinking steadily through the day is better than cutting down on drinks, for a start.

Leaflet 4 · Page 2 of 3
Clinic Leaflets · Bladder series
"""


def test_a_leaflets_running_header_is_no_title(tmp_path: Path) -> None:
    path = tmp_path / "leaflet.txt"
    path.write_text(LEAFLET, encoding="utf-8")
    article = read_article(path)
    assert article.title == "Keeping the bladder calm"
    text = " ".join(all_text(article).split())
    assert "Clinic Leaflets" not in text
    assert "Drinking steadily" in text
    assert [b.text for b in article.blocks if b.kind is BlockKind.HEADING] == [
        "Why it happens",
        "What helps",
    ]
