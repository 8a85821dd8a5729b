"""Sentences synthesized on a Dask cluster (``msaudio build --scheduler ADDRESS``).

This module needs ``msaudio[cluster]`` (dask and distributed); nothing imports
it unless a build names a scheduler.

The build's client keeps everything it does on its own machine the same: it
plans, looks each sentence up in the sentence cache, finishes the audio
(resample, trim, level), masters, encodes and publishes. Only the synthesis of
sentences the cache does not have goes to the cluster, as one task per
sentence through :class:`RemoteEngine`, an engine whose ``synthesize`` submits
the task and waits for its samples. The workers speak with the same engines
msaudio uses locally, created by :class:`EnginePlugin` once per worker thread
(piper loads each voice model once per worker process), and send back the
engine's raw int16 samples. All floating-point work stays on the client, so a
deterministic engine gives byte-identical episodes whichever worker, or
machine, spoke each sentence.

A worker lost mid-build is the scheduler's to handle: it runs the lost tasks
again on the other workers. A sentence whose engine fails is an
:class:`~msaudio.errors.EngineError` as in a local build (errors are pickled
with their message and path), so the episode fails with the same one line.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import cloudpickle
from distributed import Client, KilledWorker, LocalCluster, get_worker
from distributed.diagnostics.plugin import WorkerPlugin

from msaudio.audio.synthesis import default_jobs, synthesize
from msaudio.cache import SentenceCache
from msaudio.config import SCHEDULER_LOCAL
from msaudio.engines.base import Engine, EngineFactory, Samples, VoiceInfo, get_engine
from msaudio.errors import ConfigError, EngineError, EngineUnavailable, MsaudioError

PLUGIN_NAME = "msaudio-engines"


class EnginePlugin(WorkerPlugin):
    """Keeps each worker's engines: one per worker thread and engine name, made on first use.

    ``factories`` are engines registered in the client's process
    (:func:`msaudio.engines.base.register`), pickled by name so that one that a
    worker cannot load fails alone; every other engine is found on the worker
    by its entry point, as locally. ``threads`` is how many CPU threads each
    piper call may use (default: the worker machine's CPUs shared among its
    worker threads).
    """

    idempotent = False  # registering again replaces the plugin (with the new factories)

    def __init__(self, factories: dict[str, bytes], threads: int | None = None) -> None:
        self.factories = factories
        self.threads = threads
        self.spoken = 0
        """Sentences this worker synthesized (tests read it)."""

    def setup(self, worker: Any) -> None:
        self._local = threading.local()
        self._lock = threading.Lock()
        self._threads = self.threads or max(1, default_jobs() // max(1, worker.state.nthreads))

    def engine(self, name: str) -> Engine:
        """This worker thread's engine called ``name``."""
        engines: dict[str, Engine] = self._local.__dict__.setdefault("engines", {})
        if name not in engines:
            try:
                if name in self.factories:
                    factory: EngineFactory = cloudpickle.loads(self.factories[name])
                    engine = factory()
                else:
                    engine = get_engine(name)
            except EngineUnavailable:
                raise
            except Exception as error:
                raise EngineUnavailable(
                    f"engine '{name}' cannot be created on the Dask worker {_worker_address()}: "
                    f"{error}"
                ) from None
            if hasattr(engine, "threads"):
                setattr(engine, "threads", self._threads)  # noqa: B010
            engines[name] = engine
        return engines[name]

    def count(self) -> None:
        with self._lock:
            self.spoken += 1


def _worker_address() -> str:
    try:
        return str(get_worker().address)
    except ValueError:
        return "(unknown)"


def speak_on_worker(
    name: str, voice: str | None, speed: float, text: str
) -> tuple[int, Samples, str]:
    """The task: one sentence spoken by this worker's engine ``name``.

    Returns the sample rate, the engine's int16 samples and the engine's
    version (the client checks it against its own, which keys the cache).
    """
    plugin = get_worker().plugins.get(PLUGIN_NAME)
    if not isinstance(plugin, EnginePlugin):
        raise EngineUnavailable(f"the Dask worker {_worker_address()} has no msaudio engines")
    engine = plugin.engine(name)
    rate, samples = synthesize(engine, text, voice, speed)
    plugin.count()
    return rate, samples, engine.version


