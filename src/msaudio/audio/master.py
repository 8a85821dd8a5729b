"""Second pass: the narration, at the show's loudness and under its peak ceiling, to the encoder.

The narration was metered while it was spoken, so one gain brings it near its
target (−19 LUFS for mono) before anything is written. The look-ahead limiter
that keeps true peaks under −2 dBTP takes a little loudness back, and
jingles and the bed add some, so the episode is first played through the meter
alone (a rehearsal: no encoding) and the gain corrected by what it measured. Without music,
narration can rehearse each piece as it is spoken (see :func:`msaudio.audio.assemble.narrate`),
and the episode is played once.
The timeline is counted in the samples written and shifted by the encoder's
start delay, so chapter and cue times match what players decode.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from msaudio.audio.assemble import REHEARSAL_HEADROOM_DB, Behind, Narration, Spill
from msaudio.audio.loudness import Audio, LoudnessMeter, from_db, limit
from msaudio.audio.mp3 import ENCODER_DELAY
from msaudio.audio.music import Music
from msaudio.model import Chapter, Cue, Timeline

MAX_CORRECTION_DB = 20.0

LEAD_IN_SECONDS = 0.5
"""Silence before the first sound of an episode. Bluetooth headphones and speakers wake
up on the first samples and clip a few hundred milliseconds, and a speech recognizer
mishears a first word that starts at the very first sample ("Staying" heard as "saying")."""

ONE_PASS_DB = 1.0
"""The largest correction played straight from narration's own rehearsal (at 0 dB): raising
limited speech by more limits it harder, so beyond this the correction is rehearsed too."""

SINK_BACKLOG = 2
"""Pieces handed to the sink's thread and not yet taken: memory holds at most this many more."""

Sink = Callable[[Audio], None]
"""Receives consecutive mono float32 samples at the episode's sample rate."""


def correction_db(measured: float, target: float) -> float:
    """Gain in dB bringing ``measured`` LUFS to ``target``; none for silence."""
    if not math.isfinite(measured):
        return 0.0
    return max(-MAX_CORRECTION_DB, min(MAX_CORRECTION_DB, target - measured))


def master(
    narration: Narration,
    spill: Spill,
    sink: Sink,
    *,
    target: float,
    music: Music | None = None,
) -> Timeline:
    """Write the episode to ``sink`` at ``target`` LUFS; return its timeline in decoded seconds."""
    gain = correction_db(narration.loudness, target)
    if music is None and narration.limited and abs(gain) <= ONE_PASS_DB:
        # Narration metered every piece through the limiter: that was the rehearsal, at 0 dB.
        return play(narration, spill, sink, gain, None)
    rehearsal = LoudnessMeter(narration.rate)
    play(narration, spill, rehearsal.feed, gain, music)
    gain += correction_db(rehearsal.integrated(), target)
    return play(narration, spill, sink, gain, music)


def play(
    narration: Narration, spill: Spill, sink: Sink, gain_db: float, music: Music | None
) -> Timeline:
    """Lead-in silence, jingle, speech at ``gain_db`` over the bed, jingle: limited, into ``sink``.

    ``sink`` runs on a thread of its own, a few pieces behind: the encoder and the
    meter let other threads run, so the next piece is read and limited meanwhile.
    """
    with Behind(sink, SINK_BACKLOG) as behind:
        return _play(narration, spill, behind, gain_db, music)


def _play(
    narration: Narration, spill: Spill, sink: Sink, gain_db: float, music: Music | None
) -> Timeline:
    rate = narration.rate
    gain = np.float32(from_db(gain_db))
    # Peaks measured in rehearsal are of the speech alone, and only good up to its headroom.
    rehearsed = music is None and gain_db <= REHEARSAL_HEADROOM_DB
    position = 0

    def write(samples: Audio, peaks: Audio | None = None) -> None:
        nonlocal position
        if len(samples):
            sink(limit(samples, rate, peaks=peaks))
            position += len(samples)

    write(np.zeros(round(LEAD_IN_SECONDS * rate), np.float32))
    if music is not None and music.intro is not None:
        write(music.intro)
    speech_start = position
    span = narration.length
    cues: list[Cue] = []
    starts: dict[int, int] = {}
    for piece in narration.pieces:
        if piece.offset is None:
            samples = np.zeros(piece.length, np.float32)
        else:
            samples = spill.read(piece.offset, piece.length) * gain
            starts.setdefault(piece.section, position)
        if music is not None:
            bed = music.bed_at(position - speech_start, piece.length, span)
            if bed is not None:
                samples = samples + bed
        start = position
        # The limiter needs only the block peaks: measured in rehearsal, they scale with the gain.
        peaks = piece.peaks * gain if piece.peaks is not None and rehearsed else None
        write(samples, peaks)
        if piece.text is not None:
            cues.append(Cue(_seconds(start, rate), _seconds(position, rate), piece.text))
    if music is not None and music.outro is not None:
        write(music.outro)
    return Timeline(
        duration=_seconds(position, rate),
        chapters=_chapters(narration.titles, starts, position, rate),
        cues=tuple(cues),
    )


def _seconds(sample: int, rate: int) -> float:
    """Time in the decoded audio of the ``sample``-th sample written."""
    return (sample + ENCODER_DELAY) / rate


def _chapters(
    titles: list[str], starts: dict[int, int], end: int, rate: int
) -> tuple[Chapter, ...]:
    """One chapter per section with speech: the first from 0, each until the next begins."""
    present = [(index, starts[index]) for index in range(len(titles)) if index in starts]
    chapters = []
    for number, (index, start) in enumerate(present):
        begin = 0.0 if number == 0 else _seconds(start, rate)
        finish = _seconds(present[number + 1][1], rate) if number + 1 < len(present) else None
        chapters.append(Chapter(titles[index], begin, finish or _seconds(end, rate)))
    return tuple(chapters)
