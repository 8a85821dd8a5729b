"""Reliability: bad input, killed builds and lost folders never cost a published episode."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from lxml import etree

from msaudio.build import build_show
from msaudio.check import check_output
from msaudio.config import load_config
from msaudio.engines.base import ENTRY_POINT_GROUP
from msaudio.errors import ConfigError
from msaudio.publish.site import exclusive
from msaudio.sources.common import MAX_TEXT_CHARS
from tests.helpers import NOW, SHOW_TOML, ToneEngine, episode_file, run_cli, unhashed

NS = {"itunes": "http://www.itunes.com/dtds/podcast-1.0.dtd"}

# --- bad input: each named in one line, the rest published -------------------------------

LATIN1_ARTICLE = (
    "Café chats for people with MS\n\n"
    "Our Thursday café meets at ten. You’re welcome to bring a friend or a carer.\n"
    "The crème brûlée is good, and the room is cool and quiet.\n"
)
"""A Word export saved as Windows-1252: curly quotes and accents that UTF-8 rejects."""

GOOD_TEXT = """\
{title}

Short rests through the day help many people with MS. A cool room helps too.
"""


def write_bad_inputs(episodes: Path) -> dict[str, str]:
    """Every kind of bad article; returns file name → what its error line must say."""
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x05x" + random.Random(1).randbytes(600)
    noise = bytes(b or 1 for b in random.Random(2).randbytes(4096))  # no NUL to give it away
    huge = ("A sentence about pacing that goes on and on. " * 120 + "\n\n") * 1000
    assert len(huge) > 5_000_000
    files: dict[str, tuple[bytes, str]] = {
        "empty.txt": (b"", "file is empty"),
        "photo.txt": (png, "binary file"),
        "noise.txt": (noise, "cannot tell the text encoding"),
        "subscribe.txt": (
            b"Click HERE to Subscribe\n\nShare on Facebook\n\nTweet\n\n"
            b"https://example.org/newsletter?utm_source=mail\n",
            "no readable text",
        ),
        "unclosed.md": (b"---\ntitle: Never closed\n\nThe body.\n", "never closed"),
        "bad-yaml.md": (b"---\ntitle: [unclosed\n---\nThe body.\n", "invalid YAML front matter"),
        "list-title.md": (
            b"---\ntitle:\n  - one\n  - two\n---\nThe body text.\n",
            "front matter title: found a list ['one', 'two'], expected text",
        ),
        "huge.txt": (huge.encode(), f"at most {MAX_TEXT_CHARS:,} characters"),
        # "Resting Well" maps to resting-well, which resting-well.md (already named so) owns.
        "Resting Well.txt": (
            GOOD_TEXT.format(title="Resting well, again").encode(),
            "episode name 'resting-well' is already taken by 'resting-well.md'; rename one",
        ),
    }
    for name, (data, _) in files.items():
        (episodes / name).write_bytes(data)
    return {name: message for name, (_, message) in files.items()}


def test_bad_inputs_are_named_in_one_line_each_and_the_rest_publish(
    show_dir: Path, tone_registered: None, capsys: pytest.CaptureFixture[str]
) -> None:
    toml = show_dir / "podcast.toml"
    toml.write_text(SHOW_TOML + '[voice]\nengine = "tone"\n', encoding="utf-8")
    episodes = show_dir / "episodes"
    expected = write_bad_inputs(episodes)
    (episodes / "latin1-export.txt").write_bytes(LATIN1_ARTICLE.encode("cp1252"))
    # Names that are not errors: they publish under a URL-safe ASCII slug.
    safe_names = {
        "Café à la carte.md": "cafe-a-la-carte",  # non-ASCII letters and spaces
        "Notes from the clinic.txt": "notes-from-the-clinic",  # spaces
        "heat..and fatigue.txt": "heat-and-fatigue",  # '..' cannot climb out of episodes/
    }
    for name in safe_names:
        title = name.rsplit(".", 1)[0]
        (episodes / name).write_text(GOOD_TEXT.format(title=title), encoding="utf-8")

    started = time.monotonic()
    code, _, err = run_cli(capsys, "build", str(show_dir))
    assert time.monotonic() - started < 30  # the 5 MB article is refused, not narrated

    assert code == 1
    assert "Traceback" not in err
    lines = err.splitlines()
    for name, message in expected.items():
        (line,) = [line for line in lines if f"{episodes / name}: " in line]
        assert line.startswith(f"error: {episodes / name}: "), line
        assert message in line, line
    (warning,) = [line for line in lines if "latin1-export.txt" in line]
    assert warning == (
        f"warning: {episodes / 'latin1-export.txt'}: not valid UTF-8; decoded as cp1252. "
        "Save the file as UTF-8 to be sure."
    )
    assert len(lines) == len(expected) + 1  # nothing else, and nothing on two lines

    out = show_dir / "public"
    assert check_output(out) == []
    published = {"resting-well", "latin1-export", *safe_names.values()}
    assert {unhashed(p.name)[:-4] for p in (out / "episodes").glob("*.mp3")} == published
    feed = etree.parse(str(out / "feed.xml"))
    titles = {item.findtext("title") for item in feed.iter("item")}
    assert {"Resting well", "Café chats for people with MS", "Café à la carte"} <= titles
    assert "Resting well, again" not in titles
    assert "crème brûlée" in episode_file(out, "latin1-export", ".vtt").read_text("utf-8")


def test_an_unexpected_crash_in_one_article_is_one_line_and_the_rest_publish(
    show_dir: Path,
    tone_registered: None,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A bug met by one article (here a reader that raises) costs that article only."""
    import msaudio.build
    from msaudio.sources import read_article as real

    def crashing(path: Path, *args: object, **kwargs: object) -> object:
        if path.name == "trigger.md":
            raise IndexError("list index out of range")
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(msaudio.build, "read_article", crashing)
    (show_dir / "episodes" / "trigger.md").write_text("# Trigger\n\nSome text.\n")
    code, _, err = run_cli(capsys, "build", str(show_dir), "--engine", "tone", "-q")
    assert code == 1
    (line,) = err.splitlines()
    assert line.startswith(f"error: {show_dir / 'episodes' / 'trigger.md'}: unexpected IndexError")
    assert episode_file(show_dir / "public", "resting-well").is_file()

    code, _, err = run_cli(capsys, "--debug", "build", str(show_dir), "--engine", "tone", "-q")
    assert code == 1
    assert "Traceback (most recent call last)" in err
    assert err.rstrip().endswith("IndexError: list index out of range")


