"""The espeak engine: the real espeak-ng program where it is installed, a clear error where not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from msaudio.config import VoiceSettings
from msaudio.engines import get_engine
from msaudio.engines.espeak import MISSING, EspeakEngine
from msaudio.errors import EngineError, EngineUnavailable
from tests.audio_checks import check_episode
from tests.helpers import require_program, run_cli


@pytest.fixture
def espeak() -> EspeakEngine:
    require_program("espeak-ng")
    engine = get_engine("espeak")
    assert isinstance(engine, EspeakEngine)
    return engine


def seconds(engine: EspeakEngine, text: str, voice: str, speed: float) -> float:
    chunks = list(engine.synthesize(text, voice, speed))
    assert all(chunk.dtype == np.int16 for chunk in chunks)
    return sum(map(len, chunks)) / engine.sample_rate(voice)


def test_espeak_speaks_offline_and_slower_when_asked(espeak: EspeakEngine) -> None:
    assert espeak.needs_network is False and espeak.version[0].isdigit()
    assert espeak.sample_rate("en-us") == 22050
    text = "Myelin protects nerve fibres, and rest helps."
    normal = seconds(espeak, text, "en-us", 1.0)
    assert 1.5 < normal < 5.0
    slow = seconds(espeak, text, "en-us", 0.8)
    assert slow > normal * 1.15  # 140 words a minute instead of 175
    # Text goes in on standard input: a leading dash is read, not taken for an option.
    assert seconds(espeak, "--help -v xx", "en-us", 1.0) > 0.3
    voices = {voice.name for voice in espeak.voices()}
    assert {"en-us", "en-gb", "fr-fr", "de"} <= voices
    assert espeak.choose_voice(VoiceSettings(engine="espeak", language="en-gb")) == "en-gb"
    assert espeak.choose_voice(VoiceSettings(engine="espeak", voice="de")) == "de"


def test_an_unknown_voice_is_one_line(espeak: EspeakEngine) -> None:
    with pytest.raises(EngineError, match="voice does not exist") as caught:
        list(espeak.synthesize("Hello.", "xx-nowhere", 1.0))
    assert "\n" not in str(caught.value)


def test_without_espeak_ng_the_error_says_how_to_install_it(
    show_dir: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with pytest.raises(EngineUnavailable) as caught:
        get_engine("espeak")
    assert str(caught.value) == MISSING
    code, _, err = run_cli(capsys, "build", str(show_dir), "--engine", "espeak")
    assert code == 1 and err.splitlines() == [f"error: {MISSING}"]
    assert not (show_dir / "public").exists()
    code, out, _ = run_cli(capsys, "voices")
    assert code == 0 and f"espeak: unavailable ({MISSING})" in out


def test_build_with_espeak_gives_a_full_episode(
    show_dir: Path, espeak: EspeakEngine, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "build", str(show_dir), "--engine", "espeak")
    assert code == 0, err
    assert "published 1 episode " in out
    measured = check_episode(show_dir / "public", "resting-well")
    assert [title for title, _ in measured["chapters"]] == [  # type: ignore[attr-defined]
        "Resting well",
        "Planning",
        "Cooling",
    ]
    assert abs(measured["loudness"] - (-19.0)) <= 1.0  # type: ignore[operator]
    assert measured["peak"] <= -1.0  # type: ignore[operator]
    assert 8 < measured["duration"] < 60  # type: ignore[operator]
