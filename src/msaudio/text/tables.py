"""Table blocks made and cleaned the same way for every reader.

Empty rows and columns go, rows are padded to one length, and a layout table
(one column, or a single row without a header) is read as the paragraphs it
holds, not as data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from msaudio.model import Block, BlockKind


def table_blocks(rows: Iterable[Sequence[str]], *, header: bool) -> list[Block]:
    """Blocks for a table of ``rows`` (the first is the header when ``header``).

    A data table has at least two columns and, without a header, two rows;
    anything less is layout, read as one paragraph per cell.
    """
    clean = [[" ".join(cell.split()) for cell in row] for row in rows]
    kept = [row for row in clean if any(row)]
    header = header and bool(kept) and bool(clean) and kept[0] is clean[0]
    width = max((len(row) for row in kept), default=0)
    padded = [row + [""] * (width - len(row)) for row in kept]
    columns = [c for c in range(width) if any(row[c] for row in padded)]
    table = tuple(tuple(row[c] for c in columns) for row in padded)
    if len(columns) < 2 or len(table) < 2 - header or (header and len(table) < 2):
        return [Block(BlockKind.PARAGRAPH, text=cell) for row in table for cell in row if cell]
    return [Block(BlockKind.TABLE, rows=table, header=header)]


def clean_table(block: Block, clean: Callable[[str], str]) -> Block | None:
    """``block`` (a table) with ``clean`` applied to every cell; ``None`` when nothing is left."""
    rows = [tuple(clean(cell) for cell in row) for row in block.rows]
    header = block.header and bool(rows) and any(rows[0])
    kept = table_blocks(rows, header=header)
    if len(kept) == 1 and kept[0].kind is BlockKind.TABLE:
        return kept[0]
    # Cleaning emptied a column: what is left is read as text, in order.
    text = " ".join(block.text for block in kept)
    return Block(BlockKind.PARAGRAPH, text=text) if text else None
