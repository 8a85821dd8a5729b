"""The sentence cache at a URL (fsspec): on S3-compatible storage, or any other store."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import numpy as np
import pytest

from msaudio.build import build_show
from msaudio.cache import SentenceCache
from msaudio.config import load_config
from msaudio.errors import ConfigError
from tests.helpers import ARTICLE_MD, NOW, SHOW_TOML, ToneEngine, episode_file, run_cli
from tests.integration.test_incremental import LONGER


def tone(count: int) -> np.ndarray:
    return (np.arange(count) % 200 - 100).astype(np.int16)


@pytest.fixture(params=["s3", "memory"])
def cache_url(request: pytest.FixtureRequest) -> str:
    """A cache on the loopback S3 server (object store: one PUT per entry), or in fsspec's
    memory store (a file system: written under a temporary name, then moved)."""
    if request.param == "s3":
        bucket = request.getfixturevalue("s3_bucket")
        return f"s3://{bucket}/sentences"
    return f"memory://msaudio-cache/{request.node.originalname}"


def test_entries_round_trip_and_damaged_ones_are_misses(cache_url: str) -> None:
    cache = SentenceCache(cache_url)
    assert cache.root == cache_url
    key = SentenceCache.key("tone", "1", None, 1.0, "Rest well.")
    assert cache.get(key) is None and not cache.holds(key)
    cache.put(key, 16000, tone(1234))
    assert cache.holds(key)
    rate, samples = cache.get(key)  # type: ignore[misc]
    assert rate == 16000 and np.array_equal(samples, tone(1234))
    assert cache.info().entries == 1 and cache.info().size == 8 + 2 * 1234

    import fsspec.core

    fs, root = fsspec.core.url_to_fs(cache_url, skip_instance_cache=True)
    listed = [path for path in fs.find(root) if not path.endswith(f"{key}.pcm")]
    assert listed == []  # no temporary file left behind
    fs.pipe_file(f"{root}/{key[:2]}/{key}.pcm", b"MSAC\x80>\x00\x00\x01")  # cut mid-sample
    assert cache.get(key) is None and cache.info().entries == 0


def test_info_clear_and_eviction_by_age(cache_url: str) -> None:
    cache = SentenceCache(cache_url, max_bytes=3 * (8 + 2000))
    keys = [f"{i:02x}" * 32 for i in range(5)]
    for key in keys:
        cache.put(key, 16000, tone(1000))
    assert (cache.info().entries, cache.info().size) == (5, 5 * 2008)
    assert cache.evict() == 2
    assert cache.info().entries == 3
    assert cache.clear() == 3 and cache.info().entries == 0


def two_shows(tmp_path: Path) -> tuple[Path, Path]:
    """Two show folders (as on two machines) with one article in common."""
    first, second = tmp_path / "first", tmp_path / "second"
    for root in (first, second):
        (root / "episodes").mkdir(parents=True)
        (root / "podcast.toml").write_text(SHOW_TOML, encoding="utf-8")
        (root / "episodes" / "resting-well.md").write_text(ARTICLE_MD, encoding="utf-8")
    (second / "episodes" / "walking-aids.md").write_text(LONGER, encoding="utf-8")
    return first, second


def test_a_second_show_reuses_every_sentence_the_first_synthesized(
    cache_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MSAUDIO_CACHE_DIR", cache_url)
    first, second = two_shows(tmp_path)
    first_engine, second_engine = ToneEngine(), ToneEngine()
    one = build_show(load_config(first), first / "public", engine=first_engine, now=NOW)
    two = build_show(load_config(second), second / "public", engine=second_engine, now=NOW)
    assert not one.failures and not two.failures and one.synthesized > 5
    assert set(first_engine.calls).isdisjoint(second_engine.calls)  # nothing said twice
    assert two.cached >= one.synthesized
    assert two.synthesized == len(second_engine.calls) > 5  # only the new article's
    shared = episode_file(first / "public", "resting-well")
    assert shared.read_bytes() == episode_file(second / "public", "resting-well").read_bytes()
    assert SentenceCache(cache_url).info().entries == one.synthesized + two.synthesized


def test_podcast_toml_can_name_the_cache_and_the_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, s3_bucket: str
) -> None:
    first, second = two_shows(tmp_path)
    url = f"s3://{s3_bucket}/shared"
    for root in (first, second):
        with (root / "podcast.toml").open("a", encoding="utf-8") as toml:
            toml.write(f'\n[build]\ncache = "{url}"\n')
    monkeypatch.delenv("MSAUDIO_CACHE_DIR")
    assert SentenceCache.from_environment(load_config(first).build.cache).root == url
    one = build_show(load_config(first), first / "public", engine=ToneEngine(), now=NOW)
    engine = ToneEngine()
    build_show(load_config(second), second / "public", engine=engine, now=NOW)
    assert one.synthesized > 5 and not any("cool drink" in text for text in engine.calls)
    assert SentenceCache(url).info().entries > one.synthesized

    monkeypatch.setenv("MSAUDIO_CACHE_DIR", str(tmp_path / "mine"))
    assert SentenceCache.from_environment(url).root == tmp_path / "mine"
    monkeypatch.delenv("MSAUDIO_CACHE_DIR")
    local = SentenceCache.from_environment("cache-here", tmp_path)
    assert local.root == tmp_path / "cache-here"


def test_cache_info_in_a_show_folder_reports_its_cache(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    s3_bucket: str,
) -> None:
    first, _ = two_shows(tmp_path)
    url = f"s3://{s3_bucket}/c"
    (first / "podcast.toml").write_text(SHOW_TOML + f'[build]\ncache = "{url}"\n', "utf-8")
    SentenceCache(url).put("ab" * 32, 16000, tone(100))
    monkeypatch.delenv("MSAUDIO_CACHE_DIR")
    monkeypatch.chdir(first)
    code, out, _ = run_cli(capsys, "cache", "info")
    assert code == 0 and out.startswith(f"sentence cache: {url}\n1 sentences")
    code, out, _ = run_cli(capsys, "cache", "clear")
    assert (code, out) == (0, f"removed 1 sentences from {url}\n")


def test_a_url_cache_without_its_driver_is_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    registry = importlib.import_module("fsspec.registry")
    monkeypatch.setitem(sys.modules, "s3fs", None)
    for protocol in ("s3", "s3a"):  # fsspec keeps the drivers it loaded
        monkeypatch.delitem(registry._registry, protocol, raising=False)
    with pytest.raises(ConfigError) as raised:
        SentenceCache("s3://bucket/cache")
    assert (
        str(raised.value)
        == "sentence cache s3://bucket/cache: needs s3fs; install msaudio[cluster]"
    )
    monkeypatch.setitem(sys.modules, "fsspec", None)
    monkeypatch.setitem(sys.modules, "fsspec.core", None)
    with pytest.raises(ConfigError, match=r"needs fsspec; install msaudio\[cluster\]"):
        SentenceCache("gs://bucket/cache")
