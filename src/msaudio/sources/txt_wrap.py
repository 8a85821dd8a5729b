"""Hard-wrapped plain text → one line per paragraph.

Newsletters sent as plain text are wrapped at some 72 columns, and text copied
out of a PDF keeps the leaflet's lines; read line by line, "10" / "mg" never
meet and a sentence is cut in two. A line is joined to the next line of its
group (lines between blank lines) when it was broken by the wrapping, not by
the writer:

- the document is wrapped (its long lines end within a few columns of one
  width) and the next line's first word would not have fitted on this one,
  since a writer's own break leaves room that the wrapping would have filled;
- or this line does not end a sentence and the next goes on in small letters
  (text from a PDF, whose lines are not filled to a width);
- or a word is broken at this line's end (``symp-`` / ``toms``).

Lines that start a list item, a Markdown heading or a table row, and lines
that are rules or bars of short items, are never joined: they are the writer's.
Broken words are made whole as the PDF reader does (:mod:`.pdf_words`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from msaudio.sources.pdf_words import join_lines
from msaudio.text.chrome_lines import shape, strong

_ITEM = re.compile(r"^(?:[-*+\u2022\u00b7\u25e6\u25aa\u2023>]|\d{1,3}[.)]|#{1,6}|\[\d+\])\s")
_SENTENCE_END = re.compile(r"[.!?:\u2026][\"'\u201d\u2019)\]]*$")
_BAR = re.compile(r"\s(?:\||\u00b7|\u2022)\s")
_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
MAX_WIDTH = 100
"""Wider than this, lines are a writer's paragraphs, not a wrapping."""
MIN_LINE = 30
"""Characters in a line long enough to have been filled by a wrapping."""
MIN_WIDTH = 50
"""Narrower than this, short lines are a writer's (a poem, a list of lines), not a wrapping."""
MIN_WRAPPED = 5
"""Lines ending close to the width needed before a document counts as wrapped."""
OVERFLOW = 1.5
"""A line this many times the width long was not wrapped at that width..."""
MIN_OVERFLOW_WORDS = 12
"""...when it has this many words (a long web address cannot be broken)..."""
OVERFLOWING = 2
"""...and a document with this many such lines is not wrapped: its short lines are the writer's."""


def wrap_width(groups: Sequence[Sequence[str]]) -> int | None:
    """The width the text was wrapped at, or ``None`` when it was not wrapped.

    The lines that run on into another line of their group are looked at: in a
    wrapped text most of them end within a fifth of the longest one.
    """
    running = [len(line) for group in groups for line in group[:-1] if len(line) >= MIN_LINE]
    if len(running) < MIN_WRAPPED:
        return None
    width = max(running)
    near = sum(length >= 0.8 * width for length in running)
    if not MIN_WIDTH <= width <= MAX_WIDTH or near < max(MIN_WRAPPED, len(running) // 2):
        return None
    return width


def _overflows(line: str, width: int) -> bool:
    """A line of prose far wider than the width: a wrapping would have broken it."""
    return len(line) > OVERFLOW * width and len(line.split()) >= MIN_OVERFLOW_WORDS


def _joins(line: str, following: str, width: int | None, template: Counter[str]) -> bool:
    if template[shape(line)] >= 2 or template[shape(following)] >= 2:
        return False  # a running header or footer between the lines of a paragraph
    if _ITEM.match(following) or "|" in following or "|" in line or _BAR.search(line):
        return False
    head = following.split(maxsplit=1)[0]
    if line.endswith(("-", "\u00ad")) and line[-2:-1].isalpha() and head[:1].islower():
        return True
    if width is None or strong(line) or strong(following):
        return False  # a bar, a counter, a handle: chrome next to the paragraph, not in it
    if len(line) >= 0.5 * width and len(line) + 1 + len(head) > width:
        return True  # the next word would not have fitted: the wrapping broke here
    return not _SENTENCE_END.search(line) and head[:1].islower() and line[-1:].isalnum()


def vocabulary(groups: Sequence[Sequence[str]]) -> Counter[str]:
    """Words as the text writes them inside its lines (see :func:`.pdf_words.keeps_hyphen`)."""
    found: Counter[str] = Counter()
    for group in groups:
        for line in group:
            broken = line.endswith("-")
            tokens = _TOKEN.findall((line[:-1] if broken else line).casefold())
            found.update(tokens[:-1] if broken and tokens else tokens)
    return found


def unwrap(groups: Sequence[Sequence[str]]) -> list[list[str]]:
    """Each group's lines with the wrapped ones joined into their paragraphs."""
    width = wrap_width(groups)
    if width is None:
        width = _pdf_width(groups)
    if width is not None and sum(_overflows(x, width) for g in groups for x in g) >= OVERFLOWING:
        width = None
    words = vocabulary(groups)
    template = Counter(shape(line) for group in groups for line in group if len(line) <= 80)
    result: list[list[str]] = []
    for group in groups:
        paragraphs: list[list[str]] = []
        for line in group:
            if paragraphs and _joins(paragraphs[-1][-1], line, width, template):
                paragraphs[-1].append(line)
            else:
                paragraphs.append([line])
        result.append([join_lines(lines, words) for lines in paragraphs])
    return result


def _pdf_width(groups: Sequence[Sequence[str]]) -> int | None:
    """For text out of a PDF (lines not filled to one width): the longest line that runs on,
    when several groups hold three long lines or more, as paragraphs wrapped there do."""
    long_groups = [group for group in groups if sum(len(line) >= MIN_LINE for line in group) >= 3]
    if len(long_groups) < 2:
        return None
    width = max(len(line) for group in long_groups for line in group[:-1])
    return width if MIN_WIDTH <= width <= MAX_WIDTH else None
