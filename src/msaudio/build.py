"""Orchestration: which episodes are stale, narrate them, publish the show.

``build_show`` reads the show folder and writes the output folder; it never
prints. Per-episode problems are collected (the rest of the show still
publishes); configuration problems raise :class:`ConfigError`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

from msaudio import __version__
from msaudio.audio.assemble import Spill, finisher, narrate, queued_texts
from msaudio.audio.master import master
from msaudio.audio.mp3 import Mp3Stream
from msaudio.audio.music import Music, load_music
from msaudio.audio.synthesis import EngineMaker, Request, Speech, SpeechQueue, default_jobs
from msaudio.cache import SentenceCache
from msaudio.config import SCHEDULER_LOCAL, ShowConfig, VoiceSettings
from msaudio.engines.base import Engine, engine_voice, get_engine, registered_engines
from msaudio.errors import ArticleError, ConfigError, EngineUnavailable, MsaudioError
from msaudio.manifest import Manifest
from msaudio.model import Article, Episode, Script, Timeline
from msaudio.publish.atomic import atomic_path
from msaudio.publish.cover import cover_jpeg, write_cover
from msaudio.publish.feed import FEED_NAME
from msaudio.publish.identity import assign_slugs
from msaudio.publish.ledger import LEDGER_NAME, Ledger, source_name
from msaudio.publish.ledger_recovery import load_or_recover
from msaudio.publish.remote import RemoteOutput, Upload
from msaudio.publish.site import (
    DISK_ERRNOS,
    exclusive,
    publish_episode,
    publish_site,
    staged_audio,
    sweep_leftovers,
    unwritable,
    write_failure,
)
from msaudio.publish.tags import write_tags
from msaudio.publish.transcript import plain_transcript, player_clock
from msaudio.sources import (
    SUPPORTED_SUFFIXES,
    read_article,
    read_bytes,
    voice_choice,
)
from msaudio.sources.scan import Scan, scan_folder
from msaudio.storage import is_url, local_path
from msaudio.text.normalize import Lexicon, load_lexicon
from msaudio.text.script import OVERVIEW_SECONDS, build_script, overview_text, summary_of

if TYPE_CHECKING:
    from msaudio.cluster import Cluster

Log = Callable[[str], None]


class Progress(Protocol):
    """Told how a build advances (the CLI draws a progress bar from it)."""

    def start(self, episodes: Sequence[tuple[str, int]]) -> None:
        """Narration begins: each episode to narrate, with its number of sentences."""

    def sentence(self) -> None:
        """One more sentence is in the episode being narrated."""

    def episode_done(self) -> None:
        """The episode being narrated is finished (published or failed)."""


@dataclass
class BuildResult:
    """What a build did."""

    out_dir: Path
    episodes: list[Episode] = field(default_factory=list)
    """Every episode in the feed, newest first."""

    built: list[str] = field(default_factory=list)
    """Slugs narrated in this run."""

    reused: list[str] = field(default_factory=list)
    """Slugs whose inputs were unchanged."""

    failures: list[MsaudioError] = field(default_factory=list)
    """One error per article that could not be published."""

    skipped: list[Path] = field(default_factory=list)
    """Files in ``episodes/`` that are not articles msaudio can read."""

    warnings: list[MsaudioError] = field(default_factory=list)
    """Entries of ``episodes/`` that were skipped (dangling links, loops, folders), one each."""

    synthesized: int = 0
    """Sentences an engine spoke in this run."""

    cached: int = 0
    """Sentences that came from the sentence cache."""

    remote: str | None = None
    """The URL the show was published to, when ``out`` was one (``out_dir`` is then the
    local copy it was built in)."""

    upload: Upload | None = None
    """What publishing to ``remote`` uploaded and deleted."""

    @property
    def feed_path(self) -> Path:
        return self.out_dir / FEED_NAME

    @property
    def feed_location(self) -> str:
        """Where the feed was published: its URL or its path."""
        return f"{self.remote.rstrip('/')}/{FEED_NAME}" if self.remote else str(self.feed_path)


def scan_episodes(config: ShowConfig) -> Scan:
    """The show's articles in name order, and the entries of ``episodes/`` that are not
    (see :func:`scan_folder`)."""
    if not config.episodes_dir.is_dir():
        raise ConfigError("no such folder; put the show's articles there", config.episodes_dir)
    return scan_folder(
        config.episodes_dir,
        config.root,
        SUPPORTED_SUFFIXES,
        outside=config.build.follow_links_outside,
    )


class Engines:
    """The engines of one build: each created once, by name.

    An engine that turned out unable to speak (:class:`EngineUnavailable`) is
    not asked again in this build; its published episodes are still reused.
    """

    def __init__(self, default: Engine | None = None, default_name: str = "") -> None:
        self._engines: dict[str, Engine] = {default_name: default} if default else {}
        self._unavailable: dict[str, EngineUnavailable] = {}
        self._broken: dict[str, MsaudioError] = {}

    def get(self, name: str) -> Engine:
        """The engine called ``name``, created on first use; one that cannot be created
        raises the same error each time it is asked for."""
        if name in self._broken:
            raise self._broken[name]
        if name not in self._engines:
            try:
                self._engines[name] = get_engine(name)
            except MsaudioError as error:
                self._broken[name] = error
                raise
        return self._engines[name]

    def usable(self, name: str) -> Engine:
        """The engine called ``name``; raises again the error that made it unavailable."""
        if name in self._unavailable:
            raise self._unavailable[name]
        return self.get(name)

    def unavailable(self, name: str, error: EngineUnavailable) -> None:
        self._unavailable[name] = error


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
    }
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).digest()


def voice_digest(voice: VoiceSettings, engine: Engine) -> bytes:
    """Hash of an episode's engine (name and version), voice, speed and language."""
    settings = {"engine": [engine.name, engine.version], "voice": asdict(voice)}
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).digest()


