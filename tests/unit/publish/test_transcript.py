"""WebVTT transcripts, JSON chapters and the plain transcript for the USLT frame."""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from msaudio.model import Chapter, Cue, Timeline
from msaudio.publish.transcript import plain_transcript, render_chapters_json, write_chapters_json
from msaudio.publish.webvtt import read_vtt, render_vtt, write_vtt

TIMING = re.compile(
    r"^(\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3}) --> (\d{2,}):([0-5]\d):([0-5]\d)\.(\d{3})$"
)
HOSTILE = "Fish & chips <b>bold</b> --> a > b < c &amp; done"
LONG = (
    "Plan the hardest task of the day for the hour in which you usually feel "
    "strongest, and stop well before you are tired, even when the task is not finished."
)


def parse_vtt(text: str) -> list[tuple[int, int, list[str]]]:
    """(start ms, end ms, payload lines) of each cue; fails on anything unexpected."""
    assert text.startswith("WEBVTT\n\n")
    body = text[len("WEBVTT\n\n") :]
    if not body:
        return []
    assert body.endswith("\n") and not body.endswith("\n\n")
    cues = []
    for block in body[:-1].split("\n\n"):
        timing, *lines = block.split("\n")
        match = TIMING.match(timing)
        assert match, timing
        h1, m1, s1, f1, h2, m2, s2, f2 = (int(g) for g in match.groups())
        start = ((h1 * 60 + m1) * 60 + s1) * 1000 + f1
        end = ((h2 * 60 + m2) * 60 + s2) * 1000 + f2
        assert lines and all(line.strip() for line in lines), block
        cues.append((start, end, lines))
    return cues


def unescape(line: str) -> str:
    return line.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def shown(lines: list[str]) -> str:
    """The cue text as a player shows it, lines joined with spaces."""
    return " ".join(unescape(line) for line in lines)


CUES = [
    Cue(0.0, 1.2, "Short rests help."),
    Cue(1.9, 4.25, LONG),
    Cue(5.0, 6.0, HOSTILE),
]


def test_header_order_and_coverage() -> None:
    text = render_vtt(CUES, end=7.5)
    assert text.startswith("WEBVTT\n\n00:00:00.000 --> 00:00:01.900\nShort rests help.\n\n")
    cues = parse_vtt(text)
    assert [(a, b) for a, b, _ in cues] == [(0, 1900), (1900, 5000), (5000, 7500)]
    assert [shown(lines) for _, _, lines in cues] == [c.text for c in CUES]


def test_last_cue_ends_at_its_own_end_when_later_than_end() -> None:
    cues = parse_vtt(render_vtt(CUES, end=5.5))
    assert cues[-1][:2] == (5000, 6000)


def test_lines_are_wrapped_at_65_characters_on_word_boundaries() -> None:
    ((_, _, lines),) = parse_vtt(render_vtt([Cue(0, 1, LONG)], end=1))
    assert len(lines) == 3
    assert all(len(line) <= 65 for line in lines)
    assert " ".join(lines) == LONG
    words = set(LONG.split())
    assert all(word in words for line in lines for word in line.split())
    # greedy: the next word would not have fit on the line before
    for line, following in itertools.pairwise(lines):
        assert len(line) + 1 + len(following.split()[0]) > 65


def test_a_word_longer_than_a_line_is_broken() -> None:
    word = "x" * 150
    ((_, _, lines),) = parse_vtt(render_vtt([Cue(0, 1, f"a {word} b")], end=1))
    assert all(len(line) <= 65 for line in lines)
    assert "".join(lines).replace(" ", "") == f"a{word}b"


def test_escaping_round_trips_and_never_emits_an_arrow() -> None:
    text = render_vtt([Cue(0, 1, HOSTILE)], end=1)
    payload = text.split("\n", 3)[3]
    assert "-->" not in payload
    assert "<" not in payload and ">" not in payload
    assert "&amp;amp;" in payload
    ((_, _, lines),) = parse_vtt(text)
    assert shown(lines) == HOSTILE


