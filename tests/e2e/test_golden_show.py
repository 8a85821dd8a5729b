"""Golden output: a small fixed show built with espeak-ng, compared byte for byte.

The feed, the index page, one episode page, one transcript and one chapters
file are pinned in ``tests/golden/show/``, so a refactor that changes any byte
of what listeners get fails here. The clock is fixed and the ledger is written
beforehand, so GUIDs and dates are the same in every run.

After a deliberate change, regenerate with ``MSAUDIO_UPDATE_GOLDEN=1`` and review
the diff like any other code change.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from msaudio.build import build_show
from msaudio.config import load_config
from msaudio.engines import get_engine
from msaudio.publish.ledger import LEDGER_NAME
from tests.helpers import ARTICLE_MD, NOW, SHOW_TOML, TESTS, episode_file, require_program

GOLDEN = TESTS / "golden" / "show"
UPDATE = os.environ.get("MSAUDIO_UPDATE_GOLDEN") == "1"

NEWSLETTER = """\
Heat and fatigue

Many readers wrote in about the summer. Warm rooms can make symptoms flare for a while.

A fan, a damp cloth and a cool shower before going out all help. Rest in the shade at noon.

Thank you for reading, and stay cool.
"""

LEDGER = {
    "resting-well": {
        "guid": "0c6f1a52-7f0e-4d5b-9a43-5f7c1b2e9d10",
        "number": 1,
        "published": "2026-10-01T12:00:00Z",
    },
    "heat-and-fatigue": {
        "guid": "5b2d8e61-3c4a-4f9e-8b17-2a6d0e9c4f83",
        "number": 2,
        "published": "2026-11-02T08:15:00Z",
    },
}

# A content name (``<slug>.<10 hex>.<suffix>``) as it appears in the pages and the feed.
CONTENT_NAME = re.compile(r"\b([a-z0-9-]+)\.[0-9a-f]{10}\.(mp3|vtt|chapters\.json)\b")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    require_program("espeak-ng")
    root = tmp_path_factory.mktemp("golden") / "show"
    (root / "episodes").mkdir(parents=True)
    (root / "podcast.toml").write_text(
        SHOW_TOML + '\n[voice]\nengine = "espeak"\nvoice = "en-us"\n', encoding="utf-8"
    )
    (root / "episodes" / "resting-well.md").write_text(ARTICLE_MD, encoding="utf-8")
    (root / "episodes" / "heat-and-fatigue.txt").write_text(NEWSLETTER, encoding="utf-8")
    (root / LEDGER_NAME).write_text(json.dumps(LEDGER, indent=2), encoding="utf-8")
    out = root / "public"
    config = load_config(root)
    result = build_show(config, out, engine=get_engine("espeak"), now=NOW, cache=False, jobs=1)
    assert not result.failures, result.failures
    assert sorted(result.built) == ["heat-and-fatigue", "resting-well"]
    return out


def published(out: Path) -> dict[str, bytes]:
    """The pinned files, by the name they are kept under in ``tests/golden/show``."""
    return {
        "feed.xml": (out / "feed.xml").read_bytes(),
        "index.html": (out / "index.html").read_bytes(),
        "resting-well.html": (out / "episodes" / "resting-well.html").read_bytes(),
        "resting-well.vtt": episode_file(out, "resting-well", ".vtt").read_bytes(),
        "resting-well.chapters.json": episode_file(
            out, "resting-well", ".chapters.json"
        ).read_bytes(),
    }


@pytest.mark.parametrize(
    "name",
    [
        "feed.xml",
        "index.html",
        "resting-well.html",
        "resting-well.vtt",
        "resting-well.chapters.json",
    ],
)
def test_published_bytes_are_unchanged(built: Path, name: str) -> None:
    actual = published(built)[name]
    expected = GOLDEN / name
    if UPDATE:
        GOLDEN.mkdir(parents=True, exist_ok=True)
        expected.write_bytes(actual)
    assert expected.is_file(), f"no {expected}; run with MSAUDIO_UPDATE_GOLDEN=1 and review it"
    assert actual == expected.read_bytes()


def test_the_pinned_files_name_the_audio_they_were_built_with(built: Path) -> None:
    """The content names in the feed are the files published beside it."""
    feed = (built / "feed.xml").read_text(encoding="utf-8")
    names = {match.group(0) for match in CONTENT_NAME.finditer(feed)}
    assert names and all((built / "episodes" / name).is_file() for name in names)
