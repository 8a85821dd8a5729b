"""Speech normalization: the text sent to the speech engine, not the text shown.

piper (through espeak-ng) misreads much of what articles about multiple sclerosis are made
of: "EDSS" comes out as "eds", "IV" as "roman four", "1°F" as "one degrees F", "2024" as
"two thousand twenty four", "Dr. Smith" as two sentences. :func:`speakable` rewrites a
sentence so it is said the way a listener expects; the transcript keeps the text as written.

The rewriting is a fixed series of small ``str -> str`` steps (see :data:`STEPS`), after the
pronunciation lexicon (``msaudio/data/lexicon.tsv`` plus a show's own file). Each step only
touches what it recognises — a number, a unit after a number, a lexicon term — so every
other word reaches the engine unchanged, and the sentence keeps its closing punctuation.

Numbers are written as words only where the engine would misread the digits (years,
ordinals, decimals, thousands separators, clock minutes); plain integers such as "10" stay
digits, which piper reads well.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path

from msaudio.errors import ConfigError

# ---------------------------------------------------------------------------------------------
# Number words
# ---------------------------------------------------------------------------------------------

NUMBER_LIMIT = 10**12
""":func:`number_words` and :func:`ordinal_words` accept ``-NUMBER_LIMIT < n < NUMBER_LIMIT``."""

_ONES = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_TENS = (
    "_",
    "_",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
)
_SCALES = ((10**9, "billion"), (10**6, "million"), (10**3, "thousand"))
_IRREGULAR_ORDINALS = {
    "one": "first",
    "two": "second",
    "three": "third",
    "five": "fifth",
    "eight": "eighth",
    "nine": "ninth",
    "twelve": "twelfth",
}
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def _below_hundred(n: int) -> str:
    """Words for ``0 <= n < 100``: ``42`` → ``"forty-two"``."""
    if n < 20:
        return _ONES[n]
    tens, ones = divmod(n, 10)
    return _TENS[tens] if ones == 0 else f"{_TENS[tens]}-{_ONES[ones]}"


def _below_thousand(n: int) -> str:
    """Words for ``0 <= n < 1000``: ``305`` → ``"three hundred five"``."""
    hundreds, rest = divmod(n, 100)
    if hundreds == 0:
        return _below_hundred(rest)
    head = f"{_ONES[hundreds]} hundred"
    return head if rest == 0 else f"{head} {_below_hundred(rest)}"


def number_words(n: int) -> str:
    """American English words for a whole number: ``1200`` → ``"one thousand two hundred"``.

    Negative numbers start with "minus". Raises ``ValueError`` outside ±(10**12 - 1).
    """
    if not -NUMBER_LIMIT < n < NUMBER_LIMIT:
        raise ValueError(f"number_words supports magnitudes below 10**12, got {n}")
    if n < 0:
        return f"minus {number_words(-n)}"
    parts: list[str] = []
    for scale, name in _SCALES:
        count, n = divmod(n, scale)
        if count:
            parts.append(f"{_below_thousand(count)} {name}")
    if n or not parts:
        parts.append(_below_thousand(n))
    return " ".join(parts)


def ordinal_words(n: int) -> str:
    """Ordinal words: ``1`` → ``"first"``, ``21`` → ``"twenty-first"``, ``100`` →
    ``"one hundredth"``."""
    words = number_words(n)
    head, sep, last = words.rpartition(" ")
    stem, hyphen, unit = last.rpartition("-")
    if unit in _IRREGULAR_ORDINALS:
        unit = _IRREGULAR_ORDINALS[unit]
    elif unit.endswith("y"):
        unit = f"{unit[:-1]}ieth"
    else:
        unit = f"{unit}th"
    return f"{head}{sep}{stem}{hyphen}{unit}"


def _year_words(year: int) -> str:
    """How a year is said: 1905 → "nineteen oh five", 2005 → "two thousand five", 2024 →
    "twenty twenty-four", 1900 → "nineteen hundred"."""
    if 2000 <= year < 2010:
        return number_words(year)
    century, rest = divmod(year, 100)
    if rest == 0:
        return f"{number_words(century)} hundred"
    middle = "oh " if rest < 10 else ""
    return f"{number_words(century)} {middle}{number_words(rest)}"


def _plural_words(words: str) -> str:
    """The plural of a decade said in words: "nineteen ninety" → "nineteen nineties"."""
    return f"{words[:-1]}ies" if words.endswith("y") else f"{words}s"


def _digits_words(digits: str) -> str:
    """Each digit as a word: ``"05"`` → ``"zero five"`` (for the part after a decimal point)."""
    return " ".join(_ONES[int(digit)] for digit in digits)


def _integer_words(digits: str) -> str | None:
    """Words for an unsigned integer written with optional thousands commas, or ``None`` when
    it is too large to say as words."""
    value = int(digits.replace(",", ""))
    return number_words(value) if value < NUMBER_LIMIT else None


# ---------------------------------------------------------------------------------------------
# The lexicon
# ---------------------------------------------------------------------------------------------

LEXICON_RESOURCE = "data/lexicon.tsv"
"""The packaged default lexicon, relative to the ``msaudio`` package."""
FLAG_NOCASE = "nocase"
FLAG_ENDS_SENTENCE = "ends-sentence"
FLAG_RESPELLING = "respelling"
_FLAGS = (FLAG_NOCASE, FLAG_ENDS_SENTENCE, FLAG_RESPELLING)

_SENTENCE_END_AFTER = re.compile(r"""["'”’)\]]*\s*\Z""")
"""What may follow the last word of a sentence: closing quotes or brackets, then nothing."""
_NEXT_SENTENCE_AFTER = re.compile(r"""\s+["'“‘(\[]?[A-Z]""")
"""What follows a full stop that ends a sentence inside a longer text."""


