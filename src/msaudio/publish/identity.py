"""Which file in ``episodes/`` is which episode: slugs that stay with their file.

An episode's slug, GUID, number and date belong to the file that first had
them, as the ledger records (its ``source``). A newcomer whose name slugs the
same (``B c.txt`` beside the published ``b c.txt``) is the one refused, in one
line naming both files, and the published episode is left as it was.

Ledgers written before sources were recorded are filled in on the next build,
never changing an identity. When several files could own such an entry, the
rule is: the file the build record says was published (its fingerprint
matches), else the file named exactly as its slug, else the first by name; the
others are refused (or, for a name with no ASCII letters that slugged to
``episode`` back then, get their own slug).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from msaudio.config import ShowConfig
from msaudio.errors import ArticleError, ConfigError
from msaudio.publish.ledger import LEDGER_NAME, Ledger, source_name
from msaudio.sources import SUPPORTED_SUFFIXES
from msaudio.sources.common import LEGACY_SLUG, ascii_slug, slugify
from msaudio.sources.scan import Scan, scan_folder

WasPublished = Callable[[Path, str], bool]
"""Whether the build record says ``path`` is what was published as ``slug``."""



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

@dataclass
class Slugs:
    """The outcome of :func:`assign_slugs`."""

    of: dict[Path, str] = field(default_factory=dict)
    """Each article that publishes → its episode's slug."""

    refused: list[ArticleError] = field(default_factory=list)
    """Articles whose name is another file's episode: one error each."""


def assign_slugs(articles: Sequence[Path], ledger: Ledger, was_published: WasPublished) -> Slugs:
    """Give each article its slug (recording the sources of migrated entries in ``ledger``)."""
    result = Slugs()
    owners = ledger.owners()
    waiting: list[Path] = []
    holder: dict[str, Path] = {}
    for path in sorted(articles, key=lambda p: (p.name != source_name(p), p.name)):
        slug = owners.get(source_name(path))
        if slug is None:
            waiting.append(path)
        elif slug in holder:  # the same name twice, in NFC and NFD: Linux allows it
            result.refused.append(_taken(slug, holder[slug], path))
        else:
            holder[slug] = path
            result.of[path] = slug
    waiting = _migrate(waiting, ledger, was_published, result)
    present = {source_name(path) for path in articles}
    fresh: dict[str, Path] = {}
    for path in sorted(waiting, key=lambda p: (p.stem != slugify(p.stem), p.name)):
        slug = slugify(path.stem)
        entry = ledger.entries.get(slug)
        if entry is not None and entry.source is not None:
            if entry.source in present:
                reason = f"is already taken by '{entry.source}'"
            else:
                reason = (
                    f"belongs to '{entry.source}', which is no longer in episodes/ "
                    f'(to give it to this file, set its "source" in {LEDGER_NAME})'
                )
            result.refused.append(ArticleError(f"episode name '{slug}' {reason}; rename one", path))
        elif slug in fresh:
            result.refused.append(_taken(slug, fresh[slug], path))
        else:
            fresh[slug] = path
            result.of[path] = slug
    return result


def _migrate(
    waiting: list[Path], ledger: Ledger, was_published: WasPublished, result: Slugs
) -> list[Path]:
    """Give recorded entries without a source to their file; return the articles left."""
    unowned = {slug for slug, entry in ledger.entries.items() if entry.source is None}
    contenders: dict[str, list[Path]] = {}
    for path in waiting:
        slug = slugify(path.stem)
        if slug not in unowned and not ascii_slug(path.stem):
            slug = LEGACY_SLUG  # published before such names had a slug of their own
        if slug in unowned:
            contenders.setdefault(slug, []).append(path)
    left = list(waiting)
    for slug, paths in contenders.items():
        winner = _owner(slug, paths, was_published)
        ledger.claim(slug, source_name(winner))
        result.of[winner] = slug
        left.remove(winner)
        for other in paths:
            if other is not winner and slugify(other.stem) == slug:
                left.remove(other)
                result.refused.append(_taken(slug, winner, other))
    return left


def _owner(slug: str, paths: list[Path], was_published: WasPublished) -> Path:
    """The contender the rule in this module's docstring gives ``slug`` to."""
    for path in paths:
        if was_published(path, slug):
            return path
    return min(paths, key=lambda p: (p.stem != slug, p.name))


def _taken(slug: str, owner: Path, path: Path) -> ArticleError:
    return ArticleError(
        f"episode name '{slug}' is already taken by '{owner.name}'; rename one", path
    )
