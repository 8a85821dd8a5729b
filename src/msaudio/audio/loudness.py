# pyloudnorm and scipy carry no type information; this module is where they are called.
# mypy: disallow-untyped-calls=False
"""Loudness (ITU-R BS.1770-4), true peak and a look-ahead peak limiter.

The K-weighting filters are pyloudnorm's; :class:`LoudnessMeter` applies them
block by block, so an episode is measured as it is written, in constant memory,
and gives the same integrated loudness as ``pyloudnorm.Meter`` on the whole
signal (the tests compare the two).
"""

from __future__ import annotations

import functools
import math

import numpy as np
import numpy.typing as npt

# pyloudnorm and scipy are imported where they are used: importing scipy.signal alone takes
# about 0.6 s, which a build that has nothing to narrate should not pay.

FloatArray = npt.NDArray[np.float64]
Audio = npt.NDArray[np.float32]
"""Mono samples as float32, full scale ±1."""

TARGET_MONO = -19.0
"""Integrated loudness of a mono episode in LUFS (−16 LUFS is the stereo equivalent)."""

CEILING = -2.0
"""True-peak ceiling in dBTP: 1 dB of headroom under −1 dBTP for the MP3 encoder's overshoot."""

ABSOLUTE_GATE = -70.0
RELATIVE_GATE = -10.0
BLOCK_SECONDS = 0.4
STEP_SECONDS = 0.1
OVERSAMPLE = 4
"""True peak is estimated on the signal upsampled 4x (BS.1770-4 Annex 2)."""

HEADROOM = 0.5
"""Audio whose sample peak is 6 dB under the ceiling does not reach it between samples."""

ATTACK_SECONDS = 0.005
RELEASE_SECONDS = 0.08


def to_db(value: float) -> float:
    """Decibels of an amplitude ratio; silence is −inf."""
    return 20.0 * math.log10(value) if value > 0 else -math.inf


def from_db(decibels: float) -> float:
    return float(10.0 ** (decibels / 20.0))


@functools.cache
def k_weighting(rate: int) -> tuple[tuple[FloatArray, FloatArray], ...]:
    """(b, a) coefficients of BS.1770's two K-weighting stages at ``rate``, from pyloudnorm.

    Computed once per rate: every sentence is metered, so this sits on the hot path.
    """
    import pyloudnorm

    shelf = pyloudnorm.IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf")
    high_pass = pyloudnorm.IIRfilter(0.0, 0.5, 38.0, rate, "high_pass")
    return ((shelf.b, shelf.a), (high_pass.b, high_pass.a))


class LoudnessMeter:
    """Integrated loudness of a mono signal fed in consecutive chunks.

    Keeps one mean-square value per 100 ms of audio, so memory grows by a few
    bytes per second, not with the samples.
    """

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self._stages = k_weighting(rate)
        self._state = [np.zeros(len(a) - 1) for _, a in self._stages]
        self._step = round(STEP_SECONDS * rate)
        self._pending = np.zeros(0, np.float64)
        self._energies: list[float] = []
        """Sum of squared K-weighted samples of each complete 100 ms step."""
        self._samples = 0

    def feed(self, samples: npt.NDArray[np.floating] | npt.NDArray[np.integer]) -> None:
        """Add the next samples (float, full scale ±1)."""
        from scipy.signal import lfilter

        weighted = np.asarray(samples, np.float64)
        for index, (b, a) in enumerate(self._stages):
            weighted, self._state[index] = lfilter(b, a, weighted, zi=self._state[index])
        self._samples += len(weighted)
        squares = np.concatenate([self._pending, np.square(weighted)])
        whole = len(squares) // self._step * self._step
        if whole:
            self._energies.extend(squares[:whole].reshape(-1, self._step).sum(axis=1).tolist())
        self._pending = squares[whole:]

    def integrated(self) -> float:
        """Gated integrated loudness in LUFS; −inf for silence.

        A signal shorter than one 400 ms block is measured as one block.
        """
        per_block = round(BLOCK_SECONDS / STEP_SECONDS)
        steps = np.asarray(self._energies, np.float64)
        if len(steps) < per_block:
            total = float(steps.sum() + self._pending.sum())
            length = max(self._samples, 1)
            return float(_lufs(np.array([total / length]))[0])
        windows = np.lib.stride_tricks.sliding_window_view(steps, per_block).sum(axis=1)
        blocks = windows / (per_block * self._step)
        loudness = _lufs(blocks)
        gated = blocks[loudness >= ABSOLUTE_GATE]
        if not len(gated):
            return -math.inf
        relative = _lufs(np.array([gated.mean()]))[0] + RELATIVE_GATE
        gated = blocks[(loudness > relative) & (loudness > ABSOLUTE_GATE)]
        return _lufs(np.array([gated.mean()]))[0] if len(gated) else -math.inf


