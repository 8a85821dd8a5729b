"""A table as a listener can follow it: a short lead-in, then one sentence per row.

With a header row: "A table with two rows: Result, and What it usually means."
then each row as one sentence of header–value pairs ("Result: normal; What it
usually means: no new lesions."), so a row is one cue of the transcript; a
pair whose cell is empty is left out. Without a header: "A table with three
rows." then each row's cells joined by semicolons. Counts up to twenty are
said as words.
"""

from __future__ import annotations

from msaudio.model import Block
from msaudio.text.normalize import number_words

SMALL_NUMBERS = 20

_ENDS = tuple(".!?…:;")


def _rows_count(number: int) -> str:
    word = number_words(number) if number <= SMALL_NUMBERS else str(number)
    return f"{word} row" if number == 1 else f"{word} rows"


def _stop(text: str) -> str:
    text = text.strip()
    return text if text.endswith(_ENDS) else f"{text}."


def _names(columns: list[str]) -> str:
    """``["A", "B", "C"]`` → ``A, B, and C``: the serial comma keeps names with "and" apart."""
    if len(columns) == 1:
        return columns[0]
    return ", ".join(columns[:-1]) + ", and " + columns[-1]


def table_texts(block: Block) -> list[str]:
    """What is said for a table block: the lead-in, then one text per row."""
    return [text for _, text in table_rows(block)]


def table_rows(block: Block) -> list[tuple[int, str]]:
    """:func:`table_texts` with the index in ``block.rows`` each text reads (-1: the lead-in)."""
    rows = [list(row) for row in block.rows]
    if not rows:
        return []
    if not block.header:
        said = [(-1, f"A table with {_rows_count(len(rows))}.")]
        return said + [
            (index, _stop("; ".join(c for c in row if c)))
            for index, row in enumerate(rows)
            if any(row)
        ]
    head, *body = rows
    columns = [name.rstrip(" :") for name in head]
    named = [name for name in columns if name]
    lead = f"A table with {_rows_count(len(body))}"
    said = [(-1, f"{lead}: {_names(named)}." if named else f"{lead}.")]
    for index, row in enumerate(body, 1):
        pairs = [
            f"{name}: {_bare(cell)}" if name else _bare(cell)
            for name, cell in zip(columns, row, strict=True)
            if cell
        ]
        if pairs:
            said.append((index, _stop("; ".join(pairs))))
    return said


def _bare(cell: str) -> str:
    """A cell without its closing full stop, to be joined with the next one."""
    return cell.rstrip(" .;")
