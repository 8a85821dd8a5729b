"""Optional intro and outro jingles and a music bed, handled by pydub.

Each file is decoded by soundfile (WAV, FLAC, OGG or MP3, so no ffmpeg is needed)
into a pydub ``AudioSegment``; pydub then does the music editing: the mixdown to
mono, the gain to a fixed loudness, the jingles' fade-out and the bed's looping:
the plain, well-tried editing of a library made for it, not code of our own. Jingles are
as loud as the speech, the bed at least 20 dB under it (WCAG 1.4.7), so speech
always stands out. The episode gets float32 samples, as from the rest of the chain.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soundfile

from msaudio.audio.assemble import resample
from msaudio.audio.loudness import Audio, limit, loudness
from msaudio.config import AudioSettings
from msaudio.errors import ConfigError

with warnings.catch_warnings():
    # pydub looks for ffmpeg when imported; soundfile decodes, so it is never run.
    # Re-exported, so that the tests take pydub's class from here, imported quietly.
    warnings.simplefilter("ignore")
    from pydub import AudioSegment as AudioSegment

JINGLE_FADE_SECONDS = 0.3
BED_FADE_SECONDS = 1.0

SAMPLE_WIDTH = 4
"""Bytes per sample in the segments: 32-bit integers, pydub's widest."""

FULL_SCALE = float(2**23)
"""The integer that stands for full scale: 48 dB under int32's top, so pydub's gain
can raise a quiet file that far without clipping, and the limiter then takes over."""


def to_segment(samples: npt.NDArray[np.float32], rate: int) -> AudioSegment:
    """A pydub segment of float samples (one column per channel, or mono)."""
    frames = samples.reshape(len(samples), -1)
    top = (2**31 - 1) / FULL_SCALE
    pcm = np.round(np.clip(frames, -top, top) * FULL_SCALE).astype(np.int32)
    return AudioSegment(
        pcm.tobytes(), frame_rate=rate, sample_width=SAMPLE_WIDTH, channels=frames.shape[1]
    )


def to_samples(segment: AudioSegment) -> Audio:
    """A mono segment's samples as float32, full scale ±1."""
    pcm = np.frombuffer(segment.raw_data, np.int32)
    return np.asarray(pcm.astype(np.float32) / np.float32(FULL_SCALE), np.float32)


@dataclass(frozen=True)
class Music:
    """Prepared music for one show: every part optional."""

    rate: int
    """Sample rate of every part."""

    intro: Audio | None = None
    outro: Audio | None = None
    bed: Audio | None = None

    @functools.cached_property
    def _bed_segment(self) -> AudioSegment:
        assert self.bed is not None
        return to_segment(self.bed, self.rate)

    def bed_at(self, start: int, length: int, span: int) -> Audio | None:
        """The looped bed for samples ``start`` to ``start + length`` of a ``span``-long speech.

        The bed fades in over the first second of the speech and out over the last.
        """
        if self.bed is None or not len(self.bed) or length <= 0:
            return None
        bed = self._bed_segment
        first = bed.get_sample_slice(start % len(self.bed), start % len(self.bed) + length)
        loops, rest = divmod(length - int(first.frame_count()), len(self.bed))
        part = to_samples(first + bed * loops + bed.get_sample_slice(0, rest))
        positions = np.arange(start, start + length)
        fade = max(1, round(BED_FADE_SECONDS * self.rate))
        envelope = np.minimum(1.0, np.minimum(positions + 1, span - positions) / fade)
        return np.asarray(part * np.clip(envelope, 0.0, 1.0), np.float32)


def read_music(path: Path, rate: int) -> AudioSegment:
    """Decode an audio file to a mono segment at ``rate``; a bad file is a configuration error."""
    try:
        data, source_rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (OSError, RuntimeError, soundfile.LibsndfileError) as error:
        raise ConfigError(f"cannot read music: {error}", path) from None
    if not len(data):
        raise ConfigError("music file holds no audio", path)
    mono = to_segment(data, int(source_rate)).set_channels(1)
    # scipy's polyphase filter, not pydub's set_frame_rate: audioop.ratecv has no anti-aliasing.
    return to_segment(resample(to_samples(mono), int(source_rate), rate), rate)


def _at_loudness(segment: AudioSegment, target: float, path: Path) -> AudioSegment:
    measured = loudness(to_samples(segment), segment.frame_rate)
    if not np.isfinite(measured):
        raise ConfigError("music file is silent", path)
    return segment.apply_gain(target - measured)


def _faded(segment: AudioSegment) -> AudioSegment:
    frames = int(segment.frame_count())
    fade = min(frames, round(JINGLE_FADE_SECONDS * segment.frame_rate))
    tail = segment.get_sample_slice(frames - fade, frames)
    return segment.get_sample_slice(0, frames - fade) + tail.fade_out(len(tail))


def load_music(audio: AudioSettings, root: Path) -> Music | None:
    """The show's music from ``[audio]`` in ``podcast.toml``, or ``None`` when it has none."""
    if not (audio.intro_music or audio.outro_music or audio.bed_music):
        return None
    rate = audio.sample_rate

    def jingle(name: str | None) -> Audio | None:
        if not name:
            return None
        path = root / name
        return limit(
            to_samples(_faded(_at_loudness(read_music(path, rate), audio.loudness, path))), rate
        )

    bed = None
    if audio.bed_music:
        path = root / audio.bed_music
        level = audio.loudness + audio.bed_level
        bed = limit(to_samples(_at_loudness(read_music(path, rate), level, path)), rate)
    return Music(rate, jingle(audio.intro_music), jingle(audio.outro_music), bed)
