from __future__ import annotations

from pathlib import Path

import pytest

from msaudio.config import AudioSettings, load_config, with_overrides
from msaudio.errors import ConfigError
from msaudio.model import VoiceChoice
from tests.helpers import SHOW_TOML


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
        ('[voice]\ntld = "google.com"\n', "key 'voice.tld': found 'google.com', expected a Google"),
        ('[voice]\nlanguage = "en_US"\n', "key 'voice.language': found 'en_US', expected a"),
        (
            '[voice]\nvoice = "voices/missing.onnx"\n',
            "key 'voice.voice': found 'voices/missing.onnx', expected a piper voice (.onnx with "
            "its .onnx.json beside it); no such file",
        ),
        ("[sound]\nx = 1\n", "unknown table [sound]"),
        ('link = "ftp://x"\n', "expected an absolute http:// or https:// URL"),
        (
            '[build]\nscheduler = "somewhere"\n',
            "key 'build.scheduler': found 'somewhere', expected 'local' or a Dask scheduler "
            "address such as tcp://host:8786",
        ),
        ('[build]\nscheduler = "tcp://host"\n', "key 'build.scheduler': found 'tcp://host'"),
        ("[build]\ncache = 3\n", "key 'build.cache': found 3, expected a non-empty string"),
        ("[build]\nworkers = 3\n", "unknown key 'build.workers'; known keys: scheduler, cache"),
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
    assert changed.run == VoiceChoice(engine="tone", speed=0.9)
    with pytest.raises(ConfigError, match="--speed"):
        with_overrides(config, speed=0.1)
    with pytest.raises(ConfigError, match="--base-url"):
        with_overrides(config, base_url="not a url")
    with pytest.raises(ConfigError, match=r"--voice: found 'nowhere\.onnx', expected a piper"):
        with_overrides(config, voice="nowhere.onnx")
    for address in ("local", "tcp://10.0.0.5:8786", "10.0.0.5:8786", "tls://sched.example"):
        assert with_overrides(config, scheduler=address).build.scheduler == address
    with pytest.raises(ConfigError, match=r"--scheduler: found 'tcp://x:port', expected 'local'"):
        with_overrides(config, scheduler="tcp://x:port")


def test_the_build_table(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, SHOW_TOML))
    assert config.build.scheduler is None and config.build.cache is None
    text = SHOW_TOML + '[build]\nscheduler = "local"\ncache = "s3://b/cache"\n'
    config = load_config(write(tmp_path, text))
    assert (config.build.scheduler, config.build.cache) == ("local", "s3://b/cache")


def test_language_and_tld_default_from_the_show(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, SHOW_TOML + 'language = "fr-ca"\n'))
    assert (config.voice.language, config.voice.tld) == ("fr-ca", "com")
    text = SHOW_TOML + '[voice]\nengine = "gtts"\nlanguage = "en-gb"\ntld = "co.uk"\n'
    config = load_config(write(tmp_path, text))
    assert (config.voice.language, config.voice.tld) == ("en-gb", "co.uk")


def test_piper_voice_files_resolve_against_the_show_folder(tmp_path: Path) -> None:
    (tmp_path / "voices").mkdir()
    model = tmp_path / "voices" / "calm.onnx"
    model.write_bytes(b"model")
    (tmp_path / "voices" / "calm.onnx.json").write_text("{}", encoding="utf-8")
    config = load_config(write(tmp_path, SHOW_TOML + '[voice]\nvoice = "voices/calm.onnx"\n'))
    assert config.voice.voice == str(model)
    episode = config.voice_for(VoiceChoice(voice="voices/calm.onnx"))
    assert episode.voice == str(model)


def test_flags_beat_front_matter_which_beats_the_file(tmp_path: Path) -> None:
    text = SHOW_TOML + '[voice]\nengine = "piper"\nvoice = "en_US-joe-medium"\nspeed = 1.1\n'
    config = load_config(write(tmp_path, text))
    front = VoiceChoice(engine="espeak", speed=0.8)

    episode = config.voice_for(front)
    assert (episode.engine, episode.voice, episode.speed) == ("espeak", None, 0.8)
    assert config.voice_for(VoiceChoice(speed=0.9)).voice == "en_US-joe-medium"
    assert config.voice_for(None) == config.voice_for(VoiceChoice()) == config.voice

    flagged = with_overrides(config, speed=1.3)
    episode = flagged.voice_for(front)
    assert (episode.engine, episode.speed) == ("espeak", 1.3)  # the flag wins over front matter
    flagged = with_overrides(config, engine="gtts")
    episode = flagged.voice_for(VoiceChoice(engine="espeak", voice="en-gb", speed=0.8))
    assert (episode.engine, episode.voice, episode.speed) == ("gtts", None, 0.8)
    flagged = with_overrides(config, voice="en-gb")
    assert flagged.voice_for(front).voice == "en-gb"


def test_every_key_of_podcast_toml_is_a_field_and_every_field_a_key() -> None:
    from dataclasses import fields

    from msaudio import config
    from msaudio.model import CleanupRules, Show

    tables = {
        "show": Show,
        "voice": config.VoiceSettings,
        "audio": config.AudioSettings,
        "cleanup": CleanupRules,
        "build": config.BuildSettings,
        "sources": config.SourceSettings,
        "publish": config.PublishSettings,
    }
    for table, settings in tables.items():
        assert sorted(config._SCHEMA[table]) == sorted(item.name for item in fields(settings))


def test_numbers_and_arrays_are_read_as_their_fields_say(tmp_path: Path) -> None:
    (tmp_path / "podcast.toml").write_text(
        '[show]\ntitle = "T"\ndescription = "D"\nauthor = "A"\n'
        "[voice]\nspeed = 1\n[audio]\nsentence_pause = 1\nbitrate = 96\n"
        '[sources]\nfeeds = ["https://example.org/feed.xml"]\n',
        encoding="utf-8",
    )
    loaded = load_config(tmp_path)
    assert loaded.voice.speed == 1.0 and isinstance(loaded.voice.speed, float)
    assert isinstance(loaded.audio.sentence_pause, float) and loaded.audio.bitrate == 96
    assert loaded.sources.feeds == ("https://example.org/feed.xml",)
    assert loaded.audio.paragraph_pause == AudioSettings().paragraph_pause
