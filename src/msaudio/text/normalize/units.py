"""Units after numbers: "10 mg" → "10 milligrams", and "a 10-mg tablet" → "a 10-milligram
tablet" (a quantity that describes the noun after it takes the singular, as in speech)."""

from __future__ import annotations

import re

from msaudio.text.normalize.patterns import NOT_AFTER_NUMBER_PART, NUMBER, SPACE, alternation
from msaudio.text.normalize.tables import COUNT_NOUNS, PER_UNITS, UNITS, stop_words


def _unit_regex(symbol: str) -> str:
    """``symbol`` as a pattern: "º" may stand for "°", with a space allowed after it."""
    pattern = re.escape(symbol).replace("°", r"[°º]\s?")
    pattern = pattern.removesuffix(r"\s?")
    return f"{pattern}(?!\\w)" if symbol[-1].isalnum() else pattern


UNIT = alternation(UNITS, _unit_regex)
_PER_UNIT = alternation(PER_UNITS, lambda symbol: f"{re.escape(symbol)}(?!\\w)")
_UNIT_AFTER = re.compile(rf"{SPACE}?(?:{UNIT})")


def _unit_key(written: str) -> str:
    """The table key of a unit as written: "º F" → "°F"."""
    return re.sub(r"\s", "", written).replace("º", "°")


_NEXT_WORD = re.compile(r"\s+(?P<word>[A-Za-z]+)")


def is_count(text: str, end: int) -> bool:
    """Whether the number ending at ``text[end]`` counts something: a unit or a count noun
    follows ("2000 mg", "1500 patients")."""
    if _UNIT_AFTER.match(text, end):
        return True
    word = _NEXT_WORD.match(text, end)
    return word is not None and word["word"] in COUNT_NOUNS


def _is_one(number: str, text: str, start: int) -> bool:
    """Whether a unit after ``number`` (at ``text[start]``) takes the singular: exactly "1",
    not the top of a range ("0 to 1 mg")."""
    before = text[:start].rstrip()
    return number == "1" and not before.endswith(("to", "–", "-"))


_UNIT_AFTER_NUMBER = re.compile(
    rf"{NOT_AFTER_NUMBER_PART}(?P<number>{NUMBER})(?P<join>{SPACE}|-)?(?P<unit>{UNIT})"
    rf"(?P<per>(?:/(?:{_PER_UNIT}))*)(?P<stop>\.(?=[ \t]+[a-z]))?"
)
_DIMENSION_AFTER = re.compile(r"\s*[0-9]")
_TIMES_SIGNS = ("x", "×")
_NOUN_AFTER = re.compile(r"[ \t]+(?P<word>[a-z]+)(?![\w'’-])")
_DETERMINER_BEFORE = re.compile(
    r"(?:^|[\s(])(?i:a|an|one|the|each|every|this|that|your|my|our|their|his|her|per)"
    r"(?:[ \t]+(?:[0-9]+|to|or|and|–|-))*[ \t]+\Z"
)


def _is_adjective(match: re.Match[str]) -> bool:
    """Whether the quantity describes the noun after it: "a 10-mg tablet", "one 10 mg dose",
    not "10 mg twice a day" or "take 10 mg daily"."""
    if match["unit"] in _TIMES_SIGNS or match["unit"] == "%":
        return False
    noun = _NOUN_AFTER.match(match.string, match.end())
    if noun is None or noun["word"] in stop_words() or noun["word"].endswith("ly"):
        return False
    if match["join"] == "-":
        return True
    return _DETERMINER_BEFORE.search(match.string, 0, match.start()) is not None


def _say_unit(match: re.Match[str]) -> str:
    number, unit = match["number"], match["unit"]
    if match["join"] == "-" and not unit.isalpha():
        return match.group()  # "5-%" or "10-°": not a quantity
    if unit in _TIMES_SIGNS and _DIMENSION_AFTER.match(match.string, match.end()):
        return f"{number} by"  # "2 x 3 cm" is "2 by 3 centimeters"
    if unit in _TIMES_SIGNS and number == "1":
        return "once"
    singular, plural = UNITS[_unit_key(unit)]
    per = "".join(f" per {PER_UNITS[symbol]}" for symbol in match["per"].split("/")[1:])
    if _is_adjective(match):
        return f"{number}-{singular}{per}"
    said = singular if _is_one(number, match.string, match.start()) else plural
    stop = match["stop"] if match["stop"] and not unit.isalpha() else ""
    end = match.end()
    space = " " if end < len(match.string) and match.string[end].isalnum() else ""
    return f"{number} {said}{per}{stop}{space}"


def units(text: str) -> str:
    """Say units after numbers: "10 mg" → "10 milligrams", "1 mg" → "1 milligram",
    "1°F" → "1 degree Fahrenheit", "50%" → "50 percent", "20 mg/kg/day" → "20 milligrams
    per kilogram per day", "a 5-km route" → "a 5-kilometer route"."""
    return _UNIT_AFTER_NUMBER.sub(_say_unit, text)


_TIMES_BEFORE = re.compile(r"(?<![\w.,])[x×](?P<number>[0-9]+)(?![\w/]|[.,][0-9])")


def times_signs(text: str) -> str:
    """Say a count written after a times sign: "x2" → "2 times", "×1" → "once"."""
    return _TIMES_BEFORE.sub(
        lambda match: "once" if match["number"] == "1" else f"{match['number']} times", text
    )


_QUANTITY = rf"(?:{NUMBER})(?:{SPACE}?(?:{UNIT}))"
_ALTERNATIVE = re.compile(
    rf"(?P<first>{NOT_AFTER_NUMBER_PART}{_QUANTITY})\s*\((?P<other>{_QUANTITY}[^()]{{0,30}})\)"
    r"(?P<after>[,.;:!?]?)"
)


def alternatives(text: str) -> str:
    """Say a quantity in brackets after another as an alternative: "180°C (350°F)" →
    "180°C, or 350°F,"; "180°C (160°C fan)" → "180°C, or 160°C fan,"."""

    def say(match: re.Match[str]) -> str:
        after = match["after"] or ","
        end = match.end()
        if not match["after"] and end >= len(match.string):
            after = ""
        return f"{match['first']}, or {match['other'].strip()}{after}"

    return _ALTERNATIVE.sub(say, text) if "(" in text else text


_BLOOD_PRESSURE = re.compile(r"(?<![\w.,/])(?P<top>[0-9]{2,3})/(?P<bottom>[0-9]{2,3})(?=\s?mmHg)")


def blood_pressure(text: str) -> str:
    """Say blood pressure: "120/80 mmHg" → "120 over 80 mmHg"."""
    return _BLOOD_PRESSURE.sub(r"\g<top> over \g<bottom>", text)
