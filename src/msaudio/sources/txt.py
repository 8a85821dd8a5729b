"""Newsletter-style plain text → :class:`~msaudio.model.Article`.

The format producers paste from e-mail newsletters: a title line, a byline
(often glued to a list of categories), slogans and calls to action, rules of
``~~~`` or ``:::;;;``, one paragraph per line, a "continue reading from X"
credit and a channel link at the end. Blank lines and rules separate groups.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from msaudio.model import Article, Block, BlockKind
from msaudio.sources.common import (
    BYLINE,
    clean_text,
    has_url,
    kept_by_rules,
    make_article,
    match_boilerplate,
)
from msaudio.sources.eml_chrome import is_mail_furniture
from msaudio.sources.tables import is_pipe_rule, pipe_table
from msaudio.sources.txt_mail import strip_mail_text
from msaudio.sources.txt_panels import boxes, is_rule, is_underline
from msaudio.sources.txt_thread import replies_start
from msaudio.sources.txt_wrap import unwrap
from msaudio.text.chrome import classify
from msaudio.text.chrome_edges import words
from msaudio.text.chrome_lines import (
    function_words,
    is_framed_label,
    is_interface,
    is_prose,
    strong,
)
from msaudio.text.cleanup import is_decoration

REMOVED = "the title, byline, decoration and calls to action"

_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")
_BULLET = re.compile(r"^(?:[-*+•·◦▪‣]|\d{1,3}[.)])\s+(.+)$")
_TERMINAL = tuple(".!?:;,\u2026\"'\u201d\u2019)")
_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)]*$")

_APOS = "'\u2019"
_WORD = (
    rf"(?:[A-Z]\.(?:[A-Z]\.)*"  # initials: J. or J.R.
    rf"|(?:Mc|Mac|O[{_APOS}]|D[{_APOS}])?[A-Z][a-z{_APOS}]+(?:-[A-Z][a-z{_APOS}]+)*\.?)"
)
"""One word of a name: ``Jane``, ``McDonald``, ``O'Neill``, ``Jean-Luc``, ``J.R.``"""
_PARTICLE = r"(?:van|von|de|da|del|der|di|du|la|le|bin|al|ter)"
_NAME = re.compile(rf"{_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_WORD}){{0,4}}")
_SEPARATOR = re.compile(r"\s*(?:\||\u2022|\u00b7|\u2014|\u2013|\s-\s|/)\s*")
TITLE_WORDS = 15
"""Words in the first line of prose short enough to be the title above a page's chrome."""
_DATE_PREFIX = re.compile(r"^(?:posted|published|updated|dated)\s*(?:on)?\s*:?\s*", re.IGNORECASE)
_DATE_FORMATS = ("%B %d, %Y", "%b %d, %Y", "%B %d %Y", "%d %B %Y", "%d %b %Y", "%Y-%m-%d")


@dataclass(frozen=True)
class _Line:
    """One non-empty, non-decorative line and the group (paragraph run) it belongs to."""

    text: str
    group: int
    first_in_group: bool
    chrome: bool = False
    """Judged page chrome by :func:`msaudio.text.chrome.classify` (never read)."""
    boxed: bool = False
    """In a box the newsletter's rules draw round the article (:mod:`.txt_panels`)."""


def parse_txt(text: str, path: Path) -> Article:
    """Parse newsletter-style plain ``text`` read from ``path``."""
    text, subject = strip_mail_text(text)
    if subject and clean_text(text.lstrip().split("\n", 1)[0]).casefold() != subject.casefold():
        text = f"{subject}\n\n{text}"  # a forwarded message: its subject is the title
    lines = _content_lines(text)
    index = 0
    while index < len(lines) and match_boilerplate(lines[index].text):
        index += 1
    enveloped = bool(subject) and index == 0 and bool(lines) and lines[0].text == subject
    headline = _headline(lines, index, enveloped=enveloped)
    title = ""
    if headline is not None and headline < len(lines) and len(lines[headline].text) <= 150:
        index = headline
        heading = _MD_HEADING.match(lines[index].text)
        title = heading.group(2) if heading else lines[index].text
        index += 1
    author, date, index = _read_header(lines, index)
    blocks, credit, shared = _read_body(lines[index:])
    return make_article(
        path,
        title,
        blocks,
        removed=REMOVED,
        author=author,
        date=date,
        credit=credit,
        shared_by=shared,
    )


