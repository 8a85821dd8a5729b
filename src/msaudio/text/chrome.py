"""Page chrome in plain text, judged line by line by features, not by phrases.

Like jusText, a line is classified by what it looks like (length, share of
function words, separators, digits and symbols, handles, interface words,
repetition) and then by its neighbours: a short line among chrome is chrome,
a short line among prose is kept unless its own features are strong. The
phrase list (``data/boilerplate.txt``) only names credits and sure calls to
action; everything else a newsletter, forum, social thread or PDF leaflet
wraps round its article is found here.

The features of one line are :mod:`msaudio.text.chrome_lines`; the kinds of line that are
chrome at the body's edges (a poster's name, a call to action, a disclaimer, a sign-off) are
:mod:`msaudio.text.chrome_edges`. This module finds the body and weighs each line's features
against its neighbours'.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from msaudio.text.chrome_edges import (
    CTA_WORDS,
    is_closing_appeal,
    is_edge_chrome,
    is_person_name,
    points_away,
    sign_off,
    words,
)
from msaudio.text.chrome_lines import (
    LABEL,
    SHORT,
    goes_on,
    interface_count,
    interface_share,
    is_footer,
    is_item,
    is_legal,
    is_prose,
    is_sentence,
    page_imperatives,
    runs_on,
    sentence_like,
    shape,
    strong,
    unnumbered,
)

_ADDRESS = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:org|com|net|uk)\S*", re.IGNORECASE
)
_BYLINE = re.compile(r"^(?:by|written\s+by|words\s+by)\s+[A-Z]", re.IGNORECASE)
POINTER_BLOCK = 60
"""Words in a block short enough to be a box pointing away, not a part of the article..."""
PARAGRAPH = 25
"""...whose lines are all shorter than a paragraph of the article."""
INTERFACE_SHARE = 0.3
"""Share of interface words (sign in, register, e-mail...) that makes a short sentence above
the body the page's, not the writer's..."""
CLOSING_SHARE = 0.5
"""...and the share that does below it, where the writer's sentences ("like", "read") end."""
CLOSING_WORDS = 3
"""Interface words a prompt below the body holds at least ("log in to follow and reply")."""
LONE_LABEL = 3
"""Words in a label or a name ("Conversation", "Show more replies") that a block's prose does
not vouch for, and that alone opens no body."""
STANDFIRST = 10
"""Words in an unpunctuated line above the body long enough to be the writer's (a standfirst),
whatever its neighbours."""


def classify(
    lines: Sequence[str], groups: Sequence[int] | None = None, *, extracted: bool = False
) -> list[bool]:
    """For each line of an article, whether it is chrome.

    ``groups`` numbers the paragraph each line belongs to (lines wrapped from
    one paragraph, as PDFs give them, share a number and are judged together).
    ``extracted`` says the lines are what a page's extraction kept as its article, so a
    short sentence after the last paragraph is as likely the writer's as one before it.
    """
    blocks = list(groups) if groups is not None else list(range(len(lines)))
    groups = _loosen(lines, blocks)
    pointers = _pointer_blocks(lines, blocks)
    shapes = Counter(shape(line) for line in lines)
    for line in lines:  # a header once with its page number and once without is repeated
        bare = unnumbered(line)
        if bare is not None and bare in shapes:
            shapes[shape(line)] += 1
    joined: dict[int, list[str]] = {}
    verbs = page_imperatives()
    edge = [is_edge_chrome(line, words(line), verbs) for line in lines]
    for line, group, outside in zip(lines, groups, edge, strict=True):
        if not outside:
            joined.setdefault(group, []).append(line)
    prose_groups = {g for g, texts in joined.items() if any(map(is_prose, texts))}
    prose_groups |= {g for g, texts in joined.items() if is_prose(" ".join(texts))}
    wrapped = Counter(groups)
    listed = {g for g, texts in joined.items() if sum(map(is_item, texts)) >= 2}
    body = [  # a legal line in a paragraph's block does not stretch the body to the page's end
        i
        for i, line in enumerate(lines)
        if not edge[i]
        and not is_legal(line)
        and blocks[i] not in pointers
        and (is_prose(line) or (groups[i] in prose_groups | listed and not _label(line)))
    ]
    # the body opens on a line of the writer's, not on the page's greeting or sign-in prompt
    writers = [(i, interface_share(lines[i])) for i in body if not strong(lines[i])]
    opening = [i for i, share in writers if share < INTERFACE_SHARE]
    closing = [i for i, share in writers if share < CLOSING_SHARE]
    if opening and closing:  # ...and closes on one, not on the page's prompt to sign in
        body = [i for i in body if opening[0] <= i <= closing[-1]]
    first, last = (body[0], body[-1]) if body else (len(lines), -1)
    chrome: list[bool | None] = []
    for index, line in enumerate(lines):
        count = len(words(line))
        in_paragraph = groups[index] in prose_groups and wrapped[groups[index]] > 1
        following = lines[index + 1] if index + 1 < len(lines) else ""
        continued = groups[index + 1 : index + 2] == [groups[index]] and goes_on(following)
        fresh = not continued and (
            index == 0
            or groups[index - 1] != groups[index]
            or is_sentence(lines[index - 1])
            or not (runs_on(lines[index - 1]) or goes_on(line))  # not the same phrase
            or chrome[index - 1] is not False
        )
        if is_footer(line) and count <= 15:
            chrome.append(True)
        elif blocks[index] in pointers and (index < first or index > last):
            chrome.append(True)  # a box that points away: "see it on the web", an offer
        elif edge[index] and (index < first or index > last or is_person_name(line)):
            chrome.append(index > 0)  # a poster's name, a call to action, a disclaimer
        elif body and not first <= index <= last and _page_prompt(line, count, index < first):
            chrome.append(True)  # a greeting or prompt of the page above or below the body
        elif in_paragraph and is_prose(line):
            chrome.append(False)
        elif in_paragraph and fresh and not sentence_like(line) and strong(line):
            chrome.append(True)  # a counter or a handle glued to a post
        elif shapes[shape(line)] >= 2 and count <= 12 and not is_prose(line):
            chrome.append(True)  # a running header or footer
        elif in_paragraph and _label(line):
            chrome.append(None)  # a lone label in a block is judged by its neighbours
        elif in_paragraph:
            chrome.append(False)
        elif strong(line):
            chrome.append(True)
        elif is_prose(line):
            chrome.append(False)
        elif groups[index] in listed and is_item(line):
            chrome.append(False)  # a list item of the body
        elif not body:
            chrome.append(False)  # no body to stand outside of: only strong features count
        elif (index < first or index > last) and count <= SHORT:
            # a heading right over the body, or over the byline that opens it
            heading = index + 1 == first or (
                index + 2 == first and _BYLINE.match(lines[index + 1]) is not None
            )
            after = index > last and not (extracted and _kept_short(line))
            chrome.append(after or (index < first and not (heading or _kept_short(line))))
        else:
            chrome.append(None)  # undecided: judged by its neighbours
    end = sign_off(list(lines), [len(words(line)) for line in lines])
    if end is not None:
        chrome[end:] = [True] * (len(lines) - end)
    for index in range(len(lines) - 1, -1, -1):  # the appeals between the article and its end
        if chrome[index] is True:
            continue
        if not is_closing_appeal(lines[index], words(lines[index]), verbs):
            break
        chrome[index] = True
    return _context(chrome, lines)


