"""``podcast.toml`` → :class:`ShowConfig`, validated, with one-line errors.

Every key is a field of a settings dataclass (its check in the field's metadata) or of
the model's :class:`~msaudio.model.Show`; an unknown key, a wrong type or a bad
value is a :class:`~msaudio.errors.ConfigError` that names the key, what was
found and what is expected.
"""

from __future__ import annotations

import os
import tomllib
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any, TypeVar

from msaudio.config_checks import (
    SCHEDULER_LOCAL as SCHEDULER_LOCAL,  # re-exported: build and cluster name it as config's
)
from msaudio.config_checks import (
    Check,
    _bool,
    _email,
    _language,
    _number_between,
    _one_of,
    _patterns,
    _scheduler,
    _string,
    _string_list,
    _tld,
    _url,
    _url_list,
)
from msaudio.errors import ConfigError
from msaudio.model import CleanupRules, Show, VoiceChoice

CONFIG_NAME = "podcast.toml"
DEFAULT_BASE_URL = "http://127.0.0.1:8000/"
MP3_BITRATES = (32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192)
SAMPLE_RATES = (22050, 24000, 32000, 44100, 48000)


@dataclass(frozen=True)
class VoiceSettings:
    """Which engine speaks, with which voice, how fast."""

    engine: str = field(default="piper", metadata={"check": _string})
    """Registered engine name (see ``msaudio voices``)."""

    voice: str | None = field(default=None, metadata={"check": _string})
    """Engine-specific voice name or model path; the engine's default when None."""

    speed: float = field(default=1.0, metadata={"check": _number_between(0.5, 2.0)})
    """Speaking rate: 1.0 normal, 0.9 a little slower (pauses stretch too)."""

    language: str = field(default="en-us", metadata={"check": _language})
    """Language for engines that pick a voice by language (gtts, espeak); the show's by default."""

    tld: str = field(default="com", metadata={"check": _tld})
    """gtts only: the Google domain asked, which sets the accent (``co.uk``, ``com.au``)."""

    def merged(self, choice: VoiceChoice) -> VoiceSettings:
        """These settings with ``choice`` on top.

        A choice that switches to another engine without naming a voice gets that
        engine's default voice: a piper model path means nothing to gtts.
        """
        engine = choice.engine or self.engine
        voice = self.voice if engine == self.engine else None
        return replace(
            self,
            engine=engine,
            voice=choice.voice if choice.voice is not None else voice,
            speed=choice.speed if choice.speed is not None else self.speed,
        )


@dataclass(frozen=True)
class AudioSettings:
    """How the MP3 is made and how long the pauses are."""

    bitrate: int = field(default=64, metadata={"check": _one_of(MP3_BITRATES)})
    """Constant MP3 bitrate in kbit/s."""

    sample_rate: int = field(default=44100, metadata={"check": _one_of(SAMPLE_RATES)})
    """Output sample rate in Hz (mono)."""

    sentence_pause: float = field(default=0.35, metadata={"check": _number_between(0.0, 5.0)})
    """Seconds of silence after a sentence."""

    paragraph_pause: float = field(default=0.7, metadata={"check": _number_between(0.0, 5.0)})
    """Seconds of silence after a paragraph."""

    section_pause: float = field(default=1.5, metadata={"check": _number_between(0.0, 10.0)})
    """Seconds of silence after a section."""

    loudness: float = field(default=-19.0, metadata={"check": _number_between(-31.0, -10.0)})
    """Integrated loudness of every episode in LUFS (−19 is the norm for mono podcasts)."""

    intro_music: str | None = field(default=None, metadata={"check": _string})
    """Audio file (WAV, FLAC, OGG, MP3), relative to the show folder, played before the speech."""

    outro_music: str | None = field(default=None, metadata={"check": _string})
    """Audio file played after the speech."""

    bed_music: str | None = field(default=None, metadata={"check": _string})
    """Audio file looped quietly under the speech."""

    bed_level: float = field(default=-25.0, metadata={"check": _number_between(-60.0, -20.0)})
    """Loudness of the bed relative to the speech in dB; at most −20 (WCAG 1.4.7)."""