def _headline(lines: list[_Line], index: int, *, enveloped: bool = False) -> int | None:
    """Where the title is: the first line, unless it is page chrome and the page repeats a
    line of three words or more above the body (a thread's title over its first post, a
    page's title over its headline); then the first of those, else the first line like a
    headline, else none when the first line is a page's interface (a menu, a button).
    ``enveloped``: the first line is the subject a forwarded message was sent under."""
    if index >= len(lines) or not lines[index].chrome:
        return index
    head: list[tuple[int, str]] = []
    for position in range(index, len(lines)):
        line = lines[position]
        if is_prose(line.text) and not line.chrome:
            if len(words(line.text)) <= TITLE_WORDS:
                head.append((position, line.text))  # a thread's title, asked as a question
            break
        if not line.boxed:
            head.append((position, line.text))
    seen: dict[str, int] = {}
    for position, text in head:
        key = " ".join(text.casefold().split())
        if key in seen and len(words(key)) >= 3 and not strong(text):  # no running header
            return seen[key]
        seen.setdefault(key, position)
    fallback = None if is_interface(lines[index].text) else index  # a menu item is no title
    likely = [position for position, text in head if _headline_like(text)]
    if enveloped:  # a forwarded message's own headline beats the subject it was sent under
        own = [p for p in likely if p != index and not lines[p].chrome]
        return own[0] if own else index
    return likely[0] if likely else fallback


def _headline_like(text: str) -> bool:
    """Four words or more, one of them a function word, and no full stop: a headline, not a
    name, a masthead, a menu, a label or a byline."""
    found = words(text)
    if len(found) < 4 or text.rstrip().endswith(".") or _is_byline(text):
        return False
    return any(w in function_words() for w in found) and not strong(text)


def _content_lines(text: str) -> list[_Line]:
    """Non-empty lines without decoration, wrapped lines joined into their paragraphs,
    each tagged with its group number."""
    groups: list[list[str]] = [[]]
    group_panels = [0]
    kinds: list[str] = ["blank"]  # of the raw lines so far: "blank", "text" or "rule"
    for raw in text.split("\n"):
        line = clean_text(raw)
        if not line or (is_decoration(line) and not is_pipe_rule(line)):
            if groups[-1]:
                groups.append([])
                group_panels.append(group_panels[-1])
            above = groups[-2][-1] if len(groups) > 1 and groups[-2] else ""
            if line and is_rule(line) and not is_underline(kinds, above):
                group_panels[-1] += 1
            kinds.append("rule" if line else "blank")
            continue
        if is_framed_label(line) and is_rule(line):  # a labelled rule opens a box
            if groups[-1]:
                groups.append([])
                group_panels.append(group_panels[-1])
            group_panels[-1] += 1
            groups[-1].append(line)
            groups.append([])
            group_panels.append(group_panels[-1])
            kinds.append("rule")
            continue
        groups[-1].append(line)
        kinds.append("text")
    result = [
        _Line(line, group, position == 0)
        for group, lines in enumerate(unwrap(groups))
        for position, line in enumerate(lines)
    ]
    texts = [line.text for line in result]
    verdicts = classify(texts, [line.group for line in result])
    boxed = boxes([group_panels[line.group] for line in result], texts, verdicts)
    verdicts = [verdict or box for verdict, box in zip(verdicts, boxed, strict=True)]
    body = next((i for i, text in enumerate(texts) if is_prose(text) and not verdicts[i]), 0)
    replies = replies_start(texts, body)
    if replies is not None:
        verdicts[replies:] = [True] * (len(texts) - replies)  # comments, then the page's end
    return [
        _Line(line.text, line.group, line.first_in_group, _chrome(line.text, chrome), box)
        for line, chrome, box in zip(result, verdicts, boxed, strict=True)
    ]


def _chrome(line: str, verdict: bool) -> bool:
    """Judged chrome (by features, or as mail furniture) and not kept by the show's rules."""
    furniture = is_mail_furniture(line, linked=has_url(line))
    return (verdict or furniture) and not kept_by_rules(line)


def _read_header(lines: list[_Line], index: int) -> tuple[str | None, dt.date | None, int]:
    """Read a byline and a date from the lines right after the title.

    Returns the author, the date and the index of the first body line. A line
    that is plainly a byline or a category list but cannot be split is dropped.
    """
    author: str | None = None
    date: dt.date | None = None
    found = 0
    while index < len(lines) and found < 3:
        line = lines[index].text
        found_date = _parse_date_line(line) if date is None else None
        if found_date is not None:
            date = found_date
            found += 1
        elif author is None and _is_byline(line):
            author = parse_byline(line)
            found += 1
        elif not (match_boilerplate(line) or lines[index].chrome):
            break
        index += 1
    return author, date, index


def _is_byline(line: str) -> bool:
    """Whether ``line`` is a byline or a category line (never read aloud)."""
    if len(line) > 150:
        return False
    if BYLINE.match(line) and len(line) <= 80:
        return parse_byline(line) is not None or not _SENTENCE_END.search(line)
    if _SENTENCE_END.search(line):
        return False
    return parse_byline(line) is not None or _looks_like_categories(line)


def parse_byline(line: str) -> str | None:
    """Return the author named by a byline, or ``None`` when no name can be told apart.

    Handles ``By Jane Doe``, ``Jane Doe | Symptoms, Daily life`` and the glued
    newsletter form ``Jane DoeMultiple Sclerosis, Symptoms`` (name, then the
    category list starting right after a lowercase letter).
    """
    by = BYLINE.match(line)
    if by:
        name = _SEPARATOR.split(by.group("name"), maxsplit=1)[0].split(",")[0].strip()
        return name if _is_name(name, min_words=1) else None
    parts = _SEPARATOR.split(line, maxsplit=1)
    if len(parts) == 2 and _is_name(parts[0], min_words=2):
        return parts[0]
    glues = [m.start() + 1 for m in re.finditer(r"[a-z][A-Z]", line)]
    for cut in reversed(glues):
        name, rest = line[:cut], line[cut:]
        if _is_name(name, min_words=2) and len(rest) >= 3:
            return name
    return None


