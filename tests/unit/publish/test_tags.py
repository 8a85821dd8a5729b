# mutagen is only partly annotated; these tests read the tags with it directly, apart from
# msaudio.publish.tags, so that they check msaudio's frames independently.
# mypy: disallow-untyped-calls=False
"""ID3 tags on a real MP3 made in the test with lameenc."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import lameenc
import numpy as np
import pytest
from mutagen.id3 import CHAP, CTOC, ID3, TIT2, TXXX, CTOCFlags
from PIL import Image

from msaudio.errors import MsaudioError
from msaudio.model import Chapter
from msaudio.publish.tags import (
    mp3_duration,
    read_chapters,
    read_cover,
    read_tags,
    read_transcript,
    write_tags,
)

RATE = 44_100


def encode_sine(seconds: float = 1.0) -> bytes:
    t = np.arange(int(RATE * seconds)) / RATE
    samples = (0.3 * 32767 * np.sin(2 * np.pi * 440 * t)).astype(np.int16)
    encoder = lameenc.Encoder()
    encoder.set_bit_rate(64)
    encoder.set_in_sample_rate(RATE)
    encoder.set_channels(1)
    encoder.set_quality(2)
    return bytes(encoder.encode(samples.tobytes()) + encoder.flush())


@pytest.fixture
def mp3(tmp_path: Path) -> Path:
    path = tmp_path / "episode.mp3"
    path.write_bytes(encode_sine())
    return path


@pytest.fixture(scope="module")
def cover_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), (11, 26, 58)).save(buffer, format="JPEG")
    return buffer.getvalue()


def tag(path: Path, cover: bytes | None, **changes: object) -> None:
    values: dict[str, object] = {
        "title": "Heat & fatigue: Uhthoff\u2019s phenomenon",
        "author": "Dr Ada Lane",
        "show_title": "MS Radio",
        "date": dt.date(2024, 5, 1),
        "summary": "Why a hot bath can bring symptoms back, for a while.",
        "cover_jpeg": cover,
    }
    values.update(changes)
    write_tags(path, **values)  # type: ignore[arg-type]


def test_frames_read_back_with_mutagen(mp3: Path, cover_jpeg: bytes) -> None:
    tag(mp3, cover_jpeg)
    tags = ID3(mp3)
    assert tags.version == (2, 4, 0)
    assert tags["TIT2"].text == ["Heat & fatigue: Uhthoff\u2019s phenomenon"]
    assert tags["TPE1"].text == ["Dr Ada Lane"]
    assert tags["TALB"].text == ["MS Radio"]
    assert str(tags["TDRC"].text[0]) == "2024-05-01"
    assert tags["TCON"].text == ["Podcast"]
    (picture,) = tags.getall("APIC")
    assert picture.type == 3
    assert picture.mime == "image/jpeg"
    assert picture.data == cover_jpeg
    assert picture.data[:3] == b"\xff\xd8\xff"
    (comment,) = tags.getall("COMM")
    assert (comment.lang, comment.desc) == ("eng", "")
    assert comment.text == ["Why a hot bath can bring symptoms back, for a while."]


def test_read_tags(mp3: Path, cover_jpeg: bytes) -> None:
    tag(mp3, cover_jpeg)
    assert read_tags(mp3) == {
        "TIT2": "Heat & fatigue: Uhthoff\u2019s phenomenon",
        "TPE1": "Dr Ada Lane",
        "TALB": "MS Radio",
        "TDRC": "2024-05-01",
        "TCON": "Podcast",
        "COMM": "Why a hot bath can bring symptoms back, for a while.",
        "APIC": "image/jpeg",
    }
    assert read_cover(mp3) == cover_jpeg


def test_audio_is_untouched(mp3: Path, cover_jpeg: bytes) -> None:
    before = mp3.read_bytes()
    length = mp3_duration(mp3)
    assert length == pytest.approx(1.0, abs=0.1)
    tag(mp3, cover_jpeg)
    assert mp3_duration(mp3) == length
    assert mp3.read_bytes().endswith(before)
    assert sorted(p.name for p in mp3.parent.iterdir()) == ["episode.mp3"]


def test_retagging_replaces_own_frames_and_keeps_others(mp3: Path, cover_jpeg: bytes) -> None:
    tag(mp3, cover_jpeg)
    tags = ID3(mp3)
    tags.add(TXXX(encoding=3, desc="kept", text=["yes"]))
    tags.save(mp3)
    tag(mp3, cover_jpeg, title="New title", summary="New summary.")
    tags = ID3(mp3)
    assert tags["TIT2"].text == ["New title"]
    assert len(tags.getall("APIC")) == 1
    assert [c.text for c in tags.getall("COMM")] == [["New summary."]]
    assert tags["TXXX:kept"].text == ["yes"]


def test_date_falls_back_to_the_year_published(mp3: Path) -> None:
    published = dt.datetime(2023, 12, 31, 23, 0, tzinfo=dt.UTC)
    tag(mp3, None, date=None, published=published)
    assert read_tags(mp3)["TDRC"] == "2023"
    tag(mp3, None, date=None, published=None)
    assert "TDRC" not in read_tags(mp3)


def test_optional_frames_left_out(mp3: Path) -> None:
    tag(mp3, None, author=None, summary="")
    found = read_tags(mp3)
    assert set(found) == {"TIT2", "TALB", "TDRC", "TCON"}
    assert read_cover(mp3) is None


def test_untagged_file(mp3: Path) -> None:
    assert read_tags(mp3) == {}
    assert read_cover(mp3) is None


def test_errors_name_the_file(tmp_path: Path) -> None:
    junk = tmp_path / "junk.mp3"
    junk.write_bytes(b"\x00" * 64)
    with pytest.raises(MsaudioError, match=r"junk\.mp3"):
        mp3_duration(junk)
    missing = tmp_path / "missing.mp3"
    with pytest.raises(MsaudioError, match=r"missing\.mp3: MP3 file not found"):
        tag(missing, None)
    for reader in (read_tags, read_cover, mp3_duration, read_chapters, read_transcript):
        with pytest.raises(MsaudioError, match="MP3 file not found"):
            reader(missing)


CHAPTERS = (
    Chapter("Introduction", 0.0, 0.3004),
    Chapter("Heat & fatigue \u2014 caf\u00e9", 0.3004, 0.75),
    Chapter("Cooling", 0.75, 1.0),
)
TRANSCRIPT = "Welcome to MS Radio.\n\nHeat can bring symptoms back \u2014 for a while."


def test_chapters_and_transcript_frames(mp3: Path) -> None:
    tag(mp3, None, chapters=CHAPTERS, transcript=TRANSCRIPT)
    tags = ID3(mp3)
    (toc,) = tags.getall("CTOC")
    assert toc.element_id == "toc"
    assert toc.flags & CTOCFlags.TOP_LEVEL
    assert toc.flags & CTOCFlags.ORDERED
    assert toc.child_element_ids == ["chp0", "chp1", "chp2"]
    assert toc.sub_frames["TIT2"].text == ["Heat & fatigue: Uhthoff\u2019s phenomenon"]
    frames = {frame.element_id: frame for frame in tags.getall("CHAP")}
    assert sorted(frames) == ["chp0", "chp1", "chp2"]
    assert [(frames[i].start_time, frames[i].end_time) for i in toc.child_element_ids] == [
        (0, 300),
        (300, 750),
        (750, 1000),
    ]
    assert [frames[i].sub_frames["TIT2"].text for i in toc.child_element_ids] == [
        ["Introduction"],
        ["Heat & fatigue \u2014 caf\u00e9"],
        ["Cooling"],
    ]
    assert {(f.start_offset, f.end_offset) for f in frames.values()} == {(0xFFFFFFFF,) * 2}
    (lyrics,) = tags.getall("USLT")
    assert (lyrics.lang, lyrics.desc, lyrics.encoding) == ("eng", "", 3)
    assert lyrics.text == TRANSCRIPT


def test_chapters_and_transcript_read_back(mp3: Path) -> None:
    tag(mp3, None, chapters=CHAPTERS, transcript=TRANSCRIPT)
    assert read_chapters(mp3) == [
        Chapter("Introduction", 0.0, 0.3),
        Chapter("Heat & fatigue \u2014 caf\u00e9", 0.3, 0.75),
        Chapter("Cooling", 0.75, 1.0),
    ]
    assert read_transcript(mp3) == TRANSCRIPT
    assert mp3_duration(mp3) == pytest.approx(1.0, abs=0.1)


def test_read_chapters_follows_the_table_of_contents_order(mp3: Path) -> None:
    tags = ID3()
    tags.add(CTOC(element_id="root", flags=CTOCFlags.TOP_LEVEL, child_element_ids=["b", "a"]))
    tags.add(CTOC(element_id="sub", flags=0, child_element_ids=["a"]))
    for element_id, start in (("a", 0), ("b", 5000)):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=start,
                end_time=start + 2500,
                sub_frames=[TIT2(encoding=3, text=[element_id.upper()])],
            )
        )
    tags.add(CHAP(element_id="untitled", start_time=9000, end_time=9500))
    tags.save(mp3)
    assert read_chapters(mp3) == [Chapter("B", 5.0, 7.5), Chapter("A", 0.0, 2.5)]
    tags.delall("CTOC")
    tags.save(mp3)
    assert [c.title for c in read_chapters(mp3)] == ["A", "B", ""]


def test_retagging_does_not_duplicate_chapters(mp3: Path) -> None:
    tag(mp3, None, chapters=CHAPTERS, transcript=TRANSCRIPT)
    tag(mp3, None, chapters=CHAPTERS[:2], transcript="Shorter.")
    tags = ID3(mp3)
    assert len(tags.getall("CTOC")) == 1
    assert sorted(f.element_id for f in tags.getall("CHAP")) == ["chp0", "chp1"]
    assert [f.text for f in tags.getall("USLT")] == ["Shorter."]
    assert [c.title for c in read_chapters(mp3)] == ["Introduction", CHAPTERS[1].title]
    tag(mp3, None)
    tags = ID3(mp3)
    assert tags.getall("CTOC") == tags.getall("CHAP") == tags.getall("USLT") == []
    assert read_chapters(mp3) == []
    assert read_transcript(mp3) is None


def test_foreign_chapter_frames_are_replaced(mp3: Path) -> None:
    tags = ID3()
    tags.add(CTOC(element_id="other", flags=CTOCFlags.TOP_LEVEL, child_element_ids=["x"]))
    tags.add(CHAP(element_id="x", start_time=0, end_time=100))
    tags.save(mp3)
    tag(mp3, None, chapters=CHAPTERS)
    assert [f.element_id for f in ID3(mp3).getall("CTOC")] == ["toc"]
    assert read_chapters(mp3) == [
        Chapter(c.title, round(c.start, 3), round(c.end, 3)) for c in CHAPTERS
    ]


def test_untagged_file_has_no_chapters_or_transcript(mp3: Path) -> None:
    assert read_chapters(mp3) == []
    assert read_transcript(mp3) is None


@pytest.mark.parametrize("bad", [-0.5, float("nan"), 5e6])
def test_chapter_times_that_id3_cannot_hold_are_refused(mp3: Path, bad: float) -> None:
    before = mp3.read_bytes()
    with pytest.raises(ValueError, match="CHAP"):
        tag(mp3, None, chapters=[Chapter("Bad", 0, bad)])
    assert mp3.read_bytes() == before
