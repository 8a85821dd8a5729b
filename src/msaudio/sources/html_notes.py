"""An office export's footnotes, read last under "Notes" as a Markdown note's are.

Google Docs puts each footnote in a ``div`` at the page's end, opened by a link back to
its marker (``<a id="ftnt1" href="#ftnt_ref1">[1]</a>``), often after a rule; Word does
the same in ``div``\\s styled ``mso-element:footnote``. trafilatura drops them as the
page's tail, but they are the writer's words.
"""

from __future__ import annotations

import re
from typing import Any

from msaudio.model import Block, BlockKind
from msaudio.sources.common import clean_text
from msaudio.sources.markdown_body import NOTES_HEADING

Element = Any  # lxml elements (lxml ships no type stubs)

_MARKER = re.compile(r"^\s*\[?\(?\d{1,3}\)?\]?\s*")
_WORD_NOTE = re.compile(r"mso-element\s*:\s*footnote\b", re.IGNORECASE)


def office_notes(tree: Element) -> list[str]:
    """The texts of the document's footnotes, markers left out, in order."""
    notes: list[str] = []
    for element in tree.iter("div"):
        if is_note(element):
            text = clean_text(_MARKER.sub("", element.text_content()))
            if text and text not in notes:
                notes.append(text)
    return notes


def is_note(div: Element) -> bool:
    """Whether ``div`` holds one footnote of a Word or Google Docs export."""
    if _WORD_NOTE.search(div.get("style") or ""):
        return True
    back = next(div.iter("a"), None)
    identity = (back.get("id") or "") if back is not None else ""
    return identity.startswith("ftnt") and not identity.startswith("ftnt_ref")


def with_notes(blocks: list[Block], notes: list[str]) -> list[Block]:
    """``blocks`` and, under "Notes" at the end, the footnotes they do not already hold."""
    present = " ".join(clean_text(b.text).casefold() for b in blocks)
    missing = [note for note in notes if note.casefold() not in present]
    if not missing:
        return blocks
    return [
        *blocks,
        Block(BlockKind.HEADING, text=NOTES_HEADING, level=2),
        *(Block(BlockKind.PARAGRAPH, text=note) for note in missing),
    ]
