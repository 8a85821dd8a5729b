"""Streaming MP3 encoding with LAME (lameenc): mono, constant bitrate, no ffmpeg."""

from __future__ import annotations

import threading
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import BinaryIO

import lameenc
import numpy as np
import numpy.typing as npt

ENCODER_DELAY = 1105
"""Samples of silence a decoder puts before the first sample encoded (576 from LAME, 529 from
the MP3 decoder). lameenc writes no Info/LAME header, so no decoder trims them: msaudio adds
this delay to every chapter and cue time instead, and times match the decoded audio everywhere."""

ENCODER_SKIP = 576
"""Samples of silence LAME itself puts before the first sample encoded (part of ENCODER_DELAY)."""

ENCODER_GAIN = 0.95
"""LAME scales its input by 0.95 (measured: decoded audio is 0.446 dB quieter at every bitrate
and frequency, with mpg123 and dr_mp3 alike); :class:`Mp3Stream` compensates, so the decoded
episode has the loudness that was measured before encoding."""

QUALITY = 3
"""LAME's algorithm quality (0 best, 9 fastest); 3 is the lame program's own default."""


SEGMENT_SECONDS = 20.0
"""A segment may end at the first pause after this much audio (see :class:`Mp3Stream`)."""

BACKLOG_SECONDS = 60.0
"""Audio a segment's encoder may lag behind: what memory holds per segment at most."""

_MIN_PADDING = 576
"""Samples LAME appends to the last frame at least (measured; the tests check it)."""


def frame_samples(rate: int) -> int:
    """Samples per MP3 frame: 1152 for MPEG-1 rates (32 kHz and up), 576 below."""
    return 1152 if rate >= 32000 else 576


class Mp3Stream:
    """Encode mono float samples (±1 full scale) to ``out`` as they come; :meth:`close` flushes.

    Use as a context manager, or call :meth:`close` (or :meth:`abandon`) in all cases: the
    encoders run on threads of their own.

    The stream is cut into segments of about :data:`SEGMENT_SECONDS`, each
    encoded by its own LAME encoder, ``threads`` at a time (LAME lets other
    threads run, so two encode in about the time of one), and written in
    order: MP3 frames of separate encoders simply follow one another. A cut is
    only made inside silence (a pause between sentences), and exactly where
    the decoded audio keeps every sample's time: the segment ends where its
    last frame needs LAME's minimum padding, and the next segment's encoder
    delay plus that padding are taken out of the pause. So a listener hears
    the same pauses, and chapter and cue times are the same, as with one
    encoder. Cuts depend only on the samples, so the bytes do not depend on
    ``threads``; memory holds a few segments at most.
    """

    def __init__(self, out: BinaryIO, sample_rate: int, bitrate: int, threads: int = 1) -> None:
        self._out = out
        self._rate = sample_rate
        self._bitrate = bitrate
        self._threads = max(1, threads)
        self._frame = frame_samples(sample_rate)
        self._segment_samples = round(SEGMENT_SECONDS * sample_rate)
        self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="msaudio-mp3")
        self._done: deque[Future[bytes]] = deque()
        self._segment = self._start()

    def _start(self) -> _Segment:
        segment = _Segment(round(BACKLOG_SECONDS * self._rate))
        encoder = lameenc.Encoder()
        encoder.set_bit_rate(self._bitrate)
        encoder.set_in_sample_rate(self._rate)
        encoder.set_out_sample_rate(self._rate)
        encoder.set_channels(1)
        encoder.set_quality(QUALITY)
        self._done.append(self._pool.submit(segment.encode, encoder))
        return segment

    def write(self, samples: npt.NDArray[np.floating]) -> None:
        if not len(samples):
            return
        pcm = np.clip(np.round(samples * (32767.0 / ENCODER_GAIN)), -32768, 32767)
        pcm = pcm.astype(np.int16)
        if self._segment.length >= self._segment_samples and not pcm.any():
            # Enough for a segment, and silence: end it here if the pause is long enough.
            ending = -(self._segment.length + _MIN_PADDING + ENCODER_SKIP) % self._frame
            if len(pcm) >= ending + _MIN_PADDING + ENCODER_SKIP:
                self._segment.put(pcm[:ending])
                self._cut()
                pcm = pcm[ending + _MIN_PADDING + ENCODER_SKIP :]
        self._segment.put(pcm)

    def _cut(self) -> None:
        self._segment.put(None)
        self._segment = self._start()
        while len(self._done) > self._threads + 1 or (self._done and self._done[0].done()):
            self._out.write(self._done.popleft().result())

    def close(self) -> None:
        """Flush the encoders and write what is left, in order."""
        self._segment.put(None)
        try:
            while self._done:
                self._out.write(self._done.popleft().result())
        finally:
            self._pool.shutdown()

    def abandon(self) -> None:
        """Stop without writing more (the episode failed): the encoders end and are joined."""
        self._segment.put(None)
        self._pool.shutdown(cancel_futures=True)
        self._done.clear()

    def __enter__(self) -> Mp3Stream:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is None:
            self.close()
        else:
            self.abandon()


class _Segment:
    """PCM handed from the writing thread to one segment's encoder, at most ``backlog`` behind."""

    def __init__(self, backlog: int) -> None:
        self.length = 0
        """Samples put so far."""
        self._backlog = backlog
        self._queued = 0
        self._chunks: deque[npt.NDArray[np.int16] | None] = deque()
        self._ready = threading.Condition()

    def put(self, pcm: npt.NDArray[np.int16] | None) -> None:
        """Queue ``pcm`` for the encoder; ``None`` ends the segment."""
        with self._ready:
            while pcm is not None and self._queued and self._queued + len(pcm) > self._backlog:
                self._ready.wait()
            self._chunks.append(pcm)
            if pcm is not None:
                self._queued += len(pcm)
                self.length += len(pcm)
            self._ready.notify_all()

    def encode(self, encoder: lameenc.Encoder) -> bytes:
        """Encode what is put until the end; the segment's MP3 frames."""
        frames = bytearray()
        while True:
            with self._ready:
                while not self._chunks:
                    self._ready.wait()
                pcm = self._chunks.popleft()
            if pcm is None:
                return bytes(frames + encoder.flush())
            frames += encoder.encode(pcm.tobytes())
            with self._ready:
                self._queued -= len(pcm)
                self._ready.notify_all()