@dataclass(frozen=True)
class BuildSettings:
    """Where a build does its work (``[build]``)."""

    scheduler: str | None = field(default=None, metadata={"check": _scheduler})
    """A Dask scheduler's address (``tcp://host:8786``) that synthesizes the sentences, or
    ``local`` for a cluster of worker processes on this machine; None: worker threads here."""

    cache: str | None = field(default=None, metadata={"check": _string})
    """The sentence cache: a folder (relative to the show folder) or a URL such as
    ``s3://bucket/prefix``; ``$MSAUDIO_CACHE_DIR`` wins over it."""

    follow_links_outside: bool = field(default=False, metadata={"check": _bool})
    """Whether an article in ``episodes/`` may be a link to a file outside the show folder."""


@dataclass(frozen=True)
class SourceSettings:
    """Where ``msaudio fetch`` finds articles (``[sources]``)."""

    feeds: tuple[str, ...] = field(default=(), metadata={"check": _url_list})
    """RSS or Atom feeds (or single pages) fetched when ``msaudio fetch`` is given no URL."""


@dataclass(frozen=True)
class PublishSettings:
    """What is published beside each episode's MP3 (``[publish]``)."""

    epub: bool = field(default=True, metadata={"check": _bool})
    """Whether each episode is also an EPUB 3 talking book (text with Media Overlays)."""


@dataclass(frozen=True)
class ShowConfig:
    """A show folder: where it is and what ``podcast.toml`` says."""

    root: Path
    """The show folder (holds ``podcast.toml``, ``episodes/`` and the ledger)."""

    show: Show
    voice: VoiceSettings
    audio: AudioSettings
    cleanup: CleanupRules = field(default_factory=CleanupRules)
    lexicon: Path | None = None
    """The show's pronunciation lexicon file (``[speech] lexicon``), added to the defaults."""

    run: VoiceChoice = field(default_factory=VoiceChoice)
    """Engine, voice and speed given on the command line; already applied to ``voice``."""

    build: BuildSettings = field(default_factory=BuildSettings)
    sources: SourceSettings = field(default_factory=SourceSettings)
    publish: PublishSettings = field(default_factory=PublishSettings)

    @property
    def episodes_dir(self) -> Path:
        return self.root / "episodes"

    def voice_for(self, choice: VoiceChoice | None = None) -> VoiceSettings:
        """Settings for an episode whose front matter asks for ``choice``.

        Precedence: command-line flags, then the episode's front matter, then
        ``podcast.toml``. A relative ``.onnx`` voice path in front matter is
        relative to the show folder, as in ``podcast.toml``.
        """
        if choice is None or choice == VoiceChoice():
            return self.voice
        voice = choice.voice
        if voice is not None and voice.endswith(".onnx"):
            voice = os.path.abspath(self.root / voice)
        return self.voice.merged(replace(choice, voice=voice)).merged(self.run)


def _checks(settings: type) -> dict[str, Check]:
    """The keys of a table: the fields of its dataclass, each with the check in its metadata."""
    return {item.name: item.metadata["check"] for item in fields(settings)}


_SHOW_CHECKS: dict[str, Check] = {
    "title": _string,
    "description": _string,
    "author": _string,
    "language": _language,
    "base_url": _url,
    "link": _url,
    "category": _string,
    "subcategory": _string,
    "explicit": _bool,
    "locked": _bool,
    "cover": _string,
    "owner_name": _string,
    "owner_email": _email,
    "copyright": _string,
    "keywords": _string_list,
}
"""[show]: a check for each field of :class:`~msaudio.model.Show` (the model knows no checks)."""

_CLEANUP_CHECKS: dict[str, Check] = {"drop": _patterns, "keep": _patterns}
"""[cleanup]: a check for each field of :class:`~msaudio.model.CleanupRules`."""

_SCHEMA: dict[str, dict[str, Check]] = {
    "show": _SHOW_CHECKS,
    "voice": _checks(VoiceSettings),
    "audio": _checks(AudioSettings),
    "cleanup": _CLEANUP_CHECKS,
    "speech": {"lexicon": _string},
    "build": _checks(BuildSettings),
    "sources": _checks(SourceSettings),
    "publish": _checks(PublishSettings),
}
_REQUIRED = (("show", "title"), ("show", "description"), ("show", "author"))


def voice_problem(key: str, value: Any) -> str | None:
    """What a ``[voice]`` key expects, or None when ``value`` fits it.

    Front matter and command-line values are checked with the same rules as the file's.
    """
    return _SCHEMA["voice"][key](value)


