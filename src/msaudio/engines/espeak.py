"""A small, fast offline fallback: the espeak-ng program, when it is installed.

The text goes in on standard input (so nothing in it can be taken for an
option) and a WAV comes back on standard output, read with soundfile.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from typing import TYPE_CHECKING

import numpy as np

from msaudio.engines.base import Samples, VoiceInfo
from msaudio.errors import EngineError, EngineUnavailable

if TYPE_CHECKING:
    from msaudio.config import VoiceSettings

PROGRAM = "espeak-ng"
MISSING = "espeak needs the espeak-ng program; install it with 'apt-get install espeak-ng'"

WORDS_PER_MINUTE = 175
"""espeak-ng's own rate; ``speed`` scales it."""

RATE_LIMITS = (80, 450)
"""The rates espeak-ng accepts, in words per minute."""

TIMEOUT_SECONDS = 60.0
"""Longest one call may take; a sentence takes milliseconds."""


class EspeakEngine:
    """espeak-ng through its command line: robotic, but tiny and very fast."""

    name = "espeak"
    needs_network = False
    max_chars = 500

    def __init__(self) -> None:
        program = shutil.which(PROGRAM)
        if program is None:
            raise EngineUnavailable(MISSING)
        self._program = program
        banner = self._run("--version").decode("utf-8", "replace")
        found = re.search(r"(\d+(?:\.\d+)+)", banner)
        self.version = found.group(1) if found else banner.strip()[:40]
        self._rates: dict[str | None, int] = {}

    def voices(self) -> list[VoiceInfo]:
        """The voices ``espeak-ng --voices`` lists, by language (its data ships with it)."""
        listing = self._run("--voices").decode("utf-8", "replace").splitlines()[1:]
        languages = [fields[1] for fields in map(str.split, listing) if len(fields) >= 5]
        return [VoiceInfo(language, language) for language in dict.fromkeys(languages)]

    def choose_voice(self, settings: VoiceSettings) -> str:
        """The named voice, else the ``[voice] language`` (espeak-ng names voices by language)."""
        return settings.voice or settings.language

    def sample_rate(self, voice: str | None) -> int:
        if voice not in self._rates:
            self._speak(".", voice, 1.0)
        return self._rates[voice]

    def synthesize(self, text: str, voice: str | None, speed: float) -> Iterator[Samples]:
        samples = self._speak(text, voice, speed)
        if len(samples):
            yield samples

    def _speak(self, text: str, voice: str | None, speed: float) -> Samples:
        import soundfile

        rate = round(min(max(WORDS_PER_MINUTE * speed, RATE_LIMITS[0]), RATE_LIMITS[1]))
        wav = self._run(
            "--stdout", "--stdin", "-b", "1", "-v", voice or "en-us", "-s", str(rate), stdin=text
        )
        try:
            samples, sample_rate = soundfile.read(io.BytesIO(wav), dtype="int16", always_2d=True)
        except (RuntimeError, TypeError, ValueError) as error:
            raise EngineError(f"espeak-ng gave no readable audio ({error})") from None
        self._rates[voice] = int(sample_rate)
        mono: Samples = np.ascontiguousarray(samples[:, 0])
        return mono

    def _run(self, *args: str, stdin: str = "") -> bytes:
        try:
            done = subprocess.run(
                [self._program, *args],
                input=stdin.encode("utf-8"),
                capture_output=True,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        except FileNotFoundError:
            raise EngineUnavailable(MISSING) from None
        except (OSError, subprocess.TimeoutExpired) as error:
            raise EngineError(f"espeak-ng failed: {error}") from None
        if done.returncode != 0:
            problem = " ".join(done.stderr.decode("utf-8", "replace").split()) or "no message"
            raise EngineError(f"espeak-ng failed (exit {done.returncode}): {problem}")
        return done.stdout
