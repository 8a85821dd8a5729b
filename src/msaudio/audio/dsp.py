"""The few signal-processing kernels the build runs on every sentence, in numpy alone.

``scipy.signal`` would do each of these in one call, but importing it takes
about 0.6 s, which every build that narrates anything would pay before its
first sentence: a large part of a one-sentence edit. These kernels give the
same results (the tests compare them with scipy's) and cost about as much.
"""

from __future__ import annotations

import functools
import math

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

Biquad = tuple[float, float, float, float, float, float]
"""A second-order section's ``b0, b1, b2, a0, a1, a2``."""


def high_shelf(gain_db: float, q: float, frequency: float, rate: int) -> Biquad:
    """A high-shelf biquad (R. Bristow-Johnson's audio EQ cookbook)."""
    a = 10 ** (gain_db / 40)
    w0 = 2 * math.pi * frequency / rate
    cos, alpha = math.cos(w0), math.sin(w0) / (2 * q)
    root = 2 * math.sqrt(a) * alpha
    return (
        a * ((a + 1) + (a - 1) * cos + root),
        -2 * a * ((a - 1) + (a + 1) * cos),
        a * ((a + 1) + (a - 1) * cos - root),
        (a + 1) - (a - 1) * cos + root,
        2 * ((a - 1) - (a + 1) * cos),
        (a + 1) - (a - 1) * cos - root,
    )


def high_pass(q: float, frequency: float, rate: int) -> Biquad:
    """A high-pass biquad (R. Bristow-Johnson's audio EQ cookbook)."""
    w0 = 2 * math.pi * frequency / rate
    cos, alpha = math.cos(w0), math.sin(w0) / (2 * q)
    return ((1 + cos) / 2, -(1 + cos), (1 + cos) / 2, 1 + alpha, -2 * cos, 1 - alpha)


def impulse_response(sections: tuple[Biquad, ...], length: int) -> FloatArray:
    """The first ``length`` samples of the cascade's response to a unit impulse."""
    signal = np.zeros(length)
    signal[0] = 1.0
    for b0, b1, b2, a0, a1, a2 in sections:
        b = [b0 / a0, b1 / a0, b2 / a0]
        a1, a2 = a1 / a0, a2 / a0
        out = np.zeros(length)
        x1 = x2 = y1 = y2 = 0.0
        for n, x in enumerate(signal.tolist()):
            y = b[0] * x + b[1] * x1 + b[2] * x2 - a1 * y1 - a2 * y2
            out[n] = y
            x2, x1, y2, y1 = x1, x, y1, y
        signal = out
    return signal


class FirStream:
    """A long FIR filter applied to consecutive chunks of one signal (FFT overlap-add).

    Exactly the convolution of the whole signal with ``taps``, however it is cut
    into chunks: each chunk's response past its end is carried into the next.
    A stable IIR filter whose response has died away within the taps (below
    float64 rounding) is reproduced to rounding this way.
    """

    def __init__(self, taps: FloatArray) -> None:
        self._taps = np.asarray(taps, np.float64)
        # The key of the taps' cached spectra: one bytes object, whose hash Python keeps.
        self._key = self._taps.tobytes()
        self._tail = np.zeros(len(self._taps) - 1)
        # FFTs of four times the taps' length do the least work per sample (measured).
        self._size = 1 << (4 * len(self._tail)).bit_length()

    def __call__(self, chunk: npt.NDArray[np.floating]) -> FloatArray:
        signal = np.asarray(chunk, np.float64)
        if not signal.any():  # silence (the pauses): only the response carried in
            out = np.zeros(len(signal))
            carried = min(len(signal), len(self._tail))
            out[:carried] = self._tail[:carried]
            self._tail = np.concatenate([self._tail[carried:], np.zeros(carried)])
            return out
        step = self._size - len(self._tail)
        if len(signal) <= step:
            return self._block(signal)
        return np.concatenate(
            [self._block(signal[i : i + step]) for i in range(0, len(signal), step)]
        )

    def _block(self, signal: FloatArray) -> FloatArray:
        size = min(self._size, 1 << (len(signal) + len(self._tail) - 1).bit_length())
        response = _spectrum(self._key, size)
        full = np.fft.irfft(np.fft.rfft(signal, size) * response, size)
        full = full[: len(signal) + len(self._tail)]
        full[: len(self._tail)] += self._tail
        self._tail = full[len(signal) :].copy()
        return full[: len(signal)]


@functools.lru_cache(maxsize=32)
def _spectrum(taps: bytes, size: int) -> npt.NDArray[np.complex128]:
    return np.fft.rfft(np.frombuffer(taps, np.float64), size)


@functools.cache
def upsampling_filters(factor: int) -> tuple[FloatArray, ...]:
    """The polyphase parts of the anti-imaging filter for upsampling by ``factor``.

    The filter is ``scipy.signal.resample_poly``'s: a Kaiser-windowed (β = 5)
    sinc of ``20 * factor + 1`` taps cut off at the original Nyquist frequency,
    scaled to a gain of ``factor``.
    """
    count = 20 * factor + 1
    middle = (count - 1) / 2
    cutoff = 1 / factor
    taps = cutoff * np.sinc(cutoff * (np.arange(count) - middle)) * np.kaiser(count, 5.0)
    taps = taps / taps.sum() * factor
    return tuple(np.asarray(taps[phase::factor], np.float64) for phase in range(factor))


def upsample(samples: npt.NDArray[np.floating], factor: int) -> npt.NDArray[np.float32]:
    """``samples`` at ``factor`` times the rate, as ``resample_poly(samples, factor, 1)``."""
    signal = np.asarray(samples, np.float64)
    out = np.empty(len(signal) * factor, np.float32)
    for phase, part in enumerate(upsampling_filters(factor)):
        out[phase::factor] = np.convolve(signal, part)[10 : 10 + len(signal)]
    return out


def running_min(values: FloatArray, size: int) -> FloatArray:
    """The minimum over a centred window of odd ``size``, edges extended (ndimage 'nearest')."""
    return np.asarray(_windows(values, size).min(axis=1), np.float64)


def running_max(values: FloatArray, size: int) -> FloatArray:
    """The maximum over a centred window of odd ``size``, edges extended (ndimage 'nearest')."""
    return np.asarray(_windows(values, size).max(axis=1), np.float64)


def _windows(values: FloatArray, size: int) -> FloatArray:
    reach = size // 2
    padded = np.pad(np.asarray(values, np.float64), reach, mode="edge")
    return np.lib.stride_tricks.sliding_window_view(padded, size)
