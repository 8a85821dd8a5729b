from __future__ import annotations

import io
from collections.abc import Iterator

import numpy as np
import numpy.typing as npt
import pytest
import soundfile
from scipy.signal import resample_poly

from msaudio.audio import master as master_module
from msaudio.audio.assemble import Spill, narrate, pause_seconds, trim
from msaudio.audio.loudness import CEILING
from msaudio.audio.master import LEAD_IN_SECONDS, master
from msaudio.audio.mp3 import ENCODER_DELAY, Mp3Stream
from msaudio.config import AudioSettings, VoiceSettings
from msaudio.engines.base import Samples
from msaudio.model import Pause, Script, Section, Sentence, Timeline
from tests.audio_checks import decode, integrated_loudness, peak_dbfs, section_onsets
from tests.helpers import ToneEngine

RATE = 44100


def say(text: str, pause: Pause = Pause.SENTENCE) -> Sentence:
    return Sentence(text, text.upper(), pause)


def script(overview: int | None = None) -> Script:
    one = Section(
        "One",
        (
            say("Title."),
            say("Placeholder overview."),
            say("Hello there, this is the first chapter."),
            say("Bye for now.", Pause.SECTION),
        ),
    )
    two = Section("Two", (say("Again, a second chapter begins.", Pause.SECTION),))
    three = Section("Three", (say("Third.", Pause.PARAGRAPH), say("The end.", Pause.SECTION)))
    return Script("T", (one, two, three), overview)


def render(
    engine: ToneEngine, audio: AudioSettings | None = None, speed: float = 1.0
) -> tuple[Timeline, bytes, list[npt.NDArray[np.float32]]]:
    audio = audio or AudioSettings()
    written: list[npt.NDArray[np.float32]] = []
    buffer = io.BytesIO()
    stream = Mp3Stream(buffer, audio.sample_rate, audio.bitrate)

    def sink(samples: npt.NDArray[np.float32]) -> None:
        written.append(samples)
        stream.write(samples)

    with Spill() as spill:
        narration = narrate(script(), engine, VoiceSettings(speed=speed), audio, spill)
        timeline = master(narration, spill, sink, target=audio.loudness)
    stream.close()
    return timeline, buffer.getvalue(), written