def _lufs(mean_squares: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
    with np.errstate(divide="ignore"):
        return np.asarray(-0.691 + 10.0 * np.log10(mean_squares), np.float64)


def loudness(samples: Audio, rate: int) -> float:
    """Integrated loudness of a whole (short) signal in LUFS."""
    meter = LoudnessMeter(rate)
    meter.feed(samples)
    return meter.integrated()


def oversampled_peaks(samples: Audio) -> Audio:
    """Per-sample magnitude of the signal upsampled 4x: the peak between samples too."""
    from scipy.signal import resample_poly

    if not len(samples):
        return np.zeros(0, np.float32)
    upsampled = np.abs(resample_poly(np.asarray(samples, np.float32), OVERSAMPLE, 1))
    phases = [upsampled[phase::OVERSAMPLE][: len(samples)] for phase in range(OVERSAMPLE)]
    return np.asarray(np.maximum.reduce(phases), np.float32)


def true_peak(samples: Audio) -> float:
    """True peak in dBTP (BS.1770-4 Annex 2, 4x oversampling)."""
    peaks = oversampled_peaks(samples)
    return to_db(float(peaks.max())) if len(peaks) else -math.inf


def limit(samples: Audio, rate: int, ceiling_db: float = CEILING) -> Audio:
    """Bring the true peak of ``samples`` under ``ceiling_db`` with a look-ahead limiter.

    The gain needed at each peak is spread over 5 ms before and after it and
    recovers over about 80 ms, computed on 1 ms blocks and interpolated per
    sample, so the gain curve is smooth and never above what any sample needs.
    Audio already under the ceiling is returned unchanged.
    """
    from scipy.ndimage import minimum_filter1d

    ceiling = from_db(ceiling_db)
    if not len(samples) or float(np.abs(samples).max()) <= ceiling * HEADROOM:
        return samples
    peaks = oversampled_peaks(samples)
    if not len(peaks) or float(peaks.max()) <= ceiling:
        return samples
    block = max(1, rate // 1000)
    count = -(-len(samples) // block)
    needed = np.ones(count * block, np.float64)
    needed[: len(samples)] = np.minimum(1.0, ceiling / np.maximum(peaks, 1e-12))
    per_block = needed.reshape(count, block).min(axis=1)
    reach = max(1, round(ATTACK_SECONDS * 1000))
    envelope = minimum_filter1d(per_block, size=2 * reach + 1, mode="nearest")
    gains = _release(envelope, RELEASE_SECONDS * 1000)
    centres = np.arange(count) * block + (block - 1) / 2
    curve = np.interp(np.arange(len(samples)), centres, gains)
    # The curve is smooth next to the audio, so the peaks between samples follow it too.
    excess = float((peaks * curve).max()) / ceiling
    if excess > 1.0:
        curve /= excess
    return np.asarray(samples * curve, np.float32)


def _release(envelope: npt.NDArray[np.float64], blocks: float) -> npt.NDArray[np.float64]:
    """Gains that follow ``envelope`` down at once and recover towards 1 over ``blocks``.

    The recursion ``reduction[k] = max(1 - envelope[k], reduction[k-1] * decay)``
    is a running maximum in the log domain, so it is computed without a loop.
    """
    decay = -1.0 / blocks  # log of the per-block decay factor
    steps = np.arange(len(envelope), dtype=np.float64)
    with np.errstate(divide="ignore"):
        reduction = np.log(np.clip(1.0 - envelope, 0.0, 1.0))
    held = np.maximum.accumulate(reduction - steps * decay) + steps * decay
    return np.asarray(1.0 - np.exp(held), np.float64)


def level(samples: Audio, rate: int, target: float, max_gain_db: float = 15.0) -> Audio:
    """Scale one stretch of speech so its loudness is ``target`` LUFS.

    Narration sounds steady when every sentence is about equally loud; the
    gain is bounded so a near-silent sentence is not blown up.
    """
    measured = loudness(samples, rate)
    if not math.isfinite(measured):
        return samples
    gain = min(max(target - measured, -max_gain_db), max_gain_db)
    return np.asarray(samples * np.float32(from_db(gain)), np.float32)
