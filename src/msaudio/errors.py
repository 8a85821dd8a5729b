"""One exception hierarchy. Every message reads ``path: problem`` on one line."""

from __future__ import annotations

import re
from pathlib import Path

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class MsaudioError(Exception):
    """Base for every error msaudio reports to a user.

    ``path`` names the file the problem is about (when there is one) and is
    prefixed to the message, so the CLI can print ``str(error)`` as is.
    """

    def __init__(self, message: str, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self.message = " ".join(message.split())
        super().__init__(f"{shown(self.path)}: {self.message}" if self.path else self.message)

    def __reduce__(self) -> tuple[type[MsaudioError], tuple[str, Path | None]]:
        """Pickled as message and path, so an error raised on a cluster's worker arrives
        as the same error (the default would keep only the formatted text)."""
        return type(self), (self.message, self.path)


class ConfigError(MsaudioError):
    """The show configuration or the command line is invalid (exit code 2)."""


class ArticleError(MsaudioError):
    """One article could not be read or narrated; the rest of the show still builds."""


class FetchError(MsaudioError):
    """A feed or a page could not be fetched or read (``msaudio fetch``); nothing was saved.

    Its message starts with the URL (not a path, which would fold its ``//``).
    """


class EngineError(MsaudioError):
    """A speech engine is unknown, missing or failed."""


class EngineUnavailable(EngineError):
    """A speech engine cannot speak at all right now (no network, a program missing).

    Every other article for that engine would fail the same way, so a build
    reports it once and stops asking that engine.
    """


def shown(path: Path | str) -> str:
    """``path`` as it goes into a message: as is, or quoted with its control characters
    escaped (``repr``) when it holds any, so one problem is always one line."""
    text = str(path)
    return repr(text) if _UNPRINTABLE.search(text) else text
