"""The word lists and tables of speech normalization, read once from ``msaudio/data/speech/``.

Every table is data so a rule can be extended by adding a line, not by editing code.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

_FOLDER = "data/speech"


@cache
def _lines(name: str) -> tuple[str, ...]:
    """The non-blank, non-comment lines of a data file."""
    text = files("msaudio").joinpath(f"{_FOLDER}/{name}").read_text(encoding="utf-8")
    return tuple(line for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _rows(name: str) -> list[list[str]]:
    return [line.split("\t") for line in _lines(name)]


def _words(name: str) -> frozenset[str]:
    return frozenset(line.strip() for line in _lines(name))


def _units() -> dict[str, tuple[str, str]]:
    table: dict[str, tuple[str, str]] = {}
    for symbols, singular, plural in _rows("units.tsv"):
        for symbol in symbols.split():
            table[symbol] = (singular, plural)
    return table


UNITS: dict[str, tuple[str, str]] = _units()
"""Unit symbols said after a number: symbol → (singular, plural). Case matters."""

PER_UNITS: dict[str, str] = {
    **{symbol: forms[0] for symbol, forms in UNITS.items() if symbol.isalpha()},
    **dict(_rows("per_units.tsv")),
}
"""Units after a slash, said as "per ...": "mg/dL" → "milligrams per deciliter"."""

CURRENCIES: dict[str, tuple[str, str, str, str]] = {
    symbol: (one, many, hundredth, hundredths)
    for symbol, one, many, hundredth, hundredths in _rows("currencies.tsv")
}
"""Currency symbols before an amount: symbol → (one, many, one hundredth, hundredths)."""

SYMBOLS_BEFORE_NUMBERS: dict[str, str] = dict(_rows("symbols_before_numbers.tsv"))
"""Symbols said as words when a number follows: "<5%" → "less than 5 percent"."""

COUNT_NOUNS: frozenset[str] = _words("count_nouns.txt")
"""Nouns that show a four-digit number is a count, not a year: "1500 patients"."""

MONTHS: tuple[str, ...] = tuple(line.strip() for line in _lines("months.txt"))


def _fractions() -> dict[str, tuple[int, str, str]]:
    table: dict[str, tuple[int, str, str]] = {}
    for writtens, one, many in _rows("fractions.tsv"):
        numerator = int(writtens.split()[-1].split("/")[0])  # the last spelling is "N/D"
        for written in writtens.split():
            table[written] = (numerator, one, many)
    return table


FRACTIONS: dict[str, tuple[int, str, str]] = _fractions()
"""Fractions as written ("½", "3/4") → (numerator, denominator word, its plural)."""

SPOKEN_ACRONYMS: frozenset[str] = _words("spoken_acronyms.txt")
"""All-capital words said as words (NASA), not letter by letter."""

ROMAN_CONTEXTS: frozenset[str] = _words("roman_contexts.txt")
"""Words (lower case) after which a Roman numeral is a number: "Phase II"."""

ONSETS: frozenset[str] = _words("onsets.txt")
CODAS: frozenset[str] = _words("codas.txt")


@cache
def stop_words() -> frozenset[str]:
    """The function words of ``msaudio/data/stopwords.txt`` (shared with proof)."""
    text = files("msaudio").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )
