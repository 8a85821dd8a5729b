"""Tables in every format → :attr:`~msaudio.model.BlockKind.TABLE` blocks.

Shared by the readers: Markdown hands over the cells markdown-it found, a web
page the ``<table>`` trafilatura kept (or one written as raw HTML inside
Markdown), plain text its pipe tables (``| a | b |`` lines, a ``|---|---|``
rule under the header row). Whatever the source,
:func:`msaudio.text.tables.table_blocks` makes the block, so a layout table
(one column, or a single row without a header) is read as text, not as data.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from lxml import etree

from msaudio.model import Block
from msaudio.text.tables import table_blocks

Element = etree._Element

_PIPE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")
"""The rule under a pipe table's header row: ``|---|:--:|``."""

_LAYOUT_CONTENT = frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "table", "article", "section", "main"}
)
"""Elements a data table's cell does not hold: a table around them is page layout (a cell may
hold one paragraph: word processors put every cell's text in a ``<p>``)."""


# --- plain text: pipe tables ----------------------------------------------------------------


def is_pipe_rule(line: str) -> bool:
    """Whether ``line`` is the ``|---|---|`` rule under a pipe table's header row."""
    return "|" in line and _PIPE_RULE.match(line.strip()) is not None


def pipe_cells(line: str) -> list[str] | None:
    """The cells of a ``| a | b |`` line, or ``None`` when it has fewer than two."""
    text = line.strip()
    if "|" not in text:
        return None
    text = text.removeprefix("|").removesuffix("|")
    cells = [cell.strip() for cell in text.split("|")]
    return cells if len(cells) >= 2 else None


def pipe_table(lines: Iterable[str]) -> tuple[list[Block], int] | None:
    """A pipe table starting at the first of ``lines``: its blocks and how many lines it took.

    A table is a header line followed by a rule, or two or more lines that
    each start with ``|`` and have the same number of cells (so a byline such
    as ``Jo Bell | Symptoms`` is never a table). ``lines`` is read only as far
    as the table goes.
    """
    found = iter(lines)
    top = next(found, "")
    first = pipe_cells(top)
    second = next(found, None)
    if first is None or second is None:
        return None
    header = is_pipe_rule(second)
    if not header and not top.lstrip().startswith("|"):
        return None
    rows = [first]
    used = 2 if header else 1
    for line in found if header else itertools.chain([second], found):
        cells = pipe_cells(line)
        framed = header or line.lstrip().startswith("|")
        if cells is None or not framed or (not header and len(cells) != len(first)):
            break
        if not is_pipe_rule(line):
            rows.append(cells)
        used += 1
    if not header and len(rows) < 2:  # one framed line is not a table
        return None
    return table_blocks(rows, header=header), used


# --- HTML ------------------------------------------------------------------------------------


def _text(element: Element) -> str:
    return " ".join("".join(t for t in element.itertext() if isinstance(t, str)).split())


def trafilatura_table(table: Element) -> list[Block]:
    """The blocks of a table in trafilatura's XML (``row``, ``cell role="head"``)."""
    rows = [row for row in table.iter("row") if _own(row, table)]
    cells = [[_text(cell) for cell in row.iterchildren("cell")] for row in rows]
    header = bool(rows) and all(c.get("role") == "head" for c in rows[0].iterchildren("cell"))
    return table_blocks(cells, header=header and bool(cells[0]))


def html_rows(table: Element) -> tuple[list[list[str]], bool]:
    """Rows of an HTML ``<table>`` (``tr``/``th``/``td``), and whether the first is a header
    (in ``<thead>``, or made of ``<th>`` only)."""
    rows = [row for row in table.iter("tr") if _own(row, table)]
    cells = [[_text(cell) for cell in row if cell.tag in ("th", "td")] for row in rows]
    if not rows:
        return [], False
    first = rows[0]
    parent = first.getparent()
    in_head = parent is not None and parent.tag == "thead"
    all_th = all(cell.tag == "th" for cell in first if cell.tag in ("th", "td"))
    return cells, bool(cells[0]) and (in_head or all_th)


def _own(row: Element, table: Element) -> bool:
    """Whether ``row`` (or a cell) belongs to ``table`` itself, not to a table nested in it."""
    for ancestor in row.iterancestors():
        if ancestor.tag == "table":
            return ancestor is table
    return False


def is_layout_table(table: Element) -> bool:
    """A ``<table>`` used for page layout: it holds headings, lists, tables or a cell of
    several paragraphs, or has a single column."""
    if any(isinstance(e.tag, str) and e.tag in _LAYOUT_CONTENT for e in table.iterdescendants()):
        return True
    if any(len(list(cell.iter("p"))) > 1 for cell in table.iter("td", "th")):
        return True
    rows, _ = html_rows(table)
    return max((len(row) for row in rows), default=0) < 2


def unwrap_layout_tables(tree: Element) -> None:
    """Turn layout tables into plain containers, so their content is read as text."""
    for table in reversed(list(tree.iter("table"))):
        if is_layout_table(table):
            parts = [table, *table.iter("thead", "tbody", "tfoot", "tr", "td", "th", "caption")]
            for element in [e for e in parts if e is table or _own(e, table)]:
                element.tag = "p" if element.tag == "caption" else "div"
