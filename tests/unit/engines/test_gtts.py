"""The gtts engine with HTTP stubbed at the transport; sockets are blocked in every test here."""

from __future__ import annotations

import base64
import errno
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import lameenc
import numpy as np
import pytest
import requests
from requests.adapters import HTTPAdapter
from requests.structures import CaseInsensitiveDict

from msaudio.config import VoiceSettings
from msaudio.engines import get_engine
from msaudio.engines import gtts as gtts_engine
from msaudio.engines.gtts import OFFLINE, TIMEOUT, GttsEngine
from msaudio.errors import EngineError, EngineUnavailable
from tests.audio_checks import check_episode
from tests.helpers import episode_file, run_cli

SECONDS_PER_CHAR = 0.04
"""Length of the stub's answer: a tone of 40 ms per character asked for."""


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test here can reach the network, even by mistake: sockets refuse to connect."""

    def unreachable(*args: object, **kwargs: object) -> Any:
        raise OSError(errno.ENETUNREACH, "network unreachable (blocked by the tests)")

    def unresolvable(*args: object, **kwargs: object) -> Any:
        raise socket.gaierror(socket.EAI_NONAME, "name not known (blocked by the tests)")

    monkeypatch.setattr(socket.socket, "connect", unreachable)
    monkeypatch.setattr(socket.socket, "connect_ex", unreachable)
    monkeypatch.setattr(socket, "create_connection", unreachable)
    monkeypatch.setattr(socket, "getaddrinfo", unresolvable)


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Every wait the engine asks for, recorded instead of slept."""
    recorded: list[float] = []
    monkeypatch.setattr(gtts_engine, "sleep", recorded.append)
    return recorded


def tone_mp3(seconds: float, rate: int = 24000) -> bytes:
    """A real MP3 (24 kHz mono, like Google's) of a 220 Hz tone."""
    t = np.arange(round(seconds * rate)) / rate
    pcm = (np.sin(2 * np.pi * 220 * t) * 8000).astype(np.int16)
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(32)
    encoder.set_in_sample_rate(rate)
    encoder.set_out_sample_rate(rate)
    encoder.set_channels(1)
    encoder.set_quality(7)
    return bytes(encoder.encode(pcm.tobytes())) + bytes(encoder.flush())


def batchexecute(mp3: bytes) -> bytes:
    """An answer as Google's batchexecute sends it: an XSSI guard, then length-prefixed JSON
    chunks, the first holding the base64 MP3 as a JSON string inside a JSON string."""
    inner = json.dumps([base64.b64encode(mp3).decode("ascii")], separators=(",", ":"))
    payload = [
        ["wrb.fr", "jQ1olc", inner, None, None, None, "generic"],
        ["di", 48],
        ["af.httprm", 47, "-1234567890123456789", 12],
    ]
    chunks = [json.dumps(payload, separators=(",", ":")), '[["e",4,null,null,1234]]']
    return (")]}'\n\n" + "".join(f"{len(c) + 1}\n{c}\n" for c in chunks)).encode("utf-8")


@dataclass
class Sent:
    """One request as the stub saw it."""

    url: str
    text: str
    language: str
    slow: bool | None
    timeout: object
    verify: object


Step = int | tuple[int, dict[str, str]] | Exception
"""What the stub does for one request: an HTTP status (with headers) or an exception to raise."""


class FakeGoogle:
    """Google's speech service, at requests' transport: ``HTTPAdapter.send`` is replaced.

    Answers 200 with a tone as long as the text, unless ``steps`` say otherwise first.
    """

    def __init__(self, *steps: Step, body: bytes | None = None) -> None:
        self.steps = list(steps)
        self.body = body
        self.sent: list[Sent] = []

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        body = request.body if isinstance(request.body, str) else (request.body or b"").decode()
        rpc = json.loads(parse_qs(body)["f.req"][0])
        text, language, slow, _ = json.loads(rpc[0][0][1])
        url = str(request.url)
        self.sent.append(
            Sent(url, text, language, slow, kwargs.get("timeout"), kwargs.get("verify"))
        )
        step = self.steps.pop(0) if self.steps else 200
        if isinstance(step, Exception):
            raise step
        status, headers = step if isinstance(step, tuple) else (step, {})
        content = b""
        if status == 200:
            content = self.body or batchexecute(tone_mp3(SECONDS_PER_CHAR * len(text)))
        response = requests.Response()
        response.status_code = status
        response.reason = HTTPStatus(status).phrase
        response.headers = CaseInsensitiveDict(
            {"Content-Type": "application/json; charset=utf-8", **headers}
        )
        response.raw = _Raw(content)
        response.url = url
        response.request = request
        return response


