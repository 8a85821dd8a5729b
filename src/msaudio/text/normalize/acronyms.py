"""All-capital words: letters spelled out ("EDSS" → "E D S S"), unless they are words.

espeak-ng guesses from the letters whether a capitalized word is said or spelled, and guesses
wrong for many clinical abbreviations ("EDSS" as "eds", "MRIs" as "M R eyes" without the "s").
So an all-capital word the lexicon does not know is spelled, unless it is a word: listed in
``spoken_acronyms.txt`` (NASA, NICE), a Roman numeral after "Phase" or "Type", part of a heading
or phrase written in capitals ("WHAT YOU NEED TO KNOW"), or long enough and shaped like an English
word (UNICEF, IMPORTANT).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence

from msaudio.text.normalize.numbers import number_words, ordinal_words
from msaudio.text.normalize.tables import (
    CODAS,
    ONSETS,
    ROMAN_CONTEXTS,
    SPOKEN_ACRONYMS,
    UNITS,
    stop_words,
)

_CAPS = re.compile(r"(?<![\w'’])(?P<letters>[A-Z]{2,}|[IVX])(?P<tail>s['’]?|['’]s?)?(?![\w'’])")
_NUMBER_BEFORE = re.compile(r"[0-9][ \t\u00a0]?\Z")
_AFTER_NUMBER = frozenset({"AM", "PM"})
"""Capitals said by later steps after a number, besides the units: "10 PM"."""
_WORD_BEFORE = re.compile(r"(?P<word>[A-Za-z]+)[ \t]+\Z")
_GAP = re.compile(r"[\s,:;&/'’-]*\Z")
_ROMAN = re.compile(r"M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_VOWEL_GROUPS = re.compile(r"[aeiou]+|y(?![aeiou])")
_STARTS = ONSETS | {""}
_ENDS = CODAS | {""}
SHAPED_WORD = 5
"""All-capital words this long or longer are said as words when English could spell them."""


def _roman_value(letters: str) -> int:
    values = [_ROMAN_VALUES[letter] for letter in letters]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def pronounceable(word: str) -> bool:
    """Whether ``word`` is shaped like an English word: each run of consonants can start a
    word (first), end one (last) or be split between an ending and a start (between)."""
    lower = word.lower()
    vowels = list(_VOWEL_GROUPS.finditer(lower))
    if not vowels or any(len(group.group()) > 2 for group in vowels):
        return False
    if lower[: vowels[0].start()] not in _STARTS:
        return False
    if lower[vowels[-1].end() :] not in _ENDS:
        return False
    for left, right in itertools.pairwise(vowels):
        cluster = lower[left.end() : right.start()]
        splits = ((cluster[:cut], cluster[cut:]) for cut in range(len(cluster) + 1))
        if not any(coda in _ENDS and onset in _STARTS for coda, onset in splits):
            return False
    return True


def spell(letters: str, tail: str = "") -> str:
    """Letters one by one, "A" as "eh" (a lone "A" is read as the article); a plural or
    possessive ending as "'s", which piper says after a letter ("M R I's")."""
    spelled = " ".join("eh" if letter == "A" else letter for letter in letters)
    return f"{spelled}'s" if tail.strip("'’") == "s" or tail in ("s'", "s’") else spelled


def _shouted(matches: Sequence[re.Match[str]], text: str) -> set[int]:
    """Indexes of capitalized words that stand in a run of two or more written in capitals with
    a function word or a word-shaped word among them: a heading or a phrase shouted."""
    runs: list[list[int]] = []
    for index, match in enumerate(matches):
        previous = matches[index - 1] if index else None
        if previous and _GAP.match(text[previous.end() : match.start()]):
            runs[-1].append(index)
        else:
            runs.append([index])
    shouted: set[int] = set()
    for run in runs:
        words = [matches[index]["letters"] for index in run]
        if len(words) > 1 and any(
            word.lower() in stop_words() or (len(word) >= 4 and pronounceable(word))
            for word in words
        ):
            shouted.update(run)
    return shouted


def _roman(letters: str, text: str, start: int) -> str | None:
    """A Roman numeral as said in its context: a number after "Phase" or "Type" ("Phase II" →
    "Phase two"), an ordinal after a name ("Henry VIII" → "Henry the eighth"); else ``None``."""
    if not _ROMAN.fullmatch(letters):
        return None
    before = _WORD_BEFORE.search(text, 0, start)
    if before is None:
        return None
    if before["word"].lower() in ROMAN_CONTEXTS:
        return number_words(_roman_value(letters))
    if len(letters) > 1 and set(letters) <= set("IVX") and before["word"].istitle():
        return f"the {ordinal_words(_roman_value(letters))}"
    return None


def _counted_roman(match: re.Match[str], text: str) -> bool:
    """Whether ``match`` is a Roman numeral after a word such as "Stage" (see
    ``roman_contexts.txt``), which wins over the lexicon."""
    roman = _roman(match["letters"], text, match.start())
    return roman is not None and not roman.startswith("the ")


def _say(match: re.Match[str], text: str, shouted: bool) -> str:
    letters, tail = match["letters"], match["tail"] or ""
    roman = _roman(letters, text, match.start())
    if roman is not None:
        return roman + tail
    if len(letters) == 1 or letters in SPOKEN_ACRONYMS:
        return match.group()
    if letters.lower() in stop_words() and shouted:
        return letters.lower() + tail.lower()
    if pronounceable(letters) and (shouted or len(letters) >= SHAPED_WORD):
        return letters.lower() + tail.lower()  # lower case: espeak-ng then says it as a word
    return spell(letters, tail)


def acronyms(text: str, keep: Callable[[str], Sequence[tuple[int, int]]] | None = None) -> str:
    """Spell out the all-capital words of ``text`` that are not words: "EDSS" → "E D S S",
    "MRIs" → "M R I's", but "Phase II" → "Phase two", and "NASA" and "WHAT YOU NEED TO KNOW"
    stay words (the shouted ones in lower case). Terms at the spans ``keep(text)`` gives (the
    lexicon's) are left to the lexicon, and units after a number to the unit step."""
    found = list(_CAPS.finditer(text))
    if not found:
        return text
    kept = keep(text) if keep is not None else ()
    words = [match for match in found if len(match["letters"]) > 1]
    shouted = {id(words[index]) for index in _shouted(words, text)}
    pieces: list[str] = []
    last = 0
    for match in found:
        terms = [(start, end) for start, end in kept if start < match.end() and match.start() < end]
        if terms and (terms != [match.span()] or not _counted_roman(match, text)):
            continue  # the lexicon's: "IV" is "I V", except in "Stage IV"; "Phase I/II" its own
        if match["letters"] in UNITS.keys() | _AFTER_NUMBER and _NUMBER_BEFORE.search(
            text, 0, match.start()
        ):
            continue
        pieces += [text[last : match.start()], _say(match, text, id(match) in shouted)]
        last = match.end()
    pieces.append(text[last:])
    return "".join(pieces)
