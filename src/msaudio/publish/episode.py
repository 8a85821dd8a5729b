"""Narrating and publishing the planned episodes of a build, one after the other.

Every sentence of every planned episode is queued before the first is
narrated, so the speech workers run ahead into the next episode while this
one is mastered, encoded and published. One episode's failure is recorded and
the others go on; its previously published episode stays in the feed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from msaudio.audio.assemble import finisher, queued_texts
from msaudio.audio.music import Music
from msaudio.audio.narrate import Narrated, narrate_episode
from msaudio.audio.synthesis import Request, Speech, SpeechQueue
from msaudio.config import ShowConfig
from msaudio.engines.pool import Engines
from msaudio.errors import ArticleError, EngineUnavailable, MsaudioError
from msaudio.manifest import Manifest
from msaudio.model import Episode
from msaudio.plan import EpisodePlan
from msaudio.publish.atomic import atomic_path
from msaudio.publish.ledger import Ledger, source_name
from msaudio.publish.site import publish_book, publish_episode, staged_audio, write_failure
from msaudio.publish.tags import write_tags
from msaudio.publish.transcript import plain_transcript, player_clock

if TYPE_CHECKING:
    from msaudio.build import BuildResult, Progress


def render_episode(
    plan: EpisodePlan,
    config: ShowConfig,
    target: Path,
    cover: bytes,
    *,
    music: Music | None = None,
    speech: Speech | None = None,
    on_sentence: Callable[[], None] | None = None,
) -> Narrated:
    """Narrate ``plan`` into a tagged MP3 at ``target``, atomically.

    The MP3 carries the chapters and the transcript as ID3 frames; see
    :func:`narrate_episode` for ``speech`` and ``on_sentence``.
    """
    article = plan.article
    with atomic_path(target) as temp:
        narrated = narrate_episode(
            plan, config.audio, temp, music=music, speech=speech, on_sentence=on_sentence
        )
        write_tags(
            temp,
            title=article.title,
            author=article.author or config.show.author,
            show_title=config.show.title,
            date=article.date,
            summary=plan.summary,
            cover_jpeg=cover,
            chapters=narrated.timeline.chapters,
            transcript=plain_transcript(narrated.timeline),
        )
    return narrated


class Outcome:
    """What the build has decided so far: the result, and each published slug's record."""

    def __init__(self, result: BuildResult, manifest: Manifest, log: Callable[[str], None]) -> None:
        self.result = result
        self.manifest = manifest
        self.log = log
        self.records: dict[str, tuple[str, Episode]] = {}

    def done(self, slug: str, key: str, episode: Episode) -> None:
        self.records[slug] = (key, episode)

    def failed(self, path: Path, slug: str, error: Exception) -> None:
        """Record ``error`` for the article at ``path``; its published episode stays."""
        failures = self.result.failures
        if not isinstance(error, MsaudioError):
            error = write_failure(error, path) or _unexpected(error, path)
        if isinstance(error, EngineUnavailable):
            # About the engine, not the article: reported once for the whole build.
            if error not in failures:
                failures.append(error)
        else:
            if error.path is None:
                error = type(error)(error.message, path)
            failures.append(error)
        previous = self.manifest.previous(slug, self.result.out_dir)
        if previous is not None and slug not in self.records:
            self.records[slug] = self.manifest.entries[slug]
            self.log(f"kept the previously published {previous.audio_path}")


def narrate_planned(
    planned: list[EpisodePlan],
    config: ShowConfig,
    out_dir: Path,
    cover: bytes,
    ledger: Ledger,
    music: Music | None,
    engines: Engines,
    queue: SpeechQueue,
    outcome: Outcome,
    now: dt.datetime,
    log: Callable[[str], None],
    progress: Progress | None,
) -> None:
    """Narrate and publish each planned episode; every sentence is queued before the first."""
    if progress is not None:
        progress.start([(p.path.name, len(queued_texts(p.script, True))) for p in planned])
    speeches = [
        Speech(
            queue,
            Request(p.voice.engine, p.voice.voice, p.voice.speed, "", p.engine.version),
            queued_texts(p.script, True),
            finisher(config.audio, rehearse=music is None),
        )
        for p in planned
    ]
    for plan, speech in zip(planned, speeches, strict=True):
        slug = plan.article.slug
        try:
            engines.usable(plan.voice.engine)
            try:
                episode = _publish_one(
                    plan, speech, config, out_dir, cover, ledger, now, music, progress
                )
            except EngineUnavailable as error:
                engines.unavailable(plan.voice.engine, error)
                raise
            outcome.result.built.append(slug)
            outcome.done(slug, plan.key, episode)
            log(f"narrated {plan.path.name} ({player_clock(episode.timeline.duration)})")
        except Exception as error:  # one episode's problem never stops the others
            speech.cancel()
            outcome.failed(plan.path, slug, error)
        if progress is not None:
            progress.episode_done()


def _publish_one(
    plan: EpisodePlan,
    speech: Speech,
    config: ShowConfig,
    out_dir: Path,
    cover: bytes,
    ledger: Ledger,
    now: dt.datetime,
    music: Music | None,
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
    try:
        timeline = render_episode(
            plan,
            config,
            target,
            cover,
            music=music,
            speech=speech,
            on_sentence=progress.sentence if progress is not None else None,
        ).timeline
        files = publish_episode(out_dir, slug, target, timeline)
    except BaseException:
        target.unlink(missing_ok=True)  # files already under their content names stay
        raise
    episode = Episode(
        slug=slug,
        title=article.title,
        guid=guid,
        published=published,
        audio_path=files.audio_path,
        audio_size=files.audio_size,
        timeline=timeline,
        author=article.author,
        summary=plan.summary,
        date=article.date,
        transcript_path=files.transcript_path,
        chapters_path=files.chapters_path,
        number=ledger.number(slug),
    )
    if not config.publish.epub:
        return episode
    return publish_book(out_dir, episode, config.show, article, plan.script, cover)


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
