"""Publishing under attack (issue 21): a tampered build record, a kill at any rename, full disks."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from msaudio.build import build_show
from msaudio.cache import SentenceCache
from msaudio.check import check_output
from msaudio.config import load_config
from msaudio.manifest import MANIFEST_NAME, OutputWarning
from msaudio.publish import atomic
from tests.helpers import NOW, REPO, SHOW_TOML, ToneEngine, run_cli, unhashed
from tests.integration.test_incremental import LONGER

BASE = "https://podcasts.example.org/ms/"


def edit_article(show: Path, old: str = "warm afternoon", new: str = "hot summer day") -> None:
    """Change one sentence of resting-well, so its MP3 gets another length."""
    article = show / "episodes" / "resting-well.md"
    text = article.read_text("utf-8")
    assert old in text
    article.write_text(text.replace(old, new), "utf-8")


def contents(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (hidden ones too), by relative path."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def feed_files_exist(out: Path) -> int:
    """Every file the feed names exists with the length it gives; returns how many items."""
    feed = etree.parse(str(out / "feed.xml"))
    items = feed.findall("channel/item")
    for item in items:
        enclosure = item.find("enclosure")
        assert enclosure is not None
        path = out / urlsplit(enclosure.get("url", "")).path.removeprefix("/ms/")
        assert path.stat().st_size == int(enclosure.get("length", "")), path
        for element in item.iter():
            url = element.get("url") or (element.text if element.tag == "link" else None)
            if url and url.startswith(BASE):
                assert (out / url.removeprefix(BASE)).is_file(), url
    return len(items)


# --- issue 21 finding 2: a tampered build record deletes nothing outside the folder ----------


def test_a_tampered_build_record_deletes_nothing_it_should_not(show_dir: Path) -> None:
    config, out = load_config(show_dir), show_dir / "public"
    build_show(config, out, engine=ToneEngine(), now=NOW)
    outside = show_dir.parent / "precious.txt"
    outside.write_text("the producer's own notes", "utf-8")
    elsewhere = show_dir.parent / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "kept.0123456789.mp3").write_bytes(b"not msaudio's")
    (out / "episodes" / "linked.0123456789.mp3").symlink_to(elsewhere / "kept.0123456789.mp3")
    record_path = out / MANIFEST_NAME
    record = json.loads(record_path.read_text("utf-8"))
    (entry,) = record["episodes"].values()

    def forged(slug: str, **paths: str) -> dict[str, object]:
        episode = {**entry["episode"], "slug": slug, **paths}
        return {"fingerprint": "0" * 64, "episode": episode}

    record["episodes"].update(
        {
            # Articles that are gone, so the removal of their files is asked for.
            "gone": forged("gone", audio_path="../../precious.txt"),
            "absolute": forged("absolute", transcript_path=str(outside)),
            "climbing": forged("climbing", chapters_path="episodes/../../precious.txt"),
            "other": forged("other", audio_path="episodes/resting-well.0123456789.mp3"),
            "linked": forged("linked", audio_path="episodes/linked.0123456789.mp3"),
            "../../x": forged("../../x"),
        }
    )
    record_path.write_text(json.dumps(record), "utf-8")

    with pytest.warns(OutputWarning) as warned:
        result = build_show(config, out, engine=ToneEngine(), now=NOW)
    assert not result.failures and result.reused == ["resting-well"]
    messages = sorted(str(w.message) for w in warned)
    assert len(messages) == 6 and all(m.startswith(f"{record_path}: ignored, ") for m in messages)
    assert any("leads outside the output folder" in m for m in messages)
    assert outside.read_text("utf-8") == "the producer's own notes"
    assert (elsewhere / "kept.0123456789.mp3").read_bytes() == b"not msaudio's"
    assert check_output(out) == []


# --- issue 21 finding 5: killed at any rename or deletion, the feed is right ---------------

DRIVER = r"""
import os, shutil, sys
from pathlib import Path

sys.path.insert(0, sys.argv[3])
from msaudio.build import build_show
from msaudio.cache import SentenceCache
from msaudio.config import load_config
from tests.helpers import NOW, ToneEngine

KILLED = 86
snapshot, runs = Path(sys.argv[1]), Path(sys.argv[2])


def build(folder: Path, kill_at: int) -> int:
    # A forked child: killed (os._exit, nothing cleaned up) at its kill_at-th file operation.
    pid = os.fork()
    if pid:
        return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
    try:
        count = 0

        def killing(real):
            def operation(*args, **kwargs):
                nonlocal count
                count += 1
                if count == kill_at:
                    os._exit(KILLED)
                return real(*args, **kwargs)
            return operation

        for name in ("replace", "rename", "unlink", "remove"):
            setattr(os, name, killing(getattr(os, name)))
        config = load_config(folder / "show")
        cache = SentenceCache(folder / "cache")
        result = build_show(config, folder / "show" / "public", engine=ToneEngine(), now=NOW,
                            jobs=1, cache=cache)
        (folder / "operations").write_text(str(count))
        os._exit(3 if result.failures else 0)
    except BaseException:
        os._exit(4)


