"""Chapters beside the MP3 (Podcasting 2.0 JSON), and the transcript as plain text.

Podcast apps that follow the Podcast Index namespace (``podcast:chapters``)
fetch the chapters; the WebVTT transcript is :mod:`msaudio.publish.webvtt`.
:func:`plain_transcript` gives the same words as one block of text for the
MP3's own lyrics frame (USLT), which players without feed support show.
"""

from __future__ import annotations

import bisect
import json
import math
from collections.abc import Sequence
from pathlib import Path

from msaudio.model import Chapter, Timeline
from msaudio.publish.atomic import write_bytes_atomic
from msaudio.publish.common import collapse

CHAPTERS_VERSION = "1.2.0"


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
        text = collapse(cue.text)
        if text:
            index = max(bisect.bisect_right(starts, cue.start) - 1, 0)
            paragraphs[index].append(text)
    return "\n\n".join(" ".join(texts) for texts in paragraphs if texts)


def player_clock(seconds: float) -> str:
    """``M:SS`` under an hour, ``H:MM:SS`` from an hour on; like a player's clock, it truncates."""
    total = max(math.floor(seconds), 0)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def write_chapters_json(path: Path, chapters: Sequence[Chapter]) -> None:
    """Render the JSON chapters and write them to ``path`` atomically."""
    write_bytes_atomic(path, render_chapters_json(chapters))