def _page_prompt(line: str, count: int, above: bool) -> bool:
    """A line of the page's own (sign in, register, follow, reply) outside the body: above
    it, up to a label's length; below it, up to a call to action's."""
    interface, content = interface_count(line)
    limit, share, least = (
        (LABEL, INTERFACE_SHARE, 1) if above else (CTA_WORDS, CLOSING_SHARE, CLOSING_WORDS)
    )
    return count <= limit and interface >= least and interface >= share * max(content, 2)


def _label(line: str) -> bool:
    """A label or a name: a few words (``LONE_LABEL``) and no sentence."""
    return len(words(line)) <= LONE_LABEL and not is_sentence(line)


def _pointer_blocks(lines: Sequence[str], blocks: Sequence[int]) -> set[int]:
    """The short blocks that hold a line pointing away to a web address (a pointer to the web
    copy, an offer, a donation page): they are not the article, whose paragraphs may name
    an address but do not end on one."""
    found: dict[int, list[str]] = {}
    for line, block in zip(lines, blocks, strict=True):
        found.setdefault(block, []).append(line)
    return {
        block
        for block, texts in found.items()
        if any(map(points_away, texts))
        and sum(map(_said_words, texts)) <= POINTER_BLOCK
        and all(_said_words(text) < PARAGRAPH for text in texts)
    }


def _said_words(line: str) -> int:
    """Words of ``line`` without its web addresses."""
    return len(words(_ADDRESS.sub(" ", line)))


def _loosen(lines: Sequence[str], groups: list[int]) -> list[int]:
    """``groups`` with the short lines that open a block given groups of their own.

    Pasted without a blank line between them, a post's header (the poster, "Posts: 2317",
    "Location: ...") or a heading shares a block with the paragraph under it; such lines are
    not wrapped parts of that paragraph (those were joined into it) and are judged alone.
    """
    result = list(groups)
    fresh = max(groups, default=0) + 1
    for index, line in enumerate(lines[:-1]):
        opens = index == 0 or result[index - 1] != groups[index]
        if (
            opens
            and groups[index + 1] == groups[index]  # a block's lines are consecutive
            and len(words(line)) <= LABEL
            and not is_sentence(line)
            and lines[index + 1][:1].isupper()
            and not runs_on(line)
        ):
            result[index] = fresh
            fresh += 1
    return result


def _kept_short(line: str) -> bool:
    """A short line above the body is kept when it is a sentence that is not a slogan
    ("Keep moving!" is one, "What is fatigue?" is not)."""
    return (
        sentence_like(line)
        and not line.rstrip().endswith("!")
        and interface_share(line) < INTERFACE_SHARE
    )


def _context(chrome: list[bool | None], lines: Sequence[str]) -> list[bool]:
    """Undecided short lines take the verdict of their neighbours: chrome on both sides
    (or chrome and an edge) makes chrome; next to prose they are kept."""
    result: list[bool] = []
    for index, verdict in enumerate(chrome):
        if verdict is not None:
            result.append(verdict)
            continue
        before = next((v for v in reversed(chrome[:index]) if v is not None), True)
        after = next((v for v in chrome[index + 1 :] if v is not None), True)
        standfirst = False not in result and len(words(lines[index])) >= STANDFIRST
        result.append(bool(before and after) and not (is_sentence(lines[index]) or standfirst))
    return result
