"""The transcript as an episode page shows it: chapters, each with its sentences."""

from __future__ import annotations

import bisect
import math
import operator
from collections.abc import Sequence
from typing import NamedTuple

from markupsafe import Markup

from msaudio.model import Chapter, Cue
from msaudio.publish.pages_html import _iso_duration, _seconds, _spans, _text
from msaudio.publish.transcript import player_clock

_CHAPTER_FIELDS = operator.attrgetter("title", "start")
_CUE_FIELDS = operator.attrgetter("start", "end", "text")


class CueView(NamedTuple):
    """One sentence of the transcript as the page shows it."""

    number: int
    """1-based position in the transcript (gives the element id ``cue-N``)."""

    start: str
    """Start in seconds, three decimals (``data-start``)."""

    end: str
    """End in seconds, three decimals (``data-end``)."""

    text: str
    """Display text, whitespace collapsed, characters HTML cannot carry dropped."""


class ChapterView(NamedTuple):
    """A chapter as the chapter list and the transcript show it."""

    number: int
    title: str
    start: str
    """Start in seconds, three decimals (``data-start`` and the ``#t=`` fragment)."""

    clock: str
    """Start as ``M:SS`` or ``H:MM:SS``."""

    iso: str
    """Start as an ISO 8601 duration, for ``<time datetime>``."""

    rows: tuple[tuple[int, str, str, str], ...]
    """The sentences heard in this chapter, in order, as plain ``CueView`` tuples.

    Plain tuples because a long show has hundreds of thousands of them: making
    each a named tuple took longer than rendering it.
    """

    @property
    def spans(self) -> Markup:
        """The rows as the transcript's HTML: one ``<span class="cue">`` per sentence, per line."""
        return _spans(self.rows)

    @property
    def cues(self) -> tuple[CueView, ...]:
        """The sentences heard in this chapter, in order."""
        return tuple(CueView._make(row) for row in self.rows)


def transcript_chapters(
    chapters: Sequence[Chapter], cues: Sequence[Cue]
) -> tuple[ChapterView, ...]:
    """The cues grouped under the chapters they are heard in.

    A cue belongs to the last chapter starting at or before it; one that starts
    before the first chapter opens that chapter. Without chapters, all cues
    form one untitled group. Cues with no text are left out, as in the other
    transcripts.
    """
    return _transcript(tuple(map(_CHAPTER_FIELDS, chapters)), tuple(map(_CUE_FIELDS, cues)))


def _transcript(
    chapters: Sequence[tuple[str, float]], cues: Sequence[tuple[float, float, str]]
) -> tuple[ChapterView, ...]:
    """:func:`transcript_chapters`, from ``(title, start)`` and ``(start, end, text)`` tuples."""
    ordered = sorted(chapters, key=operator.itemgetter(1))
    starts = [start for _, start in ordered]
    groups: list[list[tuple[int, str, str, str]]] = [[] for _ in range(max(len(ordered), 1))]
    number = 0
    # The innermost loop of a build (every sentence of every episode), so it
    # inlines the common case of _text, and _seconds as "%.3f" % (the same
    # digits as the format spec, in half the time); "x if not x < 0.0 else
    # 0.0" is max(x, 0.0) exactly, -0.0 and NaN included.
    for start, end, text in cues:
        text = text.strip() if text.isprintable() and "  " not in text else _text(text)
        if not text:
            continue
        number += 1
        index = bisect.bisect_right(starts, start) - 1
        groups[max(0, index)].append(
            (
                number,
                "%.3f" % (start if not start < 0.0 else 0.0),
                "%.3f" % (end if not end < 0.0 else 0.0),
                text,
            )
        )
    if not ordered:
        return (ChapterView(0, "", _seconds(0.0), player_clock(0.0), "PT0S", tuple(groups[0])),)
    return tuple(
        ChapterView(
            number,
            _text(title),
            _seconds(start),
            player_clock(start),
            _iso_duration(math.floor(start)),
            tuple(group),
        )
        for number, ((title, start), group) in enumerate(zip(ordered, groups, strict=True), 1)
    )
