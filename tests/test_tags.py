"""ID3 tags on a real MP3 made in the test with lameenc."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import lameenc
import numpy as np
import pytest
from mutagen.id3 import ID3, TXXX
from PIL import Image

from msaudio.errors import MsaudioError
from msaudio.publish.tags import mp3_duration, read_cover, read_tags, write_tags

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
    for reader in (read_tags, read_cover, mp3_duration):
        with pytest.raises(MsaudioError, match="MP3 file not found"):
            reader(missing)
