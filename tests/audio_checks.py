# mutagen is only partly annotated; these tests read the tags with it directly, apart from
# msaudio.publish.tags, so that they check msaudio's frames independently.
# mypy: disallow-untyped-calls=False
"""Independent measurements of decoded audio, shared by the audio tests."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyloudnorm
import soundfile

from msaudio.audio.master import LEAD_IN_SECONDS
from msaudio.publish.webvtt import read_vtt

Floats = npt.NDArray[np.float64]


def decode(path: Path | object) -> tuple[Floats, int]:
    """Samples and rate of an MP3 as a player decodes it (libsndfile's mpg123)."""
    samples, rate = soundfile.read(path, dtype="float64")
    assert samples.ndim == 1, "episodes are mono"
    return samples, int(rate)


def integrated_loudness(samples: npt.NDArray[np.floating[Any]], rate: int) -> float:
    return float(pyloudnorm.Meter(rate).integrated_loudness(samples))


def peak_dbfs(samples: Floats) -> float:
    return float(20 * np.log10(np.abs(samples).max()))


def section_onsets(samples: Floats, rate: int, min_gap: float = 1.2) -> list[float]:
    """Seconds at which sound resumes after at least ``min_gap`` seconds of silence.

    Measured on 5 ms frames: a frame is silent below −50 dBFS RMS; the onset is
    the first sample above −40 dBFS in the first loud frame.
    """
    frame = round(0.005 * rate)
    count = len(samples) // frame
    frames = samples[: count * frame].reshape(count, frame)
    loud = np.sqrt(np.mean(frames**2, axis=1)) > 10 ** (-50 / 20)
    onsets = []
    quiet = 0
    for index, is_loud in enumerate(loud):
        if not is_loud:
            quiet += 1
            continue
        if quiet * frame >= min_gap * rate:
            block = np.abs(frames[index])
            first = int(np.argmax(block > 10 ** (-40 / 20)))
            onsets.append((index * frame + first) / rate)
        quiet = 0
    return onsets


def silent_runs(samples: Floats, rate: int, min_gap: float) -> list[float]:
    """Lengths in seconds of the silences (5 ms frames below −50 dBFS RMS) of at least
    ``min_gap`` seconds, in order."""
    frame = round(0.005 * rate)
    count = len(samples) // frame
    frames = samples[: count * frame].reshape(count, frame)
    quiet = np.sqrt(np.mean(frames**2, axis=1)) <= 10 ** (-50 / 20)
    runs = [len(list(group)) * frame / rate for silent, group in itertools.groupby(quiet) if silent]
    return [run for run in runs if run >= min_gap]


def parse_vtt(text: str) -> list[tuple[float, float, str]]:
    """Cues of a WebVTT file as (start, end, text), text lines joined and unescaped; asserts
    that the file is well formed and every caption line fits."""
    cues, problems = read_vtt(text)
    assert not problems, problems
    for cue in cues:
        for line in cue.lines:
            assert len(line.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")) <= 65
    return [(cue.start, cue.end, cue.text) for cue in cues]


def check_episode(out: Path, slug: str) -> dict[str, object]:
    """Check one built episode's MP3, chapters and transcript against each other.

    Returns the measurements for further assertions.
    """
    import json

    from mutagen.id3 import ID3

    from tests.helpers import episode_file

    mp3 = episode_file(out, slug)
    samples, rate = decode(mp3)
    duration = len(samples) / rate
    tags = ID3(mp3)
    (toc,) = tags.getall("CTOC")
    chaps = {frame.element_id: frame for frame in tags.getall("CHAP")}
    assert list(toc.child_element_ids) == sorted(chaps, key=lambda i: chaps[i].start_time)
    mp3_chapters = [
        (chaps[i].sub_frames["TIT2"].text[0], chaps[i].start_time / 1000)
        for i in toc.child_element_ids
    ]
    data = json.loads(episode_file(out, slug, ".chapters.json").read_text(encoding="utf-8"))
    assert data["version"] == "1.2.0"
    json_chapters = [(c["title"], c["startTime"]) for c in data["chapters"]]
    assert [s for _, s in json_chapters] == sorted(s for _, s in json_chapters)
    assert len(mp3_chapters) == len(json_chapters)
    for (title_a, start_a), (title_b, start_b) in zip(mp3_chapters, json_chapters, strict=True):
        assert title_a == title_b and abs(start_a - start_b) < 0.002
    cues = parse_vtt(episode_file(out, slug, ".vtt").read_text(encoding="utf-8"))
    for (start, end, _), (next_start, _, _) in itertools.pairwise(cues):
        assert start < end <= next_start
    assert abs(cues[0][0] - LEAD_IN_SECONDS) < 0.1 and abs(cues[-1][1] - duration) < 0.2
    onsets = section_onsets(samples, rate)
    for (_, start), onset in zip(json_chapters[1:], onsets, strict=True):
        assert abs(start - onset) < 0.05, (start, onset)
    uslt = tags.getall("USLT")[0].text
    assert " ".join(text for _, _, text in cues) == " ".join(uslt.split())
    return {
        "loudness": integrated_loudness(samples, rate),
        "peak": peak_dbfs(samples),
        "duration": duration,
        "chapters": json_chapters,
        "cues": cues,
    }
