"""Features of the lines round an article's body: who posted it, what to do, what it is not.

:mod:`msaudio.text.chrome` finds the body (the run of prose) and judges short
lines; these three kinds are sentences or names, so length and function words
alone miss them:

- a person's name on a line of its own, the poster of a social post or a
  comment ("Margaret Ellis" over her post): two or three capitalised words, the
  first a given name (a proper noun of the English word list that is not also a
  common word, or a word the list does not know at all);
- a call to action: a line that opens with an imperative of the page (share,
  tap, click, join, follow, like, subscribe, sign up, donate, watch, read more,
  forward, update...: the ``!`` verbs of ``data/chrome_words.txt``) and is short;
- a disclaimer: a line about the document itself ("This leaflet is for
  information only...", "The views expressed here...");
- a colophon: who produced the document and when it is reviewed ("Produced by the
  clinic team. Published May 2024.", "Next review: 2026");
- a sign-off: a letter's closing words on a line of their own, ending in a comma
  ("Warm wishes,", "Stay cool,") over a short signature. A letter ends there: what
  follows is its signature, postscript and footer, never the article.

Each is chrome at the edges of the body (before its first prose paragraph or after
its last); inside the body only a name is, since a post's text follows it.
"""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata

_UP, _LOW = "A-Z\u00c0-\u00d6\u00d8-\u00de", "a-z\u00df-\u00f6\u00f8-\u00ff"
_NAME_WORD = re.compile(
    rf"^(?:(?:[{_UP}]['\u2019]|Ma?c)?[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?|[{_UP}]\.)$"
)
"""One word of a name, accented letters too ("Siân", "Zoë", "Óscar")."""
_OPENING = ("please", "why", "not", "dont", "don't", "now", "so", "just", "and", "or")
_SELF = re.compile(
    r"\b(?:this|these|our)\s+(?:leaflet|booklet|factsheet|fact\s+sheet|guide|document|"
    r"publication|information|newsletter|e-?mail|message|site|website|page|article|post|blog)\b"
    r"|\bthe\s+(?:views|opinions)\s+expressed\b",
    re.IGNORECASE,
)
_CAVEAT = re.compile(
    r"\b(?:only|not|never|replace|substitute|instead\s+of|advice|endorse\w*|responsib\w*|"
    r"liab\w*|accura\w*|views|opinions|consult)\b",
    re.IGNORECASE,
)
_MONTH = "|".join(calendar.month_name[1:] + calendar.month_abbr[1:])
_COLOPHON = re.compile(
    r"^(?:produced|prepared|written|compiled|published|issued|printed)\s+by\b"
    r"|^(?:published|printed|issued|produced|updated|(?:last\s+|next\s+)?(?:reviewed|updated"
    r"|review)(?:\s+(?:due|date|on))?|version\s+\d+(?:\.\d+)*,?\s+(?:issued|published)"
    r"|issue\s+date|date\s+of\s+issue)"
    rf"\s*[:,\-\u2013]?\s*(?:in\s+|on\s+)?(?:\d{{1,2}}(?:st|nd|rd|th)?\s+)?(?:(?:{_MONTH})\.?\s+)?"
    r"(?:19|20)\d\d\b",
    re.IGNORECASE,
)
"""Who produced the document, or a date it was published or is reviewed on."""
COLOPHON_WORDS = 20
_CALENDAR = frozenset([*calendar.month_name[1:], *calendar.day_name])
_SIGN_OFF = re.compile(r"^[A-Z][^\W\d_]*(?:[\s'\u2019-]+[^\W\d_]+){0,3},$")
_SIGNED = re.compile(
    r"^[A-Z][^\W\d_]*(?:[\s'\u2019-]+[^\W\d_]+){0,3}, "
    r"(?:[A-Z][^\W\d_'\u2019-]*(?: [A-Z][^\W\d_'\u2019-]*){0,2}|.{0,30}\bteam)$"
)
"""A sign-off and its signature joined in one paragraph, as Markdown joins lines:
"Safe travels, Marcus", "Warm wishes, the clinic team"."""
SIGN_OFF_SHARE = 0.25
"""A sign-off ends the letter only when at most this share of its words follow it..."""
SIGN_OFF_LONGEST = 40
"""...and no line after it is longer than this, as an article's paragraph would be."""
CTA_WORDS = 15
"""Words in a line short enough to be a call to action rather than an article's sentence."""
APPEAL_WORDS = 30
"""Words in a closing appeal (a call to action of two or three sentences) at most."""
APPEAL_LEAD_WORDS = 6
"""Words in a sentence short enough to lead up to an appeal ("It only takes a minute.")."""
_LINK = re.compile(
    r"https?://|www\.|\b[\w.-]+@[\w-]+\.\w|\b[\w-]+\.(?:org|com|net)(?:\.\w{2})?\b", re.IGNORECASE
)
_POINTING = re.compile(_LINK.pattern + r"|\bclick\b|\blink\b|\bbutton\b", re.IGNORECASE)
_MONEY = re.compile(r"[\u00a3$\u20ac]\s?\d")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


