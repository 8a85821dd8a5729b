"""The checks ``podcast.toml``'s keys are validated with: each returns ``None`` for an
acceptable value, else a description of what is expected."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

Check = Callable[[Any], str | None]
"""Returns None when a value is acceptable, else a description of what is expected."""


def _string(value: Any) -> str | None:
    return None if isinstance(value, str) and value.strip() else "a non-empty string"


def _bool(value: Any) -> str | None:
    return None if isinstance(value, bool) else "true or false"


_URL_UNSAFE = re.compile(r"[\s\"'<>\\^`{|}\x00-\x1f\x7f]")
"""Characters that cannot stand unescaped in a URL (RFC 3986) or would break out of an
attribute; a base URL with them would publish enclosure links no app can fetch."""


def _url(value: Any) -> str | None:
    if isinstance(value, str) and not _URL_UNSAFE.search(value) and "#" not in value:
        parts = urlsplit(value)
        try:
            parts.port  # noqa: B018 - raises ValueError for a port that is not a number
        except ValueError:
            return _URL_EXPECTED
        if parts.scheme in ("http", "https") and parts.hostname:
            return None
    return _URL_EXPECTED


def url_problem(value: Any) -> str | None:
    """What is wrong with ``value`` as a web address msaudio publishes, or ``None``."""
    return _url(value)


_URL_EXPECTED = "an absolute http:// or https:// URL without spaces, quotes or a #fragment"


def _url_list(value: Any) -> str | None:
    ok = isinstance(value, list) and all(_url(item) is None for item in value)
    return None if ok else "a list of absolute http:// or https:// URLs (feeds or pages)"


def _email(value: Any) -> str | None:
    ok = isinstance(value, str) and "@" in value and " " not in value.strip()
    return None if ok else "an e-mail address"


# RFC 5646's langtag production (case-insensitive), plus its private-use and grandfathered
# forms; no maintained BCP 47 parser (langcodes) is a dependency, and the grammar is short.
_LANGTAG = re.compile(
    r"""
    (?:
      (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4}|[a-z]{5,8})
      (?:-[a-z]{4})?                                    # script
      (?:-(?:[a-z]{2}|[0-9]{3}))?                       # region
      (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*          # variants
      (?:-[0-9a-wy-z](?:-[a-z0-9]{2,8})+)*              # extensions
      (?:-x(?:-[a-z0-9]{1,8})+)?                        # private use
    | x(?:-[a-z0-9]{1,8})+
    | i-(?:ami|bnn|default|enochian|hak|klingon|lux|mingo|navajo|pwn|tao|tay|tsu)
    | en-gb-oed | sgn-(?:be-fr|be-nl|ch-de)
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)


def is_language_tag(value: Any) -> bool:
    """Whether ``value`` is a well-formed BCP 47 tag (what ``[show] language`` and a feed's
    ``<language>`` must be)."""
    return isinstance(value, str) and _LANGTAG.fullmatch(value) is not None


def _language(value: Any) -> str | None:
    ok = is_language_tag(value)
    return None if ok else "a BCP 47 language tag such as en-us"


def _tld(value: Any) -> str | None:
    ok = isinstance(value, str) and re.fullmatch(r"[a-z]{2,3}(\.[a-z]{2,3})?", value) is not None
    return None if ok else "a Google domain ending such as com, co.uk or com.au"


SCHEDULER_LOCAL = "local"


def _scheduler(value: Any) -> str | None:
    expected = "'local' or a Dask scheduler address such as tcp://host:8786"
    if not isinstance(value, str) or value != value.strip() or not value:
        return expected
    if value == SCHEDULER_LOCAL:
        return None
    parts = urlsplit(value if "://" in value else f"tcp://{value}")
    try:
        port = parts.port
    except ValueError:
        return expected
    return None if parts.hostname and (port is not None or parts.scheme != "tcp") else expected


def _number_between(low: float, high: float) -> Check:
    def check(value: Any) -> str | None:
        ok = isinstance(value, int | float) and not isinstance(value, bool)
        return None if ok and low <= value <= high else f"a number from {low} to {high}"

    return check


def _one_of(choices: tuple[int, ...]) -> Check:
    def check(value: Any) -> str | None:
        return None if value in choices else "one of " + ", ".join(map(str, choices))

    return check


def _string_list(value: Any) -> str | None:
    ok = isinstance(value, list) and all(isinstance(v, str) and v.strip() for v in value)
    return None if ok else "a list of strings"


def _patterns(value: Any) -> str | None:
    if _string_list(value) is not None:
        return "a list of regular expressions"
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as error:
            return f"valid regular expressions ({pattern!r}: {error})"
    return None
