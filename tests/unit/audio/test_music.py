"""Optional jingles and music bed: decoded by soundfile, edited by pydub, placed around and under
the speech."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import soundfile

from msaudio.audio.assemble import Spill, narrate
from msaudio.audio.loudness import loudness
from msaudio.audio.master import LEAD_IN_SECONDS, master
from msaudio.audio.music import AudioSegment, load_music, read_music  # pydub's, imported quietly
from msaudio.config import AudioSettings, VoiceSettings, load_config
from msaudio.errors import ConfigError
from msaudio.model import Pause, Script, Section, Sentence, Timeline
from tests.helpers import ToneEngine

RATE = 44100


def tone_file(path: Path, seconds: float, frequency: float, rate: int = 48000) -> Path:
    t = np.arange(round(seconds * rate)) / rate
    stereo = np.stack([np.sin(2 * np.pi * frequency * t)] * 2, axis=1) * 0.2
    soundfile.write(str(path), stereo, rate)
    return path


def script() -> Script:
    one = Section(
        "One", (Sentence("Hello there, listener.", "Hello there, listener.", Pause.SECTION),)
    )
    two = Section("Two", (Sentence("Second part of the show.", "Second part.", Pause.SECTION),))
    return Script("T", (one, two))


def render(
    engine: ToneEngine, audio: AudioSettings, root: Path
) -> tuple[list[npt.NDArray[np.float32]], Timeline]:
    written: list[npt.NDArray[np.float32]] = []
    with Spill() as spill:
        narration = narrate(script(), engine, VoiceSettings(), audio, spill)
        timeline = master(
            narration, spill, written.append, target=audio.loudness, music=load_music(audio, root)
        )
    return written, timeline


def test_jingles_frame_the_speech_and_shift_every_time(
    tmp_path: Path, tone_engine: ToneEngine
) -> None:
    tone_file(tmp_path / "intro.flac", 2.0, 440)
    tone_file(tmp_path / "outro.mp3", 1.0, 660)
    plain_audio = AudioSettings()
    music_audio = AudioSettings(intro_music="intro.flac", outro_music="outro.mp3")
    _, plain_timeline = render(tone_engine, plain_audio, tmp_path)
    framed, framed_timeline = render(ToneEngine(), music_audio, tmp_path)
    shift = 2.0
    music = load_music(music_audio, tmp_path)
    assert music is not None and music.outro is not None
    outro = len(music.outro) / RATE
    assert outro == pytest.approx(1.0, abs=0.06)  # an MP3 decodes with the encoder's padding
    assert framed_timeline.duration == pytest.approx(
        plain_timeline.duration + shift + outro, abs=0.002
    )
    assert framed_timeline.chapters[0].start == 0
    for cue, framed_cue in zip(plain_timeline.cues, framed_timeline.cues, strict=True):
        assert framed_cue.start == pytest.approx(cue.start + shift, abs=0.001)
    for chapter, framed_chapter in zip(
        plain_timeline.chapters[1:], framed_timeline.chapters[1:], strict=True
    ):
        assert framed_chapter.start == pytest.approx(chapter.start + shift, abs=0.001)
    episode = np.concatenate(framed)
    assert loudness(episode, RATE) == pytest.approx(-19.0, abs=0.5)
    intro = episode[: 2 * RATE]
    assert loudness(intro, RATE) == pytest.approx(-19.0, abs=1.0)  # as loud as the speech


def test_the_bed_stays_at_least_20_db_under_the_speech(
    tmp_path: Path, tone_engine: ToneEngine
) -> None:
    tone_file(tmp_path / "bed.ogg", 0.7, 330)  # shorter than the speech: it loops
    plain, _ = render(tone_engine, AudioSettings(), tmp_path)
    speech = np.concatenate(plain)
    for level, gap in ((-25.0, 24.5), (-20.0, 19.5)):
        bedded, _ = render(
            ToneEngine(), AudioSettings(bed_music="bed.ogg", bed_level=level), tmp_path
        )
        bed = np.concatenate(bedded) - speech
        assert np.abs(bed).max() > 0.001  # the bed is there, also in the pauses
        assert loudness(speech, RATE) - loudness(bed, RATE) >= gap


def dominant(samples: npt.NDArray[np.float32]) -> float:
    """The frequency in Hz of the strongest component."""
    spectrum = np.abs(np.fft.rfft(samples))
    return float(np.fft.rfftfreq(len(samples), 1 / RATE)[np.argmax(spectrum)])


def test_one_episode_with_intro_outro_and_bed(tmp_path: Path, tone_engine: ToneEngine) -> None:
    tone_file(tmp_path / "intro.wav", 1.5, 440)
    tone_file(tmp_path / "outro.flac", 1.0, 660)
    tone_file(tmp_path / "bed.ogg", 0.7, 330)
    framed = AudioSettings(intro_music="intro.wav", outro_music="outro.flac")
    audio = AudioSettings(intro_music="intro.wav", outro_music="outro.flac", bed_music="bed.ogg")
    music = load_music(audio, tmp_path)
    assert music is not None and music.intro is not None and music.outro is not None
    assert (len(music.intro), len(music.outro)) == (round(1.5 * RATE), RATE)
    written, _ = render(tone_engine, audio, tmp_path)
    without_bed, _ = render(ToneEngine(), framed, tmp_path)
    episode, plain = np.concatenate(written), np.concatenate(without_bed)
    assert len(episode) == len(plain)
    lead = round(LEAD_IN_SECONDS * RATE)
    speech_start, speech_end = lead + len(music.intro), len(episode) - len(music.outro)
    assert not episode[:lead].any()
    # The episode opens with the intro and closes with the outro, each faded out at its end.
    intro, outro = episode[lead:speech_start], episode[speech_end:]
    np.testing.assert_allclose(intro, music.intro, atol=1e-6)
    np.testing.assert_allclose(outro, music.outro, atol=1e-6)
    assert dominant(intro) == pytest.approx(440, abs=2)
    assert dominant(outro) == pytest.approx(660, abs=2)
    for jingle in (intro, outro):
        assert np.abs(jingle[-20:]).max() < 0.02 * np.abs(jingle).max()
        assert loudness(jingle, RATE) == pytest.approx(-19.0, abs=1.0)
    # Between them, the speech over the looped bed, which keeps 20 dB under it.
    speech = plain[speech_start:speech_end]
    bed = episode[speech_start:speech_end] - speech
    assert dominant(bed) == pytest.approx(330, abs=2)
    assert np.abs(bed[-RATE:]).max() > 0.001  # looped to the speech's last second
    assert loudness(speech, RATE) - loudness(bed, RATE) >= 19.5


def test_pydub_edits_the_music(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tone_file(tmp_path / "intro.wav", 1.0, 440)  # stereo at 48 kHz
    tone_file(tmp_path / "bed.wav", 0.5, 330)
    segment = read_music(tmp_path / "intro.wav", RATE)
    assert isinstance(segment, AudioSegment)
    assert (segment.channels, segment.frame_rate, segment.frame_count()) == (1, RATE, RATE)

    def refuse(self: AudioSegment, *args: object) -> AudioSegment:
        raise RuntimeError("pydub refused")

    for name in ("set_channels", "apply_gain", "fade_out"):
        with monkeypatch.context() as patch:
            patch.setattr(AudioSegment, name, refuse)
            with pytest.raises(RuntimeError, match="pydub refused"):
                load_music(AudioSettings(intro_music="intro.wav"), tmp_path)
    music = load_music(AudioSettings(bed_music="bed.wav"), tmp_path)
    assert music is not None and music.bed is not None
    size = len(music.bed)
    start = RATE + 1000  # past the bed's fade-in, a little into one of its loops
    looped = music.bed_at(start, 3 * size, 20 * size)
    assert looped is not None
    for loop in range(3):
        np.testing.assert_allclose(
            looped[loop * size : (loop + 1) * size], np.roll(music.bed, -(start % size)), atol=1e-6
        )
    with monkeypatch.context() as patch:
        patch.setattr(AudioSegment, "__mul__", refuse)
        with pytest.raises(RuntimeError, match="pydub refused"):
            music.bed_at(0, 3 * len(music.bed), 10 * len(music.bed))


def test_bad_music_is_a_configuration_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.wav").write_bytes(b"RIFF not really a wave file")
    with pytest.raises(ConfigError) as raised:
        load_music(AudioSettings(intro_music="broken.wav"), tmp_path)
    assert "broken.wav" in str(raised.value)
    with pytest.raises(ConfigError, match=r"missing\.mp3"):
        load_music(AudioSettings(bed_music="missing.mp3"), tmp_path)
    soundfile.write(str(tmp_path / "silent.wav"), np.zeros(48000), 48000)
    with pytest.raises(ConfigError, match="silent"):
        load_music(AudioSettings(outro_music="silent.wav"), tmp_path)
    assert load_music(AudioSettings(), tmp_path) is None


def test_config_reads_the_audio_keys(show_dir: Path) -> None:
    toml = show_dir / "podcast.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + '[audio]\nloudness = -18\nintro_music = "in.wav"\n'
        + 'bed_music = "bed.flac"\nbed_level = -30\n',
        encoding="utf-8",
    )
    audio = load_config(show_dir).audio
    assert (audio.loudness, audio.intro_music, audio.bed_music, audio.bed_level) == (
        -18.0,
        "in.wav",
        "bed.flac",
        -30.0,
    )
    toml.write_text(toml.read_text(encoding="utf-8").replace("-30", "-12"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"audio.bed_level.*-12.*from -60.0 to -20.0"):
        load_config(show_dir)