def fingerprint(source: bytes, settings: bytes, voice: bytes = b"") -> str:
    """Hash of an article's bytes, the build-wide settings and the episode's voice."""
    return hashlib.sha256(settings + voice + source).hexdigest()


def render_episode(
    article: Article,
    config: ShowConfig,
    engine: Engine,
    target: Path,
    cover: bytes,
    summary: str,
    *,
    music: Music | None = None,
    lexicon: Lexicon | None = None,
    on_sentence: Callable[[], None] | None = None,
    voice: VoiceSettings | None = None,
    script: Script | None = None,
    speech: Speech | None = None,
) -> Timeline:
    """Narrate ``article`` into a tagged MP3 at ``target``, atomically.

    ``engine`` must be the engine ``voice`` names; ``voice`` defaults to the
    show's settings with the article's front matter and the run's flags applied
    (:meth:`ShowConfig.voice_for`). A build passes the ``script`` it planned
    and the ``speech`` it queued for it; otherwise the engine speaks here, one
    sentence at a time. The speech is spoken and metered first (into a
    temporary spill), then set to the show's loudness and encoded; the MP3
    carries the chapters and the transcript as ID3 frames.
    """
    if lexicon is None:
        lexicon = load_lexicon(config.lexicon)
    voice = engine_voice(engine, voice or config.voice_for(article.voice))
    if script is None:
        script = build_script(article, engine.max_chars, voice.speed, lexicon)
    extra = 0.0
    if music is not None:
        extra = sum(len(m) for m in (music.intro, music.outro) if m is not None) / music.rate
    sections = len(script.sections)

    def overview(seconds: float) -> str:
        return overview_text(seconds + extra + OVERVIEW_SECONDS, sections)

    with Spill() as spill:
        narration = narrate(
            script,
            speech or engine,
            voice,
            config.audio,
            spill,
            overview=overview,
            on_sentence=on_sentence,
        )
        with atomic_path(target) as temp:
            rate, bitrate = config.audio.sample_rate, config.audio.bitrate
            with temp.open("wb") as out, Mp3Stream(out, rate, bitrate, default_jobs()) as stream:
                timeline = master(
                    narration, spill, stream.write, target=config.audio.loudness, music=music
                )
            write_tags(
                temp,
                title=article.title,
                author=article.author or config.show.author,
                show_title=config.show.title,
                date=article.date,
                summary=summary,
                cover_jpeg=cover,
                chapters=timeline.chapters,
                transcript=plain_transcript(timeline),
            )
    return timeline


