from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np

from msaudio.audio.synthesis import Request, SpeechQueue
from msaudio.cache import SentenceCache
from msaudio.engines.base import Engine, Samples
from tests.helpers import ToneEngine


class LoadingEngine(ToneEngine):
    """Tells when its voice is loaded (the first time its sample rate is asked)."""

    def __init__(self, loaded: threading.Event) -> None:
        super().__init__()
        self.loaded = loaded

    def sample_rate(self, voice: str | None) -> int:
        self.loaded.set()
        return self.rate

    def synthesize(self, text: str, voice: str | None, speed: float) -> Iterator[Samples]:
        self.calls.append(text)
        yield np.zeros(160, np.int16)


def requests(texts: list[str]) -> list[Request]:
    return [Request("tone", None, 1.0, text, "1") for text in texts]


def fill(cache: SentenceCache, texts: list[str]) -> None:
    for request in requests(texts):
        cache.put(request.cache_key(), 16000, np.ones(160, np.int16))


def test_the_voice_of_a_sentence_not_cached_is_loaded_before_its_turn(tmp_path: Path) -> None:
    cache = SentenceCache(tmp_path)
    texts = [f"Sentence {n}." for n in range(20)]
    fill(cache, texts[:-1])  # only the last is new, as after an edit
    loaded = threading.Event()
    made: list[Engine] = []

    def make(name: str) -> Engine:
        made.append(LoadingEngine(loaded))
        return made[-1]

    with SpeechQueue(make, cache, jobs=1, window=2) as queue:
        tickets = queue.add(requests(texts))
        # Nothing is taken, and the window holds the worker to the first two sentences.
        assert loaded.wait(10)
        results = [queue.take(ticket) for ticket in tickets]
    assert [spoken.cached for spoken in results] == [True] * 19 + [False]
    assert queue.hits == 19 and queue.misses == 1


def test_no_engine_is_made_when_every_sentence_is_cached(tmp_path: Path) -> None:
    cache = SentenceCache(tmp_path)
    texts = ["One.", "Two.", "Three."]
    fill(cache, texts)
    made: list[str] = []

    def make(name: str) -> Engine:
        made.append(name)
        return ToneEngine()

    with SpeechQueue(make, cache, jobs=2) as queue:
        results = [queue.take(ticket) for ticket in queue.add(requests(texts))]
    assert all(spoken.cached for spoken in results)
    assert made == []
