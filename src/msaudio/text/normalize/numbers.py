"""Numbers as words, through num2words, and the steps that say them.

num2words speaks British English ("one hundred and one", "one thousand, two hundred"): the
"and"s and commas are dropped, as American speech and piper's own reading of digits have it.
Plain integers ("10") are left as digits, which piper reads well.
"""

from __future__ import annotations

import re
from functools import lru_cache

from num2words import num2words

from msaudio.text.normalize.patterns import NOT_AFTER_NUMBER_PART, NOT_BEFORE_NUMBER_PART
from msaudio.text.normalize.tables import FRACTIONS

NUMBER_LIMIT = 10**12
""":func:`number_words` and :func:`ordinal_words` accept ``-NUMBER_LIMIT < n < NUMBER_LIMIT``."""


def _american(words: str) -> str:
    """num2words' British phrasing made American: no "and" inside a number, no commas."""
    return " ".join(word for word in words.replace(",", "").split() if word != "and")


def _check(n: int) -> None:
    if not -NUMBER_LIMIT < n < NUMBER_LIMIT:
        raise ValueError(f"number words support magnitudes below 10**12, got {n}")


@lru_cache(maxsize=4096)  # num2words takes ~100 µs a number; articles repeat theirs
def number_words(n: int) -> str:
    """American English words for a whole number: ``1200`` → ``"one thousand two hundred"``.

    Negative numbers start with "minus". Raises ``ValueError`` outside ±(10**12 - 1).
    """
    _check(n)
    return _american(str(num2words(n)))


@lru_cache(maxsize=4096)
def ordinal_words(n: int) -> str:
    """Ordinal words: ``1`` → ``"first"``, ``21`` → ``"twenty-first"``, ``100`` →
    ``"one hundredth"``."""
    _check(n)
    if n < 0:  # num2words refuses negative ordinals
        return f"minus {ordinal_words(-n)}"
    return _american(str(num2words(n, to="ordinal")))


@lru_cache(maxsize=4096)
def year_words(year: int) -> str:
    """How a year is said: 1905 → "nineteen oh five", 2005 → "two thousand five", 2024 →
    "twenty twenty-four", 1900 → "nineteen hundred"."""
    return _american(str(num2words(year, to="year"))).replace("oh-", "oh ")


def plural_words(words: str) -> str:
    """The plural of a decade said in words: "nineteen ninety" → "nineteen nineties"."""
    return f"{words[:-1]}ies" if words.endswith("y") else f"{words}s"


def digits_words(digits: str) -> str:
    """Each digit as a word: ``"05"`` → ``"zero five"`` (the part after a decimal point, where
    "1.0" keeps its "point zero", which num2words would drop)."""
    return " ".join(number_words(int(digit)) for digit in digits)


def _integer_words(digits: str) -> str | None:
    """Words for an unsigned integer written with optional thousands commas, or ``None`` when
    it is too large to say as words."""
    value = int(digits.replace(",", ""))
    return number_words(value) if value < NUMBER_LIMIT else None


_MINUS = re.compile(r"(?:^|(?<=[\s(\[]))[-−](?=\.?[0-9])")


def minus_signs(text: str) -> str:
    """A minus sign starting a number is "minus": "-5°C" → "minus 5°C"."""
    return _MINUS.sub("minus ", text)


_DECADE = re.compile(r"(?<![\w'’.,])['’]?(?P<tens>[1-9]0)s(?!\w)")


def decades(text: str) -> str:
    """Say decades: "the '90s" → "the nineties", "in their 40s" → "in their forties"."""
    return _DECADE.sub(lambda match: plural_words(number_words(int(match["tens"]))), text)


_ORDINAL = re.compile(rf"{NOT_AFTER_NUMBER_PART}(?P<number>[0-9]+)(?i:st|nd|rd|th)(?!\w)")


def ordinals(text: str) -> str:
    """Say ordinals: "1st" → "first", "21st" → "twenty-first", "100th" → "one hundredth"."""
    return _ORDINAL.sub(
        lambda match: (
            ordinal_words(int(match["number"]))
            if int(match["number"]) < NUMBER_LIMIT
            else match.group()
        ),
        text,
    )


_GROUPED = re.compile(
    rf"{NOT_AFTER_NUMBER_PART}(?P<whole>[0-9]{{1,3}}(?:,[0-9]{{3}})+)"
    rf"(?:\.(?P<fraction>[0-9]+))?{NOT_BEFORE_NUMBER_PART}(?!\w)"
)
_DECIMAL = re.compile(
    rf"{NOT_AFTER_NUMBER_PART}(?P<whole>[0-9]*)\.(?P<fraction>[0-9]+){NOT_BEFORE_NUMBER_PART}"
    r"(?!\w)"
)


def _say_number(match: re.Match[str]) -> str:
    whole, fraction = match["whole"], match["fraction"]
    words = _integer_words(whole) if whole else ""
    if words is None:
        return match.group()
    if fraction:
        point = f"point {digits_words(fraction)}"
        return f"{words} {point}" if words else point
    return words


def grouped_numbers(text: str) -> str:
    """Say numbers with thousands separators: "1,200" → "one thousand two hundred", so a
    separator is never read as a pause or a list."""
    return _GROUPED.sub(_say_number, text)


def decimals(text: str) -> str:
    """Say decimals: "0.5" → "zero point five", "98.6" → "ninety-eight point six", ".5" →
    "point five"; version numbers such as "1.2.3" are left alone."""
    return _DECIMAL.sub(_say_number, text)


_VULGAR = "".join(written for written in FRACTIONS if len(written) == 1)
_FRACTION = re.compile(
    rf"(?<![\w.,/])(?:(?P<whole>[0-9]+)(?:[ \u00a0](?=[0-9]+/))?)?"
    rf"(?P<fraction>[{_VULGAR}]|[0-9]+/[0-9]+(?![0-9/]))"
    r"(?P<noun>\s+(?:of\s+)?[a-z]+)?"
)
_ARTICLE_BEFORE = re.compile(r"(?:^|\s)(?:a|an|A|An)\s+\Z")


def _say_fraction(match: re.Match[str]) -> str:
    known = FRACTIONS.get(match["fraction"])
    noun = match["noun"] or ""
    if known is None or (match["fraction"][0].isdigit() and not noun and not match["whole"]):
        return match.group()  # "24/7", or "3/4" alone (a date?): left as written
    numerator, one, many = known
    part = f"{number_words(numerator)} {many}" if numerator > 1 else f"a {one}"
    words = noun.split()
    if match["whole"]:
        return f"{number_words(int(match['whole']))} and {part}{noun}"  # "one and a half hours"
    if _ARTICLE_BEFORE.search(match.string[: match.start()]) and numerator == 1:
        return f"{one}{noun}"  # "a ½ tablet" → "a half tablet"
    if words and words[0] != "of" and not words[-1].endswith("s"):
        if numerator == 1 and one == "half":
            return f"half a {words[0]}"  # "½ tablet" → "half a tablet"
        return f"{part} of a {words[0]}"  # "3/4 cup" → "three quarters of a cup"
    return f"{part}{noun}"  # "¾ of patients", "½ cups"


def fractions(text: str) -> str:
    """Say fractions: "1½ hours" → "one and a half hours", "½ tablet" → "half a tablet",
    "3/4 cup" → "three quarters of a cup", "¼ of people" → "a quarter of people"."""
    if "/" not in text and not any(char in _VULGAR for char in text):
        return text  # most sentences: skip the pattern
    return _FRACTION.sub(_say_fraction, text)
