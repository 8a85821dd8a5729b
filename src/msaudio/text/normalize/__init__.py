"""Speech normalization: the text sent to the speech engine, not the text shown.

piper (through espeak-ng) misreads much of what articles about multiple sclerosis are made
of: "EDSS" comes out as "eds", "IV" as "roman four", "1°F" as "one degrees F", "2024" as
"two thousand twenty four", "Dr. Smith" as two sentences. :func:`speakable` rewrites a
sentence so it is said the way a listener expects; the transcript keeps the text as written.

Capitalized abbreviations are spelled (see :mod:`.acronyms`), then the pronunciation lexicon
(``msaudio/data/lexicon.tsv`` plus a show's own file) is applied, then a fixed series of small
``str -> str`` steps (:data:`STEPS`). Each step only touches what it recognises — a number, a
unit after a number, a lexicon term — so every other word reaches the engine unchanged, and
the sentence keeps its closing punctuation. The steps' tables are data files under
``msaudio/data/speech/``.
"""

from __future__ import annotations

from collections.abc import Callable

from msaudio.text.normalize.acronyms import acronyms
from msaudio.text.normalize.dates_times import (
    YEAR_RANGE,
    iso_dates,
    month_days,
    ranges,
    times,
    years,
)
from msaudio.text.normalize.lexicon import (
    FLAG_ENDS_SENTENCE,
    FLAG_NOCASE,
    FLAG_RESPELLING,
    LEXICON_RESOURCE,
    Lexicon,
    LexiconEntry,
    load_lexicon,
    parse_lexicon,
)
from msaudio.text.normalize.lexicon import _default_lexicon as default_lexicon
from msaudio.text.normalize.numbers import (
    NUMBER_LIMIT,
    decades,
    decimals,
    fractions,
    grouped_numbers,
    minus_signs,
    number_words,
    ordinal_words,
    ordinals,
    year_words,
)
from msaudio.text.normalize.symbols import (
    money,
    repeated_parentheticals,
    saint_or_street,
    symbols_before_numbers,
)
from msaudio.text.normalize.tables import (
    COUNT_NOUNS,
    CURRENCIES,
    MONTHS,
    PER_UNITS,
    SYMBOLS_BEFORE_NUMBERS,
    UNITS,
)
from msaudio.text.normalize.units import alternatives, blood_pressure, times_signs, units

__all__ = [
    "COUNT_NOUNS",
    "CURRENCIES",
    "FLAG_ENDS_SENTENCE",
    "FLAG_NOCASE",
    "FLAG_RESPELLING",
    "LEXICON_RESOURCE",
    "MONTHS",
    "NUMBER_LIMIT",
    "PER_UNITS",
    "STEPS",
    "SYMBOLS_BEFORE_NUMBERS",
    "UNITS",
    "YEAR_RANGE",
    "Lexicon",
    "LexiconEntry",
    "load_lexicon",
    "number_words",
    "ordinal_words",
    "parse_lexicon",
    "speakable",
    "year_words",
]

STEPS: tuple[Callable[[str], str], ...] = (
    repeated_parentheticals,
    saint_or_street,
    symbols_before_numbers,
    minus_signs,
    iso_dates,
    money,
    fractions,
    ranges,
    times,
    month_days,
    blood_pressure,
    years,
    alternatives,
    times_signs,
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
    lexicon = lexicon if lexicon is not None else default_lexicon()
    spoken = lexicon.apply(acronyms(text, lexicon.spans))
    for step in STEPS:
        spoken = step(spoken)
    return spoken
