# scipy and soundfile carry no complete type information.
# mypy: disallow-untyped-calls=False
"""Optional intro and outro jingles and a music bed, read with soundfile.

Each is decoded (WAV, FLAC, OGG or MP3), mixed down to mono, resampled to the
episode's rate and set to a fixed loudness: jingles as loud as the speech, the
bed at least 20 dB under it (WCAG 1.4.7), so speech always stands out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile

from msaudio.audio.assemble import resample
from msaudio.audio.loudness import Audio, from_db, limit, loudness
from msaudio.config import AudioSettings
from msaudio.errors import ConfigError

JINGLE_FADE_SECONDS = 0.3
BED_FADE_SECONDS = 1.0


@dataclass(frozen=True)
class Music:
    """Prepared music for one show: every part optional."""

    rate: int
    """Sample rate of every part."""

    intro: Audio | None = None
    outro: Audio | None = None
    bed: Audio | None = None

    def bed_at(self, start: int, length: int, span: int) -> Audio | None:
        """The looped bed for samples ``start`` to ``start + length`` of a ``span``-long speech.

        The bed fades in over the first second of the speech and out over the last.
        """
        if self.bed is None or not len(self.bed) or length <= 0:
            return None
        positions = np.arange(start, start + length)
        part = self.bed[positions % len(self.bed)]
        fade = max(1, round(BED_FADE_SECONDS * self.rate))
        envelope = np.minimum(1.0, np.minimum(positions + 1, span - positions) / fade)
        return np.asarray(part * np.clip(envelope, 0.0, 1.0), np.float32)


def read_music(path: Path, rate: int) -> Audio:
    """Decode an audio file to mono float32 at ``rate``; a bad file is a configuration error."""
    try:
        data, source_rate = soundfile.read(str(path), dtype="float32", always_2d=True)
    except (OSError, RuntimeError, soundfile.LibsndfileError) as error:
        raise ConfigError(f"cannot read music: {error}", path) from None
    mono = np.asarray(data.mean(axis=1), np.float32)
    if not len(mono):
        raise ConfigError("music file holds no audio", path)
    return resample(mono, int(source_rate), rate)


def _at_loudness(samples: Audio, rate: int, target: float, path: Path) -> Audio:
    measured = loudness(samples, rate)
    if not np.isfinite(measured):
        raise ConfigError("music file is silent", path)
    return limit(np.asarray(samples * np.float32(from_db(target - measured)), np.float32), rate)


def _faded(samples: Audio, rate: int) -> Audio:
    fade = min(len(samples), round(JINGLE_FADE_SECONDS * rate))
    out = samples.copy()
    if fade:
        out[-fade:] *= np.linspace(1.0, 0.0, fade, dtype=np.float32)
    return out


def load_music(audio: AudioSettings, root: Path) -> Music | None:
    """The show's music from ``[audio]`` in ``podcast.toml``, or ``None`` when it has none."""
    if not (audio.intro_music or audio.outro_music or audio.bed_music):
        return None
    rate = audio.sample_rate

    def jingle(name: str | None) -> Audio | None:
        if not name:
            return None
        path = root / name
        return _faded(_at_loudness(read_music(path, rate), rate, audio.loudness, path), rate)

    bed = None
    if audio.bed_music:
        path = root / audio.bed_music
        bed = _at_loudness(read_music(path, rate), rate, audio.loudness + audio.bed_level, path)
    return Music(rate, jingle(audio.intro_music), jingle(audio.outro_music), bed)
