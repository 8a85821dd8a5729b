"""Features of one line of plain text: whether it is a sentence, prose, a footer, a bar of
links, a counter or a call to action, judged by its shape and words, not by phrases.

:mod:`msaudio.text.chrome` finds an article's body with these and judges each line by them
and by its neighbours; the readers use them too, to tell a panel, a wrapped line or a running
header from the writer's text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources

from msaudio.text.chrome_edges import words
from msaudio.text.normalize.tables import stop_words

_SENTENCE_END = re.compile(r"[.!?\u2026][\"'\u201d\u2019)]*$")
_SEPARATOR = re.compile(
    r"\s+(?:\||\u00b7|\u2022|\u2014|\u2013|-|\u203a|\u2039|>|<|\u00bb|\u00ab)\s+|\s{2,}"
)
_BAR = re.compile(r"\s(?:\||\u00b7|\u2022)\s")
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
PLACEHOLDER = 4
"""Words in a line ending on an ellipsis short enough to be a placeholder, not a sentence."""
SHORT = 8
"""Words in a line short enough to be a button, a counter or a label."""
LABEL = 12
"""Words in a line short enough to be a label, a heading or a running header, not prose."""


@functools.cache
def _word_lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """Stopwords (with the neutral date words), interface words and call-to-action verbs."""
    chrome = data_words("chrome_words.txt")
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
    return frozenset(w[1:] for w in data_words("chrome_words.txt") if w.startswith("^"))


@functools.cache
def data_words(name: str) -> frozenset[str]:
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
    return frozenset(w for w in data_words("chrome_words.txt") if w[:1] not in "!^~")


def interface_count(line: str) -> tuple[int, int]:
    """The line's plain interface words, and its content words (stopwords aside)."""
    stop, _, _ = _word_lists()
    content = [w for w in words(line) if w not in stop]
    interface = _interface_words()
    return sum(w in interface for w in content), len(content)


def interface_share(line: str) -> float:
    """Share of plain interface words among the line's content words (0 without any)."""
    interface, content = interface_count(line)
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


def unnumbered(line: str) -> str | None:
    """The shape of ``line`` without the page number at its start or end, or ``None`` when
    it has none: a running header printed on one page with its number, on another without."""
    text = " ".join(line.casefold().split())
    bare = _EDGE_NUMBER.sub("", text)
    return shape(bare) if bare != text and bare else None


def is_prose(line: str) -> bool:
    """A line of body text: a sentence of some length."""
    return is_sentence(line) and len(words(line)) >= 6


def goes_on(line: str) -> bool:
    """Whether ``line`` carries on the sentence above: it opens on a word in small letters
    (not on a version or a code, "v4.2")."""
    first = line.split(maxsplit=1)[0] if line.strip() else ""
    return first[:1].islower() and first.rstrip(",.;:").replace("-", "").isalpha()


def runs_on(line: str) -> bool:
    """Whether ``line`` stops mid-phrase, as a wrapped line does ("... with the", "... and,")."""
    found = words(line)
    if line.rstrip()[-1:] in ",-\u2010":
        return True
    return bool(found) and found[-1] in data_words("run_on_words.txt")


def is_item(line: str) -> bool:
    return _BULLET.match(line) is not None


def sentence_like(line: str) -> bool:
    return is_sentence(line) and len(words(line)) >= 3


def is_footer(line: str) -> bool:
    """A legal line of a page's footer: a copyright, a registered charity or company."""
    return _FOOTER.search(line) is not None


def is_framed_label(line: str) -> bool:
    """A short label between rules ("~~~~~ A WORD FROM OUR SPONSOR ~~~~~"): it opens a box of
    the newsletter's, as a rule does."""
    return _FRAMED.match(line) is not None and len(words(line)) <= SHORT
