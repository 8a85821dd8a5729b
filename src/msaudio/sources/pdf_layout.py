"""Lines of a PDF → paragraphs: running headers, footers and page numbers out, wrapped lines joined.

A page's text layer has no paragraphs, only lines where the layout program put
them. What repeats on several pages at the same height, with at most its
numbers changed, is a running header or footer; a bare number at a page's top
or bottom is a page number. The rest is rejoined by what a reader sees: a
wider gap, a first line set in, a change of type or a list marker starts a new
paragraph; a short line that ends a sentence ends one; a page or column break
ends nothing unless the line before it does.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from msaudio.sources.pdf_words import join_lines

MARKER = re.compile(
    r"^(?:[\u2022\u25cf\u25cb\u25aa\u25ab\u25a0\u25a1\u25e6\u2023\u2043\u2013\u2014\u00b7*\-"
    r"\u27a2\u27a4\u25ba\u25c6\u25c7\u2666\u2756\u2713\u2714\u2610\ue000-\uf8ff]"
    r"|\(?(?:\d{1,3}|[a-z]|[ivx]{1,4})[.)])\s+(?=\S)"
)
"""A bullet or a list number (``•``, ``–``, ``1.``, ``2)``, ``(a)``, ``iv.``) opening a line;
a private-use character is a symbol font's bullet (Word's Symbol and Wingdings bullets)."""

MARGIN = 0.15
"""Share of the page's height, at its top and at its bottom, where headers and footers stand."""
SAME_PLACE = 0.03
"""How far (share of the page height) a repeated line may move and still be the same header."""
_PAGE_NUMBER = re.compile(
    r"^(?:page\s+)?[-\u2013\u2014(\[]?\s*(?:\d{1,4}|[ivxlc]{1,6})\s*[-\u2013\u2014)\]]?"
    r"(?:\s*(?:of|/)\s*\d{1,4})?$",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?:\u2026][\"'\u201d\u2019)\]]*$")
SMALL_PRINT = 0.9
"""Type this much smaller than the body's is small print (footnotes, notices, codes)."""
PARAGRAPH_GAP = 1.3
"""A gap between lines this much wider than the text's usual line spacing starts a paragraph."""


@dataclass(frozen=True)
class Line:
    """One line of a page's text layer, where it stands (points from the page's top)."""

    text: str
    page: int
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    """The type size most of its characters are set in."""
    bold: bool
    """Most of its characters are in a bold (black, heavy, semibold) font."""
    starts: tuple[float, ...] = ()
    """Where each word begins: a list item's text starts after its marker."""
    page_height: float = 842.0


@dataclass
class Paragraph:
    """Lines read as one block, and how they are set."""

    lines: list[Line] = field(default_factory=list)
    text: str = ""

    @property
    def size(self) -> float:
        return statistics.median(line.size for line in self.lines)

    @property
    def bold(self) -> bool:
        return sum(line.bold for line in self.lines) * 2 > len(self.lines)

    @property
    def page(self) -> int:
        return self.lines[0].page

    @property
    def item(self) -> bool:
        return MARKER.match(self.lines[0].text) is not None


def _shape(text: str) -> str:
    """A line with its numbers blanked: running headers differ only in the page number."""
    return re.sub(r"\d+", "#", " ".join(text.casefold().split()))


def _in_margin(line: Line) -> bool:
    return line.top < MARGIN * line.page_height or line.bottom > (1 - MARGIN) * line.page_height


def without_running(lines: list[Line]) -> list[Line]:
    """``lines`` without running headers and footers and page numbers."""
    places: dict[str, list[Line]] = defaultdict(list)
    for line in lines:
        if _in_margin(line):
            places[_shape(line.text)].append(line)
    running: set[int] = set()
    for found in places.values():
        for line in found:
            others = {
                other.page
                for other in found
                if other.page != line.page
                and abs(other.top - line.top) <= SAME_PLACE * line.page_height
            }
            if others:
                running.add(id(line))
    return [
        line
        for line in lines
        if id(line) not in running and not (_in_margin(line) and _PAGE_NUMBER.match(line.text))
    ]


def _same_row(lines: list[Line]) -> list[Line]:
    """Pieces of one printed line (a marker and its text, words far apart) joined left to right."""
    merged: list[Line] = []
    for line in lines:
        last = merged[-1] if merged else None
        if (
            last is not None
            and last.page == line.page
            and min(last.bottom, line.bottom) - max(last.top, line.top)
            > 0.5 * min(last.bottom - last.top, line.bottom - line.top)
            and (line.x0 >= last.x1 - 1 or line.x1 <= last.x0 + 1)
        ):
            left, right = (last, line) if line.x0 >= last.x1 - 1 else (line, last)
            main = left if len(left.text) >= len(right.text) else right
            merged[-1] = Line(
                text=f"{left.text} {right.text}",
                page=line.page,
                x0=left.x0,
                x1=right.x1,
                top=min(last.top, line.top),
                bottom=max(last.bottom, line.bottom),
                size=main.size,
                bold=main.bold,
                starts=left.starts + right.starts,
                page_height=line.page_height,
            )
        else:
            merged.append(line)
    return merged


