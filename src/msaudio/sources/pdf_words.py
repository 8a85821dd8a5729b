"""Wrapped lines → one paragraph's text, with words broken at a line's end made whole again.

A hyphen at the end of a line is either the layout program's (``symp-`` /
``toms``: a word broken between syllables, to be joined) or the writer's
(``relapsing-`` / ``remitting``: a compound broken at its hyphen, to be kept).
The rule, in order:

1. the document writes the hyphenated form inside a line somewhere: kept;
2. it writes the joined form: joined;
3. the joined form is an English word (or one with an ending: ``-s``, ``-ed``, ``-ing``...): joined;
4. both parts are English words (``well-`` / ``being``, ``self-`` / ``management``): kept;
5. otherwise (``moda-`` / ``finil``): joined, a syllable break.

A part that does not start with a small letter (``COVID-`` / ``19``) keeps its hyphen.
The English words are Webster's word list as the english-words package ships it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence

_BROKEN = re.compile(r"([^\W\d_]+)[-\u2010]$")
_NEXT = re.compile(r"^([^\W\d_]+)")
_ENDINGS = ("s", "es", "ed", "d", "ing", "ly", "er", "ers", "est", "ness", "ment", "ments")


@functools.cache
def _english() -> frozenset[str]:
    from english_words import get_english_words_set

    return frozenset(get_english_words_set(["web2"], lower=True, alpha=True))


def is_word(word: str) -> bool:
    """Whether ``word`` (lower case) is an English word, or one with a common ending."""
    words = _english()
    if word in words:
        return True
    for ending in _ENDINGS:
        stem = word.removesuffix(ending)
        if stem == word or len(stem) < 3:
            continue
        if stem in words or f"{stem}e" in words:
            return True
        if len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in words:  # remitt-ing
            return True
        if stem.endswith("i") and f"{stem[:-1]}y" in words:  # therapi-es
            return True
    return False


def keeps_hyphen(head: str, tail: str, vocabulary: Mapping[str, int]) -> bool:
    """Whether ``head-`` at a line's end and ``tail`` opening the next are a hyphenated word."""
    first, second = head.casefold(), tail.casefold()
    if vocabulary.get(f"{first}-{second}"):
        return True
    if vocabulary.get(first + second):
        return False
    if is_word(first + second):
        return False
    return is_word(first) and is_word(second)


def join_lines(lines: Sequence[str], vocabulary: Mapping[str, int]) -> str:
    """The lines of one paragraph as one text (see the module docstring)."""
    text = ""
    for line in lines:
        if not text:
            text = line
        elif text.endswith("\u00ad"):
            text = text[:-1] + line  # a soft hyphen marks a syllable break, always
        elif text.endswith(("-", "\u2010")) and text[-2:-1].isalnum() and line[:1].isalnum():
            broken, following = _BROKEN.search(text), _NEXT.match(line)
            if (
                broken is not None
                and following is not None
                and line[0].islower()
                and not keeps_hyphen(broken.group(1), following.group(1), vocabulary)
            ):
                text = text[:-1] + line
            else:
                text = text[:-1] + "-" + line  # COVID-19, 2020-2021, relapsing-remitting
        else:
            text = f"{text} {line}"
    return text
