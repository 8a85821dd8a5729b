"""Saving what was fetched: a new file name per article, the files, and the record.

The record (``msaudio-fetched.json`` in the show folder, committed with the ledger)
lists every article ever saved by its GUID and addresses, so an article is never saved
twice, even after its file was renamed or deleted. Everything is written only once
everything was fetched, and a failure while writing removes what this run wrote, so
``episodes/`` and the record are either as they were or hold every new article.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from msaudio.errors import ConfigError, FetchError
from msaudio.json_file import read_json
from msaudio.publish.atomic import NEW_FILE_MODE, write_bytes_atomic
from msaudio.sources.common import SLUG_MAX, ascii_slug, slugify

RECORD_NAME = "msaudio-fetched.json"
SUFFIX = ".html"


@dataclass(frozen=True)
class Saved:
    """One article to save: its file name in ``episodes/``, its bytes, and its record."""

    name: str
    data: bytes
    entry: Mapping[str, Any]
    """What the record keeps: ``file``, ``title``, ``guid``, ``urls``, ``feed``,
    ``published``, ``fetched`` (and ``digest`` for an item with neither GUID nor address)."""


class Record:
    """The articles fetched before, loaded from and saved to one JSON file."""

    def __init__(self, path: Path, entries: Iterable[Mapping[str, Any]] = ()) -> None:
        self.path = path
        self.entries = list(entries)

    @classmethod
    def load(cls, root: Path) -> Record:
        """The record of the show folder ``root``; empty when there is none yet."""
        path = root / RECORD_NAME
        raw = read_json(path, "record of fetched articles")
        if raw is None:
            return cls(path)
        articles = raw.get("articles") if isinstance(raw, dict) else None
        if not isinstance(articles, list) or not all(isinstance(a, dict) for a in articles):
            raise ConfigError('expected {"articles": [...]}, the record msaudio fetch keeps', path)
        return cls(path, articles)

    def keys(self) -> set[str]:
        """Every GUID, address and digest recorded."""
        found: set[str] = set()
        for entry in self.entries:
            urls = entry.get("urls")
            if isinstance(urls, list):
                found.update(u for u in urls if isinstance(u, str))
            found.update(entry[k] for k in ("guid", "digest") if isinstance(entry.get(k), str))
        return found

    def names(self) -> set[str]:
        """The slugs of every file name ever saved (a deleted file's name stays taken)."""
        return {
            slugify(Path(e["file"]).stem) for e in self.entries if isinstance(e.get("file"), str)
        }

    def dumps(self, added: Iterable[Mapping[str, Any]]) -> bytes:
        document = {"articles": [*self.entries, *added]}
        return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def entry_for(
    name: str,
    title: str,
    keys: Iterable[str],
    *,
    guid: str | None,
    feed: str | None,
    published: dt.datetime | None,
    fetched: dt.datetime,
) -> dict[str, Any]:
    """The record's entry for an article saved as ``episodes/<name>``."""
    keys = set(keys)
    entry: dict[str, Any] = {
        "file": name,
        "title": title,
        "guid": guid,
        "urls": sorted(k for k in keys if k != guid and not k.startswith("sha256:")),
        "feed": feed,
        "published": _iso(published) if published else None,
        "fetched": _iso(fetched),
    }
    digest = next((k for k in keys if k.startswith("sha256:")), None)
    if digest:
        entry["digest"] = digest
    return entry


def file_name(
    title: str | None, link: str | None, published: dt.datetime | None, taken: set[str]
) -> str:
    """A new ``<slug>.html`` name, its slug not in ``taken`` (which it is added to).

    The slug is the title's; a title with nothing ASCII in it (Greek, Japanese) gives the
    last part of the article's address instead, else ``article-<date>``. A slug taken
    already gets ``-2``, ``-3`` ... so no file is ever overwritten, and no new article
    takes the name (and so the GUID and date in the ledger) of an earlier one.
    """
    base = slugify(title or "")
    if not _has_ascii_word(title):
        segment = unquote(urlsplit(link or "").path.rstrip("/").rpartition("/")[2])
        segment = re.sub(r"\.(?:s?html?|php|aspx?)$", "", segment, flags=re.IGNORECASE)
        date = f"article-{published:%Y-%m-%d}" if published else "article"
        named = _has_ascii_word(segment) and re.search("[a-z]", slugify(segment))
        base = slugify(segment) if named else date
    slug, number = base, 1
    while slug in taken:
        number += 1
        suffix = f"-{number}"
        slug = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
    taken.add(slug)
    return slug + SUFFIX


def _has_ascii_word(text: str | None) -> bool:
    """Whether ``text`` has a letter or digit that survives :func:`slugify` (which gives a
    name without any a hashed ``episode-`` slug)."""
    return bool(text) and bool(ascii_slug(text or ""))


def taken_names(episodes: Path, *others: Iterable[str]) -> set[str]:
    """The slugs already used: every file in ``episodes/`` and those in ``others``."""
    taken = set().union(*others)
    if episodes.is_dir():
        taken.update(slugify(p.stem) for p in episodes.iterdir())
    return taken


def save_all(episodes: Path, record: Record, saved: list[Saved]) -> None:
    """Write every file, then the record; on any failure, remove what was written."""
    if not saved:
        return
    written: list[Path] = []
    try:
        episodes.mkdir(exist_ok=True)
        for item in saved:
            target = episodes / item.name
            if target.exists():  # made between the names being chosen and now
                raise FetchError(f"{target}: appeared while fetching; run msaudio fetch again")
            write_bytes_atomic(target, item.data, mode=NEW_FILE_MODE)
            written.append(target)
        write_bytes_atomic(record.path, record.dumps(i.entry for i in saved))
    except OSError as error:
        _remove(written)
        where = error.filename or episodes
        problem = error.strerror or str(error)
        raise FetchError(f"{where}: cannot write ({problem}); nothing was saved") from None
    except BaseException:
        _remove(written)
        raise


def _remove(paths: list[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat().removesuffix("+00:00") + "Z"
