"""One narration for ``build``, ``say`` and ``proof``: a plan → an MP3 and its timeline.

The speech is spoken and metered first (into a temporary spill), then set to
the show's loudness and encoded (see :mod:`msaudio.audio.master`). What the
engine was given for each sentence comes back with the timeline, so a caller
never has to watch the engine to know what was said.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from msaudio.audio.assemble import Spill, narrate
from msaudio.audio.master import master
from msaudio.audio.mp3 import Mp3Stream
from msaudio.audio.music import Music
from msaudio.audio.synthesis import Speech, default_jobs
from msaudio.config import AudioSettings
from msaudio.model import Timeline

if TYPE_CHECKING:
    from msaudio.plan import EpisodePlan


@dataclass(frozen=True)
class Narrated:
    """An episode's audio as written: its timeline and what was said in it."""

    timeline: Timeline
    spoken: tuple[str, ...]
    """The text the engine was given for each cue of ``timeline``, in the same order."""


def narrate_episode(
    plan: EpisodePlan,
    audio: AudioSettings,
    target: Path,
    *,
    music: Music | None = None,
    speech: Speech | None = None,
    on_sentence: Callable[[], None] | None = None,
) -> Narrated:
    """Narrate ``plan`` into an MP3 at ``target`` (untagged, written in place).

    A build passes the ``speech`` it queued for the plan (see
    :func:`msaudio.audio.assemble.queued_texts`); otherwise the plan's engine
    speaks here, one sentence at a time.
    """
    extra = 0.0
    if music is not None:
        extra = sum(len(m) for m in (music.intro, music.outro) if m is not None) / music.rate

    def length_sentence(seconds: float) -> str:
        return plan.length_sentence(seconds + extra)

    with Spill() as spill:
        narration = narrate(
            plan.script,
            speech or plan.engine,
            plan.voice,
            audio,
            spill,
            overview=length_sentence,
            on_sentence=on_sentence,
            rehearse=music is None,
        )
        rate, bitrate = audio.sample_rate, audio.bitrate
        with target.open("wb") as out, Mp3Stream(out, rate, bitrate, default_jobs()) as stream:
            timeline = master(narration, spill, stream.write, target=audio.loudness, music=music)
    spoken = tuple(piece.spoken for piece in narration.pieces if piece.spoken is not None)
    return Narrated(timeline, spoken)
