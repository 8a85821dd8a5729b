"""Words as proof compares them: lower case, spelling folded, numbers and symbols as words."""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from importlib import resources

from msaudio.proof_report import NEEDS_EXTRA, ProofError


@dataclass(frozen=True)
class Token:
    word: str
    """Normalized word."""

    source: str
    """The piece of text it came from (``"10%"`` gives ``ten`` and ``percent``)."""

    index: int
    """Which piece of the text, counting from 0."""

    implied: bool = False
    """Read from a symbol that may be said elsewhere: "$50 and $300" is "50 and 300 dollars"."""


_PIECE = re.compile(
    r"(?P<currency>[$£€])?(?P<number>\d+(?:,\d{3})+(?!\d)|\d+(?:\.\d+)?)"
    r"(?P<suffix>(?:st|nd|rd|th|'?s)(?![^\W\d_]))?(?P<percent>%)?"
    r"|(?P<word>[^\W\d_]+(?:['’][^\W\d_]+)*)"
    r"|(?P<symbol>°[CF]?|[&%+])",
)
_CURRENCY = {"$": "dollars", "£": "pounds", "€": "euros"}
_SYMBOLS = {
    "&": ["and"],
    "%": ["percent"],
    "+": ["plus"],
    "°": ["degrees"],
    "°C": ["degrees", "celsius"],
    "°F": ["degrees", "fahrenheit"],
}
_ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")


_TITLES = {"dr": "doctor", "drs": "doctors", "mr": "mister", "mrs": "missus", "prof": "professor"}
"""Titles the recognizer writes short ("Dr.") for the words the narrator says ("Doctor")."""


_VARIANTS = {
    "yoghurt": "yogurt",
    "yoghurts": "yogurts",
    "dietician": "dietitian",
    "dieticians": "dietitians",
    "grey": "gray",
    "programme": "program",
    "programmes": "programs",
    "tyre": "tire",
    "tyres": "tires",
    "kerb": "curb",
    "pyjamas": "pajamas",
    "sceptical": "skeptical",
    "mould": "mold",
    "oestrogen": "estrogen",
    "oesophagus": "esophagus",
    "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers",
    "ageing": "aging",
    "practise": "practice",
    "practised": "practiced",
    "practises": "practices",
    "practising": "practicing",
    "judgement": "judgment",
    "enrol": "enroll",
    "fulfil": "fulfill",
    "skilful": "skillful",
    "adviser": "advisor",
    "advisers": "advisors",
}
"""Spellings of one spoken word that no rule of :data:`_SPELLINGS` folds."""


def _fold(text: str) -> str:
    """Lower case, accents and apostrophes removed, British spelling as American."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    word = bare.lower().replace("'", "").replace("’", "")
    word = _TITLES.get(word) or _VARIANTS.get(word) or _american(word)
    return _homophones().get(word, word)


@functools.cache
def _homophones() -> dict[str, str]:
    """Each word of ``data/homophones.txt`` to the first of its group."""
    text = resources.files("msaudio").joinpath("data/homophones.txt").read_text(encoding="utf-8")
    groups = [line.split() for line in text.splitlines() if line.strip() and line[0] != "#"]
    return {word: group[0] for group in groups for word in group}


_SPELLINGS = (
    (re.compile(r"(?<=[a-z]{2})([iy])s(e|es|ed|ing|ation|ations|er|ers)$"), r"\1z\2"),
    (re.compile(r"(?<=[a-z]{2})our(?=$|s$|ed$|ing$|ite$|ites$|able$|er$|ers$|al$|ful$)"), "or"),
    (re.compile(r"(?<=[a-z]{2})([bgt])re(s?)$"), r"\1er\2"),
    (re.compile(r"(?<=[a-z])(?:ae|oe)(?=[a-z]{2})"), "e"),
    (re.compile(r"(?<=[aeiou])ll(?=ed$|ing$|er$|ers$)"), "l"),
    (re.compile(r"(?<=[a-z]{2})ogue(s?)$"), r"og\1"),
    (re.compile(r"(?<=[a-z]{2})ence$"), "ense"),
    (re.compile(r"(?<=[a-z]{2})oea(s?)$"), r"ea\1"),
)
"""British spellings folded into American ones (fibre, favourite, behavioural, prioritise, anaemia,
apnoea, travelled): the recognizer writes American English, and a spelling is not a mishearing.
Both sides of a comparison are folded, so a fold that is too eager only hides a
difference between two words that differ in these letters alone."""


def _american(word: str) -> str:
    if len(word) < 5:
        return word
    for pattern, replacement in _SPELLINGS:
        word = pattern.sub(replacement, word)
    return word


def _spell(value: str, suffix: str) -> list[str]:
    """Digits as words: ``10`` → ten, ``1st`` → first, ``2026`` → twenty twenty-six."""
    try:
        from num2words import num2words
    except ImportError as error:  # pragma: no cover - installed with the proof extra
        raise ProofError(NEEDS_EXTRA) from error
    plain = value.replace(",", "")
    if len(plain) > 15:  # a code or a serial number, not a quantity: compared as written
        return [plain]
    if "." in plain:
        text = str(num2words(float(plain)))
    elif suffix in _ORDINAL_SUFFIXES:
        text = str(num2words(int(plain), to="ordinal"))
    elif len(value) == 4 and 1100 <= int(plain) <= 2099:
        text = str(num2words(int(plain), to="year"))
    else:
        text = str(num2words(int(plain)))
    # "two thousand five", as msaudio.text.normalize and American speech have it, not "... and five"
    words = [word for word in re.findall(r"[a-z]+", text.lower()) if word != "and"]
    if suffix.endswith("s") and suffix not in _ORDINAL_SUFFIXES:  # 1990s, 1990's
        last = words[-1]
        words[-1] = f"{last[:-1]}ies" if last.endswith("y") else f"{last}s"
    return words


def text_tokens(text: str) -> list[Token]:
    tokens: list[Token] = []
    text = unicodedata.normalize("NFKC", text)
    for index, match in enumerate(_PIECE.finditer(text)):
        source = match.group(0)
        if match["word"]:
            words = [_fold(match["word"])]
        elif match["symbol"]:
            words = list(_SYMBOLS[match["symbol"]])
        else:
            words = _spell(match["number"], (match["suffix"] or "").lower())
            if match["percent"]:
                words.append("percent")
        tokens.extend(Token(word, source, index) for word in words if word)
        if match["currency"]:
            tokens.append(Token(_CURRENCY[match["currency"]], source, index, implied=True))
    return tokens


def normalize_words(text: str) -> list[str]:
    """The words of ``text`` as compared: lower case, no punctuation, numbers spelled out.

    Hyphens and slashes separate words; ``&`` is *and*, ``%`` *percent*;
    ``10`` and ``ten``, ``1st`` and ``first`` compare equal.
    """
    return [token.word for token in text_tokens(text)]