@functools.cache
def _english() -> tuple[frozenset[str], frozenset[str]]:
    """The English word list as written (proper nouns capitalised) and its common words."""
    from english_words import get_english_words_set

    written = frozenset(get_english_words_set(["web2"], lower=False, alpha=True))
    return written, frozenset(word for word in written if word.islower())


def is_person_name(line: str) -> bool:
    """A line that is only a person's name: ``Margaret Ellis``, ``Tom O'Hara`` (a display
    name's emoji aside: ``Rosa Lind 🌻``)."""
    parts = [part for part in line.split() if not all(_symbol(c) for c in part)]
    if not 2 <= len(parts) <= 3 or not all(_NAME_WORD.match(part) for part in parts):
        return False
    written, common = _english()
    first = parts[0]
    if first in _CALENDAR:
        return False  # "March Update", "Sunday Walks": a heading
    if first.lower() not in common:
        return first in written or all(part.lower() not in common for part in parts)
    # A given name that is also a word ("Tom", "Grace", "Will") names a person only beside a
    # surname that is not a word: "Tom O'Hara" is a poster, "Will Power" a heading.
    return first in written and any(part.lower() not in common for part in parts[1:])


def _symbol(char: str) -> bool:
    return unicodedata.category(char)[0] in "SM" or char == "\u200d"


def is_call_to_action(line: str, found: list[str], verbs: frozenset[str]) -> bool:
    """A short line that opens with an imperative of the page: "Share your tip with us",
    "Join the walk this Saturday!", "Sign up for updates" (``found``: its words, lower case;
    ``verbs``: the imperatives)."""
    if not found or len(found) > CTA_WORDS:
        return False
    start = 0
    while start < len(found) - 1 and found[start] in _OPENING:
        start += 1
    return found[start] in verbs and not (line.rstrip().endswith("?") and start == 0)


def is_closing_appeal(line: str, found: list[str], verbs: frozenset[str]) -> bool:
    """A short paragraph that asks the reader to act and points where: a sentence opening
    with an imperative of the page and a link, a click or an address ("Know someone who
    would like this? Forward it, it only takes a click."), or a sum of money and a link
    ("£12 pays for an hour of the helpline: give at ...")."""
    if not found or len(found) > APPEAL_WORDS:
        return False
    pointing = _POINTING.search(line) is not None
    if _MONEY.search(line) and _LINK.search(line):
        return True
    sentences = [s for s in _SENTENCE_BREAK.split(line) if s.strip()]
    asking = [is_call_to_action(s, words(s), verbs) for s in sentences]
    # Every other sentence leads up to the ask ("Enjoyed this?"); a statement of the article
    # beside a share link is not an appeal.
    return (
        pointing
        and any(asking)
        and all(
            ask or s.rstrip().endswith("?") or len(words(s)) <= APPEAL_LEAD_WORDS
            for s, ask in zip(sentences, asking, strict=True)
        )
    )


def points_away(line: str) -> bool:
    """Whether ``line`` ends on a web address, as a pointer to somewhere else does
    ("Read it on the web: https://...", "10% off → shop.example.com")."""
    parts = line.split()
    if not parts or "@" in parts[-1]:
        return False  # an e-mail address or a handle (@name@server) is not a web page
    return _LINK.search(parts[-1].rstrip(".,;:!?)")) is not None and (
        not parts[-1].endswith(".") or len(parts) == 1
    )


def is_disclaimer(line: str, found: list[str]) -> bool:
    """A sentence about the document itself and what it is not."""
    return len(found) <= 40 and bool(_SELF.search(line) and _CAVEAT.search(line))


def is_colophon(line: str, found: list[str]) -> bool:
    """A line saying who produced the document, when, and when it is next reviewed."""
    return len(found) <= COLOPHON_WORDS and _COLOPHON.search(line.strip()) is not None


def is_edge_chrome(line: str, found: list[str], verbs: frozenset[str]) -> bool:
    """Whether ``line`` (its words ``found``) is chrome when it stands outside the body."""
    return (
        is_person_name(line)
        or is_call_to_action(line, found, verbs)
        or is_disclaimer(line, found)
        or is_colophon(line, found)
    )


def sign_off(lines: list[str], counts: list[int]) -> int | None:
    """The index of the line that signs a letter off, or ``None`` (``counts``: each line's
    words). It is the last line of up to four words ending in a comma that is followed by a
    short signature line (or holds one after the comma), in the letter's last quarter of
    words."""
    total = sum(counts)
    after = 0
    for index in range(len(lines) - 1, -1, -1):
        if after > SIGN_OFF_SHARE * total or counts[index] > SIGN_OFF_LONGEST:
            return None  # the letter goes on: a paragraph of the article follows
        line = lines[index].strip()
        following = counts[index + 1] if index + 1 < len(lines) else 0
        if (_SIGN_OFF.match(line) and 0 < following <= 8) or _SIGNED.match(line):
            return index
        after += counts[index]
    return None


def words(line: str) -> list[str]:
    """The letter words of ``line``, lower case, apostrophes dropped."""
    return [w.lower().replace("'", "").replace("\u2019", "") for w in _WORD.findall(line)]
