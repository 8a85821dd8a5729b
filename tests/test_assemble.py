from __future__ import annotations

import io

import numpy as np
import numpy.typing as npt
import soundfile

from msaudio.audio.assemble import narrate, pause_seconds
from msaudio.audio.mp3 import Mp3Stream
from msaudio.config import AudioSettings, VoiceSettings
from msaudio.model import Pause, Script, Section, Sentence

from .conftest import ToneEngine


def script() -> Script:
    one = Section(
        "One", (Sentence("Hello there.", "Hello there."), Sentence("Bye.", "Bye.", Pause.SECTION))
    )
    two = Section("Two", (Sentence("Again.", "Again.", Pause.SECTION),))
    return Script("T", (one, two))


def test_timeline_counts_the_samples_written(tone_engine: ToneEngine) -> None:
    written: list[npt.NDArray[np.int16]] = []
    audio = AudioSettings()
    timeline = narrate(script(), tone_engine, VoiceSettings(engine="tone"), audio, written.append)
    total = sum(len(chunk) for chunk in written)
    assert timeline.duration == total / audio.sample_rate
    assert [c.title for c in timeline.chapters] == ["One", "Two"]
    assert timeline.chapters[0].start == 0 and timeline.chapters[-1].end == timeline.duration
    assert timeline.chapters[1].start == timeline.chapters[0].end
    first = timeline.cues[0]
    assert first.text == "Hello there."
    assert abs((first.end - first.start) - len("Hello there.") * 0.02) < 0.001
    gap = timeline.cues[1].start - first.end
    assert abs(gap - audio.sentence_pause) < 0.001


def test_slower_speed_lengthens_speech_and_pauses(tone_engine: ToneEngine) -> None:
    audio = AudioSettings()
    normal = narrate(script(), tone_engine, VoiceSettings(speed=1.0), audio, lambda s: None)
    slow = narrate(script(), tone_engine, VoiceSettings(speed=0.8), audio, lambda s: None)
    assert abs(slow.duration / normal.duration - 1.25) < 0.01
    assert pause_seconds(Pause.SECTION, audio, 0.8) == audio.section_pause / 0.8


def test_mp3_stream_is_mono_44k_and_decodes_to_the_written_length(tone_engine: ToneEngine) -> None:
    buffer = io.BytesIO()
    stream = Mp3Stream(buffer, 44100, 64)
    timeline = narrate(script(), tone_engine, VoiceSettings(), AudioSettings(), stream.write)
    stream.close()
    buffer.seek(0)
    decoded, rate = soundfile.read(buffer, dtype="int16")
    assert rate == 44100 and decoded.ndim == 1
    # LAME pads the start and end by less than two frames (2 x 1152 samples).
    assert 0 <= len(decoded) - stream.samples_written < 2 * 1152
    assert stream.samples_written == round(timeline.duration * 44100)
