"""Shared fixtures: a fake engine, a tiny show folder, and the repository paths."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from msaudio.cli import main
from msaudio.config import ShowConfig, load_config
from msaudio.engines import base
from msaudio.engines.base import Samples, VoiceInfo
from msaudio.model import Article

REPO = Path(__file__).resolve().parent.parent
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


@pytest.fixture(autouse=True)
def sentence_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Every test gets its own empty sentence cache, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("MSAUDIO_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def tone_engine() -> ToneEngine:
    return ToneEngine()


@pytest.fixture
def tone_registered() -> Iterator[None]:
    """The fake engine registered as "tone", for tests that go through the CLI."""
    base.register("tone", ToneEngine)
    yield
    base._registered.pop("tone", None)


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


@pytest.fixture
def show_dir(tmp_path: Path) -> Path:
    root = tmp_path / "show"
    (root / "episodes").mkdir(parents=True)
    (root / "podcast.toml").write_text(SHOW_TOML, encoding="utf-8")
    (root / "episodes" / "resting-well.md").write_text(ARTICLE_MD, encoding="utf-8")
    return root


@pytest.fixture
def show_config(show_dir: Path) -> ShowConfig:
    return load_config(show_dir)


def all_text(article: Article) -> str:
    """Every readable string of an article, blocks and list items included."""
    parts = [article.title]
    for block in article.blocks:
        parts.append(block.text)
        parts.extend(block.items)
    return "\n".join(parts)


def require_program(name: str) -> str:
    """Path of an installed program an end-to-end test drives.

    ``scripts/test`` installs these; when one is still missing the test fails,
    unless ``MSAUDIO_E2E=skip`` says to skip it (and pytest reports the skip).
    """
    import os
    import shutil

    path = shutil.which(name)
    if path:
        return path
    hint = f"{name} is not installed; scripts/test installs it with apt-get where it can"
    if os.environ.get("MSAUDIO_E2E") == "skip":
        pytest.skip(hint)
    pytest.fail(f"{hint} (set MSAUDIO_E2E=skip to skip the end-to-end tests)")


def xattrs_work(folder: Path) -> bool:
    """Whether files in ``folder`` can carry msaudio's stamps (extended attributes)."""
    import os

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


_buckets = itertools.count()


@pytest.fixture(scope="session")
def s3_endpoint() -> Iterator[str]:
    """An S3-compatible server (moto's) on loopback, for the whole session."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3_bucket(
    s3_endpoint: str, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> str:
    """A new, empty bucket on the loopback S3 server, anyone may read (as a podcast host's
    is); the environment points S3 clients at the server with dummy credentials."""
    import json
    import re

    import boto3

    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": s3_endpoint,
        "AWS_CONFIG_FILE": "/nonexistent",
        "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        "AWS_EC2_METADATA_DISABLED": "true",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    name = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:50]
    bucket = f"{name}-{next(_buckets)}"
    client = boto3.client("s3")
    client.create_bucket(Bucket=bucket)
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/*",
            }
        ],
    }
    client.put_bucket_policy(Bucket=bucket, Policy=json.dumps(policy))
    return bucket


def episode_file(out: Path, slug: str, suffix: str = ".mp3") -> Path:
    """The one published file of episode ``slug`` ending in ``suffix``: published files are
    named by their content (``episodes/<slug>.<hash>.mp3``), so a test finds them here."""
    import re

    pattern = re.compile(rf"{re.escape(slug)}\.[0-9a-f]{{10}}{re.escape(suffix)}")
    found = [p for p in (out / "episodes").glob(f"{slug}.*") if pattern.fullmatch(p.name)]
    assert len(found) == 1, (slug, suffix, sorted(p.name for p in found))
    return found[0]


def unhashed(name: str) -> str:
    """A published file's name without its content hash: ``a.0123456789.mp3`` → ``a.mp3``."""
    import re

    return re.sub(r"\.[0-9a-f]{10}(?=\.)", "", name)
