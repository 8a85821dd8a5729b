"""What ``msaudio proof`` found: the heard words, the differences, the figures, as data and text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from msaudio.errors import MsaudioError

NEEDS_EXTRA = "msaudio proof needs the proof extra: pip install 'msaudio[proof]'"


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