@dataclass
class _Planned:
    """An episode that needs narrating, with everything decided before speech starts."""

    path: Path
    key: str
    article: Article
    engine: Engine
    voice: VoiceSettings
    script: Script
    speech: Speech | None = None


def build_show(
    config: ShowConfig,
    out_dir: Path | str,
    *,
    log: Log = lambda line: None,
    now: dt.datetime | None = None,
    engine: Engine | None = None,
    jobs: int | None = None,
    cache: SentenceCache | Literal[False] | None = None,
    progress: Progress | None = None,
    page_processes: int = 1,
) -> BuildResult:
    """Build every article of the show into ``out_dir``; publish the feed last.

    ``engine``, when given, speaks every episode that uses the show's engine
    (``config.voice.engine``); other engines named in front matter are looked up.
    ``jobs`` worker threads synthesize sentences (default: one per CPU, or one
    for a given ``engine``, which may not be safe to share). Sentences come from
    ``cache`` when they were synthesized before (default: the user's sentence
    cache; ``False``: none). ``page_processes`` above 1 lets a big show's pages
    be rendered by that many processes (see :func:`write_pages`). With
    ``config.build.scheduler``, sentences are synthesized on that Dask cluster
    instead (see :mod:`msaudio.cluster`), and ``jobs`` is the local cluster's
    worker processes, or for a remote one how many sentences are in flight at once.

    ``out_dir`` may be a URL (``s3://bucket/show/``): the show is then built in
    a local copy (:func:`RemoteOutput.mirror`) and published there by uploading
    only what changed, the feed last (see :mod:`msaudio.publish.remote`).

    Publishing is atomic at every moment (see :mod:`msaudio.publish.site`):
    each new MP3, transcript and chapters file gets a new name made from its
    bytes, the pages are replaced after it, the feed is switched last by one
    rename, and only then are the files it no longer names removed.
    """
    now = now or dt.datetime.now(dt.UTC)
    remote = None
    if isinstance(out_dir, str):
        if is_url(out_dir):
            remote = RemoteOutput(out_dir)  # a missing driver or no access: before any work
            out_dir = remote.mirror(config.root)
        else:
            out_dir = local_path(out_dir)
    scan = scan_episodes(config)
    engines = Engines(engine, config.voice.engine)
    engines.get(config.voice.engine)  # an unknown engine is a configuration error, before any work
    music = load_music(config.audio, config.root)
    lexicon = load_lexicon(config.lexicon)
    sentence_cache: SentenceCache | None = cache or None
    if cache is None:
        sentence_cache = SentenceCache.from_environment(config.build.cache, config.root)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:  # a file of that name, no permission
        raise ConfigError(
            f"cannot be the output folder ({error.strerror or error}); expected a folder or a URL",
            out_dir,
        ) from None
    with exclusive(config.root, out_dir):
        sweep_leftovers(config.root, out_dir)
        try:
            result = _build(
                config,
                out_dir,
                scan,
                engines,
                music,
                lexicon,
                sentence_cache,
                _Run(log, now, engine, jobs, progress, page_processes),
            )
        except OSError as error:  # the cover, the ledger: before the feed could change
            if error.errno not in DISK_ERRNOS:
                raise
            raise unwritable(error, None, "the published show was not changed") from error
        if remote is not None:
            result.remote = remote.url
            result.upload = remote.publish(out_dir, log)
        return result


@dataclass(frozen=True)
class _Run:
    """The caller's choices for one build, passed along as one value."""

    log: Log
    now: dt.datetime
    engine: Engine | None
    jobs: int | None
    progress: Progress | None
    page_processes: int