def test_whitespace_is_collapsed_and_empty_cues_are_skipped() -> None:
    cues = [
        Cue(0, 1, "  One\n\n  two\tthree  "),
        Cue(1.5, 2, " \n\t "),
        Cue(3, 4, "Four\u00a0mg."),
    ]
    parsed = parse_vtt(render_vtt(cues, end=4))
    assert parsed == [(0, 3000, ["One two three"]), (3000, 4000, ["Four\u00a0mg."])]


def test_times_past_one_hour() -> None:
    cues = [Cue(3599.9996, 3600.5, "Just before."), Cue(3723.4564, 3725.0, "After.")]
    text = render_vtt(cues, end=3725.0)
    assert "01:00:00.000 --> 01:02:03.456\nJust before." in text
    assert "01:02:03.456 --> 01:02:05.000\nAfter." in text
    assert "100:00:00.000 --> 100:00:01.000" in render_vtt([Cue(360000, 360001, "x")], 0)


def test_rounding_is_shared_so_cues_never_overlap() -> None:
    cues = [Cue(0.0004, 0.1, "a"), Cue(0.0006, 0.2, "b"), Cue(0.0014, 0.3, "c")]
    parsed = parse_vtt(render_vtt(cues, end=0.3))
    assert [(a, b) for a, b, _ in parsed] == [(0, 1), (1, 300)]
    assert [shown(lines) for *_, lines in parsed] == ["a", "b c"]  # same millisecond: merged


def test_cue_starting_before_the_previous_is_refused() -> None:
    with pytest.raises(ValueError, match="before the previous"):
        render_vtt([Cue(2, 3, "later"), Cue(1, 2, "earlier")], end=3)


def test_no_cues() -> None:
    assert render_vtt([], end=10) == "WEBVTT\n\n"
    assert render_vtt([Cue(0, 1, "  ")], end=10) == "WEBVTT\n\n"


words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Z")),
    min_size=1,
    max_size=30,
)
sentences = st.lists(words, min_size=1, max_size=25).map(" ".join)


@given(
    st.lists(
        st.tuples(st.floats(0, 10), st.floats(0, 5), sentences),
        min_size=1,
        max_size=8,
    ),
    st.floats(0, 100),
)
def test_property_cues_tile_the_narration(
    parts: list[tuple[float, float, str]], end: float
) -> None:
    cues: list[Cue] = []
    clock = 0.0
    for gap, length, text in parts:
        clock += gap + 0.002  # at least 2 ms apart: distinct once rounded
        cues.append(Cue(clock, clock + length, text))
    parsed = parse_vtt(render_vtt(cues, end))
    assert len(parsed) == len(cues)
    assert parsed[0][0] == round(cues[0].start * 1000)
    for (_, end_ms, _), (start_ms, _, _) in itertools.pairwise(parsed):
        assert end_ms == start_ms
    assert parsed[-1][1] == max(round(max(end, cues[-1].end) * 1000), parsed[-1][0] + 1)
    for (start_ms, end_ms, lines), cue in zip(parsed, cues, strict=True):
        assert start_ms < end_ms
        assert all(len(unescape(line)) <= 65 for line in lines)
        if all(len(word) <= 65 for word in cue.text.split(" ")):
            assert shown(lines) == cue.text


