"""A Markdown body → blocks, read from markdown-it-py's syntax tree.

CommonMark plus what writers use (GitHub's tables and strikethrough, and
mdit-py-plugins' footnotes, task lists and definition lists), read as a
listener needs it:

- links are read as their text; an in-page link (``[Back to top](#top)``,
  "Skip to content") that makes up its whole paragraph is navigation and is
  not read; a ``javascript:`` link (``[Print](javascript:print())``) is not read;
- images are read as "Image: " and their alt text; code and struck text are not read;
- a table becomes a table block (:mod:`msaudio.text.table_speech` reads it);
- footnote markers are not read; the notes are read at the end, in a final
  section "Notes", in the order they are first cited;
- a task list's checkbox is not read: the item is read as its text;
- a definition list is a list of ``term: definition`` items;
- raw HTML is cleaned as a web page is (:mod:`msaudio.sources.markdown_html`),
  so a ``<details>`` box reads its summary as a heading and its content, and a
  pasted share bar is not read;
- wiki links read as their label or page name (``[[Page|label]]`` → ``label``);
- embeds are dropped, not mentioned: ``![[file.png]]``, ``{% embed … %}``,
  ``{{< youtube … >}}``, iframes, and a paragraph that is only a web address;
- an Obsidian callout (``> [!warning] Title``) is a quote opened by its title,
  or by its type ("Warning.") when it has none; the marker is not read.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from markdown_it import MarkdownIt
from markdown_it.tree import SyntaxTreeNode
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from msaudio.model import Block, BlockKind
from msaudio.text.tables import table_blocks

NOTES_HEADING = "Notes"
"""The section footnotes are read in, at the end of the article."""

_NAV_OPEN, _NAV_CLOSE = "\x02", "\x03"
"""Brackets around an in-page link's text, until its paragraph is known to be more than links."""
_NAV = re.compile(f"{_NAV_OPEN}[^{_NAV_CLOSE}]*{_NAV_CLOSE}")
_SCRIPT_LINK = re.compile(
    r"\[[^\]]*\]\(\s*(?:javascript|vbscript|data):(?:[^()]|\([^()]*\))*\)", re.IGNORECASE
)
"""A link markdown-it refuses to make (its address runs code): not read, text and all."""
_EMBED = re.compile(r"!\[\[[^\]]*\]\]|\{%.*?%\}|\{\{[<%].*?[>%]\}\}")
"""Obsidian's ``![[file]]``, Liquid's ``{% embed … %}``, Hugo's ``{{< youtube … >}}``."""
_WIKI_LINK = re.compile(r"\[\[([^\]|#]*)(?:#[^\]|]*)?(?:\|([^\]]*))?\]\]")
_LONE_URL = re.compile(r"^\W*(?:https?://|www\.)\S+\W*$", re.IGNORECASE)
_READABLE = re.compile(r"[^\W_]")
_NOTE_COMMENT = re.compile(r"%%.*?%%", re.DOTALL)
"""An Obsidian comment, inline or over lines: the writer's note to self, never shown."""
_CALLOUT = re.compile(r"^\s*\[!(?P<kind>[\w-]+)\][+-]?[ \t]*(?P<title>[^\n]*)\n?")
_LISTS = ("bullet_list", "ordered_list")
_NOT_READ = ("fence", "code_block", "hr", "footnote_block")


@functools.cache
def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark")
        .enable(["table", "strikethrough"])
        .use(footnote_plugin)
        .use(tasklists_plugin)
        .use(deflist_plugin)
    )


def body_blocks(body: str) -> list[Block]:
    """Blocks of a Markdown body in reading order, footnotes last under "Notes"."""
    tree = SyntaxTreeNode(_parser().parse(_NOTE_COMMENT.sub("", body)))
    blocks = list(_walk(tree))
    notes = [text for note in _footnotes(tree) if (text := " ".join(_all_text(note)))]
    if notes:
        blocks.append(Block(BlockKind.HEADING, text=NOTES_HEADING, level=2))
        blocks.extend(Block(BlockKind.PARAGRAPH, text=note) for note in notes)
    return blocks


def _footnotes(tree: SyntaxTreeNode) -> Iterator[SyntaxTreeNode]:
    for child in tree.children:
        if child.type == "footnote_block":
            yield from child.children


