"""Sentence audio for a build: from the sentence cache, or spoken by worker threads.

Every sentence a build will speak is known before narration starts. A
:class:`SpeechQueue` hands them to ``jobs`` worker threads in playing order.
Each worker creates its own engine the first time it needs one, so each loads
its voice once, and looks in the cache before asking the engine. Narration
takes the results in the same order while the workers run ahead, by at most
``window`` sentences, into the next episode while this one is mastered and
encoded. Each sentence's audio depends only on its text and voice, and results
are used in order, so the output does not depend on the number of workers.

Speech engines spend their time in native code (piper in onnxruntime,
espeak-ng in its own process, gtts waiting on the network), which runs
outside Python's global lock, so threads give real parallelism here.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from msaudio.cache import SentenceCache
from msaudio.engines.base import Engine, Samples
from msaudio.errors import EngineError, EngineUnavailable

EngineMaker = Callable[[str], Engine]
"""Creates a fresh engine by name (one per worker thread)."""


class Finished(NamedTuple):
    """A sentence's audio as narration plays it, made on a worker."""

    audio: npt.NDArray[np.float32]
    peaks: npt.NDArray[np.float32] | None = None
    """Its block peaks (see :func:`msaudio.audio.loudness.block_peaks`), when narration
    rehearses mastering."""


Finish = Callable[[int, Samples], Finished]
"""Work done on a worker after synthesis (resample, trim, level): rate, samples → finished."""


def default_jobs() -> int:
    """Worker threads when ``--jobs`` is not given: one per CPU this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Request:
    """One sentence to speak, and everything that shapes its sound."""

    engine: str
    voice: str | None
    speed: float
    text: str
    version: str = ""
    """The engine's version, for the cache key."""

    def cache_key(self) -> str:
        """The sentence cache's entry for this request (see :meth:`SentenceCache.key`)."""
        return SentenceCache.key(self.engine, self.version, self.voice, self.speed, self.text)


@dataclass(frozen=True)
class Spoken:
    """A sentence's audio as the engine made it, and finished when a finish was given."""

    rate: int
    samples: Samples
    cached: bool
    """True when it came from the cache rather than the engine."""

    finished: Finished | None = None
    """The result of the request's finish, computed on the worker."""


@dataclass
class _Slot:
    request: Request
    finish: Finish | None = None
    done: threading.Event = field(default_factory=threading.Event)
    result: Spoken | None = None
    error: BaseException | None = None
    claimed: bool = False


