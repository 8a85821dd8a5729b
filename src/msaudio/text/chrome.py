"""Page chrome in plain text, judged line by line by features, not by phrases.

Like jusText, a line is classified by what it looks like (length, share of
function words, separators, digits and symbols, handles, interface words,
repetition) and then by its neighbours: a short line among chrome is chrome,
a short line among prose is kept unless its own features are strong. The
phrase list (``data/boilerplate.txt``) only names credits and sure calls to
action; everything else a newsletter, forum, social thread or PDF leaflet
wraps round its article is found here.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from importlib import resources

from msaudio.text.chrome_edges import (
    CTA_WORDS,
    is_closing_appeal,
    is_edge_chrome,
    is_person_name,
    points_away,
    sign_off,
    words,
)
from msaudio.text.normalize.tables import stop_words

_TOKEN = re.compile(r"\S+")
_NUMBER = re.compile(r"^[\W_]*[\d][\d.,:/]*[kKmM%]?[\W_]*$")
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)]*$")
_SEPARATOR = re.compile(
    r"\s+(?:\||\u00b7|\u2022|\u2014|\u2013|-|\u203a|\u2039|>|<|\u00bb|\u00ab)\s+|\s{2,}"
)
_BAR = re.compile(r"\s(?:\||\u00b7|\u2022)\s")
_ADDRESS = re.compile(
    r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:org|com|net|uk)\S*", re.IGNORECASE
)
_EDGE_NUMBER = re.compile(r"^\d{1,3}\s+(?=[^\W\d])|(?<=[^\W\d])\s+\d{1,3}$")
"""A page number at a line's start or end, as a printed page's header has it."""
_PHONE = re.compile(r"(?<![\d/.-])(?:\+\d{1,3}[\s-]?)?\(?\d{3,5}\)?(?:[\s-]?\d{3,4}){2}(?![\d/.-])")
"""A telephone number: "01632 960 118", "0300 555 0199", "+44 20 7946 0958"."""
_HANDLE = re.compile(r"(?<![\w.])[@#][^\W_]\w*")
_USERNAME = re.compile(r"^(?=.*(?:_|\d|[a-z][A-Z]))[A-Za-z][\w.]{2,30}$")
_PAGE = re.compile(r"\bpage\s+\d+(?:\s+(?:of|/)\s+\d+)?\b", re.IGNORECASE)
_BULLET = re.compile(r"^(?:[-*+\u2022\u25e6\u25aa\u2023]|\d{1,3}[.)])\s+\w")
_FIELD = re.compile(r"(?:^|\s)[A-Z][a-z]+(?: [a-z]+)?:\s")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b|\b\d{5}(?:-\d{4})?\b")
_FOOTER = re.compile(
    r"\u00a9|\(c\)\s*\d{4}|\ball rights reserved\b"
    r"|\bregistered\s+(?:charity|company|office|in\s+[A-Z])"
    r"|\b(?:charity|company|vat|registration|reg\.?)\s+(?:no\b|number|num\b|reg)",
    re.IGNORECASE,
)
"""Legal lines: copyright, a registered charity or company and its number."""
_POINTER = re.compile("[\u2190-\u21ff\u27a1\u2b05-\u2b07\U0001f446-\U0001f449]|^\\[.*\\]$|[<>]{2,}")
_THREAD_COUNTER = re.compile(
    r"^\(?(?P<n>\d{1,3})/(?P<m>\d{1,3})?\)?\s+(?=[A-Z\W])"
    r"|(?<=[.!?\u2026\"'\u201d\u2019)\U0001f300-\U0001faff])\s+"
    r"\(?(?P<n2>\d{1,3})/(?P<m2>\d{1,3})?\)?\s*$"
)
"""A post's place in a social thread, at its start ("1/7 A year ago...") or after its
last sentence ("...at the start. 1/12"); a fraction is neither."""
_FRAMED = re.compile(r"^([=~*#_+\-])\1{2,}\s*[^=~*#_+\-]+?\s*\1{3,}$")
"""A label between rules ("===== IN THIS ISSUE ====="): a newsletter's furniture."""
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
PLACEHOLDER = 4
"""Words in a line ending on an ellipsis short enough to be a placeholder, not a sentence."""
LONE_LABEL = 3
"""Words in a label or a name ("Conversation", "Show more replies") that a block's prose does
not vouch for, and that alone opens no body."""
SHORT = 8
"""Words in a line short enough to be a button, a counter or a label."""
LABEL = 12
"""Words in a line short enough to be a label, a heading or a running header, not prose."""
STANDFIRST = 10
"""Words in an unpunctuated line above the body long enough to be the writer's (a standfirst),
whatever its neighbours."""


