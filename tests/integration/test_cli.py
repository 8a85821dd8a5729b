"""The CLI through its real entry point: exit codes, one-line errors, commands."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.helpers import episode_file
from tests.helpers import run_cli as run


@pytest.fixture(autouse=True)
def _tone(tone_registered: None) -> None:
    """Every CLI test may name the fake engine."""


def test_init_then_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    show = tmp_path / "new-show"
    code, out, _ = run(capsys, "init", str(show))
    assert code == 0 and "podcast.toml" in out
    assert (show / "episodes" / "welcome-to-the-show.md").is_file()
    code, out, err = run(capsys, "build", str(show), "--engine", "tone")
    assert code == 0, err
    assert "published 1 episode " in out
    assert (show / "public" / "feed.xml").is_file()
    assert episode_file(show / "public", "welcome-to-the-show").is_file()


def test_init_never_overwrites(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "init", str(tmp_path))
    code, _, err = run(capsys, "init", str(tmp_path))
    assert code == 2
    assert err.strip().count("\n") == 0 and "already exists" in err


def test_build_options_override_the_file(
    show_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = show_dir.parent / "elsewhere"
    code, _, err = run(
        capsys,
        "build",
        str(show_dir),
        "--engine",
        "tone",
        "--out",
        str(out),
        "--base-url",
        "https://cdn.example.net/show",
        "--quiet",
    )
    assert code == 0, err
    mp3 = episode_file(out, "resting-well").name
    feed = (out / "feed.xml").read_bytes()
    assert f"https://cdn.example.net/show/episodes/{mp3}".encode() in feed


def test_failures_exit_1_with_one_line_each(
    show_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (show_dir / "episodes" / "binary.txt").write_bytes(b"\x00\x01\x02" * 10)
    code, _, err = run(capsys, "build", str(show_dir), "--engine", "tone", "-q")
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "binary.txt: " in lines[0]
    assert "Traceback" not in err
    assert episode_file(show_dir / "public", "resting-well").is_file()


def test_config_errors_exit_2(show_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (show_dir / "podcast.toml").write_text("[show]\ntitle = 5\n", encoding="utf-8")
    code, _, err = run(capsys, "build", str(show_dir))
    assert code == 2
    assert "key 'show.title': found 5" in err and "Traceback" not in err


def test_unreadable_music_exits_2_naming_the_file(
    show_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = show_dir / "podcast.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8") + '[audio]\nintro_music = "jingle.wav"\n', encoding="utf-8"
    )
    (show_dir / "jingle.wav").write_bytes(b"not audio at all")
    code, _, err = run(capsys, "build", str(show_dir), "--engine", "tone")
    assert code == 2
    (line,) = err.strip().splitlines()
    assert "jingle.wav" in line and "cannot read music" in line
    assert not (show_dir / "public").exists()  # nothing written


def test_unknown_engine_lists_the_known_ones(
    show_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "build", str(show_dir), "--engine", "nope")
    assert code == 2
    assert "unknown engine 'nope'" in err and "piper" in err and "tone" in err


def test_script_and_voices(show_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "script", str(show_dir / "episodes" / "resting-well.md"), "--engine", "tone"
    )
    assert code == 0
    assert out.startswith("## 1. Resting well\nResting well.\nWritten by Ada Writer.\n")
    assert "## 2. Planning" in out


def test_voices_lists_every_engine_with_its_state(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "voices")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("piper (default): offline, installed, version ")
    assert lines[1].split() == ["en_US-joe-medium", "en-us", "installed"]
    assert any(line.startswith("gtts: online (needs internet), installed") for line in lines)
    gtts_at = next(i for i, line in enumerate(lines) if line.startswith("gtts"))
    assert re.fullmatch(r"  \d\d voices: en, af, .* \(--all lists them\)", lines[gtts_at + 1])
    espeak = next(line for line in lines if line.startswith("espeak"))
    assert espeak.startswith(("espeak: offline, installed", "espeak: unavailable (espeak needs"))
    assert "tone: offline, installed, version 1" in lines
    assert len(lines) < 20

    code, every, _ = run(capsys, "voices", "--all")
    assert code == 0
    assert len(every.splitlines()) > 60
    for language in ("en", "fr-CA", "zh-TW", "cy"):
        assert f"  {language}" in every


def test_say_without_a_show(
    tmp_path: Path,
    show_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "one.mp3"
    code, out, err = run(
        capsys,
        "say",
        str(show_dir / "episodes" / "resting-well.md"),
        "-o",
        str(target),
        "--engine",
        "tone",
    )
    assert code == 0, err
    assert target.stat().st_size > 1000 and "wrote" in out


def test_non_utf8_articles_warn_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "latin.txt"
    article.write_bytes("Café notes\n\nThe café was calm. We rested there.\n".encode("cp1252"))
    code, out, err = run(capsys, "script", str(article), "--engine", "tone")
    assert code == 0 and "The café was calm." in out
    assert err.startswith(f"warning: {article}: ") and err.count("\n") == 1


def test_other_files_are_named_and_a_missing_folder_is_an_error(
    show_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (show_dir / "episodes" / "notes.odt").write_bytes(b"PK")
    code, _, err = run(capsys, "build", str(show_dir), "--engine", "tone", "-q")
    assert code == 0
    assert f"warning: {show_dir / 'episodes' / 'notes.odt'}: not an article" in err
    (show_dir / "episodes" / "notes.odt").unlink()
    (show_dir / "episodes" / "resting-well.md").unlink()
    (show_dir / "episodes").rmdir()
    code, _, err = run(capsys, "build", str(show_dir), "--engine", "tone", "-q")
    assert code == 2 and "episodes: no such folder" in err
