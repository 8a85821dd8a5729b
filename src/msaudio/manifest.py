"""What the last build wrote, so an unchanged episode is not narrated again.

Kept in the output folder as ``.msaudio-build.json``; deleting it (or the
whole output folder) only costs a rebuild: identity lives in the ledger.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from msaudio.model import Chapter, Cue, Episode, Timeline
from msaudio.publish.atomic import write_bytes_atomic

MANIFEST_NAME = ".msaudio-build.json"
FORMAT = 2
EPISODES_DIR = "episodes"

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""What :func:`msaudio.sources.slugify` makes: never a path, never hidden."""

HASH_CHARS = 10
"""Hex digits of a published file's SHA-256 in its name: 40 bits, so two versions of one
episode never share a name."""

MEDIA_SUFFIXES = {
    "audio": ".mp3",
    "transcript": ".vtt",
    "chapters": ".chapters.json",
    "book": ".epub",
}
"""The files msaudio writes for an episode, by kind."""

MEDIA_NAME = re.compile(
    rf"(?P<slug>{SLUG.pattern})(?:\.(?P<hash>[0-9a-f]{{{HASH_CHARS}}}))?"
    r"(?P<suffix>\.mp3|\.vtt|\.chapters\.json|\.epub)"
)
"""An episode file's name: ``<slug>.<hash>.mp3`` (named by its content), or the
``<slug>.mp3`` of output folders built by earlier versions of msaudio."""

IMMUTABLE_NAME = re.compile(
    rf"{SLUG.pattern}\.[0-9a-f]{{{HASH_CHARS}}}(?:\.mp3|\.vtt|\.chapters\.json|\.epub)"
)
"""A content-addressed episode file's name: its bytes never change."""


class OutputWarning(UserWarning):
    """Something in the output folder is not as msaudio left it; it was ignored."""


def content_name(slug: str, suffix: str, sha256_hex: str) -> str:
    """Where a version of an episode file is published: ``episodes/<slug>.<hash><suffix>``."""
    return f"{EPISODES_DIR}/{slug}.{sha256_hex[:HASH_CHARS]}{suffix}"


def record_problem(slug: str, episode: Episode, out_dir: Path) -> str | None:
    """Why a recorded episode cannot be trusted, or ``None``.

    Every path must be a file msaudio writes for that episode, inside the
    output folder once symlinks are resolved: the record is only a file in
    the output folder, and anyone who can write there could point it at
    ``../../home`` for the orphan removal to delete.
    """
    if not SLUG.fullmatch(slug) or episode.slug != slug:
        return f"episode name {episode.slug!r} is not one msaudio gives"
    root = out_dir.resolve()
    paths = {
        "audio": episode.audio_path,
        "transcript": episode.transcript_path,
        "chapters": episode.chapters_path,
        "book": episode.book_path,
    }
    for kind, path in paths.items():
        if path is None and kind != "audio":
            continue
        folder, _, name = str(path).partition("/")
        match = MEDIA_NAME.fullmatch(name)
        if (
            folder != EPISODES_DIR
            or match is None
            or match["slug"] != slug
            or match["suffix"] != MEDIA_SUFFIXES[kind]
        ):
            return f"{kind} file {path!r} is not one msaudio writes for {slug!r}"
        if not (out_dir / folder / name).resolve().is_relative_to(root):
            return f"{kind} file {path!r} leads outside the output folder"
    return None


def episode_to_json(episode: Episode) -> dict[str, Any]:
    data = asdict(episode)
    data["published"] = episode.published.isoformat()
    data["date"] = episode.date.isoformat() if episode.date else None
    return data


def episode_from_json(data: dict[str, Any]) -> Episode:
    timeline = data["timeline"]
    return Episode(
        slug=data["slug"],
        title=data["title"],
        guid=data["guid"],
        published=dt.datetime.fromisoformat(data["published"]),
        audio_path=data["audio_path"],
        audio_size=int(data["audio_size"]),
        timeline=Timeline(
            duration=float(timeline["duration"]),
            chapters=tuple(Chapter(**c) for c in timeline["chapters"]),
            cues=tuple(Cue(**c) for c in timeline["cues"]),
        ),
        author=data["author"],
        summary=data["summary"],
        date=dt.date.fromisoformat(data["date"]) if data["date"] else None,
        transcript_path=data.get("transcript_path"),
        chapters_path=data.get("chapters_path"),
        number=data.get("number"),
        book_path=data.get("book_path"),
    )


def episode_files(episode: Episode) -> list[str]:
    """Every file of an episode, relative to the output folder."""
    optional = (episode.transcript_path, episode.chapters_path, episode.book_path)
    return [episode.audio_path, *(path for path in optional if path)]


@dataclass
class Manifest:
    """Episode records of the last build, keyed by slug, with their input fingerprints."""

    path: Path
    entries: dict[str, tuple[str, Episode]] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> Manifest:
        path = out_dir / MANIFEST_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT:
                return cls(path)
            entries = {
                slug: (entry["fingerprint"], episode_from_json(entry["episode"]))
                for slug, entry in data["episodes"].items()
            }
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls(path)  # missing or unreadable: everything is rebuilt
        trusted = {}
        for slug, entry in entries.items():
            problem = record_problem(str(slug), entry[1], out_dir)
            if problem is None:
                trusted[slug] = entry
            else:  # that episode is narrated again; nothing the record names is touched
                warnings.warn(f"{path}: ignored, {problem}", OutputWarning, stacklevel=2)
        return cls(path, trusted)

    def reusable(self, slug: str, fingerprint: str, out_dir: Path) -> Episode | None:
        """The recorded episode when its inputs and its MP3 are unchanged."""
        entry = self.entries.get(slug)
        if entry is None or entry[0] != fingerprint:
            return None
        return entry[1] if self.audio_intact(entry[1], out_dir) else None

    def previous(self, slug: str, out_dir: Path) -> Episode | None:
        """The last published version of ``slug`` when its MP3 is still there."""
        entry = self.entries.get(slug)
        return entry[1] if entry and self.audio_intact(entry[1], out_dir) else None

    @staticmethod
    def audio_intact(episode: Episode, out_dir: Path) -> bool:
        """The MP3 has its recorded size and the episode's other files are there."""
        audio = out_dir / episode.audio_path
        companions = episode_files(episode)[1:]
        return (
            audio.is_file()
            and audio.stat().st_size == episode.audio_size
            and all((out_dir / name).is_file() for name in companions)
        )

    def save(self, entries: dict[str, tuple[str, Episode]]) -> None:
        self.entries = entries
        data = {
            "format": FORMAT,
            "episodes": {
                slug: {"fingerprint": fingerprint, "episode": episode_to_json(episode)}
                for slug, (fingerprint, episode) in sorted(entries.items())
            },
        }
        text = json.dumps(data, indent=1, ensure_ascii=False) + "\n"
        if not self.path.is_file() or self.path.read_text(encoding="utf-8") != text:
            write_bytes_atomic(self.path, text.encode("utf-8"))
