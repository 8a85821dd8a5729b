"""An advertiser's block in a plain-text newsletter, found by its label or its offer."""

from __future__ import annotations

from pathlib import Path

import pytest

from msaudio.sources import read_article
from msaudio.sources.txt_adverts import advertisements, is_sponsor_label

from .conftest import all_text

INTRO = (
    "Walking poles on rough ground\n\n"
    "Many of us stop walking in the woods once the paths get uneven, but a pair of poles can "
    "give back the confidence to try again, and they take some weight off tired hips too.\n\n"
)
END = (
    "Look for poles that fold small enough for a bag, with a grip that does not need a tight "
    "hold, because a weak hand tires quickly on a long afternoon out.\n"
)


@pytest.mark.parametrize(
    "advert",
    [
        "SPONSORED\nTrailgrip poles fold down to the size of a paperback: trailgrip.example.com",
        "A word from our sponsor\n\nTrailgrip poles fold small. Free trial at trailgrip.example",
        "Trailgrip poles fold small. Readers take 10% off with code SLOWSTEP this week.",
        "Trailgrip poles fold small: 10% off this week at trailgrip.example.com",
    ],
)
def test_an_advertisers_block_in_the_article_is_not_read(tmp_path: Path, advert: str) -> None:
    path = tmp_path / "poles.txt"
    path.write_text(f"{INTRO}{advert}\n\n{END}", encoding="utf-8")
    text = all_text(read_article(path))
    assert "Trailgrip" not in text
    assert "confidence to try again" in text
    assert "a weak hand tires quickly" in text


@pytest.mark.parametrize(
    "paragraph",
    [
        "A prepayment certificate can save 20 pounds a year if you need many prescriptions.",
        "About 15% of the group said poles helped, and the code of the trail is simple.",
        "Our partner clinic in Leeds lends poles to anyone who asks at the front desk.",
    ],
)
def test_a_paragraph_that_mentions_money_or_a_partner_is_read(
    tmp_path: Path, paragraph: str
) -> None:
    path = tmp_path / "poles.txt"
    path.write_text(f"{INTRO}{paragraph}\n\n{END}", encoding="utf-8")
    assert paragraph.split(",")[0].split(":")[0] in all_text(read_article(path))


def test_labels_are_short_lines_that_are_not_sentences() -> None:
    assert is_sponsor_label("— ADVERTISEMENT —")
    assert is_sponsor_label("In partnership with Frostline")
    assert not is_sponsor_label("Our sponsor lends vests to members.")
    assert not is_sponsor_label("Poles and paths")


def test_a_label_needs_an_offer_or_address_and_a_long_block_is_the_articles() -> None:
    lines = ["Sponsored walks", "We walked " + "a long way and " * 20 + "rested."]
    assert advertisements(lines, [0, 0]) == [False, False]
    assert advertisements([lines[0], "We walked far."], [0, 0]) == [False, False]
    offer = ["Sponsored", "Poles that fold, at trailgrip.example.com"]
    assert advertisements(offer, [0, 0]) == [True, True]
