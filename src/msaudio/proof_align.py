"""Aligning what was heard with what was said, sentence by sentence, into a report."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from difflib import SequenceMatcher

from msaudio.model import Cue
from msaudio.proof_report import Difference, ProofReport, SentenceProof, Suggestion, Word
from msaudio.proof_words import Token, text_tokens
from msaudio.text.normalize import UNITS
from msaudio.text.normalize.tables import stop_words


def assign(cues: Sequence[Cue], words: Sequence[Word]) -> list[list[Word]]:
    """The heard words of each cue, by the time of each word's middle.

    A cue owns the pause after it; words before the first cue belong to it.
    """
    starts = [cue.start for cue in cues]
    heard: list[list[Word]] = [[] for _ in cues]
    if not cues:
        return heard
    for word in words:
        middle = (word.start + word.end) / 2
        heard[max(0, bisect_right(starts, middle) - 1)].append(word)
    return heard


Opcode = tuple[str, int, int, int, int]


def _heard_tokens(words: Sequence[Word]) -> list[Token]:
    """The normalized words heard; each one's source is the recognizer's word.

    The recognizer may write a number as two words ("0", ".5" or "1", ",500"):
    they are read as the one number they are. A unit it writes short after a
    number ("50mg") is the unit's words ("fifty milligrams").
    """
    pieces: list[tuple[int, str]] = []
    for index, word in enumerate(words):
        if pieces and _NUMBER_TAIL.match(word.text) and pieces[-1][1][-1:].isdigit():
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + word.text)
        else:
            pieces.append((index, word.text))
    tokens: list[Token] = []
    for index, text in pieces:
        for token in text_tokens(text):
            unit = _HEARD_UNITS.get(token.word)
            if unit and tokens and any(c.isdigit() for c in tokens[-1].source):
                spoken = unit[0] if tokens[-1].word == "one" else unit[1]
                tokens.extend(Token(word, text, index) for word in spoken.split())
            else:
                tokens.append(Token(token.word, text, index, token.implied))
    return tokens


_NUMBER_TAIL = re.compile(r"[.,]\d")
_HEARD_UNITS = {
    short: UNITS[short]
    for short in ("mg", "mcg", "ml", "kg", "km", "cm", "mm", "lb", "lbs", "oz", "mph", "kcal")
}
"""Units the recognizer writes short after a number ("50mg") for the words the narrator said."""


def _edits(said: Sequence[Token], heard: Sequence[Token]) -> list[Opcode]:
    """The differing stretches of an alignment of ``said`` with ``heard`` (difflib opcodes).

    Stretches that sound the same are not differences: "M S" heard as "MS",
    "health care" as "healthcare", "50 and 300 dollars" as "$50 and $300".
    """
    ref = [t.word for t in said]
    hyp = [t.word for t in heard]
    return [
        (op, i1, i2, j1, j2)
        for op, i1, i2, j1, j2 in SequenceMatcher(None, ref, hyp, autojunk=False).get_opcodes()
        if op != "equal"
        and "".join(ref[i1:i2]) != "".join(hyp[j1:j2])
        and not all(t.implied for t in [*said[i1:i2], *heard[j1:j2]])
    ]


def _errors(said: Sequence[Token], heard: Sequence[Token]) -> int:
    return sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in _edits(said, heard))


def _settle(references: Sequence[list[Token]], heard: list[list[Word]], reach: int = 2) -> None:
    """Move up to ``reach`` words across each sentence boundary where the text says so.

    Word times from the recognizer can be a word early or late; a boundary
    moves only when that strictly lowers the errors of the two sentences.
    """
    for left in range(len(heard) - 1):
        both = heard[left] + heard[left + 1]
        split = len(heard[left])

        def cost(cut: int, both: list[Word] = both, left: int = left) -> int:
            before = _errors(references[left], _heard_tokens(both[:cut]))
            return before + _errors(references[left + 1], _heard_tokens(both[cut:]))

        best, best_cost = split, cost(split)
        for cut in range(max(0, split - reach), min(len(both), split + reach) + 1):
            if (errors := cost(cut)) < best_cost:
                best, best_cost = cut, errors
        heard[left], heard[left + 1] = both[:best], both[best:]


def _sources(tokens: Sequence[Token]) -> list[str]:
    """The distinct pieces of text behind ``tokens``, in order."""
    seen: dict[int, str] = {}
    for token in tokens:
        seen.setdefault(token.index, token.source)
    return list(seen.values())


_UNITS_BY_CASE = {written.lower(): plural for written, (_, plural) in UNITS.items()}
"""The normalizer's unit abbreviations (compared in lower case) and their plural words."""


