"""The ledger: each episode's permanent GUID and first publication time.

It lives in the show folder (and in git), so identities survive deleting the
output folder. Entries are never removed: the GUID of an article that was
taken down stays recorded and is never handed to another episode. Each entry
names its ``source``, the file in ``episodes/`` it belongs to, so another file
whose name slugs alike cannot take it over (:mod:`msaudio.publish.identity`).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType

from msaudio.errors import ArticleError, ConfigError
from msaudio.json_file import read_json
from msaudio.publish.atomic import write_bytes_atomic

LEDGER_NAME = "msaudio-ledger.json"
NOON = dt.time(12, 0)


@dataclass(frozen=True)
class LedgerEntry:
    """What the ledger remembers about one episode."""

    guid: str
    """Permanent feed GUID."""

    published: dt.datetime
    """First publication time, in UTC, whole seconds."""

    number: int
    """Episode number (``itunes:episode``): 1 for the first episode ever recorded."""

    source: str | None = None
    """The file's name in ``episodes/`` (NFC); ``None`` in ledgers written before it was kept."""


def source_name(path: Path) -> str:
    """How the ledger names an article: its file name, NFC (macOS stores names NFD)."""
    return unicodedata.normalize("NFC", path.name)


class Ledger:
    """Slug → (GUID, first publication time, number), loaded from and saved to one file."""

    def __init__(self, path: Path, entries: Mapping[str, LedgerEntry] | None = None) -> None:
        self.path = Path(path)
        self._entries: dict[str, LedgerEntry] = dict(entries or {})

    @classmethod
    def load(cls, path: Path) -> Ledger:
        """Read the ledger at ``path`` (a show folder means its ledger file).

        A missing file gives an empty ledger; unreadable JSON or entries of the
        wrong shape raise :class:`ConfigError` naming the file.
        """
        path = Path(path)
        if path.is_dir():
            path = path / LEDGER_NAME
        raw = read_json(path, "ledger")
        if raw is None:
            return cls(path)
        return cls.from_document(path, raw)

    @classmethod
    def from_document(cls, path: Path, raw: object) -> Ledger:
        """The ledger a parsed JSON document describes, checked as :meth:`load` checks it."""
        if not isinstance(raw, dict):
            raise ConfigError("ledger must be a JSON object of slug to entry", path)
        parsed = [_parse_entry(path, slug, value) for slug, value in raw.items()]
        return cls(path, dict(zip(raw, _numbered(path, parsed), strict=True)))

    @property
    def entries(self) -> Mapping[str, LedgerEntry]:
        """Every recorded episode, including those whose article is gone."""
        return MappingProxyType(self._entries)

    def owners(self) -> dict[str, str]:
        """Source file name → slug, for every entry that names its file."""
        return {e.source: slug for slug, e in self._entries.items() if e.source is not None}

    def claim(self, slug: str, source: str) -> None:
        """Record ``source`` as the file of the recorded, unowned episode ``slug``."""
        entry = self._entries[slug]
        if entry.source is not None and entry.source != source:
            raise ValueError(f"episode {slug!r} already belongs to {entry.source!r}")
        self._entries[slug] = replace(entry, source=source)

    def identity(
        self,
        slug: str,
        *,
        guid_override: str | None,
        date: dt.date | None,
        now: dt.datetime,
        source: str | None = None,
    ) -> tuple[str, dt.datetime]:
        """The episode's GUID and first publication time, recording new ones.

        A recorded publication time never changes. A GUID fixed in front matter
        (``guid_override``) wins and is recorded; otherwise a recorded GUID is
        kept, and a new slug gets a fresh random UUID. A new slug is published
        at noon UTC on the article's ``date`` when that is not in the future,
        else at ``now`` (whole seconds). ``now`` must be timezone-aware.
        ``source`` is recorded for a new entry or one that names no file yet.
        """
        now_utc = _aware_utc(now).replace(microsecond=0)
        override = guid_override.strip() if guid_override else None
        if override:
            self._check_unused(override, slug)
        existing = self._entries.get(slug)
        if existing is not None:
            guid = override or existing.guid
            published = existing.published
            number = existing.number
            source = existing.source or source
        else:
            guid = override or self._new_guid()
            published = now_utc
            if date is not None:
                noon = dt.datetime.combine(date, NOON, tzinfo=dt.UTC)
                if noon <= now_utc:
                    published = noon
            number = max((e.number for e in self._entries.values()), default=0) + 1
        self._entries[slug] = LedgerEntry(guid, published, number, source)
        return guid, published

    def number(self, slug: str) -> int | None:
        """The episode number recorded for ``slug``, if it is recorded."""
        entry = self._entries.get(slug)
        return entry.number if entry else None

    def save(self) -> bool:
        """Write the ledger atomically if its content changed; say whether it did.

        An empty ledger whose file does not exist yet is not written.
        """
        data = self.dumps().encode("utf-8")
        try:
            if self.path.read_bytes() == data:
                return False
        except FileNotFoundError:
            if not self._entries:
                return False  # nothing to remember yet: no file needed
        write_bytes_atomic(self.path, data)
        return True

    def dumps(self) -> str:
        """The ledger as JSON text: sorted keys, two-space indent, final newline."""
        document = {
            slug: {
                "guid": entry.guid,
                "number": entry.number,
                "published": _iso(entry.published),
                **({"source": entry.source} if entry.source is not None else {}),
            }
            for slug, entry in self._entries.items()
        }
        return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"

    def _check_unused(self, guid: str, slug: str) -> None:
        for other, entry in self._entries.items():
            if other != slug and entry.guid == guid:
                raise ArticleError(
                    f"episode {slug!r}: front-matter guid {guid!r} already belongs to "
                    f"episode {other!r} in {self.path.name}"
                )

    def _new_guid(self) -> str:
        taken = {entry.guid for entry in self._entries.values()}
        while True:
            guid = str(uuid.uuid4())
            if guid not in taken:
                return guid


