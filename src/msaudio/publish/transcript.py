"""Transcripts and chapters beside the MP3: WebVTT captions and Podcasting 2.0 JSON.

Podcast apps that follow the Podcast Index namespace (``podcast:transcript``,
``podcast:chapters``) fetch these files and highlight the sentence being read.
:func:`plain_transcript` gives the same words as one block of text for the
MP3's own lyrics frame (USLT), which players without feed support show.
"""

from __future__ import annotations

import bisect
import itertools
import json
import math
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from msaudio.model import Chapter, Cue, Timeline
from msaudio.publish.atomic import write_bytes_atomic
from msaudio.publish.common import WHITESPACE

VTT_HEADER = "WEBVTT\n\n"
LINE_WIDTH = 65
"""Longest caption line, in characters of displayed text."""

CHAPTERS_VERSION = "1.2.0"

_VTT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def render_vtt(cues: Sequence[Cue], end: float) -> str:
    """The cues as a WebVTT file that covers the narration without gaps.

    Each cue starts at its own ``start`` and lasts until the next cue starts,
    so a sentence stays highlighted through the pause after it; the last one
    ends at ``max(end, last.end)`` (at least a millisecond after it starts).
    Times are rounded to the millisecond once, so consecutive cues share a
    boundary and never overlap. Text is collapsed to single spaces (no-break
    spaces are kept), wrapped at word boundaries into lines of at most
    :data:`LINE_WIDTH` displayed characters (a longer word is broken), and
    escaped (``&``, ``<``, ``>``), so it never holds ``-->`` or a blank line.
    Cues with no text are left out (the previous cue runs on over them); cues
    that start at the same millisecond are merged into one. Raises
    :class:`ValueError` when a cue starts before the one preceding it or a
    time is negative or not finite.
    """
    timed = vtt_cues(cues, end)
    if not timed:
        return VTT_HEADER
    blocks = [
        f"{_timestamp(cue.start)} --> {_timestamp(cue.end)}\n{_cue_payload(cue.text)}"
        for cue in timed
    ]
    return VTT_HEADER + "\n\n".join(blocks) + "\n"


class TimedText(NamedTuple):
    """One WebVTT cue as :func:`render_vtt` writes it, before wrapping and escaping."""

    start: int
    """Milliseconds."""

    end: int
    """Milliseconds: the next cue's start, or the end of the narration for the last."""

    text: str
    """Collapsed display text (of several sentences when they start at one millisecond)."""

    sentences: tuple[int, ...]
    """Indices in the timeline's cues of the sentences it shows."""


def vtt_cues(cues: Sequence[Cue], end: float) -> list[TimedText]:
    """The cues of the WebVTT transcript, with their times in milliseconds (see
    :func:`render_vtt`); the talking book's clips are these very numbers."""
    _check_order(cues)
    starts: list[int] = []
    texts: list[str] = []
    members: list[list[int]] = []
    for index, cue in enumerate(cues):
        text = _collapse(cue.text)
        if not text:
            continue
        start = _milliseconds(cue.start)
        if starts and starts[-1] == start:
            texts[-1] = f"{texts[-1]} {text}"
            members[-1].append(index)
        else:
            starts.append(start)
            texts.append(text)
            members.append([index])
    if not starts:
        return []
    last_end = max(_milliseconds(max(end, cues[-1].end)), starts[-1] + 1)
    ends = [*starts[1:], last_end]
    return [
        TimedText(a, b, text, tuple(sentences))
        for a, b, text, sentences in zip(starts, ends, texts, members, strict=True)
    ]


def render_chapters_json(chapters: Sequence[Chapter]) -> bytes:
    """Podcasting 2.0 JSON chapters (version 1.2.0), earliest chapter first.

    Times are seconds rounded to three decimals; the text is UTF-8 with
    non-ASCII characters kept as they are, indented by one space, ending with a
    newline. Raises :class:`ValueError` for a time that is not finite.
    """
    ordered = sorted(chapters, key=lambda chapter: chapter.start)
    document = {
        "version": CHAPTERS_VERSION,
        "chapters": [
            {
                "startTime": round(float(chapter.start), 3),
                "endTime": round(float(chapter.end), 3),
                "title": chapter.title,
            }
            for chapter in ordered
        ],
    }
    text = json.dumps(document, ensure_ascii=False, indent=1, allow_nan=False)
    return (text + "\n").encode("utf-8")


def plain_transcript(timeline: Timeline) -> str:
    """The narration as plain text: one paragraph per chapter, blank lines between.

    A paragraph holds the texts of the cues that start within its chapter,
    joined with single spaces. A cue belongs to the last chapter starting at or
    before it (so one that starts before the first chapter opens that chapter);
    chapters without any cue give no paragraph. Without chapters, all cues make
    one paragraph.
    """
    chapters = sorted(timeline.chapters, key=lambda chapter: chapter.start)
    starts = [chapter.start for chapter in chapters]
    paragraphs: list[list[str]] = [[] for _ in range(max(len(chapters), 1))]
    for cue in timeline.cues:
        text = _collapse(cue.text)
        if text:
            index = max(bisect.bisect_right(starts, cue.start) - 1, 0)
            paragraphs[index].append(text)
    return "\n\n".join(" ".join(texts) for texts in paragraphs if texts)


def millisecond_clock(milliseconds: int) -> str:
    """``HH:MM:SS.mmm`` of a whole number of milliseconds (a SMIL full clock value too)."""
    return _timestamp(milliseconds)


def clock(seconds: float) -> str:
    """``HH:MM:SS.mmm``: the time format of WebVTT and of Podlove Simple Chapters."""
    return _timestamp(_milliseconds(seconds))


def player_clock(seconds: float) -> str:
    """``M:SS`` under an hour, ``H:MM:SS`` from an hour on; like a player's clock, it truncates."""
    total = max(math.floor(seconds), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def write_vtt(path: Path, cues: Sequence[Cue], end: float) -> None:
    """Render the WebVTT transcript and write it to ``path`` atomically (UTF-8)."""
    write_bytes_atomic(path, render_vtt(cues, end).encode("utf-8"))


def write_chapters_json(path: Path, chapters: Sequence[Chapter]) -> None:
    """Render the JSON chapters and write them to ``path`` atomically."""
    write_bytes_atomic(path, render_chapters_json(chapters))


def _check_order(cues: Sequence[Cue]) -> None:
    """Raise :class:`ValueError` unless cue start times never go backwards."""
    for previous, cue in itertools.pairwise(cues):
        if cue.start < previous.start:
            raise ValueError(
                f"cue at {cue.start:.3f} s starts before the previous one ({previous.start:.3f} s)"
            )


def _collapse(text: str) -> str:
    """The text with every run of (breaking) whitespace turned into one space."""
    return WHITESPACE.sub(" ", text).strip(" ")


def _cue_payload(text: str) -> str:
    """Collapsed text wrapped into caption lines, each escaped for WebVTT."""
    lines = textwrap.wrap(
        text,
        width=LINE_WIDTH,
        break_long_words=True,
        break_on_hyphens=False,
        expand_tabs=False,
        replace_whitespace=False,
    )
    return "\n".join(line.translate(_VTT_ESCAPES) for line in lines)


def _milliseconds(seconds: float) -> int:
    """Seconds as a whole number of milliseconds; negative or infinite times are refused."""
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"invalid time {seconds!r} s in a transcript")
    return round(seconds * 1000)


def _timestamp(milliseconds: int) -> str:
    """``HH:MM:SS.mmm`` (hours grow past two digits when they must)."""
    seconds, millis = divmod(milliseconds, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}.{millis:03d}"
