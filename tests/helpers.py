"""What the tests share besides fixtures: a fake engine, a small show, the CLI, paths."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import numpy as np
import pytest

from msaudio.cli import main
from msaudio.engines.base import Samples, VoiceInfo
from msaudio.model import Article

TESTS = Path(__file__).resolve().parent
"""This folder: the test layers, and the data they share (``data/``, ``golden/``, ``corpus/``)."""
REPO = TESTS.parent
E2E = TESTS / "e2e"
"""The end-to-end tests: the only ones that drive programs from outside the virtualenv."""
NOW = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)


class ToneEngine:
    """Deterministic stand-in for a voice: a quiet tone, 20 ms per character of text."""

    name = "tone"
    needs_network = False
    max_chars = 200
    version = "1"
    rate = 16000
    seconds_per_char = 0.02

    def __init__(self) -> None:
        self.calls: list[str] = []

    def voices(self) -> list[VoiceInfo]:
        return [VoiceInfo("tone", "en-us")]

    def sample_rate(self, voice: str | None) -> int:
        return self.rate

    def synthesize(self, text: str, voice: str | None, speed: float) -> Iterator[Samples]:
        self.calls.append(text)
        count = round(len(text) * self.seconds_per_char / speed * self.rate)
        t = np.arange(count) / self.rate
        yield (np.sin(2 * np.pi * 220 * t) * 6000).astype(np.int16)


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run ``msaudio ARGS`` through its real entry point: exit code, stdout, stderr."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


SHOW_TOML = """\
[show]
title = "Test Show"
description = "A show made by the tests."
author = "Test Author"
base_url = "https://podcasts.example.org/ms/"
"""

ARTICLE_MD = """\
---
title: Resting well
author: Ada Writer
date: 2026-10-01
summary: Why short rests help.
---

Short rests spread through the day help many people with MS.

## Planning

Plan the hardest task for the hour you feel strongest. Then stop before you are tired.

## Cooling

A cool drink helps on a warm afternoon.
"""


def all_text(article: Article) -> str:
    """Every readable string of an article, blocks and list items included."""
    parts = [article.title]
    for block in article.blocks:
        parts.append(block.text)
        parts.extend(block.items)
    return "\n".join(parts)


def require_program(name: str) -> str:
    """Path of an installed program an end-to-end test drives.

    Only tests in ``tests/e2e/`` may ask for one, so that ``pytest -m "not e2e"`` runs
    everything that needs no more than the virtualenv. ``scripts/test`` installs these
    programs; when one is still missing, the test fails (it is not skipped).
    """
    caller = Path(sys._getframe(1).f_code.co_filename).resolve()
    if not caller.is_relative_to(E2E):
        pytest.fail(f"{caller}: a test that drives {name} belongs in {E2E}")
    path = shutil.which(name)
    if path:
        return path
    missing(f"{name} is not installed; scripts/test installs it with apt-get where it can")


def missing(hint: str) -> NoReturn:
    """Fail an end-to-end test whose program is not there, saying how to leave them out."""
    pytest.fail(f'{hint} (pytest -m "not e2e" leaves out the end-to-end tests)')


def xattrs_work(folder: Path) -> bool:
    """Whether files in ``folder`` can carry msaudio's stamps (extended attributes)."""
    from msaudio.publish.atomic import STAMP_ATTRIBUTE

    probe = folder / "probe"
    probe.write_bytes(b"")
    try:
        os.setxattr(probe, STAMP_ATTRIBUTE, b"x")
    except (AttributeError, OSError):
        return False
    finally:
        probe.unlink()
    return True


def episode_file(out: Path, slug: str, suffix: str = ".mp3") -> Path:
    """The one published file of episode ``slug`` ending in ``suffix``: published files are
    named by their content (``episodes/<slug>.<hash>.mp3``), so a test finds them here."""
    pattern = re.compile(rf"{re.escape(slug)}\.[0-9a-f]{{10}}{re.escape(suffix)}")
    found = [p for p in (out / "episodes").glob(f"{slug}.*") if pattern.fullmatch(p.name)]
    assert len(found) == 1, (slug, suffix, sorted(p.name for p in found))
    return found[0]


def unhashed(name: str) -> str:
    """A published file's name without its content hash: ``a.0123456789.mp3`` → ``a.mp3``."""
    return re.sub(r"\.[0-9a-f]{10}(?=\.)", "", name)
