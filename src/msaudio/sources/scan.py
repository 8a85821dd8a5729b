"""Which entries of ``episodes/`` are articles: regular files inside the show folder.

Every entry is resolved once, here, so no reader ever opens a link that leads
out of the show (``ln -s /etc/passwd episodes/x.txt`` would publish the file).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from msaudio.errors import ArticleError


@dataclass
class Scan:
    """The entries of ``episodes/``, sorted by name, each put in one list."""

    articles: list[Path] = field(default_factory=list)
    """Regular files with an article suffix, inside the show folder (or allowed outside)."""

    others: list[Path] = field(default_factory=list)
    """Regular files that are not articles."""

    skipped: list[ArticleError] = field(default_factory=list)
    """Entries that cannot be read as files (dangling links, loops, folders), one warning each."""

    refused: list[ArticleError] = field(default_factory=list)
    """Links that lead out of the show folder: one error each."""


def scan_folder(
    episodes_dir: Path, root: Path, suffixes: tuple[str, ...], *, outside: bool = False
) -> Scan:
    """Sort the visible entries of ``episodes_dir`` (see :class:`Scan`).

    ``outside`` allows links to files outside ``root`` (``[build] follow_links_outside``).
    """
    scan = Scan()
    show = Path(os.path.realpath(root))
    for path in sorted(episodes_dir.iterdir()):
        if path.name.startswith("."):
            continue
        article = path.suffix.lower() in suffixes
        try:
            target = path.resolve(strict=True)
            mode = target.stat().st_mode
        except RuntimeError:  # a link loop (Python < 3.13)
            scan.skipped.append(ArticleError("skipped: a symbolic link loop", path))
            continue
        except OSError as error:
            problem = "a link loop" if error.errno == 40 else "a link to nothing"  # ELOOP
            if not path.is_symlink():
                problem = f"cannot be read ({error.strerror or error})"
            scan.skipped.append(ArticleError(f"skipped: {problem}", path))
            continue
        if not stat.S_ISREG(mode):
            if article or not stat.S_ISDIR(mode):
                kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file"
                scan.skipped.append(ArticleError(f"skipped: {kind}, not an article", path))
            continue
        if not article:
            scan.others.append(path)
        elif not outside and not target.is_relative_to(show):
            scan.refused.append(
                ArticleError(
                    f"refused: a link to {target}, outside the show folder "
                    "(set [build] follow_links_outside = true to allow it)",
                    path,
                )
            )
        elif not os.access(target, os.R_OK):
            scan.skipped.append(ArticleError("skipped: not readable (permission denied)", path))
        else:
            scan.articles.append(path)
    return scan
