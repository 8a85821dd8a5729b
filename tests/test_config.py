from __future__ import annotations

from pathlib import Path

import pytest

from msaudio.config import load_config, with_overrides
from msaudio.errors import ConfigError

from .conftest import SHOW_TOML


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "podcast.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_defaults_fill_what_the_file_leaves_out(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, SHOW_TOML))
    assert config.show.title == "Test Show"
    assert config.show.base_url == "https://podcasts.example.org/ms/"
    assert config.show.category == "Health & Fitness"
    assert config.voice.engine == "piper"
    assert config.audio.bitrate == 64 and config.audio.sample_rate == 44100
    assert config.episodes_dir == tmp_path / "episodes"


def test_base_url_gets_a_trailing_slash(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, SHOW_TOML.replace("/ms/", "/ms")))
    assert config.show.base_url.endswith("/ms/")


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ('titel = "x"\n', "unknown key 'show.titel'"),
        ("explicit = 3\n", "key 'show.explicit': found 3, expected true or false"),
        ("[audio]\nbitrate = 65\n", "key 'audio.bitrate': found 65, expected one of"),
        ("[voice]\nspeed = 9\n", "key 'voice.speed': found 9, expected a number from 0.5 to 2.0"),
        ("[sound]\nx = 1\n", "unknown table [sound]"),
        ('link = "ftp://x"\n', "expected an absolute http:// or https:// URL"),
    ],
)
def test_bad_values_name_the_key_the_value_and_the_expectation(
    tmp_path: Path, extra: str, fragment: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, SHOW_TOML + extra))
    message = str(caught.value)
    assert message.startswith(str(tmp_path / "podcast.toml") + ": ")
    assert fragment in message
    assert "\n" not in message


def test_missing_required_key(tmp_path: Path) -> None:
    text = SHOW_TOML.replace('author = "Test Author"\n', "")
    with pytest.raises(ConfigError, match=r"missing key 'show\.author'"):
        load_config(write(tmp_path, text))


def test_missing_file_and_invalid_toml(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="msaudio init"):
        load_config(tmp_path)
    with pytest.raises(ConfigError, match="invalid TOML"):
        load_config(write(tmp_path, "[show\n"))


def test_overrides_are_validated(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, SHOW_TOML))
    changed = with_overrides(config, base_url="http://192.0.2.1:9000", speed=0.9, engine="tone")
    assert changed.show.base_url == "http://192.0.2.1:9000/"
    assert changed.voice.speed == 0.9 and changed.voice.engine == "tone"
    with pytest.raises(ConfigError, match="--speed"):
        with_overrides(config, speed=0.1)
    with pytest.raises(ConfigError, match="--base-url"):
        with_overrides(config, base_url="not a url")
