"""The Engine protocol and the registry.

Built-in engines are declared in the ``msaudio.engines`` entry-point group of
msaudio's own ``pyproject.toml``, exactly as a third-party package declares
its own; :func:`register` adds one in-process (tests, embedding).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from importlib.metadata import entry_points
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from msaudio.errors import ConfigError, EngineError

if TYPE_CHECKING:
    from msaudio.config import VoiceSettings

ENTRY_POINT_GROUP = "msaudio.engines"

Samples = npt.NDArray[np.int16]
"""Mono 16-bit PCM samples."""


@dataclass(frozen=True)
class VoiceInfo:
    """A voice an engine offers."""

    name: str
    language: str
    installed: bool = True
    """False when the voice would have to be fetched or installed first."""


@runtime_checkable
class Engine(Protocol):
    """What msaudio needs from a speech engine."""

    name: str
    """Registry name, e.g. ``piper``."""

    needs_network: bool
    """True when synthesis talks to a remote service."""

    max_chars: int
    """Longest text accepted by one :meth:`synthesize` call."""

    version: str
    """Engine version (part of cache keys)."""

    def voices(self) -> list[VoiceInfo]:
        """The voices this engine can speak with."""
        ...

    def sample_rate(self, voice: str | None) -> int:
        """Sample rate of the audio :meth:`synthesize` yields for ``voice``."""
        ...

    def synthesize(self, text: str, voice: str | None, speed: float) -> Iterator[Samples]:
        """Speak ``text``; yield mono int16 chunks at :meth:`sample_rate`.

        Raise :class:`~msaudio.errors.EngineUnavailable` when no text could be
        spoken now (no network, a program missing): the build then stops asking.
        """
        ...


def engine_voice(engine: Engine, settings: VoiceSettings) -> VoiceSettings:
    """``settings`` with the voice ``engine`` will actually be asked for.

    An engine may define ``choose_voice(settings) -> str | None`` (optional, not
    part of :class:`Engine`) to pick its voice from the ``[voice]`` settings, as
    gtts and espeak do from ``language``; otherwise the configured voice is used
    as it is.
    """
    choose = getattr(engine, "choose_voice", None)
    if not callable(choose):
        return settings
    voice = choose(settings)
    return replace(settings, voice=voice if isinstance(voice, str) else None)


EngineFactory = Callable[[], Engine]
_registered: dict[str, EngineFactory] = {}


def register(name: str, factory: EngineFactory) -> None:
    """Make an engine available by name in this process."""
    _registered[name] = factory


def registered_engines() -> dict[str, EngineFactory]:
    """The engines added in this process with :func:`register` (not by entry point)."""
    return dict(_registered)


def available_engines() -> dict[str, EngineFactory]:
    """Every engine known by entry point or :func:`register`, by name."""
    found: dict[str, EngineFactory] = {}
    for point in entry_points(group=ENTRY_POINT_GROUP):
        found[point.name] = _lazy(point.name, point.load)
    found.update(_registered)
    return dict(sorted(found.items()))


def _lazy(name: str, load: Callable[[], object]) -> EngineFactory:
    def factory() -> Engine:
        try:
            engine_class = load()
        except Exception as error:
            raise EngineError(f"engine '{name}' cannot be loaded: {error}") from error
        engine = engine_class() if callable(engine_class) else engine_class
        if not isinstance(engine, Engine):
            raise EngineError(f"engine '{name}' does not implement the Engine protocol")
        return engine

    return factory


def get_engine(name: str) -> Engine:
    """Create the engine called ``name``; an unknown name lists the known ones."""
    engines = available_engines()
    if name not in engines:
        known = ", ".join(engines) or "none"
        raise ConfigError(f"unknown engine '{name}'; known engines: {known}")
    return engines[name]()
