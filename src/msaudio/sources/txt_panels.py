"""Panels of a plain-text newsletter: the boxes its rules draw round the article.

A newsletter sent as text draws rules (``-----``, ``=====``) across the page round
its parts: the masthead, "see it on the web", a sponsor's box, the contents, the
article, the footer (a rule right under a line standing alone underlines a heading
and draws no box). The article is the panel with the most prose. A box between
the first panel (the title's, unless it opens with a masthead) and the article
whose lines are all short holds no paragraph of the article; a box after the
article that holds the page's legal footer (a copyright, a company number, a
postal address) is the footer, all of it.
"""

from __future__ import annotations

from collections.abc import Sequence

from msaudio.text.chrome_edges import words
from msaudio.text.chrome_lines import is_legal, is_prose, is_sentence, strong

RULE_CHARS = 10
"""Characters in a rule drawn across the text (shorter ornaments sit inside a part)."""
HEADING_WORDS = 10
"""Words in a line short enough to be a heading a rule underlines."""
PARAGRAPH_WORDS = 20
"""Words in a line long enough to be a paragraph of the article, wherever it stands."""


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
            boxed = all(len(words(lines[i])) < PARAGRAPH_WORDS for i in members)
        elif panel > main:
            boxed = any(is_legal(lines[i]) for i in members)
        else:
            boxed = False
        if boxed:
            for index in members:
                result[index] = True
    return result
