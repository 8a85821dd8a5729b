"""Shared fixtures, and the layer markers, set by each test's folder."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest

from msaudio.config import ShowConfig, load_config
from msaudio.engines import base
from tests.helpers import ARTICLE_MD, SHOW_TOML, TESTS, ToneEngine

LAYERS = ("unit", "integration", "e2e")
"""The folders under tests/, each also the marker of the tests in it."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test with its folder's layer; a test outside them, or marked by hand with
    another layer than its folder's, stops the run."""
    for item in items:
        parts = item.path.relative_to(TESTS).parts
        layer = parts[0] if len(parts) > 1 else None
        if layer not in LAYERS:
            raise pytest.UsageError(f"{item.path}: tests go in tests/{{{','.join(LAYERS)}}}/")
        own = {mark.name for mark in item.iter_markers() if mark.name in LAYERS}
        if own - {layer}:
            raise pytest.UsageError(f"{item.nodeid}: marked {sorted(own)} but is in {layer}/")
        item.add_marker(layer)


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
