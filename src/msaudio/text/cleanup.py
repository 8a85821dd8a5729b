"""Article → Article: the clutter a reader skips, taken out before anything is spoken.

The readers already drop whole lines that are boilerplate (``data/boilerplate.txt``
plus the show's own ``[cleanup]`` patterns). What is left still carries clutter
inside sentences; :data:`STEPS` removes it, one small ``str → str`` step at a
time, in order:

1. emoji and pictographs (a screen reader's "party popper" helps nobody);
2. Markdown link syntax that survived as text: ``[text](url)`` and ``[text](mailto:…)`` →
   ``text``; a link that runs code (``[Print](javascript:print())``) goes whole, as do
   in-page links (``[Back to top](#top)``) when they are all the text holds (the rules of
   :mod:`msaudio.sources.markdown_body`, so a ``.txt`` reads as a ``.md`` would);
3. web addresses: dropped when in brackets, else said as the site's name
   (``https://www.example.org/a/b?x=1`` → ``example.org``);
4. hashtags: a trailing run is dropped, one inside a sentence becomes words
   (``#MSAwareness`` → ``MS Awareness``);
5. handles: ``@NationalMSSociety`` → ``National MS Society``;
6. decoration: runs of ``!!!``, ``???``, ``***``, ``~~~`` and stray bullets;
7. a social post's place in its thread (``1/7``, ``(3/12)``), which is the page's, not the
   writer's words.

Only the text changes; structure (headings, lists, quotes) stays.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlsplit

from msaudio.errors import ArticleError
from msaudio.model import Article, Block, BlockKind
from msaudio.text.chrome_lines import drop_thread_counter
from msaudio.text.tables import clean_table

Step = Callable[[str], str]

_EMOJI = re.compile(
    "["
    "\U0001f000-\U0001faff"  # pictographs, emoticons, transport, symbols and more
    "\U00002600-\U000027bf"  # miscellaneous symbols and dingbats
    "\U00002b00-\U00002bff"  # arrows and stars
    "\U0001f1e6-\U0001f1ff"  # regional indicators (flags)
    "\ufe0e\ufe0f\u200d\u20e3"  # variation selectors, joiner, keycap
    "\U000e0020-\U000e007f"  # tag characters
    "]+"
)
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\((?:https?://|www\.|/|mailto:)[^)\s]*\)")
_SCRIPT_LINK = re.compile(
    r"[ \t]*\[[^\]]*\]\(\s*(?:javascript|vbscript|data):(?:[^()]|\([^()]*\))*\)", re.IGNORECASE
)
_ANCHOR_LINK = re.compile(r"\[([^\]]*)\]\(\s*#[^)\s]*\)")
_LETTER = re.compile(r"[^\W_]")
_URL = r"(?:https?://|www\.)[^\s<>\"')\]]+"
_BRACKETED_URL = re.compile(rf"\s*[(\[]\s*(?:see\s+|at\s+|via\s+)?{_URL}\s*[)\]]", re.IGNORECASE)
_BARE_URL = re.compile(_URL, re.IGNORECASE)
_TRAILING_TAGS = re.compile(r"(?:(?:^|\s+)[#@][^\W_][\w.]*)+\s*$")
_HASHTAG = re.compile(r"(?<![\w&])#([^\W_]\w*)")
_HANDLE = re.compile(r"(?<![\w.])@([A-Za-z_]\w{1,30})\b")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|(?<=[A-Za-z])(?=\d)")
_REPEATED = re.compile(r"([!?])\1+|([*~=_#|•·])\2+")
_LEADING_BULLET = re.compile(r"^[\s*•·◦▪‣>|-]+(?=\w)")
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([,.;:!?])")


def drop_emoji(text: str) -> str:
    """Remove emoji, pictographs and the invisible characters that compose them."""
    return _EMOJI.sub("", text)


def unlink_markdown(text: str) -> str:
    """``[text](https://…)`` left over in plain text → ``text``; a link that runs code goes
    whole; in-page links (``#top``) go when nothing else in ``text`` is words."""
    text = _SCRIPT_LINK.sub("", text)
    if _ANCHOR_LINK.search(text) and not _LETTER.search(_ANCHOR_LINK.sub("", text)):
        return ""  # a bar of "Back to top · Contents": navigation
    return _MARKDOWN_LINK.sub(r"\1", _ANCHOR_LINK.sub(r"\1", text))


def site_name(address: str) -> str:
    """The host of a web address without ``www.``: what a listener needs to find it."""
    url = address.rstrip(".,;:!?")
    try:
        host = urlsplit(url if "://" in url else f"//{url}").hostname or ""
    except ValueError:  # not an address after all: "http://[" opens an IPv6 host never closed
        return ""
    return host.removeprefix("www.")


def speak_urls(text: str) -> str:
    """Drop web addresses given in brackets; name the site for the others."""
    text = _BRACKETED_URL.sub("", text)

    def name(match: re.Match[str]) -> str:
        address = match.group(0)
        trailing = address[len(address.rstrip(".,;:!?")) :]
        return site_name(address) + trailing

    return _BARE_URL.sub(name, text)


_JOINED_AND = re.compile(r"([^\W\d_]*?[a-z]{2}s)and(?=[A-Z])")
"""A lowercase "and" run on after a plural in a camel-case name: ``MSViewsandNews``."""
_WORDS_ENDING_SAND = ("thousand", "quicksand")


def _split_joined_and(tag: str) -> str:
    def split(match: re.Match[str]) -> str:
        whole = match.group()
        return whole if whole.lower().endswith(_WORDS_ENDING_SAND) else f"{match[1]} and "

    return _JOINED_AND.sub(split, tag)


def words_of_tag(tag: str) -> str:
    """``MSAwareness`` → ``MS Awareness``; ``world_ms_day`` → ``world ms day``;
    ``MSViewsandNews`` → ``MS Views and News``."""
    return " ".join(_CAMEL.sub(" ", _split_joined_and(tag.replace("_", " "))).split())


def speak_hashtags(text: str) -> str:
    """Drop a trailing run of hashtags and handles; read the others as words."""
    text = _TRAILING_TAGS.sub("", text)
    return _HASHTAG.sub(lambda match: words_of_tag(match.group(1)), text)


def speak_handles(text: str) -> str:
    """``@NationalMSSociety`` → ``National MS Society`` (e-mail addresses are left alone)."""
    return _HANDLE.sub(lambda match: words_of_tag(match.group(1)), text)


def drop_decoration(text: str) -> str:
    """Collapse ``!!!`` and ``???``, remove rules of ``***``/``~~~`` and leading bullets."""
    text = _REPEATED.sub(lambda m: m.group(1) or " ", text)
    text = _LEADING_BULLET.sub("", text)
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", " ".join(text.split()))


STEPS: tuple[Step, ...] = (
    drop_emoji,
    unlink_markdown,
    speak_urls,
    speak_hashtags,
    speak_handles,
    drop_decoration,
    drop_thread_counter,
)
"""The cleanup steps, in the order they run."""


def clean_sentence_text(text: str) -> str:
    """Run every step of :data:`STEPS` over ``text``."""
    text = unicodedata.normalize("NFC", text)
    for step in STEPS:
        text = step(text)
    return text.strip()


_WORD_OR_NUMBER = re.compile(r"[^\W_]{2}|\d")


def is_decoration(text: str) -> bool:
    """Whether ``text`` is an ornament, not words: no letter or digit at all, or a rule of symbols
    with only single letters among them (``彡 ═════ 彡``, ``x ★ ★ ★ x``, not ``1 + 2 + 3 = 6``)."""
    if not re.search(r"[^\W_]", text):
        return True
    symbols = sum(unicodedata.category(char).startswith("S") for char in text)
    return symbols >= 3 and not _WORD_OR_NUMBER.search(text)


def _readable(text: str) -> str:
    """Cleaned text, or ``""`` when only decoration is left."""
    cleaned = clean_sentence_text(text)
    return "" if is_decoration(cleaned) else cleaned


def _clean_block(block: Block) -> Block | None:
    if block.kind is BlockKind.TABLE:
        return clean_table(block, _readable)
    if block.kind is BlockKind.LIST:
        items = tuple(item for item in map(_readable, block.items) if item)
        return replace(block, items=items) if items else None
    text = _readable(block.text)
    return replace(block, text=text) if text else None


def clean_article(article: Article) -> Article:
    """``article`` with clutter removed from every text; raises when nothing readable is left."""
    blocks = tuple(b for b in map(_clean_block, article.blocks) if b is not None)
    if not any(block.kind is not BlockKind.HEADING for block in blocks):
        message = "nothing to read once links, tags and decoration are removed"
        raise ArticleError(message, article.source)
    title = _readable(article.title) or article.title
    return replace(
        article,
        title=title,
        blocks=blocks,
        credit=_name(article.credit),
        shared_by=_name(article.shared_by),
    )


def _name(name: str | None) -> str | None:
    """A credit as words: ``ExampleHealthNews`` (from a hashtag) → ``Example Health News``."""
    if name is None:
        return None
    return words_of_tag(name) if " " not in name.strip() else name
