"""Orchestration: which episodes are stale, narrate them, publish the show.

``build_show`` reads the show folder and writes the output folder; it never
prints. Per-episode problems are collected (the rest of the show still
publishes); configuration problems raise :class:`ConfigError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, Protocol

from msaudio.audio.music import Music, load_music
from msaudio.cache import SentenceCache
from msaudio.config import ShowConfig, VoiceSettings
from msaudio.engines.base import Engine
from msaudio.engines.pool import Engines, speech_queue
from msaudio.errors import ConfigError, MsaudioError
from msaudio.manifest import Manifest
from msaudio.model import Episode
from msaudio.plan import EpisodePlan, fingerprint, plan_episode, settings_digest, voice_digest
from msaudio.publish.cover import cover_jpeg, write_cover
from msaudio.publish.episode import Outcome, narrate_planned
from msaudio.publish.episode import render_episode as render_episode
from msaudio.publish.feed import FEED_NAME
from msaudio.publish.identity import assign_slugs, scan_episodes
from msaudio.publish.ledger import LEDGER_NAME, Ledger, source_name
from msaudio.publish.ledger_recovery import load_or_recover
from msaudio.publish.remote import RemoteOutput, Upload
from msaudio.publish.site import (
    DISK_ERRNOS,
    exclusive,
    publish_site,
    sweep_leftovers,
    unwritable,
)
from msaudio.sources import read_article, read_bytes, voice_choice
from msaudio.sources.scan import Scan
from msaudio.storage import is_url, local_path
from msaudio.text.normalize import Lexicon, load_lexicon

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
                _Run(log, now, jobs, progress, page_processes),
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
    result = BuildResult(out_dir, skipped=scan.others, warnings=list[MsaudioError](scan.skipped))
    result.failures.extend(scan.refused)
    cover = cover_jpeg(config.show)
    cover_name = write_cover(out_dir, cover)
    manifest = Manifest.load(out_dir)
    ledger, recovered = load_or_recover(config.root / LEDGER_NAME, out_dir, manifest)
    if recovered:
        run.log(f"{LEDGER_NAME} was missing: rebuilt from the published {FEED_NAME} and record")
    outcome = Outcome(result, manifest, run.log)
    settings = settings_digest(config, cover)
    planned: list[EpisodePlan] = []

    def key_of(path: Path, source: bytes) -> tuple[str, VoiceSettings]:
        voice = config.voice_for(voice_choice(path, source))
        return fingerprint(source, settings, voice_digest(voice, engines.get(voice.engine))), voice

    def was_published(path: Path, slug: str) -> bool:
        try:
            return manifest.entries[slug][0] == key_of(path, read_bytes(path))[0]
        except (KeyError, MsaudioError, OSError):
            return False

    slugs = assign_slugs(scan.articles, ledger, was_published)
    result.failures.extend(slugs.refused)  # the file that owns the name still publishes it
    for path in scan.articles:
        if path not in slugs.of:
            continue
        slug = slugs.of[path]
        try:
            source = read_bytes(path)
            key, voice = key_of(path, source)
            episode = outcome.manifest.reusable(slug, key, out_dir)
            if episode is not None:
                result.reused.append(slug)
                outcome.done(slug, key, _reused(slug, episode, ledger, source_name(path)))
            else:
                speaker = engines.get(voice.engine)
                article = replace(read_article(path, source, config.cleanup), slug=slug)
                planned.append(
                    plan_episode(path, article, config, speaker, lexicon, voice=voice, key=key)
                )
        except Exception as error:  # one article's problem never stops the others
            outcome.failed(path, slug, error)

    if planned:
        with speech_queue(engines, config.build.scheduler, run.jobs, sentence_cache) as queue:
            narrate_planned(
                planned,
                config,
                out_dir,
                cover,
                ledger,
                music,
                engines,
                queue,
                outcome,
                run.now,
                run.log,
                run.progress,
            )
        result.synthesized, result.cached = queue.misses, queue.hits
        if sentence_cache is not None and queue.misses:
            sentence_cache.evict()

    result.episodes = sorted(
        (e for _, e in outcome.records.values()), key=lambda e: e.published, reverse=True
    )
    ledger.save()  # identities first: a feed never shows a GUID the ledger could forget
    publish_site(
        out_dir,
        config.show,
        result.episodes,
        cover_name,
        outcome.manifest,
        outcome.records,
        jobs=run.page_processes,
    )
    return result


def _reused(slug: str, episode: Episode, ledger: Ledger, source: str) -> Episode:
    """A published episode that is still current, with its identity from the ledger."""
    # The ledger stays the source of identity; it is re-seeded if it was lost.
    known = slug in ledger.entries
    guid, published = ledger.identity(
        slug,
        guid_override=None if known else episode.guid,
        date=None,
        now=episode.published,
        source=source,
    )
    return replace(episode, guid=guid, published=published, number=ledger.number(slug))