@dataclass(frozen=True)
class LexiconEntry:
    """One pronunciation: ``term`` as written, ``spoken`` as the engine should get it."""

    term: str
    spoken: str
    ignore_case: bool = False
    ends_sentence: bool = False
    respelling: bool = False
    """``spoken`` only tells the engine how ``term`` sounds ("ree-lapsing"): a listener
    hears ``term`` itself, and ``msaudio proof`` compares what it hears with ``term``."""

    def __post_init__(self) -> None:
        if not self.term.strip() or not any(char.isalnum() for char in self.spoken):
            raise ValueError(f"lexicon entry needs a term and a spoken form, got {self!r}")
        object.__setattr__(self, "term", _term_key(self.term))  # "Phase  IV " → "Phase IV"


@dataclass(frozen=True)
class Lexicon:
    """Pronunciation entries, matched as whole words, longest term first."""

    entries: tuple[LexiconEntry, ...]
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _exact: dict[str, LexiconEntry] = field(init=False, repr=False, compare=False)
    _folded: dict[str, LexiconEntry] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        exact = {_term_key(entry.term): entry for entry in self.entries}
        folded = {
            _term_key(entry.term).casefold(): entry for entry in self.entries if entry.ignore_case
        }
        object.__setattr__(self, "_exact", exact)
        object.__setattr__(self, "_folded", folded)
        object.__setattr__(self, "_pattern", _lexicon_pattern(self.entries))

    def lookup(self, term: str) -> LexiconEntry | None:
        """The entry for ``term`` as it appears in a text, honouring each entry's case rule."""
        key = _term_key(term)
        return self._exact.get(key) or self._folded.get(key.casefold())

    def merged(self, overrides: Iterable[LexiconEntry]) -> Lexicon:
        """A lexicon with ``overrides`` added, replacing entries with the same term."""
        by_term = {_term_key(entry.term): entry for entry in self.entries}
        by_term.update({_term_key(entry.term): entry for entry in overrides})
        return Lexicon(tuple(by_term.values()))

    def apply(self, text: str) -> str:
        """``text`` with every lexicon term replaced by its spoken form."""
        if self._pattern is None:
            return text
        return self._pattern.sub(self._say, text)

    def unrespell(self, spoken: str) -> str:
        """``spoken`` with each respelling written as its term again: what a listener should
        hear ("ree-lapsing-remitting M S" → "relapsing-remitting M S")."""
        terms, pattern = self._respellings
        if pattern is None:
            return spoken

        def written(match: re.Match[str]) -> str:
            term = terms[match.group().casefold()]
            return term[0].upper() + term[1:] if match.group()[0].isupper() else term

        return pattern.sub(written, spoken)

    @cached_property
    def _respellings(self) -> tuple[dict[str, str], re.Pattern[str] | None]:
        """The respelling entries' spoken forms (case-folded) with their terms, and a pattern
        matching any of them as whole words; built on first use, since only proof asks."""
        terms = {entry.spoken.casefold(): entry.term for entry in self.entries if entry.respelling}
        if not terms:
            return terms, None
        longest_first = "|".join(re.escape(spoken) for spoken in sorted(terms, key=len)[::-1])
        return terms, re.compile(rf"(?<!\w)(?:{longest_first})(?!\w)", re.IGNORECASE)

    def _say(self, match: re.Match[str]) -> str:
        entry = self.lookup(match.group())
        if entry is None:  # pragma: no cover - the pattern only matches known terms
            return match.group()
        spoken = entry.spoken
        text, start, end = match.string, match.start(), match.end()
        if entry.ignore_case and text[start].isupper() and spoken[:1].islower():
            spoken = spoken[0].upper() + spoken[1:]  # "E.g." → "For example"
        if entry.term.endswith(".") and not spoken.endswith("."):
            sentence_end = _SENTENCE_END_AFTER.match(text, end) is not None
            next_sentence = _NEXT_SENTENCE_AFTER.match(text, end) is not None
            if sentence_end or (entry.ends_sentence and next_sentence):
                spoken += "."
        if start > 0 and text[start - 1].isalnum() and spoken[:1].isalnum():
            spoken = f" {spoken}"
        if end < len(text) and text[end].isalnum() and spoken[-1:].isalnum():
            spoken = f"{spoken} "
        return spoken