def _is_name(text: str, *, min_words: int) -> bool:
    """Whether ``text`` reads like one or more names (``Jane Doe and Sam Roe``)."""
    text = text.strip()
    names = re.split(r"\s+(?:and|&)\s+", text)
    return (
        len(text) <= 60
        and len(names[0].split()) >= min_words
        and all(_NAME.fullmatch(name) is not None for name in names)
    )


def _looks_like_categories(line: str) -> bool:
    """A comma- or bar-separated list of short capitalised phrases, each a name with at most
    one function word ("Diet and Nutrition"), not a phrase of a headline ("MS and the heat")."""
    parts = [p.strip() for p in re.split(r"[,|]", line)]
    stop = function_words()
    return len(parts) >= 2 and all(
        p and p[0].isupper() and len(p.split()) <= 6 and sum(w in stop for w in words(p)) <= 1
        for p in parts
    )


def _parse_date_line(line: str) -> dt.date | None:
    """A line that is only a date (``March 3, 2026``, ``Posted on 2026-03-03``)."""
    text = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", _DATE_PREFIX.sub("", line))
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _read_body(lines: list[_Line]) -> tuple[list[Block], str | None, str | None]:
    """Turn body lines into blocks; returns them, the first credit and who shared it."""
    blocks: list[Block] = []
    credit: str | None = None
    shared: str | None = None
    credit_group = -1
    items: list[str] = []
    table_end = 0
    for position, line in enumerate(lines):
        if position < table_end:
            continue
        bullet = _BULLET.match(line.text)
        if items and (not bullet or line.first_in_group):
            blocks.append(Block(BlockKind.LIST, items=tuple(items)))
            items = []
        table = pipe_table(_group_from(lines, position)) if "|" in line.text else None
        if table is not None:
            blocks.extend(table[0])
            table_end = position + table[1]
            continue
        boilerplate = match_boilerplate(line.text)
        if boilerplate is not None:
            if boilerplate.credit is not None or boilerplate.shared is not None:
                credit_group = line.group
                credit = credit or boilerplate.credit
                shared = shared or boilerplate.shared
            continue
        if line.chrome or (line.group == credit_group and _is_tagline(line.text)):
            continue
        if not blocks and _is_tagline(line.text) and _before_boilerplate(lines, position):
            continue  # a newsletter's slogan above its call to action, not the article
        if bullet:
            items.append(bullet.group(1))
            continue
        level = _heading_level(lines, position)
        if level:
            heading = _MD_HEADING.match(line.text)
            text = heading.group(2) if heading else line.text
            blocks.append(Block(BlockKind.HEADING, text=text, level=level))
        else:
            blocks.append(Block(BlockKind.PARAGRAPH, text=line.text))
    if items:
        blocks.append(Block(BlockKind.LIST, items=tuple(items)))
    return blocks, credit, shared


def _group_from(lines: list[_Line], position: int) -> Iterator[str]:
    """The texts of ``lines[position]`` and the lines after it in its group, lazily."""
    group = lines[position].group
    rest = (lines[index] for index in range(position, len(lines)))
    return (line.text for line in itertools.takewhile(lambda x: x.group == group, rest))


def _before_boilerplate(lines: list[_Line], position: int) -> bool:
    """Whether the line after ``lines[position]`` is boilerplate (or there is none)."""
    following = lines[position + 1] if position + 1 < len(lines) else None
    return following is None or match_boilerplate(following.text) is not None


def _is_tagline(text: str) -> bool:
    """A short unpunctuated line under a credit, like an organisation's motto."""
    return len(text) <= 80 and not _SENTENCE_END.search(text)


def _heading_level(lines: list[_Line], position: int) -> int:
    """Heading level of ``lines[position]`` when it introduces paragraphs, else 0.

    Conservative: ``# Markdown`` headings, or a short first line of a group
    (ALL CAPS, or without final punctuation) followed by a real sentence.
    """
    line = lines[position]
    heading = _MD_HEADING.match(line.text)
    if heading:
        return len(heading.group(1))
    after = lines[position + 1] if position + 1 < len(lines) else None
    if after is None or not _SENTENCE_END.search(after.text) or len(after.text) < 40:
        return 0  # a heading introduces text right away; a slogan sits above a call to action
    text = line.text
    words = text.split()
    if len(text) > 60 or len(words) > 8 or has_url(text) or not line.first_in_group:
        return 0
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters) and not text.endswith("."):
        return 2
    alone = after.group != line.group
    if text[0].isupper() or text[0].isdigit():
        if not text.endswith(_TERMINAL):
            return 2
        if text.endswith("?") and alone:
            return 2
    return 0