def test_a_second_build_of_the_same_show_at_once_is_refused(show_dir: Path) -> None:
    config = load_config(show_dir)
    with exclusive(show_dir), pytest.raises(ConfigError, match="another msaudio build"):
        build_show(config, show_dir / "public", engine=ToneEngine(), now=NOW)
    build_show(config, show_dir / "public", engine=ToneEngine(), now=NOW)  # free again


# --- killed builds: the feed is always valid, and the next build recovers ---------------

SLOW_ENGINE = '''\
"""msaudio-slow: a deterministic engine that takes its time, like a real voice."""

import time

import numpy as np

from msaudio.engines import VoiceInfo


class SlowEngine:
    name = "slow"
    needs_network = False
    max_chars = 200
    version = "1"

    def voices(self):
        return [VoiceInfo("slow", "en-us")]

    def sample_rate(self, voice):
        return 16000

    def synthesize(self, text, voice, speed):
        time.sleep(0.03)
        t = np.arange(round(len(text) * 0.02 / speed * 16000)) / 16000
        yield (np.sin(2 * np.pi * 200 * t) * 5000).astype(np.int16)
'''

PARAGRAPH = (
    "Heat can bring old symptoms back for a while. The effect passes when the body cools. "
    "A damp cloth on the neck helps some people. Others keep a fan by the bed. "
)