@functools.cache
def _word_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Stopwords (with the neutral date words), interface words and call-to-action verbs."""
    chrome = _data_words("chrome_words.txt")
    verbs = frozenset(w[1:] for w in chrome if w.startswith("!"))
    neutral = frozenset(w[1:] for w in chrome if w.startswith("~"))
    ui = frozenset(w.lstrip("!^") for w in chrome if not w.startswith("~"))
    return function_words() | neutral, ui, verbs


def function_words() -> frozenset[str]:
    """The words of ``data/stopwords.txt``: every sentence and headline has some."""
    return stop_words()


@functools.cache
def page_imperatives() -> frozenset[str]:
    """The ``^`` verbs of ``data/chrome_words.txt``: a call to action opens with one."""
    return frozenset(w[1:] for w in _data_words("chrome_words.txt") if w.startswith("^"))


@functools.cache
def _data_words(name: str) -> frozenset[str]:
    """The lines of ``msaudio/data/<name>``, lower case, comments left out."""
    text = resources.files("msaudio").joinpath("data", name).read_text(encoding="utf-8")
    lines = (line.strip().lower() for line in text.splitlines())
    return frozenset(line for line in lines if line and not line.startswith("#"))


def is_sentence(line: str) -> bool:
    """Ends like a sentence and has the function words a sentence needs (three words or more,
    or a short one like "Rest helps.")."""
    line = _strip_symbols(line)
    if not _SENTENCE_END.search(line):
        return False
    if len(words(line)) <= PLACEHOLDER and line.endswith(("\u2026", "...")):
        return False  # a field's placeholder or a loading label: "Write a comment…"
    return len(words(line)) >= 2 and not _BAR.search(line)


def drop_thread_counter(text: str) -> str:
    """``text`` without a thread counter ("2/12", "(3/12)", "1/") at its start or end."""

    def drop(match: re.Match[str]) -> str:
        number, total = match["n"] or match["n2"], match["m"] or match["m2"]
        if total is not None and not 0 < int(number) <= int(total):
            return match.group()  # 3/2 is not a place in a thread
        return " " if match.start() and match.end() < len(text) else ""

    return _THREAD_COUNTER.sub(drop, text).strip() or text


def _strip_symbols(line: str) -> str:
    """``line`` without the emoji, symbols and thread counter that end a post
    ("... told me. 🧵", "... at the start. 1/12")."""
    line = drop_thread_counter(line)
    end = len(line)
    while end and (line[end - 1].isspace() or unicodedata.category(line[end - 1])[0] in "SM"):
        end -= 1
    return line[:end] if end else line


def _symbol_share(line: str) -> float:
    """Share of the line's visible characters that are digits, symbols or emoji."""
    chars = [c for c in line if not c.isspace()]
    odd = sum(c.isdigit() or unicodedata.category(c)[0] in "SP" for c in chars)
    return odd / len(chars) if chars else 0.0


@functools.cache
def _interface_words() -> frozenset[str]:
    """The plain words of ``data/chrome_words.txt``: buttons, menus and counters, without the
    verbs an article's sentences use too ("try", "find", "shop")."""
    return frozenset(w for w in _data_words("chrome_words.txt") if w[:1] not in "!^~")


def _interface_count(line: str) -> tuple[int, int]:
    """The line's plain interface words, and its content words (stopwords aside)."""
    stop, _, _ = _word_lists()
    content = [w for w in words(line) if w not in stop]
    interface = _interface_words()
    return sum(w in interface for w in content), len(content)


def _interface_share(line: str) -> float:
    """Share of plain interface words among the line's content words (0 without any)."""
    interface, content = _interface_count(line)
    return interface / content if content else 0.0


def _ui_share(line: str) -> float:
    """Share of interface words among the line's content words (stopwords, dates aside)."""
    stop, chrome, _ = _word_lists()
    content = [w for w in words(line) if w not in stop]
    if not content:
        return 1.0
    return sum(w in chrome for w in content) / len(content)


def strong(line: str) -> bool:
    """Whether ``line``'s own features say chrome, wherever it stands."""
    found = words(line)
    if len(found) > 25:
        return False
    sentence = is_sentence(line)
    items = [item for item in _SEPARATOR.split(line) if item.strip()]
    if len(_FIELD.findall(line)) >= 2 and not sentence:
        return True  # note-taking app properties: "Created: ... Tags: ... Status: ..."
    if _FRAMED.match(line) and len(found) <= SHORT:
        return True
    if _PAGE.search(line) and len(found) <= 6:
        return True  # "Page 2 of 3", "Briefing No. 9 - page 2"
    if _FOOTER.search(line) and len(found) <= 15:
        return True
    if not sentence and len(found) <= 15 and _PHONE.search(line):
        return True  # a contact line: "Helpline: 0300 555 0199 (weekdays)"
    if not sentence and line.count(",") >= 2 and _POSTCODE.search(line):
        return True  # a postal address
    if _USERNAME.match(line) or (_HANDLE.search(line) and len(found) <= 6 and not sentence):
        return True
    if len(items) >= 2 and not sentence and len(found) <= 20:
        return True  # a bar of short items: links, counters, a signature
    if _symbol_share(line) >= 0.4 and len(found) <= 4:
        return True  # counts: "💬 14 🔁 9 ❤️ 212"
    if len(found) <= SHORT and not sentence and _ui_share(line) > 0.5:
        return True
    if len(found) <= 12 and _call_to_action(line):
        return True
    return len(found) <= 5 and _ui_share(line) >= 0.67 and not _lowercase_prose(line)