def _parse_entry(path: Path, slug: str, value: object) -> LedgerEntry:
    """One entry of the file, or a ConfigError naming the file and slug."""
    if not isinstance(slug, str) or not slug:
        raise ConfigError("ledger has an empty slug", path)
    if not isinstance(value, dict):
        raise ConfigError(f"ledger entry {slug!r} must be an object", path)
    guid, published = value.get("guid"), value.get("published")
    if not isinstance(guid, str) or not guid.strip():
        raise ConfigError(f"ledger entry {slug!r} has no guid", path)
    if not isinstance(published, str):
        raise ConfigError(f"ledger entry {slug!r} has no published time", path)
    try:
        moment = dt.datetime.fromisoformat(published)
    except ValueError as exc:
        raise ConfigError(
            f"ledger entry {slug!r} has a published time that is not ISO 8601: {published!r}",
            path,
        ) from exc
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    number = value.get("number", 0)
    if isinstance(number, bool) or not isinstance(number, int) or number < 0:
        raise ConfigError(
            f"ledger entry {slug!r} has a number that is not a positive whole number: {number!r}",
            path,
        )
    source = value.get("source")
    if source is not None and (not isinstance(source, str) or not source or "/" in source):
        raise ConfigError(
            f"ledger entry {slug!r} has a source that is not a file name: {source!r}", path
        )
    if source is not None:
        source = unicodedata.normalize("NFC", source)
    return LedgerEntry(guid, moment.astimezone(dt.UTC), number, source)


def _numbered(path: Path, entries: list[LedgerEntry]) -> list[LedgerEntry]:
    """The entries with a number each: recorded numbers kept, the rest numbered after them.

    Ledgers written before episodes had numbers get them in publication order,
    so the same file always gives the same numbers.
    """
    taken = {entry.number for entry in entries if entry.number}
    if len(taken) != sum(1 for entry in entries if entry.number):
        raise ConfigError("ledger gives the same episode number to two episodes", path)
    sources = [entry.source for entry in entries if entry.source is not None]
    if len(set(sources)) != len(sources):
        raise ConfigError("ledger gives the same source file to two episodes", path)
    following = max(taken, default=0)
    result = list(entries)
    missing = sorted(
        (i for i, entry in enumerate(entries) if not entry.number),
        key=lambda i: (entries[i].published, entries[i].guid),
    )
    for i in missing:
        following += 1
        result[i] = replace(entries[i], number=following)
    return result


def _aware_utc(moment: dt.datetime) -> dt.datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"time {moment.isoformat()} has no time zone")
    return moment.astimezone(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    """ISO 8601 in UTC with a ``Z``, e.g. ``2024-05-01T12:00:00Z``."""
    text = moment.astimezone(dt.UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"
