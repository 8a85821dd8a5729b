"""Golden files: articles written for these tests → the exact speech script.

Each input in ``tests/golden/`` has an expected ``<name>.script`` beside it:
chapter titles, then every sentence as the transcript shows it and, when the
engine is told something else, ``  → spoken text`` under it. An input that
must be refused has a ``<name>.error`` holding the one-line message instead.

After a deliberate change, regenerate with ``MSAUDIO_UPDATE_GOLDEN=1 scripts/test
tests/unit/text/test_golden.py`` and review the diff like any other code change.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from msaudio.errors import MsaudioError
from msaudio.model import Script
from msaudio.sources import SUPPORTED_SUFFIXES, read_article
from msaudio.text.script import build_script
from tests.helpers import TESTS

GOLDEN = TESTS / "golden"
MAX_CHARS = 500  # piper's limit
UPDATE = os.environ.get("MSAUDIO_UPDATE_GOLDEN") == "1"
INPUTS = sorted(p for p in GOLDEN.iterdir() if p.suffix in SUPPORTED_SUFFIXES)


def render(script: Script) -> str:
    lines: list[str] = []
    for number, section in enumerate(script.sections, 1):
        lines.append(f"## {number}. {section.title}")
        for sentence in section.sentences:
            lines.append(sentence.display)
            if sentence.spoken != sentence.display:
                lines.append(f"  → {sentence.spoken}")
        lines.append("")
    return "\n".join(lines)


def outcome(path: Path) -> tuple[str, str]:
    """(suffix of the expected file, its content) for one input."""
    try:
        article = read_article(path)
    except MsaudioError as error:
        return ".error", str(error).replace(str(GOLDEN) + os.sep, "") + "\n"
    return ".script", render(build_script(article, MAX_CHARS))


def test_the_golden_folder_has_inputs_of_every_kind() -> None:
    assert {p.suffix for p in INPUTS} >= {".txt", ".md", ".html"}


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_golden(path: Path) -> None:
    suffix, text = outcome(path)
    expected = path.with_name(path.name + suffix)
    if UPDATE:
        for old in (path.with_name(path.name + ".script"), path.with_name(path.name + ".error")):
            old.unlink(missing_ok=True)
        expected.write_text(text, encoding="utf-8")
    assert expected.is_file(), f"no {expected.name}; run with MSAUDIO_UPDATE_GOLDEN=1 and review it"
    assert text == expected.read_text(encoding="utf-8")
