"""Where the replies of a pasted thread begin: a social thread's or a forum topic's.

A thread pasted from a social site or a forum marks every post with its poster:
a handle on a line of its own (``@rosa_sideways``, ``@rosa@social.example``,
``@rosa.bsky.social``, ``@rosa · 3h``) or after the poster's name
(``Rosa Ng @rosa_sideways · 3h``), or a forum's ``Post by wobblyboots »`` or
``by wobblyboots »`` line. The thread is the first poster's; the first post by anyone
else opens the replies, which are comments, not the article, and all that follows
them is the page's. The poster's block just above that post (a display name, a
"Posts: 412" and "Joined: ..." line) goes with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_POSTER = re.compile(
    r"^(?:@(?P<handle>[A-Za-z0-9_]{2,30}(?:[.@][\w-]+(?:\.[\w-]+)*)?)"
    r"(?:\s*[\u00b7\u2022|]\s*.{0,40})?|u/(?P<reddit>[\w-]{2,30})"
    r"|(?:post|posted|reply|comment)\s+by\s+(?P<by>[^\s\u00bb>:,]+).*"
    r"|by\s+(?P<forum>[^\s\u00bb\u203a>:,]+)\s*[\u00bb\u203a>].*"
    r"|[^@\n]{1,40}?\s@(?P<named>[A-Za-z0-9_]{2,30})(?:\s*[\u00b7\u2022|]\s*.{0,24})?)\s*$",
    re.IGNORECASE,
)
BLOCK_WORDS = 6
"""Words in a line short enough to belong to a poster's block above a post."""


def poster(line: str) -> str | None:
    """The poster a line names, lower case, or ``None``."""
    match = _POSTER.match(line.strip())
    if match is None:
        return None
    found = match["handle"] or match["reddit"] or match["by"] or match["forum"] or match["named"]
    return str(found).casefold()


def replies_start(lines: Sequence[str], body_start: int) -> int | None:
    """The index of the first line of the replies, or ``None`` when ``lines`` do not open
    with a post (a poster named before ``body_start``, the first line of prose)."""
    first: str | None = None
    for index, line in enumerate(lines):
        name = poster(line)
        if name is None:
            continue
        if first is None:
            if index > body_start:
                return None  # a handle inside an article, not a thread's first post
            first = name
        elif name != first:
            start = index
            while start > 0 and _in_block(lines[start - 1]):
                start -= 1
            return start
    return None


def _in_block(line: str) -> bool:
    """A short line that is not a sentence of the post above (a name, a count, a button)."""
    return 0 < len(line.split()) <= BLOCK_WORDS and not line.rstrip().endswith((".", "!"))
