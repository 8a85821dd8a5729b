"""The rules ``msaudio check`` applies to text in a feed and the files it names:
RFC 2822 dates, ``itunes:duration`` and JSON chapters (WebVTT is :mod:`msaudio.publish.webvtt`).

Each returns what is wrong, in words, and never raises.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import math
import re
from typing import TypeGuard

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_RFC2822 = re.compile(
    r"\s*(?:(?P<weekday>[A-Za-z]{3}),\s*)?(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3})\s+"
    r"(?P<year>\d{4})\s+(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?\s+"
    r"(?P<zone>[+-]\d{4}|UT|GMT|[ECMP][SD]T|Z)\s*"
)


def rfc2822_problem(text: str) -> str | None:
    """Why ``text`` is not an RFC 2822 date-time with a true weekday, or ``None``."""
    match = _RFC2822.fullmatch(text)
    if match is None:
        return "is not an RFC 2822 date like 'Wed, 01 May 2024 12:00:00 GMT'"
    # The pattern holds the form; email.utils reads the values, and knows only real months.
    parsed = email.utils.parsedate_tz(text)
    if parsed is None:
        return f"has an unknown month {match['month']!r}"
    try:
        date = dt.datetime(*parsed[:6])
    except ValueError as error:
        return f"is not a real date ({error})"
    weekday = match["weekday"]
    if weekday is not None:
        if weekday.title() not in _WEEKDAYS:
            return f"has an unknown weekday {weekday!r}"
        if weekday.title() != _WEEKDAYS[date.weekday()]:
            return f"says {weekday} but {date:%d %b %Y} is a {date:%A}"
    return None


def duration_seconds(text: str) -> float | None:
    """``itunes:duration`` in seconds: ``SS``, ``MM:SS`` or ``HH:MM:SS``; ``None`` if neither."""
    fields = text.split(":")
    if len(fields) > 3 or not all(re.fullmatch(r"\d+(?:\.\d+)?", f) for f in fields):
        return None
    if len(fields) > 1 and any(float(f) >= 60 for f in fields[1:]):
        return None
    seconds = 0.0
    for value in fields:
        seconds = seconds * 60 + float(value)
    return seconds


def chapters_problems(text: str, duration: float | None) -> list[str]:
    """Why ``text`` is not a Podcasting 2.0 JSON chapters file with ascending chapters.

    With the episode's ``duration``, a chapter must also start within the audio.
    """
    try:
        document = json.loads(text)
    except ValueError as error:
        return [f"not valid JSON ({error})"]
    if not isinstance(document, dict):
        return ["JSON chapters must be an object with 'version' and 'chapters'"]
    problems: list[str] = []
    if not isinstance(document.get("version"), str):
        problems.append("JSON chapters need a 'version' string")
    chapters = document.get("chapters")
    if not isinstance(chapters, list):
        return [*problems, "JSON chapters need a 'chapters' list"]
    previous = -1.0
    for number, chapter in enumerate(chapters, 1):
        start = chapter.get("startTime") if isinstance(chapter, dict) else None
        if not _is_time(start):
            problems.append(f"chapter {number} has no numeric 'startTime'")
            continue
        title = chapter.get("title")
        if not isinstance(title, str) or not title.strip():
            problems.append(f"chapter {number} has no 'title'")
        end = chapter.get("endTime")
        if end is not None and not (_is_time(end) and end >= start):
            problems.append(f"chapter {number} has an 'endTime' that is not a time after its start")
        if start < previous:
            problems.append(f"chapter {number} starts before the chapter before it")
        if duration is not None and start > duration:
            problems.append(f"chapter {number} starts at {start:g} s, after the audio ends")
        previous = start
    return problems


def _is_time(value: object) -> TypeGuard[float]:
    """Whether ``value`` is a JSON number usable as a time (not a boolean, not negative)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value >= 0
    )
