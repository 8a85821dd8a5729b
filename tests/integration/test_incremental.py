"""Build performance behaviour: the sentence cache, parallel workers, incremental rebuilds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from msaudio.build import build_show
from msaudio.cache import SentenceCache
from msaudio.config import load_config
from msaudio.progress import TerminalProgress, clock
from tests.helpers import NOW, ToneEngine, run_cli

LONGER = """\
---
title: Walking aids without embarrassment
author: Lee Writer
date: 2026-09-01
---

A cane can make a long walk possible again. Many people wait years before trying one.

## Choosing

A physiotherapist can fit the height. The handle should feel comfortable in a relaxed grip.

## Using

Hold the cane on the stronger side. Move it together with the weaker leg.
"""


def published(out: Path) -> dict[str, bytes]:
    """Every published file's bytes (the build manifest aside), by relative path."""
    return {
        str(path.relative_to(out)): path.read_bytes()
        for path in sorted(out.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


def test_a_rebuild_after_losing_the_output_synthesizes_nothing(
    show_dir: Path, sentence_cache: Path
) -> None:
    config, out = load_config(show_dir), show_dir / "public"
    first_engine = ToneEngine()
    first = build_show(config, out, engine=first_engine, now=NOW)
    assert first.synthesized == len(first_engine.calls) > 5 and first.cached == 0
    assert SentenceCache(sentence_cache).info().entries == first.synthesized
    before = published(out)

    shutil.rmtree(out)
    again_engine = ToneEngine()
    again = build_show(config, out, engine=again_engine, now=NOW)
    assert again_engine.calls == []
    assert (again.synthesized, again.cached) == (0, first.synthesized)
    assert published(out) == before


def test_only_the_edited_sentence_is_synthesized_again(show_dir: Path) -> None:
    config, out = load_config(show_dir), show_dir / "public"
    article = show_dir / "episodes" / "resting-well.md"
    build_show(config, out, engine=ToneEngine(), now=NOW)
    article.write_text(
        article.read_text(encoding="utf-8").replace(
            "A cool drink helps on a warm afternoon.", "A cool drink helps on a hot afternoon."
        ),
        encoding="utf-8",
    )
    engine = ToneEngine()
    result = build_show(config, out, engine=engine, now=NOW)
    assert result.built == ["resting-well"]
    assert engine.calls == ["A cool drink helps on a hot afternoon."]
    assert result.synthesized == 1 and result.cached > 5


def test_no_cache_means_every_sentence_is_synthesized(show_dir: Path) -> None:
    config, out = load_config(show_dir), show_dir / "public"
    build_show(config, out, engine=ToneEngine(), now=NOW)
    shutil.rmtree(out)
    engine = ToneEngine()
    result = build_show(config, out, engine=engine, now=NOW, cache=False)
    assert result.cached == 0 and result.synthesized == len(engine.calls) > 5


@pytest.mark.parametrize("jobs", [2, 3])
def test_parallel_builds_are_byte_identical_to_serial_ones(
    show_dir: Path, tmp_path: Path, jobs: int
) -> None:
    (show_dir / "episodes" / "walking-aids.md").write_text(LONGER, encoding="utf-8")
    config = load_config(show_dir)
    serial_engine, parallel_engine = ToneEngine(), ToneEngine()
    build_show(config, tmp_path / "serial", engine=serial_engine, now=NOW, jobs=1, cache=False)
    build_show(
        config, tmp_path / "parallel", engine=parallel_engine, now=NOW, jobs=jobs, cache=False
    )
    assert sorted(serial_engine.calls) == sorted(parallel_engine.calls)
    serial, parallel = published(tmp_path / "serial"), published(tmp_path / "parallel")
    assert serial.keys() == parallel.keys() and len(serial) > 8
    assert serial == parallel


@pytest.mark.piper
def test_piper_rebuilds_from_a_warm_cache_are_byte_identical(show_dir: Path) -> None:
    config, out = load_config(show_dir), show_dir / "public"
    first = build_show(config, out, now=NOW)
    assert not first.failures and first.synthesized > 5
    before = published(out)
    shutil.rmtree(out)
    again = build_show(config, out, now=NOW)
    assert again.synthesized == 0
    assert published(out) == before  # MP3 bytes, enclosure length, transcript and chapters


def test_cache_commands(
    capsys: pytest.CaptureFixture[str], show_dir: Path, sentence_cache: Path
) -> None:
    build_show(load_config(show_dir), show_dir / "public", engine=ToneEngine(), now=NOW)
    entries = SentenceCache(sentence_cache).info().entries
    code, out, _ = run_cli(capsys, "cache", "info")
    assert code == 0 and str(sentence_cache) in out and f"{entries} sentences" in out
    code, out, _ = run_cli(capsys, "cache", "clear")
    assert code == 0 and f"removed {entries} sentences" in out
    assert SentenceCache(sentence_cache).info().entries == 0


def test_build_reports_cache_use_when_verbose(
    capsys: pytest.CaptureFixture[str], show_dir: Path, tone_registered: None
) -> None:
    toml = show_dir / "podcast.toml"
    toml.write_text(toml.read_text() + '\n[voice]\nengine = "tone"\n', encoding="utf-8")
    code, out, _ = run_cli(capsys, "build", str(show_dir), "--verbose", "--jobs", "2")
    assert code == 0 and "0 from the cache" in out
    shutil.rmtree(show_dir / "public")
    code, out, _ = run_cli(capsys, "build", str(show_dir), "-v")
    assert code == 0 and "sentences: 0 synthesized" in out


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_progress_line_counts_sentences_and_estimates_time_left() -> None:
    import io

    stream, moment = io.StringIO(), FakeClock()
    progress = TerminalProgress(stream, now=moment)
    progress.start([("one.md", 10), ("two.txt", 30)])
    assert "episode 1/2 one.md  0/40  estimating time left" in progress.line()
    for _ in range(10):
        moment.now += 1.0
        progress.sentence()
    progress.episode_done()
    assert "episode 2/2 two.txt  10/40  about 0:30 left" in progress.line()
    assert "[######------------------]" in progress.line()
    progress.clear()
    assert stream.getvalue().endswith("\r")
    assert clock(3725) == "1:02:05" and clock(59.6) == "1:00"
