"""Google's voices through gTTS: online, so every request is bounded, retried and paced.

gTTS builds the requests (Google Translate's ``batchexecute`` call, at most 100
characters of text each); msaudio sends them itself, through one
:class:`requests.Session`, because gTTS's own ``stream()`` waits forever unless
told otherwise, turns off certificate checks and gives up on the first HTTP
429. Each answer carries a base64 MP3, decoded here with soundfile.

A request that times out or meets a rate limit (429) or a server error (5xx)
is tried again after an exponential, jittered wait, a few times and within a
bounded total; a missing network fails at once. Either way the error is an
:class:`~msaudio.errors.EngineUnavailable`, so a build stops asking and keeps
every published episode as it was.
"""

from __future__ import annotations

import base64
import io
import math
import random
import re
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from time import monotonic, sleep
from typing import TYPE_CHECKING, Any

import numpy as np

from msaudio.engines.base import Samples, VoiceInfo
from msaudio.errors import EngineError, EngineUnavailable

if TYPE_CHECKING:
    import requests

    from msaudio.config import VoiceSettings

OFFLINE = "gtts needs internet access; use --engine piper to narrate offline"
INSTEAD = "or use --engine piper to narrate offline"

SAMPLE_RATE = 24000
"""Google's speech comes as 24 kHz mono MP3; anything else is resampled to this."""

TIMEOUT = (5.0, 20.0)
"""Seconds allowed to connect, and then to wait for the answer, on every request."""

ATTEMPTS = 4
"""Tries per request when it times out or meets a rate limit (429) or a server error (5xx)."""

BACKOFF_SECONDS = 1.0
"""Wait before the first retry; doubled for each further one, each time times 0.5 to 1.5."""

MAX_WAIT_SECONDS = 30.0
"""Most time spent waiting to retry one request (a longer Retry-After is not waited for)."""

PACE_SECONDS = 0.25
"""Least time between the starts of two requests: a free service deserves politeness."""

SLOW_BELOW = 0.85
"""Google speaks at two speeds; a speed below this asks for its slow one."""

DEFAULT_TLD = "com"

_ALIASES = {"he": "iw", "jv": "jw", "nb": "no", "nn": "no", "fil": "tl"}
"""Language codes Google Translate spells its own way."""

_RPC = "jQ1olc"
_AUDIO = re.compile(r'jQ1olc","\[\\"(.*)\\"]')
"""Where the base64 MP3 sits in an answer line (as ``gtts.tts.gTTS.stream`` finds it)."""


class GttsEngine:
    """Google Translate's text-to-speech through gTTS; needs the internet."""

    name = "gtts"
    needs_network = True
    max_chars = 100

    def __init__(self) -> None:
        try:
            self.version = version("gTTS")
        except PackageNotFoundError:  # pragma: no cover - gtts is a dependency
            raise EngineError("gtts is not installed; install it with 'pip install gtts'") from None
        self._session: requests.Session | None = None
        self._last_request = -math.inf

    def voices(self) -> list[VoiceInfo]:
        """One voice per language; gTTS lists them without going online."""
        return [VoiceInfo(code, code) for code in sorted(_languages(), key=str.lower)]

    def choose_voice(self, settings: VoiceSettings) -> str:
        """``LANGUAGE@TLD`` from the settings: the named voice, else ``[voice] language``.

        A voice may carry its own domain (``en@co.uk``); otherwise ``[voice] tld`` applies.
        """
        language, _, tld = (settings.voice or settings.language).partition("@")
        return f"{google_language(language)}@{tld or settings.tld}"

    def sample_rate(self, voice: str | None) -> int:
        return SAMPLE_RATE

    def synthesize(self, text: str, voice: str | None, speed: float) -> Iterator[Samples]:
        from gtts import gTTS

        language, _, tld = (voice or "en").partition("@")
        try:
            # _prepare_requests() is how gTTS.stream() builds its requests; sending them
            # here is what gives them a timeout, retries and certificate checks.
            prepared = gTTS(
                text,
                tld=tld or DEFAULT_TLD,
                lang=language,
                slow=speed < SLOW_BELOW,
                lang_check=False,
            )._prepare_requests()
        except AssertionError:  # nothing speakable left (punctuation only)
            return
        for request in prepared:
            for mp3 in _mp3s(self._send(request)):
                yield decode_mp3(mp3)

    def _http(self) -> requests.Session:
        if self._session is None:
            import requests

            self._session = requests.Session()
        return self._session

    def _pace(self) -> None:
        wait = self._last_request + PACE_SECONDS - monotonic()
        if wait > 0:
            sleep(wait)
        self._last_request = monotonic()

    def _send(self, request: requests.PreparedRequest) -> requests.Response:
        """Send ``request``, retrying timeouts, 429 and 5xx; a 2xx answer or an error."""
        import requests

        waited = 0.0
        for attempt in range(1, ATTEMPTS + 1):
            self._pace()
            retry_after: float | None = None
            try:
                response = self._http().send(request, timeout=TIMEOUT)
            except requests.Timeout:
                failure = f"no answer from Google's speech service within {TIMEOUT[1]:g} s"
            except requests.exceptions.SSLError as error:
                raise EngineUnavailable(
                    f"gtts cannot make a secure connection to Google ({_reason(error)}); {INSTEAD}"
                ) from None
            except requests.ConnectionError:
                raise EngineUnavailable(OFFLINE) from None
            except requests.RequestException as error:
                raise EngineUnavailable(
                    f"gtts request failed: {_reason(error)}; {INSTEAD}"
                ) from None
            else:
                status = response.status_code
                if status < 400:
                    return response
                said = f"HTTP {status} {response.reason or ''}".strip()
                if status != 429 and status < 500:
                    raise EngineUnavailable(
                        f"gtts: Google's speech service refused the request ({said}); {INSTEAD}"
                    )
                failure = (
                    f"Google's speech service is limiting requests ({said})"
                    if status == 429
                    else f"Google's speech service failed ({said})"
                )
                retry_after = _retry_after(response)
            if attempt == ATTEMPTS:
                break
            delay = BACKOFF_SECONDS * 2 ** (attempt - 1) * random.uniform(0.5, 1.5)
            if retry_after is not None:
                delay = max(delay, retry_after)
            if waited + delay > MAX_WAIT_SECONDS:
                break
            sleep(delay)
            waited += delay
        tries = f"{attempt} tries" if attempt > 1 else "1 try"
        raise EngineUnavailable(
            f"gtts: {failure}, {tries} in {waited:.0f} s; try again later, {INSTEAD}"
        )


