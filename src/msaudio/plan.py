"""Planning: one article and the show's settings → an :class:`EpisodePlan`.

Everything about an episode that is decided before a sentence is spoken is
made here once: the article read and decoded, the voice resolved for its
engine, the script, the summary and the fingerprint that tells whether a
published episode is still current. ``build``, ``say`` and ``proof`` narrate
from the same plan (see :func:`msaudio.audio.narrate.narrate_episode`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from msaudio import __version__
from msaudio.config import ShowConfig, VoiceSettings
from msaudio.engines.base import Engine, engine_voice, get_engine
from msaudio.model import Article, Script
from msaudio.sources import read_article
from msaudio.text.normalize import Lexicon, load_lexicon
from msaudio.text.script import OVERVIEW_SECONDS, build_script, overview_text, summary_of


@dataclass(frozen=True)
class EpisodePlan:
    """An episode to narrate, with everything decided before speech starts."""

    path: Path
    article: Article
    engine: Engine
    voice: VoiceSettings
    """The article's voice settings, with the voice ``engine`` will actually be asked for."""

    script: Script
    summary: str
    key: str = ""
    """Fingerprint of the episode's inputs (see :func:`fingerprint`); empty outside a build."""

    def length_sentence(self, seconds: float) -> str:
        """The intro sentence giving the length, once the rest (``seconds``) is known."""
        return overview_text(seconds + OVERVIEW_SECONDS, len(self.script.sections))


def plan_episode(
    path: Path,
    article: Article,
    config: ShowConfig,
    engine: Engine,
    lexicon: Lexicon,
    *,
    voice: VoiceSettings | None = None,
    key: str = "",
) -> EpisodePlan:
    """Plan the narration of ``article``, read from ``path``.

    ``voice`` defaults to the show's settings with the article's front matter
    and the run's flags applied (:meth:`ShowConfig.voice_for`); ``engine`` must
    be the engine it names.
    """
    voice = engine_voice(engine, voice or config.voice_for(article.voice))
    script = build_script(article, engine.max_chars, voice.speed, lexicon)
    return EpisodePlan(path, article, engine, voice, script, summary_of(article), key)


def plan_article(
    path: Path, config: ShowConfig, engine: Engine | None = None
) -> tuple[EpisodePlan, Lexicon]:
    """The plan of one article outside a build (``say``, ``proof``), and the show's lexicon.

    ``engine`` defaults to the one the article's settings name.
    """
    article = read_article(path, rules=config.cleanup)
    voice = config.voice_for(article.voice)
    speaker = engine or get_engine(voice.engine)
    lexicon = load_lexicon(config.lexicon)
    return plan_episode(path, article, config, speaker, lexicon, voice=voice), lexicon


def settings_digest(config: ShowConfig, cover: bytes) -> bytes:
    """Hash of every build-wide input that shapes an episode's MP3 (the voice is per episode)."""
    music = {}
    for name in (config.audio.intro_music, config.audio.outro_music, config.audio.bed_music):
        if name:
            path = config.root / name
            music[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""
    lexicon = config.lexicon
    settings = {
        "music": music,
        "cleanup": asdict(config.cleanup),
        "lexicon": hashlib.sha256(lexicon.read_bytes()).hexdigest() if lexicon else None,
        "msaudio": __version__,
        "audio": asdict(config.audio),
        "show": [config.show.title, config.show.author],
        "cover": hashlib.sha256(cover).hexdigest(),
        # The talking book also says the show's language (and is there or not).
        "epub": config.show.language if config.publish.epub else None,
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).digest()


def voice_digest(voice: VoiceSettings, engine: Engine) -> bytes:
    """Hash of an episode's engine (name and version), voice, speed and language."""
    settings = {"engine": [engine.name, engine.version], "voice": asdict(voice)}
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).digest()


def fingerprint(source: bytes, settings: bytes, voice: bytes = b"") -> str:
    """Hash of an article's bytes, the build-wide settings and the episode's voice."""
    return hashlib.sha256(settings + voice + source).hexdigest()
