"""Speech engines: a protocol, a registry fed by entry points, and the built-ins."""

from msaudio.engines.base import Engine, VoiceInfo, available_engines, get_engine, register

__all__ = ["Engine", "VoiceInfo", "available_engines", "get_engine", "register"]
