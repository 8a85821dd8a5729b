"""WebVTT, written and read: the transcript podcast apps highlight sentence by sentence.

:func:`render_vtt` writes the cues of a timeline; :func:`read_vtt` reads a file
back into cues and the problems found in it, which ``msaudio check`` reports
(:func:`vtt_problems`). Times are whole milliseconds once written, and the
talking book's clips use the very same numbers (:func:`vtt_cues`).
"""

from __future__ import annotations

import itertools
import math
import re
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from msaudio.model import Cue
from msaudio.publish.atomic import write_bytes_atomic
from msaudio.publish.common import collapse

VTT_HEADER = "WEBVTT\n\n"
LINE_WIDTH = 65
"""Longest caption line, in characters of displayed text."""

_VTT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_VTT_UNESCAPES = (("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", "\u00a0"), ("&amp;", "&"))
_VTT_TIME = re.compile(r"(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})")


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
        text = collapse(cue.text)
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


def millisecond_clock(milliseconds: int) -> str:
    """``HH:MM:SS.mmm`` of a whole number of milliseconds (a SMIL full clock value too)."""
    return _timestamp(milliseconds)


def clock(seconds: float) -> str:
    """``HH:MM:SS.mmm``: the time format of WebVTT and of Podlove Simple Chapters."""
    return _timestamp(_milliseconds(seconds))


def write_vtt(path: Path, cues: Sequence[Cue], end: float) -> None:
    """Render the WebVTT transcript and write it to ``path`` atomically (UTF-8)."""
    write_bytes_atomic(path, render_vtt(cues, end).encode("utf-8"))


class ReadCue(NamedTuple):
    """One cue of a WebVTT file as read back."""

    start: float
    """Seconds."""

    end: float
    """Seconds."""

    lines: tuple[str, ...]
    """The cue's text lines as written (escaped)."""

    @property
    def text(self) -> str:
        """The lines joined by spaces, with WebVTT's character references read."""
        text = " ".join(self.lines)
        for escaped, character in _VTT_UNESCAPES:
            text = text.replace(escaped, character)
        return text


def read_vtt(text: str) -> tuple[list[ReadCue], list[str]]:
    """The cues of a WebVTT file, and why it is not a well-formed one with ascending cues."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not re.fullmatch(r"WEBVTT(?:[ \t].*)?", lines[0]):
        return [], ["does not start with 'WEBVTT'"]
    cues: list[ReadCue] = []
    problems: list[str] = []
    previous = -1.0
    for first, block in _blocks(lines)[1:]:  # the first block is the header
        if block[0].startswith(("NOTE", "STYLE", "REGION")):
            continue
        offset = next((i for i, line in enumerate(block[:2]) if "-->" in line), None)
        if offset is None:
            problems.append(f"line {first}: a block without a cue timing ('start --> end')")
            continue
        timing = block[offset]
        start_text, _, rest = timing.partition("-->")
        start, end = _vtt_time(start_text.strip()), _vtt_time((rest.split() or [""])[0])
        where = f"line {first + offset}"
        if start is None or end is None:
            problems.append(f"{where}: cue timing {timing!r} does not parse")
            continue
        cues.append(ReadCue(start, end, tuple(block[offset + 1 :])))
        if end <= start:
            problems.append(f"{where}: cue ends at or before it starts ({timing!r})")
        if start < previous:
            problems.append(f"{where}: cue starts before the previous one ({timing!r})")
        previous = start
    if not cues and not problems:
        problems.append("has no cues")
    return cues, problems


def vtt_problems(text: str) -> list[str]:
    """Why ``text`` is not a well-formed WebVTT file with ascending cues (see :func:`read_vtt`)."""
    return read_vtt(text)[1]


def _blocks(lines: list[str]) -> list[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the (1-based) number of its first line."""
    blocks: list[tuple[int, list[str]]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        if blocks and blocks[-1][0] + len(blocks[-1][1]) == number:
            blocks[-1][1].append(line)
        else:
            blocks.append((number, [line]))
    return blocks


def _vtt_time(text: str) -> float | None:
    match = _VTT_TIME.fullmatch(text)
    if match is None:
        return None
    hours, minutes, seconds, millis = (int(group or 0) for group in match.groups())
    return hours * 3600 + minutes * 60 + seconds + millis / 1000


def _check_order(cues: Sequence[Cue]) -> None:
    """Raise :class:`ValueError` unless cue start times never go backwards."""
    for previous, cue in itertools.pairwise(cues):
        if cue.start < previous.start:
            raise ValueError(
                f"cue at {cue.start:.3f} s starts before the previous one ({previous.start:.3f} s)"
            )


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
