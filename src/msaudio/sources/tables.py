"""Tables in every format → :attr:`~msaudio.model.BlockKind.TABLE` blocks.

Shared by the readers: Markdown hands over the cells markdown-it found, a web
page the ``<table>`` trafilatura kept (or one written as raw HTML inside
Markdown), plain text its pipe tables (``| a | b |`` lines, a ``|---|---|``
rule under the header row). Whatever the source,
:func:`msaudio.text.tables.table_blocks` makes the block, so a layout table
(one column, or a single row without a header) is read as text, not as data.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

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


def pipe_table(lines: Sequence[str]) -> tuple[list[Block], int] | None:
    """A pipe table starting at ``lines[0]``: its blocks and how many lines it took.

    A table is a header line followed by a rule, or two or more lines that
    each start with ``|`` and have the same number of cells (so a byline such
    as ``Jo Bell | Symptoms`` is never a table).
    """
    if len(lines) < 2 or pipe_cells(lines[0]) is None:  # two lines at least make a table
        return None
    header = is_pipe_rule(lines[1])
    start = 2 if header else 0
    width = len(pipe_cells(lines[0]) or [])
    end = start
    while end < len(lines):
        cells = pipe_cells(lines[end])
        framed = header or lines[end].lstrip().startswith("|")
        if cells is None or not framed or (not header and len(cells) != width):
            break
        end += 1
    body = [pipe_cells(line) or [] for line in lines[start:end] if not is_pipe_rule(line)]
    if not header and len(body) < 2:
        return None
    rows = [pipe_cells(lines[0]) or [], *body] if header else body
    return table_blocks(rows, header=header), end


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
        if ancestor.tag in ("table",):
            return ancestor is table
    return False


def is_layout_table(table: Element) -> bool:
    """A ``<table>`` used for page layout: it holds headings, lists, tables or a cell of
    several paragraphs, or has a single column."""
    if any(
        isinstance(e.tag, str) and e.tag in _LAYOUT_CONTENT for e in table.iterdescendants()
    ):
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