def test_chapters_json() -> None:
    chapters = [
        Chapter("Cooling \u2014 caf\u00e9", 61.23456, 90.0),
        Chapter("Introduction", 0.0, 12.0004),
        Chapter("Planning", 12.0004, 61.23456),
    ]
    data = render_chapters_json(chapters)
    assert data.endswith(b"}\n")
    assert "Cooling \u2014 caf\u00e9".encode() in data  # not \u-escaped
    assert data.startswith(b'{\n "version": "1.2.0",\n "chapters": [\n  {\n   "startTime"')
    document = json.loads(data.decode("utf-8"))
    assert document == {
        "version": "1.2.0",
        "chapters": [
            {"startTime": 0.0, "endTime": 12.0, "title": "Introduction"},
            {"startTime": 12.0, "endTime": 61.235, "title": "Planning"},
            {"startTime": 61.235, "endTime": 90.0, "title": "Cooling \u2014 caf\u00e9"},
        ],
    }
    assert all(isinstance(c["startTime"], float) for c in document["chapters"])


def test_chapters_json_refuses_non_finite_times() -> None:
    with pytest.raises(ValueError):
        render_chapters_json([Chapter("x", 0, float("nan"))])


def test_empty_chapters_json() -> None:
    assert json.loads(render_chapters_json([])) == {"version": "1.2.0", "chapters": []}


def test_plain_transcript_has_one_paragraph_per_chapter() -> None:
    timeline = Timeline(
        duration=20,
        chapters=(Chapter("Intro", 0, 5), Chapter("Empty", 5, 8), Chapter("Body", 8, 20)),
        cues=(
            Cue(0.2, 1, "Welcome."),
            Cue(1.5, 4.9, "This is  MS\nRadio."),
            Cue(5.0, 5.5, " "),
            Cue(8.0, 10, "First point."),
            Cue(12, 19, "Second point."),
        ),
    )
    assert plain_transcript(timeline) == (
        "Welcome. This is MS Radio.\n\nFirst point. Second point."
    )


def test_plain_transcript_edges() -> None:
    cues = (Cue(0, 1, "Before."), Cue(2, 3, "Inside."), Cue(10, 11, "At the end."))
    one = Timeline(duration=11, chapters=(Chapter("Only", 1, 10),), cues=cues)
    assert plain_transcript(one) == "Before. Inside. At the end."
    assert plain_transcript(Timeline(duration=11, cues=cues)) == "Before. Inside. At the end."
    assert plain_transcript(Timeline(duration=0)) == ""


def test_writers(tmp_path: Path) -> None:
    vtt = tmp_path / "episodes" / "a.vtt"
    chapters = tmp_path / "episodes" / "a.chapters.json"
    write_vtt(vtt, CUES, 7.5)
    write_chapters_json(chapters, [Chapter("Intro", 0, 7.5)])
    assert vtt.read_bytes() == render_vtt(CUES, 7.5).encode("utf-8")
    assert chapters.read_bytes() == render_chapters_json([Chapter("Intro", 0, 7.5)])
    assert sorted(p.name for p in vtt.parent.iterdir()) == ["a.chapters.json", "a.vtt"]
    assert vtt.stat().st_mode & 0o777 == 0o644


def test_what_is_written_reads_back_cue_for_cue() -> None:
    cues = [Cue(0.0, 1.0, HOSTILE), Cue(1.5, 2.0, LONG), Cue(2.25, 3.0, "Rest\u00a0well.")]
    read, problems = read_vtt(render_vtt(cues, end=3.5))
    assert problems == []
    assert [cue.text for cue in read] == [HOSTILE, LONG, "Rest\u00a0well."]
    assert [(cue.start, cue.end) for cue in read] == [(0.0, 1.5), (1.5, 2.25), (2.25, 3.5)]


def test_a_file_read_back_names_what_is_wrong() -> None:
    bad = "WEBVTT\n\n00:00:02.000 --> 00:00:01.000\nBackwards.\n\nNo timing here.\n"
    read, problems = read_vtt(bad)
    assert [cue.text for cue in read] == ["Backwards."]
    assert problems == [
        "line 3: cue ends at or before it starts ('00:00:02.000 --> 00:00:01.000')",
        "line 6: a block without a cue timing ('start --> end')",
    ]
    assert read_vtt("Not a transcript")[1] == ["does not start with 'WEBVTT'"]
