# mutagen is only partly annotated; this module is the one place that calls it.
# mypy: disallow-untyped-calls=False
"""ID3 tags of episode MP3s. Every mutagen call in msaudio lives here.

Tags are ID3v2.4 (UTF-8 text), which Apple Podcasts, AntennaPod, Pocket Casts,
Overcast and gPodder all read.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mutagen import MutagenError
from mutagen.id3 import (
    APIC,
    COMM,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TPE1,
    Encoding,
    ID3NoHeaderError,
    PictureType,
)
from mutagen.mp3 import MP3

from msaudio.errors import MsaudioError

GENRE = "Podcast"
_TEXT_FRAMES = ("TIT2", "TPE1", "TALB", "TDRC", "TCON")
_OWN_FRAMES = (*_TEXT_FRAMES, "APIC", "COMM")


def write_tags(
    mp3_path: Path,
    *,
    title: str,
    author: str | None,
    show_title: str,
    date: dt.date | None,
    summary: str,
    cover_jpeg: bytes | None,
    published: dt.datetime | None = None,
) -> None:
    """Write the episode's ID3v2.4 tags to ``mp3_path``, replacing msaudio's own.

    Sets title (TIT2), author (TPE1), show title (TALB), date (TDRC: the
    article's date, else the year of ``published``), genre ``Podcast`` (TCON),
    the front cover (APIC, JPEG) and the summary (COMM, English, empty
    description). Frames msaudio does not manage (chapters, say) are kept.
    The file is changed in place: write tags to a file that is not published
    yet (``build.render_episode`` tags its temporary file before renaming it).
    """
    tags = _load(mp3_path)
    for frame_id in _OWN_FRAMES:
        tags.delall(frame_id)
    tags.add(TIT2(encoding=Encoding.UTF8, text=[title]))
    if author:
        tags.add(TPE1(encoding=Encoding.UTF8, text=[author]))
    tags.add(TALB(encoding=Encoding.UTF8, text=[show_title]))
    when = date.isoformat() if date else (str(published.year) if published else None)
    if when:
        tags.add(TDRC(encoding=Encoding.UTF8, text=[when]))
    tags.add(TCON(encoding=Encoding.UTF8, text=[GENRE]))
    if cover_jpeg:
        tags.add(
            APIC(
                encoding=Encoding.UTF8,
                mime="image/jpeg",
                type=PictureType.COVER_FRONT,
                desc="",
                data=cover_jpeg,
            )
        )
    if summary:
        tags.add(COMM(encoding=Encoding.UTF8, lang="eng", desc="", text=[summary]))
    try:
        tags.save(mp3_path, v2_version=4)
    except (MutagenError, OSError) as exc:
        raise MsaudioError(f"cannot write ID3 tags ({exc})", mp3_path) from exc


def read_tags(mp3_path: Path) -> dict[str, str]:
    """The tags msaudio writes, as text keyed by frame ID.

    Keys present: ``TIT2``, ``TPE1``, ``TALB``, ``TDRC``, ``TCON`` (text),
    ``COMM`` (the English comment with an empty description) and ``APIC`` (the
    front cover's MIME type). Absent frames are left out; an untagged file
    gives ``{}``.
    """
    _require_file(mp3_path)
    try:
        tags = ID3(mp3_path)
    except ID3NoHeaderError:
        return {}
    except (MutagenError, OSError) as exc:
        raise MsaudioError(f"cannot read ID3 tags ({exc})", mp3_path) from exc
    result: dict[str, str] = {}
    for frame_id in _TEXT_FRAMES:
        frame = tags.get(frame_id)
        if frame is not None:
            result[frame_id] = "; ".join(str(value) for value in frame.text)
    for comment in tags.getall("COMM"):
        if comment.desc == "" and comment.lang == "eng":
            result["COMM"] = "; ".join(str(value) for value in comment.text)
            break
    cover = _front_cover(tags)
    if cover is not None:
        result["APIC"] = str(getattr(cover, "mime", ""))
    return result


def read_cover(mp3_path: Path) -> bytes | None:
    """The embedded front-cover image bytes, or ``None`` when there is none."""
    _require_file(mp3_path)
    try:
        tags = ID3(mp3_path)
    except ID3NoHeaderError:
        return None
    except (MutagenError, OSError) as exc:
        raise MsaudioError(f"cannot read ID3 tags ({exc})", mp3_path) from exc
    cover = _front_cover(tags)
    return bytes(getattr(cover, "data", b"")) if cover is not None else None


def mp3_duration(mp3_path: Path) -> float:
    """Length of the MP3's audio in seconds, as mutagen measures it."""
    _require_file(mp3_path)
    try:
        info = MP3(mp3_path).info
    except (MutagenError, OSError) as exc:
        raise MsaudioError(f"not a readable MP3 ({exc})", mp3_path) from exc
    return float(getattr(info, "length", 0.0))


def _load(mp3_path: Path) -> ID3:
    """The file's existing ID3 tag, or a new empty one."""
    _require_file(mp3_path)
    try:
        return ID3(mp3_path)
    except ID3NoHeaderError:
        return ID3()
    except (MutagenError, OSError) as exc:
        raise MsaudioError(f"cannot read ID3 tags ({exc})", mp3_path) from exc


def _require_file(mp3_path: Path) -> None:
    if not Path(mp3_path).is_file():
        raise MsaudioError("MP3 file not found", mp3_path)


def _front_cover(tags: ID3) -> APIC | None:
    pictures = tags.getall("APIC")
    for picture in pictures:
        if picture.type == PictureType.COVER_FRONT:
            return picture  # type: ignore[no-any-return]
    return None
