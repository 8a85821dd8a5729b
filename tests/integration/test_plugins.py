"""A third-party engine, installed as a small package, found through the entry-point group."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from msaudio.engines import Engine, available_engines, get_engine
from msaudio.engines.base import ENTRY_POINT_GROUP, _registered
from tests.audio_checks import check_episode
from tests.helpers import run_cli

MODULE = '''\
"""msaudio-hum: a third-party msaudio engine, a low hum as long as the text."""

import numpy as np

from msaudio.engines import VoiceInfo


class HumEngine:
    name = "hum"
    needs_network = False
    max_chars = 120
    version = "0.1"
    texts = []

    def voices(self):
        return [VoiceInfo("low", "en-us")]

    def sample_rate(self, voice):
        return 16000

    def synthesize(self, text, voice, speed):
        HumEngine.texts.append(text)
        t = np.arange(round(len(text) * 0.03 / speed * 16000)) / 16000
        yield (np.sin(2 * np.pi * 150 * t) * 5000).astype(np.int16)
'''


@pytest.fixture
def hum_installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The msaudio-hum package, installed the way pip lays out a wheel: a module and its
    ``.dist-info`` with ``entry_points.txt``; and a broken one whose module is missing."""
    site = tmp_path / "site-packages"
    site.mkdir()
    (site / "msaudio_hum.py").write_text(MODULE, encoding="utf-8")
    for name, target in (("hum", "msaudio_hum:HumEngine"), ("broken", "msaudio_gone:Engine")):
        info = site / f"msaudio_{name}-0.1.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: msaudio-{name}\nVersion: 0.1\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(
            f"[{ENTRY_POINT_GROUP}]\n{name} = {target}\n", encoding="utf-8"
        )
    monkeypatch.syspath_prepend(str(site))
    yield site
    sys.modules.pop("msaudio_hum", None)


def test_an_installed_engine_is_usable_by_name(hum_installed: Path) -> None:
    assert "hum" not in _registered  # found through importlib.metadata, not register()
    engines = available_engines()
    assert {"piper", "gtts", "espeak", "hum"} <= set(engines)
    engine = get_engine("hum")
    assert isinstance(engine, Engine) and engine.name == "hum"
    assert type(engine).__module__ == "msaudio_hum"


def test_build_and_voices_with_the_installed_engine(
    hum_installed: Path, show_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_cli(capsys, "build", str(show_dir), "--engine", "hum")
    assert code == 0, err
    measured = check_episode(show_dir / "public", "resting-well")
    assert [title for title, _ in measured["chapters"]] == [  # type: ignore[attr-defined]
        "Resting well",
        "Planning",
        "Cooling",
    ]
    hum = sys.modules["msaudio_hum"].HumEngine
    assert "Short rests spread through the day help many people with M S." in hum.texts

    code, out, _ = run_cli(capsys, "voices")
    assert code == 0
    assert "hum: offline, installed, version 0.1" in out
    assert "broken: unavailable (engine 'broken' cannot be loaded: No module named" in out

    code, _, err = run_cli(capsys, "build", str(show_dir), "--engine", "broken")
    assert code == 1 and len(err.splitlines()) == 1
    assert err.startswith("error: engine 'broken' cannot be loaded")