class SpeechQueue:
    """Sentences spoken ahead of narration by worker threads, taken back in order.

    Use as a context manager, or call :meth:`close`. ``hits`` and ``misses``
    count sentences served by the cache and by an engine; ``synthesized``
    lists the texts an engine spoke, in the order they finished.
    """

    def __init__(
        self,
        make_engine: EngineMaker,
        cache: SentenceCache | None,
        jobs: int = 1,
        window: int | None = None,
    ) -> None:
        self._make_engine = make_engine
        self._cache = cache
        self.jobs = max(1, jobs)
        self._window = window or max(8, 4 * self.jobs)
        self._slots: dict[int, _Slot] = {}
        self._next_ticket = 0
        self._next_start = 0
        self._floor = 0
        self._urgent: deque[int] = deque()
        self._warm: deque[list[Request]] = deque()
        """Requests to look up in the cache: the engine of the first missing one is readied."""
        self._closed = False
        self._lock = threading.Condition()
        self._local = threading.local()
        self.hits = 0
        self.misses = 0
        self.synthesized: list[str] = []
        self._unavailable: dict[str, EngineUnavailable] = {}
        if self.jobs > 1:
            _share_malloc_arena()
        self._workers = [
            threading.Thread(target=self._work, name=f"msaudio-speech-{n}", daemon=True)
            for n in range(self.jobs)
        ]
        for worker in self._workers:
            worker.start()

    def add(self, requests: Iterable[Request], finish: Finish | None = None) -> list[int]:
        """Queue ``requests`` in order; return their tickets for :meth:`take`.

        ``finish``, when given, runs on the worker after synthesis; its result
        is the :attr:`Spoken.audio` of each.
        """
        tickets = []
        with self._lock:
            queued = []
            for request in requests:
                self._slots[self._next_ticket] = _Slot(request, finish)
                tickets.append(self._next_ticket)
                self._next_ticket += 1
                queued.append(request)
            if self._cache is not None:
                self._warm.append(queued)
            self._lock.notify_all()
        return tickets

    def take(self, ticket: int) -> Spoken:
        """The audio of ``ticket``, waiting for it; raises what its engine raised."""
        with self._lock:
            slot = self._slots[ticket]
        slot.done.wait()
        with self._lock:
            del self._slots[ticket]
            self._advance_floor()
            self._lock.notify_all()  # the window moved: workers may go on
        if slot.error is not None:
            raise slot.error
        assert slot.result is not None
        return slot.result

    def speak(self, request: Request, finish: Finish | None = None) -> Spoken:
        """Speak ``request`` before anything else queued, and wait for it."""
        with self._lock:
            ticket = self._next_ticket
            self._next_ticket += 1
            self._slots[ticket] = _Slot(request, finish)
            self._urgent.append(ticket)
            self._lock.notify_all()
        return self.take(ticket)

    def discard(self, tickets: Iterable[int]) -> None:
        """Forget tickets that will never be taken (their episode failed)."""
        with self._lock:
            for ticket in tickets:
                self._slots.pop(ticket, None)
            self._advance_floor()
            self._lock.notify_all()

    def close(self) -> None:
        """Stop the workers (after the sentence each is speaking)."""
        with self._lock:
            self._closed = True
            self._lock.notify_all()
        for worker in self._workers:
            worker.join()

    def __enter__(self) -> SpeechQueue:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _advance_floor(self) -> None:
        """Move the window's start past tickets taken or discarded (lock held)."""
        while self._floor < self._next_ticket and self._floor not in self._slots:
            self._floor += 1

    def _claim(self) -> _Slot | list[Request] | None:
        """The next slot to work on, or requests to warm up for, waiting for one; ``None``
        when closing."""
        with self._lock:
            while True:
                if self._closed:
                    return None
                if self._warm:
                    return self._warm.popleft()
                while self._urgent:
                    urgent = self._slots.get(self._urgent.popleft())
                    if urgent is not None and not urgent.claimed:
                        urgent.claimed = True
                        return urgent
                while self._next_start < self._next_ticket and (
                    self._next_start not in self._slots or self._slots[self._next_start].claimed
                ):
                    self._next_start += 1
                if (
                    self._next_start < self._next_ticket
                    and self._next_start < self._floor + self._window
                ):
                    slot = self._slots[self._next_start]
                    slot.claimed = True
                    self._next_start += 1
                    return slot
                self._lock.wait()

    def _work(self) -> None:
        while (slot := self._claim()) is not None:
            if isinstance(slot, list):
                self._ready(slot)
                continue
            try:
                spoken = self._speak(slot.request)
                if slot.finish is not None:
                    spoken = replace(spoken, finished=slot.finish(spoken.rate, spoken.samples))
                slot.result = spoken
            except BaseException as error:  # handed to the narrating thread by take()
                slot.error = error
            slot.done.set()
            with self._lock:
                self._lock.notify_all()

    def _ready(self, requests: list[Request]) -> None:
        """Create the engine and load the voice of the first request the cache lacks.

        Done as soon as the requests are queued, so that the voice (a model that
        takes a while to load) is ready when its sentence's turn comes, not
        loaded then: an edit changes one sentence in the middle of an episode.
        """
        assert self._cache is not None
        for request in requests:
            key = request.cache_key()
            if not self._cache.holds(key):
                if request.engine not in self._unavailable:
                    # Any failure is the sentence's to report, when it is spoken.
                    with contextlib.suppress(Exception):
                        self._engine(request.engine).sample_rate(request.voice)
                return

    def _engine(self, name: str) -> Engine:
        """This worker's own engine called ``name``, created on first use."""
        engines: dict[str, Engine] = self._local.__dict__.setdefault("engines", {})
        if name not in engines:
            engine = self._make_engine(name)
            if self.jobs > 1 and hasattr(engine, "threads"):
                # Share the CPUs between the workers instead of each using them all.
                setattr(engine, "threads", max(1, default_jobs() // self.jobs))  # noqa: B010
            engines[name] = engine
        return engines[name]

    def _speak(self, request: Request) -> Spoken:
        key = None
        if self._cache is not None:
            key = request.cache_key()
            found = self._cache.get(key)
            if found is not None:
                with self._lock:
                    self.hits += 1
                return Spoken(found[0], found[1], cached=True)
        if request.engine in self._unavailable:
            raise self._unavailable[request.engine]
        engine = self._engine(request.engine)
        try:
            rate, samples = synthesize(engine, request.text, request.voice, request.speed)
        except EngineUnavailable as error:
            # It cannot speak at all (no network, no program): don't ask it again.
            self._unavailable.setdefault(request.engine, error)
            raise
        if key is not None and self._cache is not None:
            self._cache.put(key, rate, samples)
        with self._lock:
            self.misses += 1
            self.synthesized.append(request.text)
        return Spoken(rate, samples, cached=False)


M_ARENA_MAX = -8
"""mallopt's parameter for the most malloc arenas a process may have (glibc's malloc.h)."""


def _share_malloc_arena() -> None:
    """Let worker threads allocate from one glibc arena instead of one each.

    The engine's working memory is freed after every sentence; in a thread's own
    arena it stays reserved for that thread, so each worker would add a whole
    sentence's peak to the process. Elsewhere than Linux's glibc: nothing.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None)
        libc.mallopt(M_ARENA_MAX, 1)
    except (OSError, AttributeError):
        pass


def synthesize(engine: Engine, text: str, voice: str | None, speed: float) -> tuple[int, Samples]:
    """One sentence from ``engine``: its sample rate and all its samples.

    Anything but an :class:`EngineError` from the engine becomes one, naming
    the engine and the sentence.
    """
    try:
        chunks = list(engine.synthesize(text, voice, speed))
        rate = engine.sample_rate(voice)
    except EngineError:
        raise
    except Exception as error:
        raise EngineError(f"{engine.name} failed on {text[:60]!r}: {error}") from error
    samples = np.concatenate(chunks).astype(np.int16) if chunks else np.zeros(0, np.int16)
    return rate, samples


class Speech:
    """The sentences of one episode, in order, as narration asks for them."""

    def __init__(
        self,
        queue: SpeechQueue,
        base: Request,
        texts: Sequence[str],
        finish: Finish | None = None,
    ) -> None:
        self._queue = queue
        self._base = base
        self._texts = list(texts)
        self._finish = finish
        self._tickets = queue.add((self._request(text) for text in self._texts), finish)
        self._taken = 0

    def _request(self, text: str) -> Request:
        base = self._base
        return Request(base.engine, base.voice, base.speed, text, base.version)

    def next(self, text: str) -> Spoken:
        """The next sentence's audio; ``text`` must be the next text given."""
        if self._taken >= len(self._texts) or self._texts[self._taken] != text:
            raise RuntimeError(f"narration asked for {text!r} out of order")
        ticket = self._tickets[self._taken]
        self._taken += 1
        return self._queue.take(ticket)

    def now(self, text: str) -> Spoken:
        """A sentence that was not queued (the intro's length), spoken before all else."""
        return self._queue.speak(self._request(text), self._finish)

    def cancel(self) -> None:
        """Drop the sentences not taken (the episode failed)."""
        self._queue.discard(self._tickets[self._taken :])
        self._taken = len(self._texts)
