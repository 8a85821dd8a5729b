"""Integration: the real bundled piper voice, offline, end to end."""

from __future__ import annotations

from pathlib import Path

import feedparser
import podcastparser
import pytest
import soundfile
from mutagen.mp3 import MP3

from msaudio.build import build_show
from msaudio.config import load_config
from msaudio.engines import get_engine
from msaudio.publish.tags import mp3_duration, read_chapters, read_tags

from .audio_checks import check_episode
from .conftest import NOW

pytestmark = pytest.mark.piper

BASE = "https://podcasts.example.org/ms/"


def test_engine_speaks_the_bundled_voice() -> None:
    engine = get_engine("piper")
    assert engine.needs_network is False
    rate = engine.sample_rate(None)
    audio = [chunk for chunk in engine.synthesize("Myelin protects nerve fibres.", None, 1.0)]
    seconds = sum(len(chunk) for chunk in audio) / rate
    assert 1.0 < seconds < 4.0
    slow = [chunk for chunk in engine.synthesize("Myelin protects nerve fibres.", None, 0.8)]
    assert sum(len(chunk) for chunk in slow) / rate > seconds * 1.1


def test_build_with_piper_gives_a_feed_real_clients_parse(show_dir: Path) -> None:
    out = show_dir / "public"
    result = build_show(load_config(show_dir), out, now=NOW)
    assert not result.failures and result.built == ["resting-well"]

    feed = (out / "feed.xml").read_bytes()
    with (out / "feed.xml").open("rb") as stream:
        podcast = podcastparser.parse(BASE + "feed.xml", stream)
    (episode,) = podcast["episodes"]
    enclosure = episode["enclosures"][0]
    mp3 = out / "episodes" / "resting-well.mp3"
    assert enclosure["url"] == BASE + "episodes/resting-well.mp3"
    assert enclosure["file_size"] == mp3.stat().st_size
    assert abs(episode["total_time"] - mp3_duration(mp3)) <= 1
    assert episode["total_time"] >= 8

    parsed = feedparser.parse(feed)
    assert not parsed.bozo and parsed.entries[0]["title"] == "Resting well"

    info = soundfile.info(str(mp3))
    assert info.samplerate == 44100 and info.channels == 1
    mpeg = MP3(mp3).info
    assert (mpeg.bitrate, mpeg.sample_rate, mpeg.channels) == (64000, 44100, 1)
    tags = read_tags(mp3)
    assert (
        tags["TIT2"] == "Resting well"
        and tags["TCON"] == "Podcast"
        and tags["APIC"] == "image/jpeg"
    )
    decoded, _ = soundfile.read(str(mp3), dtype="float32")
    assert 0.05 < abs(decoded).max() <= 1.0  # speech, not silence, and no wrap-around
    measured = check_episode(out, "resting-well")
    assert abs(measured["loudness"] - (-19.0)) <= 1.0  # type: ignore[operator]
    assert measured["peak"] <= -1.0  # type: ignore[operator]
    assert [t for t, _ in measured["chapters"]] == ["Resting well", "Planning", "Cooling"]  # type: ignore[attr-defined]
    texts = [text for _, _, text in measured["cues"]]  # type: ignore[attr-defined]
    assert texts[:3] == ["Resting well.", "By Ada Writer.", "About one minute, in three sections."]
    for read, built in zip(read_chapters(mp3), result.episodes[0].timeline.chapters, strict=True):
        assert read.title == built.title
        assert abs(read.start - built.start) < 0.001 and abs(read.end - built.end) < 0.001
