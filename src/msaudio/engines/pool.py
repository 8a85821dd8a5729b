"""The engines of one build, each created once by name, and the speech queue that uses them.

An engine that turned out unable to speak (:class:`EngineUnavailable`) is not
asked again in the build; its published episodes are still reused. Sentences
are spoken by worker threads here, or by the build's Dask cluster (see
:mod:`msaudio.cluster`), where engines are created on the workers by name.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

from msaudio.audio.synthesis import EngineMaker, SpeechQueue, default_jobs
from msaudio.cache import SentenceCache
from msaudio.config import SCHEDULER_LOCAL
from msaudio.engines.base import Engine, get_engine, registered_engines
from msaudio.errors import ConfigError, EngineUnavailable, MsaudioError

if TYPE_CHECKING:
    from msaudio.cluster import Cluster


class Engines:
    """The engines of one build: each created once, by name.

    ``default``, when given, is the instance for ``default_name`` (the caller's
    own engine, which may not be safe to share between threads).
    """

    def __init__(self, default: Engine | None = None, default_name: str = "") -> None:
        self._engines: dict[str, Engine] = {default_name: default} if default else {}
        self.given = default_name if default else None
        """The name of the caller's own engine, if one was given."""
        self._unavailable: dict[str, EngineUnavailable] = {}
        self._broken: dict[str, MsaudioError] = {}

    def get(self, name: str) -> Engine:
        """The engine called ``name``, created on first use; one that cannot be created
        raises the same error each time it is asked for."""
        if name in self._broken:
            raise self._broken[name]
        if name not in self._engines:
            try:
                self._engines[name] = get_engine(name)
            except MsaudioError as error:
                self._broken[name] = error
                raise
        return self._engines[name]

    def usable(self, name: str) -> Engine:
        """The engine called ``name``; raises again the error that made it unavailable."""
        if name in self._unavailable:
            raise self._unavailable[name]
        return self.get(name)

    def unavailable(self, name: str, error: EngineUnavailable) -> None:
        self._unavailable[name] = error


@contextlib.contextmanager
def speech_queue(
    engines: Engines, scheduler: str | None, jobs: int | None, cache: SentenceCache | None
) -> Iterator[SpeechQueue]:
    """A :class:`SpeechQueue` over ``engines``, on local threads or the ``scheduler``'s cluster.

    ``jobs`` worker threads speak (default: one per CPU, or one when the caller
    gave its own engine); on a cluster, ``jobs`` is the local cluster's worker
    processes, or for a remote one how many sentences are in flight at once.
    """
    workers = jobs or (1 if engines.given is not None else default_jobs())
    handed: set[str] = set()
    lock = threading.Lock()

    def make_engine(name: str) -> Engine:
        """The first worker gets the build's instance, the others their own."""
        with lock:
            if name == engines.given or name not in handed:
                handed.add(name)
                return engines.get(name)
        return get_engine(name)

    maker: EngineMaker = make_engine
    with contextlib.ExitStack() as stack:
        if scheduler:
            # Engines are created on the workers by name; here they only plan and key the cache.
            cluster = stack.enter_context(_connect(scheduler, jobs))
            # Two sentences in flight per cluster thread: one spoken, one waiting its turn.
            workers = 2 * cluster.threads if scheduler == SCHEDULER_LOCAL or not jobs else jobs

            def remote_engine(name: str) -> Engine:
                with lock:
                    speaker = engines.get(name)
                return cluster.engine(speaker)

            maker = remote_engine
        yield stack.enter_context(SpeechQueue(maker, cache, workers))


def _connect(scheduler: str, jobs: int | None) -> contextlib.AbstractContextManager[Cluster]:
    """Connect to the build's Dask cluster (see :func:`msaudio.cluster.connect`)."""
    try:
        from msaudio.cluster import connect
    except ImportError as error:
        if error.name and error.name.split(".")[0] in ("dask", "distributed", "cloudpickle"):
            raise ConfigError("--scheduler needs dask; install msaudio[cluster]") from None
        raise
    workers = jobs if scheduler == SCHEDULER_LOCAL else None
    return connect(scheduler, workers=workers, engines=registered_engines())