Moment = Callable[[float, set[str]], bool]
"""When to kill a build: from the fraction of a whole build's time gone, and the files of the
output folder (``feed.xml``, ``episodes/first.mp3``...) new or replaced since it started."""


def episode_files(changed: set[str]) -> int:
    return sum(1 for name in changed if name.startswith("episodes/"))


KILL_WHEN: dict[str, Moment] = {
    "while starting": lambda spent, changed: spent >= 0.15,
    "while speaking": lambda spent, changed: spent >= 0.45,
    "with one episode done": lambda spent, changed: episode_files(changed) == 3,
    "with both episodes done": lambda spent, changed: episode_files(changed) == 6,
    "with the pages half done": lambda spent, changed: episode_files(changed) == 7,
    "with the feed published": lambda spent, changed: "feed.xml" in changed,
}
"""States the build is seen to reach, or early fractions of its time, so that each lands
where it should however fast this computer is. (A kill at each single rename is
test_a_kill_at_any_rename_or_deletion_leaves_a_valid_feed, in test_publishing.py.)"""


@pytest.fixture
def slow_engine(tmp_path: Path) -> Path:
    """The msaudio-slow package laid out as pip installs it; put its folder on PYTHONPATH."""
    site = tmp_path / "site-packages"
    site.mkdir()
    (site / "msaudio_slow.py").write_text(SLOW_ENGINE, encoding="utf-8")
    info = site / "msaudio_slow-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: msaudio-slow\nVersion: 0.1\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        f"[{ENTRY_POINT_GROUP}]\nslow = msaudio_slow:SlowEngine\n", encoding="utf-8"
    )
    return site


def start_build(show: Path, site: Path, cache: Path) -> subprocess.Popen[bytes]:
    path = os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path, "MSAUDIO_CACHE_DIR": str(cache)}
    command = [sys.executable, "-m", "msaudio", "build", str(show), "-q", "--jobs", "1"]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def finish(process: subprocess.Popen[bytes]) -> None:
    _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err.decode()
    assert err == b""


def kill_when(process: subprocess.Popen[bytes], moment: Moment, whole: float, out: Path) -> bool:
    """SIGKILL ``process`` at ``moment`` (watching ``out``); whether it was still running."""
    started, before = time.monotonic(), _files(out)
    while process.poll() is None:
        now = _files(out)
        changed = {name for name, state in now.items() if before.get(name) != state}
        if moment((time.monotonic() - started) / whole, changed):
            process.send_signal(signal.SIGKILL)
            process.communicate()
            return process.returncode == -signal.SIGKILL
        time.sleep(0.002)
    process.communicate()
    return False


def _files(out: Path) -> dict[str, tuple[int, int, int]]:
    """Path → (inode, size, modification time) of the files in ``out`` and ``out/episodes``,
    temporary ones aside."""
    found = {}
    for prefix in ("", "episodes/"):
        with os.scandir(out / prefix) as entries:
            for entry in entries:
                if entry.is_file(follow_symlinks=False) and not entry.name.endswith(".tmp"):
                    with contextlib.suppress(FileNotFoundError):
                        info = entry.stat(follow_symlinks=False)
                        state = (info.st_ino, info.st_size, info.st_mtime_ns)
                        found[prefix + entry.name] = state
    return found


def files_in(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}


def versions_in(folder: Path) -> set[str]:
    """The visible files, each episode file without its content hash (so one per episode)."""
    return {unhashed(n) for n in files_in(folder) if not n.startswith((".", "episodes/."))}


def enclosures_present(out: Path) -> None:
    """Every enclosure the feed lists is there, with the length the feed gives."""
    feed = etree.parse(str(out / "feed.xml"))
    enclosures = feed.findall("channel/item/enclosure")
    assert len(enclosures) == 3
    for enclosure in enclosures:
        path = out / urlsplit(enclosure.get("url", "")).path.removeprefix("/ms/")
        assert path.stat().st_size == int(enclosure.get("length", "")), path