def test_timeline_counts_the_samples_written(tone_engine: ToneEngine) -> None:
    audio = AudioSettings()
    timeline, _, written = render(tone_engine, audio)
    total = sum(len(chunk) for chunk in written)
    delay = ENCODER_DELAY / RATE
    assert timeline.duration == pytest.approx(total / RATE + delay)
    assert [c.title for c in timeline.chapters] == ["One", "Two", "Three"]
    assert timeline.chapters[0].start == 0 and timeline.chapters[-1].end == timeline.duration
    for before, after in zip(timeline.chapters, timeline.chapters[1:], strict=False):
        assert before.end == after.start
    assert [cue.text for cue in timeline.cues] == [s.display for s in script().sentences()]
    first, second = timeline.cues[:2]
    # The episode opens with a moment of silence, which a player's Bluetooth wake-up may clip.
    assert first.start == pytest.approx(LEAD_IN_SECONDS + delay, abs=0.002)
    samples = np.concatenate(written)
    lead = round(LEAD_IN_SECONDS * RATE)
    assert not samples[:lead].any() and np.abs(samples[lead : lead + RATE // 100]).max() > 0.01
    # A tone sentence lasts 20 ms per character; trimming takes at most a few samples.
    assert first.end - first.start == pytest.approx(len("Title.") * 0.02, abs=0.002)
    assert second.start - first.end == pytest.approx(audio.sentence_pause, abs=1e-4)
    chapter_two = timeline.chapters[1]
    assert chapter_two.start == timeline.cues[4].start
    assert chapter_two.start - timeline.cues[3].end == pytest.approx(audio.section_pause, abs=1e-4)


def test_slower_speed_lengthens_speech_and_pauses(tone_engine: ToneEngine) -> None:
    audio = AudioSettings()
    normal, _, _ = render(tone_engine, audio, 1.0)
    slow, _, _ = render(tone_engine, audio, 0.8)
    spoken = [timeline.duration - LEAD_IN_SECONDS for timeline in (normal, slow)]
    assert spoken[1] / spoken[0] == pytest.approx(1.25, abs=0.01)  # the lead-in does not stretch
    assert pause_seconds(Pause.SECTION, audio, 0.8) == audio.section_pause / 0.8


def test_the_overview_is_spoken_last_with_the_measured_length(tone_engine: ToneEngine) -> None:
    lengths: list[float] = []

    def overview(seconds: float) -> str:
        lengths.append(seconds)
        return "About one minute, with three sections."

    audio = AudioSettings()
    with Spill() as spill:
        narration = narrate(
            script(overview=1), tone_engine, VoiceSettings(), audio, spill, overview=overview
        )
        timeline = master(narration, spill, lambda s: None, target=audio.loudness)
    assert tone_engine.calls[-1] == "About one minute, with three sections."
    assert "PLACEHOLDER OVERVIEW." not in tone_engine.calls
    assert timeline.cues[1].text == "About one minute, with three sections."
    assert all(a.end <= b.start for a, b in zip(timeline.cues, timeline.cues[1:], strict=False))
    spoken_before = sum(len(c) for c in tone_engine.calls[:-1]) * 0.02
    assert lengths[0] > spoken_before  # the pauses count too


def test_decoded_mp3_matches_the_timeline_and_the_loudness_target(
    tone_engine: ToneEngine,
) -> None:
    audio = AudioSettings()
    timeline, mp3, _ = render(tone_engine, audio)
    samples, rate = decode(io.BytesIO(mp3))
    assert rate == RATE
    onsets = section_onsets(samples, rate)
    starts = [chapter.start for chapter in timeline.chapters[1:]]
    assert len(onsets) == len(starts)
    for onset, start in zip(onsets, starts, strict=True):
        assert abs(onset - start) < 0.05
    assert integrated_loudness(samples, rate) == pytest.approx(audio.loudness, abs=1.0)
    assert peak_dbfs(samples) <= -1.0


class ClickEngine(ToneEngine):
    """A voice with sharp peaks: noise with clicks, so the limiter has work to do."""

    def synthesize(self, text: str, voice: str | None, speed: float) -> Iterator[Samples]:
        self.calls.append(text)
        count = round(len(text) * self.seconds_per_char / speed * self.rate)
        rng = np.random.default_rng(len(text))
        noise = rng.standard_normal(count) * 1500
        noise[:: self.rate // 3] = 24000  # 3 clicks a second, 24 dB over the noise
        yield np.clip(noise, -32768, 32767).astype(np.int16)


def test_limited_episode_decodes_under_the_true_peak_target() -> None:
    audio = AudioSettings()
    engine = ClickEngine()
    _, mp3, written = render(engine, audio)
    episode = np.concatenate(written)
    assert 20 * np.log10(np.abs(episode).max()) == pytest.approx(CEILING, abs=0.5)
    samples, rate = decode(io.BytesIO(mp3))
    assert integrated_loudness(samples, rate) == pytest.approx(audio.loudness, abs=1.0)
    # 16x oversampling with scipy's long filter: independent of the limiter's own estimate.
    assert 20 * np.log10(np.abs(resample_poly(samples, 16, 1)).max()) <= -1.0


def long_script() -> Script:
    sentences = tuple(
        say("Rest comes first, then the walk, then rest again. " * 4) for _ in range(6)
    )
    return Script("T", (Section("One", sentences),), None)


@pytest.mark.parametrize(("engine", "passes"), [(ToneEngine, 1), (ClickEngine, 2)])
def test_a_narration_that_rehearsed_needs_a_rehearsal_only_for_a_large_correction(
    monkeypatch: pytest.MonkeyPatch, engine: type[ToneEngine], passes: int
) -> None:
    """Steady speech is played once at the gain its rehearsal asked for; speech the
    limiter works hard on is rehearsed again at that gain."""
    audio = AudioSettings()
    plays: list[float] = []
    play = master_module.play

    def counted(*args: object) -> Timeline:
        plays.append(float(args[3]))  # type: ignore[arg-type]
        return play(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(master_module, "play", counted)
    episodes, timelines = [], []
    for rehearse in (False, True):
        written: list[npt.NDArray[np.float32]] = []
        with Spill() as spill:
            narration = narrate(
                long_script(), engine(), VoiceSettings(), audio, spill, rehearse=rehearse
            )
            timelines.append(master(narration, spill, written.append, target=audio.loudness))
        episodes.append(np.concatenate(written))
    assert len(plays) == 2 + passes
    assert timelines[0] == timelines[1]  # the same pieces at the same times
    before, after = (integrated_loudness(episode, RATE) for episode in episodes)
    assert abs(after - audio.loudness) <= max(abs(before - audio.loudness), 0.05)
    assert 20 * np.log10(np.abs(episodes[1]).max()) <= CEILING + 0.01


def test_a_failing_sink_stops_the_master(tone_engine: ToneEngine) -> None:
    calls = []

    def sink(samples: npt.NDArray[np.float32]) -> None:
        calls.append(len(samples))
        if len(calls) == 3:
            raise OSError("disk full")

    audio = AudioSettings()
    with Spill() as spill:
        narration = narrate(script(), tone_engine, VoiceSettings(), audio, spill)
        with pytest.raises(OSError, match="disk full"):
            master(narration, spill, sink, target=audio.loudness)
    assert len(calls) < len(narration.pieces)


def test_encoder_delay_is_what_decoders_add() -> None:
    signal = np.zeros(RATE, np.float32)
    signal[10000] = 0.6
    buffer = io.BytesIO()
    stream = Mp3Stream(buffer, RATE, 64)
    stream.write(signal)
    stream.close()
    buffer.seek(0)
    decoded, _ = soundfile.read(buffer, dtype="float32")
    assert abs(int(np.argmax(np.abs(decoded))) - 10000 - ENCODER_DELAY) <= 2


def test_trim_drops_the_engines_silent_edges() -> None:
    tone = np.sin(np.arange(4410) / 10).astype(np.float32) * 0.3
    padded = np.concatenate([np.zeros(3000, np.float32), tone, np.zeros(5000, np.float32)])
    trimmed = trim(padded, RATE)
    margin = round(0.01 * RATE)
    assert len(tone) <= len(trimmed) <= len(tone) + 2 * margin + 2
    assert len(trim(np.zeros(100, np.float32), RATE)) == 0


def test_trim_leaves_a_faint_sound_apart_from_the_voice_in_the_silence() -> None:
    # A breath 34 dB below the voice, 100 ms of silence, then the voice: the cue starts at it.
    breath = np.full(round(0.02 * RATE), 0.006, np.float32)
    tone = np.sin(np.arange(4410) / 10).astype(np.float32) * 0.3
    silence = np.zeros(round(0.1 * RATE), np.float32)
    trimmed = trim(np.concatenate([silence, breath, silence, tone, silence]), RATE)
    margin = round(0.01 * RATE)
    assert len(tone) <= len(trimmed) <= len(tone) + 2 * margin + 2
    # joined to the voice, the same faint sound is part of it (a soft "h" or "f")
    joined = trim(np.concatenate([silence, breath, tone, silence]), RATE)
    assert len(joined) >= len(breath) + len(tone)