def _walk(node: SyntaxTreeNode) -> Iterator[Block]:
    """Blocks for ``node`` and its children, in document order."""
    for child in node.children:
        kind = child.type
        if kind == "heading":
            text, _ = _inline(child)
            yield Block(BlockKind.HEADING, text=text, level=int(child.tag[1:]))
        elif kind == "paragraph":
            text, images = _inline(child)
            if text and not _LONE_URL.match(text):
                yield Block(BlockKind.PARAGRAPH, text=text)
            yield from (Block(BlockKind.IMAGE, text=alt) for alt in images)
        elif kind in _LISTS:
            yield Block(BlockKind.LIST, items=tuple(_list_items(child)))
        elif kind == "dl":
            yield Block(BlockKind.LIST, items=tuple(_definitions(child)))
        elif kind == "blockquote":
            yield Block(BlockKind.QUOTE, text=_quote(child))
        elif kind == "table":
            yield from _table(child)
        elif kind == "html_block":
            # lxml and the web page reader, imported only for an article that has raw HTML
            from msaudio.sources.markdown_html import html_blocks

            yield from html_blocks(child.content)
        elif kind not in _NOT_READ:
            yield from _walk(child)


def _list_items(node: SyntaxTreeNode) -> Iterator[str]:
    """Item texts of a list; nested lists are flattened after their parent item."""
    for item in node.children:
        own = [_inline(c)[0] for c in item.children if c.type in ("paragraph", "heading")]
        yield " ".join(own)
        for nested in item.children:
            if nested.type in _LISTS:
                yield from _list_items(nested)


def _definitions(node: SyntaxTreeNode) -> Iterator[str]:
    """``term: definition`` for each definition; a term without one alone."""
    term: str | None = None
    for child in node.children:
        if child.type == "dt":
            if term:
                yield term
            term = _inline(child)[0]
        elif child.type == "dd":
            text = " ".join(_all_text(child))
            yield f"{term}: {text}" if term and text else term or text
            term = None
    if term:
        yield term


def _quote(node: SyntaxTreeNode) -> str:
    """A blockquote's text; an Obsidian callout's marker becomes its title or its type."""
    texts = list(_all_text(node))
    first = node.children[0] if node.children else None
    if first is None or first.type != "paragraph":
        return " ".join(texts)
    raw = _inline(first, lines=True)[0]
    callout = _CALLOUT.match(raw)
    if callout is None:
        return " ".join(texts)
    lead = _clean(callout["title"]) or callout["kind"].replace("-", " ").capitalize()
    lead = lead if lead[-1:] in ".!?:" else f"{lead}."
    rest = _clean(raw[callout.end() :])
    return " ".join(t for t in (lead, rest, *texts[1:]) if t)


def _table(node: SyntaxTreeNode) -> list[Block]:
    rows: list[list[str]] = []
    header = False
    for section in node.children:
        header = header or (section.type == "thead" and not rows)
        for row in section.children:
            rows.append([_inline(cell)[0] for cell in row.children])
    return table_blocks(rows, header=header)


def _all_text(node: SyntaxTreeNode) -> Iterator[str]:
    """All readable text under ``node`` (paragraphs, headings, list items and table cells)."""
    for block in _walk(node):
        if block.kind is BlockKind.LIST:
            yield from block.items
        elif block.kind is BlockKind.TABLE:
            yield from (" ".join(c for c in row if c) for row in block.rows)
        elif block.kind is not BlockKind.IMAGE:
            yield block.text


def _inline(node: SyntaxTreeNode, *, lines: bool = False) -> tuple[str, list[str]]:
    """Plain text of a block's inline content, and the alt texts of its images.

    With ``lines``, soft line breaks are kept as newlines (for a callout's title line).
    """
    parts: list[str] = []
    images: list[str] = []
    for inline in node.children:
        _inline_text(inline, parts, images, lines)
    text = _EMBED.sub(" ", _SCRIPT_LINK.sub(" ", "".join(parts)))
    text = _WIKI_LINK.sub(lambda m: m[2] if m[2] and m[2].strip() else m[1], text)
    if _NAV_OPEN in text and not _READABLE.search(_NAV.sub("", text)):
        return "", []  # nothing but in-page links: navigation
    text = text.replace(_NAV_OPEN, "").replace(_NAV_CLOSE, "")
    text = text if lines else _clean(text)
    return text, [alt for alt in map(_clean, images) if alt]


def _clean(text: str) -> str:
    return " ".join(text.split())


def _inline_text(node: SyntaxTreeNode, parts: list[str], images: list[str], lines: bool) -> None:
    """Append the readable text of inline ``node`` to ``parts``; image alts go to ``images``."""
    kind = node.type
    if kind in ("text", "code_inline"):
        parts.append(node.content)
    elif kind == "softbreak":
        parts.append("\n" if lines else " ")
    elif kind == "hardbreak":
        parts.append(" ")
    elif kind == "image":
        alt: list[str] = []
        for child in node.children:
            _inline_text(child, alt, images, lines)
        images.append("".join(alt))
    elif kind == "link" and str(node.attrs.get("href", "")).startswith("#"):
        parts.append(_NAV_OPEN)
        for child in node.children:
            _inline_text(child, parts, images, lines)
        parts.append(_NAV_CLOSE)
    elif kind not in ("html_inline", "s"):
        for child in node.children:
            _inline_text(child, parts, images, lines)
