# mutagen is only partly annotated; this module is the one place that calls it.
# mypy: disallow-untyped-calls=False
"""ID3 tags of episode MP3s. Every mutagen call in msaudio lives here.

Tags are ID3v2.4 (UTF-8 text), which Apple Podcasts, AntennaPod, Pocket Casts,
Overcast and gPodder all read.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from mutagen import MutagenError
from mutagen.id3 import (
    APIC,
    CHAP,
    COMM,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TPE1,
    USLT,
    CTOCFlags,
    Encoding,
    ID3NoHeaderError,
    PictureType,
)
from mutagen.mp3 import MP3

from msaudio.errors import MsaudioError
from msaudio.model import Chapter

GENRE = "Podcast"
TOC_ID = "toc"
"""Element ID of the top-level table of contents (CTOC) msaudio writes."""

_TEXT_FRAMES = ("TIT2", "TPE1", "TALB", "TDRC", "TCON")
_OWN_FRAMES = (*_TEXT_FRAMES, "APIC", "COMM", "CTOC", "CHAP", "USLT")
_NO_OFFSET = 0xFFFFFFFF
"""CHAP byte offsets meaning "not given": players seek by time."""

_MAX_MILLISECONDS = 0xFFFFFFFF


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
    chapters: Sequence[Chapter] = (),
    transcript: str | None = None,
) -> None:
    """Write the episode's ID3v2.4 tags to ``mp3_path``, replacing msaudio's own.

    Sets title (TIT2), author (TPE1), show title (TALB), date (TDRC: the
    article's date, else the year of ``published``), genre ``Podcast`` (TCON),
    the front cover (APIC, JPEG), the summary (COMM, English, empty
    description), the chapters (one ordered top-level CTOC titled ``title``
    plus one CHAP per chapter, in the order given) and the transcript (USLT,
    English, empty description). Every frame of those kinds already in the file
    is removed first, so leaving out ``chapters`` or ``transcript`` removes
    them; frames msaudio does not manage (TXXX, say) are kept. The file is
    changed in place: write tags to a file that is not published yet
    (``build.render_episode`` tags its temporary file before renaming it).
    Raises :class:`ValueError` for a chapter time that is negative, not finite
    or too large for ID3 (about 49 days).
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
    if chapters:
        _add_chapters(tags, title, chapters)
    if transcript:
        tags.add(USLT(encoding=Encoding.UTF8, lang="eng", desc="", text=transcript))
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
    tags = _existing(mp3_path)
    if tags is None:
        return {}
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
    tags = _existing(mp3_path)
    if tags is None:
        return None
    cover = _front_cover(tags)
    return bytes(getattr(cover, "data", b"")) if cover is not None else None


def read_chapters(mp3_path: Path) -> list[Chapter]:
    """The chapters in the file's table of contents, in its order.

    Follows the top-level CTOC (the first CTOC when none is marked top level);
    each chapter's title is its CHAP's TIT2 (empty when it has none) and its
    times are converted back to seconds. A file with CHAP frames but no CTOC
    gives them in order of start time; an untagged file gives ``[]``.
    """
    tags = _existing(mp3_path)
    if tags is None:
        return []
    frames = {frame.element_id: frame for frame in tags.getall("CHAP")}
    toc = _top_level_toc(tags)
    if toc is None:
        ordered = sorted(frames.values(), key=lambda frame: frame.start_time)
    else:
        children = getattr(toc, "child_element_ids", [])
        ordered = [frames[child] for child in children if child in frames]
    return [_chapter(frame) for frame in ordered]


def read_transcript(mp3_path: Path) -> str | None:
    """The English USLT text with an empty description, or ``None`` when absent."""
    tags = _existing(mp3_path)
    if tags is None:
        return None
    for lyrics in tags.getall("USLT"):
        if lyrics.desc == "" and lyrics.lang == "eng":
            return str(lyrics.text)
    return None


def mp3_duration(mp3_path: Path) -> float:
    """Length of the MP3's audio in seconds, as mutagen measures it."""
    _require_file(mp3_path)
    try:
        info = MP3(mp3_path).info
    except (MutagenError, OSError) as exc:
        raise MsaudioError(f"not a readable MP3 ({exc})", mp3_path) from exc
    return float(getattr(info, "length", 0.0))


def _add_chapters(tags: ID3, title: str, chapters: Sequence[Chapter]) -> None:
    """Add an ordered top-level CTOC titled ``title`` and one CHAP per chapter."""
    ids = [f"chp{index}" for index in range(len(chapters))]
    tags.add(
        CTOC(
            element_id=TOC_ID,
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=Encoding.UTF8, text=[title])],
        )
    )
    for element_id, chapter in zip(ids, chapters, strict=True):
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=_milliseconds(chapter.start),
                end_time=_milliseconds(chapter.end),
                start_offset=_NO_OFFSET,
                end_offset=_NO_OFFSET,
                sub_frames=[TIT2(encoding=Encoding.UTF8, text=[chapter.title])],
            )
        )


def _milliseconds(seconds: float) -> int:
    """Seconds as the whole milliseconds a CHAP frame stores."""
    if not 0 <= seconds <= _MAX_MILLISECONDS / 1000:  # also refuses NaN
        raise ValueError(f"chapter time {seconds!r} s does not fit an ID3 CHAP frame")
    return min(round(seconds * 1000), _MAX_MILLISECONDS)


def _top_level_toc(tags: ID3) -> CTOC | None:
    """The CTOC marked top level, else the first CTOC, else ``None``."""
    tocs = tags.getall("CTOC")
    for toc in tocs:
        if toc.flags & CTOCFlags.TOP_LEVEL:
            return toc  # type: ignore[no-any-return]
    return tocs[0] if tocs else None


def _chapter(frame: CHAP) -> Chapter:
    """A CHAP frame as a :class:`Chapter` with times in seconds."""
    heading = getattr(frame, "sub_frames", {}).get("TIT2")
    title = "; ".join(str(value) for value in heading.text) if heading is not None else ""
    start = int(getattr(frame, "start_time", 0)) / 1000
    return Chapter(title=title, start=start, end=int(getattr(frame, "end_time", 0)) / 1000)


def _existing(mp3_path: Path) -> ID3 | None:
    """The file's ID3 tag for reading, or ``None`` when it has none."""
    _require_file(mp3_path)
    try:
        return ID3(mp3_path)
    except ID3NoHeaderError:
        return None
    except (MutagenError, OSError) as exc:
        raise MsaudioError(f"cannot read ID3 tags ({exc})", mp3_path) from exc


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