def test_killed_builds_leave_a_valid_feed_and_the_next_build_recovers(
    tmp_path: Path, slow_engine: Path
) -> None:
    show = tmp_path / "show"
    (show / "episodes").mkdir(parents=True)
    (show / "podcast.toml").write_text(SHOW_TOML + '[voice]\nengine = "slow"\n', "utf-8")
    # The third article is the longest: while it is narrated, the first is already done.
    paragraphs = {"first": 1, "second": 1, "third": 4}

    def write(name: str, extra: str = "") -> None:
        body = "\n\n".join([PARAGRAPH] * paragraphs[name] + [extra])
        (show / "episodes" / f"{name}.txt").write_text(f"The {name} article\n\n{body}\n", "utf-8")

    for name in paragraphs:
        write(name)
    out = show / "public"
    finish(start_build(show, slow_engine, tmp_path / "cache-0"))
    assert check_output(out) == []
    published = files_in(out)
    visible = versions_in(out)

    def edit(number: int) -> None:
        """Change two articles, each to a new length (so a new MP3 size) every time."""
        for name in ("first", "third"):
            write(name, f"Rest{' and rest' * number} before you are tired.")

    # How long a build narrating the two edits takes here, from an empty sentence cache.
    edit(1)
    started = time.monotonic()
    finish(start_build(show, slow_engine, tmp_path / "cache-1"))
    whole = time.monotonic() - started
    assert check_output(out) == []

    killed = 0
    for number, (moment, when) in enumerate(KILL_WHEN.items(), start=2):
        edit(number)
        build = start_build(show, slow_engine, tmp_path / f"cache-{number}")
        killed += kill_when(build, when, whole, out)
        assert check_output(out) == [], f"killed {moment} ({whole:.1f} s in all)"
        enclosures_present(out)
        assert versions_in(out) == visible  # and perhaps new versions the feed does not name
    assert killed >= len(KILL_WHEN) - 2, "most builds should have been killed before the end"

    finish(start_build(show, slow_engine, tmp_path / "cache-last"))
    assert check_output(out) == []
    enclosures_present(out)
    # No temporary file and no version the feed does not name left behind.
    assert sorted(unhashed(name) for name in files_in(out)) == sorted(map(unhashed, published))
    last = f"Rest{' and rest' * (len(KILL_WHEN) + 1)} before you are tired."
    for name in ("first", "third"):
        transcript = episode_file(out, name, ".vtt").read_text("utf-8")
        assert last in " ".join(transcript.split())


# --- identity: GUIDs, dates and numbers survive losing the output and the cache --------


def test_identity_survives_deleting_the_output_and_the_sentence_cache(
    show_dir: Path, sentence_cache: Path
) -> None:
    config, out = load_config(show_dir), show_dir / "public"
    episodes = show_dir / "episodes"
    (episodes / "undated.txt").write_text(GOOD_TEXT.format(title="No date given"), "utf-8")
    build_show(config, out, engine=ToneEngine(), now=NOW)
    (episodes / "added-later.txt").write_text(GOOD_TEXT.format(title="Added later"), "utf-8")
    build_show(config, out, engine=ToneEngine(), now=NOW + dt.timedelta(days=7))
    assert any(sentence_cache.iterdir())
    before = (out / "feed.xml").read_bytes()

    shutil.rmtree(out)
    shutil.rmtree(sentence_cache)
    result = build_show(config, out, engine=ToneEngine(), now=NOW + dt.timedelta(days=60))
    assert sorted(result.built) == ["added-later", "resting-well", "undated"]

    def identities(feed: bytes) -> dict[str | None, tuple[str | None, ...]]:
        root = etree.fromstring(feed)
        return {
            item.findtext("title"): (
                item.findtext("guid"),
                item.findtext("pubDate"),
                item.findtext("itunes:episode", namespaces=NS),
            )
            for item in root.iter("item")
        }

    after = (out / "feed.xml").read_bytes()
    guids = {title: guid for title, (guid, _, _) in identities(before).items()}
    assert identities(after) == {
        # The article's own date (2026-10-01) at noon; the others when first published.
        "Resting well": (guids["Resting well"], "Thu, 01 Oct 2026 12:00:00 GMT", "1"),
        "No date given": (guids["No date given"], "Fri, 20 Nov 2026 09:30:00 GMT", "2"),
        "Added later": (guids["Added later"], "Fri, 27 Nov 2026 09:30:00 GMT", "3"),
    }
    assert after == before  # and so is everything else in the feed


