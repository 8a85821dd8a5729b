"""Script → PCM stream: each sentence synthesized, resampled, followed by its pause.

Audio goes to the sink sentence by sentence, so memory holds one sentence at a
time. The timeline (a chapter per section, a cue per sentence) is counted in
the samples actually written.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

import numpy as np
import numpy.typing as npt

from msaudio.config import AudioSettings, VoiceSettings
from msaudio.engines.base import Engine
from msaudio.errors import EngineError
from msaudio.model import Chapter, Cue, Pause, Script, Sentence, Timeline

with warnings.catch_warnings():
    # pydub warns at import when ffmpeg is absent (msaudio never asks it for ffmpeg)
    # and, on Python 3.11-3.12, that audioop is deprecated (audioop-lts replaces it on 3.13+).
    warnings.simplefilter("ignore", RuntimeWarning)
    warnings.simplefilter("ignore", DeprecationWarning)
    from pydub import AudioSegment

Sink = Callable[[npt.NDArray[np.int16]], None]
"""Receives consecutive mono int16 samples at the output sample rate."""


def pause_seconds(pause: Pause, audio: AudioSettings, speed: float) -> float:
    """Length of the silence after a sentence; slower speech gets longer pauses."""
    seconds = {
        Pause.SENTENCE: audio.sentence_pause,
        Pause.PARAGRAPH: audio.paragraph_pause,
        Pause.SECTION: audio.section_pause,
    }[pause]
    return seconds / speed


def speak(
    engine: Engine, sentence: Sentence, voice: VoiceSettings, rate: int
) -> npt.NDArray[np.int16]:
    """One sentence as int16 samples at ``rate`` Hz."""
    try:
        chunks = list(engine.synthesize(sentence.spoken, voice.voice, voice.speed))
        source_rate = engine.sample_rate(voice.voice)
    except EngineError:
        raise
    except Exception as error:
        raise EngineError(f"{engine.name} failed on {sentence.spoken[:60]!r}: {error}") from error
    samples = np.concatenate(chunks).astype(np.int16) if chunks else np.zeros(0, np.int16)
    if source_rate == rate or not len(samples):
        return samples
    segment = AudioSegment(
        data=samples.tobytes(), sample_width=2, frame_rate=source_rate, channels=1
    )
    resampled = segment.set_frame_rate(rate).raw_data
    return np.frombuffer(resampled, dtype=np.int16)


def narrate(
    script: Script,
    engine: Engine,
    voice: VoiceSettings,
    audio: AudioSettings,
    sink: Sink,
    on_sentence: Callable[[], None] | None = None,
) -> Timeline:
    """Speak ``script`` into ``sink``; return the timeline of what was written."""
    rate = audio.sample_rate
    position = 0
    chapters: list[Chapter] = []
    cues: list[Cue] = []
    for section in script.sections:
        section_start = position
        for sentence in section.sentences:
            samples = speak(engine, sentence, voice, rate)
            sink(samples)
            cues.append(Cue(position / rate, (position + len(samples)) / rate, sentence.display))
            position += len(samples)
            silence = round(pause_seconds(sentence.pause, audio, voice.speed) * rate)
            sink(np.zeros(silence, dtype=np.int16))
            position += silence
            if on_sentence is not None:
                on_sentence()
        chapters.append(Chapter(section.title, section_start / rate, position / rate))
    return Timeline(duration=position / rate, chapters=tuple(chapters), cues=tuple(cues))
