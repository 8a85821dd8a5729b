"""Streaming MP3 encoding with LAME (lameenc): mono, constant bitrate, no ffmpeg."""

from __future__ import annotations

from typing import BinaryIO

import lameenc
import numpy as np
import numpy.typing as npt

QUALITY = 2
"""LAME's algorithm quality (0 best, 9 fastest); 2 is LAME's recommended 'high'."""


class Mp3Stream:
    """Encode int16 mono PCM to ``out`` as it arrives; :meth:`close` flushes."""

    def __init__(self, out: BinaryIO, sample_rate: int, bitrate: int) -> None:
        self._out = out
        self._encoder = lameenc.Encoder()
        self._encoder.set_bit_rate(bitrate)
        self._encoder.set_in_sample_rate(sample_rate)
        self._encoder.set_out_sample_rate(sample_rate)
        self._encoder.set_channels(1)
        self._encoder.set_quality(QUALITY)
        self.samples_written = 0
        """Samples handed to the encoder so far."""

    def write(self, samples: npt.NDArray[np.int16]) -> None:
        if len(samples):
            self._out.write(bytes(self._encoder.encode(samples.tobytes())))
            self.samples_written += len(samples)

    def close(self) -> None:
        self._out.write(bytes(self._encoder.flush()))