class _Raw:
    """The body stream requests reads ``content`` from."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def read(self, size: int = -1, **kwargs: object) -> bytes:
        size = len(self._data) if size is None or size < 0 else size
        chunk, self._data = self._data[:size], self._data[size:]
        return chunk


@pytest.fixture
def google(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeGoogle]:
    fake = FakeGoogle()
    monkeypatch.setattr(HTTPAdapter, "send", fake.send)
    yield fake


def settings(**values: Any) -> VoiceSettings:
    return VoiceSettings(engine="gtts", **values)


def test_the_voice_comes_from_the_show_language_and_domain() -> None:
    engine = GttsEngine()
    assert engine.choose_voice(settings(language="en-us")) == "en@com"
    assert engine.choose_voice(settings(language="fr-ca")) == "fr-CA@com"
    assert engine.choose_voice(settings(language="en-gb", tld="co.uk")) == "en@co.uk"
    assert engine.choose_voice(settings(voice="pt@com.br", tld="co.uk")) == "pt@com.br"
    assert engine.choose_voice(settings(voice="he")) == "iw@com"
    with pytest.raises(EngineError, match="gtts does not speak 'xx-yy'; 'msaudio voices --all'"):
        engine.choose_voice(settings(voice="xx-yy"))
    assert get_engine("gtts").needs_network is True
    voices = {v.name for v in engine.voices()}
    assert {"en", "fr", "fr-CA", "de", "zh-TW"} <= voices and len(voices) > 50


def test_speech_is_asked_with_a_timeout_and_decoded_from_mp3(
    google: FakeGoogle, waits: list[float]
) -> None:
    engine = GttsEngine()
    text = "Myelin protects nerve fibres."
    chunks = list(engine.synthesize(text, "en@co.uk", 1.0))
    samples = np.concatenate(chunks)
    assert samples.dtype == np.int16 and engine.sample_rate("en@co.uk") == 24000
    expected = SECONDS_PER_CHAR * len(text) * 24000
    assert expected <= len(samples) <= expected + 2400  # the tone, plus the MP3's padding
    assert 5000 < np.abs(samples).max() < 9000
    (sent,) = google.sent
    assert (sent.text, sent.language, sent.slow) == (text, "en", None)
    assert sent.timeout == TIMEOUT and isinstance(sent.timeout, tuple)
    assert sent.verify is True  # gTTS's own stream() would turn certificate checks off
    address = urlsplit(sent.url)
    assert address.scheme == "https" and str(address.hostname).endswith(".co.uk")
    assert address.path.endswith("/batchexecute")

    list(engine.synthesize("Slowly now.", "en@com", 0.8))
    assert google.sent[-1].slow is True
    assert list(engine.synthesize("...", "en@com", 1.0)) == []  # nothing speakable, no request
    assert len(google.sent) == 2


def test_longer_text_is_sent_in_pieces_of_at_most_100_characters(
    google: FakeGoogle, waits: list[float]
) -> None:
    text = "Rest before you are tired, cool down after exercise, and plan the day. " * 3
    chunks = list(GttsEngine().synthesize(text, "en@com", 1.0))
    assert len(google.sent) == len(chunks) >= 3
    assert all(len(sent.text) <= 100 for sent in google.sent)
    assert waits and all(0 < wait <= gtts_engine.PACE_SECONDS for wait in waits)


def test_requests_are_paced(google: FakeGoogle, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = [1000.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(gtts_engine, "sleep", sleep)
    monkeypatch.setattr(gtts_engine, "monotonic", lambda: clock[0])
    engine = GttsEngine()
    list(engine.synthesize("One.", "en@com", 1.0))
    assert slept == []  # the first request goes at once
    clock[0] += 0.1
    list(engine.synthesize("Two.", "en@com", 1.0))
    assert slept == [pytest.approx(gtts_engine.PACE_SECONDS - 0.1)]
    clock[0] += 5
    list(engine.synthesize("Three.", "en@com", 1.0))
    assert len(slept) == 1


def test_rate_limits_server_errors_and_timeouts_are_retried_with_backoff(
    monkeypatch: pytest.MonkeyPatch, waits: list[float]
) -> None:
    monkeypatch.setattr(gtts_engine, "PACE_SECONDS", 0.0)
    fake = FakeGoogle(429, 503, requests.exceptions.ReadTimeout("slow"))
    monkeypatch.setattr(HTTPAdapter, "send", fake.send)
    chunks = list(GttsEngine().synthesize("Try again.", "en@com", 1.0))
    assert len(fake.sent) == 4 and sum(map(len, chunks)) > 0
    base = gtts_engine.BACKOFF_SECONDS
    assert len(waits) == 3
    for attempt, wait in enumerate(waits):
        assert base * 2**attempt * 0.5 <= wait <= base * 2**attempt * 1.5  # doubled, jittered

    fake.steps = [(429, {"Retry-After": "7"})]
    waits.clear()
    list(GttsEngine().synthesize("Later.", "en@com", 1.0))
    assert waits == [7.0]


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([429] * 9, "gtts: Google's speech service is limiting requests (HTTP 429 Too Many"),
        ([500] * 9, "gtts: Google's speech service failed (HTTP 500 Internal Server Error)"),
        (
            [requests.exceptions.ConnectTimeout("no answer")] * 9,
            "gtts: no answer from Google's speech service within 20 s",
        ),
    ],
)
def test_retries_are_few_and_bounded(
    monkeypatch: pytest.MonkeyPatch, waits: list[float], steps: list[Step], message: str
) -> None:
    monkeypatch.setattr(gtts_engine, "PACE_SECONDS", 0.0)
    fake = FakeGoogle(*steps)
    monkeypatch.setattr(HTTPAdapter, "send", fake.send)
    with pytest.raises(EngineUnavailable) as caught:
        list(GttsEngine().synthesize("Busy.", "en@com", 1.0))
    text = str(caught.value)
    assert text.startswith(message) and "4 tries" in text
    assert text.endswith("or use --engine piper to narrate offline") and "\n" not in text
    assert len(fake.sent) == gtts_engine.ATTEMPTS
    assert sum(waits) <= gtts_engine.MAX_WAIT_SECONDS


def test_refusals_are_not_retried_and_a_long_retry_after_is_not_waited_for(
    monkeypatch: pytest.MonkeyPatch, waits: list[float]
) -> None:
    monkeypatch.setattr(gtts_engine, "PACE_SECONDS", 0.0)
    fake = FakeGoogle(403)
    monkeypatch.setattr(HTTPAdapter, "send", fake.send)
    with pytest.raises(EngineUnavailable, match=r"refused the request \(HTTP 403 Forbidden\)"):
        list(GttsEngine().synthesize("No.", "en@com", 1.0))
    assert len(fake.sent) == 1 and waits == []

    fake.steps = [(429, {"Retry-After": "3600"})]
    with pytest.raises(EngineUnavailable, match="1 try in 0 s"):
        list(GttsEngine().synthesize("Not now.", "en@com", 1.0))
    assert waits == []


def test_an_answer_without_audio_is_an_error_for_that_text(
    monkeypatch: pytest.MonkeyPatch, waits: list[float]
) -> None:
    fake = FakeGoogle(body=b')]}\'\n\n25\n[["e",4,null,null,1234]]\n')
    monkeypatch.setattr(HTTPAdapter, "send", fake.send)
    with pytest.raises(EngineError, match="answered without audio") as caught:
        list(GttsEngine().synthesize("Hello.", "en@com", 1.0))
    assert not isinstance(caught.value, EngineUnavailable)


def test_without_a_network_it_fails_at_once(waits: list[float]) -> None:
    with pytest.raises(EngineUnavailable) as caught:
        list(GttsEngine().synthesize("Hello.", "en@com", 1.0))
    assert str(caught.value) == OFFLINE
    assert waits == []  # no retries: there is no network to wait for


def test_build_without_a_network_fails_in_one_line_and_publishes_nothing_partial(
    show_dir: Path,
    capsys: pytest.CaptureFixture[str],
    tone_registered: None,
    waits: list[float],
) -> None:
    fresh = show_dir.parent / "fresh"
    fresh.mkdir()
    (fresh / "podcast.toml").write_text((show_dir / "podcast.toml").read_text())
    (fresh / "episodes").mkdir()
    (fresh / "episodes" / "one.md").write_text("# One\n\nA first article.\n")
    (fresh / "episodes" / "two.md").write_text("# Two\n\nA second article.\n")
    code, _, err = run_cli(capsys, "build", str(fresh), "--engine", "gtts", "-q")
    assert code == 1
    assert err.splitlines() == [f"error: {OFFLINE}"] and "Traceback" not in err
    assert not list(fresh.rglob("*.mp3")) and not list(fresh.rglob("*.tmp"))

    # A show that was published before keeps its episode as it was.
    code, _, err = run_cli(capsys, "build", str(show_dir), "--engine", "tone", "-q")
    assert code == 0, err
    published = episode_file(show_dir / "public", "resting-well")
    before = published.read_bytes()
    (show_dir / "episodes" / "new-one.md").write_text("# New\n\nNot narrated yet.\n")
    code, out, err = run_cli(capsys, "build", str(show_dir), "--engine", "gtts")
    assert code == 1
    assert err.splitlines() == [f"error: {OFFLINE}"] and "Traceback" not in err
    assert f"kept the previously published episodes/{published.name}" in out
    assert published.read_bytes() == before
    assert list((show_dir / "public").rglob("*.mp3")) == [published]
    assert not list((show_dir / "public").rglob("*.tmp"))

    target = show_dir / "said.mp3"
    code, _, err = run_cli(
        capsys,
        "say",
        str(show_dir / "episodes" / "new-one.md"),
        "-o",
        str(target),
        "--engine",
        "gtts",
    )
    assert (code, err.splitlines()) == (1, [f"error: {OFFLINE}"]) and not target.exists()


def test_build_with_google_stubbed_gives_a_full_episode(
    show_dir: Path,
    capsys: pytest.CaptureFixture[str],
    google: FakeGoogle,
    waits: list[float],
) -> None:
    toml = show_dir / "podcast.toml"
    toml.write_text(toml.read_text() + '\n[voice]\nengine = "gtts"\ntld = "co.uk"\n')
    code, out, err = run_cli(capsys, "build", str(show_dir))
    assert code == 0, err
    assert "published 1 episode " in out
    out_dir = show_dir / "public"
    measured = check_episode(out_dir, "resting-well")  # chapters and cues match the decoded MP3
    assert [title for title, _ in measured["chapters"]] == [  # type: ignore[attr-defined]
        "Resting well",
        "Planning",
        "Cooling",
    ]
    assert abs(measured["loudness"] - (-19.0)) <= 1.0  # type: ignore[operator]
    cues = measured["cues"]
    assert cues[0][2] == "Resting well."  # type: ignore[index]
    spoken = SECONDS_PER_CHAR * sum(len(sent.text) for sent in google.sent)
    assert spoken < measured["duration"] < spoken + 20  # type: ignore[operator]
    assert all(len(s.text) <= 100 and s.timeout == TIMEOUT for s in google.sent)
    assert {s.language for s in google.sent} == {"en"}
    assert {urlsplit(s.url).hostname for s in google.sent} == {
        urlsplit(google.sent[0].url).hostname
    }
    assert str(urlsplit(google.sent[0].url).hostname).endswith(".co.uk")
    assert any("Short rests spread through the day" in s.text for s in google.sent)