@dataclass
class Cluster:
    """A build's connection to a Dask cluster."""

    address: str
    client: Client
    threads: int
    """Worker threads in the cluster when the build connected: sentences it speaks at once."""

    def speak(
        self, name: str, version: str, voice: str | None, speed: float, text: str
    ) -> tuple[int, Samples]:
        """One sentence synthesized on the cluster: its sample rate and samples.

        The task is keyed by the sentence's cache key, so concurrent builds
        sharing the scheduler speak a sentence once.
        """
        key = "msaudio-speak-" + SentenceCache.key(name, version, voice, speed, text)
        try:
            future = self.client.submit(speak_on_worker, name, voice, speed, text, key=key)
            rate, samples, spoken_by = future.result()
        except MsaudioError:
            raise
        except KilledWorker:
            raise EngineError(
                f"{name} failed on {text[:60]!r}: every Dask worker that tried it died"
            ) from None
        except Exception as error:
            raise EngineUnavailable(
                f"the Dask cluster at {self.address} failed: {type(error).__name__}: {error}"
            ) from error
        if spoken_by != version:
            raise EngineUnavailable(
                f"{name} is version {spoken_by} on the Dask workers but {version} here; "
                "install the same msaudio and engines on the workers and here"
            )
        return int(rate), samples

    def engine(self, local: Engine) -> RemoteEngine:
        """An engine that speaks as ``local`` would, on the cluster."""
        return RemoteEngine(self, local)


class RemoteEngine:
    """The :class:`~msaudio.engines.base.Engine` protocol, spoken by the cluster.

    Its name, limits and version are the local engine's (they shape the script
    and the cache key); :meth:`synthesize` submits a task and waits for it.
    Use one per thread.
    """

    def __init__(self, cluster: Cluster, local: Engine) -> None:
        self.name = local.name
        self.needs_network = local.needs_network
        self.max_chars = local.max_chars
        self.version = local.version
        self._local = local
        self._cluster = cluster
        self._rates: dict[str | None, int] = {}

    def voices(self) -> list[VoiceInfo]:
        return self._local.voices()

    def sample_rate(self, voice: str | None) -> int:
        """The rate of the last sentence spoken with ``voice`` (else the local engine's)."""
        if voice in self._rates:
            return self._rates[voice]
        return self._local.sample_rate(voice)

    def synthesize(self, text: str, voice: str | None, speed: float) -> Iterator[Samples]:
        rate, samples = self._cluster.speak(self.name, self.version, voice, speed, text)
        self._rates[voice] = rate
        if len(samples):
            yield samples


@contextlib.contextmanager
def connect(
    address: str,
    *,
    workers: int | None = None,
    engines: dict[str, EngineFactory] | None = None,
) -> Iterator[Cluster]:
    """Connect to the scheduler at ``address``, or start a local cluster for ``local``.

    ``local`` starts ``workers`` worker processes (default: one per CPU) of one
    thread each on this machine. The workers get :class:`EnginePlugin` with
    ``engines`` (engines registered in this process). A scheduler that cannot be
    reached within Dask's connect timeout (``distributed.comm.timeouts.connect``),
    or that has no workers, is a :class:`ConfigError`.
    """
    factories = {name: cloudpickle.dumps(factory) for name, factory in (engines or {}).items()}
    with contextlib.ExitStack() as stack:
        threads: int | None = None
        if address == SCHEDULER_LOCAL:
            count = workers or default_jobs()
            try:
                local = stack.enter_context(
                    LocalCluster(  # type: ignore[no-untyped-call]
                        n_workers=count,
                        threads_per_worker=1,
                        processes=True,
                        host="127.0.0.1",
                        dashboard_address="127.0.0.1:0",
                        silence_logs=logging.ERROR,
                    )
                )
            except Exception as error:  # no processes or sockets allowed here, say
                raise MsaudioError(
                    f"--scheduler local: cannot start a local Dask cluster "
                    f"({type(error).__name__}: {error})"
                ) from error
            target: str | LocalCluster = local
            threads = max(1, default_jobs() // count)
        else:
            target = address
        try:
            client = stack.enter_context(
                Client(target, set_as_default=False)  # type: ignore[no-untyped-call]
            )
        except (OSError, ValueError) as error:
            raise ConfigError(
                f"--scheduler: cannot reach the Dask scheduler at {address} ({error}); "
                "start one with 'dask scheduler' and workers with 'dask worker'"
            ) from None
        try:
            client.wait_for_workers(1, timeout=_connect_timeout())
        except TimeoutError:
            raise ConfigError(
                f"--scheduler: the Dask scheduler at {address} has no workers; "
                f"start some with 'dask worker {address}'"
            ) from None
        client.register_plugin(EnginePlugin(factories, threads), name=PLUGIN_NAME)
        total = sum(client.nthreads().values())
        yield Cluster(address, client, max(1, total))


def _connect_timeout() -> float:
    import dask.config
    from dask.utils import parse_timedelta

    seconds = parse_timedelta(dask.config.get("distributed.comm.timeouts.connect"), "s")
    return float(seconds or 30)


def worker_counts(cluster: Cluster) -> dict[str, int]:
    """Sentences each worker synthesized since the build connected (for tests)."""

    def count(dask_worker: Any) -> int:
        plugin = dask_worker.plugins.get(PLUGIN_NAME)
        return plugin.spoken if isinstance(plugin, EnginePlugin) else 0

    return dict(cluster.client.run(count))