def _describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def validate(data: Mapping[str, Any], path: Path) -> dict[str, dict[str, Any]]:
    """Check ``data`` against the schema; return it as plain nested dicts."""
    for table, value in data.items():
        if table not in _SCHEMA:
            known = ", ".join(f"[{name}]" for name in _SCHEMA)
            raise ConfigError(f"unknown table [{table}]; expected one of {known}", path)
        if not isinstance(value, dict):
            raise ConfigError(f"'{table}' must be a table like [{table}]", path)
        for key, item in value.items():
            check = _SCHEMA[table].get(key)
            if check is None:
                known = ", ".join(_SCHEMA[table])
                raise ConfigError(f"unknown key '{table}.{key}'; known keys: {known}", path)
            expected = check(item)
            if expected is not None:
                raise ConfigError(
                    f"key '{table}.{key}': found {_describe(item)}, expected {expected}", path
                )
    for table, key in _REQUIRED:
        if key not in data.get(table, {}):
            raise ConfigError(
                f"missing key '{table}.{key}' (expected {_SCHEMA[table][key](None)})", path
            )
    _check_category(data["show"], path)
    return {table: dict(data.get(table, {})) for table in _SCHEMA}


def _check_category(show: Mapping[str, Any], path: Path) -> None:
    """Apple's category list decides ``show.category`` and ``show.subcategory``."""
    from msaudio.publish.feed import apple_categories

    known = apple_categories()
    category = show.get("category", Show.category)
    if category not in known:
        expected = "an Apple Podcasts category: " + ", ".join(known)
        raise ConfigError(
            f"key 'show.category': found {_describe(category)}, expected {expected}", path
        )
    subcategory = show.get("subcategory")
    if subcategory is not None and subcategory not in known[category]:
        choices = ", ".join(known[category])
        expected = (
            f"a subcategory of {category!r}: {choices}"
            if choices
            else f"none ({category!r} has no subcategories; leave the key out)"
        )
        raise ConfigError(
            f"key 'show.subcategory': found {_describe(subcategory)}, expected {expected}", path
        )


def load_config(root: Path) -> ShowConfig:
    """Read and validate ``root/podcast.toml``."""
    path = root / CONFIG_NAME
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            "no podcast.toml here; run 'msaudio init' to create a show", path
        ) from None
    except UnicodeDecodeError as error:
        found = f"byte 0x{error.object[error.start]:02x} at position {error.start}"
        raise ConfigError(
            f"not UTF-8 text ({found}); expected a TOML file saved as UTF-8", path
        ) from None
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror or error}", path) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"invalid TOML: {error}", path) from None
    return config_from_dict(validate(data, path), root)


def config_from_dict(data: Mapping[str, Mapping[str, Any]], root: Path) -> ShowConfig:
    """Build a :class:`ShowConfig` from already validated tables."""
    show_data = dict(data.get("show", {}))
    base_url = str(show_data.pop("base_url", DEFAULT_BASE_URL))
    if not base_url.endswith("/"):
        base_url += "/"
    cover = show_data.pop("cover", None)
    if cover is not None and not (root / cover).is_file():
        raise ConfigError(
            f"key 'show.cover': found {cover!r}, expected an image file in the show folder "
            "(a square JPEG or PNG of 1400-3000 px); no such file",
            root / CONFIG_NAME,
        )
    if "category" in show_data:
        show_data.setdefault("subcategory", None)  # the default one belongs to the default
    keywords = tuple(show_data.pop("keywords", ()))
    show = Show(
        base_url=base_url,
        cover=(root / cover) if cover else None,
        keywords=keywords,
        **show_data,
    )
    voice_data = dict(data.get("voice", {}))
    voice_path = voice_data.get("voice")
    if isinstance(voice_path, str) and voice_path.endswith(".onnx"):
        voice_data["voice"] = _voice_file(
            root / voice_path, f"key 'voice.voice': found {voice_path!r}", root / CONFIG_NAME
        )
    voice_data.setdefault("language", show.language)
    cleanup = data.get("cleanup", {})
    lexicon = data.get("speech", {}).get("lexicon")
    if lexicon is not None and not (root / lexicon).is_file():
        raise ConfigError(
            f"key 'speech.lexicon': found {lexicon!r}, expected a file in the show folder",
            root / CONFIG_NAME,
        )
    return ShowConfig(
        root=root,
        show=show,
        build=_settings(BuildSettings, data.get("build", {})),
        voice=_settings(VoiceSettings, voice_data),
        audio=_settings(AudioSettings, data.get("audio", {})),
        cleanup=_settings(CleanupRules, cleanup),
        lexicon=root / lexicon if lexicon else None,
        sources=_settings(SourceSettings, data.get("sources", {})),
        publish=_settings(PublishSettings, data.get("publish", {})),
    )


