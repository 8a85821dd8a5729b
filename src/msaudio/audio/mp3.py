"""Streaming MP3 encoding with LAME (lameenc): mono, constant bitrate, no ffmpeg."""

from __future__ import annotations

from typing import BinaryIO

import lameenc
import numpy as np
import numpy.typing as npt

ENCODER_DELAY = 1105
"""Samples of silence a decoder puts before the first sample encoded (576 from LAME, 529 from
the MP3 decoder). lameenc writes no Info/LAME header, so no decoder trims them: msaudio adds
this delay to every chapter and cue time instead, and times match the decoded audio everywhere."""

ENCODER_GAIN = 0.95
"""LAME scales its input by 0.95 (measured: decoded audio is 0.446 dB quieter at every bitrate
and frequency, with mpg123 and dr_mp3 alike); :class:`Mp3Stream` compensates, so the decoded
episode has the loudness that was measured before encoding."""

QUALITY = 3
"""LAME's algorithm quality (0 best, 9 fastest); 3 is the lame program's own default."""


class Mp3Stream:
    """Encode mono float samples (±1 full scale) to ``out`` as they come; :meth:`close` flushes."""

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

    def write(self, samples: npt.NDArray[np.floating]) -> None:
        if len(samples):
            pcm = np.clip(np.round(samples * (32767.0 / ENCODER_GAIN)), -32768, 32767)
            self._out.write(bytes(self._encoder.encode(pcm.astype(np.int16).tobytes())))
            self.samples_written += len(samples)

    def close(self) -> None:
        self._out.write(bytes(self._encoder.flush()))
