"""Reading the small JSON files a show folder keeps (the ledger, the record of fetched articles)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from msaudio.errors import ConfigError


def read_json(path: Path, what: str) -> Any | None:
    """The document in ``path``, or ``None`` when there is no such file.

    Anything else that keeps it from being read raises :class:`ConfigError`
    naming the file and ``what`` it is (``"ledger"``).
    """
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ConfigError(f"{what} is not readable JSON ({error})", path) from error