def _build(
    config: ShowConfig,
    out_dir: Path,
    scan: Scan,
    engines: Engines,
    music: Music | None,
    lexicon: Lexicon,
    sentence_cache: SentenceCache | None,
    run: _Run,
) -> BuildResult:
    log, now, engine, progress = run.log, run.now, run.engine, run.progress
    articles = scan.articles
    result = BuildResult(out_dir, skipped=scan.others, warnings=list[MsaudioError](scan.skipped))
    result.failures.extend(scan.refused)
    cover = cover_jpeg(config.show)
    cover_name = write_cover(out_dir, cover)
    manifest = Manifest.load(out_dir)
    ledger, recovered = load_or_recover(config.root / LEDGER_NAME, out_dir, manifest)
    if recovered:
        log(f"{LEDGER_NAME} was missing: rebuilt from the published {FEED_NAME} and build record")
    settings = settings_digest(config, cover)
    records: dict[str, tuple[str, Episode]] = {}
    planned: list[_Planned] = []

    def failed(path: Path, slug: str, error: Exception) -> None:
        if not isinstance(error, MsaudioError):
            error = write_failure(error, path) or _unexpected(error, path)
        if isinstance(error, EngineUnavailable):
            # About the engine, not the article: reported once for the whole build.
            if error not in result.failures:
                result.failures.append(error)
        else:
            if error.path is None:
                error = type(error)(error.message, path)
            result.failures.append(error)
        previous = manifest.previous(slug, out_dir)
        if previous is not None and slug not in records:
            records[slug] = manifest.entries[slug]
            log(f"kept the previously published {previous.audio_path}")

    def key_of(path: Path, source: bytes) -> tuple[str, VoiceSettings]:
        voice = config.voice_for(voice_choice(path, source))
        return fingerprint(source, settings, voice_digest(voice, engines.get(voice.engine))), voice

    def was_published(path: Path, slug: str) -> bool:
        try:
            return manifest.entries[slug][0] == key_of(path, read_bytes(path))[0]
        except (KeyError, MsaudioError, OSError):
            return False

    slugs = assign_slugs(articles, ledger, was_published)
    result.failures.extend(slugs.refused)  # the file that owns the name still publishes it
    for path in articles:
        if path not in slugs.of:
            continue
        slug = slugs.of[path]
        try:
            source = read_bytes(path)
            key, voice = key_of(path, source)
            episode = manifest.reusable(slug, key, out_dir)
            if episode is not None:
                # The ledger stays the source of identity; it is re-seeded if it was lost.
                known = slug in ledger.entries
                guid, published = ledger.identity(
                    slug,
                    guid_override=None if known else episode.guid,
                    date=None,
                    now=episode.published,
                    source=source_name(path),
                )
                episode = replace(
                    episode, guid=guid, published=published, number=ledger.number(slug)
                )
                result.reused.append(slug)
                records[slug] = (key, episode)
            else:
                speaker = engines.get(voice.engine)
                article = replace(read_article(path, source, config.cleanup), slug=slug)
                voice = engine_voice(speaker, voice)
                script = build_script(article, speaker.max_chars, voice.speed, lexicon)
                planned.append(_Planned(path, key, article, speaker, voice, script))
        except Exception as error:  # one article's problem never stops the others
            failed(path, slug, error)

    if planned:
        if progress is not None:
            progress.start([(p.path.name, len(queued_texts(p.script, True))) for p in planned])
        workers = run.jobs or (1 if engine is not None else default_jobs())

        handed: set[str] = set()
        lock = threading.Lock()

        def make_engine(name: str) -> Engine:
            """The first worker gets the build's instance, the others their own."""
            with lock:
                shared = engine is not None and name == config.voice.engine
                if shared or name not in handed:
                    handed.add(name)
                    return engines.get(name)
            return get_engine(name)

        maker: EngineMaker = make_engine
        stack = contextlib.ExitStack()
        if config.build.scheduler:
            # Engines are created on the workers by name; here they only plan and key the cache.
            cluster = stack.enter_context(_connect(config.build.scheduler, run.jobs))
            local = config.build.scheduler == SCHEDULER_LOCAL
            # Two sentences in flight per cluster thread: one spoken, one waiting its turn.
            workers = 2 * cluster.threads if local or not run.jobs else run.jobs

            def remote_engine(name: str) -> Engine:
                with lock:
                    speaker = engines.get(name)
                return cluster.engine(speaker)

            maker = remote_engine

        with stack, SpeechQueue(maker, sentence_cache, workers) as queue:
            for plan in planned:
                voice = plan.voice
                base = Request(voice.engine, voice.voice, voice.speed, "", plan.engine.version)
                texts = queued_texts(plan.script, True)
                plan.speech = Speech(queue, base, texts, finisher(config.audio))
            for plan in planned:
                slug = plan.article.slug
                assert plan.speech is not None
                try:
                    engines.usable(plan.voice.engine)
                    try:
                        episode = _build_one(
                            plan, config, out_dir, cover, ledger, now, music, lexicon, progress
                        )
                    except EngineUnavailable as error:
                        engines.unavailable(plan.voice.engine, error)
                        raise
                    result.built.append(slug)
                    records[slug] = (plan.key, episode)
                    log(f"narrated {plan.path.name} ({player_clock(episode.timeline.duration)})")
                except Exception as error:  # one episode's problem never stops the others
                    plan.speech.cancel()
                    failed(plan.path, slug, error)
                if progress is not None:
                    progress.episode_done()
        result.synthesized, result.cached = queue.misses, queue.hits
        if sentence_cache is not None and queue.misses:
            sentence_cache.evict()

    result.episodes = sorted(
        (e for _, e in records.values()), key=lambda e: e.published, reverse=True
    )
    ledger.save()  # identities first: a feed never shows a GUID the ledger could forget
    publish_site(
        out_dir,
        config.show,
        result.episodes,
        cover_name,
        manifest,
        records,
        jobs=run.page_processes,
    )
    return result


