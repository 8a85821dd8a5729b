"""An advertiser's block in a plain-text newsletter: a short block that is paid for.

A newsletter pasted as text carries its sponsor's box inside or round the article, with or
without rules round it. It is found by its features, not its wording:

- a label: a short line that is not a sentence and holds a word of ``data/sponsor_words.txt``
  ("SPONSORED", "A word from our sponsor", "Advertisement"), opening the block or standing
  alone right above it;
- a discount code ("code COOLCLUB", "voucher: MS20"), which only an offer carries;
- a deal ("15% off", "save £5", "free trial") beside a web address to take it up at.

A block of at most :data:`AD_WORDS` words with a code, or a deal and an address, or a label
and any of those, is the advertiser's, its label too. A label alone is not enough ("Sponsored
walk" heads a charity's news), and a longer block is the article's, whatever it mentions.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from msaudio.text.chrome_edges import words
from msaudio.text.chrome_lines import data_words, is_sentence

AD_WORDS = 60
"""Words in a block short enough to be an advertiser's box, not a part of the article."""
LABEL_WORDS = 6
"""Words in a line short enough to be a label over a block."""
_CODE = re.compile(r"\b(?:code|coupon|voucher|promo)\s*:?\s+[A-Z][A-Z\d]{3,}\b", re.IGNORECASE)
_DEAL = re.compile(
    r"\d\s?%\s*(?:off|discount)\b|\bsave\s+(?:up\s+to\s+)?[\u00a3$\u20ac]?\d"
    r"|\bfree\s+(?:trial|delivery|shipping|sample)s?\b",
    re.IGNORECASE,
)
_ADDRESS = re.compile(
    r"https?://|www\.|\b[\w-]+\.(?:org|com|net|shop|store|co)(?:\.\w{2})?\b", re.IGNORECASE
)


@functools.cache
def _sponsor_words() -> frozenset[str]:
    return data_words("sponsor_words.txt")


def is_sponsor_label(line: str) -> bool:
    """A short line, not a sentence, that says what follows is paid for."""
    found = words(line)
    return (
        0 < len(found) <= LABEL_WORDS
        and not is_sentence(line)
        and any(word in _sponsor_words() for word in found)
    )


def _offers(text: str) -> bool:
    """A discount code, or a deal and an address to take it up at."""
    code = _CODE.search(text)
    if code is not None and any(c.isupper() for c in code.group().split()[-1][1:]):
        return True
    return _DEAL.search(text) is not None and _ADDRESS.search(text) is not None


def advertisements(lines: Sequence[str], groups: Sequence[int]) -> list[bool]:
    """For each line, whether it is in an advertiser's block (``groups``: each line's block)."""
    members: dict[int, list[int]] = {}
    for index, group in enumerate(groups):
        members.setdefault(group, []).append(index)
    result = [False] * len(lines)
    order = list(members)
    for position, group in enumerate(order):
        block = members[group]
        text = " ".join(lines[i] for i in block)
        if len(words(text)) > AD_WORDS:
            continue
        above = members[order[position - 1]] if position else []
        lone_label = len(above) == 1 and is_sponsor_label(lines[above[0]])
        labelled = is_sponsor_label(lines[block[0]]) and len(block) > 1
        commercial = any(r.search(text) for r in (_CODE, _DEAL, _ADDRESS))
        if _offers(text) or ((labelled or lone_label) and commercial):
            for index in block + (above if lone_label else []):
                result[index] = True
    return result
