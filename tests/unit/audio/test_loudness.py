"""The loudness meter, true peak and limiter against pyloudnorm and first principles."""

from __future__ import annotations

import math

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from msaudio.audio.loudness import (
    CEILING,
    Audio,
    LoudnessMeter,
    _curve,
    _release,
    block_peaks,
    from_db,
    interpolator,
    level,
    limit,
    loudness,
    oversampled_peaks,
    true_peak,
)

RNG = np.random.default_rng(7)


def speechlike(seconds: float, rate: int) -> Audio:
    """Noise bursts with gaps: loud and silent blocks, as speech has."""
    n = round(seconds * rate)
    envelope = (np.sin(np.arange(n) / rate * 2 * np.pi * 0.7) > -0.2).astype(np.float32)
    return (RNG.standard_normal(n) * 0.08 * envelope).astype(np.float32)


@pytest.mark.parametrize("rate", [22050, 44100, 48000])
@pytest.mark.parametrize("chunk", [1, 999, 44100])
def test_streaming_meter_equals_pyloudnorm(rate: int, chunk: int) -> None:
    signal = speechlike(6.3, rate)
    if chunk == 1:  # one sample at a time is slow; a prefix is enough
        signal = signal[: rate // 2]
    meter = LoudnessMeter(rate)
    for start in range(0, len(signal), chunk):
        meter.feed(signal[start : start + chunk])
    expected = pyloudnorm.Meter(rate).integrated_loudness(signal.astype(np.float64))
    assert meter.integrated() == pytest.approx(expected, abs=1e-6)


def test_silence_and_short_signals() -> None:
    assert loudness(np.zeros(44100, np.float32), 44100) == -math.inf
    short = (np.sin(np.arange(4410) / 44100 * 2 * np.pi * 1000) * 0.1).astype(np.float32)
    # A 100 ms tone is measured as one block: about its RMS level in LUFS.
    assert loudness(short, 44100) == pytest.approx(20 * math.log10(0.1 / math.sqrt(2)), abs=1.0)


def test_true_peak_sees_between_samples() -> None:
    rate = 44100
    # A sine at a quarter of the rate, sampled at 45 degrees, never shows its crest.
    t = np.arange(4096)
    sine = (0.5 * np.sin(2 * np.pi * t / 4 + np.pi / 4)).astype(np.float32)
    sample_peak = 20 * math.log10(float(np.abs(sine).max()))
    assert true_peak(sine) > sample_peak + 2.5
    assert true_peak(sine) == pytest.approx(20 * math.log10(0.5), abs=0.3)
    assert len(oversampled_peaks(sine)) == len(sine)
    assert true_peak(np.zeros(10, np.float32)) == -math.inf
    assert rate  # the estimate does not depend on the rate


def reference_peak(samples: np.ndarray) -> float:
    """True peak in dBTP from 16x oversampling with scipy's long (321-tap) filter."""
    return 20 * math.log10(float(np.abs(resample_poly(samples.astype(np.float64), 16, 1)).max()))


def test_true_peak_agrees_with_16x_oversampling() -> None:
    rng = np.random.default_rng(11)
    t = np.arange(4410)
    for _ in range(20):
        # Near a quarter of the rate a 4x grid itself can miss the crest by up to 0.2 dB.
        frequency = rng.uniform(0.23, 0.27)
        sine = (0.5 * np.sin(2 * np.pi * frequency * t + rng.uniform(0, 2 * np.pi))).astype(
            np.float32
        )
        assert true_peak(sine) == pytest.approx(reference_peak(sine), abs=0.2)
        # Speech is resampled from the engine's rate: nothing above a quarter of the rate.
        band_limited = resample_poly(rng.standard_normal(2205), 2, 1).astype(np.float32) * 0.1
        assert true_peak(band_limited) == pytest.approx(reference_peak(band_limited), abs=0.1)
        # White noise reaches half the rate, where a 4x grid misses more (a long filter too).
        noise = (rng.standard_normal(4410) * 0.1).astype(np.float32)
        assert true_peak(noise) == pytest.approx(reference_peak(noise), abs=0.3)


def test_points_between_samples_are_computed_where_they_can_reach_the_ceiling() -> None:
    ceiling = from_db(CEILING)
    loud = speechlike(2.0, 44100) * 8
    everywhere = oversampled_peaks(loud)
    near_peaks = oversampled_peaks(loud, above=ceiling)
    over = everywhere > ceiling
    assert over.any() and not over.all()
    assert np.array_equal(near_peaks[over], everywhere[over])
    assert near_peaks[~over].max() <= ceiling
    assert np.all(near_peaks >= np.abs(loud))
    # The filters' gain is a true bound: the worst signal for it reaches it exactly.
    filters, gain = interpolator()
    worst = filters[:, int(np.argmax(np.abs(filters).sum(axis=0)))]
    signal = np.concatenate([np.zeros(20), np.sign(worst), np.zeros(20)]).astype(np.float32)
    assert float(oversampled_peaks(signal).max()) == pytest.approx(gain, rel=1e-5)
    just_under = signal * np.float32(ceiling / gain * 0.999)
    assert limit(just_under, 44100) is just_under
    just_over = signal * np.float32(ceiling / gain * 1.01)
    assert true_peak(limit(just_over, 44100)) <= CEILING + 1e-4


def test_gain_curve_is_linear_between_block_centres() -> None:
    for block in (1, 2, 3, 44, 48):
        for length in (1, block, 5 * block + 1, 1000):
            count = -(-length // block)
            gains = RNG.random(count)
            centres = np.arange(count) * block + (block - 1) / 2
            expected = np.interp(np.arange(length), centres, gains)
            assert np.allclose(_curve(gains, block, length), expected, atol=1e-6)


def test_limiter_holds_the_ceiling_and_leaves_quiet_audio_alone() -> None:
    rate = 44100
    loud = speechlike(3.0, rate) * 12
    assert true_peak(loud) > 0
    limited = limit(loud, rate)
    assert true_peak(limited) <= CEILING + 0.01
    assert reference_peak(limited) <= CEILING + 0.3
    ratio = np.divide(limited, loud, out=np.ones_like(loud), where=np.abs(loud) > 1e-6)
    assert ratio.max() <= 1.0 + 1e-5  # a limiter only ever turns down
    quiet = speechlike(1.0, rate)
    assert limit(quiet, rate) is quiet


def test_the_limiter_from_peaks_measured_before_a_gain_is_the_limiter_after_it() -> None:
    rate = 44100
    speech = speechlike(2.0, rate) * 6
    gain = np.float32(from_db(1.5))
    # Measured at unity, with every point that 3 dB more could bring to the ceiling.
    peaks = block_peaks(speech, rate, from_db(CEILING - 3.0))
    direct = limit(speech * gain, rate)
    assert not np.allclose(direct, speech * gain)  # the limiter works here
    from_peaks = limit(speech * gain, rate, peaks=peaks * gain)
    assert np.allclose(from_peaks, direct, atol=1e-6)
    assert true_peak(from_peaks) <= CEILING + 0.01


def test_release_is_the_recursive_follower() -> None:
    envelope = np.clip(RNG.random(3000) * 2, 0.2, 1.0)
    expected = []
    gain = 1.0
    recovery = 1 - math.exp(-1 / 80)
    for target in envelope:
        gain = min(target, gain + (1 - gain) * recovery)
        expected.append(gain)
    assert np.allclose(_release(envelope, 80), expected, atol=1e-9)


def test_level_sets_a_sentence_to_the_target_within_bounds() -> None:
    rate = 44100
    quiet = speechlike(2.0, rate) * 0.3
    assert loudness(level(quiet, rate, -19.0), rate) == pytest.approx(-19.0, abs=0.01)
    whisper = speechlike(2.0, rate) * 1e-4
    boosted = level(whisper, rate, -19.0)
    assert loudness(boosted, rate) == pytest.approx(loudness(whisper, rate) + 15, abs=0.01)
    silent = np.zeros(100, np.float32)
    assert level(silent, rate, -19.0) is silent