def lexicon_entry(term: str) -> tuple[str, str] | None:
    """A lexicon entry for a misheard piece of text, when one is likely to help.

    All-capital abbreviations are spelled out as ``data/lexicon.tsv`` advises
    for piper (``MS`` → ``M S``, the letter A as ``eh``) and unit abbreviations
    written in full (``mg`` → ``milligrams``); other words get none, since only
    a person can say how they should sound.
    """
    stem = re.sub(r"['’]s$", "", term)
    if re.fullmatch(r"[A-Z]{2,}", stem):
        return stem, " ".join("eh" if letter == "A" else letter for letter in stem)
    unit = _UNITS_BY_CASE.get(stem.lower())
    return (stem, unit) if unit else None


def _compare_sentence(
    cue: Cue,
    reference: str,
    heard: Sequence[Word],
    tally: Counter[str],
    misheard: list[tuple[str, str]],
) -> SentenceProof:
    said = text_tokens(reference)
    heard_tokens = _heard_tokens(heard)
    ref = [t.word for t in said]
    stops = stop_words()
    tally["content_words"] += sum(word not in stops for word in ref)
    differences: list[Difference] = []
    errors = 0
    for op, i1, i2, j1, j2 in _edits(said, heard_tokens):
        said_text = " ".join(_sources(said[i1:i2]))
        heard_text = " ".join(_sources(heard_tokens[j1:j2]))
        substituted = min(i2 - i1, j2 - j1)
        tally["substitutions"] += substituted
        tally["deletions"] += i2 - i1 - substituted
        tally["insertions"] += j2 - j1 - substituted
        errors += max(i2 - i1, j2 - j1)
        tally["content_missed"] += sum(word not in stops for word in ref[i1:i2])
        kind = {"replace": "substitution", "delete": "deletion", "insert": "insertion"}[op]
        differences.append(Difference(kind, said_text, heard_text))
        misheard.extend((source, heard_text) for source in _sources(said[i1:i2]))
    return SentenceProof(
        text=cue.text,
        reference=reference,
        heard=" ".join(w.text.strip() for w in heard),
        start=cue.start,
        end=cue.end,
        words=len(ref),
        errors=errors,
        differences=tuple(differences),
    )


def _suggestions(misheard: list[tuple[str, str]]) -> tuple[Suggestion, ...]:
    counts: Counter[tuple[str, str]] = Counter()
    heard: dict[tuple[str, str], list[str]] = {}
    for source, instead in misheard:
        entry = lexicon_entry(source)
        if entry is None:
            continue
        counts[entry] += 1
        examples = heard.setdefault(entry, [])
        if instead not in examples:
            examples.append(instead)
    ranked = counts.most_common()  # ties keep the order of first appearance
    return tuple(
        Suggestion(term, spoken, count, tuple(heard[(term, spoken)]))
        for (term, spoken), count in ranked
    )


def compare(
    cues: Sequence[Cue], words: Sequence[Word], references: Sequence[str] | None = None
) -> ProofReport:
    """Compare what was heard with what was said, sentence by sentence.

    ``references`` are the texts the engine was given, one per cue (the cue
    texts, which are what the transcript shows, when ``None``). Each heard
    word goes to the sentence playing at its middle (see :func:`assign`), a
    word or two may then move across a boundary where that fits the text
    better, and each sentence is aligned word by word.
    """
    texts = list(references) if references is not None else [cue.text for cue in cues]
    if len(texts) != len(cues):
        raise ValueError(f"{len(texts)} reference texts for {len(cues)} cues")
    heard = assign(cues, words)
    _settle([text_tokens(text) for text in texts], heard)
    tally: Counter[str] = Counter()
    misheard: list[tuple[str, str]] = []
    sentences = tuple(
        _compare_sentence(cue, text, said, tally, misheard)
        for cue, text, said in zip(cues, texts, heard, strict=True)
    )
    return ProofReport(
        sentences=sentences,
        reference_words=sum(s.words for s in sentences),
        substitutions=tally["substitutions"],
        deletions=tally["deletions"],
        insertions=tally["insertions"],
        content_words=tally["content_words"],
        content_missed=tally["content_missed"],
        suggestions=_suggestions(misheard),
    )
