"""One page's lines in reading order: columns found by the gutter no line crosses.

pdfminer orders text boxes by a weighted position, which on a page of two
columns set without gaps between paragraphs can interleave them. A column
shows itself more plainly: a vertical strip of the page that almost no line
crosses. Lines that do cross it (a title over both columns, a wide picture's
caption) separate the page into bands; within a band the left column is read
before the right one. Each side is looked at again, for a third column.
"""

from __future__ import annotations

from msaudio.sources.pdf_layout import Line

CROSSING = 0.1
"""Share of a page's lines that may cross a gutter (titles, wide captions)."""
EDGE = 0.2
"""A gutter is looked for only this far (share of the text's width) inside its edges."""
MIN_COLUMN_LINES = 3
"""Fewer lines on both sides of a gap, on average, are a few short lines, not columns."""
DEPTH = 3
"""How many times a side is split again (four columns at most)."""


def reading_order(lines: list[Line], depth: int = DEPTH) -> list[Line]:
    """``lines`` of one page, top to bottom, column by column."""
    ordered = sorted(lines, key=lambda line: (line.top, line.x0))
    gutter = _gutter(ordered) if depth else None
    if gutter is None:
        return ordered
    result: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []
    for line in ordered:
        if line.x0 < gutter < line.x1:
            result += reading_order(left, depth - 1) + reading_order(right, depth - 1)
            result.append(line)
            left, right = [], []
        elif line.x1 <= gutter:
            left.append(line)
        else:
            right.append(line)
    return result + reading_order(left, depth - 1) + reading_order(right, depth - 1)


def _gutter(lines: list[Line]) -> float | None:
    """The middle of the widest strip crossed by the fewest lines (and by few at all),
    when there are lines on both sides of it."""
    if len(lines) < 2 * MIN_COLUMN_LINES:
        return None
    start, end = min(line.x0 for line in lines), max(line.x1 for line in lines)
    low, high = start + EDGE * (end - start), end - EDGE * (end - start)
    step = max((end - start) / 200, 0.5)
    points = [low + i * step for i in range(int((high - low) / step) + 1)]
    counts = [sum(1 for line in lines if line.x0 < x < line.x1) for x in points]
    fewest = min(counts, default=len(lines))
    if fewest > CROSSING * len(lines):
        return None
    best: tuple[float, float] | None = None
    run: float | None = None
    for x, count in zip([*points, high + step], [*counts, fewest + 1], strict=True):
        if count == fewest:
            run = x if run is None else run
        elif run is not None:
            if best is None or x - run > best[1] - best[0]:
                best = (run, x)
            run = None
    if best is None:
        return None
    middle = (best[0] + best[1] - step) / 2
    left = sum(1 for line in lines if line.x1 <= middle)
    right = sum(1 for line in lines if line.x0 >= middle)
    # The last page's right column may hold a line or two; what makes columns is that
    # almost nothing crosses the strip while enough lines stand beside it.
    return middle if min(left, right) >= 1 and left + right >= 2 * MIN_COLUMN_LINES else None
