# scipy carries no type information.
# mypy: disallow-untyped-calls=False
"""Script → speech on disk: each sentence synthesized, resampled, trimmed and levelled.

Narration is the first of two passes. Every sentence goes to a :class:`Spill`
(a temporary file of float32 samples) as soon as it is spoken, so memory holds
one sentence at a time however long the article; the pieces are listed in
playing order and the whole is metered, so :mod:`msaudio.audio.master` can set
the episode's loudness before a single MP3 frame is written.

The sentence that states the episode's length is spoken last, when the length
is known, and played in its place.
"""

from __future__ import annotations

import math
import tempfile
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from math import gcd
from types import TracebackType
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

from msaudio.audio.dsp import upsample
from msaudio.audio.loudness import (
    CEILING,
    Audio,
    LoudnessMeter,
    block_peaks,
    from_db,
    level,
    limit,
)
from msaudio.audio.synthesis import Finish, Finished, Speech, Spoken, synthesize
from msaudio.config import AudioSettings, VoiceSettings
from msaudio.engines.base import Engine, Samples
from msaudio.model import Pause, Script, Sentence

EDGE_THRESHOLD_DB = -45.0
"""Trailing audio quieter than this (relative to the sentence's peak) is trimmed."""

LEAD_THRESHOLD_DB = -40.0
"""Leading audio quieter than this is trimmed: piper may breathe faintly just before the voice
(see msaudio.engines.piper.ONSET), and a pause should last until the voice is heard."""

EDGE_MARGIN_SECONDS = 0.01
"""Kept on each side of a trimmed sentence, so no consonant is clipped."""

VOICE_THRESHOLD_DB = -20.0
"""Audio this close to the sentence's peak is certainly the voice."""

EDGE_GAP_SECONDS = 0.05
"""Faint sound separated by this much near-silence from the voice is not part of it."""

T = TypeVar("T")

REHEARSAL_HEADROOM_DB = 3.0
"""Mastering gain that the peaks measured in rehearsal still serve: it is a fraction of a dB
unless the limiter took much of the speech's loudness."""

Overview = Callable[[float], str]
"""Given the length in seconds of everything else spoken, the sentence announcing the length."""


def pause_seconds(pause: Pause, audio: AudioSettings, speed: float) -> float:
    """Length of the silence after a sentence; slower speech gets longer pauses."""
    seconds = {
        Pause.SENTENCE: audio.sentence_pause,
        Pause.PARAGRAPH: audio.paragraph_pause,
        Pause.SECTION: audio.section_pause,
    }[pause]
    return seconds / speed


