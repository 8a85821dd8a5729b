"""Which articles a build publishes, and which file gets each episode name."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from msaudio.config import ShowConfig
from msaudio.errors import ConfigError
from msaudio.sources import SUPPORTED_SUFFIXES, slugify
from msaudio.sources.scan import Scan, scan_folder


def scan_episodes(config: ShowConfig) -> Scan:
    """The show's articles in name order, and the entries of ``episodes/`` that are not
    (see :func:`scan_folder`)."""
    if not config.episodes_dir.is_dir():
        raise ConfigError("no such folder; put the show's articles there", config.episodes_dir)
    return scan_folder(
        config.episodes_dir,
        config.root,
        SUPPORTED_SUFFIXES,
        outside=config.build.follow_links_outside,
    )


def _slug_owners(articles: Sequence[Path]) -> dict[str, Path]:
    """Which file gets each episode name when several map to it.

    A file named exactly as its slug keeps it (``resting-well.md`` against a
    newer ``Resting Well.txt``), so an added file never takes over a published
    episode's identity; otherwise the first file in name order does.
    """
    owners: dict[str, Path] = {}
    for path in articles:
        slug = slugify(path.stem)
        if slug not in owners or (path.stem == slug and owners[slug].stem != slug):
            owners[slug] = path
    return owners
