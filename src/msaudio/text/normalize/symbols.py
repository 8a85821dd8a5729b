"""Symbols and abbreviations around numbers and names: "St.", "≥ 6", "$2.50", and a bracketed
abbreviation that repeats what the lexicon just said."""

from __future__ import annotations

import re

from msaudio.text.normalize.patterns import (
    NOT_BEFORE_NUMBER_PART,
    SENTENCE_END_AFTER,
    SPACE,
)
from msaudio.text.normalize.tables import CURRENCIES, SYMBOLS_BEFORE_NUMBERS

_SAINT_STREET = re.compile(r"(?<!\w)St(?P<stop>\.?)(?=[\s,;:!?)]|\Z)")
_CAPITALIZED_AFTER = re.compile(r"\s+[A-Z]")


def _follows_name(before: str) -> bool:
    """Whether ``before`` ends with a capitalized word that is not the first of a sentence
    ("Main" in "on Main", not "At" in "At")."""
    words = before.split()
    if len(words) < 2 or not before[-1:].isspace():
        return False
    return words[-1][:1].isupper() and not words[-2].endswith((".", "!", "?", ":"))


def _say_saint_or_street(match: re.Match[str]) -> str:
    text = match.string
    after_name = _follows_name(text[: match.start()])
    before_name = _CAPITALIZED_AFTER.match(text, match.end()) is not None
    if before_name and not after_name:
        return "Saint"
    if after_name and not before_name:
        stop = match["stop"] if SENTENCE_END_AFTER.match(text, match.end()) else ""
        return f"Street{stop}"
    return match.group()


def saint_or_street(text: str) -> str:
    """Say "St." as "Saint" before a name ("St. Mary's") and as "Street" after one
    ("Main St."); leave it alone when it could be either."""
    return _SAINT_STREET.sub(_say_saint_or_street, text)


_SYMBOL_BEFORE_NUMBER = re.compile(
    rf"(?P<symbol>{'|'.join(map(re.escape, SYMBOLS_BEFORE_NUMBERS))}){SPACE}?(?=[-−]?\.?[0-9])"
)


def _say_symbol(match: re.Match[str]) -> str:
    said = f"{SYMBOLS_BEFORE_NUMBERS[match['symbol']]} "
    start = match.start()
    return f" {said}" if start > 0 and match.string[start - 1].isalnum() else said


def symbols_before_numbers(text: str) -> str:
    """Say comparison signs before numbers: "≥ 6" → "at least 6", "<5%" → "less than 5%",
    "p<0.05" → "p less than 0.05"."""
    return _SYMBOL_BEFORE_NUMBER.sub(_say_symbol, text)


_MONEY = re.compile(
    rf"(?P<symbol>[{''.join(CURRENCIES)}]){SPACE}?(?P<whole>[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+)"
    r"(?:\.(?P<fraction>[0-9]+))?(?:\s(?P<scale>thousand|million|billion|trillion)\b)?"
    rf"{NOT_BEFORE_NUMBER_PART}(?!\w)"
)


def _say_money(match: re.Match[str]) -> str:
    one, many, hundredth, hundredths = CURRENCIES[match["symbol"]]
    whole, fraction, scale = match["whole"], match["fraction"], match["scale"]
    if scale or (fraction and len(fraction) != 2):
        number = f"{whole}.{fraction}" if fraction else whole
        return f"{number} {scale} {many}" if scale else f"{number} {many}"
    said = f"{whole} {one if whole == '1' else many}"
    if not fraction or int(fraction) == 0:
        return said
    cents = f"{int(fraction)} {hundredth if int(fraction) == 1 else hundredths}"
    return cents if int(whole.replace(",", "")) == 0 else f"{said} and {cents}"


def money(text: str) -> str:
    """Say amounts of money: "$2.50" → "2 dollars and 50 cents", "£1,200" → "1,200 pounds",
    "$1.5 million" → "1.5 million dollars"."""
    return _MONEY.sub(_say_money, text)


_PARENTHETICAL = re.compile(r"\s*\(([^()]{1,80})\)")


def repeated_parentheticals(text: str) -> str:
    """Drop a bracketed abbreviation once the lexicon made it say what precedes it.

    "relapsing-remitting MS (RRMS)" would otherwise be heard as
    "relapsing-remitting M S (relapsing-remitting M S)".
    """

    def drop(match: re.Match[str]) -> str:
        inner = " ".join(match.group(1).split()).casefold()
        before = " ".join(text[: match.start()].split()).casefold()
        return "" if inner and before.endswith(inner) else match.group(0)

    return _PARENTHETICAL.sub(drop, text)
