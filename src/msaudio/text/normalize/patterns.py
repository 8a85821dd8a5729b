"""Regular-expression pieces shared by the normalization steps."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+"
"""A number: with thousands commas, plain, decimal, or a bare decimal part (".5")."""
NOT_AFTER_NUMBER_PART = r"(?<![\w.,])"
"""Not inside a longer number or word."""
NOT_BEFORE_NUMBER_PART = r"(?![0-9]|[.,:/–-][0-9])"
"""Not followed by more of the same number, a date or a version chain."""
SPACE = r"[ \t\u00a0\u202f\u2009]"

SENTENCE_END_AFTER = re.compile(r"""["'”’)\]]*\s*\Z""")
"""What may follow the last word of a sentence: closing quotes or brackets, then nothing."""
NEXT_SENTENCE_AFTER = re.compile(r"""\s+["'“‘(\[]?[A-Z]""")
"""What follows a full stop that ends a sentence inside a longer text."""


def ends_sentence(text: str, end: int) -> bool:
    """Whether a full stop at ``text[end - 1]`` closes a sentence: the text ends there (give or
    take closing quotes), or a capital letter starts the next one."""
    return bool(SENTENCE_END_AFTER.match(text, end) or NEXT_SENTENCE_AFTER.match(text, end))


def alternation(symbols: Iterable[str], regex: Callable[[str], str]) -> str:
    """Symbols as one alternation, longest first so "mmHg" wins over "mm"."""
    return "|".join(regex(symbol) for symbol in sorted(symbols, key=lambda s: (-len(s), s)))
