"""What the last build wrote, so an unchanged episode is not narrated again.

Kept in the output folder as ``.msaudio-build.json``; deleting it (or the
whole output folder) only costs a rebuild: identity lives in the ledger.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from msaudio.model import Chapter, Cue, Episode, Timeline
from msaudio.publish.atomic import write_bytes_atomic

MANIFEST_NAME = ".msaudio-build.json"
FORMAT = 2


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
    )


def episode_files(episode: Episode) -> list[str]:
    """Every file of an episode, relative to the output folder."""
    optional = (episode.transcript_path, episode.chapters_path)
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
        except (OSError, ValueError, KeyError, TypeError):
            return cls(path)  # missing or unreadable: everything is rebuilt
        return cls(path, entries)

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