def _connect(scheduler: str, jobs: int | None) -> contextlib.AbstractContextManager[Cluster]:
    """Connect to the build's Dask cluster (see :func:`msaudio.cluster.connect`)."""
    try:
        from msaudio.cluster import connect
    except ImportError as error:
        if error.name and error.name.split(".")[0] in ("dask", "distributed", "cloudpickle"):
            raise ConfigError("--scheduler needs dask; install msaudio[cluster]") from None
        raise
    workers = jobs if scheduler == SCHEDULER_LOCAL else None
    return connect(scheduler, workers=workers, engines=registered_engines())


def _build_one(
    plan: _Planned,
    config: ShowConfig,
    out_dir: Path,
    cover: bytes,
    ledger: Ledger,
    now: dt.datetime,
    music: Music | None,
    lexicon: Lexicon,
    progress: Progress | None,
) -> Episode:
    article = plan.article
    slug = article.slug
    guid, published = ledger.identity(
        slug,
        guid_override=article.guid,
        date=article.date,
        now=now,
        source=source_name(plan.path),
    )
    target = staged_audio(out_dir, slug)
    summary = summary_of(article)
    try:
        timeline = render_episode(
            article,
            config,
            plan.engine,
            target,
            cover,
            summary,
            music=music,
            lexicon=lexicon,
            voice=plan.voice,
            script=plan.script,
            speech=plan.speech,
            on_sentence=progress.sentence if progress is not None else None,
        )
        files = publish_episode(out_dir, slug, target, timeline)
    except BaseException:
        target.unlink(missing_ok=True)  # files already under their content names stay
        raise
    return Episode(
        slug=slug,
        title=article.title,
        guid=guid,
        published=published,
        audio_path=files.audio_path,
        audio_size=files.audio_size,
        timeline=timeline,
        author=article.author,
        summary=summary,
        date=article.date,
        transcript_path=files.transcript_path,
        chapters_path=files.chapters_path,
        number=ledger.number(slug),
    )


def _unexpected(error: Exception, path: Path) -> ArticleError:
    """An error that is not msaudio's own, as a one-line :class:`ArticleError` on ``path``.

    The original stays the cause, for ``msaudio --debug`` to show its traceback.
    """
    problem = ArticleError(
        f"unexpected {type(error).__name__}: {error} (a bug: 'msaudio --debug build' shows it)",
        path,
    )
    problem.__cause__ = error
    return problem
