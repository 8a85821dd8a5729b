"""Whole builds with the fake tone engine: structure, reuse, failures, identity."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path

import feedparser
import podcastparser
import pytest

from msaudio.build import build_show
from msaudio.config import load_config, with_overrides
from msaudio.engines import base
from msaudio.engines.base import Samples
from msaudio.errors import EngineUnavailable
from msaudio.publish.ledger import LEDGER_NAME
from msaudio.publish.tags import mp3_duration, read_tags
from tests.audio_checks import check_episode
from tests.helpers import NOW, ToneEngine, episode_file, unhashed

NEWSLETTER = """\
Keeping cool on hot days

By Sam Example

Click HERE to Subscribe for the Example Newsletter

~~~~~~~~~~~~~~~~~~~~~~~~~~~~

Warm weather can make old symptoms flare for a while. The effect passes when the body cools.
A damp cloth on the neck helps some people.

Click here to continue reading from #ExampleHealth
"""


def parse(feed: Path) -> dict[str, object]:
    with feed.open("rb") as stream:
        return podcastparser.parse("https://podcasts.example.org/ms/feed.xml", stream)  # type: ignore[no-any-return]


def test_build_publishes_feed_mp3_tags_and_ledger(show_dir: Path, tone_engine: ToneEngine) -> None:
    (show_dir / "episodes" / "keeping-cool.txt").write_text(NEWSLETTER, encoding="utf-8")
    out = show_dir / "public"
    result = build_show(load_config(show_dir), out, engine=tone_engine, now=NOW)
    assert not result.failures
    assert sorted(result.built) == ["keeping-cool", "resting-well"]

    podcast = parse(out / "feed.xml")
    assert podcast["title"] == "Test Show"
    episodes = {e["title"]: e for e in podcast["episodes"]}  # type: ignore[attr-defined]
    assert set(episodes) == {"Resting well", "Keeping cool on hot days"}
    for episode in episodes.values():
        enclosure = episode["enclosures"][0]
        assert enclosure["mime_type"] == "audio/mpeg"
        assert enclosure["url"].startswith("https://podcasts.example.org/ms/episodes/")
        local = out / enclosure["url"].removeprefix("https://podcasts.example.org/ms/")
        assert enclosure["file_size"] == local.stat().st_size
        assert abs(episode["total_time"] - mp3_duration(local)) <= 1
        assert episode["total_time"] > 5

    parsed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not parsed.bozo
    assert parsed.feed["title"] == "Test Show"
    assert len(parsed.entries) == 2
    assert all(entry["guidislink"] is False for entry in parsed.entries)

    tags = read_tags(episode_file(out, "resting-well"))
    assert tags["TIT2"] == "Resting well"
    assert tags["TPE1"] == "Ada Writer"
    assert tags["TALB"] == "Test Show"
    assert tags["TCON"] == "Podcast"
    assert tags["TDRC"].startswith("2026-10-01")
    assert tags["APIC"] == "image/jpeg"
    assert tags["COMM"] == "Why short rests help."

    assert (show_dir / LEDGER_NAME).is_file()
    for published in [out / "feed.xml", out / "cover.jpg", *(out / "episodes").iterdir()]:
        assert published.stat().st_mode & 0o777 == 0o644, published  # a web server can read it
    published_names = {".mp3", ".vtt", ".json", ".html", ".epub"}
    assert not [p for p in (out / "episodes").iterdir() if p.suffix not in published_names]
    assert (out / "cover.jpg").is_file()
    spoken = " ".join(tone_engine.calls)
    assert "Click" not in spoken and "~~" not in spoken and "http" not in spoken
    assert "This article comes from Example Health." in tone_engine.calls


def test_unchanged_articles_are_not_narrated_again(show_dir: Path, tone_engine: ToneEngine) -> None:
    config, out = load_config(show_dir), show_dir / "public"
    build_show(config, out, engine=tone_engine, now=NOW)
    feed = (out / "feed.xml").read_bytes()
    tone_engine.calls.clear()
    again = build_show(config, out, engine=tone_engine, now=NOW + dt.timedelta(days=1))
    assert again.reused == ["resting-well"] and again.built == []
    assert tone_engine.calls == []
    assert (out / "feed.xml").read_bytes() == feed

    article = show_dir / "episodes" / "resting-well.md"
    article.write_text(article.read_text().replace("cool drink", "cold drink"), encoding="utf-8")
    edited = build_show(config, out, engine=tone_engine, now=NOW)
    assert edited.built == ["resting-well"]


def test_a_bad_article_is_named_and_the_rest_still_publish(
    show_dir: Path, tone_engine: ToneEngine
) -> None:
    (show_dir / "episodes" / "empty.txt").write_text("", encoding="utf-8")
    result = build_show(load_config(show_dir), show_dir / "public", engine=tone_engine, now=NOW)
    assert len(result.failures) == 1
    message = str(result.failures[0])
    assert message.startswith(str(show_dir / "episodes" / "empty.txt") + ": ")
    assert "\n" not in message
    assert [e.slug for e in result.episodes] == ["resting-well"]


def test_a_broken_edit_keeps_the_published_episode(show_dir: Path, tone_engine: ToneEngine) -> None:
    config, out = load_config(show_dir), show_dir / "public"
    build_show(config, out, engine=tone_engine, now=NOW)
    before = episode_file(out, "resting-well").read_bytes()
    (show_dir / "episodes" / "resting-well.md").write_text("---\ntitle: [unclosed\n---\nText.\n")
    result = build_show(config, out, engine=tone_engine, now=NOW)
    assert len(result.failures) == 1
    assert [e.slug for e in result.episodes] == ["resting-well"]
    assert episode_file(out, "resting-well").read_bytes() == before


def test_identity_survives_deleting_the_output(show_dir: Path, tone_engine: ToneEngine) -> None:
    config, out = load_config(show_dir), show_dir / "public"
    (show_dir / "episodes" / "keeping-cool.txt").write_text(NEWSLETTER, encoding="utf-8")
    first = build_show(config, out, engine=tone_engine, now=NOW)
    feed = (out / "feed.xml").read_bytes()
    shutil.rmtree(out)
    second = build_show(config, out, engine=tone_engine, now=NOW + dt.timedelta(days=30))
    assert [(e.guid, e.published, e.number) for e in first.episodes] == [
        (e.guid, e.published, e.number) for e in second.episodes
    ]
    assert sorted(e.number or 0 for e in second.episodes) == [1, 2]
    assert (out / "feed.xml").read_bytes() == feed
    # The article's own date (2026-10-01) is its publication date, at noon UTC.
    resting = next(e for e in second.episodes if e.slug == "resting-well")
    assert resting.published == dt.datetime(2026, 10, 1, 12, tzinfo=dt.UTC)


def test_removed_articles_leave_the_feed_and_the_folder(
    show_dir: Path, tone_engine: ToneEngine
) -> None:
    config, out = load_config(show_dir), show_dir / "public"
    (show_dir / "episodes" / "keeping-cool.txt").write_text(NEWSLETTER, encoding="utf-8")
    build_show(config, out, engine=tone_engine, now=NOW)
    (show_dir / "episodes" / "keeping-cool.txt").unlink()
    result = build_show(config, out, engine=tone_engine, now=NOW)
    assert [e.slug for e in result.episodes] == ["resting-well"]
    assert not list((out / "episodes").glob("keeping-cool*"))
    assert b"keeping-cool" not in (out / "feed.xml").read_bytes()


def test_duplicate_slugs_are_reported(show_dir: Path, tone_engine: ToneEngine) -> None:
    (show_dir / "episodes" / "Resting Well.txt").write_text(NEWSLETTER, encoding="utf-8")
    result = build_show(load_config(show_dir), show_dir / "public", engine=tone_engine, now=NOW)
    assert len(result.failures) == 1
    assert "already taken" in str(result.failures[0])


def test_episodes_carry_exact_chapters_transcripts_and_steady_loudness(
    show_dir: Path, tone_engine: ToneEngine
) -> None:
    (show_dir / "episodes" / "keeping-cool.txt").write_text(NEWSLETTER, encoding="utf-8")
    out = show_dir / "public"
    result = build_show(load_config(show_dir), out, now=NOW, engine=tone_engine)
    assert not result.failures
    for slug in ("resting-well", "keeping-cool"):
        measured = check_episode(out, slug)
        assert abs(measured["loudness"] - (-19.0)) <= 1.0  # type: ignore[operator]
        assert measured["peak"] <= -1.0  # type: ignore[operator]

    chaptered = check_episode(out, "resting-well")
    assert [title for title, _ in chaptered["chapters"]] == [  # type: ignore[attr-defined]
        "Resting well",
        "Planning",
        "Cooling",
    ]
    texts = [text for _, _, text in chaptered["cues"]]  # type: ignore[attr-defined]
    minutes = max(1, round(chaptered["duration"] / 60))  # type: ignore[operator]
    assert texts[:3] == [
        "Resting well.",
        "Written by Ada Writer.",
        f"About {['zero', 'one', 'two'][minutes]} minute{'s' if minutes > 1 else ''}, "
        "with three sections.",
    ]
    assert texts[3] == "Short rests spread through the day help many people with MS."
    assert "Planning." in texts and texts[-1] == "Thank you for listening."

    feed = parse(out / "feed.xml")
    root = feedparser.parse((out / "feed.xml").read_bytes())
    entry = next(e for e in root.entries if e["title"] == "Resting well")
    base = "https://podcasts.example.org/ms/episodes/"
    vtt, chapters = (episode_file(out, "resting-well", s).name for s in (".vtt", ".chapters.json"))
    assert entry["podcast_transcript"]["url"] == base + vtt
    assert entry["podcast_transcript"]["type"] == "text/vtt"
    assert entry["podcast_chapters"]["url"] == base + chapters
    episode = next(e for e in feed["episodes"] if e["title"] == "Resting well")  # type: ignore[attr-defined]
    assert [c["title"] for c in episode["chapters"]] == ["Resting well", "Planning", "Cooling"]


def test_a_removed_article_takes_its_transcript_and_chapters_along(
    show_dir: Path, tone_engine: ToneEngine
) -> None:
    out = show_dir / "public"
    build_show(load_config(show_dir), out, now=NOW, engine=tone_engine)
    assert episode_file(out, "resting-well", ".vtt").is_file()
    episode_file(out, "resting-well", ".chapters.json").unlink()
    again = build_show(load_config(show_dir), out, now=NOW, engine=tone_engine)
    assert again.built == ["resting-well"]  # a missing companion file is rebuilt
    (show_dir / "episodes" / "resting-well.md").unlink()
    build_show(load_config(show_dir), out, now=NOW, engine=tone_engine)
    assert sorted(p.name for p in (out / "episodes").iterdir()) == []


class SlowTone(ToneEngine):
    """A second fake engine, to tell which engine spoke which episode."""

    name = "slowtone"
    created = 0

    def __init__(self) -> None:
        super().__init__()
        type(self).created += 1
        self.speeds: list[float] = []

    def synthesize(self, text: str, voice: str | None, speed: float) -> Iterator[Samples]:
        self.speeds.append(speed)
        return super().synthesize(text, voice, speed)


@pytest.fixture
def slowtone() -> Iterator[type[SlowTone]]:
    SlowTone.created = 0
    base.register("slowtone", SlowTone)
    yield SlowTone
    base._registered.pop("slowtone", None)


def test_front_matter_picks_the_engine_and_speed_of_one_episode(
    show_dir: Path, tone_engine: ToneEngine, slowtone: type[SlowTone]
) -> None:
    episodes = show_dir / "episodes"
    for name in ("slow-one", "slow-two"):
        (episodes / f"{name}.md").write_text(
            f"---\ntitle: {name}\nengine: slowtone\nspeed: 0.8\n---\nThis one is read slowly.\n",
            encoding="utf-8",
        )
    config, out = load_config(show_dir), show_dir / "public"
    result = build_show(config, out, engine=tone_engine, now=NOW)
    assert not result.failures and sorted(result.built) == ["resting-well", "slow-one", "slow-two"]
    assert slowtone.created == 1  # one engine per name per build
    assert not any("read slowly" in call for call in tone_engine.calls)
    durations = {e.slug: e.timeline.duration for e in result.episodes}
    tone_engine.calls.clear()

    # An engine upgrade rebuilds only the episodes that engine speaks.
    slowtone.version = "2"
    try:
        again = build_show(config, out, engine=tone_engine, now=NOW)
    finally:
        slowtone.version = "1"
    assert sorted(again.built) == ["slow-one", "slow-two"] and again.reused == ["resting-well"]
    assert tone_engine.calls == []
    # The flag wins over the front matter: the same episode at speed 1.0 is shorter.
    fast = build_show(with_overrides(config, speed=1.0), out, engine=tone_engine, now=NOW)
    assert sorted(fast.built) == ["slow-one", "slow-two"]  # resting-well already had 1.0
    faster = {e.slug: e.timeline.duration for e in fast.episodes}
    assert faster["slow-one"] < durations["slow-one"] / 1.15


def test_an_unusable_engine_is_reported_once_and_published_episodes_stay(
    show_dir: Path, tone_engine: ToneEngine
) -> None:
    config, out = load_config(show_dir), show_dir / "public"
    build_show(config, out, engine=tone_engine, now=NOW)
    before = episode_file(out, "resting-well").read_bytes()
    for name in ("second", "third"):
        (show_dir / "episodes" / f"{name}.md").write_text(f"# {name}\n\nMore text.\n")

    class Offline(ToneEngine):
        asked = 0

        def synthesize(self, text: str, voice: str | None, speed: float) -> Iterator[Samples]:
            Offline.asked += 1
            raise EngineUnavailable("tone needs internet access")

    (show_dir / "episodes" / "resting-well.md").write_text(
        (show_dir / "episodes" / "resting-well.md").read_text() + "\nOne more line.\n"
    )
    result = build_show(config, out, engine=Offline(), now=NOW)
    assert [str(error) for error in result.failures] == ["tone needs internet access"]
    assert Offline.asked == 1  # not asked again for the other articles
    assert [e.slug for e in result.episodes] == ["resting-well"]
    assert episode_file(out, "resting-well").read_bytes() == before
    assert sorted(unhashed(p.name) for p in (out / "episodes").iterdir()) == [
        "resting-well.chapters.json",
        "resting-well.epub",
        "resting-well.html",
        "resting-well.mp3",
        "resting-well.vtt",
    ]


def test_a_missing_engine_named_in_front_matter_is_one_line(
    show_dir: Path, tone_engine: ToneEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def missing() -> ToneEngine:
        raise EngineUnavailable("espeak needs the espeak-ng program")

    monkeypatch.setitem(base._registered, "nowhere", missing)
    for name in ("one", "two"):
        (show_dir / "episodes" / f"{name}.md").write_text(
            f"---\nengine: nowhere\n---\n# {name}\n\nText.\n"
        )
    (show_dir / "episodes" / "three.md").write_text("---\nengine: nope\n---\nText.\n")
    result = build_show(load_config(show_dir), show_dir / "public", engine=tone_engine, now=NOW)
    assert [e.slug for e in result.episodes] == ["resting-well"]
    assert [str(error) for error in result.failures] == [
        "espeak needs the espeak-ng program",
        f"{show_dir / 'episodes' / 'three.md'}: unknown engine 'nope'; known engines: "
        + ", ".join(sorted(base.available_engines())),
    ]
