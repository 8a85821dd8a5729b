"""Panels of a plain-text newsletter: the boxes its rules draw round the article.

A newsletter sent as text draws rules (``-----``, ``=====``) across the page round
its parts: the masthead, "see it on the web", a sponsor's box, the contents, the
article, the footer (a rule right under a line standing alone underlines a heading
and draws no box). The article is the panel with the most prose. A box between
the first panel (the title's, unless it opens with a masthead) and the article
whose lines are all short holds no paragraph of the article; a box after the
article that holds the page's legal footer (a copyright, a company number, a
postal address) is the footer, all of it, and one whose lines are all short and that makes an
offer (a price, a percentage, a discount code, a web address) is an advertiser's box. A
first panel that holds a line of the page's chrome (an issue number, a bar of links) above an
article panel that opens with its own headline is the masthead, not the title's.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from msaudio.text.chrome_edges import words
from msaudio.text.chrome_lines import is_legal, is_prose, is_sentence, strong

_OFFER = re.compile(
    r"\d\s?%|[\u00a3$\u20ac]\s?\d|\bcode\s+[A-Z][A-Z\d]{3,}\b|https?://|www\."
    r"|\b[\w-]+\.(?:org|com|net|shop|store)(?:\.\w{2})?\b"
)
"""What an advertiser's box offers: a price, a percentage off, a discount code, an address."""
RULE_CHARS = 10
"""Characters in a rule drawn across the text (shorter ornaments sit inside a part)."""
HEADING_WORDS = 10
"""Words in a line short enough to be a heading a rule underlines."""
PARAGRAPH_WORDS = 20
"""Words in a line long enough to be a paragraph of the article, wherever it stands."""
MASTHEAD_WORDS = 4
"""Words in a headline at least; a masthead's name is shorter ("THE COOLER CLUB")."""


def is_rule(line: str) -> bool:
    """Whether the decoration ``line`` is drawn across the text."""
    return len(line.strip()) >= RULE_CHARS


def is_underline(kinds: Sequence[str], above: str) -> bool:
    """Whether a rule after raw lines of ``kinds`` ("blank", "text", "rule"), the last of
    them ``above``, underlines a heading (a short line standing alone, not a sentence, as
    plain-text mail writes a heading) rather than closing a box."""
    return (
        list(kinds[-2:]) == ["blank", "text"]
        and len(words(above)) <= HEADING_WORDS
        and not is_sentence(above)
    )


def boxes(panels: Sequence[int], lines: Sequence[str], chrome: Sequence[bool]) -> list[bool]:
    """For each line, whether it is in a box round the article (``panels``: each line's
    panel number, counted in rules from the top; ``chrome``: each line's verdict so far)."""
    result = [False] * len(lines)
    prose: dict[int, int] = {}
    for panel, line, verdict in zip(panels, lines, chrome, strict=True):
        if is_prose(line) and not verdict:
            prose[panel] = prose.get(panel, 0) + len(words(line))
    if not prose:
        return result
    main = max(prose, key=lambda panel: prose[panel])
    title = panels[0] if panels and not strong(lines[0]) else -1  # a masthead is no title
    for panel in set(panels):
        members = [i for i, p in enumerate(panels) if p == panel]
        if title < panel < main:
            boxed = _all_short(members, lines)
        elif panel > main:
            offer = any(_OFFER.search(lines[i]) for i in members)
            boxed = any(is_legal(lines[i]) for i in members) or (
                offer and _all_short(members, lines)
            )
        elif panel == title < main and _masthead(members, panels, lines, chrome, main):
            boxed = True
        else:
            boxed = False
        if boxed:
            for index in members:
                result[index] = True
    return result


def _all_short(members: Sequence[int], lines: Sequence[str]) -> bool:
    """Whether no line of a panel is long enough to be a paragraph of the article."""
    return all(len(words(lines[i])) < PARAGRAPH_WORDS for i in members)


def _masthead(
    members: Sequence[int],
    panels: Sequence[int],
    lines: Sequence[str],
    chrome: Sequence[bool],
    main: int,
) -> bool:
    """Whether the first panel (its lines ``members``) is a masthead: it holds a line of the
    page's chrome and no paragraph, and the article's panel opens with a headline of its own
    (a short line that is not a sentence, over prose)."""
    if len(words(lines[members[0]])) >= MASTHEAD_WORDS and not strong(lines[members[0]]):
        return False  # the panel opens with a headline: the title's
    if not any(chrome[i] and strong(lines[i]) for i in members):
        return False
    if any(len(words(lines[i])) >= PARAGRAPH_WORDS * 2 for i in members):
        return False
    own = [i for i, p in enumerate(panels) if p == main and not chrome[i]]
    return (
        len(own) >= 2
        and not is_sentence(lines[own[0]])
        and len(words(lines[own[0]])) <= HEADING_WORDS
        and is_prose(lines[own[1]])
    )