SettingsT = TypeVar("SettingsT")


def _settings(settings: type[SettingsT], table: Mapping[str, Any]) -> SettingsT:
    """A settings dataclass from its validated table: a missing key takes the field's
    default; TOML's integers become floats and its arrays tuples where the field says so."""
    types = typing.get_type_hints(settings)
    values = {}
    for key, value in table.items():
        kind = types[key]
        if kind is float:
            value = float(value)
        elif typing.get_origin(kind) is tuple:
            value = tuple(value)
        values[key] = value
    return settings(**values)


def _voice_file(path: Path, what: str, where: Path | None) -> str:
    """The absolute path of a piper voice file; a :class:`ConfigError` when it is missing.

    ``what`` starts the message (``key 'voice.voice': found 'x.onnx'``).
    """
    path = Path(os.path.abspath(path))
    for needed in (path, Path(f"{path}.json")):
        if not needed.is_file():
            raise ConfigError(
                f"{what}, expected a piper voice (.onnx with its .onnx.json beside it); "
                f"no such file {needed}",
                where,
            )
    return str(path)


def default_config(root: Path, title: str = "msaudio") -> ShowConfig:
    """Settings used by ``msaudio say`` when no ``podcast.toml`` is at hand."""
    show = Show(title=title, description=title, author=title, base_url=DEFAULT_BASE_URL)
    return ShowConfig(root=root, show=show, voice=VoiceSettings(), audio=AudioSettings())


def with_overrides(
    config: ShowConfig,
    *,
    base_url: str | None = None,
    engine: str | None = None,
    voice: str | None = None,
    speed: float | None = None,
    scheduler: str | None = None,
) -> ShowConfig:
    """Apply a command's flags, validated like the file's values.

    The engine, voice and speed flags are kept in ``run`` as well, so they also
    win over an episode's front matter (see :meth:`ShowConfig.voice_for`).
    """
    show, settings = config.show, config.voice
    if base_url is not None:
        if (problem := _url(base_url)) is not None:
            raise ConfigError(f"--base-url: found {base_url!r}, expected {problem}")
        show = replace(show, base_url=base_url if base_url.endswith("/") else base_url + "/")
    if speed is not None:
        if (problem := voice_problem("speed", speed)) is not None:
            raise ConfigError(f"--speed: found {speed!r}, expected {problem}")
        speed = float(speed)
    for flag, value in (("--engine", engine), ("--voice", voice)):
        if value is not None and voice_problem("engine", value) is not None:
            raise ConfigError(f"{flag}: found {value!r}, expected a non-empty string")
    if voice is not None and voice.endswith(".onnx"):
        voice = _voice_file(Path(voice), f"--voice: found {voice!r}", None)
    build = config.build
    if scheduler is not None:
        if (problem := _scheduler(scheduler)) is not None:
            raise ConfigError(f"--scheduler: found {scheduler!r}, expected {problem}")
        build = replace(build, scheduler=scheduler)
    run = VoiceChoice(engine=engine, voice=voice, speed=speed)
    return replace(config, show=show, voice=settings.merged(run), run=run, build=build)


def check_output_folder(config: ShowConfig, out: Path) -> None:
    """Refuse an output folder that overlaps the show's sources.

    A build sweeps and rewrites its output folder, and reads every file in
    ``episodes/``: an output inside ``episodes/`` would be narrated by the next
    build, and one that is (or holds) the show folder would mix published files
    with the producer's own. Raises :class:`ConfigError` naming the folder.
    """
    target = Path(os.path.realpath(out))
    root = Path(os.path.realpath(config.root))
    episodes = Path(os.path.realpath(config.episodes_dir))
    if target == root or target.is_relative_to(episodes) or root.is_relative_to(target):
        raise ConfigError(
            f"cannot be the output folder: it overlaps the show's sources in {root}; "
            "choose a folder such as public/ beside episodes/",
            out,
        )
