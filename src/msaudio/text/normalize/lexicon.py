"""The pronunciation lexicon: terms said differently from how they are written.

Terms match as whole words (``msaudio/data/lexicon.tsv`` plus a show's own file), longest
first. A respelling inside a hyphenated compound ("relapsing-remitting") is said as a word of
its own ("ree-lapsing remitting"): espeak-ng runs a hyphenated compound together into one
word, which buried the respelling's stress and let the listener hear "lapsing".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib.resources import files
from pathlib import Path

from msaudio.errors import ConfigError
from msaudio.text.normalize.patterns import NEXT_SENTENCE_AFTER, SENTENCE_END_AFTER

LEXICON_RESOURCE = "data/lexicon.tsv"
"""The packaged default lexicon, relative to the ``msaudio`` package."""
FLAG_NOCASE = "nocase"
FLAG_ENDS_SENTENCE = "ends-sentence"
FLAG_RESPELLING = "respelling"
_FLAGS = (FLAG_NOCASE, FLAG_ENDS_SENTENCE, FLAG_RESPELLING)


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
        spoken = self._pattern.sub(self._say, text)
        # _say marks a respelling's side that a hyphen joins to another word; the hyphen
        # becomes a space there, so the respelling stays a word of its own for espeak-ng.
        return _COMPOUND_MARK.sub(" ", spoken).replace(_MARK, "")

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where lexicon terms stand in ``text`` (other rules leave them to the lexicon)."""
        if self._pattern is None:
            return []
        return [match.span() for match in self._pattern.finditer(text)]

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
            sentence_end = SENTENCE_END_AFTER.match(text, end) is not None
            next_sentence = NEXT_SENTENCE_AFTER.match(text, end) is not None
            if sentence_end or (entry.ends_sentence and next_sentence):
                spoken += "."
        if start > 0 and text[start - 1].isalnum() and spoken[:1].isalnum():
            spoken = f" {spoken}"
        if end < len(text) and text[end].isalnum() and spoken[-1:].isalnum():
            spoken = f"{spoken} "
        if entry.respelling:
            if _JOINED_BEFORE.search(text, 0, start):
                spoken = f"{_MARK}{spoken}"
            if _JOINED_AFTER.match(text, end):
                spoken = f"{spoken}{_MARK}"
        return spoken


_MARK = "\x00"
"""Marks, inside :meth:`Lexicon.apply`, a respelling's side joined to a word by a hyphen."""
_COMPOUND_MARK = re.compile(f"{_MARK}-|-{_MARK}")
_JOINED_BEFORE = re.compile(r"\w-\Z")
_JOINED_AFTER = re.compile(r"-\w")


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