def _term_key(term: str) -> str:
    """A term with its inner whitespace normalized, as used for lookups."""
    return " ".join(term.split())


def _is_word_char(char: str) -> bool:
    """Whether ``char`` is a ``\\w`` character (so a term starting or ending with it is
    matched as a whole word)."""
    return char.isalnum() or char == "_"


def _rest_regex(entry: LexiconEntry) -> str:
    """A pattern for ``entry.term`` after its first character, with any whitespace between
    words and a word boundary at the end when the term ends with a letter or digit."""
    words = entry.term.split()
    words[0] = words[0][1:]
    body = r"\s+".join(re.escape(word) for word in words)
    if entry.ignore_case and body:
        body = f"(?i:{body})"
    return f"{body}(?!\\w)" if _is_word_char(entry.term[-1]) else body


_NO_WORD_BEFORE = r"(?<!\w.)"
"""After a term's first character: no letter or digit came before that character."""


def _lexicon_pattern(entries: Iterable[LexiconEntry]) -> re.Pattern[str] | None:
    """One pattern matching every term, longest first; ``None`` for an empty lexicon.

    Terms are grouped by their first character, which the pattern starts with as a literal,
    so the regex engine skips quickly over text where no term can start (a few microseconds
    per sentence instead of a hundred).
    """
    groups: dict[str, list[str]] = {}
    for entry in sorted(entries, key=lambda entry: (-len(entry.term), entry.term)):
        first = entry.term[0]
        firsts = sorted({first.lower(), first.upper()}) if entry.ignore_case else [first]
        for char in firsts:
            groups.setdefault(char, []).append(_rest_regex(entry))
    parts = [
        f"{re.escape(char)}{_NO_WORD_BEFORE if _is_word_char(char) else ''}(?:{'|'.join(rests)})"
        for char, rests in groups.items()
    ]
    return re.compile("|".join(parts)) if parts else None


def _parse_flags(field_text: str, number: int, path: Path | str) -> tuple[bool, bool, bool]:
    """``(ignore_case, ends_sentence, respelling)`` from a FLAGS column."""
    flags = {flag.strip() for flag in field_text.split(",") if flag.strip()}
    unknown = sorted(flags.difference(_FLAGS))
    if unknown:
        raise ConfigError(
            f"line {number}: unknown flag {unknown[0]!r}, expected {' or '.join(_FLAGS)}", path
        )
    return FLAG_NOCASE in flags, FLAG_ENDS_SENTENCE in flags, FLAG_RESPELLING in flags


def _parse_line(line: str, number: int, path: Path | str) -> LexiconEntry:
    """One ``TERM<TAB>SPOKEN[<TAB>FLAGS]`` line as an entry, or a ConfigError saying why not."""
    fields = line.split("\t")
    if len(fields) not in (2, 3):
        found = "no TAB" if len(fields) == 1 else f"{len(fields)} TAB-separated fields"
        raise ConfigError(
            f"line {number}: expected TERM<TAB>SPOKEN[<TAB>FLAGS], found {found} in {line!r}",
            path,
        )
    term, spoken = fields[0].strip(), fields[1].strip()
    if not term:
        raise ConfigError(f"line {number}: expected a TERM before the TAB, found {line!r}", path)
    if not any(char.isalnum() for char in spoken):
        raise ConfigError(
            f"line {number}: expected a SPOKEN form with letters or digits after the TAB,"
            f" found {fields[1]!r}",
            path,
        )
    flags = _parse_flags(fields[2] if len(fields) == 3 else "", number, path)
    return LexiconEntry(term, spoken, *flags)