# --- configuration errors: which key, what was found, what is expected ------------------

BASE = SHOW_TOML


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (
            BASE + '[audio]\nsentence_pause = "long"\n',
            "key 'audio.sentence_pause': found 'long', expected a number from 0.0 to 5.0",
        ),
        (BASE + '[audio]\nbitrate = "64"\n', "key 'audio.bitrate': found '64', expected one of"),
        (BASE + "[audio]\nloudness = nan\n", "key 'audio.loudness': found nan, expected a number"),
        (BASE + "[audio.extra]\nx = 1\n", "unknown key 'audio.extra'; known keys: bitrate"),
        (
            BASE + "[voice]\nengine = 5\n",
            "key 'voice.engine': found 5, expected a non-empty string",
        ),
        ("show = 5\n", "'show' must be a table like [show]"),
        (BASE + "[voices]\nengine = 'piper'\n", "unknown table [voices]; expected one of [show]"),
        (
            BASE + 'category = "Wellness"\n',
            "key 'show.category': found 'Wellness', expected an Apple Podcasts category: Arts,",
        ),
        (
            BASE + 'category = "Health & Fitness"\nsubcategory = "Yoga"\n',
            "key 'show.subcategory': found 'Yoga', expected a subcategory of 'Health & Fitness': ",
        ),
        (
            BASE + 'cover = "art/cover.jpg"\n',
            "key 'show.cover': found 'art/cover.jpg', expected an image file in the show folder",
        ),
        ("show:\n  title: A YAML file\n", "invalid TOML: "),
        ('{"show": {"title": "JSON"}}\n', "invalid TOML: "),
        ("", "missing key 'show.title' (expected a non-empty string)"),
    ],
)
def test_configuration_errors_are_one_line_naming_the_key_with_exit_code_2(
    show_dir: Path, capsys: pytest.CaptureFixture[str], text: str, line: str
) -> None:
    (show_dir / "podcast.toml").write_text(text, encoding="utf-8")
    code, _, err = run_cli(capsys, "build", str(show_dir))
    assert code == 2
    (printed,) = err.splitlines()
    assert printed.startswith(f"error: {show_dir / 'podcast.toml'}: ")
    assert line in printed
    assert not (show_dir / "public").exists()  # refused before anything was written


def test_a_binary_podcast_toml_is_one_line_with_exit_code_2(
    show_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (show_dir / "podcast.toml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    code, _, err = run_cli(capsys, "build", str(show_dir))
    assert code == 2
    assert err == (
        f"error: {show_dir / 'podcast.toml'}: not UTF-8 text (byte 0x89 at position 0); "
        "expected a TOML file saved as UTF-8\n"
    )


def test_a_category_without_a_subcategory_needs_none(show_dir: Path) -> None:
    """The default subcategory (Medicine) belongs to the default category only."""
    (show_dir / "podcast.toml").write_text(SHOW_TOML + 'category = "Education"\n', "utf-8")
    config = load_config(show_dir)
    assert (config.show.category, config.show.subcategory) == ("Education", None)
    build_show(config, show_dir / "public", engine=ToneEngine(), now=NOW)
    assert check_output(show_dir / "public") == []
