"""Chapters for articles without headings: parts of one to three minutes, cut between paragraphs.

A listener who tires needs places to stop and come back to. An article with
headings has them; a pasted newsletter usually does not, so its body is grouped
into parts of one to two minutes (about 1 500 characters each at the bundled
voice's pace), never splitting a paragraph; an article shorter than about a
minute and a half stays one chapter.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from msaudio.model import Block, BlockKind
from msaudio.text.sentences import split_sentences

TARGET_CHARS = 1500
"""About a minute and twenty seconds of speech at the bundled voice's pace: what parts aim for."""

SINGLE_PART_CHARS = 1800
"""Articles up to about a minute and a half are not divided."""

GIST_WORDS = 6
"""Words of a part's first sentence used in its chapter title."""


@dataclass(frozen=True)
class Part:
    """A run of blocks read as one chapter."""

    number: int
    """1 for the first part."""

    blocks: tuple[Block, ...]

    @property
    def title(self) -> str:
        """``Part 2: Heat can make old symptoms flare…`` — enough to find it in a chapter list."""
        gist = _gist(self.blocks)
        return f"Part {self.number}: {gist}" if gist else f"Part {self.number}"


def _size(block: Block) -> int:
    if block.kind is BlockKind.TABLE:
        return sum(len(cell) for row in block.rows for cell in row)
    return sum(map(len, block.items)) if block.kind is BlockKind.LIST else len(block.text)


def _gist(blocks: tuple[Block, ...]) -> str:
    for block in blocks:
        if block.kind is BlockKind.TABLE:
            continue
        text = block.items[0] if block.kind is BlockKind.LIST and block.items else block.text
        sentences = split_sentences(text, 10_000)
        if not sentences:
            continue
        words = sentences[0].rstrip(".!?…:;,").split()
        gist = " ".join(words[:GIST_WORDS])
        return gist + "…" if len(words) > GIST_WORDS else gist
    return ""


def split_into_parts(blocks: tuple[Block, ...]) -> list[Part]:
    """``blocks`` (an article without headings) as parts of about even length.

    An article longer than about a minute and a half gets ``round(length / 1500
    characters)`` parts (at least two), each cut at the paragraph boundary nearest
    to an even share, so parts run about one to two minutes.
    """
    sizes = [_size(block) for block in blocks]
    total = sum(sizes)
    if total <= SINGLE_PART_CHARS or len(blocks) < 2:
        return [Part(1, blocks)]
    count = min(len(blocks), max(2, round(total / TARGET_CHARS)))
    ends = list(itertools.accumulate(sizes))
    cuts: list[int] = []
    for share in range(1, count):
        goal = total * share / count
        first = cuts[-1] + 1 if cuts else 1
        candidates = range(first, len(blocks) - (count - share) + 1)
        cuts.append(min(candidates, key=lambda cut: abs(ends[cut - 1] - goal)))
    bounds = [0, *cuts, len(blocks)]
    return [
        Part(number, blocks[start:stop])
        for number, (start, stop) in enumerate(itertools.pairwise(bounds), 1)
    ]