def _languages() -> dict[str, str]:
    from gtts.lang import tts_langs

    return dict(tts_langs())


def google_language(tag: str) -> str:
    """gTTS's code for a language tag: ``en-us`` → ``en``, ``fr-ca`` → ``fr-CA``."""
    known = {code.lower(): code for code in _languages()}
    wanted = tag.strip().replace("_", "-").lower()
    for candidate in (wanted, wanted.split("-")[0]):
        candidate = _ALIASES.get(candidate, candidate)
        if candidate in known:
            return known[candidate]
    raise EngineError(
        f"gtts does not speak '{tag}'; 'msaudio voices --all' lists the languages it does"
    )


def _mp3s(response: requests.Response) -> Iterator[bytes]:
    """The MP3s in a ``batchexecute`` answer, read as gTTS reads them."""
    found = False
    for line in response.content.decode("utf-8", "replace").splitlines():
        if _RPC not in line:
            continue
        match = _AUDIO.search(line)
        if match is None:
            break
        found = True
        yield base64.b64decode(match.group(1).encode("ascii"))
    if not found:
        raise EngineError("gtts: Google answered without audio; is the language supported?")


def decode_mp3(data: bytes) -> Samples:
    """Mono int16 samples at :data:`SAMPLE_RATE` from one MP3, decoded by libsndfile."""
    import soundfile

    try:
        samples, rate = soundfile.read(io.BytesIO(data), dtype="float32", always_2d=True)
    except (RuntimeError, TypeError, ValueError) as error:  # LibsndfileError is a RuntimeError
        raise EngineError(f"gtts: cannot decode Google's MP3 ({error})") from None
    mono: Any = samples.mean(axis=1)
    if rate != SAMPLE_RATE and len(mono):
        from scipy.signal import resample_poly

        divisor = math.gcd(int(rate), SAMPLE_RATE)
        mono = resample_poly(mono, SAMPLE_RATE // divisor, int(rate) // divisor)
    pcm: Samples = np.round(np.clip(mono, -1.0, 1.0) * 32767.0).astype(np.int16)
    return pcm


def _retry_after(response: requests.Response) -> float | None:
    """Seconds a ``Retry-After`` header asks to wait (the delay form only)."""
    value = response.headers.get("Retry-After", "")
    try:
        seconds = float(value)
    except ValueError:
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _reason(error: Exception) -> str:
    """A requests error, short and on one line."""
    text = " ".join(str(error).split()) or type(error).__name__
    return text if len(text) <= 120 else text[:117] + "..."