shutil.copytree(snapshot, runs / "0", symlinks=True)
assert build(runs / "0", 0) == 0
total = int((runs / "0" / "operations").read_text())
codes = []
for k in range(1, total + 1):
    shutil.copytree(snapshot, runs / str(k), symlinks=True)
    codes.append(build(runs / str(k), k))
print(total, " ".join(map(str, codes)))
"""


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the kills are forked children")
def test_a_kill_at_any_rename_or_deletion_leaves_a_valid_feed(
    show_dir: Path, tmp_path: Path
) -> None:
    """A rebuild where an article's text changed, killed at each of its file renames and
    deletions in turn: each time the published feed names files that exist, of exactly
    the lengths it gives, and check finds nothing wrong; the next build recovers and
    leaves the folder exactly as an uninterrupted build does."""
    (show_dir / "episodes" / "walking-aids.md").write_text(LONGER, encoding="utf-8")
    snapshot = tmp_path / "snapshot"
    cache = snapshot / "cache"
    shutil.move(show_dir, snapshot / "show")
    show = snapshot / "show"
    build_show(
        load_config(show), show / "public", engine=ToneEngine(), now=NOW, cache=SentenceCache(cache)
    )
    first = contents(show / "public")
    # A whole sentence more: the new MP3 and its book are longer than the published MP3, so
    # between the page's switch and the feed's, the page's book outlasts the feed's MP3.
    edit_article(show, "warm afternoon", "warm afternoon. Lie down in a cool room for a while")

    runs = tmp_path / "runs"
    runs.mkdir()
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(snapshot), str(runs), str(REPO)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    total_text, _, codes_text = done.stdout.strip().partition(" ")
    total, codes = int(total_text), [int(c) for c in codes_text.split()]
    assert total >= 8, total  # MP3, transcript, chapters, pages, feed, record, old versions...
    assert codes.count(86) >= total - 2, codes  # each a kill (the last few may race a thread)

    reference = runs / "0" / "show" / "public"
    expected = contents(reference)
    assert expected.keys() != first.keys()  # the new version has new names
    old_mp3 = {n for n in first if unhashed(n) == "episodes/resting-well.mp3"}
    for k in range(1, total + 1):
        out = runs / str(k) / "show" / "public"
        assert check_output(out) == [], f"killed at operation {k} of {total}"
        assert feed_files_exist(out) == 2
        names = {f"episodes/{p.name}" for p in (out / "episodes").glob("resting-well.*.mp3")}
        assert names & (old_mp3 | set(expected)), names  # the old version, the new, or both

        result = build_show(
            load_config(runs / str(k) / "show"),
            out,
            engine=ToneEngine(),
            now=NOW,
            cache=SentenceCache(runs / str(k) / "cache"),
        )
        assert not result.failures
        assert contents(out) == expected, f"recovering from a kill at operation {k}"


# --- issue 21 finding 6: full disks -----------------------------------------------------


def test_a_cache_that_cannot_be_written_is_one_warning_not_a_failed_episode(
    show_dir: Path,
    tone_registered: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    sentence_cache: Path,
) -> None:
    import msaudio.cache

    def full(self: object, name: str, payload: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(sentence_cache / name))

    monkeypatch.setattr(msaudio.cache._FolderStore, "write", full)
    (show_dir / "episodes" / "walking-aids.md").write_text(LONGER, encoding="utf-8")
    code, _, err = run_cli(capsys, "build", str(show_dir), "--engine", "tone", "-q")
    assert code == 0, err
    assert err.splitlines() == [
        f"warning: {sentence_cache}: cannot store sentences in the sentence cache "
        "(No space left on device); building without it"
    ]
    assert check_output(show_dir / "public") == []
    assert feed_files_exist(show_dir / "public") == 2


def full_disk_for(monkeypatch: pytest.MonkeyPatch, doomed: object) -> None:
    """Make creating a temporary file for a target ``doomed(target)`` says fail, as a full
    disk does (its error names the hidden temporary file)."""
    real = atomic._temp_file

    def temp_file(target: Path) -> tuple[int, str]:
        if doomed(target):  # type: ignore[operator]
            hidden = target.with_name(f".{target.name}.{os.getpid()}-7.tmp")
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(hidden))
        return real(target)

    monkeypatch.setattr(atomic, "_temp_file", temp_file)


def test_a_full_output_disk_while_writing_an_episode_is_one_line_naming_the_article(
    show_dir: Path,
    tone_registered: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = show_dir / "public"
    assert run_cli(capsys, "build", str(show_dir), "--engine", "tone", "-q")[0] == 0
    before = contents(out)
    edit_article(show_dir)
    full_disk_for(monkeypatch, lambda target: target.parent == out / "episodes")
    code, _, err = run_cli(capsys, "build", str(show_dir), "--engine", "tone", "-q")
    assert code == 1
    article = show_dir / "episodes" / "resting-well.md"
    assert err.splitlines() == [
        f"error: {article}: cannot write its episode "
        f"(No space left on device: {out / 'episodes' / 'resting-well.mp3'})"
    ]
    assert contents(out) == before  # the published show as it was
    assert check_output(out) == []


def test_a_full_output_disk_while_writing_the_feed_is_one_line_naming_the_feed(
    show_dir: Path,
    tone_registered: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = show_dir / "public"
    assert run_cli(capsys, "build", str(show_dir), "--engine", "tone", "-q")[0] == 0
    feed = (out / "feed.xml").read_bytes()
    edit_article(show_dir)
    full_disk_for(monkeypatch, lambda target: target.name == "feed.xml")
    code, _, err = run_cli(capsys, "build", str(show_dir), "--engine", "tone", "-q")
    assert code == 1
    assert err.splitlines() == [
        f"error: {out / 'feed.xml'}: cannot publish (No space left on device); "
        "the published feed was not changed"
    ]
    assert (out / "feed.xml").read_bytes() == feed
    assert check_output(out) == []  # the pages name new files, which are there
    monkeypatch.undo()
    code, _, err = run_cli(capsys, "build", str(show_dir), "--engine", "tone", "-q")
    assert code == 0, err
    assert check_output(out) == [] and (out / "feed.xml").read_bytes() != feed
    assert len(list((out / "episodes").glob("resting-well.*.mp3"))) == 1  # old one swept


def test_a_full_disk_for_the_new_cover_is_one_line_and_changes_nothing(
    show_dir: Path,
    tone_registered: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = show_dir / "public"
    assert run_cli(capsys, "build", str(show_dir), "--engine", "tone", "-q")[0] == 0
    before = contents(out)
    toml = show_dir / "podcast.toml"
    toml.write_text(toml.read_text("utf-8").replace("Test Show", "Rest Show"), "utf-8")
    full_disk_for(monkeypatch, lambda target: target.name == "cover.jpg")
    code, _, err = run_cli(capsys, "build", str(show_dir), "--engine", "tone", "-q")
    assert code == 1
    assert err.splitlines() == [
        f"error: cannot publish (No space left on device: {out / 'cover.jpg'}); "
        "the published show was not changed"
    ]
    assert contents(out) == before


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 2 MB tmpfs (needs root and mount(8)); skipped, saying why, where there is none."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if sys.platform != "linux" or shutil.which("mount") is None:
        pytest.skip("a real full disk needs Linux's mount -t tmpfs")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a 2 MB tmpfs here: {mounted.stderr.strip() or 'not root'}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=True)


def fill(disk: Path) -> Path:
    """Fill ``disk`` to the last byte; returns the file that does it."""
    filler = disk / "filler"
    with contextlib.suppress(OSError), filler.open("wb", buffering=0) as handle:
        while handle.write(b"\0" * 4096):
            pass
    return filler


def test_a_really_full_disk_for_the_output_and_the_cache(
    show_dir: Path,
    tone_registered: None,
    capsys: pytest.CaptureFixture[str],
    small_disk: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = small_disk / "public"
    toml = show_dir / "podcast.toml"
    toml.write_text(SHOW_TOML + '[voice]\nengine = "tone"\n', "utf-8")
    code, _, err = run_cli(capsys, "build", str(show_dir), "--out", str(out), "-q")
    assert code == 0, err
    before = contents(out)
    filler = fill(small_disk)
    edit_article(show_dir)
    code, _, err = run_cli(capsys, "build", str(show_dir), "--out", str(out), "-q")
    assert code == 1 and "Traceback" not in err
    (line,) = err.splitlines()
    article = show_dir / "episodes" / "resting-well.md"
    assert line.startswith(f"error: {article}: cannot write its episode (No space left on device")
    filler.unlink()
    assert contents(out) == before and check_output(out) == []

    # The sentence cache on the full disk instead: one warning, and the show publishes.
    monkeypatch.setenv("MSAUDIO_CACHE_DIR", str(small_disk / "cache"))
    filler = fill(small_disk)
    elsewhere = show_dir / "elsewhere"
    code, _, err = run_cli(capsys, "build", str(show_dir), "--out", str(elsewhere), "-q")
    assert code == 0, err
    assert err.splitlines() == [
        f"warning: {small_disk / 'cache'}: cannot store sentences in the sentence cache "
        "(No space left on device); building without it"
    ]
    assert check_output(elsewhere) == []
