"""What ``msaudio voices`` says: every engine, offline or online, installed or not, its voices."""

from __future__ import annotations

from collections.abc import Iterator

from msaudio.config import VoiceSettings
from msaudio.engines.base import VoiceInfo, available_engines
from msaudio.errors import MsaudioError

SHOWN = 6
"""An engine with more voices than this gets a one-line summary unless every voice is asked for."""


def voice_listing(every_voice: bool = False) -> Iterator[str]:
    """Lines describing each engine and its voices; an engine that cannot load says why.

    The default engine comes first; a long list of voices is summarised, English ones first.
    """
    default = VoiceSettings().engine
    engines = available_engines()
    for name in sorted(engines, key=lambda n: (n != default, n)):
        factory = engines[name]
        try:
            engine = factory()
        except MsaudioError as error:
            yield f"{name}: unavailable ({error})"
            continue
        where = "online (needs internet)" if engine.needs_network else "offline"
        mark = " (default)" if name == default else ""
        yield f"{name}{mark}: {where}, installed, version {engine.version}"
        try:
            voices = engine.voices()
        except MsaudioError as error:
            yield f"  voices unknown ({error})"
            continue
        yield from _voices(voices, every_voice)


def _voices(voices: list[VoiceInfo], every_voice: bool) -> Iterator[str]:
    if every_voice or len(voices) <= SHOWN:
        width = max((len(v.name) for v in voices), default=0)
        for info in voices:
            state = "installed" if info.installed else "not installed"
            yield f"  {info.name:<{width}}  {info.language}  {state}"
        return
    missing = sum(not v.installed for v in voices)
    english = sorted(voices, key=lambda v: not v.language.lower().startswith("en"))
    names = ", ".join(v.name for v in english[:SHOWN])
    extra = f", {missing} not installed" if missing else ""
    yield f"  {len(voices)} voices{extra}: {names}, ... (--all lists them)"
