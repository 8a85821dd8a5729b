"""MP3 encoding in segments: same times, same pauses, same bytes whatever the threads."""

from __future__ import annotations

import io
import math
import threading

import numpy as np
import numpy.typing as npt
import pytest
import soundfile

from msaudio.audio import mp3
from msaudio.audio.mp3 import ENCODER_DELAY, Mp3Stream, frame_samples

BITRATES = {3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320)}
BITRATES[2] = (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160)
RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000)}


def count_frames(data: bytes) -> int:
    """MP3 frames in ``data``, walking header to header; fails on anything else."""
    frames = position = 0
    while position < len(data):
        header = int.from_bytes(data[position : position + 4], "big")
        assert header >> 21 == 0x7FF, f"no frame header at byte {position}"
        version = (header >> 19) & 3
        bitrate = BITRATES[version][(header >> 12) & 15] * 1000
        rate = RATES[version][(header >> 10) & 3]
        size = (144 if version == 3 else 72) * bitrate // rate + ((header >> 9) & 1)
        position += size
        frames += 1
    assert position == len(data)
    return frames


def encode(samples: np.ndarray, rate: int, threads: int = 2) -> bytes:
    out = io.BytesIO()
    stream = Mp3Stream(out, rate, 64, threads)
    for start in range(0, len(samples), rate // 2):  # as the master writes: piece by piece
        stream.write(samples[start : start + rate // 2])
    stream.close()
    return out.getvalue()


def speech_with_pauses(rate: int, seconds: float) -> np.ndarray:
    """Tone bursts of 2.5 s and exact-zero pauses of 0.5 s, as narration has."""
    rng = np.random.default_rng(3)
    burst = round(2.5 * rate)
    pause = round(0.5 * rate)
    pieces: list[npt.NDArray[np.float32]] = []
    while sum(map(len, pieces)) < seconds * rate:
        t = np.arange(burst) / rate
        tone = 0.3 * np.sin(2 * np.pi * rng.uniform(150, 400) * t) * np.hanning(burst)
        pieces += [tone.astype(np.float32), np.zeros(pause, np.float32)]
    return np.concatenate(pieces)


@pytest.mark.parametrize("rate", [22050, 44100])
@pytest.mark.parametrize("length", [1, 575, 576, 577, 1152, 1153, 44100, 100_003])
def test_lame_pads_its_last_frame_as_the_cuts_assume(rate: int, length: int) -> None:
    """Frames = ceil((samples + encoder skip + minimum padding) / frame size)."""
    samples = np.random.default_rng(length).uniform(-0.2, 0.2, length).astype(np.float32)
    out = io.BytesIO()
    stream = Mp3Stream(out, rate, 64)
    stream.write(samples)
    stream.close()
    expected = math.ceil((length + mp3.ENCODER_SKIP + mp3._MIN_PADDING) / frame_samples(rate))
    assert count_frames(out.getvalue()) == expected


@pytest.mark.parametrize("rate", [22050, 44100])
def test_segments_decode_to_the_same_timing_as_one_encoder(
    rate: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    signal = speech_with_pauses(rate, 70)
    segmented = encode(signal, rate)
    monkeypatch.setattr(mp3, "SEGMENT_SECONDS", 10_000.0)
    whole = encode(signal, rate)
    assert segmented != whole  # it was cut (every ~20 s)
    a, _ = soundfile.read(io.BytesIO(segmented), dtype="float32")
    b, _ = soundfile.read(io.BytesIO(whole), dtype="float32")
    assert len(a) == len(b)
    # Every sample decodes where one encoder puts it, and sounds the same.
    assert np.abs(a - b).max() < 0.005
    # The pauses stay silent away from the bursts' own edges: no click where a segment ends.
    speech = np.zeros(len(a), bool)
    speech[ENCODER_DELAY : ENCODER_DELAY + len(signal)] = np.abs(signal) > 1e-4
    near = 1500  # an MP3 frame's spread around sound
    spread = np.convolve(speech, np.ones(2 * near + 1), mode="same") > 0
    assert (~spread).sum() > 5 * rate
    assert np.abs(a[~spread]).max() < 1e-4


def test_the_bytes_do_not_depend_on_the_threads() -> None:
    signal = speech_with_pauses(44100, 50)
    assert encode(signal, 44100, threads=1) == encode(signal, 44100, threads=3)


def test_no_cut_without_a_long_enough_silence(monkeypatch: pytest.MonkeyPatch) -> None:
    rate = 44100
    t = np.arange(45 * rate) / rate
    tone = (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)
    tone[20 * rate : 20 * rate + 2000] = 0.0  # shorter than a cut needs
    segmented = encode(tone, rate)
    monkeypatch.setattr(mp3, "SEGMENT_SECONDS", 10_000.0)
    assert segmented == encode(tone, rate)


def test_a_failed_episode_leaves_no_encoder_running() -> None:
    before = threading.active_count()
    out = io.BytesIO()
    signal = speech_with_pauses(44100, 50)
    with (
        pytest.raises(RuntimeError, match="narration failed"),
        Mp3Stream(out, 44100, 64, threads=2) as stream,
    ):
        stream.write(signal)
        raise RuntimeError("narration failed")
    assert threading.active_count() == before