def is_interface(line: str) -> bool:
    """A short line made mostly of interface words: a menu item, a button, a skip link."""
    return len(words(line)) <= SHORT and _ui_share(line) > 0.5


def is_legal(line: str) -> bool:
    """A page's legal footer: a copyright, a registered company or charity, a postal address."""
    if len(words(line)) > 15:
        return False
    return _FOOTER.search(line) is not None or (
        not is_sentence(line) and line.count(",") >= 2 and _POSTCODE.search(line) is not None
    )


def _lowercase_prose(line: str) -> bool:
    return line[:1].islower()


def _call_to_action(line: str) -> bool:
    """An imperative verb opening a line that points somewhere: an arrow, emoji or brackets."""
    _, _, verbs = _word_lists()
    found = words(line)
    if not found:
        return False
    pointing = _POINTER.search(line) is not None or any(
        unicodedata.category(c) == "So" for c in line
    )
    return pointing and any(w in verbs for w in found[:3])


def shape(line: str) -> str:
    """The line with its numbers blanked: running headers differ only in the page number."""
    return re.sub(r"\d+", "#", " ".join(line.casefold().split()))


def _unnumbered(line: str) -> str | None:
    """The shape of ``line`` without the page number at its start or end, or ``None`` when
    it has none: a running header printed on one page with its number, on another without."""
    text = " ".join(line.casefold().split())
    bare = _EDGE_NUMBER.sub("", text)
    return shape(bare) if bare != text and bare else None


def is_prose(line: str) -> bool:
    """A line of body text: a sentence of some length."""
    return is_sentence(line) and len(words(line)) >= 6


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
        bare = _unnumbered(line)
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
    listed = {g for g, texts in joined.items() if sum(map(_is_item, texts)) >= 2}
    body = [  # a legal line in a paragraph's block does not stretch the body to the page's end
        i
        for i, line in enumerate(lines)
        if not edge[i]
        and not is_legal(line)
        and blocks[i] not in pointers
        and (is_prose(line) or (groups[i] in prose_groups | listed and not _label(line)))
    ]
    # the body opens on a line of the writer's, not on the page's greeting or sign-in prompt
    writers = [(i, _interface_share(lines[i])) for i in body if not strong(lines[i])]
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
        continued = groups[index + 1 : index + 2] == [groups[index]] and _goes_on(following)
        fresh = not continued and (
            index == 0
            or groups[index - 1] != groups[index]
            or is_sentence(lines[index - 1])
            or not (_runs_on(lines[index - 1]) or _goes_on(line))  # not the same phrase
            or chrome[index - 1] is not False
        )
        if _FOOTER.search(line) and count <= 15:
            chrome.append(True)
        elif blocks[index] in pointers and (index < first or index > last):
            chrome.append(True)  # a box that points away: "see it on the web", an offer
        elif edge[index] and (index < first or index > last or is_person_name(line)):
            chrome.append(index > 0)  # a poster's name, a call to action, a disclaimer
        elif body and not first <= index <= last and _page_prompt(line, count, index < first):
            chrome.append(True)  # a greeting or prompt of the page above or below the body
        elif in_paragraph and is_prose(line):
            chrome.append(False)
        elif in_paragraph and fresh and not _sentence_like(line) and strong(line):
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
        elif groups[index] in listed and _is_item(line):
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


def _goes_on(line: str) -> bool:
    """Whether ``line`` carries on the sentence above: it opens on a word in small letters
    (not on a version or a code, "v4.2")."""
    first = line.split(maxsplit=1)[0] if line.strip() else ""
    return first[:1].islower() and first.rstrip(",.;:").replace("-", "").isalpha()


def _page_prompt(line: str, count: int, above: bool) -> bool:
    """A line of the page's own (sign in, register, follow, reply) outside the body: above
    it, up to a label's length; below it, up to a call to action's."""
    interface, content = _interface_count(line)
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
            and not _runs_on(line)
        ):
            result[index] = fresh
            fresh += 1
    return result


def _runs_on(line: str) -> bool:
    """Whether ``line`` stops mid-phrase, as a wrapped line does ("... with the", "... and,")."""
    found = words(line)
    if line.rstrip()[-1:] in ",-\u2010":
        return True
    return bool(found) and found[-1] in _data_words("run_on_words.txt")


def _kept_short(line: str) -> bool:
    """A short line above the body is kept when it is a sentence that is not a slogan
    ("Keep moving!" is one, "What is fatigue?" is not)."""
    return (
        _sentence_like(line)
        and not line.rstrip().endswith("!")
        and _interface_share(line) < INTERFACE_SHARE
    )


def _is_item(line: str) -> bool:
    return _BULLET.match(line) is not None


def _sentence_like(line: str) -> bool:
    return is_sentence(line) and len(words(line)) >= 3


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
