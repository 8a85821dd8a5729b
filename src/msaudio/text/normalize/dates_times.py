"""Dates, clock times, years and ranges: "2024-05-01", "10:30 p.m.", "March 3", "1990s",
"2–3"."""

from __future__ import annotations

import re

from msaudio.text.normalize.numbers import ordinal_words, plural_words, year_words
from msaudio.text.normalize.patterns import (
    NOT_AFTER_NUMBER_PART,
    NOT_BEFORE_NUMBER_PART,
    SPACE,
    ends_sentence,
)
from msaudio.text.normalize.tables import MONTHS
from msaudio.text.normalize.units import is_count

YEAR_RANGE = (1100, 2099)
"""Four-digit numbers in this range (inclusive) are said as years."""

_ISO_DATE = re.compile(
    r"(?<![\w.,:/-])(?P<year>1[1-9][0-9]{2}|20[0-9]{2})-(?P<month>0[1-9]|1[0-2])"
    rf"-(?P<day>0[1-9]|[12][0-9]|3[01]){NOT_BEFORE_NUMBER_PART}(?!\w)"
)


def iso_dates(text: str) -> str:
    """Say ISO dates: "2024-05-01" → "May first, twenty twenty-four"."""
    return _ISO_DATE.sub(
        lambda match: (
            f"{MONTHS[int(match['month']) - 1]} {ordinal_words(int(match['day']))}, "
            f"{year_words(int(match['year']))}"
        ),
        text,
    )


_RANGE_SIDE = r"[0-9]+(?::[0-5][0-9]|\.[0-9]+)?"
_RANGE = re.compile(
    rf"(?<![\w.,:/–-])(?P<low>{_RANGE_SIDE})"
    rf"(?P<dash>-|{SPACE}?–{SPACE}?)"
    rf"(?P<high>{_RANGE_SIDE}){NOT_BEFORE_NUMBER_PART}"
)


def _value(side: str) -> float:
    """A range end as a number (a time "10:30" as 10.5)."""
    hours, _, minutes = side.partition(":")
    return float(hours) + float(minutes) / 60 if minutes else float(side)


def _is_hyphen_range(low: str, high: str) -> bool:
    """Whether "low-high" with a hyphen is a range rather than a score, a code or a phone
    number: rising, no leading zeros, not 3 digits then 4 ("555-1234"). "2019-20" counts."""
    if any(len(side) > 1 and side[0] == "0" and side[1].isdigit() for side in (low, high)):
        return False
    if low.isdigit() and high.isdigit() and len(low) == 3 and len(high) == 4:
        return False
    if len(low) == 4 and len(high) == 2 and low.isdigit() and high.isdigit():
        return int(low[2:]) < int(high)
    return _value(low) < _value(high)


def _say_range(match: re.Match[str]) -> str:
    low, high = match["low"], match["high"]
    if match["dash"] == "-" and not _is_hyphen_range(low, high):
        return match.group()
    return f"{low} to {high}"


def ranges(text: str) -> str:
    """Say ranges: "2–3" and "2-3 times" → "2 to 3"; dates, phone numbers and scores are
    left alone."""
    return _RANGE.sub(_say_range, text)


_CLOCK = re.compile(
    r"(?<![\w.,:])(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-5][0-9]))?"
    rf"{SPACE}?(?P<half>[AaPp])(?:(?P<dotted>\.{SPACE}?[Mm]\.?)|[Mm])(?!\w)"
)
_BARE_CLOCK = re.compile(
    r"(?<![\w.,:])(?P<hour>[01]?[0-9]|2[0-3]):(?P<minute>[0-5][0-9])(?![0-9]|[:.][0-9])"
)


def _minutes(minute: str) -> str:
    """Clock minutes as piper says them: "05" → " oh 5", "30" → " 30", "00" → ""."""
    value = int(minute)
    if value == 0:
        return ""
    return f" oh {value}" if value < 10 else f" {value}"


def _say_clock(match: re.Match[str]) -> str:
    hour = int(match["hour"])
    if not 1 <= hour <= 12:
        return match.group()
    said = f"{hour}{_minutes(match['minute'] or '00')} {match['half'].upper()}M"
    dotted = match["dotted"]
    if dotted and dotted.endswith(".") and ends_sentence(match.string, match.end()):
        said += "."
    return said


def _say_bare_clock(match: re.Match[str]) -> str:
    hour, minute = int(match["hour"]), match["minute"]
    if minute != "00":
        return f"{hour}{_minutes(minute)}"
    return f"{hour} o'clock" if hour <= 12 else f"{hour} hundred"


def times(text: str) -> str:
    """Say clock times: "10 a.m." → "10 AM", "10:30 p.m." → "10 30 PM", "10:05" →
    "10 oh 5", "10:00" → "10 o'clock".

    piper says "AM" and "PM" as letters after a number, while it reads "A M" as "a M"
    and "10:05" as "ten zero five"; a sentence ending in "p.m." keeps its full stop.
    """
    return _BARE_CLOCK.sub(_say_bare_clock, _CLOCK.sub(_say_clock, text))


_MONTH_NAMES = "|".join(MONTHS)
_DAY = r"(?:[1-9]|[12][0-9]|3[01])(?![0-9]|[.:][0-9])(?!\w)"
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH_NAMES}){SPACE}(?P<day>{_DAY})(?: to (?P<last>{_DAY}))?"
)
_DAY_MONTH = re.compile(
    rf"{NOT_AFTER_NUMBER_PART}(?P<day>{_DAY}){SPACE}(?P<month>{_MONTH_NAMES})\b"
)


def _say_month_day(match: re.Match[str]) -> str:
    if is_count(match.string, match.end()):
        return match.group()  # "In June 2 mg were given"
    said = f"{match['month']} {ordinal_words(int(match['day']))}"
    return f"{said} to {ordinal_words(int(match['last']))}" if match["last"] else said


def month_days(text: str) -> str:
    """Say the day of a month as an ordinal: "March 3" → "March third", "June 10–12" →
    "June tenth to twelfth", "14 September" → "the fourteenth of September"."""
    text = _MONTH_DAY.sub(_say_month_day, text)
    return _DAY_MONTH.sub(
        lambda match: f"the {ordinal_words(int(match['day']))} of {match['month']}", text
    )


_BLOOD_PRESSURE = re.compile(r"(?<![\w.,/])(?P<top>[0-9]{2,3})/(?P<bottom>[0-9]{2,3})(?=\s?mmHg)")


def blood_pressure(text: str) -> str:
    """Say blood pressure: "120/80 mmHg" → "120 over 80 mmHg"."""
    return _BLOOD_PRESSURE.sub(r"\g<top> over \g<bottom>", text)


_YEAR = re.compile(
    r"(?<![\w.,:/$£€#])(?<![0-9]-)(?P<year>1[1-9][0-9]{2}|20[0-9]{2})(?P<s>s)?"
    rf"(?!\w){NOT_BEFORE_NUMBER_PART}"
)


def _say_year(match: re.Match[str]) -> str:
    year = int(match["year"])
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        return match.group()
    if match["s"]:
        return plural_words(year_words(year))
    if is_count(match.string, match.end()):
        return match.group()
    return year_words(year)


def years(text: str) -> str:
    """Say years: "1990" → "nineteen ninety", "2005" → "two thousand five", "2024" → "twenty
    twenty-four", "1990s" → "nineteen nineties"; not "2000 mg", "1,990" or "1500 patients"."""
    return _YEAR.sub(_say_year, text)
