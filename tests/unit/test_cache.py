"""The sentence cache: hits, misses, atomic entries, eviction, and the cached engine."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from msaudio.cache import (
    SentenceCache,
    default_cache_dir,
    parse_size,
)
from msaudio.errors import ConfigError


def tone(n: int) -> np.ndarray:
    return (np.arange(n) % 200 - 100).astype(np.int16)


def test_keys_change_with_every_input() -> None:
    base = ("piper", "1.3.0", "joe", 1.0, "Rest when you can.")
    key = SentenceCache.key(*base)
    assert len(key) == 64 and key == SentenceCache.key(*base)
    variants = [
        ("espeak", *base[1:]),
        (base[0], "1.4.0", *base[2:]),
        (*base[:2], "amy", *base[3:]),
        (*base[:3], 0.8, base[4]),
        (*base[:4], "Rest when you can!"),
    ]
    assert len({SentenceCache.key(*v) for v in variants} | {key}) == 6
    assert SentenceCache.key("piper", "1", None, 1, "x") == SentenceCache.key(
        "piper", "1", "", 1.0, "x"
    )


def test_put_get_round_trip_and_miss(tmp_path: Path) -> None:
    cache = SentenceCache(tmp_path)
    assert cache.get("ab" * 32) is None
    samples = tone(1234)
    cache.put("ab" * 32, 22050, samples)
    rate, back = cache.get("ab" * 32)  # type: ignore[misc]
    assert rate == 22050 and back.dtype == np.int16
    assert np.array_equal(back, samples)
    assert list(tmp_path.rglob(".tmp-*")) == []  # nothing half-written left behind


def test_holds_tells_an_entry_without_reading_it(tmp_path: Path) -> None:
    cache = SentenceCache(tmp_path)
    assert not cache.holds("cd" * 32)
    cache.put("cd" * 32, 22050, tone(10))
    assert cache.holds("cd" * 32) and not cache.holds("ef" * 32)


def test_damaged_entries_are_misses_and_removed(tmp_path: Path) -> None:
    cache = SentenceCache(tmp_path)
    cache.put("cd" * 32, 16000, tone(100))
    path = next(tmp_path.rglob("*.pcm"))
    path.write_bytes(path.read_bytes()[:-1])  # cut mid-sample
    assert cache.get("cd" * 32) is None
    assert not path.exists()
    cache.put("cd" * 32, 16000, tone(100))
    path.write_bytes(b"JUNK" + path.read_bytes()[4:])
    assert cache.get("cd" * 32) is None


def test_info_clear_and_lru_eviction(tmp_path: Path) -> None:
    cache = SentenceCache(tmp_path, max_bytes=3 * (8 + 2000))
    keys = [f"{i:02x}" * 32 for i in range(5)]
    for age, key in enumerate(keys):
        cache.put(key, 16000, tone(1000))
        path = next(tmp_path.rglob(key + ".pcm"))
        os.utime(path, ns=(age * 10**9, age * 10**9))
    cache.get(keys[0])  # the oldest entry is used again: now the most recent
    info = cache.info()
    assert (info.entries, info.size) == (5, 5 * 2008)
    assert cache.evict() == 2
    assert [cache.get(k) is not None for k in keys] == [True, False, False, True, True]
    assert cache.clear() == 3
    assert cache.info().entries == 0


def test_cache_location_and_size_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MSAUDIO_CACHE_DIR", str(tmp_path / "c"))
    monkeypatch.setenv("MSAUDIO_CACHE_SIZE", "1.5G")
    cache = SentenceCache.from_environment()
    assert cache.root == tmp_path / "c" and cache.max_bytes == int(1.5 * 1024**3)
    monkeypatch.delenv("MSAUDIO_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if os.name == "posix" and os.uname().sysname == "Linux":
        assert default_cache_dir() == tmp_path / "xdg" / "msaudio"


@pytest.mark.parametrize(
    ("text", "size"),
    [("500M", 500 * 1024**2), ("2GB", 2 * 1024**3), ("4096", 4096), ("10 KiB", 10 * 1024)],
)
def test_sizes(text: str, size: int) -> None:
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["lots", "-1M", "M", ""])
def test_bad_sizes_name_the_variable(text: str) -> None:
    with pytest.raises(ConfigError, match="MSAUDIO_CACHE_SIZE"):
        parse_size(text)