def parse_lexicon(text: str, path: Path | str) -> tuple[LexiconEntry, ...]:
    """The entries of a lexicon file's ``text``; errors name ``path`` and the line number."""
    entries: dict[str, tuple[int, LexiconEntry]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        entry = _parse_line(line, number, path)
        key = _term_key(entry.term)
        if key in entries:
            raise ConfigError(
                f"line {number}: {entry.term!r} is already defined on line {entries[key][0]}",
                path,
            )
        entries[key] = (number, entry)
    return tuple(entry for _, entry in entries.values())


@cache
def _default_lexicon() -> Lexicon:
    """The packaged lexicon, read once."""
    resource = files("msaudio").joinpath(LEXICON_RESOURCE)
    return Lexicon(
        parse_lexicon(resource.read_text(encoding="utf-8"), f"msaudio/{LEXICON_RESOURCE}")
    )


def _read_show_lexicon(path: Path) -> tuple[LexiconEntry, ...]:
    """The entries of a show's own lexicon file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"lexicon is not UTF-8 text ({error.reason} at byte {error.start})", path
        ) from error
    except OSError as error:
        raise ConfigError(f"cannot read lexicon: {error.strerror or error}", path) from error
    return parse_lexicon(text, path)


def load_lexicon(extra: Path | None = None) -> Lexicon:
    """The packaged lexicon, with the entries of the show's file ``extra`` (same format)
    added or overriding entries with the same term."""
    defaults = _default_lexicon()
    return defaults if extra is None else defaults.merged(_read_show_lexicon(extra))


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------

UNITS: dict[str, tuple[str, str]] = {
    "mg": ("milligram", "milligrams"),
    "mcg": ("microgram", "micrograms"),
    "µg": ("microgram", "micrograms"),
    "μg": ("microgram", "micrograms"),
    "ng": ("nanogram", "nanograms"),
    "g": ("gram", "grams"),
    "kg": ("kilogram", "kilograms"),
    "ml": ("milliliter", "milliliters"),
    "mL": ("milliliter", "milliliters"),
    "dL": ("deciliter", "deciliters"),
    "L": ("liter", "liters"),
    "mmol": ("millimole", "millimoles"),
    "nmol": ("nanomole", "nanomoles"),
    "IU": ("international unit", "international units"),
    "lb": ("pound", "pounds"),
    "lbs": ("pound", "pounds"),
    "oz": ("ounce", "ounces"),
    "km": ("kilometer", "kilometers"),
    "cm": ("centimeter", "centimeters"),
    "mm": ("millimeter", "millimeters"),
    "mi": ("mile", "miles"),
    "ft": ("foot", "feet"),
    "mph": ("mile per hour", "miles per hour"),
    "mmHg": ("millimeter of mercury", "millimeters of mercury"),
    "kcal": ("kilocalorie", "kilocalories"),
    "h": ("hour", "hours"),
    "hr": ("hour", "hours"),
    "hrs": ("hour", "hours"),
    "min": ("minute", "minutes"),
    "mins": ("minute", "minutes"),
    "sec": ("second", "seconds"),
    "secs": ("second", "seconds"),
    "ms": ("millisecond", "milliseconds"),
    "wk": ("week", "weeks"),
    "wks": ("week", "weeks"),
    "yr": ("year", "years"),
    "yrs": ("year", "years"),
    "x": ("time", "times"),
    "×": ("time", "times"),
    "°F": ("degree Fahrenheit", "degrees Fahrenheit"),
    "°C": ("degree Celsius", "degrees Celsius"),
    "℉": ("degree Fahrenheit", "degrees Fahrenheit"),
    "℃": ("degree Celsius", "degrees Celsius"),
    "°": ("degree", "degrees"),
    "%": ("percent", "percent"),
}
"""Unit symbols said after a number: symbol → (singular, plural). Case matters."""

PER_UNITS: dict[str, str] = {
    **{symbol: forms[0] for symbol, forms in UNITS.items() if symbol.isalpha()},
    "d": "day",
    "day": "day",
    "week": "week",
    "mo": "month",
    "month": "month",
    "year": "year",
    "dose": "dose",
    "m²": "square meter",
    "m2": "square meter",
}
"""Units after a slash, said as "per ...": "mg/dL" → "milligrams per deciliter"."""

CURRENCIES: dict[str, tuple[str, str, str, str]] = {
    "$": ("dollar", "dollars", "cent", "cents"),
    "£": ("pound", "pounds", "penny", "pence"),
    "€": ("euro", "euros", "cent", "cents"),
}
"""Currency symbols before an amount: symbol → (one, many, one hundredth, hundredths)."""

SYMBOLS_BEFORE_NUMBERS: dict[str, str] = {
    "~": "about",
    "≈": "about",
    "≥": "at least",
    "≤": "at most",
    ">": "more than",
    "<": "less than",
    "±": "plus or minus",
}
"""Symbols said as words when a number follows: "<5%" → "less than 5 percent"."""

COUNT_NOUNS: frozenset[str] = frozenset(
    (
        "people",
        "persons",
        "patients",
        "participants",
        "subjects",
        "volunteers",
        "respondents",
        "adults",
        "children",
        "women",
        "men",
        "individuals",
        "members",
        "residents",
        "cases",
        "deaths",
        "lesions",
        "cells",
        "samples",
        "doses",
        "units",
        "steps",
        "calories",
        "words",
        "times",
        "miles",
        "dollars",
        "pounds",
        "euros",
        "families",
        "users",
        "visitors",
    )
)
"""Nouns that show a four-digit number is a count, not a year: "1500 patients"."""

YEAR_RANGE = (1100, 2099)
"""Four-digit numbers in this range (inclusive) are said as years."""

# ---------------------------------------------------------------------------------------------
# Patterns shared by the steps
# ---------------------------------------------------------------------------------------------

_NUMBER = r"[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+"
"""A number: with thousands commas, plain, decimal, or a bare decimal part (".5")."""
_NOT_AFTER_NUMBER_PART = r"(?<![\w.,])"
"""Not inside a longer number or word."""
_NOT_BEFORE_NUMBER_PART = r"(?![0-9]|[.,:/–-][0-9])"
"""Not followed by more of the same number, a date or a version chain."""
_SPACE = r"[ \t\u00a0\u202f\u2009]"


def _unit_regex(symbol: str) -> str:
    """``symbol`` as a pattern: "º" may stand for "°", with a space allowed after it."""
    pattern = re.escape(symbol).replace("°", r"[°º]\s?")
    pattern = pattern.removesuffix(r"\s?")
    return f"{pattern}(?!\\w)" if symbol[-1].isalnum() else pattern


def _alternation(symbols: Iterable[str], regex: Callable[[str], str]) -> str:
    """Symbols as one alternation, longest first so "mmHg" wins over "mm"."""
    return "|".join(regex(symbol) for symbol in sorted(symbols, key=lambda s: (-len(s), s)))


_UNIT = _alternation(UNITS, _unit_regex)
_PER_UNIT = _alternation(PER_UNITS, lambda symbol: f"{re.escape(symbol)}(?!\\w)")
_UNIT_AFTER = re.compile(rf"{_SPACE}?(?:{_UNIT})")


def _unit_key(written: str) -> str:
    """The table key of a unit as written: "º F" → "°F"."""
    return re.sub(r"\s", "", written).replace("º", "°")


def _ends_sentence(text: str, end: int) -> bool:
    """Whether a full stop at ``text[end - 1]`` closes a sentence: the text ends there (give or
    take closing quotes), or a capital letter starts the next one."""
    return bool(_SENTENCE_END_AFTER.match(text, end) or _NEXT_SENTENCE_AFTER.match(text, end))


_NEXT_WORD = re.compile(r"\s+(?P<word>[A-Za-z]+)")


def _is_count(text: str, end: int) -> bool:
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


# ---------------------------------------------------------------------------------------------
# Steps: each is str -> str, and touches only what it recognises
# ---------------------------------------------------------------------------------------------

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
        stop = match["stop"] if _SENTENCE_END_AFTER.match(text, match.end()) else ""
        return f"Street{stop}"
    return match.group()


def saint_or_street(text: str) -> str:
    """Say "St." as "Saint" before a name ("St. Mary's") and as "Street" after one
    ("Main St."); leave it alone when it could be either."""
    return _SAINT_STREET.sub(_say_saint_or_street, text)


_SYMBOL_BEFORE_NUMBER = re.compile(
    rf"(?P<symbol>{'|'.join(map(re.escape, SYMBOLS_BEFORE_NUMBERS))}){_SPACE}?(?=[-−]?\.?[0-9])"
)


def _say_symbol(match: re.Match[str]) -> str:
    said = f"{SYMBOLS_BEFORE_NUMBERS[match['symbol']]} "
    start = match.start()
    return f" {said}" if start > 0 and match.string[start - 1].isalnum() else said


def symbols_before_numbers(text: str) -> str:
    """Say comparison signs before numbers: "≥ 6" → "at least 6", "<5%" → "less than 5%",
    "p<0.05" → "p less than 0.05"."""
    return _SYMBOL_BEFORE_NUMBER.sub(_say_symbol, text)


_MINUS = re.compile(r"(?:^|(?<=[\s(\[]))[-−](?=\.?[0-9])")


def minus_signs(text: str) -> str:
    """A minus sign starting a number is "minus": "-5°C" → "minus 5°C"."""
    return _MINUS.sub("minus ", text)


_ISO_DATE = re.compile(
    r"(?<![\w.,:/-])(?P<year>1[1-9][0-9]{2}|20[0-9]{2})-(?P<month>0[1-9]|1[0-2])"
    rf"-(?P<day>0[1-9]|[12][0-9]|3[01]){_NOT_BEFORE_NUMBER_PART}(?!\w)"
)


def iso_dates(text: str) -> str:
    """Say ISO dates: "2024-05-01" → "May first, twenty twenty-four"."""
    return _ISO_DATE.sub(
        lambda match: (
            f"{MONTHS[int(match['month']) - 1]} {ordinal_words(int(match['day']))}, "
            f"{_year_words(int(match['year']))}"
        ),
        text,
    )


_MONEY = re.compile(
    rf"(?P<symbol>[{''.join(CURRENCIES)}]){_SPACE}?(?P<whole>[0-9]{{1,3}}(?:,[0-9]{{3}})+|[0-9]+)"
    r"(?:\.(?P<fraction>[0-9]+))?(?:\s(?P<scale>thousand|million|billion|trillion)\b)?"
    rf"{_NOT_BEFORE_NUMBER_PART}(?!\w)"
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


_RANGE_SIDE = r"[0-9]+(?::[0-5][0-9]|\.[0-9]+)?"
_RANGE = re.compile(
    rf"(?<![\w.,:/–-])(?P<low>{_RANGE_SIDE})"
    rf"(?P<dash>-|{_SPACE}?–{_SPACE}?)"
    rf"(?P<high>{_RANGE_SIDE}){_NOT_BEFORE_NUMBER_PART}"
)


def _value(side: str) -> float:
    """A range end as a number (a time "10:30" as 10.5)."""
    hours, _, minutes = side.partition(":")
    return float(hours) + float(minutes) / 60 if minutes else float(side)


def _is_hyphen_range(low: str, high: str) -> bool:
    """Whether "low-high" with a hyphen is a range rather than a score, a code or a phone
    number: rising, no leading zeros, not 3 digits then 4 ("555-1234"). "2019-20" counts."""
    if any(len(side) > 1 and side[0] == "0" and side[1].isdigit() for side in (low, high)):
        return False
    if low.isdigit() and high.isdigit() and len(low) == 3 and len(high) == 4:
        return False
    if len(low) == 4 and len(high) == 2 and low.isdigit() and high.isdigit():
        return int(low[2:]) < int(high)
    return _value(low) < _value(high)


def _say_range(match: re.Match[str]) -> str:
    low, high = match["low"], match["high"]
    if match["dash"] == "-" and not _is_hyphen_range(low, high):
        return match.group()
    return f"{low} to {high}"


def ranges(text: str) -> str:
    """Say ranges: "2–3" and "2-3 times" → "2 to 3"; dates, phone numbers and scores are
    left alone."""
    return _RANGE.sub(_say_range, text)


_CLOCK = re.compile(
    r"(?<![\w.,:])(?P<hour>[0-9]{1,2})(?:[:.](?P<minute>[0-5][0-9]))?"
    rf"{_SPACE}?(?P<half>[AaPp])(?:(?P<dotted>\.{_SPACE}?[Mm]\.?)|[Mm])(?!\w)"
)
_BARE_CLOCK = re.compile(
    r"(?<![\w.,:])(?P<hour>[01]?[0-9]|2[0-3]):(?P<minute>[0-5][0-9])(?![0-9]|[:.][0-9])"
)


def _minutes(minute: str) -> str:
    """Clock minutes as piper says them: "05" → " oh 5", "30" → " 30", "00" → ""."""
    value = int(minute)
    if value == 0:
        return ""
    return f" oh {value}" if value < 10 else f" {value}"


def _say_clock(match: re.Match[str]) -> str:
    hour = int(match["hour"])
    if not 1 <= hour <= 12:
        return match.group()
    said = f"{hour}{_minutes(match['minute'] or '00')} {match['half'].upper()}M"
    dotted = match["dotted"]
    if dotted and dotted.endswith(".") and _ends_sentence(match.string, match.end()):
        said += "."
    return said


def _say_bare_clock(match: re.Match[str]) -> str:
    hour, minute = int(match["hour"]), match["minute"]
    if minute != "00":
        return f"{hour}{_minutes(minute)}"
    return f"{hour} o'clock" if hour <= 12 else f"{hour} hundred"


def times(text: str) -> str:
    """Say clock times: "10 a.m." → "10 AM", "10:30 p.m." → "10 30 PM", "10:05" →
    "10 oh 5", "10:00" → "10 o'clock".

    piper says "AM" and "PM" as letters after a number, while it reads "A M" as "a M"
    and "10:05" as "ten zero five"; a sentence ending in "p.m." keeps its full stop.
    """
    return _BARE_CLOCK.sub(_say_bare_clock, _CLOCK.sub(_say_clock, text))


_MONTH_NAMES = "|".join(MONTHS)
_DAY = r"(?:[1-9]|[12][0-9]|3[01])(?![0-9]|[.:][0-9])(?!\w)"
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH_NAMES}){_SPACE}(?P<day>{_DAY})(?: to (?P<last>{_DAY}))?"
)
_DAY_MONTH = re.compile(
    rf"{_NOT_AFTER_NUMBER_PART}(?P<day>{_DAY}){_SPACE}(?P<month>{_MONTH_NAMES})\b"
)


def _say_month_day(match: re.Match[str]) -> str:
    if _is_count(match.string, match.end()):
        return match.group()  # "In June 2 mg were given"
    said = f"{match['month']} {ordinal_words(int(match['day']))}"
    return f"{said} to {ordinal_words(int(match['last']))}" if match["last"] else said


def month_days(text: str) -> str:
    """Say the day of a month as an ordinal: "March 3" → "March third", "June 10–12" →
    "June tenth to twelfth", "14 September" → "the fourteenth of September"."""
    text = _MONTH_DAY.sub(_say_month_day, text)
    return _DAY_MONTH.sub(
        lambda match: f"the {ordinal_words(int(match['day']))} of {match['month']}", text
    )


_BLOOD_PRESSURE = re.compile(r"(?<![\w.,/])(?P<top>[0-9]{2,3})/(?P<bottom>[0-9]{2,3})(?=\s?mmHg)")


def blood_pressure(text: str) -> str:
    """Say blood pressure: "120/80 mmHg" → "120 over 80 mmHg"."""
    return _BLOOD_PRESSURE.sub(r"\g<top> over \g<bottom>", text)


_YEAR = re.compile(
    r"(?<![\w.,:/$£€#])(?<![0-9]-)(?P<year>1[1-9][0-9]{2}|20[0-9]{2})(?P<s>s)?"
    rf"(?!\w){_NOT_BEFORE_NUMBER_PART}"
)


def _say_year(match: re.Match[str]) -> str:
    year = int(match["year"])
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        return match.group()
    if match["s"]:
        return _plural_words(_year_words(year))
    if _is_count(match.string, match.end()):
        return match.group()
    return _year_words(year)


def years(text: str) -> str:
    """Say years: "1990" → "nineteen ninety", "2005" → "two thousand five", "2024" → "twenty
    twenty-four", "1990s" → "nineteen nineties"; not "2000 mg", "1,990" or "1500 patients"."""
    return _YEAR.sub(_say_year, text)


_UNIT_AFTER_NUMBER = re.compile(
    rf"{_NOT_AFTER_NUMBER_PART}(?P<number>{_NUMBER}){_SPACE}?(?P<unit>{_UNIT})"
    rf"(?P<per>(?:/(?:{_PER_UNIT}))*)(?P<stop>\.(?=[ \t]+[a-z]))?"
)


_DIMENSION_AFTER = re.compile(r"\s*[0-9]")
_TIMES_SIGNS = ("x", "×")


def _say_unit(match: re.Match[str]) -> str:
    number, unit = match["number"], match["unit"]
    if unit in _TIMES_SIGNS and _DIMENSION_AFTER.match(match.string, match.end()):
        return f"{number} by"  # "2 x 3 cm" is "2 by 3 centimeters"
    if unit in _TIMES_SIGNS and number == "1":
        return "once"
    singular, plural = UNITS[_unit_key(unit)]
    said = singular if _is_one(number, match.string, match.start()) else plural
    per = "".join(f" per {PER_UNITS[symbol]}" for symbol in match["per"].split("/")[1:])
    stop = match["stop"] if match["stop"] and not unit.isalpha() else ""
    end = match.end()
    space = " " if end < len(match.string) and match.string[end].isalnum() else ""
    return f"{number} {said}{per}{stop}{space}"


def units(text: str) -> str:
    """Say units after numbers: "10 mg" → "10 milligrams", "1 mg" → "1 milligram",
    "1°F" → "1 degree Fahrenheit", "50%" → "50 percent", "20 mg/kg/day" → "20 milligrams
    per kilogram per day"."""
    return _UNIT_AFTER_NUMBER.sub(_say_unit, text)


_DECADE = re.compile(r"(?<![\w'’.,])['’]?(?P<tens>[1-9]0)s(?!\w)")


def decades(text: str) -> str:
    """Say decades: "the '90s" → "the nineties", "in their 40s" → "in their forties"."""
    return _DECADE.sub(lambda match: _plural_words(number_words(int(match["tens"]))), text)


_ORDINAL = re.compile(rf"{_NOT_AFTER_NUMBER_PART}(?P<number>[0-9]+)(?i:st|nd|rd|th)(?!\w)")


def ordinals(text: str) -> str:
    """Say ordinals: "1st" → "first", "21st" → "twenty-first", "100th" → "one hundredth"."""
    return _ORDINAL.sub(
        lambda match: (
            ordinal_words(int(match["number"]))
            if int(match["number"]) < NUMBER_LIMIT
            else match.group()
        ),
        text,
    )


_GROUPED = re.compile(
    rf"{_NOT_AFTER_NUMBER_PART}(?P<whole>[0-9]{{1,3}}(?:,[0-9]{{3}})+)"
    rf"(?:\.(?P<fraction>[0-9]+))?{_NOT_BEFORE_NUMBER_PART}(?!\w)"
)
_DECIMAL = re.compile(
    rf"{_NOT_AFTER_NUMBER_PART}(?P<whole>[0-9]*)\.(?P<fraction>[0-9]+){_NOT_BEFORE_NUMBER_PART}"
    r"(?!\w)"
)


def _say_number(match: re.Match[str]) -> str:
    whole, fraction = match["whole"], match["fraction"]
    words = _integer_words(whole) if whole else ""
    if words is None:
        return match.group()
    if fraction:
        point = f"point {_digits_words(fraction)}"
        return f"{words} {point}" if words else point
    return words


def grouped_numbers(text: str) -> str:
    """Say numbers with thousands separators: "1,200" → "one thousand two hundred", so a
    separator is never read as a pause or a list."""
    return _GROUPED.sub(_say_number, text)


def decimals(text: str) -> str:
    """Say decimals: "0.5" → "zero point five", "98.6" → "ninety-eight point six", ".5" →
    "point five"; version numbers such as "1.2.3" are left alone."""
    return _DECIMAL.sub(_say_number, text)


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


STEPS: tuple[Callable[[str], str], ...] = (
    repeated_parentheticals,
    saint_or_street,
    symbols_before_numbers,
    minus_signs,
    iso_dates,
    money,
    ranges,
    times,
    month_days,
    blood_pressure,
    years,
    units,
    decades,
    ordinals,
    grouped_numbers,
    decimals,
)
"""The steps after the lexicon, in order: earlier steps keep the digits later ones need."""


def speakable(text: str, lexicon: Lexicon | None = None) -> str:
    """The text to send to the speech engine for ``text`` (the packaged lexicon when
    ``lexicon`` is ``None``). Display text, such as the transcript, keeps ``text``."""
    spoken = (lexicon if lexicon is not None else _default_lexicon()).apply(text)
    for step in STEPS:
        spoken = step(spoken)
    return spoken
