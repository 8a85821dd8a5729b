"""The feed date rule that ``msaudio check`` applies, with each of its messages."""

from __future__ import annotations

import pytest

from msaudio.check_rules import rfc2822_problem


@pytest.mark.parametrize(
    "text",
    [
        "Wed, 01 May 2024 12:00:00 GMT",
        "01 May 2024 12:00 +0200",
        "Sun, 2 Jun 2024 20:30:00 -0500",
        "wed, 01 may 2024 12:00:00 UT",
        "Thu, 29 Feb 2024 08:00:00 EST",
    ],
)
def test_dates_podcast_apps_read_pass(text: str) -> None:
    assert rfc2822_problem(text) is None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2024-05-01T12:00:00Z", "is not an RFC 2822 date like 'Wed, 01 May 2024 12:00:00 GMT'"),
        ("Wed, 01 Mai 2024 12:00:00 GMT", "has an unknown month 'Mai'"),
        ("Fri, 30 Feb 2024 12:00:00 GMT", "is not a real date (day is out of range for month)"),
        ("Wed, 01 May 2024 25:00:00 GMT", "is not a real date (hour must be in 0..23)"),
        ("Wen, 01 May 2024 12:00:00 GMT", "has an unknown weekday 'Wen'"),
        ("Thu, 01 May 2024 12:00:00 GMT", "says Thu but 01 May 2024 is a Wednesday"),
    ],
)
def test_each_wrong_date_says_what_is_wrong(text: str, problem: str) -> None:
    assert rfc2822_problem(text) == problem