def _leading(lines: list[Line]) -> float:
    """The usual distance between lines, as a multiple of their type size."""
    ratios = [
        round((b.top - a.top) / a.size, 1)
        for a, b in itertools.pairwise(lines)
        if a.page == b.page and abs(a.size - b.size) < 0.2 and b.top > a.top and a.size > 0
    ]
    return Counter(ratios).most_common(1)[0][0] if ratios else 1.2


def _right_edges(lines: list[Line]) -> list[float]:
    """For each line, the right edge of its column: the widest line of its type it overlaps."""
    edges = []
    by_page: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        by_page[line.page].append(line)
    for line in lines:
        overlapping = [
            other.x1
            for other in by_page[line.page]
            if abs(other.size - line.size) <= 0.6  # not a title set across the columns
            and min(other.x1, line.x1) - max(other.x0, line.x0)
            > 0.5 * min(other.x1 - other.x0, line.x1 - line.x0)
        ]
        edges.append(max(overlapping, default=line.x1))
    return edges


def body_size(lines: Iterable[Line]) -> float:
    """The type size most characters are set in."""
    sizes: Counter[float] = Counter()
    for line in lines:
        sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def footnotes_last(lines: list[Line]) -> list[Line]:
    """``lines`` with the small print under a page's last line of text (footnotes, a code)
    moved to the end, where it is the document's small print: a paragraph that runs on to
    the next page is not cut by it."""
    small = body_size(lines) * SMALL_PRINT
    last_text = {line.page: index for index, line in enumerate(lines) if line.size >= small}
    final = lines[-1].page if lines else 0
    moved = [
        index
        for index, line in enumerate(lines)
        if line.size < small and line.page != final and index > last_text.get(line.page, -1)
    ]
    if not moved:
        return lines
    chosen = set(moved)
    return [line for i, line in enumerate(lines) if i not in chosen] + [lines[i] for i in moved]


def paragraphs(lines: list[Line]) -> list[Paragraph]:
    """The body's paragraphs, in reading order, their lines joined (see the module docstring)."""
    lines = _same_row(footnotes_last(without_running(lines)))
    leading = _leading(lines)
    edges = _right_edges(lines)
    result: list[Paragraph] = []
    current = Paragraph()
    for index, line in enumerate(lines):
        previous = lines[index - 1] if index else None
        if previous is not None and _starts_new(current, previous, line, leading, edges[index - 1]):
            result.append(current)
            current = Paragraph()
        current.lines.append(line)
    if current.lines:
        result.append(current)
    vocabulary = _vocabulary(lines)
    for paragraph in result:
        paragraph.text = join_lines([line.text for line in paragraph.lines], vocabulary)
    return result


def _starts_new(
    current: Paragraph, previous: Line, line: Line, leading: float, edge: float
) -> bool:
    """Whether ``line`` opens a new paragraph after ``previous`` (the last line of ``current``)."""
    if MARKER.match(line.text):
        return True
    if abs(line.size - previous.size) > 0.6 or line.bold != previous.bold:
        return True
    full = edge - previous.x1 < _first_word(line) + 0.3 * line.size
    ended = _SENTENCE_END.search(previous.text) is not None
    if line.page != previous.page or line.top <= previous.top:
        return ended and not full  # a page or column break: read on unless the text stopped
    if line.top - previous.top > leading * previous.size * PARAGRAPH_GAP:
        return True
    if ended and not full:
        return True
    if current.item:
        text_start = current.lines[0].starts[1:2] or (current.lines[0].x0,)
        if line.x0 >= text_start[0] - 0.6 * line.size:
            return False  # under the item's text: a hanging indent
        return ended or not full  # back at the margin: only a line run to the edge goes on
    return line.x0 > previous.x0 + 1.2 * line.size  # a first line set in


def _first_word(line: Line) -> float:
    """How wide ``line``'s first word is: a line before it that had room for it ended short."""
    if len(line.starts) > 1:
        return line.starts[1] - line.starts[0]
    return line.x1 - line.x0


_TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def _vocabulary(lines: list[Line]) -> Counter[str]:
    """Words (and hyphenated words) as the document writes them inside its lines, lower case:
    what tells a compound broken at its hyphen from a word broken between syllables."""
    found: Counter[str] = Counter()
    for line in lines:
        text = line.text.removesuffix("-")
        tokens = _TOKEN.findall(text.casefold())
        if line.text.endswith("-") and tokens:
            tokens = tokens[:-1]
        found.update(tokens)
    return found
