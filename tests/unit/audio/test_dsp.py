"""The numpy kernels of msaudio.audio.dsp against the scipy functions they stand in for."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pyloudnorm
import pytest
from scipy.ndimage import maximum_filter1d, minimum_filter1d
from scipy.signal import resample_poly, sosfilt

from msaudio.audio.dsp import FirStream, running_max, running_min, upsample
from msaudio.audio.loudness import k_weighting

RNG = np.random.default_rng(11)


@pytest.mark.parametrize("rate", [22050, 32000, 44100, 48000])
def test_k_weighting_in_chunks_equals_pyloudnorms_filters(rate: int) -> None:
    stages = (
        pyloudnorm.IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf"),
        pyloudnorm.IIRfilter(0.0, 0.5, 38.0, rate, "high_pass"),
    )
    sections = np.array([np.concatenate([f.b, f.a]) / f.a[0] for f in stages])
    signal = RNG.standard_normal(5 * rate)
    expected = sosfilt(sections, signal)
    weighting = FirStream(k_weighting(rate))
    pieces, start = [], 0
    for size in (1, 7, 5000, rate, 3 * rate, len(signal)):  # shorter and longer than the taps
        pieces.append(weighting(signal[start : start + size]))
        start += size
    assert start >= len(signal)
    np.testing.assert_allclose(np.concatenate(pieces), expected, rtol=0, atol=1e-10)


def test_an_empty_chunk_changes_nothing() -> None:
    taps = np.array([1.0, 0.5, 0.25])
    stream = FirStream(taps)
    assert len(stream(np.zeros(0))) == 0
    np.testing.assert_allclose(stream(np.array([1.0, 0.0])), [1.0, 0.5], atol=1e-12)
    assert len(stream(np.zeros(0))) == 0
    np.testing.assert_allclose(stream(np.array([0.0, 0.0])), [0.25, 0.0], atol=1e-12)


@pytest.mark.parametrize("factor", [2, 3, 4])
@pytest.mark.parametrize("length", [1, 9, 10, 11, 4001])
def test_upsample_equals_resample_poly(factor: int, length: int) -> None:
    samples = RNG.standard_normal(length).astype(np.float32)
    expected = resample_poly(samples, factor, 1)
    got = upsample(samples, factor)
    assert got.dtype == np.float32
    assert len(got) == len(expected)
    np.testing.assert_allclose(got, expected, rtol=0, atol=2e-6)


@pytest.mark.parametrize("size", [1, 3, 11])
def test_running_extremes_equal_ndimage(size: int) -> None:
    values = RNG.random(997)
    np.testing.assert_array_equal(
        running_min(values, size), minimum_filter1d(values, size, mode="nearest")
    )
    np.testing.assert_array_equal(
        running_max(values, size), maximum_filter1d(values, size, mode="nearest")
    )


def test_narrating_piper_rate_speech_needs_no_scipy() -> None:
    """Importing scipy.signal costs about 0.6 s: the usual build path must not pay it."""
    program = textwrap.dedent(
        """
        import sys
        import numpy as np
        from msaudio.audio.assemble import finisher
        from msaudio.audio.loudness import LoudnessMeter, limit
        from msaudio.config import AudioSettings

        tone = (np.sin(np.arange(22050) / 22050 * 2 * np.pi * 220) * 20000).astype(np.int16)
        audio = finisher(AudioSettings())(22050, tone).audio
        meter = LoudnessMeter(44100)
        meter.feed(limit(audio * 4, 44100))
        assert np.isfinite(meter.integrated())
        print(sorted(name for name in sys.modules if name.startswith(("scipy", "pyloudnorm"))))
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