def resample(samples: Audio, source_rate: int, rate: int) -> Audio:
    """Polyphase resampling (anti-aliased), e.g. piper's 22 050 Hz to 44 100 Hz."""
    if source_rate == rate or not len(samples):
        return samples
    if rate % source_rate == 0:
        return upsample(samples, rate // source_rate)  # piper and espeak: 22 050 Hz to 44 100 Hz
    from scipy.signal import resample_poly  # imported on first use: it takes about 0.6 s

    divisor = gcd(source_rate, rate)
    result = resample_poly(samples, rate // divisor, source_rate // divisor)
    return np.asarray(result, np.float32)


def trim(samples: Audio, rate: int) -> Audio:
    """Drop the engine's own leading and trailing near-silence, keeping a 10 ms margin.

    The pauses between sentences are then exactly the configured ones, and a
    cue's start is where the voice starts: a faint sound that silence
    separates from the voice (a breath, a click) goes with the leading silence.
    """
    if not len(samples):
        return samples
    magnitude = np.abs(samples)
    peak = float(magnitude.max())

    def louder(decibels: float, part: Audio = magnitude) -> npt.NDArray[np.bool_]:
        """Which samples of ``part`` are within ``decibels`` of the sentence's peak."""
        return part > peak * 10 ** (decibels / 20)

    loud = np.flatnonzero(louder(EDGE_THRESHOLD_DB))
    if not len(loud):
        return samples[:0]
    voice = int(np.argmax(louder(VOICE_THRESHOLD_DB)))
    lead = np.flatnonzero(louder(LEAD_THRESHOLD_DB, magnitude[: voice + 1]))
    gaps = np.flatnonzero(np.diff(lead) > round(EDGE_GAP_SECONDS * rate))
    start = int(lead[gaps[-1] + 1]) if len(gaps) else int(lead[0])
    margin = round(EDGE_MARGIN_SECONDS * rate)
    return samples[max(0, start - margin) : loud[-1] + 1 + margin]


def prepare(spoken: Spoken, rate: int) -> Audio:
    """A sentence's engine audio as float32 samples at ``rate`` Hz, edges trimmed."""
    if not len(spoken.samples):
        return np.zeros(0, np.float32)
    samples = spoken.samples.astype(np.float32) / np.float32(32768.0)
    return trim(resample(samples, spoken.rate, rate), rate)


def finisher(audio: AudioSettings, rehearse: bool = False) -> Finish:
    """What every sentence goes through after synthesis: resampled to the episode's
    rate, edges trimmed, levelled to the show's loudness (done on speech workers); with
    ``rehearse``, its block peaks measured for narration's rehearsal (see :func:`narrate`)."""
    rate, target = audio.sample_rate, audio.loudness

    def finish(source_rate: int, samples: Samples) -> Finished:
        sentence = level(prepare(Spoken(source_rate, samples, cached=False), rate), rate, target)
        return Finished(sentence, _rehearsal_peaks(sentence, rate) if rehearse else None)

    return finish


def _rehearsal_peaks(samples: Audio, rate: int) -> Audio:
    """Block peaks, with every point that mastering's headroom could bring to the ceiling."""
    return block_peaks(samples, rate, from_db(CEILING - REHEARSAL_HEADROOM_DB))


class _Direct:
    """Sentences spoken one at a time by an engine in this thread (no cache, no workers)."""

    def __init__(self, engine: Engine, voice: VoiceSettings) -> None:
        self._engine = engine
        self._voice = voice

    def next(self, text: str) -> Spoken:
        rate, samples = synthesize(self._engine, text, self._voice.voice, self._voice.speed)
        return Spoken(rate, samples, cached=False)

    now = next


class Behind(Generic[T]):
    """Calls of ``function`` made on a thread of its own, at most ``backlog`` calls behind.

    For work on each piece of audio whose result is only needed at the end
    (limiting and metering, encoding): numpy and the encoder let other threads run,
    so the caller goes on meanwhile, and memory holds ``backlog`` pieces more at most.
    Use as a context manager; leaving it waits for every call, and raises the
    first error one raised.
    """

    def __init__(self, function: Callable[[T], None], backlog: int = 2) -> None:
        self._function = function
        self._backlog = backlog
        self._worker = ThreadPoolExecutor(1, thread_name_prefix="msaudio-behind")
        self._pending: deque[Future[None]] = deque()

    def __call__(self, piece: T) -> None:
        self._pending.append(self._worker.submit(self._function, piece))
        if len(self._pending) > self._backlog:
            self._pending.popleft().result()

    def __enter__(self) -> Behind[T]:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        try:
            while self._pending and kind is None:
                self._pending.popleft().result()
        finally:
            for future in self._pending:  # after an error, the calls not started are not made
                future.cancel()
            self._worker.shutdown()


class Spill:
    """Float32 samples in an anonymous temporary file: appended once, read back by offset.

    The file has no name, so nothing is left behind even when the process is killed.
    """

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="msaudio-")  # noqa: SIM115 - closed by close()
        self.length = 0
        """Samples written so far."""

    def append(self, samples: Audio) -> int:
        """Store ``samples``; return their offset in samples."""
        offset = self.length
        self._file.seek(offset * 4)
        self._file.write(np.asarray(samples, np.float32).tobytes())
        self.length += len(samples)
        return offset

    def read(self, offset: int, length: int) -> Audio:
        self._file.seek(offset * 4)
        data = self._file.read(length * 4)
        return np.frombuffer(data, np.float32).copy()

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> Spill:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


@dataclass(frozen=True)
class Piece:
    """A stretch of the episode: a spoken sentence (in the spill) or a pause."""

    length: int
    """Samples."""

    section: int
    """Index of the section it belongs to."""

    offset: int | None = None
    """Where the sentence's samples start in the spill; ``None`` for silence."""

    text: str | None = None
    """Display text of the sentence; ``None`` for silence."""

    spoken: str | None = None
    """The text the engine was given for the sentence; ``None`` for silence."""

    peaks: Audio | None = field(default=None, compare=False, repr=False)
    """The sentence's :func:`~msaudio.audio.loudness.block_peaks`, measured when narration
    rehearsed it, for gains up to :data:`REHEARSAL_HEADROOM_DB`."""


@dataclass
class Narration:
    """The spoken episode, as pieces in playing order over a spill."""

    rate: int
    titles: list[str]
    """Section titles in order."""

    pieces: list[Piece] = field(default_factory=list)
    loudness: float = -math.inf
    """Integrated loudness of the speech and its pauses, in LUFS."""

    limited: bool = False
    """Whether :attr:`loudness` was metered with each piece through the peak limiter."""

    @property
    def length(self) -> int:
        return sum(piece.length for piece in self.pieces)


def queued_texts(script: Script, overview: bool) -> list[str]:
    """The texts :func:`narrate` asks for with :meth:`Speech.next`, in order."""
    sentences = (s for section in script.sections for s in section.sentences)
    return [
        sentence.spoken
        for index, sentence in enumerate(sentences)
        if not (overview and index == script.overview)
    ]


def narrate(
    script: Script,
    speech: Engine | Speech,
    voice: VoiceSettings,
    audio: AudioSettings,
    spill: Spill,
    *,
    overview: Overview | None = None,
    on_sentence: Callable[[], None] | None = None,
    rehearse: bool = False,
) -> Narration:
    """Speak ``script`` into ``spill``, each sentence levelled to the show's loudness.

    ``speech`` is an engine to speak with here and now, or a build's
    :class:`Speech` queued with :func:`queued_texts`. When ``script.overview``
    marks a sentence and ``overview`` is given, that sentence is replaced by
    the text ``overview(seconds)``, spoken after all the others.

    With ``rehearse``, every piece is metered through the peak limiter, as
    mastering plays it without music: mastering then rehearses only a large correction.
    """
    source = _Direct(speech, voice) if isinstance(speech, Engine) else speech
    rate = audio.sample_rate
    narration = Narration(rate, [section.title for section in script.sections])
    meter = LoudnessMeter(rate)

    def hear(piece: tuple[Audio, Audio | None]) -> None:
        """Meter a piece as mastering will play it: a sentence measured for the rehearsal
        through the limiter (a pause is silence either way)."""
        samples, peaks = piece
        meter.feed(limit(samples, rate, peaks=peaks) if peaks is not None else samples)

    feed = Behind(hear)
    finish = finisher(audio, rehearse)
    deferred: tuple[int, Sentence] | None = None

    def say(sentence: Sentence, section: int, *, last: bool = False) -> Piece:
        spoken = source.now(sentence.spoken) if last else source.next(sentence.spoken)
        samples, peaks = spoken.finished or finish(spoken.rate, spoken.samples)
        if rehearse and peaks is None:  # queued by a caller that does not rehearse
            peaks = _rehearsal_peaks(samples, rate)
        feed((samples, peaks))
        offset = spill.append(samples)
        if on_sentence is not None:
            on_sentence()
        return Piece(len(samples), section, offset, sentence.display, sentence.spoken, peaks)

    def pause(sentence: Sentence, section: int) -> Piece:
        silence = round(pause_seconds(sentence.pause, audio, voice.speed) * rate)
        # Blocks of the loudness gate that straddle speech and silence count, as they will
        # in the episode, so the meter hears the pauses too.
        feed((np.zeros(silence, np.float32), None))
        return Piece(silence, section)

    with feed:
        index = 0
        for number, section in enumerate(script.sections):
            for sentence in section.sentences:
                if index == script.overview and overview is not None:
                    deferred = (len(narration.pieces), sentence)
                    narration.pieces.extend([Piece(0, number), pause(sentence, number)])
                else:
                    narration.pieces.extend([say(sentence, number), pause(sentence, number)])
                index += 1
        if deferred is not None and overview is not None:
            place, placeholder = deferred
            text = overview(narration.length / rate)
            said = Sentence(text, text, placeholder.pause)
            narration.pieces[place] = say(said, narration.pieces[place].section, last=True)
    narration.loudness = meter.integrated()
    narration.limited = rehearse
    return narration
